// What a publish puts on the wire (lsp/diagnosticWire.ts): no fixes, JSON copied from the held
// list's bytes (lsp/diagnosticList.ts), and code actions that still find each diagnostic's fixes on the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { encodeMessage, withFixes } from '../../server/src/lsp/diagnosticWire';
import { DiagnosticList } from '../../server/src/lsp/diagnosticList';
import { holdWhole } from '../helpers/heldDiagnostics';
import { LspTestClient, SERVER_PATH } from './lspClient';

const withFix: Diagnostic = {
  range: { start: { line: 3, character: 8 }, end: { line: 3, character: 27 } },
  severity: 1,
  code: 'lb-port-not-published',
  source: 'aliyun-slb',
  message: 'Container port 9901 is not published: "quoted" and ünïcode',
  data: { fixes: [{ title: "Add '9901:9901' under ports", preferred: true, edits: [{ range: { start: { line: 2, character: 14 }, end: { line: 2, character: 14 } }, newText: '\n      - "9901:9901"' }] }] },
};
const wireDiagnostic = ({ data: _data, ...wire }: Diagnostic): Diagnostic => wire;
const plain: Diagnostic = { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } }, severity: 2, code: 'host-port-shared', source: 'aliyun-slb', message: 'shared', relatedInformation: [{ location: { uri: 'file:///a.yml', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } }, message: 'here' }] };

describe('diagnostics on the wire', () => {
  it('encodes a publish exactly as JSON.stringify would read back, with or without a version', () => {
    for (const params of [
      { uri: 'file:///ws/docker-compose.yml', version: 7, diagnostics: [wireDiagnostic(withFix), plain] },
      { uri: 'file:///ws/x y.yml', diagnostics: [] },
    ]) {
      const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params };
      assert.deepEqual(JSON.parse(encodeMessage(message).toString('utf8')), JSON.parse(JSON.stringify(message)));
      // The held list (with its fixes) puts the same on the wire, through the encoder and through JSON.stringify (other transports).
      const held = { ...message, params: { ...params, diagnostics: params.diagnostics.length ? holdWhole([withFix, plain]) : DiagnosticList.EMPTY } };
      assert.deepEqual(JSON.parse(encodeMessage(held).toString('utf8')), JSON.parse(JSON.stringify(message)));
      assert.deepEqual(JSON.parse(JSON.stringify(held)), JSON.parse(JSON.stringify(message)));
    }
    // A pull's full answer (textDocument/diagnostic), with or without a resultId, and with a string id.
    for (const message of [
      { jsonrpc: '2.0', id: 12, result: { kind: 'full', resultId: '7', items: [wireDiagnostic(withFix), plain] } },
      { jsonrpc: '2.0', id: 'a"b', result: { kind: 'full', items: [] } },
    ]) {
      assert.deepEqual(JSON.parse(encodeMessage(message).toString('utf8')), JSON.parse(JSON.stringify(message)));
      assert.equal(encodeMessage(message).length, Buffer.byteLength(JSON.stringify(message)), 'the same bytes, key order aside');
    }
    const unchanged = { jsonrpc: '2.0', id: 13, result: { kind: 'unchanged', resultId: '7' } };
    assert.equal(encodeMessage(unchanged).toString('utf8'), JSON.stringify(unchanged));
    // Other messages (and publishes with extra fields) go through JSON.stringify as they are.
    const other = { jsonrpc: '2.0', id: 3, result: { items: [1, 2] } };
    assert.equal(encodeMessage(other).toString('utf8'), JSON.stringify(other));
  });

  it('leaves the fixes out of the wire, and puts them back for a matching client diagnostic only', () => {
    for (const held of [DiagnosticList.of([plain, withFix]), holdWhole([plain, withFix])]) {
      const clientCopy = (JSON.parse(JSON.stringify(held)) as Diagnostic[])[1];
      assert.equal(clientCopy.data, undefined);
      assert.deepEqual(withFixes([clientCopy], held)[0].data, withFix.data);
      // A diagnostic from an older version (moved since) gets no fixes: they would edit moved text.
      const stale = { ...clientCopy, range: { start: { line: 4, character: 8 }, end: { line: 4, character: 27 } } };
      assert.equal(withFixes([stale], held)[0].data, undefined);
      // Nor one at the same range with another message.
      assert.equal(withFixes([{ ...clientCopy, message: 'other' }], held)[0].data, undefined);
    }
  });
});

describe('the server over stdio with the diagnostics JSON encoder', () => {
  it('publishes diagnostics without fixes, and the quick fix still arrives through code actions', async () => {
    const client = await LspTestClient.start();
    try {
      const uri = 'file:///ws/wire/docker-compose.yml';
      const text = "services:\n  web:\n    image: nginx\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n";
      const { diagnostics } = await client.open(uri, text);
      const d = diagnostics.find((x) => x.code === 'lb-port-not-published');
      assert.ok(d, JSON.stringify(diagnostics));
      assert.equal(d.data, undefined, 'no fixes on the wire');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      assert.ok(actions.some((a) => a.edit?.changes?.[uri]?.some((e) => e.newText.includes('80:80'))), JSON.stringify(actions));
    } finally {
      await client.stop();
    }
  });

  it('exits when its stdin closes (the editor went away), as the library does for --stdio', async () => {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 1, 'exit code 1: stdin ended without a shutdown request');
  });
});
