// Provisioning runs of different processes (the CLI and the editor, two terminals) on one SLB queue
// on a lock file per SLB instead of racing (issue 9). Two real CLI processes against the sandbox,
// a stale lock left by a dead process, and the bounded wait with its message.
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { applyPlan, defaultLockDir, lockFileOf, planListeners, slbLockKey } from '../../server/src/engine/provision';
import { clientFor, FOUR_PROTOCOLS, REDIS_ID, requestsSince, targetsOf } from './helpers';
import { runCli } from '../helpers/cli';

let sb: SandboxHandle;
let home: string;
let file: string;

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-lock-'));
  file = path.join(home, 'docker-compose.yml');
  fs.writeFileSync(file, 'services:\n  app:\n    image: example/app\n    ports:\n      - "7001:7000"\n    labels:\n      aliyun.lb.port_7000: tcp://slb_redis_app:7000\n');
});
beforeEach(async () => {
  await sb.reset();
});
after(async () => {
  await sb?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function provision(): Promise<{ code: number | null; out: string; err: string }> {
  // Same HOME for both: the lock files live in $HOME/.cache/slb-labels/locks.
  const env = { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
  const run = await runCli(['provision', file, '--yes', '--region', 'cn-hangzhou', '--endpoint', sb.url], { env, timeoutMs: 150_000 });
  return { code: run.code, out: run.stdout, err: run.stderr };
}

test('two CLI processes provisioning the same label at once: one creates, the other waits and finds it; one Create call', async () => {
  // The create takes 2 s: both processes are inside their apply at the same time.
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow', delayMs: 2000 });
  const [a, b] = await Promise.all([provision(), provision()]);
  assert.equal(a.code, 0, a.out + a.err);
  assert.equal(b.code, 0, b.out + b.err);
  const outcomes = [a, b].map((r) => /\[(created|unchanged)\] aliyun\.lb\.port_7000/.exec(r.out)?.[1]).sort();
  assert.deepEqual(outcomes, ['created', 'unchanged'], a.out + b.out);
  const waiter = [a, b].find((r) => /\[unchanged\]/.test(r.out))!;
  assert.match(waiter.err, /Waiting for another provisioning run on SLB 'slb_redis_app' to finish/);
  assert.equal(requestsSince(sb, 0, 'CreateLoadBalancerTCPListener').length, 1, 'one Create, no race');
  assert.ok(sb.state().requests.every((r) => r.code !== 'ListenerAlreadyExists'));
  // The lock file is released (removed) after both runs.
  const dir = path.join(home, '.cache', 'slb-labels', 'locks');
  assert.ok(fs.existsSync(dir), 'lock folder in the cache folder');
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a lock left behind by a dead process is taken over once stale', async () => {
  const dir = defaultLockDir({ HOME: home, SLB_LABELS_CACHE_DIR: path.join(home, 'cache-stale') })!;
  const client = clientFor(sb);
  const lockFile = lockFileOf(dir, slbLockKey(client, REDIS_ID));
  fs.mkdirSync(lockFile, { recursive: true }); // proper-lockfile's lock is a folder
  const old = new Date(Date.now() - 10_000);
  fs.utimesSync(lockFile, old, old);
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000'] }), client);
  const t0 = Date.now();
  const result = await applyPlan(plan, client, { fileLock: { dir, staleMs: 3_000, maxWaitMs: 5_000 } });
  assert.equal(result.lines[0].outcome, 'created', result.lines[0].message);
  assert.ok(Date.now() - t0 < 3_000, 'taken over at once (older than stale)');
  assert.equal(fs.existsSync(lockFile), false);
});

test('a lock held by a live process: the wait is bounded and says what to do; nothing is changed', async () => {
  const dir = path.join(home, 'cache-held');
  fs.mkdirSync(dir, { recursive: true });
  const client = clientFor(sb);
  const lockFile = lockFileOf(dir, slbLockKey(client, REDIS_ID));
  const release = await lockfile.lock(lockFile, { realpath: false, lockfilePath: lockFile, stale: 5_000 });
  try {
    const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000'] }), client);
    const waits: string[] = [];
    const t0 = Date.now();
    const result = await applyPlan(plan, client, { fileLock: { dir, maxWaitMs: 800, pollMs: 100 }, onStep: (e) => e.type === 'wait' && waits.push(e.message) });
    const ms = Date.now() - t0;
    assert.ok(ms >= 700 && ms < 3_000, `waited ${ms} ms`);
    assert.equal(waits.length, 1);
    const line = result.lines[0];
    assert.equal(line.outcome, 'failed');
    assert.match(line.message, /Another provisioning run \(another slb-labels process or the editor\) has been working on SLB 'slb_redis_app' for more than 1 s: nothing was changed for its labels\. Run Provision again when it is done\./);
    assert.deepEqual(requestsSince(sb, 0, 'Create'), []);
  } finally {
    await release();
  }
});
