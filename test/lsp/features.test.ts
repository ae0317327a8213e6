// The real bundled server over stdio: diagnostics, completion, hover and code actions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf } from './lspClient';

const REDIS = `version: '2'
services:
  redis:
    image: redis:6
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`;

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = edits.slice().sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const e of sorted) result = result.slice(0, offset(e.range.start)) + e.newText + result.slice(offset(e.range.end));
  return result;
}

function items(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

describe('language server over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('reports nothing on the valid Redis example', async () => {
    const published = await client.open('file:///ws/redis/docker-compose.yml', REDIS);
    assert.deepEqual(published.diagnostics, []);
    assert.equal(published.version, 1);
  });

  it('reports the missing space after the colon at the colon, and the quick fix repairs the line', async () => {
    const uri = 'file:///ws/nospace/docker-compose.yml';
    const text = REDIS.replace('aliyun.lb.port_6379: tcp', 'aliyun.lb.port_6379:tcp') + '      aliyun.scale: "1"\n';
    const { diagnostics } = await client.open(uri, text);
    const d = diagnostics.find((x) => x.code === 'yaml-missing-space-after-colon');
    assert.ok(d, JSON.stringify(diagnostics));
    const colon = positionOf(text, 'aliyun.lb.port_6379:', 'aliyun.lb.port_6379'.length);
    assert.deepEqual(d.range.start, colon);
    assert.equal(d.range.end.character, colon.character + 1);
    assert.match(d.message, /No space after ':'/);
    assert.equal(diagnostics.length, 1, 'one problem, not a cascade: ' + JSON.stringify(diagnostics.map((x) => x.code)));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics } });
    const fix = actions.find((a) => a.title.includes("Insert a space"));
    assert.ok(fix?.edit?.changes?.[uri]);
    const repaired = applyEdits(text, fix.edit.changes[uri]);
    assert.ok(repaired.includes('aliyun.lb.port_6379: tcp://slb_redis_app:6379'));
    const after = await client.replace(uri, repaired);
    assert.deepEqual(after.diagnostics, []);
  });

  it('names the unpublished container port with its range, related location and a fix that adds the mapping', async () => {
    const uri = 'file:///ws/unpublished/docker-compose.yml';
    const text = REDIS.replace('aliyun.lb.port_6379', 'aliyun.lb.port_6380').replace('slb_redis_app:6379', 'slb_redis_app:6380');
    const { diagnostics } = await client.open(uri, text);
    const d = diagnostics.find((x) => x.code === 'lb-port-not-published');
    assert.ok(d, JSON.stringify(diagnostics));
    assert.match(d.message, /6380/);
    assert.equal(d.severity, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(actions.length, 1);
    const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.ok(fixed.includes('      - "6379:6379"\n      - "6380:6380"'), fixed);
    assert.deepEqual((await client.replace(uri, fixed)).diagnostics, []);
  });

  it('reports protocol mismatch with related information pointing at the mapping', async () => {
    const uri = 'file:///ws/udp/docker-compose.yml';
    const text = REDIS.replace('"6379:6379"', '"6379:6379/udp"');
    const { diagnostics } = await client.open(uri, text);
    const d = diagnostics.find((x) => x.code === 'lb-protocol-mismatch') as Diagnostic;
    assert.ok(d);
    assert.deepEqual(d.range.start, positionOf(text, 'tcp://'));
    assert.deepEqual(d.relatedInformation?.[0].location.range.start, positionOf(text, '"6379:6379/udp"'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.deepEqual(actions.map((a) => a.title).sort(), ["Change the scheme to 'udp'", "Publish it as '6379:6379'"].sort());
    for (const action of actions) {
      const fixed = applyEdits(text, action.edit!.changes![uri]);
      assert.deepEqual((await client.replace(uri, fixed)).diagnostics, [], action.title);
      await client.replace(uri, text);
    }
  });

  it('flags two services on one SLB and a front port bound twice, each pointing at the other place', async () => {
    const uri = 'file:///ws/shared/docker-compose.yml';
    const text = `services:
  a:
    image: x
    ports: ["80:80"]
    labels:
      aliyun.lb.port_80: http://slb_web:80
  b:
    image: y
    ports:
      - "8080:8080"
      - "8081:8081"
    labels:
      - aliyun.lb.port_8080=http://slb_web:80
      - aliyun.lb.port_8081=tcp://slb_b:9000
`;
    const { diagnostics } = await client.open(uri, text);
    const codes = diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['lb-front-port-conflict', 'lb-slb-shared']);
    const shared = diagnostics.find((d) => d.code === 'lb-slb-shared')!;
    assert.deepEqual(shared.range.start, positionOf(text, 'slb_web:80', 0) === undefined ? undefined : positionOf(text.slice(0), '=http://slb_web', '=http://'.length));
    assert.deepEqual(shared.relatedInformation?.[0].location.range.start, positionOf(text, 'slb_web:80'));
  });

  it('offers aliyun.lb.port_6379 on a new label line, as a snippet filled from the mapping', async () => {
    const uri = 'file:///ws/complete/docker-compose.yml';
    const text = REDIS.replace('    labels:\n      aliyun.lb.port_6379: tcp://slb_redis_app:6379\n', '    labels:\n      \n');
    await client.open(uri, text);
    const result = items(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 7, character: 6 } }));
    const lb = result.find((i) => i.label === 'aliyun.lb.port_6379');
    assert.ok(lb, result.map((i) => i.label).join(','));
    assert.equal(lb.insertTextFormat, 2);
    assert.match((lb.textEdit as TextEdit).newText, /^aliyun\.lb\.port_6379: \$\{1\|tcp,http,https\|\}:\/\/\$\{2:[^}]+\}:\$\{3:6379\}/);
    assert.ok(result.some((i) => i.label === 'aliyun.scale'));
  });

  it('completes schemes, then SLB names used in the workspace, then the front port', async () => {
    await client.open('file:///ws/other/docker-compose.yml', REDIS.replace('slb_redis_app', 'slb_other_app'));
    const uri = 'file:///ws/value/docker-compose.yml';
    const base = REDIS.replace('tcp://slb_redis_app:6379', '');
    await client.open(uri, base);
    const line = 7;
    const at = (character: number) => client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
    const schemes = items(await at(27)).map((i) => i.label);
    assert.deepEqual(schemes.slice().sort(), ['http', 'https', 'tcp', 'udp']);
    await client.replace(uri, base.replace('port_6379: ', 'port_6379: tcp://'));
    const slbs = items(await at(33)).map((i) => i.label);
    assert.ok(slbs.includes('slb_other_app'), slbs.join(','));
    await client.replace(uri, base.replace('port_6379: ', 'port_6379: tcp://slb_x:'));
    const ports = items(await at(39));
    assert.equal(ports[0]?.label, '6379');
  });

  it('hovers the three-port chain with this service\'s numbers', async () => {
    const uri = 'file:///ws/hover/docker-compose.yml';
    const text = REDIS.replace('"6379:6379"', '"16379:6379"');
    await client.open(uri, text);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'aliyun.lb.port_6379', 3) });
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /SLB `slb_redis_app` TCP 6379 -> host 16379 \(backend port\) -> container 6379/);
    assert.match(value, /doc-detail\/56407/);
    const onValue = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'slb_redis_app', 2) });
    assert.ok(onValue);
    const none = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'image') });
    assert.equal(none, null);
  });

  it('keeps answering on broken input: binary junk, tabs, BOM+CRLF, alias bombs, huge files', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const bomb = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nservices:\n  x:\n    <<: *f\n    labels: {<<: *f}\n`;
    const big = 'services:\n' + Array.from({ length: 10000 }, (_, i) => `  s${i}:\n    image: x\n    ports: ["${10000 + (i % 50000)}:80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_${i}:80\n      aliyun.probe.url: http://container/health/check/with/a/long/path/${'x'.repeat(400)}\n`).join('');
    assert.ok(big.length > 5 * 1024 * 1024, `big is ${big.length}`);
    const inputs: Record<string, string> = {
      junk,
      tabs: 'services:\n\tweb:\n\t\tlabels:\n\t\t\taliyun.lb.port_80: tcp://x:80\n',
      bomCrlf: '\ufeffservices:\r\n  web:\r\n    ports: ["80:80"]\r\n    labels:\r\n      aliyun.lb.port_80: tcp://slb_w:80\r\n',
      bomb,
      halfTyped: 'services:\n  web:\n    labels:\n      aliyun.lb.port_',
      big,
    };
    for (const [name, text] of Object.entries(inputs)) {
      const uri = `file:///ws/bad/${name}/docker-compose.yml`;
      const started = Date.now();
      const published = await client.open(uri, text);
      assert.ok(Array.isArray(published.diagnostics), name);
      for (const position of [{ line: 0, character: 0 }, { line: 3, character: 10 }, { line: 2, character: 3 }]) {
        await client.request('textDocument/completion', { textDocument: { uri }, position });
        await client.request('textDocument/hover', { textDocument: { uri }, position });
      }
      assert.ok(Date.now() - started < 20000, `${name} took ${Date.now() - started} ms`);
    }
    const crlf = await client.open('file:///ws/bad/crlf2/docker-compose.yml', inputs.bomCrlf);
    assert.deepEqual(crlf.diagnostics, [], 'BOM + CRLF file with a valid label is clean');
    assert.equal(client.process.exitCode, null, 'server still running');
  });
});

describe('language server in Simplified Chinese', () => {
  it('answers in Chinese when the editor locale is zh-cn', async () => {
    const client = await LspTestClient.start({ locale: 'zh-cn' });
    try {
      const { diagnostics } = await client.open('file:///ws/zh/docker-compose.yml', REDIS.replace('"6379:6379"', '"6379"'));
      assert.equal(diagnostics[0]?.code, 'lb-port-random-host');
      assert.match(diagnostics[0].message, /[\u4e00-\u9fff]/, diagnostics[0].message);
    } finally {
      await client.stop();
    }
  });
});

describe('syntax-error mode "labels" (the default in VS Code)', () => {
  it('reports label-line syntax errors but leaves the rest to the YAML extensions', async () => {
    const client = await LspTestClient.start({ settings: { 'validation.syntaxErrors': 'labels' } });
    try {
      const text = `version: '2'\n services:\n  web:\n    labels:\n      aliyun.lb.port_80:tcp://x:80\n      aliyun.scale: "1"\n`;
      const { diagnostics } = await client.open('file:///ws/mode/docker-compose.yml', text);
      const codes = diagnostics.map((d) => d.code);
      assert.ok(codes.includes('yaml-missing-space-after-colon'), codes.join());
      assert.ok(!codes.includes('yaml-bad-indent'), codes.join());
    } finally {
      await client.stop();
    }
  });
});

describe('the old setting key yamlSyntaxErrors (renamed to validation.syntaxErrors) still works', () => {
  const text = `version: '2'\n services:\n  web:\n    labels:\n      aliyun.lb.port_80:tcp://x:80\n      aliyun.scale: "1"\n`;
  const codesWith = async (settings: Record<string, unknown>, folder: string) => {
    const client = await LspTestClient.start({ settings, exactSettings: true });
    try {
      return (await client.open(`file:///ws/${folder}/docker-compose.yml`, text)).diagnostics.map((d) => d.code);
    } finally {
      await client.stop();
    }
  };
  it('as VS Code sends it: the new key at its default auto, the old key from the user\'s settings.json', async () => {
    // VS Code sends the whole section: the new key always (default 'auto'), the old one when set.
    assert.deepEqual(await codesWith({ validation: { enable: true, syntaxErrors: 'auto' }, yamlSyntaxErrors: 'labels' }, 'legacy1'), ['yaml-missing-space-after-colon']);
    const off = await codesWith({ validation: { enable: true, syntaxErrors: 'auto' }, yamlSyntaxErrors: 'off' }, 'legacy2');
    assert.ok(!off.includes('yaml-bad-indent'), off.join());
    assert.deepEqual(off, await codesWith({ validation: { enable: true, syntaxErrors: 'off' } }, 'legacy2b'));
  });
  it('alone (another editor\'s configuration), and the new key wins when it is set', async () => {
    assert.deepEqual(await codesWith({ yamlSyntaxErrors: 'labels' }, 'legacy3'), ['yaml-missing-space-after-colon']);
    const both = await codesWith({ validation: { syntaxErrors: 'all' }, yamlSyntaxErrors: 'labels' }, 'legacy4');
    assert.ok(both.includes('yaml-bad-indent') && both.includes('yaml-missing-space-after-colon'), both.join());
  });
});

describe('syntax-error mode "auto" (the default)', () => {
  const text = `version: '2'\n services:\n  web:\n    labels:\n      aliyun.lb.port_80:tcp://x:80\n      aliyun.scale: "1"\n`;
  it('reports every YAML syntax error when no other YAML extension is there', async () => {
    const client = await LspTestClient.start({ settings: { 'validation.syntaxErrors': 'auto' } });
    try {
      const codes = (await client.open('file:///ws/auto1/docker-compose.yml', text)).diagnostics.map((d) => d.code);
      assert.ok(codes.includes('yaml-bad-indent') && codes.includes('yaml-missing-space-after-colon'), codes.join());
    } finally {
      await client.stop();
    }
  });
  it('reports only label-line errors when the client says Red Hat YAML or Docker is installed', async () => {
    const client = await LspTestClient.start({ settings: { 'validation.syntaxErrors': 'auto' }, initializationOptions: { otherYamlValidator: true } });
    try {
      const codes = (await client.open('file:///ws/auto2/docker-compose.yml', text)).diagnostics.map((d) => d.code);
      assert.deepEqual(codes, ['yaml-missing-space-after-colon']);
    } finally {
      await client.stop();
    }
  });
});
