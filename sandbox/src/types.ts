// Public types of the local SLB sandbox. Plain data only; no code shared with the engine's SLB client.

export type ListenerProtocol = 'tcp' | 'udp' | 'http' | 'https';
export type ListenerStatus = 'running' | 'stopped';
export type LoadBalancerStatus = 'active' | 'inactive' | 'locked';
export type HealthStatus = 'normal' | 'abnormal' | 'unavailable';

export interface SeedRegion {
  RegionId: string;
  /** Local name in Chinese (AcceptLanguage zh-CN, the API's default). */
  LocalName: string;
  /** Local name for AcceptLanguage en-US. */
  LocalNameEn?: string;
  RegionEndpoint?: string;
}

export interface SeedTag {
  TagKey: string;
  TagValue: string;
}

export interface SeedBackendServer {
  ServerId: string;
  ServerIp?: string;
  Weight?: number;
  Type?: string;
  Description?: string;
}

/**
 * A listener in the seed. Besides the fields below it may carry any request parameter of the
 * matching Create*Listener action (same names and ranges, e.g. HealthCheckURI, StickySession,
 * ServerCertificateId); the seed goes through the same validation as the API.
 */
export interface SeedListener {
  ListenerProtocol: ListenerProtocol;
  ListenerPort: number;
  BackendServerPort: number;
  Status?: ListenerStatus;
  [param: string]: string | number | boolean | undefined;
}

export interface SeedLoadBalancer {
  LoadBalancerId: string;
  LoadBalancerName: string;
  RegionId: string;
  LoadBalancerStatus?: LoadBalancerStatus;
  AddressType?: 'internet' | 'intranet';
  AddressIPVersion?: 'ipv4' | 'ipv6';
  NetworkType?: 'vpc' | 'classic';
  VpcId?: string;
  VSwitchId?: string;
  MasterZoneId?: string;
  SlaveZoneId?: string;
  Bandwidth?: number;
  InternetChargeType?: string;
  InstanceChargeType?: string;
  PayType?: string;
  LoadBalancerSpec?: string;
  CreateTime?: string;
  ResourceGroupId?: string;
  DeleteProtection?: 'on' | 'off';
  Tags?: SeedTag[];
  BackendServers?: SeedBackendServer[];
  Listeners?: SeedListener[];
}

export interface SeedServerCertificate {
  ServerCertificateId: string;
  ServerCertificateName: string;
  RegionId: string;
  CreateTime?: string;
  ResourceGroupId?: string;
  /** PEM certificate (self-signed test material in the default seed). */
  Certificate: string;
  /** PEM private key; used by HTTPS listeners of the data plane. */
  PrivateKey: string;
  Tags?: SeedTag[];
}

export interface SeedObject {
  regions: SeedRegion[];
  loadBalancers: SeedLoadBalancer[];
  serverCertificates?: SeedServerCertificate[];
}

export type FaultKind = 'throttle' | 'server-error-json' | 'server-error-html' | 'slow' | 'slow-response' | 'hang';

export interface FaultSpec {
  /** Only requests for this action are affected; all actions when omitted. */
  action?: string;
  kind: FaultKind;
  /** How many matching requests are affected (default 1); -1 = every matching request until cleared. */
  times?: number;
  /** 'slow': delay before the action runs; 'slow-response': the action runs at once, its answer comes after the delay (default 1000 ms). */
  delayMs?: number;
  /** 'throttle': value of the x-acs-retry-after header in ms (default 1500, as observed). */
  retryAfterMs?: number;
  /** 'server-error-json': HTTP status (default 503 → ServiceUnavailable; 500 → InternalError). */
  status?: number;
}

export interface SandboxOptions {
  /** API port (default 0 = ephemeral). */
  port?: number;
  /** API host, loopback only (default 127.0.0.1). */
  host?: string;
  /** Path of a seed JSON file, or a seed object (default: the built-in demo seed). */
  seed?: string | SeedObject;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** If set, requests must carry this STS token (SecurityToken / x-acs-security-token). */
  securityToken?: string;
  /** Faults armed at start (same as POST /__sandbox/faults). */
  faults?: FaultSpec[];
  /** Log sink (one line per call); nothing is logged when omitted. The secret is never logged. */
  log?: (line: string) => void;
  /** Real data plane on 127.0.0.x (default true). */
  dataPlane?: boolean;
  /** First load-balancer address (default 127.0.0.2); following LBs get the next addresses. */
  addressBase?: string;
  /** Override every listener's health-check interval (ms). Default: the listener's HealthCheckInterval seconds. */
  healthCheckIntervalMs?: number;
  /** Allowed clock skew for signed requests (default 15 min). */
  timestampWindowMs?: number;
  /** Server clock (tests: shift it to provoke InvalidTimeStamp.Expired). */
  now?: () => number;
  /** RAM roles STS AssumeRole knows (default: acs:ram::1234567890123456:role/slb-sandbox-operator, trusted by the main AccessKey). */
  roles?: SandboxRole[];
  /** The ECS instance role of the metadata endpoint (default slb-sandbox-ecs-role); null = no role attached. */
  ecsRoleName?: string | null;
  /** Lifetime of issued STS credentials in ms, overriding DurationSeconds (tests of expiry and refresh). */
  issuedCredentialsTtlMs?: number;
}

export type { SandboxRole } from './sts';
import type { SandboxRole } from './sts';

export interface DataPlaneStatus {
  /** true when the listener's socket is bound. */
  listening: boolean;
  address?: string;
  port?: number;
  error?: string;
}

export interface SandboxListenerState {
  LoadBalancerId: string;
  ListenerPort: number;
  ListenerProtocol: ListenerProtocol;
  /** 0 when the listener forwards to a vServer group without a port of its own. */
  BackendServerPort: number;
  /** The vServer group the listener forwards to. */
  VServerGroupId?: string;
  Status: ListenerStatus;
  Description: string;
  config: Record<string, string | number | boolean>;
  health: { status: HealthStatus; lastCheckedAt?: number; lastError?: string; checks: number };
  dataPlane: DataPlaneStatus;
}

export interface SandboxLoadBalancerState {
  LoadBalancerId: string;
  LoadBalancerName: string;
  RegionId: string;
  LoadBalancerStatus: LoadBalancerStatus;
  Address: string;
  AddressType: string;
  BackendServers: SeedBackendServer[];
  Listeners: SandboxListenerState[];
}

export interface SandboxRequestRecord {
  at: number;
  action: string;
  /** The scheme the request was signed with (also when the signature check failed); none = unsigned. */
  signatureVersion: 'v3' | 'v1' | 'none';
  status: number;
  code?: string;
  fault?: FaultKind;
  /** The AccessKey ID the request was signed with (an ID, never a secret), once the signature checked out. */
  accessKeyId?: string;
}

export interface SandboxState {
  url: string;
  accessKeyId: string;
  regions: string[];
  loadBalancers: SandboxLoadBalancerState[];
  serverCertificates: { ServerCertificateId: string; ServerCertificateName: string; RegionId: string }[];
  faults: FaultSpec[];
  requests: SandboxRequestRecord[];
  /** STS credentials issued (AssumeRole, metadata, credentials URI) and not yet expired. */
  stsIssued: number;
}

export interface SandboxHandle {
  /** http://127.0.0.1:N */
  url: string;
  host: string;
  port: number;
  /** Bare `host:port`, ready for openapi-core's Config.endpoint. */
  endpoint: string;
  accessKeyId: string;
  /** A deep copy of the current state (load balancers, listeners, health, data plane, faults, request log). */
  state(): SandboxState;
  /** Arm a fault (same as POST /__sandbox/faults). */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Back to the seed: closes the data plane, clears faults, nonces and the request log, re-seeds. */
  reset(): Promise<void>;
  /** Wait until the listener's health reaches `status` (bounded poll); resolves false on timeout. */
  waitForHealth(loadBalancerId: string, listenerPort: number, status: HealthStatus, timeoutMs?: number, protocol?: ListenerProtocol): Promise<boolean>;
  /** STS credentials issued so far, secrets included: for leak checks in tests only (never served over HTTP, never in state()). */
  issuedCredentials(): Array<{ accessKeyId: string; accessKeySecret: string; securityToken: string; expiresAt: number }>;
  /** Closes the API server, every data-plane listener/socket and every health-check timer. */
  close(): Promise<void>;
}
