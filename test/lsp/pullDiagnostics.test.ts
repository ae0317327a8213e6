// Pull diagnostics over the real protocol (LSP 3.17 textDocument/diagnostic): the real server over
// stdio, and a client that pulls as VS Code's language client does (bench/pullClient.ts: a pull on
// open and on every change, cancel and pull again when a change comes during a pull, pull all on
// refresh). Push stays for clients that do not pull.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { CORPUS_DIR, LspTestClient, positionOf } from './lspClient';
import { generateCompose } from '../../bench/generateCompose';

const COMPOSE = [
  'services:',
  '  web:',
  '    image: nginx:1.25',
  '    ports:',
  '      - "8080:80"',
  '    labels:',
  '      aliyun.lb.port_80: http://slb_web:80',
  '      aliyun.lb.port_443: https://slb_web:443',
  '',
].join('\n');
const key = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.severity} ${d.message}`;
const keys = (ds: Diagnostic[]) => ds.map(key).sort();
const pushes = (client: LspTestClient) => client.notifications.filter((n) => n.startsWith('textDocument/publishDiagnostics')).length;

describe('pull diagnostics over LSP', () => {
  it('a pulling client gets the diagnostic provider and never a push; its lists equal the pushed ones, corpus file by file', async () => {
    const [pusher, puller] = await Promise.all([LspTestClient.start(), LspTestClient.start({ pullDiagnostics: true })]);
    try {
      assert.equal(pusher.initializeResult?.capabilities.diagnosticProvider, undefined);
      assert.deepEqual(puller.initializeResult?.capabilities.diagnosticProvider, { identifier: 'aliyunSlbLabels', interFileDependencies: false, workspaceDiagnostics: false });
      let findings = 0;
      for (const file of fs.readdirSync(CORPUS_DIR).filter((f) => /\.ya?ml$/.test(f))) {
        const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
        const uri = `file:///corpus/${file}`;
        const [pushed, pulled] = await Promise.all([pusher.open(uri, text), puller.open(uri, text)]);
        assert.deepEqual(keys(pulled.diagnostics), keys(pushed.diagnostics), file);
        findings += pulled.diagnostics.length;
      }
      assert.ok(findings > 10, `the corpus has findings to compare (${findings})`);
      assert.equal(pushes(puller), 0, 'no publishDiagnostics to a pulling client');
      assert.deepEqual(puller.pull?.errors, []);
      assert.ok(puller.logs.some((l) => /Diagnostics are pulled by the client/.test(l)), puller.logs.join('\n'));
      assert.ok(pusher.logs.some((l) => /Diagnostics are pushed/.test(l)), pusher.logs.join('\n'));
    } finally {
      await Promise.all([pusher.stop(), puller.stop()]);
    }
  });

  it('an edit that changes no finding is answered "unchanged"; an edit that does gets the full list', async () => {
    const client = await LspTestClient.start({ pullDiagnostics: true });
    try {
      const uri = 'file:///ws/docker-compose.yml';
      const opened = await client.open(uri, COMPOSE);
      assert.deepEqual(opened.diagnostics.map((d) => d.code), ['lb-port-not-published']);
      const first = client.pullAnswers.at(-1)!;
      assert.equal(first.kind, 'full');
      // Typing in the image tag: the same finding, same place.
      const at = positionOf(COMPOSE, 'nginx:1.25', 10);
      await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: '-alpine' }] });
      await client.nextDiagnostics(uri, 2);
      assert.equal(client.pullAnswers.at(-1)!.kind, 'unchanged');
      assert.deepEqual(client.latestDiagnostics(uri)?.diagnostics.map((d) => d.code), ['lb-port-not-published']);
      // The raw answer: a few bytes, the resultId of the list the client holds.
      const raw = await client.request<{ kind: string; resultId?: string; items?: unknown[] }>('textDocument/diagnostic', { textDocument: { uri } });
      const again = await client.request<{ kind: string; resultId?: string }>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: raw.resultId });
      assert.deepEqual(again, { kind: 'unchanged', resultId: raw.resultId });
      // Publishing 443 removes the finding: a full answer with the new list.
      const ports = positionOf(COMPOSE, '"8080:80"', 9);
      await client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: ports, end: ports }, text: '\n      - "8443:443"' }] });
      const fixed = await client.nextDiagnostics(uri, 3);
      assert.deepEqual(fixed.diagnostics, []);
      assert.equal(client.pullAnswers.at(-1)!.kind, 'full');
      assert.equal(pushes(client), 0);
    } finally {
      await client.stop();
    }
  });

  it('quiet while typing: the typed line\'s error is left out of the answer, and comes with a refresh after the pause', async () => {
    const client = await LspTestClient.start({ pullDiagnostics: true, initializationOptions: { diagnosticDelay: 300 } });
    try {
      const uri = 'file:///ws/typing.yml';
      const valid = COMPOSE.replace('      aliyun.lb.port_443: https://slb_web:443\n', '');
      assert.deepEqual((await client.open(uri, valid)).diagnostics, []);
      // One key: the front port becomes `80x`, an error on the typed line.
      const end = positionOf(valid, 'slb_web:80', 10);
      const refreshesBefore = client.pull!.refreshes;
      const t0 = performance.now();
      await client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: end, end }, text: 'x' }] });
      const whileTyping = await client.nextDiagnostics(uri, 2);
      assert.deepEqual(whileTyping.diagnostics, [], 'nothing on the typed line while keys may still come');
      const after = await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.range.start.line === end.line && d.severity === 1), 5000);
      const ms = performance.now() - t0;
      assert.ok(ms >= 290, `shown ${ms} ms after the key, not before the quiet time`);
      assert.ok(client.pull!.refreshes > refreshesBefore, 'the server asked the client to pull again');
      assert.ok(after.diagnostics.length >= 1);
    } finally {
      await client.stop();
    }
  });

  it('another file\'s change reaches an open document through a refresh (a Service on the same CLB port)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-pull-'));
    const A = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
    const service = (name: string, port: number) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\n  annotations:\n    ${A}id: "lb-bp1rtfnodmywb43ecu4sf"\n    ${A}force-override-listeners: "true"\nspec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n  - {name: p, port: ${port}, targetPort: 8080}\n`;
    const client = await LspTestClient.start({ pullDiagnostics: true, workspaceFolder: dir });
    try {
      const webUri = pathToFileURL(path.join(dir, 'web.yaml')).toString();
      const apiUri = pathToFileURL(path.join(dir, 'api.yaml')).toString();
      await client.open(webUri, service('web', 80), 'yaml');
      await client.open(apiUri, service('api', 80), 'yaml');
      const shared = (p: { diagnostics: Diagnostic[] }) => p.diagnostics.some((d) => d.code === 'k8s-clb-port-shared');
      await client.diagnosticsWhere(webUri, shared, 15000);
      const refreshes = client.pull!.refreshes;
      await client.replace(apiUri, service('api', 81));
      await client.diagnosticsWhere(webUri, (p) => !shared(p), 15000);
      assert.ok(client.pull!.refreshes > refreshes, 'web.yaml was not edited: its new list came through a refresh');
      assert.equal(pushes(client), 0);
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fast edits cancel pulls in flight; the last answer equals a fresh analysis of the final text, and every pull was answered', async () => {
    const gen = generateCompose(400, { seed: 7, shape: 'findings' });
    const client = await LspTestClient.start({ pullDiagnostics: true });
    const fresh = await LspTestClient.start();
    try {
      const uri = 'file:///ws/big.yml';
      await client.open(uri, gen.text);
      let text: string;
      // 30 keys as fast as they can be sent: a new port mapping typed under the first service's ports,
      // then a line inserted at the top (every finding below moves).
      const at = { ...gen.probes.edit };
      let version = 1;
      for (const ch of '  # typed quickly') {
        version++;
        await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: ch }] });
        at.character++;
      }
      version++;
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '  # moved\n' }] });
      const last = await client.nextDiagnostics(uri, version, 30000);
      text = rebuild(gen.text, gen.probes.edit, '  # typed quickly');
      text = text.split('\n').map((l, i) => (i === 1 ? `  # moved\n${l}` : l)).join('\n');
      const expected = await fresh.open('file:///ws/fresh.yml', text);
      assert.ok(expected.diagnostics.length > 100, `findings to compare: ${expected.diagnostics.length}`);
      assert.deepEqual(keys(last.diagnostics), keys(expected.diagnostics));
      assert.deepEqual(client.pull?.errors, []);
      assert.ok(client.pullAnswers.length < version, `some pulls were cancelled and re-sent (${client.pullAnswers.length} answers for ${version} versions)`);
    } finally {
      await Promise.all([client.stop(), fresh.stop()]);
    }
  });

  it('quick fixes work on pulled diagnostics; closed, unknown and non-compose documents get an empty list', async () => {
    const client = await LspTestClient.start({ pullDiagnostics: true });
    try {
      const uri = 'file:///ws/fix.yml';
      const p = await client.open(uri, COMPOSE);
      const d = p.diagnostics[0];
      assert.equal(d.data, undefined, 'fixes are not on the wire');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      assert.ok(actions.some((a) => a.kind === 'quickfix' && a.edit), JSON.stringify(actions));
      const notCompose = await client.open('file:///ws/notes.yml', 'a: 1\nb: [\n', 'yaml');
      assert.deepEqual(notCompose.diagnostics, []);
      await client.notify('textDocument/didClose', { textDocument: { uri } });
      assert.deepEqual(await client.request('textDocument/diagnostic', { textDocument: { uri } }), { kind: 'full', items: [] });
      assert.deepEqual(await client.request('textDocument/diagnostic', { textDocument: { uri: 'file:///ws/never-opened.yml' } }), { kind: 'full', items: [] });
    } finally {
      await client.stop();
    }
  });
});

function rebuild(text: string, at: { line: number; character: number }, inserted: string): string {
  const lines = text.split('\n');
  lines[at.line] = lines[at.line].slice(0, at.character) + inserted + lines[at.line].slice(at.character);
  return lines.join('\n');
}
