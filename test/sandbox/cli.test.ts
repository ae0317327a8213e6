// `slb-labels sandbox` (runSandboxCli): ready line, flags, refusals, secret hygiene, SIGTERM/SIGINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSandboxCli, parseSandboxArgs, SandboxHandle, DEFAULT_ACCESS_KEY_SECRET } from '../../sandbox/src/index';

const READY = /^SLB sandbox listening on http:\/\/127\.0\.0\.1:(\d+)$/;

async function runInProcess(argv: string[], whileRunning?: (h: SandboxHandle) => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: () => void;
  const stopSignal = new Promise<void>((r) => (stop = r));
  const code = await runSandboxCli(argv, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    stopSignal,
    onReady: (h) => {
      void (whileRunning ? whileRunning(h) : Promise.resolve()).finally(stop);
    },
  });
  return { code, out, err };
}

test('prints the ready line, serves, stops on request; the secret never appears in any output', async () => {
  const secret = 'cli-test-secret-value-42';
  let stateUrl = '';
  const r = await runInProcess(['sandbox', '--port', '0', '--no-data-plane', '--access-key-id', 'CLIKEYID', '--access-key-secret', secret], async (h) => {
    stateUrl = `${h.url}/__sandbox/state`;
    const state = (await (await fetch(stateUrl)).json()) as { accessKeyId: string };
    assert.equal(state.accessKeyId, 'CLIKEYID');
  });
  assert.equal(r.code, 0);
  assert.match(r.out[0], READY);
  assert.ok(stateUrl.startsWith(r.out[0].replace('SLB sandbox listening on ', '')));
  const all = [...r.out, ...r.err].join('\n');
  assert.ok(!all.includes(secret));
  assert.ok(!all.includes(DEFAULT_ACCESS_KEY_SECRET));
  assert.match(all, /slb_redis_app/);
  assert.match(all, /SLB sandbox stopped/);
  await assert.rejects(fetch(stateUrl)); // closed
});

test('refuses a non-loopback host, bad flags and half a key pair', async () => {
  const host = await runInProcess(['--host', '0.0.0.0', '--port', '0']);
  assert.equal(host.code, 1);
  assert.match(host.err.join('\n'), /loopback only/);
  const bad = await runInProcess(['--bogus']);
  assert.equal(bad.code, 2);
  assert.match(bad.err.join('\n'), /Unknown option "--bogus"[\s\S]*Usage: slb-labels sandbox/);
  const half = await runInProcess(['--access-key-id', 'X']);
  assert.equal(half.code, 2);
  assert.match(half.err.join('\n'), /both --access-key-id and --access-key-secret/);
  const port = await runInProcess(['--port', 'eighty']);
  assert.equal(port.code, 2);
  const help = await runInProcess(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out.join('\n'), /--access-key-secret/);
  assert.deepEqual(parseSandboxArgs(['--port=0', '--host=127.0.0.1']).port, 0);
});

test('--seed loads a seed file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'slb-sandbox-seed-'));
  try {
    const file = path.join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ regions: [{ RegionId: 'cn-qingdao', LocalName: '华北1（青岛）' }], loadBalancers: [{ LoadBalancerId: 'lb-m5efile000000000000', LoadBalancerName: 'from_file', RegionId: 'cn-qingdao' }] }));
    const r = await runInProcess(['--port', '0', '--no-data-plane', '--seed', file], async (h) => {
      assert.deepEqual(h.state().loadBalancers.map((x) => x.LoadBalancerName), ['from_file']);
    });
    assert.equal(r.code, 0);
    const missing = await runInProcess(['--port', '0', '--seed', path.join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err.join('\n'), /Cannot read the seed file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`a real process stops cleanly on ${signal}`, async () => {
    const entry = path.join(__dirname, '../../sandbox/src/index.js');
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)}).runSandboxCli(process.argv.slice(1)).then((c) => process.exit(c))`, '--', '--port', '0', '--address-base', '127.0.79.2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${stderr}`)), 10_000);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`exited with ${code} before the ready line; stderr: ${stderr}`));
        });
        child.stdout.on('data', (d) => {
          stdout += d;
          const m = /SLB sandbox listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      assert.match(stdout.split('\n')[0], READY);
      assert.equal((await fetch(`${url}/__sandbox/state`)).status, 200);
      child.kill(signal);
      assert.equal(await exited, 0);
      assert.match(stderr, /SLB sandbox stopped/);
      assert.ok(!(stdout + stderr).includes(DEFAULT_ACCESS_KEY_SECRET));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
}
