// `slb-labels sandbox …` — the command-line face of the sandbox (called by server/src/cli).
import { startSandbox, DEFAULT_ACCESS_KEY_ID } from './server';
import type { SandboxHandle, SandboxOptions } from './types';
import { DEFAULT_ROLE_ARN } from './sts';

export const SANDBOX_USAGE = `Usage: slb-labels sandbox [--port N] [--host 127.0.0.1] [--seed file.json]
                         [--access-key-id ID --access-key-secret SECRET]
                         [--address-base 127.0.0.2] [--no-data-plane] [--health-check-interval-ms MS]

Starts a local stand-in for the Alibaba Cloud SLB API (version 2014-05-15) on loopback.
  --port N                   API port (default 8765; 0 = any free port)
  --host H                   loopback address to bind (default 127.0.0.1; anything else is refused)
  --seed FILE                seed JSON (default: the built-in demo account)
  --access-key-id ID         AccessKey the sandbox accepts (default ${DEFAULT_ACCESS_KEY_ID})
  --access-key-secret S      its secret (default: the built-in demo secret; never printed)
  --address-base A           first load balancer address (default 127.0.0.2)
  --no-data-plane            answer the API only; do not bind listeners
  --health-check-interval-ms override every listener's health-check interval
Stop with Ctrl+C (SIGINT) or SIGTERM.`;

export const DEFAULT_CLI_PORT = 8765;

export interface SandboxCliIo {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Test hook: called once the sandbox is listening. */
  onReady?: (handle: SandboxHandle) => void;
  /** Test hook: resolves to stop the sandbox (in addition to SIGINT/SIGTERM). */
  stopSignal?: Promise<unknown>;
}

/** Parses the flags; throws Error with a usage-style message on bad input. */
export function parseSandboxArgs(argv: string[]): SandboxOptions & { help?: boolean } {
  const args = argv[0] === 'sandbox' ? argv.slice(1) : [...argv];
  const out: SandboxOptions & { help?: boolean } = { port: DEFAULT_CLI_PORT };
  const value = (i: number, flag: string) => {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value.`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      args.splice(i, 1, a.slice(0, eq), a.slice(eq + 1));
      a = args[i];
    }
    switch (a) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '--port': {
        const v = value(i++, a);
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new Error(`--port must be an integer between 0 and 65535; got "${v}".`);
        out.port = n;
        break;
      }
      case '--host':
        out.host = value(i++, a);
        break;
      case '--seed':
        out.seed = value(i++, a);
        break;
      case '--access-key-id':
        out.accessKeyId = value(i++, a);
        break;
      case '--access-key-secret':
        out.accessKeySecret = value(i++, a);
        break;
      case '--address-base':
        out.addressBase = value(i++, a);
        break;
      case '--no-data-plane':
        out.dataPlane = false;
        break;
      case '--health-check-interval-ms': {
        const v = value(i++, a);
        if (!/^\d+$/.test(v) || Number(v) < 10) throw new Error(`--health-check-interval-ms must be an integer >= 10; got "${v}".`);
        out.healthCheckIntervalMs = Number(v);
        break;
      }
      default:
        throw new Error(`Unknown option "${a}".`);
    }
  }
  if ((out.accessKeyId === undefined) !== (out.accessKeySecret === undefined)) {
    throw new Error('Give both --access-key-id and --access-key-secret, or neither (to use the demo pair).');
  }
  return out;
}

/**
 * Runs `slb-labels sandbox`: prints "SLB sandbox listening on http://127.0.0.1:N" when ready, keeps
 * running until SIGINT/SIGTERM, then closes everything. Resolves to the process exit code.
 */
export async function runSandboxCli(argv: string[], io: SandboxCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((l: string) => process.stdout.write(l + '\n'));
  const stderr = io.stderr ?? ((l: string) => process.stderr.write(l + '\n'));
  let opts: ReturnType<typeof parseSandboxArgs>;
  try {
    opts = parseSandboxArgs(argv);
  } catch (e) {
    stderr(`slb-labels sandbox: ${(e as Error).message}`);
    stderr(SANDBOX_USAGE);
    return 2;
  }
  if (opts.help) {
    stdout(SANDBOX_USAGE);
    return 0;
  }
  delete opts.help;
  return serveSandbox(opts, io);
}

/**
 * Runs the sandbox with already-parsed options (`slb-labels sandbox` parses them with the CLI's
 * common parser): prints the ready line, serves until SIGINT/SIGTERM. Resolves to the exit code.
 */
export async function serveSandbox(opts: SandboxOptions, io: SandboxCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((l: string) => process.stdout.write(l + '\n'));
  const stderr = io.stderr ?? ((l: string) => process.stderr.write(l + '\n'));
  if ((opts.accessKeyId === undefined) !== (opts.accessKeySecret === undefined)) {
    stderr('slb-labels sandbox: Give both --access-key-id and --access-key-secret, or neither (to use the demo pair).');
    return 2;
  }
  const secret = opts.accessKeySecret;
  let handle: SandboxHandle;
  try {
    handle = await startSandbox({
      ...opts,
      log: (line) => stderr(secret ? line.split(secret).join('***') : line),
    });
  } catch (e) {
    stderr(`slb-labels sandbox: ${(e as Error).message}`);
    return 1;
  }
  stdout(`SLB sandbox listening on ${handle.url}`);
  const st = handle.state();
  stderr(`AccessKey ID: ${handle.accessKeyId}${opts.accessKeyId ? '' : ' (demo key; its secret is documented in sandbox/README.md)'}`);
  stderr(`Endpoint for the extension / SDK: ${handle.endpoint} (protocol HTTP). Regions: ${st.regions.join(', ')}`);
  stderr(`Credential services: STS AssumeRole of ${DEFAULT_ROLE_ARN} (sts_endpoint / aliyunSlbLabels.stsEndpoint ${handle.url}), ECS metadata (ALIBABA_CLOUD_ECS_METADATA_ENDPOINT=${handle.url}), credentials URI ${handle.url}/__sandbox/credentials`);
  for (const lb of st.loadBalancers) {
    stderr(`  ${lb.LoadBalancerId}  ${lb.LoadBalancerName.padEnd(20)} ${lb.RegionId.padEnd(12)} ${lb.AddressType.padEnd(8)} ${lb.LoadBalancerStatus.padEnd(8)} ${lb.Address}`);
  }

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void io.stopSignal?.then(stop, stop);
    io.onReady?.(handle);
  });
  await handle.close();
  stderr('SLB sandbox stopped.');
  return 0;
}
