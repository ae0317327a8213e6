// planListeners/applyPlan against the local SLB sandbox (API only: dataPlane off).
import { test, before, after, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { applyPlan, planListeners, ProvisionEvent, formatPlanText, withSlbLock } from '../../server/src/engine/provision';
import { CERT_ID, clientFor, FOUR_PROTOCOLS, LOCKED_ID, REDIS_ID, requestsSince, SECRET, targetsOf } from './helpers';

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

test('plan reads the live state: one line per label with create/unchanged details', async () => {
  const client = clientFor(sb);
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS), client);
  const by = Object.fromEntries(plan.lines.map((l) => [l.label, l]));
  assert.equal(plan.lines.length, 5);
  assert.equal(by['aliyun.lb.port_6379'].action, 'unchanged');
  assert.equal(by['aliyun.lb.port_6379'].existing?.status, 'running');
  for (const [key, proto, back] of [['aliyun.lb.port_7000', 'tcp', 7001], ['aliyun.lb.port_53', 'udp', 5353], ['aliyun.lb.port_80', 'http', 8088], ['aliyun.lb.port_443', 'https', 8443]] as const) {
    const l = by[key];
    assert.equal(l.action, 'create', key);
    assert.equal(l.protocol, proto);
    assert.equal(l.backendPort, back);
    assert.equal(l.slbId, REDIS_ID);
    assert.equal(l.listener?.backendPort, back);
    assert.equal(l.listener?.bandwidth, -1);
    assert.equal(l.listener?.healthCheck.enabled, true);
    assert.match(l.reason, new RegExp(`backend port ${back}`));
  }
  assert.equal(by['aliyun.lb.port_443'].needsCertificate, true);
  assert.ok(plan.certificates?.some((c) => c.id === CERT_ID), 'certificates listed for the https line');
  assert.deepEqual(plan.summary, { create: 4, unchanged: 1, start: 0, conflict: 0, blocked: 0 });
  // Plan changes nothing.
  assert.equal(requestsSince(sb, 0, 'Create').length + requestsSince(sb, 0, 'Start').length, 0);
  assert.match(formatPlanText(plan), /\[create\] aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000/);
});

test('apply creates TCP, UDP, HTTP and HTTPS listeners that run with the right backend port; a second run changes nothing', async () => {
  const client = clientFor(sb);
  const events: ProvisionEvent[] = [];
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS), client);
  const result = await applyPlan(plan, client, { onStep: (e) => events.push(e), certificateFor: () => CERT_ID });
  assert.equal(result.ok, true, JSON.stringify(result, null, 1));
  assert.deepEqual(result.summary, { created: 4, started: 0, unchanged: 1, conflict: 0, blocked: 0, failed: 0, cancelled: 0 });
  const tcp = await client.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 7000 });
  assert.equal(tcp.Status, 'running');
  assert.equal(tcp.BackendServerPort, 7001);
  assert.equal(tcp.HealthCheck, 'on');
  const udp = await client.describeLoadBalancerUDPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 53 });
  assert.equal(udp.Status, 'running');
  assert.equal(udp.BackendServerPort, 5353);
  const http = await client.describeLoadBalancerHTTPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 80 });
  assert.equal(http.Status, 'running');
  assert.equal(http.BackendServerPort, 8088);
  assert.equal(http.HealthCheck, 'on');
  assert.equal(http.StickySession, 'off');
  const https = await client.describeLoadBalancerHTTPSListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 443 });
  assert.equal(https.Status, 'running');
  assert.equal(https.BackendServerPort, 8443);
  assert.equal(https.ServerCertificateId, CERT_ID);
  // Every step reported: create + start per new listener, started and ok.
  const stepsOk = events.filter((e) => e.type === 'step' && e.status === 'ok').map((e) => e.type === 'step' ? `${e.step}:${e.protocol}` : '');
  assert.deepEqual(stepsOk.sort(), ['create:http', 'create:https', 'create:tcp', 'create:udp', 'start:http', 'start:https', 'start:tcp', 'start:udp']);
  assert.ok(!JSON.stringify(events).includes(SECRET));

  // Again: all unchanged, no Create/Start call.
  const mark = sb.state().requests.length;
  const plan2 = await planListeners(targetsOf(FOUR_PROTOCOLS), client);
  assert.deepEqual(plan2.summary, { create: 0, unchanged: 5, start: 0, conflict: 0, blocked: 0 });
  const result2 = await applyPlan(plan2, client, { certificateFor: () => CERT_ID });
  assert.equal(result2.ok, true);
  assert.equal(result2.summary.unchanged, 5);
  assert.deepEqual(requestsSince(sb, mark, 'Create'), []);
  assert.deepEqual(requestsSince(sb, mark, 'Start'), []);
});

test('stopped listener is started (and said so); conflicts and blocked lines change nothing', async () => {
  const client = clientFor(sb);
  const text = `services:
  web:
    image: nginx
    ports:
      - "8080:8080"
      - "9999:6379"
      - "81:81"
    labels:
      aliyun.lb.port_8080: http://slb_redis_app:8080
  other:
    image: x
    ports:
      - "6380:6379"
      - "8081:8081"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
      aliyun.lb.port_8081: tcp://slb_redis_app:8080
  missing:
    image: x
    ports:
      - "82:82"
      - "86:86"
    labels:
      aliyun.lb.port_82: tcp://slb_does_not_exist:82
      aliyun.lb.port_83: tcp://slb_shared_name:83
      aliyun.lb.port_84: tcp://${LOCKED_ID}:84
      aliyun.lb.port_85: tcp://slb_redis_app:85
      aliyun.lb.port_86: tcp://\${UNSET_VAR}:86
`;
  const plan = await planListeners(targetsOf(text), client);
  const by = (k: string, svc?: string) => plan.lines.find((l) => l.label === k && (!svc || l.service === svc))!;
  assert.equal(by('aliyun.lb.port_8080').action, 'start');
  assert.match(by('aliyun.lb.port_8080').reason, /stopped: it will be started/);
  const conflictBackend = by('aliyun.lb.port_6379', 'other');
  assert.equal(conflictBackend.action, 'conflict');
  assert.match(conflictBackend.reason, /forwards to backend port 6379, but the label wants backend port 6380/);
  const conflictProto = by('aliyun.lb.port_8081');
  assert.equal(conflictProto.action, 'conflict');
  assert.match(conflictProto.reason, /taken by a HTTP listener \(HTTP 8080 → 8080 \(stopped\)\); the label wants TCP → backend port 8081/);
  assert.equal(by('aliyun.lb.port_82').blockedCode, 'SLB_NOT_FOUND');
  assert.equal(by('aliyun.lb.port_83').blockedCode, 'SLB_AMBIGUOUS');
  assert.equal(by('aliyun.lb.port_84').blockedCode, 'SLB_LOCKED');
  assert.equal(by('aliyun.lb.port_85').blockedCode, 'NO_BACKEND_PORT');
  assert.equal(by('aliyun.lb.port_86').blockedCode, 'LABEL_UNRESOLVED');
  for (const l of plan.lines) assert.ok(l.reason.length > 10, `${l.label} has a reason`);

  const mark = sb.state().requests.length;
  const result = await applyPlan(plan, client);
  assert.equal(result.ok, false);
  assert.deepEqual(requestsSince(sb, mark, 'Create'), []);
  assert.deepEqual(requestsSince(sb, mark, 'Start'), ['StartLoadBalancerListener']);
  const started = result.lines.find((l) => l.label === 'aliyun.lb.port_8080')!;
  assert.equal(started.outcome, 'started');
  assert.equal(started.started, true);
  const http = await client.describeLoadBalancerHTTPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 8080 });
  assert.equal(http.Status, 'running');
  assert.equal(result.lines.find((l) => l.label === 'aliyun.lb.port_8081')!.outcome, 'conflict');
});

test('https without a certificate is blocked with a reason; nothing created', async () => {
  const client = clientFor(sb);
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_443'] }), client);
  assert.equal(plan.lines.length, 1);
  const result = await applyPlan(plan, client, {});
  assert.equal(result.lines[0].outcome, 'blocked');
  assert.equal(result.lines[0].blockedCode, 'CERTIFICATE_REQUIRED');
  assert.match(result.lines[0].message, /needs a server certificate/);
  assert.deepEqual(requestsSince(sb, 0, 'Create'), []);
});

test('half-way failure: created but not started is reported exactly; a second run starts it', async () => {
  const client = clientFor(sb);
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000', 'aliyun.lb.port_53'] }), client);
  assert.equal(plan.summary.create, 2);
  sb.injectFault({ action: 'StartLoadBalancerListener', kind: 'server-error-json', times: 1 });
  const events: ProvisionEvent[] = [];
  const result = await applyPlan(plan, client, { onStep: (e) => events.push(e), verifyDelaysMs: [0, 50] });
  assert.equal(result.ok, false);
  const first = result.lines.find((l) => l.label === 'aliyun.lb.port_7000')!;
  assert.equal(first.outcome, 'failed');
  assert.equal(first.created, true);
  assert.equal(first.started, false);
  // A 503 may or may not have started it: looked at, still stopped.
  assert.deepEqual(first.steps.map((s) => `${s.step}:${s.status}`), ['create:ok', 'start:failed', 'verify:ok']);
  assert.equal(first.steps[1].error?.code, 'ServiceUnavailable');
  assert.match(first.steps[2].message, /Checked: the TCP 7000 → 7001 listener is stopped\./);
  assert.match(first.message, /created but could not be started/);
  const second = result.lines.find((l) => l.label === 'aliyun.lb.port_53')!;
  assert.equal(second.outcome, 'created');
  const tcp = await client.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 7000 });
  assert.equal(tcp.Status, 'stopped');

  const plan2 = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000', 'aliyun.lb.port_53'] }), client);
  assert.deepEqual(plan2.lines.map((l) => l.action), ['start', 'unchanged']);
  const mark = sb.state().requests.length;
  const result2 = await applyPlan(plan2, client);
  assert.equal(result2.ok, true);
  assert.equal(result2.lines[0].outcome, 'started');
  assert.deepEqual(requestsSince(sb, mark, 'Create'), []);
  assert.equal((await client.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 7000 })).Status, 'running');
});

test('a create that fails with 5xx is checked (re-read a few times): absent is said so, with the outcome still open', async () => {
  const client = clientFor(sb);
  const plan = await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000'] }), client);
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'server-error-json', times: 1, status: 500 });
  const mark = sb.state().requests.length;
  const result = await applyPlan(plan, client, { verifyDelaysMs: [0, 50, 50] });
  const line = result.lines[0];
  assert.equal(line.outcome, 'failed');
  assert.equal(line.created, false);
  assert.deepEqual(line.steps.map((s) => `${s.step}:${s.status}`), ['create:failed', 'verify:ok']);
  assert.match(line.steps[1].message, /Checked: the listener does not exist \(0 s after the failed create\)/);
  assert.match(line.message, /the API may still be creating it\. Run plan again/);
  // Re-read three times (the listener list of the group, then the three checks).
  assert.equal(requestsSince(sb, mark, 'DescribeLoadBalancerListeners').length, 4);
  // Second run completes.
  const result2 = await applyPlan(await planListeners(targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000'] }), client), client);
  assert.equal(result2.lines[0].outcome, 'created');
});

test('two applies at once on one SLB are serialized: one creates, the other finds it unchanged', async () => {
  const client = clientFor(sb);
  const targets = targetsOf(FOUR_PROTOCOLS, { labelKeys: ['aliyun.lb.port_7000', 'aliyun.lb.port_80'] });
  const [p1, p2] = await Promise.all([planListeners(targets, client), planListeners(targets, clientFor(sb))]);
  assert.equal(p1.summary.create, 2);
  assert.equal(p2.summary.create, 2);
  const waits: ProvisionEvent[] = [];
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow', delayMs: 150 });
  const [r1, r2] = await Promise.all([applyPlan(p1, client), applyPlan(p2, client, { onStep: (e) => e.type === 'wait' && waits.push(e) })]);
  assert.equal(r1.ok && r2.ok, true);
  assert.deepEqual(r1.lines.map((l) => l.outcome), ['created', 'created']);
  assert.deepEqual(r2.lines.map((l) => l.outcome), ['unchanged', 'unchanged']);
  assert.equal(waits.length, 1);
  assert.equal(requestsSince(sb, 0, 'Create').length, 2);
  assert.ok(!requestsSince(sb, 0, '').some((a) => a === 'ListenerAlreadyExists'));
  assert.ok(sb.state().requests.every((r) => r.code !== 'ListenerAlreadyExists'));
});

test('withSlbLock runs holders one at a time in arrival order', async () => {
  const order: string[] = [];
  const run = (name: string, ms: number) => withSlbLock('k', async () => {
    order.push(`${name}+`);
    await new Promise((r) => setTimeout(r, ms));
    order.push(`${name}-`);
  });
  await Promise.all([run('a', 30), run('b', 1), run('c', 1)]);
  assert.deepEqual(order, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
});
