// Public entry of the local SLB sandbox. See sandbox/README.md.
export { startSandbox, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ADDRESS_BASE, loopbackHost } from './server';
export { runSandboxCli, serveSandbox, parseSandboxArgs, SANDBOX_USAGE, DEFAULT_CLI_PORT } from './cli';
export type { SandboxCliIo } from './cli';
export { DEFAULT_SEED } from './store';
export { DEFAULT_ROLE_ARN, DEFAULT_ECS_ROLE_NAME, NO_ROLE_ACCESS_KEY_ID, NO_ROLE_ACCESS_KEY_SECRET, SANDBOX_ACCOUNT_ID, STS_API_VERSION } from './sts';
export type {
  SandboxOptions,
  SandboxHandle,
  SandboxState,
  SandboxLoadBalancerState,
  SandboxListenerState,
  SandboxRequestRecord,
  SeedObject,
  SeedRegion,
  SeedLoadBalancer,
  SeedListener,
  SeedBackendServer,
  SeedServerCertificate,
  SeedTag,
  FaultSpec,
  FaultKind,
  HealthStatus,
  ListenerProtocol,
  ListenerStatus,
  LoadBalancerStatus,
  DataPlaneStatus,
  SandboxRole,
} from './types';
