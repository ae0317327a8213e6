// A create that outlives the read timeout (issue 9, defect 4): the live state is read again before
// anything is reported. Before, the run said "Nothing was created for this label" while the
// listener appeared (stopped) a moment later and the next plan showed `start` for it.
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { applyPlan, planListeners } from '../../server/src/engine/provision';
import { FOUR_PROTOCOLS, REDIS_ID, requestsSince, targetsOf } from './helpers';
import { runCli } from '../helpers/cli';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
});
after(async () => {
  await sb?.close();
});
beforeEach(async () => {
  await sb.reset();
});

/** Read timeout 1 s: the injected delays outlive it. */
function impatientClient(): SlbClient {
  return new SlbClient({
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    regionId: 'cn-hangzhou', endpoint: sb.url, connectTimeoutMs: 2000, readTimeoutMs: 1000, retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });
}

const TCP_7000 = { labelKeys: ['aliyun.lb.port_7000'] };

function tcp7000() {
  return sb.state().loadBalancers.find((l) => l.LoadBalancerId === REDIS_ID)!.Listeners.find((l) => l.ListenerPort === 7000);
}

test('the create times out, the API creates the listener a moment later: found by the re-read, started, reported as created', async () => {
  const client = impatientClient();
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, TCP_7000), client);
  // The API takes 2.5 s before it creates (the client gave up after 1 s).
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow', delayMs: 2500 });
  const result = await applyPlan(plan, client);
  const line = result.lines[0];
  assert.deepEqual(line.steps.map((s) => `${s.step}:${s.status}`), ['create:failed', 'verify:ok', 'start:ok'], JSON.stringify(line.steps, null, 1));
  assert.equal(line.steps[0].error?.code, 'Timeout.Read');
  assert.match(line.steps[1].message, /the create failed \(Connected to the SLB endpoint .* did not answer within 1 s.*\), but the TCP 7000 → 7001 listener exists now \(stopped\)/);
  assert.equal(line.outcome, 'created');
  assert.equal(line.ok, true);
  assert.doesNotMatch(line.message, /Nothing was created/);
  assert.equal(tcp7000()?.Status, 'running');
  assert.equal(requestsSince(sb, 0, 'CreateLoadBalancerTCPListener').length, 1, 'created once, not again');
});

test('the create is done but its answer is late: the first re-read finds it', async () => {
  const client = impatientClient();
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, TCP_7000), client);
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow-response', delayMs: 2000 });
  const result = await applyPlan(plan, client, { verifyDelaysMs: [0] });
  const line = result.lines[0];
  assert.equal(line.outcome, 'created', line.message);
  assert.match(line.steps[1].message, /exists now \(stopped\)/);
  assert.equal(tcp7000()?.Status, 'running');
});

test('the create hangs and the listener never appears: the report says it is not known yet, not "nothing was created"', async () => {
  const client = impatientClient();
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, TCP_7000), client);
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'hang' });
  const result = await applyPlan(plan, client, { verifyDelaysMs: [0, 300] });
  const line = result.lines[0];
  assert.equal(line.outcome, 'failed');
  assert.equal(line.ok, false);
  assert.match(line.message, /The create of the TCP 7000 → 7001 listener failed \(.*did not answer within 1 s.*\), and it did not exist when checked \d+ s later; the API may still be creating it\. Run plan again in a minute: it shows what exists\./);
  assert.doesNotMatch(line.message, /Nothing was created/);
  assert.equal(requestsSince(sb, 0, 'DescribeLoadBalancerListeners').length, 1 + 1 + 2, 'plan, apply, two re-reads');
});

test('the real CLI (read timeout 1 s) reports the listener the slow create made, and exits 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-create-timeout-'));
  const file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, 'services:\n  app:\n    image: example/app\n    ports:\n      - "7001:7000"\n    labels:\n      aliyun.lb.port_7000: tcp://slb_redis_app:7000\n');
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow', delayMs: 2500 });
  const run = await runCli(['provision', file, '--yes', '--timeout', '1000', '--region', 'cn-hangzhou', '--endpoint', sb.url], { env: { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET }, timeoutMs: 60_000 });
  const r = { code: run.code, out: run.stdout, err: run.stderr };
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.err, /create \[CreateLoadBalancerTCPListener\] failed: .*did not answer within 1 s/);
  assert.match(r.err, /verify \[DescribeLoadBalancerListeners\] ok: .*listener exists now \(stopped\)/);
  assert.match(r.out, /\[created\] aliyun\.lb\.port_7000 .*Created and started/);
  assert.doesNotMatch(r.out + r.err, /Nothing was created/);
  assert.ok(!(r.out + r.err).includes(DEFAULT_ACCESS_KEY_SECRET));
  assert.equal(tcp7000()?.Status, 'running');
});

test('a Start whose answer is late: the re-read sees the listener running and the line is reported as started, not failed', async () => {
  const client = impatientClient();
  // slb_redis_app's http 8080 listener is seeded stopped.
  const text = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:8080"\n    labels:\n      aliyun.lb.port_8080: http://slb_redis_app:8080\n';
  const plan = await planListeners(targetsOf(text), client);
  assert.deepEqual(plan.lines.map((l) => l.action), ['start']);
  sb.injectFault({ action: 'StartLoadBalancerListener', kind: 'slow-response', delayMs: 2000 });
  const result = await applyPlan(plan, client, { verifyDelaysMs: [0] });
  const line = result.lines[0];
  assert.deepEqual(line.steps.map((s) => `${s.step}:${s.status}`), ['start:failed', 'verify:ok']);
  assert.match(line.steps[1].message, /Checked: the start failed \(.*did not answer within 1 s.*\), but the HTTP 8080 → 8080 listener is running now\./);
  assert.equal(line.outcome, 'started');
  assert.equal(line.ok, true);
});
