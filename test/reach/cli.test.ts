// `slb-labels reach` end to end: the bundled CLI (dist/cli/slb-labels.js) as a child process,
// credentials from the environment, --endpoint pointing at the in-process sandbox.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { Backend, clientFor, createListener, freePort, KEY_ID, redisBackend, REDIS_APP_ID, SECRET } from './helpers';
import { runCli } from '../helpers/cli';

const ADDRESS = '127.0.22.2';

let sb: SandboxHandle;
let dir: string;
let redis: Backend;
let front: number;
let reachableFile: string;
let mixedFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = credsEnv()): Promise<Run> {
  return runCli(args, { env, timeoutMs: 20_000 });
}

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', LANG: 'C' };
}
function credsEnv(): Record<string, string> {
  return { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET };
}
const common = () => ['--region', 'cn-hangzhou', '--endpoint', sb.url, '--timeout', '1500'];

before(async () => {
  sb = await startSandbox({ port: 0, addressBase: ADDRESS, healthCheckIntervalMs: 30 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-reach-cli-'));
  redis = await redisBackend();
  front = await freePort(ADDRESS);
  await createListener(clientFor(sb), REDIS_APP_ID, 'tcp', front, redis.port);
  await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000, 'tcp');
  const redisService = `  redis:
    image: redis:7-alpine
    ports:
      - "${redis.port}:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:${front}
`;
  reachableFile = path.join(dir, 'reachable.yml');
  fs.writeFileSync(reachableFile, `services:\n${redisService}`);
  mixedFile = path.join(dir, 'mixed.yml');
  fs.writeFileSync(mixedFile, `services:\n${redisService}  web:
    image: nginx
    ports:
      - "8080:8080"
    labels:
      aliyun.lb.port_8080: http://slb_web_missing:8080
`);
});

after(async () => {
  await redis.close();
  await sb.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('slb-labels reach', () => {
  it('JSON: the Redis example is reachable (exit 0), with steps, latency and the app probe', async () => {
    const r = await run(['reach', reachableFile, '--format', 'json', ...common()]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const list = JSON.parse(r.stdout);
    assert.equal(list.length, 1);
    const x = list[0];
    assert.equal(x.label, 'aliyun.lb.port_6379');
    assert.equal(x.service, 'redis');
    assert.equal(x.slb, 'slb_redis_app');
    assert.equal(x.frontPort, front);
    assert.equal(x.protocol, 'tcp');
    assert.equal(x.reachable, true);
    assert.equal(x.blocker, null);
    assert.equal(typeof x.latencyMs, 'number');
    assert.deepEqual(x.steps.map((s: { name: string }) => s.name), ['label', 'slb', 'address', 'listener', 'health', 'connect', 'app']);
    for (const s of x.steps) assert.deepEqual(Object.keys(s).sort(), ['detail', 'name', 'ok']);
    assert.match(x.steps[6].detail, /\+PONG/);
    assert.equal(r.stderr, '');
  });

  it('JSON with a blocked label: exit 1, blocker code per label', async () => {
    const r = await run(['reach', mixedFile, '--format', 'json', ...common()]);
    assert.equal(r.code, 1, r.stderr);
    const list = JSON.parse(r.stdout);
    assert.deepEqual(list.map((x: { reachable: boolean; blocker: string | null }) => [x.reachable, x.blocker]), [[true, null], [false, 'SLB_NOT_FOUND']]);
  });

  it('text: a checklist per label, the fix, a summary line', async () => {
    const r = await run(['reach', mixedFile, ...common()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Checking 2 label\(s\) of .*mixed\.yml: AccessKey SAND\*\*\*\*0001 from environment variables, region cn-hangzhou; probe timeout 1500 ms\./);
    assert.match(r.stdout, /\[✓\] aliyun\.lb\.port_6379 {2}tcp:\/\/slb_redis_app:\d+ {2}\(service redis\) — reachable, [0-9.]+ ms/);
    assert.match(r.stdout, /✓ application +Redis answered \+PONG to PING/);
    assert.match(r.stdout, /\[✗\] aliyun\.lb\.port_8080 {2}http:\/\/slb_web_missing:8080 {2}\(service web\) — blocked: SLB not found/);
    assert.match(r.stdout, /→ fix: Check the name/);
    assert.match(r.stdout, /1 of 2 label\(s\) blocked, 1 reachable\.\n$/);
  });

  it('zh-cn report with --locale', async () => {
    const r = await run(['reach', reachableFile, '--locale', 'zh-cn', ...common()]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /可达/);
    assert.match(r.stdout, /全部 1 个标签可达。/);
  });

  it('usage errors exit 2: no file, two files, bad --format, bad --timeout, unknown option, missing file', async () => {
    for (const args of [['reach'], ['reach', reachableFile, mixedFile], ['reach', reachableFile, '--format', 'xml'], ['reach', reachableFile, '--timeout', 'soon'], ['reach', reachableFile, '--bogus'], ['reach', path.join(dir, 'nope.yml')]]) {
      const r = await run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.length > 0);
    }
  });

  it('refuses a secret on the command line (exit 2) and never echoes it', async () => {
    const r = await run(['reach', reachableFile, '--access-key-secret', 'argv-secret-value-123', ...common()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--access-key-secret is not accepted: secrets on the command line leak/);
    assert.ok(!(r.stdout + r.stderr).includes('argv-secret-value-123'));
  });

  it('no credentials: exit 2 with a message', async () => {
    const r = await run(['reach', reachableFile, ...common()], baseEnv());
    assert.equal(r.code, 2);
    assert.ok(r.stderr.length > 0);
  });

  it('the AccessKey secret never appears in any output', async () => {
    const outputs: string[] = [];
    for (const args of [['reach', mixedFile, '--format', 'json', ...common()], ['reach', mixedFile, ...common()]]) {
      const r = await run(args);
      outputs.push(r.stdout, r.stderr);
    }
    const wrong = await run(['reach', reachableFile, ...common()], { ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-zz9' });
    assert.equal(wrong.code, 1);
    // Words in the text output (the code stays in --format json).
    assert.match(wrong.stdout, /blocked: the SLB API call failed/);
    outputs.push(wrong.stdout, wrong.stderr);
    const all = outputs.join('\n');
    assert.ok(!all.includes(SECRET));
    assert.ok(!all.includes('wrong-secret-zz9'));
  });
});
