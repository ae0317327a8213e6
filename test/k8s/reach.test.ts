// Reachability of Service ports through their CLB: the real sandbox (API and data plane on
// 127.0.21.x), a real TCP backend on 127.0.0.1, listeners created through the API.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { parseManifest } from '../../server/src/engine/k8s/parse';
import { checkServiceReachability } from '../../server/src/engine/k8s/reach';
import { Backend, clientFor, createListener, freePort, REDIS_APP_ID, tcpBackend } from '../reach/helpers';
import { REPO_ROOT } from '../lsp/lspClient';
import { runCli } from '../helpers/cli';

const BASE = '127.0.21.2';

function service(name: string, annotations: Record<string, string>, ports: string): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n${lines.join('\n')}\nspec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n${ports}`;
}

describe('Service reachability through the CLB', () => {
  let sb: SandboxHandle;
  let backend: Backend;
  let front = 0;
  before(async () => {
    sb = await startSandbox({ port: 0, addressBase: BASE, healthCheckIntervalMs: 30 });
    backend = await tcpBackend();
    front = await freePort(BASE);
    await createListener(clientFor(sb), REDIS_APP_ID, 'tcp', front, backend.port, { healthCheck: false });
  });
  after(async () => {
    await backend?.close();
    await sb?.close();
  });

  it('a running tcp listener with a live backend: every step passes and the connect goes through the CLB address', async () => {
    const manifest = parseManifest(service('app', { id: REDIS_APP_ID }, `  - {port: ${front}, targetPort: 8080}\n`));
    const [r] = await checkServiceReachability(manifest, { client: clientFor(sb), timeoutMs: 1500 });
    assert.equal(r.reachable, true, JSON.stringify(r, null, 2));
    assert.deepEqual(r.steps.map((s) => `${s.name}:${s.ok}`), ['clb:true', 'listener:true', 'health:true', 'connect:true']);
    assert.equal(r.address, BASE);
    assert.match(r.steps[3].detail, new RegExp(`connected to ${BASE.replace(/\./g, '\\.')}:${front}`));
  });

  it('a missing listener without override, and a stopped listener (seed: http 8080 stopped), are blocked with what to do', async () => {
    const missing = await freePort(BASE);
    const manifest = parseManifest(service('app', { id: REDIS_APP_ID, 'protocol-port': 'http:8080' }, `  - {name: a, port: ${missing}}\n  - {name: b, port: 8080}\n`));
    const [noListener, stopped] = await checkServiceReachability(manifest, { client: clientFor(sb), timeoutMs: 1500 });
    assert.equal(noListener.reachable, false);
    assert.equal(noListener.steps.at(-1)!.name, 'listener');
    assert.match(noListener.blocker!, /Without force-override-listeners: "true" the CCM creates none/);
    assert.equal(stopped.reachable, false);
    assert.match(stopped.steps.at(-1)!.detail, /the http listener on port 8080 is stopped/);
  });

  it('no id: the CLB the CCM creates cannot be checked from the manifest alone', async () => {
    const [r] = await checkServiceReachability(parseManifest(service('fresh', {}, '  - {port: 80}\n').replace('  annotations:\n\n', '')), { client: clientFor(sb) });
    assert.equal(r.reachable, false);
    assert.match(r.steps[0].detail, /no id annotation/);
  });

  it('CLI: slb-labels reach on a manifest prints the walk and exits 1 when a port is blocked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-reach-'));
    try {
      const file = path.join(dir, 'svc.yaml');
      fs.writeFileSync(file, service('app', { id: REDIS_APP_ID }, `  - {name: ok, port: ${front}}\n  - {name: gone, port: ${await freePort(BASE)}}\n`));
      const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
      const run = await runCli(['reach', file, '--region', 'cn-hangzhou', '--endpoint', sb.url, '--timeout', '1500'], { env, timeoutMs: 30_000 });
      const result = { status: run.code, stdout: run.stdout, stderr: run.stderr };
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`reachable  default/app tcp:${front}`));
      assert.match(result.stdout, /blocked  default\/app tcp:\d+/);
      assert.ok(!result.stdout.includes(DEFAULT_ACCESS_KEY_SECRET) && !result.stderr.includes(DEFAULT_ACCESS_KEY_SECRET));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
