// Completion in labels blocks: lb keys for published ports without a binding (snippet with scheme
// and host port), map and list form, then scheme / SLB / front port in the value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItem, InsertTextFormat } from 'vscode-languageserver-types';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { complete } from '../../server/src/engine/features/completion';
import { SlbSummary } from '../../server/src/engine/workspaceIndex';
import { withCursor, yaml } from './helpers';

function completeAt(marked: string, opts: { workspaceSlbs?: SlbSummary[]; snippetSupport?: boolean } = {}): { items: CompletionItem[]; text: string; offset: number } {
  const { text, doc, position, offset } = withCursor(marked);
  const items = complete(doc, position, { analyzer: new ComposeAnalyzer(), workspaceSlbs: opts.workspaceSlbs ?? [], snippetSupport: opts.snippetSupport ?? true });
  return { items, text, offset };
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const newText = (item: CompletionItem) => (item.textEdit as { newText: string }).newText;
const item = (items: CompletionItem[], label: string) => {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `'${label}' not in ${JSON.stringify(labels(items))}`);
  return found!;
};

const slbs = (...names: string[]): SlbSummary[] => names.map((slb) => ({ slb, files: 1, frontPorts: new Set([6379]) }));

describe('label keys, map form', () => {
  const marked = yaml(
    'services:',
    '  redis:',
    '    image: redis',
    '    ports:',
    '      - "6379:6379"',
    '      - "7777:80"',
    '      - "8080:8080"',
    '      - "9000"',
    '    labels:',
    '      aliyun.lb.port_8080: tcp://slb_x:8080',
    '      |',
  );
  test('offers aliyun.lb.port_<port> for published ports without a label', () => {
    const { items } = completeAt(marked);
    assert.ok(labels(items).includes('aliyun.lb.port_6379'));
    assert.ok(labels(items).includes('aliyun.lb.port_80'));
  });
  test('not for ports already bound, nor for a container-only port', () => {
    const { items } = completeAt(marked);
    assert.equal(labels(items).includes('aliyun.lb.port_8080'), false);
    assert.equal(labels(items).includes('aliyun.lb.port_9000'), false);
  });
  test('the snippet fills scheme choices, an SLB placeholder and the host port as front port', () => {
    const { items } = completeAt(marked);
    const i = item(items, 'aliyun.lb.port_80');
    assert.equal(i.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(newText(i), 'aliyun.lb.port_80: ${1|tcp,http,https|}://${2:slb_x}:${3:7777}$0');
    assert.equal(newText(item(items, 'aliyun.lb.port_6379')), 'aliyun.lb.port_6379: ${1|tcp,http,https|}://${2:slb_x}:${3:6379}$0');
  });
  test('the edit range starts at the cursor column of the new line', () => {
    const { items, text, offset } = completeAt(marked);
    const i = item(items, 'aliyun.lb.port_6379');
    const range = (i.textEdit as { range: { start: { line: number; character: number } } }).range;
    assert.deepEqual(range.start, { line: text.slice(0, offset).split('\n').length - 1, character: 6 });
  });
  test("the SLB placeholder is the one this service already uses, never another service's", () => {
    const { items } = completeAt(marked, { workspaceSlbs: slbs('slb_redis_app') });
    assert.match(newText(item(items, 'aliyun.lb.port_6379')), /\$\{2:slb_x\}/);
  });
  test('a service with no SLB yet gets a name of its own, not a workspace SLB (accepting it must not share one)', () => {
    const { items } = completeAt(yaml('services:', '  web:', '    ports: ["80:80"]', '    labels:', '      |'), { workspaceSlbs: slbs('slb_redis_app') });
    assert.match(newText(item(items, 'aliyun.lb.port_80')), /\$\{2:slb_web\}/);
  });
  test('without snippet support: plain text', () => {
    const { items } = completeAt(marked, { snippetSupport: false });
    const i = item(items, 'aliyun.lb.port_6379');
    assert.equal(i.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(newText(i), 'aliyun.lb.port_6379: tcp://slb_x:6379');
  });
  test('the other aliyun.* keys with docs', () => {
    const { items } = completeAt(marked);
    const scale = item(items, 'aliyun.scale');
    assert.ok(scale.documentation);
    assert.ok(labels(items).includes('aliyun.rolling_updates'));
    assert.ok(labels(items).includes('aliyun.probe.url'));
  });
  test('a half-typed key: the range covers what was typed', () => {
    const { items } = completeAt(marked.replace('      |', '      aliyun.lb.p|'));
    const i = item(items, 'aliyun.lb.port_6379');
    const range = (i.textEdit as { range: { start: { character: number }; end: { character: number } } }).range;
    assert.equal(range.start.character, 6);
    assert.equal(range.end.character, 6 + 'aliyun.lb.p'.length);
  });
  test('a port range publishes each port', () => {
    const { items } = completeAt(yaml('services:', '  web:', '    ports:', '      - "8000-8002:8000-8002"', '    labels:', '      |'));
    for (const p of [8000, 8001, 8002]) assert.ok(labels(items).includes(`aliyun.lb.port_${p}`));
  });
  test('deploy.labels', () => {
    const { items } = completeAt(yaml('services:', '  web:', '    ports:', '      - "80:80"', '    deploy:', '      labels:', '        |'));
    assert.ok(labels(items).includes('aliyun.lb.port_80'));
  });
  test('V1 file', () => {
    const { items } = completeAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    |'));
    assert.ok(labels(items).includes('aliyun.lb.port_80'));
  });
});

describe('label keys, list form', () => {
  const marked = yaml('services:', '  dns:', '    ports:', '      - "6379:6379"', '      - "53:53/udp"', '    labels:', '      - aliyun.scale=1', '      - |');
  test("uses '=' and the udp scheme for a /udp port", () => {
    const { items } = completeAt(marked);
    assert.equal(newText(item(items, 'aliyun.lb.port_6379')), 'aliyun.lb.port_6379=${1|tcp,http,https|}://${2:slb_dns}:${3:6379}$0');
    assert.equal(newText(item(items, 'aliyun.lb.port_53')), 'aliyun.lb.port_53=udp://${2:slb_dns}:${3:53}$0');
    assert.equal(newText(item(items, 'aliyun.scale')).includes(': '), false);
  });
  test('a list-form label already bound is not offered again', () => {
    const { items } = completeAt(marked.replace('      - aliyun.scale=1', '      - aliyun.lb.port_6379=tcp://a:6379'));
    assert.equal(labels(items).includes('aliyun.lb.port_6379'), false);
    assert.ok(labels(items).includes('aliyun.lb.port_53'));
  });
});

describe('label values', () => {
  test('after the key: the four schemes', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.port_6379: |'));
    assert.deepEqual(labels(items).sort(), ['http', 'https', 'tcp', 'udp']);
    assert.equal(newText(item(items, 'tcp')), 'tcp://');
  });
  test('a udp port ranks udp first', () => {
    const { items } = completeAt(yaml('services:', '  dns:', '    ports:', '      - "53:53/udp"', '    labels:', '      aliyun.lb.port_53: |'));
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(sorted[0].label, 'udp');
  });
  test("after 'tcp://': the workspace SLB names", () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.port_6379: tcp://|'), { workspaceSlbs: slbs('slb_redis_app', 'lb-2ze0e2wlvf9l1hfv9m1lv') });
    assert.deepEqual(labels(items), ['slb_redis_app', 'lb-2ze0e2wlvf9l1hfv9m1lv']);
    assert.equal(newText(items[0]), 'slb_redis_app:');
  });
  test("after 'slb:': the host port first, then the container port", () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "7777:6379"', '    labels:', '      aliyun.lb.port_6379: tcp://slb_redis_app:|'));
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(sorted.map((i) => i.label), ['7777', '6379']);
  });
  test('list form value: schemes after =', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      - aliyun.lb.port_6379=|'));
    assert.ok(labels(items).includes('tcp'));
  });
  test('list form value: front port', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "7777:6379"', '    labels:', '      - "aliyun.lb.port_6379=tcp://slb:|"'));
    assert.ok(labels(items).includes('7777'));
  });
  test('the second entry after ;', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.port_6379: tcp://a:6379;|'));
    assert.ok(labels(items).includes('tcp'));
  });
  test('true/false for aliyun.global', () => {
    const { items } = completeAt(yaml('services:', '  web:', '    labels:', '      aliyun.global: |'));
    assert.deepEqual(labels(items), ['true', 'false']);
  });
});

describe('nothing outside labels', () => {
  test('image value', () => {
    assert.deepEqual(completeAt(yaml('services:', '  web:', '    image: ngi|')).items, []);
  });
  test('a service key', () => {
    assert.deepEqual(completeAt(yaml('services:', '  web:', '    |')).items, []);
  });
});

describe('half-typed, broken YAML still completes', () => {
  test('the rest of the file is broken (unclosed flow collection in another service)', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.po|', '  other:', '    image: [', '    x: {'));
    assert.ok(labels(items).includes('aliyun.lb.port_6379'), JSON.stringify(labels(items)));
  });
  test('the line being typed is half a key with a colon and no space', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.scale: "1"', '      aliy|', '      aliyun.global: "true"'));
    assert.ok(labels(items).includes('aliyun.lb.port_6379'));
  });
  test('a missing space elsewhere in the labels block', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.scale:"1"', '      |'));
    assert.ok(labels(items).includes('aliyun.lb.port_6379'), JSON.stringify(labels(items)));
  });
  test('an unclosed quote in the ports of the same service', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "7777:6379"', '      - "80:80', '    labels:', '      |'));
    assert.ok(Array.isArray(items));
    assert.ok(labels(items).includes('aliyun.scale'));
  });
  test('the cursor at the very end of a file without a newline', () => {
    const { items } = completeAt('services:\n  redis:\n    ports:\n      - "6379:6379"\n    labels:\n      aliyun.lb.port_6379: tc|');
    assert.ok(labels(items).includes('tcp'));
  });
  test('CRLF file', () => {
    const { items } = completeAt(yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      |').replace(/\n/g, '\r\n'));
    assert.ok(labels(items).includes('aliyun.lb.port_6379'));
  });
});

describe('completing inside a word (InsertReplaceEdit)', () => {
  const marked = yaml('services:', '  web:', '    ports: ["8080:80"]', '    labels:', '      aliyun.lb.port_80: http://slb_ot|her:8080');
  const run = (insertReplace: boolean) => {
    const { doc, position, text } = withCursor(marked);
    const items = complete(doc, position, { analyzer: new ComposeAnalyzer(), workspaceSlbs: [{ slb: 'slb_other', files: 1, frontPorts: new Set([8080]) }], snippetSupport: true, insertReplace });
    return { item: items.find((i) => i.label === 'slb_other')!, text };
  };
  test('for a client that supports it, "replace" covers the rest of the SLB name and its colon', () => {
    const { item, text } = run(true);
    const edit = item.textEdit as { insert: { start: { character: number }; end: { character: number } }; replace: { start: { character: number }; end: { character: number } }; newText: string };
    const line = text.split('\n')[4];
    assert.equal(line.slice(edit.insert.start.character, edit.insert.end.character), 'slb_ot');
    assert.equal(line.slice(edit.replace.start.character, edit.replace.end.character), 'slb_other:');
    const replaced = line.slice(0, edit.replace.start.character) + edit.newText + line.slice(edit.replace.end.character);
    assert.equal(replaced, '      aliyun.lb.port_80: http://slb_other:8080');
  });
  test('otherwise a plain edit up to the cursor, as before', () => {
    const { item } = run(false);
    assert.ok('range' in item.textEdit!, JSON.stringify(item.textEdit));
  });
});

test("the snippet's new SLB name is numbered when another service already uses it", () => {
  const { items } = completeAt(yaml('services:', '  api:', '    ports: ["81:81"]', '    labels:', '      |'), { workspaceSlbs: slbs('slb_api') });
  assert.match(newText(item(items, 'aliyun.lb.port_81')), /\$\{2:slb_api_2\}/);
});
