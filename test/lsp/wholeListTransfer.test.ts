// A long whole list of diagnostics crosses from the validation worker to the main thread packed
// (lsp/validationWorker.ts forTransfer, lsp/diagnosticList.ts), and later edits send deltas on it: a
// line added moves the findings below it as a shifted run. Each list must be exactly what an
// analysis of the same text gives, through the real server's worker, and a quick fix of a moved
// diagnostic must edit the moved text.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lspClient';
import { generateCompose } from '../../bench/generateCompose';
import { handleValidationMessage } from '../../server/src/lsp/validationWorker';
import type { ValidationResult } from '../../server/src/lsp/validationHost';

const key = (d: Diagnostic) => JSON.stringify({ ...d, data: undefined });

function analysed(uri: string, text: string): string[] {
  handleValidationMessage({ type: 'open', uri, version: 1, text });
  const result = handleValidationMessage({ type: 'analyze', id: 1, uri, version: 1, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false }) as ValidationResult;
  handleValidationMessage({ type: 'close', uri });
  return result.diagnostics.map(key);
}

/** The fix edits an analysis of the same text gives for the diagnostic at this range and code. */
function handleFixes(uri: string, text: string, target: Diagnostic): unknown[] {
  handleValidationMessage({ type: 'open', uri, version: 1, text });
  const result = handleValidationMessage({ type: 'analyze', id: 1, uri, version: 1, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false }) as ValidationResult;
  handleValidationMessage({ type: 'close', uri });
  const same = result.diagnostics.find((d) => d.code === target.code && JSON.stringify(d.range) === JSON.stringify(target.range));
  const fixes = (same?.data as { fixes: { edits: unknown[] }[] } | undefined)?.fixes ?? [];
  return fixes.flatMap((f) => f.edits);
}

it('a file with thousands of findings: the opened list, and the lists after edits, equal an analysis of the same text', async () => {
  const gen = generateCompose(800, { seed: 11, shape: 'findings' });
  const uri = 'file:///transfer/docker-compose.yml';
  const client = await LspTestClient.start();
  try {
    const opened = await client.open(uri, gen.text);
    assert.ok(opened.diagnostics.length >= 1000, `${opened.diagnostics.length} diagnostics: the packed path starts at 1000`);
    assert.deepEqual(opened.diagnostics.map(key), analysed(uri, gen.text));
    // A line added at the edit probe (every finding below moves: a delta on the list read from JSON), then a keystroke.
    const e = gen.probes.edit;
    const lines = gen.text.split('\n');
    lines.splice(e.line + 1, 0, '    # a new line');
    let text = lines.join('\n');
    let version = 2;
    const changes = [
      { range: { start: { line: e.line + 1, character: 0 }, end: { line: e.line + 1, character: 0 } }, text: '    # a new line\n' },
      { range: { start: e, end: e }, text: 'x' },
    ];
    for (const change of changes) {
      const waiting = client.nextDiagnostics(uri, version);
      await client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      if (change.text === 'x') text = text.split('\n').map((l, k) => (k === e.line ? l.slice(0, e.character) + 'x' + l.slice(e.character) : l)).join('\n');
      const after = await waiting;
      assert.deepEqual(after.diagnostics.map(key), analysed(uri, text), `after edit to version ${version}`);
      // The fixes of a diagnostic the line moved: made whole from the shifted run, its edits on the moved lines.
      const moved = after.diagnostics.filter((d) => d.range.start.line > e.line + 2 && d.code === 'lb-port-not-published');
      assert.ok(moved.length > 0);
      const target = moved[moved.length - 1];
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target] } });
      const edits = actions.flatMap((a) => a.edit?.changes?.[uri] ?? []);
      assert.ok(edits.length > 0, JSON.stringify(actions));
      const expected = handleFixes(uri, text, target);
      assert.deepEqual(edits, expected, `fixes after edit to version ${version}`);
      version++;
    }
  } finally {
    await client.stop();
  }
});
