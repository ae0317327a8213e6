// Through the real server over stdio: hover and completion read ports as validation does (.env,
// aliases), never offer a port that is an error at once, lone-CR files, and the SLB names of a
// document closed without saving.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf } from './lspClient';

function items(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

describe('hover and completion read ports as validation does', () => {
  let client: LspTestClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-audit-'));
    fs.writeFileSync(path.join(dir, '.env'), 'HOST_PORT=18080\n');
    client = await LspTestClient.start({ workspaceFolder: dir });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const hoverValue = async (uri: string, text: string, needle: string) => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, 3) });
    return (h?.contents as MarkupContent | undefined)?.value ?? '';
  };
  const keyItems = async (uri: string, text: string) => {
    const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, '      \n', 6) });
    return items(result).map((i) => i.label);
  };

  it('a host port from .env: hover shows it, completion offers the key', async () => {
    const uri = pathToFileURL(path.join(dir, 'docker-compose.yml')).toString();
    const text = 'services:\n  web:\n    ports: ["${HOST_PORT}:80", "${HOST_PORT2:-9090}:90"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n      \n';
    const published = await client.open(uri, text);
    assert.deepEqual(published.diagnostics, []);
    assert.match(await hoverValue(uri, text, 'aliyun.lb.port_80'), /TCP 80 -> host 18080 \(backend port\) -> container 80/);
    const labels = await keyItems(uri, text);
    assert.ok(labels.includes('aliyun.lb.port_90'), `the default of \${HOST_PORT2:-9090} counts: ${labels.join(', ')}`);
  });

  for (const [name, text] of Object.entries({
    'ports from an alias': 'x-p: &p ["8080:80"]\nservices:\n  web:\n    ports: *p\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n      \n',
    'ports from a << merge': 'x-base: &base\n  image: x\n  ports: ["8080:80"]\nservices:\n  web:\n    <<: *base\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n      \n',
    'an anchor in a sibling service': 'services:\n  api:\n    image: x\n    ports: &p ["9000:9000", "8080:80"]\n    labels:\n      aliyun.lb.port_9000: tcp://slb_api:9000\n  web:\n    ports: *p\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n      \n',
    'Compose V1 with an x- anchor': 'x-p: &p ["8080:80"]\nweb:\n  ports: *p\n  labels:\n    aliyun.lb.port_80: tcp://slb_web:80\n    \n',
  })) {
    it(`${name}: hover shows the host port and completion knows the port`, async () => {
      const uri = pathToFileURL(path.join(dir, name.replace(/\W+/g, '-'), 'docker-compose.yml')).toString();
      const published = await client.open(uri, text);
      assert.deepEqual(published.diagnostics.filter((d) => d.code !== 'host-port-shared'), [], JSON.stringify(published.diagnostics));
      assert.match(await hoverValue(uri, text, 'aliyun.lb.port_80'), /-> host 8080 \(backend port\) -> container 80/);
      // Port 80 has its label already: completion must know the port is published (and skip it),
      // while the hover above proves the mapping was found.
      const result = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: text.split('\n').length - 2, character: text.split('\n').at(-2)!.length } });
      assert.ok(items(result).some((i) => i.label === 'aliyun.scale'), 'key completion answers');
      assert.ok(!items(result).some((i) => i.label === 'aliyun.lb.port_80'), 'port 80 already has a label');
    });
  }

  it('a port from an alias is offered for a new label', async () => {
    const uri = pathToFileURL(path.join(dir, 'alias-offer', 'docker-compose.yml')).toString();
    const text = 'x-p: &p ["8080:80"]\nservices:\n  web:\n    ports: *p\n    labels:\n      \n';
    await client.open(uri, text);
    const labels = await keyItems(uri, text);
    assert.ok(labels.includes('aliyun.lb.port_80'), labels.join(', '));
  });

  it('a loopback-only port is not offered (the label would be an error at once)', async () => {
    const uri = pathToFileURL(path.join(dir, 'loopback', 'docker-compose.yml')).toString();
    const text = 'services:\n  web:\n    ports: ["127.0.0.1:9443:443", "8080:80"]\n    labels:\n      \n';
    await client.open(uri, text);
    const labels = await keyItems(uri, text);
    assert.ok(labels.includes('aliyun.lb.port_80'), labels.join(', '));
    assert.ok(!labels.includes('aliyun.lb.port_443'), labels.join(', '));
  });

  it('a port published with the other protocol: hover says so instead of "no fixed host port"', async () => {
    const uri = pathToFileURL(path.join(dir, 'udp', 'docker-compose.yml')).toString();
    const text = 'services:\n  dns:\n    ports: ["5353:53/udp"]\n    labels:\n      aliyun.lb.port_53: tcp://slb_dns:53\n';
    await client.open(uri, text);
    const value = await hoverValue(uri, text, 'aliyun.lb.port_53');
    assert.match(value, /published as udp, but this label binds it with tcp/);
    assert.doesNotMatch(value, /No fixed host port/);
  });

  it('a file with lone-CR line breaks is read like LF: no false errors, hover works', async () => {
    const uri = pathToFileURL(path.join(dir, 'cr', 'docker-compose.yml')).toString();
    const text = 'services:\r  redis:\r    ports:\r      - "6379:6379"\r    labels:\r      aliyun.lb.port_6379: tcp://slb_redis_app:6379\r';
    const published = await client.open(uri, text);
    assert.deepEqual(published.diagnostics, []);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } });
    assert.match((h?.contents as MarkupContent).value, /host 6379 \(backend port\)/);
    const broken = await client.replace(uri, text.replace('port_6379: tcp', 'port_6379:tcp'));
    const d = broken.diagnostics.find((x) => x.code === 'yaml-missing-space-after-colon');
    assert.ok(d, JSON.stringify(broken.diagnostics));
    assert.deepEqual(d.range.start, { line: 5, character: 25 });
  });
});

describe('SLB names of a closed document', () => {
  it('after closing without saving, completion offers what the file on disk says', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-close-'));
    const file = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(file, 'services:\n  a:\n    ports: ["80:80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_on_disk:80\n');
    const client = await LspTestClient.start({ workspaceFolder: dir });
    try {
      const uri = pathToFileURL(file).toString();
      await client.open(uri, 'services:\n  a:\n    ports: ["80:80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_unsaved_scratch:80\n');
      const otherUri = pathToFileURL(path.join(dir, 'other', 'docker-compose.yml')).toString();
      const other = 'services:\n  b:\n    ports: ["81:81"]\n    labels:\n      aliyun.lb.port_81: tcp://\n';
      await client.open(otherUri, other);
      const slbs = async () => items(await client.request('textDocument/completion', { textDocument: { uri: otherUri }, position: positionOf(other, 'tcp://', 6) })).map((i) => i.label);
      const before = await slbs();
      assert.ok(before.includes('slb_unsaved_scratch'), before.join(', '));
      // Messages are handled in order: the close is done before the next completion is answered.
      await client.notify('textDocument/didClose', { textDocument: { uri } });
      const labels = await slbs();
      assert.ok(!labels.includes('slb_unsaved_scratch'), labels.join(', '));
      assert.ok(labels.includes('slb_on_disk'), labels.join(', ') + ' logs: ' + client.logs.join(' / '));
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
