// `slb-labels plan` / `slb-labels provision`: the bundled CLI (dist/cli/slb-labels.js) spawned with
// credentials in the environment, pointed at the local SLB sandbox with --endpoint.
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { runProvisionCli } from '../../server/src/cli/provision';
import { CERT_ID, clientFor, FOUR_PROTOCOLS, REDIS_ID, requestsSince } from './helpers';

const CLI = path.resolve(__dirname, '../../../dist/cli/slb-labels.js');
let sandbox: SandboxHandle;
let dir: string;
let file: string;
const outputs: string[] = [];

function env(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET, LANG: 'C' };
}

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env(), ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end();
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const common = () => ['--region', 'cn-hangzhou', '--endpoint', sandbox.url];

before(async () => {
  sandbox = await startSandbox({ port: 0, dataPlane: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-provision-cli-'));
  file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, FOUR_PROTOCOLS);
});
beforeEach(async () => {
  await sandbox.reset();
});
after(async () => {
  await sandbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const o of outputs) assert.ok(!o.includes(DEFAULT_ACCESS_KEY_SECRET), 'secret in CLI output');
});

test('plan --format json: one object per label with the documented fields', async () => {
  const r = await run(['plan', file, '--format', 'json', ...common()]);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.equal(list.length, 5);
  for (const o of list) for (const k of ['label', 'service', 'slb', 'frontPort', 'protocol', 'backendPort', 'action', 'reason']) assert.ok(k in o, `${k} in ${JSON.stringify(o)}`);
  const tcp = list.find((o) => o.label === 'aliyun.lb.port_7000')!;
  assert.deepEqual([tcp.service, tcp.slb, tcp.frontPort, tcp.protocol, tcp.backendPort, tcp.action], ['app', 'slb_redis_app', 7000, 'tcp', 7001, 'create']);
  assert.equal(list.find((o) => o.label === 'aliyun.lb.port_6379')!.action, 'unchanged');
  assert.deepEqual(requestsSince(sandbox, 0, 'Create'), []);
});

test('plan text: file:line, action, reason, summary and the certificates for https', async () => {
  const r = await run(['plan', file, ...common()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /docker-compose\.yml:7:7: \[unchanged\] aliyun\.lb\.port_6379 \(redis\)/);
  assert.match(r.stdout, /\[create\] aliyun\.lb\.port_53 \(app\) udp:\/\/slb_redis_app:53 → backend 5353: Create a UDP listener/);
  assert.match(r.stdout, /Plan for region cn-hangzhou: 4 to create, 0 to start, 1 unchanged/);
  assert.ok(r.stdout.includes(CERT_ID));
  assert.match(r.stderr, /SAND\*\*\*\*0001/);
});

test('provision without --yes and without a terminal refuses (exit 2), nothing changed', async () => {
  const r = await run(['provision', file, ...common()]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pass --yes/);
  assert.deepEqual(requestsSince(sandbox, 0, 'Create'), []);
});

test('provision --yes creates and starts; exit 1 while the https label lacks a certificate; then --certificate-id finishes; a third run changes nothing', async () => {
  const r1 = await run(['provision', file, '--yes', ...common()]);
  assert.equal(r1.code, 1, r1.stdout + r1.stderr);
  assert.match(r1.stdout, /\[created\] aliyun\.lb\.port_7000/);
  assert.match(r1.stdout, /\[blocked\] aliyun\.lb\.port_443 .*needs a server certificate/);
  assert.match(r1.stderr, /create \[CreateLoadBalancerUDPListener\] ok/);
  const client = clientFor(sandbox);
  assert.equal((await client.describeLoadBalancerUDPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 53 })).Status, 'running');

  const r2 = await run(['provision', file, '--yes', '--certificate-id', CERT_ID, ...common()]);
  assert.equal(r2.code, 0, r2.stdout + r2.stderr);
  assert.match(r2.stdout, /\[created\] aliyun\.lb\.port_443/);
  assert.equal((await client.describeLoadBalancerHTTPSListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 443 })).Status, 'running');

  const mark = sandbox.state().requests.length;
  const r3 = await run(['provision', file, ...common()]); // nothing to change: no confirmation needed
  assert.equal(r3.code, 0, r3.stdout + r3.stderr);
  assert.match(r3.stdout, /0 created, 0 started, 5 unchanged/);
  assert.deepEqual(requestsSince(sandbox, mark, 'Create'), []);
  assert.deepEqual(requestsSince(sandbox, mark, 'Start'), []);
});

test('AccessKey flags are refused without echoing the value', async () => {
  const r = await run(['provision', file, '--access-key-secret', 'top-secret-value-xyz', ...common()]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--access-key-secret is not accepted/);
  assert.ok(!(r.stdout + r.stderr).includes('top-secret-value-xyz'));
  const r2 = await run(['plan', file, '--access-key-id=AKID', ...common()]);
  assert.equal(r2.code, 2);
});

test('no credentials: exit 2 with the lookup message', async () => {
  const r = await run(['plan', file, ...common()], { ALIBABA_CLOUD_ACCESS_KEY_ID: '', ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' });
  assert.equal(r.code, 2);
  assert.ok(r.stderr.length > 0);
});

test('on a terminal: y applies, anything else cancels (in process)', async () => {
  const io = (answer: string) => {
    const out: string[] = [];
    return { out, io: { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: env(), homeDir: dir, isTTY: true, prompt: async (q: string) => (out.push(q), answer) } };
  };
  const no = io('n');
  assert.equal(await runProvisionCli([file, ...common()], no.io), 2);
  assert.match(no.out.join(''), /Apply this plan to region cn-hangzhou\? \[y\/N\]/);
  assert.match(no.out.join(''), /cancelled: nothing was changed/);
  assert.deepEqual(requestsSince(sandbox, 0, 'Create'), []);
  const yes = io('y');
  assert.equal(await runProvisionCli([file, '--certificate-id', CERT_ID, ...common()], yes.io), 0);
  assert.equal(requestsSince(sandbox, 0, 'Create').length, 4);
  outputs.push(no.out.join(''), yes.out.join(''));
});

test('--locale zh-cn prints the plan in Chinese', async () => {
  const r = await run(['plan', file, '--locale', 'zh-cn', ...common()]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /[\u4e00-\u9fff]/);
});
