// The texts of the client's cloud commands (client/src/cloudFormat.ts): plan lines, modal, certificate
// picker items, provisioning outcome, reachability verdicts, CodeLens line scanning, verdict store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  certificateItems,
  englishL10n,
  L10n,
  lensVerdict,
  linesNeedingCertificate,
  modalDetail,
  modalMessage,
  modalSummary,
  planHasChanges,
  PlanLike,
  planLineText,
  planOutputLines,
  provisionOutcome,
  ApplyResultLike,
  LineResultLike,
  reachNotification,
  reachOutputLines,
  ReachResultLike,
  reachVerdict,
  scanLbLabelLines,
  VerdictStore,
} from '../../client/src/cloudFormat';

const plan: PlanLike = {
  region: 'cn-hangzhou',
  summary: { create: 2, unchanged: 1, start: 1, conflict: 1, blocked: 1 },
  certificates: [
    { id: '1231579085529123_old', name: 'old-cert', commonName: 'old.example.com', expireTimeStamp: Date.parse('2024-01-01T00:00:00Z') },
    { id: '1231579085529123_web', name: 'web-cert', commonName: 'www.example.com', subjectAlternativeNames: ['www.example.com', 'example.com'], expireTimeStamp: Date.parse('2026-06-30T00:00:00Z') },
    { id: '1231579085529123_api', commonName: 'api.example.com', expireTime: '2027-01-15T00:00:00Z' },
  ],
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
  const out = planOutputLines(plan, 'docker-compose.yml');
  assert.equal(out[0], 'Provisioning plan for docker-compose.yml:');
  assert.equal(out.length, 1 + plan.lines.length + 1);
  assert.match(out[1], /^ {2}\[unchanged\] aliyun\.lb\.port_6379 \(redis\)/);
  assert.equal(out.at(-1), '  Plan for region cn-hangzhou: 2 to create, 1 to start, 1 unchanged, 1 conflict(s), 1 blocked.');
  assert.equal(planHasChanges(plan), true);
  assert.equal(planHasChanges({ ...plan, summary: { create: 0, start: 0, unchanged: 1, conflict: 1, blocked: 0 } }), false);
});

test('modal: changes first, the chosen certificate, the rest, the summary', () => {
  // The region's hyphen does not break (U+2011): no "cn-/hangzhou" in a narrow dialog.
  assert.equal(modalMessage(plan), 'Provision SLB listeners in region cn\u2011hangzhou? This changes cloud resources and may cost money.');
  const detail = modalDetail(plan, { [plan.lines[2].id]: plan.certificates![1] }).split('\n');
  assert.deepEqual(detail.map((l) => /^\[(\w+)\]/.exec(l)?.[1] ?? l), [
    'create', 'create', '    certificate: web-cert (1231579085529123_web)', 'start', 'conflict', 'blocked', 'unchanged',
    '', '2 listeners will be created in cn\u2011hangzhou. 1 stopped listener will be started. 1 label is already up to date. 2 labels are in conflict or blocked and are left as they are.',
  ]);
  // A sentence with what happens, no zero counts.
  assert.equal(modalSummary({ ...plan, summary: { create: 1, start: 0, unchanged: 0, conflict: 0, blocked: 0 } }), '1 listener will be created in cn\u2011hangzhou.');
  const short = modalDetail(plan, {}, englishL10n, 2).split('\n');
  assert.ok(short.includes('… and 4 more (see the output channel)'));
  assert.deepEqual(linesNeedingCertificate(plan).map((l) => l.label), ['aliyun.lb.port_443']);
});

test('certificate items: name, ID, CommonName and other names, expiry; valid first, expired last', () => {
  const now = Date.parse('2025-06-30T00:00:00Z');
  const items = certificateItems(plan.certificates!, now);
  assert.deepEqual(items.map((i) => i.label), ['1231579085529123_api', 'web-cert', 'old-cert']);
  assert.deepEqual(items[1], {
    label: 'web-cert',
    description: '1231579085529123_web',
    detail: 'CN www.example.com · also example.com · expires 2026-06-30 (in 365 days)',
    id: '1231579085529123_web',
    expired: false,
  });
  assert.equal(items[2].expired, true);
  assert.equal(items[2].detail, 'CN old.example.com · EXPIRED 2024-01-01');
});

function line(partial: Partial<LineResultLike> & Pick<LineResultLike, 'label' | 'service' | 'outcome'>): LineResultLike {
  const ok = ['created', 'started', 'unchanged'].includes(partial.outcome);
  return { id: partial.label, slb: 'slb_web', protocol: 'tcp', frontPort: 80, action: 'create', created: partial.outcome === 'created', started: partial.outcome === 'created' || partial.outcome === 'started', ok, message: `${partial.outcome} message`, steps: [], ...partial };
}
function result(lines: LineResultLike[]): ApplyResultLike {
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

test('provision outcome: nothing provisioned (conflict) is an error without Run again', () => {
  const o = provisionOutcome(result([line({ label: 'aliyun.lb.port_9000', service: 'api', outcome: 'conflict' })]));
  assert.equal(o.severity, 'error');
  assert.equal(o.runAgain, false);
  assert.equal(o.message, 'No SLB listener was provisioned: aliyun.lb.port_9000 (api) conflict. Nothing was created.');
  const many = provisionOutcome(result(['1', '2', '3', '4', '5', '6'].map((n) => line({ label: `aliyun.lb.port_${n}`, service: 's', outcome: 'unchanged' }))));
  assert.match(many.message, /aliyun\.lb\.port_4 \(s\) unchanged, 2 more\.$/);
});

const reachable: ReachResultLike = {
  label: 'aliyun.lb.port_6379', service: 'redis', binding: 'tcp://slb_redis_app:6379', protocol: 'tcp', reachable: true, confirmed: true, blocker: null, fix: null, latencyMs: 12.4,
  steps: [{ name: 'slb', ok: true, detail: 'slb_redis_app active' }, { name: 'app', ok: true, detail: 'PING → +PONG' }],
  range: { start: { line: 4, character: 6 }, end: { line: 4, character: 25 } },
};
const stopped: ReachResultLike = {
  label: 'aliyun.lb.port_80', service: 'web', binding: 'http://slb_web:80', protocol: 'http', reachable: false, confirmed: false, blocker: 'LISTENER_STOPPED', blockerText: 'the listener is stopped', fix: 'Start the listener on front port 80.', latencyMs: null,
  steps: [{ name: 'listener', ok: false, detail: 'HTTP listener on 80 is stopped' }],
  range: { start: { line: 9, character: 6 }, end: { line: 9, character: 23 } },
};

test('reachability verdicts: notification, lens text, output lines', () => {
  assert.equal(reachVerdict(reachable), 'Reachable: tcp://slb_redis_app:6379 in 12 ms');
  assert.equal(reachVerdict({ ...reachable, latencyMs: 3.14 }), 'Reachable: tcp://slb_redis_app:6379 in 3.1 ms');
  assert.equal(reachVerdict(stopped), 'Blocked: the listener is stopped. Start the listener on front port 80.');
  assert.equal(reachVerdict({ ...reachable, protocol: 'udp', binding: 'udp://slb:53', confirmed: false }), 'Reachable as far as can be told: udp://slb:53 (UDP: no answer, which is not proof of failure)');
  assert.equal(lensVerdict(reachable), 'reachable, 12 ms');
  assert.equal(lensVerdict(stopped), 'blocked: the listener is stopped');

  assert.deepEqual(reachNotification({ uri: 'u', results: [reachable], summary: 'All 1 label(s) reachable.' }), { severity: 'info', message: 'Reachable: tcp://slb_redis_app:6379 in 12 ms' });
  assert.deepEqual(reachNotification({ uri: 'u', results: [stopped], summary: '' }), { severity: 'warning', message: 'aliyun.lb.port_80 (web) http://slb_web:80: Blocked: the listener is stopped. Start the listener on front port 80.' });
  assert.deepEqual(reachNotification({ uri: 'u', results: [reachable, stopped], summary: '' }), {
    severity: 'warning',
    message: '1 of 2 label(s) blocked, 1 reachable. aliyun.lb.port_80 (web) http://slb_web:80: Blocked: the listener is stopped. Start the listener on front port 80.',
  });
  assert.deepEqual(reachNotification({ uri: 'u', results: [reachable, reachable], summary: '' }), { severity: 'info', message: 'All 2 label(s) reachable.' });
  assert.deepEqual(reachNotification({ uri: 'u', results: [], summary: 'x', error: 'Cloud commands are disabled in an untrusted workspace.' }), { severity: 'warning', message: 'Cloud commands are disabled in an untrusted workspace.' });

  const out = reachOutputLines({ uri: 'u', results: [reachable, stopped], summary: '1 of 2 label(s) blocked, 1 reachable.' }, 'docker-compose.yml');
  assert.deepEqual(out, [
    'Reachability of docker-compose.yml:',
    '  [✓] aliyun.lb.port_6379 (redis) tcp://slb_redis_app:6379: Reachable: tcp://slb_redis_app:6379 in 12 ms',
    '      ✓ slb: slb_redis_app active',
    '      ✓ app: PING → +PONG',
    '  [✗] aliyun.lb.port_80 (web) http://slb_web:80: Blocked: the listener is stopped. Start the listener on front port 80.',
    '      ✗ listener: HTTP listener on 80 is stopped',
    '  1 of 2 label(s) blocked, 1 reachable.',
  ]);
});

test('a translating l10n is used for every word', () => {
  const upper: L10n = { t: (m, ...a) => englishL10n.t(m, ...a).toUpperCase() };
  assert.equal(lensVerdict(reachable, upper), 'REACHABLE, 12 MS');
  assert.match(planLineText(plan.lines[1], upper), /^\[CREATE\] .* → BACKEND 7001: /);
});

test('CodeLens scan: map and list form, quoted keys, comments and block scalars skipped', () => {
  const text = [
    'services:', //                                    0
    '  redis:', //                                     1
    '    image: redis:7', //                           2
    '    labels:', //                                  3
    '      aliyun.lb.port_6379: tcp://slb_redis_app:6379', // 4
    '      # aliyun.lb.port_1: tcp://commented:1', //   5
    '      "aliyun.lb.port_7000": \'tcp://slb:7000\'', // 6
    '      aliyun.routing.port_80: http://x', //        7
    '  web:', //                                       8
    '    labels:', //                                  9
    '      - aliyun.lb.port_80=http://slb_web:80', //   10
    '      - "aliyun.lb.port_443=https://slb_web:443"', // 11
    '    command: |', //                               12
    '      aliyun.lb.port_9: not a label', //           13
    '    environment:', //                             14
    '      - FOO=aliyun.lb.port_1', //                  15
    '      aliyun.lb.port_${PORT}: tcp://slb:${PORT}\r', // 16
  ];
  const found = scanLbLabelLines(text);
  assert.deepEqual(found.map((f) => [f.line, f.key, f.form, f.start, f.end]), [
    [4, 'aliyun.lb.port_6379', 'map', 6, 25],
    [6, 'aliyun.lb.port_7000', 'map', 7, 26],
    [10, 'aliyun.lb.port_80', 'list', 8, 25],
    [11, 'aliyun.lb.port_443', 'list', 9, 27],
  ]);
  // Line 16 sits under environment:, not labels: (the server does not read it as a label either).
  assert.deepEqual(scanLbLabelLines(['web:', '  labels:', '    aliyun.lb.port_${PORT}: tcp://slb:${PORT}\r']).map((f) => [f.line, f.key, f.start, f.end]), [[2, 'aliyun.lb.port_${PORT}', 4, 26]]);
  // A file that starts with an empty line, then an indented label-like line: no labels: parent, and the walk ends.
  assert.deepEqual(scanLbLabelLines(['', '  aliyun.lb.port_80: tcp://a:80']), []);
  assert.equal(text[4].slice(6, 25), 'aliyun.lb.port_6379');
  assert.deepEqual(scanLbLabelLines(['x: 1', 'aliyun.lb.port_80x']), []);
});

test('verdict store: kept while the label line is unchanged, follows lines shifted by edits above, dropped on change', () => {
  const store = new VerdictStore();
  const lines = Array.from({ length: 12 }, (_, i) => `line ${i}`);
  lines[4] = '      aliyun.lb.port_6379: tcp://slb_redis_app:6379';
  lines[9] = '      - aliyun.lb.port_80=http://slb_web:80';
  store.record('file:///c.yml', [reachable, stopped], (l) => lines[l]);
  assert.deepEqual(store.get('file:///c.yml', 4, lines[4]), { text: 'reachable, 12 ms', reachable: true });
  assert.deepEqual(store.get('file:///c.yml', 9, lines[9]), { text: 'blocked: the listener is stopped', reachable: false });
  // A line inserted above: the label is now on line 5.
  assert.deepEqual(store.get('file:///c.yml', 5, lines[4]), { text: 'reachable, 12 ms', reachable: true });
  // The label line edited: no verdict.
  assert.equal(store.get('file:///c.yml', 9, '      - aliyun.lb.port_80=http://slb_web:81'), undefined);
  store.prune('file:///c.yml', ['nothing']);
  assert.equal(store.size('file:///c.yml'), 0);
  // Several bindings on one line are joined.
  store.record('file:///d.yml', [reachable, { ...stopped, range: reachable.range }], (l) => lines[l]);
  assert.equal(store.get('file:///d.yml', 4, lines[4])?.text, 'tcp://slb_redis_app:6379: reachable, 12 ms; http://slb_web:80: blocked: the listener is stopped');
  store.clear('file:///d.yml');
  assert.equal(store.size('file:///d.yml'), 0);
});

test('cloudFormat.ts stays free of vscode (unit-testable)', () => {
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'client', 'src')))) dir = path.dirname(dir);
  const src = fs.readFileSync(path.join(dir, 'client', 'src', 'cloudFormat.ts'), 'utf8');
  assert.doesNotMatch(src, /from 'vscode'|require\('vscode'\)/);
});
