// The UI helpers of the client's cloud commands (client/src/cloudFormat.ts): the modal laid out from
// the server's texts, certificate picker items, CodeLens line scanning, verdict store. The texts
// themselves (plan lines, outcome, verdicts) are rendered by the server: test/provision/texts.test.ts,
// test/reach/texts.test.ts, and over LSP in test/provision/lsp.test.ts, test/reach/lsp.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  certificateItems,
  linesNeedingCertificate,
  modalDetail,
  planHasChanges,
  PlanLike,
  PlanTexts,
  ReachResultLike,
  scanLbLabelLines,
  scanServiceLines,
  unbrokenRegion,
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

test('plan helpers: changes, lines needing a certificate', () => {
  assert.equal(planHasChanges(plan), true);
  assert.equal(planHasChanges({ ...plan, summary: { create: 0, start: 0, unchanged: 1, conflict: 1, blocked: 0 } }), false);
  assert.deepEqual(linesNeedingCertificate(plan).map((l) => l.label), ['aliyun.lb.port_443']);
});

test('modal: the server\'s lines with the chosen certificate under its line, "… more", then the summary; the region does not wrap', () => {
  const texts: PlanTexts = {
    lines: [],
    summary: 'Plan for region cn-hangzhou: …',
    modal: {
      message: 'Provision SLB listeners in region cn-hangzhou? This changes cloud resources and may cost money.',
      summary: '2 listeners will be created in cn-hangzhou.',
      lines: [{ id: plan.lines[1].id, text: '[create] a' }, { id: plan.lines[2].id, text: '[create] b' }],
      more: '… and 4 more (see the output channel)',
    },
  };
  // The region's hyphen does not break (U+2011): no "cn-/hangzhou" in a narrow dialog.
  assert.equal(unbrokenRegion(texts.modal.message, plan.region), 'Provision SLB listeners in region cn\u2011hangzhou? This changes cloud resources and may cost money.');
  assert.deepEqual(modalDetail(texts, plan.region, { [plan.lines[2].id]: plan.certificates![1] }).split('\n'), [
    '[create] a', '[create] b', '    certificate: web-cert (1231579085529123_web)', '… and 4 more (see the output channel)',
    '', '2 listeners will be created in cn\u2011hangzhou.',
  ]);
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

const reachable: ReachResultLike = {
  label: 'aliyun.lb.port_6379', service: 'redis', binding: 'tcp://slb_redis_app:6379', protocol: 'tcp', reachable: true, confirmed: true, blocker: null, fix: null, latencyMs: 12.4, lens: 'reachable, 12 ms',
  steps: [{ name: 'slb', ok: true, detail: 'slb_redis_app active' }, { name: 'app', ok: true, detail: 'PING → +PONG' }],
  range: { start: { line: 4, character: 6 }, end: { line: 4, character: 25 } },
};
const stopped: ReachResultLike = {
  label: 'aliyun.lb.port_80', service: 'web', binding: 'http://slb_web:80', protocol: 'http', reachable: false, confirmed: false, blocker: 'LISTENER_STOPPED', blockerText: 'the listener is stopped', fix: 'Start the listener on front port 80.', latencyMs: null, lens: 'blocked: the listener is stopped',
  steps: [{ name: 'listener', ok: false, detail: 'HTTP listener on 80 is stopped' }],
  range: { start: { line: 9, character: 6 }, end: { line: 9, character: 23 } },
};

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

test('scanServiceLines: the kind: Service line of each LoadBalancer Service document, with its name; other kinds and ClusterIP Services get none', () => {
  const text = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  type: LoadBalancer # not a Service', '---',
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  type: LoadBalancer', '  ports: [{port: 80}]', '---',
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: internal', 'spec:', '  type: ClusterIP', '---',
    'apiVersion: v1', "kind: 'Service'  # quoted", 'metadata:', '  name: "api"\r', 'spec:', '  type: "LoadBalancer"',
  ];
  assert.deepEqual(scanServiceLines(text).map((s) => [s.line, s.name, s.start, s.end]), [[7, 'web', 0, 13], [22, 'api', 0, 25]]);
  assert.deepEqual(scanServiceLines(['services:', '  web:', '    labels:', '      kind: Service', '      type: LoadBalancer']), [], 'no apiVersion: not a manifest');
});
