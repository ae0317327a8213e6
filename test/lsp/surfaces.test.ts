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
