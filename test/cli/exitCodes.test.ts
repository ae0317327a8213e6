// The exit codes every subcommand documents (0 all good; 1 findings, blocked or failed; 2 bad usage
// or an unreadable input), held against the sandbox with the faults a CI job meets: a wrong secret,
// 503, an HTML error page, a hanging API, a reset connection and a refused one (issue 9, defect 5).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { KEY_ID, SECRET } from '../helpers/sandbox';
import { REPO_ROOT } from '../helpers/repo';
import { CliRun, runCli } from '../helpers/cli';
import { refusedPort } from '../helpers/ports';

let sb: SandboxHandle;
let dir: string;
let planned: string;
let conflicting: string;
let resetServer: net.Server;
let resetUrl: string;
let refusedUrl: string;
const outputs: string[] = [];

async function run(args: string[], env: Record<string, string> = credsEnv()): Promise<CliRun> {
  const r = await runCli(args, { env, timeoutMs: 45_000 });
  outputs.push(r.stdout, r.stderr);
  return r;
}

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', LANG: 'C' };
}
function credsEnv(secret = SECRET): Record<string, string> {
  return { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret };
}
const at = (endpoint: string) => ['--region', 'cn-hangzhou', '--endpoint', endpoint, '--timeout', '1500'];

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-exit-codes-'));
  planned = path.join(dir, 'docker-compose.yml');
  // One label that exists already (unchanged) and one to create.
  fs.writeFileSync(planned, `services:
  redis:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
  app:
    image: example/app
    ports:
      - "7001:7000"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:7000
`);
  // The seed's TCP 6379 listener forwards to 6379; this label wants backend port 6380: a conflict.
  conflicting = path.join(dir, 'conflict.yml');
  fs.writeFileSync(conflicting, `services:
  redis:
    image: redis:7
    ports:
      - "6380:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`);
  // A server that accepts and resets every connection.
  resetServer = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => resetServer.listen(0, '127.0.0.1', resolve));
  resetUrl = `http://127.0.0.1:${(resetServer.address() as net.AddressInfo).port}`;
  // A port nobody listens on: bind, note, close.
  refusedUrl = `http://127.0.0.1:${await refusedPort()}`;
});
beforeEach(async () => {
  await sb.reset();
});
after(async () => {
  await sb?.close();
  resetServer?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const o of outputs) {
    assert.ok(!o.includes(SECRET), 'the sandbox secret in CLI output');
    assert.ok(!o.includes('wrong-secret-exit-codes'), 'the wrong secret in CLI output');
  }
});

describe('exit codes: plan', () => {
  it('0 when every label can be provisioned', async () => {
    const r = await run(['plan', planned, ...at(sb.url)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 to create, 0 to start, 1 unchanged, 0 conflict\(s\), 0 blocked/);
  });

  it('1 on a conflict', async () => {
    const r = await run(['plan', conflicting, ...at(sb.url)]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\[conflict\]/);
  });

  const faults: [string, () => Promise<{ endpoint: string; env?: Record<string, string> }>][] = [
    ['a wrong secret', async () => ({ endpoint: sb.url, env: credsEnv('wrong-secret-exit-codes') })],
    ['503', async () => (sb.injectFault({ kind: 'server-error-json', status: 503, times: -1 }), { endpoint: sb.url })],
    ['an HTML error page', async () => (sb.injectFault({ kind: 'server-error-html', times: -1 }), { endpoint: sb.url })],
    ['a hanging API', async () => (sb.injectFault({ kind: 'hang', times: -1 }), { endpoint: sb.url })],
    ['a reset connection', async () => ({ endpoint: resetUrl })],
    ['a refused connection', async () => ({ endpoint: refusedUrl })],
  ];
  for (const [name, arm] of faults) {
    it(`1 when every label is blocked by ${name}, in text and json, within a bounded time`, async () => {
      const { endpoint, env } = await arm();
      for (const format of ['text', 'json']) {
        const r = await run(['plan', planned, '--format', format, ...at(endpoint)], env);
        assert.equal(r.code, 1, `${name} (${format}): ${r.stdout}${r.stderr}`);
        assert.ok(r.ms < 40_000, `${name} took ${r.ms} ms`);
        assert.ok(r.stdout.length + r.stderr.length > 0);
      }
      sb.clearFaults();
    });
  }

  it('2 on bad usage, an unreadable file, no credentials', async () => {
    for (const [args, env] of [
      [['plan', planned, '--bogus'], credsEnv()],
      [['plan', path.join(dir, 'missing.yml'), ...at(sb.url)], credsEnv()],
      [['plan', dir, ...at(sb.url)], credsEnv()],
      [['plan', planned, ...at(sb.url)], baseEnv()],
    ] as const) {
      const r = await run([...args], { ...env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});

describe('exit codes: provision', () => {
  it('0 when applied, 1 when a label stays blocked, 2 without confirmation', async () => {
    const unconfirmed = await run(['provision', planned, ...at(sb.url)]);
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
    const conflict = await run(['provision', conflicting, '--yes', ...at(sb.url)]);
    assert.equal(conflict.code, 1, conflict.stdout + conflict.stderr);
    sb.injectFault({ kind: 'server-error-json', status: 503, times: -1 });
    const down = await run(['provision', planned, '--yes', ...at(sb.url)]);
    assert.equal(down.code, 1, down.stdout + down.stderr);
    sb.clearFaults();
    const ok = await run(['provision', planned, '--yes', ...at(sb.url)]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });
});

describe('exit codes: reach', () => {
  it('1 when the API is down or the SLB is missing, 0 with nothing to check, 2 on bad usage', async () => {
    sb.injectFault({ kind: 'server-error-json', status: 503, times: -1 });
    const down = await run(['reach', planned, ...at(sb.url)]);
    assert.equal(down.code, 1, down.stdout + down.stderr);
    sb.clearFaults();
    const refused = await run(['reach', planned, ...at(refusedUrl)]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    const none = path.join(dir, 'none.yml');
    fs.writeFileSync(none, 'services:\n  web:\n    image: nginx\n');
    const nothing = await run(['reach', none, ...at(sb.url)]);
    assert.equal(nothing.code, 0, nothing.stdout + nothing.stderr);
    const bad = await run(['reach', planned, '--concurrency', '999', ...at(sb.url)]);
    assert.equal(bad.code, 2);
  });
});

describe('exit codes: lint', () => {
  it('0 clean or warnings only, 1 errors, 2 unreadable input or bad usage', async () => {
    const fixtures = path.join(REPO_ROOT, 'test/fixtures/cli');
    assert.equal((await run(['lint', path.join(fixtures, 'valid.yml')])).code, 0);
    assert.equal((await run(['lint', path.join(fixtures, 'warnings.yml')])).code, 0);
    assert.equal((await run(['lint', path.join(fixtures, 'errors.yml')])).code, 1);
    assert.equal((await run(['lint', path.join(dir, 'missing.yml')])).code, 2);
    assert.equal((await run(['lint', '--format', 'xml', planned])).code, 2);
  });
});

describe('exit codes: sandbox', () => {
  it('2 on bad usage, 1 when it cannot start', async () => {
    assert.equal((await run(['sandbox', '--port', 'x'])).code, 2);
    assert.equal((await run(['sandbox', '--host', '0.0.0.0', '--port', '0'])).code, 1);
  });
});
