// Issue 11, section 2: what a user meets first, through the real server over LSP stdio.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf } from './lspClient';

const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
const bySort = (list: CompletionItem[]) => [...list].sort((a, b) => (a.sortText ?? String(a.label)).localeCompare(b.sortText ?? String(b.label)));

let client: LspTestClient;
before(async () => {
  client = await LspTestClient.start();
});
after(async () => {
  await client.stop();
});

describe('label key completion on a service that already has a binding', () => {
  const text = ['services:', '  redis:', '    image: redis:7', '    ports:', '      - "6379:6379"', '      - "8080:80"', '      - "9090:9090"', '    labels:', '      aliyun.lb.port_6379: tcp://slb_redis_app:6379', '      ', ''].join('\n');
  const uri = 'file:///ws/surfaces/keys/docker-compose.yml';
  let list: CompletionItem[];
  before(async () => {
    await client.open(uri, text);
    list = bySort(items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 6 } })));
  });

  it('offers the lb keys of the unbound published ports first, then the generic lb entry; deprecated labels last, struck through', () => {
    const labels = list.map((i) => String(i.label));
    assert.deepEqual(labels.slice(0, 3), ['aliyun.lb.port_80', 'aliyun.lb.port_9090', 'aliyun.lb.port_<container_port>']);
    const deprecated = list.filter((i) => i.tags?.includes(1));
    assert.deepEqual(deprecated.map((i) => i.label).sort(), ['aliyun.addon', 'aliyun.logs']);
    assert.deepEqual(labels.slice(-2).sort(), ['aliyun.addon', 'aliyun.logs']);
  });

  it('the generic lb entry offers the unbound published ports as a choice and tabs on into a choice of schemes', () => {
    const generic = list.find((i) => i.label === 'aliyun.lb.port_<container_port>')!;
    const snippet = (generic.textEdit as { newText: string }).newText;
    assert.equal(snippet, 'aliyun.lb.port_${1|80,9090|}: ${2|tcp,http,https,udp|}://${3:slb_redis_app}:${4:8080}$0');
    assert.match(generic.detail ?? '', /80, 9090/);
  });

  it('with every published port bound, the generic entry still offers the published ports (never a bare aliyun.lb.port_)', async () => {
    const all = text.replace('      - "8080:80"\n      - "9090:9090"\n', '');
    const u = 'file:///ws/surfaces/keys-all/docker-compose.yml';
    await client.open(u, all);
    const got = items(await client.request('textDocument/completion', { textDocument: { uri: u }, position: { line: 7, character: 6 } }));
    const generic = got.find((i) => i.label === 'aliyun.lb.port_<container_port>')!;
    assert.equal((generic.textEdit as { newText: string }).newText, 'aliyun.lb.port_${1:6379}: ${2|tcp,http,https,udp|}://${3:slb_redis_app}:${4:6379}$0');
    assert.equal(bySort(got)[0].label, 'aliyun.lb.port_<container_port>');
  });
});

describe('values like http://slb_web:80 are not web links', () => {
  it('each http/https binding gets a document link to the label docs over the same range (it takes the place of the editor\'s URL detection)', async () => {
    const text = ['services:', '  web:', '    ports:', '      - "8080:80"', '    labels:', '      aliyun.lb.port_80: http://slb_web:80;https://slb_web:443', '      aliyun.lb.port_53: tcp://slb_dns:53', '      aliyun.routing.port_80: http://example.com', ''].join('\n');
    const uri = 'file:///ws/surfaces/links/docker-compose.yml';
    await client.open(uri, text);
    const links = await client.request<Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; target: string; tooltip: string }>>('textDocument/documentLink', { textDocument: { uri } });
    const line = text.split('\n')[5];
    assert.deepEqual(links.map((l) => line.slice(l.range.start.character, l.range.end.character)), ['http://slb_web:80', 'https://slb_web:443']);
    assert.ok(links.every((l) => l.range.start.line === 5 && /doc-detail\/56407/.test(l.target) && /not a web address/.test(l.tooltip)));
  });
});

describe('hover on a label: the key and the SLB name each have their own focus', () => {
  it('the key leads with the chain and the verdict; the SLB name gets its own range and text', async () => {
    const text = ['services:', '  redis:', '    image: redis:7', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.port_6379: tcp://slb_redis_app:6379', ''].join('\n');
    const uri = 'file:///ws/surfaces/hover/docker-compose.yml';
    await client.open(uri, text);
    const onKey = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'aliyun.lb.port_6379', 3) });
    const onSlb = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'slb_redis_app', 3) });
    const keyText = (onKey.contents as MarkupContent).value;
    const slbText = (onSlb.contents as MarkupContent).value;
    assert.match(keyText.split('\n')[0], /^\*\*SLB `slb_redis_app` TCP 6379 -> host 6379 \(backend port\) -> container 6379\*\*$/);
    assert.match(keyText.split('\n')[2], /^✓ /);
    assert.notEqual(keyText, slbText);
    assert.deepEqual(onSlb.range, { start: positionOf(text, 'slb_redis_app'), end: positionOf(text, 'slb_redis_app', 'slb_redis_app'.length) });
    assert.deepEqual(onKey.range, { start: positionOf(text, 'aliyun.lb.port_6379'), end: positionOf(text, 'aliyun.lb.port_6379', 'aliyun.lb.port_6379'.length) });
  });
});
