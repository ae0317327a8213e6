// `slb-labels lint --online` against the sandbox: the editor's online rules from the command line,
// exit 1 on findings, and checks that could not run (no credentials, API unreachable, hanging, out
// of time) reported as such, never as a pass.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { KEY_ID, SECRET } from '../helpers/sandbox';
import { REPO_ROOT } from '../helpers/repo';
import { runCli } from '../helpers/cli';
import { refusedPort } from '../helpers/ports';

let sb: SandboxHandle;
let dir: string;
let refusedUrl: string;
const outputs: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

async function run(args: string[], env: Record<string, string> = credsEnv()): Promise<Run> {
  const r = await runCli(args, { env, cwd: dir, timeoutMs: 45_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', LANG: 'C' };
}
function credsEnv(): Record<string, string> {
  return { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
}
const at = (endpoint: string) => ['--online', '--region', 'cn-hangzhou', '--endpoint', endpoint];

const CLEAN = `services:
  redis:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`;

// Valid offline (no error); online: an SLB the account does not have, a locked one, and a front
// port whose listener speaks another protocol.
const ONLINE_FINDINGS = `services:
  web:
    image: nginx
    ports:
      - "8080:80"
      - "8443:443"
    labels:
      aliyun.lb.port_80: http://slb_not_in_account:80
      aliyun.lb.port_443: https://slb_overdue_locked:443
  cache:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: http://slb_redis_app:6379
`;

// A Service that reuses a CLB the account does not have (k8s-clb-not-found).
const K8S_MISSING_CLB = `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: "lb-bp1doesnotexist0000000"
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8080
      protocol: TCP
`;

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-lint-online-'));
  fs.mkdirSync(path.join(dir, 'clean'));
  fs.writeFileSync(path.join(dir, 'clean', 'docker-compose.yml'), CLEAN);
  fs.mkdirSync(path.join(dir, 'findings'));
  fs.writeFileSync(path.join(dir, 'findings', 'docker-compose.yml'), ONLINE_FINDINGS);
  fs.mkdirSync(path.join(dir, 'k8s'));
  fs.writeFileSync(path.join(dir, 'k8s', 'web.yaml'), K8S_MISSING_CLB);
  refusedUrl = `http://127.0.0.1:${await refusedPort()}`;
});
beforeEach(async () => {
  await sb.reset();
});
after(async () => {
  await sb?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const o of outputs) assert.ok(!o.includes(SECRET), 'the sandbox secret in CLI output');
});

describe('slb-labels lint --online', () => {
  it('offline, the findings file is clean (exit 0): what follows comes from the account', async () => {
    const r = await run(['lint', 'findings']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('reports the online findings with the editor\'s codes and exits 1', async () => {
    const r = await run(['lint', 'findings', '--format', 'json', ...at(sb.url)]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const [file] = JSON.parse(r.stdout) as { file: string; diagnostics: { line: number; code: string; severity: string; message: string }[] }[];
    assert.equal(file.file, path.join('findings', 'docker-compose.yml'));
    const byCode = new Map(file.diagnostics.map((d) => [d.code, d]));
    assert.equal(byCode.get('slb-not-found')?.line, 8);
    assert.match(byCode.get('slb-not-found')!.message, /No SLB named 'slb_not_in_account' in region cn-hangzhou/);
    assert.equal(byCode.get('slb-inactive')?.line, 9);
    assert.match(byCode.get('slb-inactive')!.message, /locked/);
    assert.equal(byCode.get('slb-listener-mismatch')?.line, 15);
    assert.match(r.stderr, /Online checks ran against \d+ SLB\(s\) in cn-hangzhou/);
  });

  it('Kubernetes manifests get the editor\'s online k8s rules too', async () => {
    const offline = await run(['lint', 'k8s', '--format', 'json']);
    assert.ok(!JSON.parse(offline.stdout)[0].diagnostics.some((d: { code: string }) => d.code === 'k8s-clb-not-found'), offline.stdout);
    const r = await run(['lint', 'k8s', '--format', 'json', ...at(sb.url)]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const [file] = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; line: number }[] }[];
    assert.equal(file.file, path.join('k8s', 'web.yaml'));
    assert.ok(file.diagnostics.some((d) => d.code === 'k8s-clb-not-found' && d.line === 6), JSON.stringify(file.diagnostics));
  });

  it('a file the account agrees with: exit 0, and stderr says the checks ran', async () => {
    const r = await run(['lint', 'clean', ...at(sb.url)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 error\(s\), 0 warning\(s\) in 1 file\(s\)/);
    assert.match(r.stderr, /Online checks ran against/);
  });

  it('unreachable API: exit 1 and "did not run", in text, JSON, SARIF and github formats', async () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await run(['lint', 'clean', '--format', format, ...at(refusedUrl)]);
      assert.equal(r.code, 1, `${format}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /Online checks did not run: the SLB catalog of cn-hangzhou could not be read/);
      if (format === 'sarif') {
        const log = JSON.parse(r.stdout);
        const invocation = log.runs[0].invocations[0];
        assert.equal(invocation.executionSuccessful, false);
        assert.match(invocation.toolExecutionNotifications[0].message.text, /Online checks did not run/);
      }
      if (format === 'github') assert.match(r.stdout, /^::error title=slb-labels::Online checks did not run/m);
    }
  });

  it('an API that answers 503 or hangs: exit 1, "did not run", within the --timeout budget', async () => {
    sb.injectFault({ kind: 'server-error-json', status: 503, times: -1 });
    const down = await run(['lint', 'clean', ...at(sb.url)]);
    assert.equal(down.code, 1, down.stdout + down.stderr);
    assert.match(down.stderr, /Online checks did not run/);
    sb.clearFaults();
    sb.injectFault({ kind: 'hang', times: -1 });
    const hang = await run(['lint', 'clean', ...at(sb.url), '--timeout', '2000']);
    assert.equal(hang.code, 1, hang.stdout + hang.stderr);
    assert.match(hang.stderr, /Online checks did not run/);
    assert.ok(hang.ms < 15_000, `a hanging API took ${hang.ms} ms with --timeout 2000`);
    sb.clearFaults();
  });

  it('credentials and region from an aliyun CLI profile (--profile), not only the environment', async () => {
    const home = path.join(dir, 'home-with-profile');
    fs.mkdirSync(path.join(home, '.aliyun'), { recursive: true });
    fs.writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify({
      current: 'default',
      profiles: [
        { name: 'default', mode: 'AK', access_key_id: 'NOTTHISKEY0000000001', access_key_secret: 'not-this-secret', region_id: 'cn-beijing' },
        { name: 'ci', mode: 'AK', access_key_id: KEY_ID, access_key_secret: SECRET, region_id: 'cn-hangzhou' },
      ],
    }));
    const env = { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C' };
    const r = await run(['lint', 'findings', '--online', '--profile', 'ci', '--endpoint', sb.url, '--format', 'json'], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(JSON.parse(r.stdout)[0].diagnostics.some((d: { code: string }) => d.code === 'slb-not-found'));
    assert.match(r.stderr, /Online checks ran against \d+ SLB\(s\) in cn-hangzhou \(.*profile "ci"/);
  });

  it('no credentials: exit 1 and the reason, never a pass', async () => {
    const r = await run(['lint', 'clean', ...at(sb.url)], baseEnv());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /Online checks did not run: No Alibaba Cloud credentials found/);
  });

  it('a wrong secret: exit 1 and "did not run"; the secret never appears', async () => {
    const r = await run(['lint', 'clean', ...at(sb.url)], { ...credsEnv(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-online-secret-42' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /Online checks did not run/);
    assert.ok(!(r.stdout + r.stderr).includes('wrong-online-secret-42'));
  });
});
