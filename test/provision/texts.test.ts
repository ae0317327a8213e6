// The texts of a plan and of an apply result that the LSP commands send to editors (engine
// provision/format.ts): plan lines, the confirmation modal, the outcome notification and output
// lines. Rendered by the server only; the VS Code client shows them (moved from the client's copy).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setLocale } from '../../server/src/engine/i18n';
import { planLineText, planTexts, provisionOutcome } from '../../server/src/engine/provision';
import type { ApplyResult, LineResult, Plan } from '../../server/src/engine/provision';

after(() => setLocale('en'));

const plan: Plan = {
  region: 'cn-hangzhou',
  readAt: 0,
  summary: { create: 2, unchanged: 1, start: 1, conflict: 1, blocked: 1 },
  lines: [
    { id: 'redis|aliyun.lb.port_6379|tcp://slb_redis_app:6379', label: 'aliyun.lb.port_6379', service: 'redis', slb: 'slb_redis_app', frontPort: 6379, protocol: 'tcp', backendPort: 6379, action: 'unchanged', reason: 'A running TCP listener on front port 6379 already forwards to backend port 6379.' },
    { id: 'app|aliyun.lb.port_7000|tcp://slb_redis_app:7000', label: 'aliyun.lb.port_7000', service: 'app', slb: 'slb_redis_app', frontPort: 7000, protocol: 'tcp', backendPort: 7001, action: 'create', reason: 'Create a TCP listener on front port 7000 forwarding to backend port 7001.' },
    { id: 'web|aliyun.lb.port_443|https://slb_web:443', label: 'aliyun.lb.port_443', service: 'web', slb: 'slb_web', frontPort: 443, protocol: 'https', backendPort: 8443, action: 'create', reason: 'Create an HTTPS listener on front port 443.', needsCertificate: true },
    { id: 'web|aliyun.lb.port_80|http://slb_web:80', label: 'aliyun.lb.port_80', service: 'web', slb: 'slb_web', frontPort: 80, protocol: 'http', backendPort: 8080, action: 'start', reason: 'The HTTP listener on front port 80 is stopped: it will be started.' },
    { id: 'api|aliyun.lb.port_9000|tcp://slb_web:9000', label: 'aliyun.lb.port_9000', service: 'api', slb: 'slb_web', frontPort: 9000, protocol: 'tcp', backendPort: 9001, action: 'conflict', reason: 'Front port 9000 has a UDP listener; the label wants TCP.' },
    { id: 'api|aliyun.lb.port_9100|', label: 'aliyun.lb.port_9100', service: 'api', slb: '', action: 'blocked', blockedCode: 'LABEL_UNRESOLVED', reason: 'The label uses ${SLB} which has no value.' },
  ],
};

test('plan lines: action, label, binding, backend port, reason (blocked with its code)', () => {
  assert.equal(planLineText(plan.lines[1]), '[create] aliyun.lb.port_7000 (app) tcp://slb_redis_app:7000 → backend 7001: Create a TCP listener on front port 7000 forwarding to backend port 7001.');
  assert.equal(planLineText(plan.lines[5]), '[blocked] aliyun.lb.port_9100 (api): The label uses ${SLB} which has no value. (LABEL_UNRESOLVED)');
  const texts = planTexts(plan);
  assert.equal(texts.lines.length, plan.lines.length);
  assert.match(texts.lines[0], /^\[unchanged\] aliyun\.lb\.port_6379 \(redis\)/);
  assert.equal(texts.summary, 'Plan for region cn-hangzhou: 2 to create, 1 to start, 1 unchanged, 1 conflict(s), 1 blocked.');
});

test('modal: message, changes first then the rest, the summary without zero counts, "… more" past the limit', () => {
  const { modal } = planTexts(plan);
  assert.equal(modal.message, 'Provision SLB listeners in region cn-hangzhou? This changes cloud resources and may cost money.');
  assert.deepEqual(modal.lines.map((l) => /^\[(\w+)\]/.exec(l.text)?.[1]), ['create', 'create', 'start', 'conflict', 'blocked', 'unchanged']);
  assert.equal(modal.lines[1].id, plan.lines[2].id);
  assert.equal(modal.more, undefined);
  assert.equal(modal.summary, '2 listeners will be created in cn-hangzhou. 1 stopped listener will be started. 1 label is already up to date. 2 labels are in conflict or blocked and are left as they are.');
  const one = planTexts({ ...plan, summary: { create: 1, start: 0, unchanged: 0, conflict: 0, blocked: 0 } });
  assert.equal(one.modal.summary, '1 listener will be created in cn-hangzhou.');
  const short = planTexts(plan, 2);
  assert.equal(short.modal.lines.length, 2);
  assert.equal(short.modal.more, '… and 4 more (see the output channel)');
});

function line(partial: Partial<LineResult> & Pick<LineResult, 'label' | 'service' | 'outcome'>): LineResult {
  const ok = ['created', 'started', 'unchanged'].includes(partial.outcome);
  return { id: partial.label, slb: 'slb_web', protocol: 'tcp', frontPort: 80, action: 'create', created: partial.outcome === 'created', started: partial.outcome === 'created' || partial.outcome === 'started', ok, message: `${partial.outcome} message`, steps: [], ...partial };
}
function result(lines: LineResult[]): ApplyResult {
  const summary = { created: 0, started: 0, unchanged: 0, conflict: 0, blocked: 0, failed: 0, cancelled: 0 };
  for (const l of lines) summary[l.outcome]++;
  return { ok: lines.every((l) => l.ok), lines, summary };
}

test('provision outcome: all provisioned', () => {
  const o = provisionOutcome(result([line({ label: 'aliyun.lb.port_7000', service: 'app', outcome: 'created' }), line({ label: 'aliyun.lb.port_6379', service: 'redis', outcome: 'unchanged' })]));
  assert.equal(o.severity, 'info');
  assert.equal(o.message, 'SLB listeners provisioned: aliyun.lb.port_7000 (app) created, aliyun.lb.port_6379 (redis) unchanged.');
  assert.equal(o.runAgain, false);
  assert.equal(o.outputLines.at(-1), '  1 created, 0 started, 1 unchanged, 0 conflict(s), 0 blocked, 0 failed.');
});

test('provision outcome: half-way failure says what was created and what was not, and offers Run again', () => {
  const failed = line({
    label: 'aliyun.lb.port_443', service: 'web', outcome: 'failed', created: true, started: false, ok: false,
    steps: [
      { step: 'create', apiAction: 'CreateLoadBalancerHTTPSListener', status: 'ok', message: 'created' },
      { step: 'start', apiAction: 'StartLoadBalancerListener', status: 'failed', message: 'Internal error', error: { code: 'InternalError', message: 'Internal error', requestId: 'REQ-1' } },
    ],
  });
  const o = provisionOutcome(result([line({ label: 'aliyun.lb.port_7000', service: 'app', outcome: 'created' }), failed]));
  assert.equal(o.severity, 'warning');
  assert.equal(o.partial, true);
  assert.equal(o.runAgain, true);
  assert.equal(o.message, 'Partly provisioned. Created or started: aliyun.lb.port_7000 (app) created, aliyun.lb.port_443 (web) failed. Not provisioned: aliyun.lb.port_443 (web) failed. Run again to finish the rest.');
  assert.ok(o.outputLines.includes('      start [StartLoadBalancerListener] failed: Internal error (RequestId REQ-1)'));
  assert.ok(o.outputLines.includes('  [failed] aliyun.lb.port_443 (web) tcp://slb_web:80: failed message'));
});

test('provision outcome: a listener created but not started is never reported as "Nothing was created"', () => {
  const failed = line({ label: 'aliyun.lb.port_443', service: 'web', outcome: 'failed', created: true, started: false, ok: false });
  const o = provisionOutcome(result([failed]));
  assert.equal(o.severity, 'warning');
  assert.equal(o.partial, true);
  assert.equal(o.runAgain, true);
  assert.doesNotMatch(o.message, /Nothing was created/);
  assert.match(o.message, /A listener was created but not started/);
});

test('provision outcome: nothing provisioned (conflict) is an error without Run again', () => {
  const o = provisionOutcome(result([line({ label: 'aliyun.lb.port_9000', service: 'api', outcome: 'conflict' })]));
  assert.equal(o.severity, 'error');
  assert.equal(o.runAgain, false);
  assert.equal(o.message, 'No SLB listener was provisioned: aliyun.lb.port_9000 (api) conflict. Nothing was created.');
  const many = provisionOutcome(result(['1', '2', '3', '4', '5', '6'].map((n) => line({ label: `aliyun.lb.port_${n}`, service: 's', outcome: 'unchanged' }))));
  assert.match(many.message, /aliyun\.lb\.port_4 \(s\) unchanged, 2 more\.$/);
});

test('every word follows the locale (zh-cn)', () => {
  setLocale('zh-cn');
  try {
    const texts = planTexts(plan);
    assert.match(texts.lines[1], /^\[[^\]a-z]+\] aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000 → [^\x00-\x7f]/, texts.lines[1]);
    for (const s of [texts.summary, texts.modal.message, texts.modal.summary]) assert.match(s, /[\u4e00-\u9fff]/, s);
    const o = provisionOutcome(result([line({ label: 'aliyun.lb.port_9000', service: 'api', outcome: 'conflict' })]));
    assert.match(o.message, /[\u4e00-\u9fff]/, o.message);
  } finally {
    setLocale('en');
  }
});
