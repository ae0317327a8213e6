// The fixture of the online LSP suites: one local SLB sandbox (API only) and an empty HOME for the
// file, and real servers started against it, all stopped and removed after the file's tests.
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { CloudLspClient } from './lspCloudClient';

export interface SandboxServers {
  sandbox(): SandboxHandle;
  /** A clean environment: no inherited credentials, an empty home (no ~/.aliyun, no ~/.alibabacloud). */
  baseEnv(): Record<string, string>;
  /** baseEnv plus the sandbox's demo AccessKey. */
  credentialsEnv(): Record<string, string>;
  /** A server pointed at the sandbox (region cn-hangzhou); `settings` are merged over that. */
  startServer(env: Record<string, string>, settings?: Record<string, unknown>, trusted?: boolean): Promise<CloudLspClient>;
  /** Every server started so far (for the secret-leak checks). */
  clients(): readonly CloudLspClient[];
}

export function useSandboxServers(homePrefix: string): SandboxServers {
  let sandbox: SandboxHandle | undefined;
  let home = '';
  const clients: CloudLspClient[] = [];
  before(async () => {
    sandbox = await startSandbox({ port: 0, dataPlane: false });
    home = fs.mkdtempSync(path.join(os.tmpdir(), homePrefix));
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await sandbox?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });
  const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' });
  return {
    sandbox: () => sandbox!,
    clients: () => clients,
    baseEnv,
    credentialsEnv: () => ({ ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET }),
    async startServer(env, settings = {}, trusted = true) {
      const c = await CloudLspClient.start({ env, settings: { region: 'cn-hangzhou', endpoint: sandbox!.url, ...settings }, workspaceTrusted: trusted });
      clients.push(c);
      return c;
    },
  };
}
