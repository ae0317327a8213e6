// The validation worker sends only the diagnostics that changed (lsp/diagnosticDelta.ts): the list
// the main thread rebuilds from the delta must be exactly the one a whole validation gives, and a
// keystroke in one service of a file with many findings must send only a few of them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { handleValidationMessage } from '../../server/src/lsp/validationWorker';
import { applyDelta, deltaSize, LineEdit, mapDiagnostic } from '../../server/src/lsp/diagnosticDelta';
import type { DiagnosticFixData } from '../../server/src/engine/features/diagnostics';
import type { ValidationResult } from '../../server/src/lsp/validationHost';
import { generateCompose, prng } from '../../bench/generateCompose';
import { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { DiagnosticList } from '../../server/src/lsp/diagnosticList';
import { fullJson, holdWhole, withoutFixes } from '../helpers/heldDiagnostics';

let nextId = 1;
function analyze(uri: string, version: number, knownDiagnosticsId?: number): ValidationResult {
  const reply = handleValidationMessage({ type: 'analyze', id: nextId++, uri, version, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false, knownDiagnosticsId });
  assert.ok(reply && reply.type === 'result', JSON.stringify(reply));
  return reply as ValidationResult;
}

/** The whole list for a text, from a fresh document. */
function whole(text: string, as: string): Diagnostic[] {
  const uri = `file:///fresh-${nextId}.yml`;
  handleValidationMessage({ type: 'open', uri, version: 1, text });
  const r = analyze(uri, 1);
  handleValidationMessage({ type: 'close', uri });
  return JSON.parse(JSON.stringify(r.diagnostics).split(uri).join(as));
}

/** The held list whole (with fixes), checked against what it puts on the wire. */
function sent(list: DiagnosticList | Diagnostic[]): unknown {
  const full = fullJson(list);
  if (list instanceof DiagnosticList) assert.deepEqual(JSON.parse(JSON.stringify(list)), withoutFixes(full), 'the wire bytes say what the diagnostics say');
  return full;
}

describe('diagnostics deltas from the validation worker', () => {
  const gen = generateCompose(120, { shape: 'findings' });
  const uri = 'file:///delta/docker-compose.yml';

  test('random edits: the list rebuilt from each delta is the whole list; a keystroke sends a few', () => {
    handleValidationMessage({ type: 'open', uri, version: 1, text: gen.text });
    const mirror = new LineDocument(uri, 'dockercompose', 1, gen.text);
    let result = analyze(uri, 1);
    assert.equal(result.diagnosticsDelta, undefined, 'the first result is whole');
    let held = holdWhole(result.diagnostics);
    let heldId = result.id;
    assert.ok(held.length > 100);
    let shifted = 0;
    const random = prng(7);
    let version = 1;
    let deltas = 0;
    for (let step = 0; step < 40; step++) {
      const lines = mirror.lineCount;
      const line = Math.floor(random() * (lines - 2)) + 1;
      const lineText = mirror.lineText(line);
      const kind = step % 5;
      let changes: TextDocumentContentChangeEvent[];
      if (kind === 0) changes = [{ range: { start: { line, character: lineText.length }, end: { line, character: lineText.length } }, text: 'x' }];
      else if (kind === 1) changes = [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '      aliyun.scale: 2\n' }];
      else if (kind === 2) changes = [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }];
      else if (kind === 3) changes = [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n\n' }, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '# c\n' }];
      else changes = [{ range: { start: { line, character: 0 }, end: { line, character: Math.min(3, lineText.length) } }, text: '' }];
      version++;
      mirror.update(changes, version);
      handleValidationMessage({ type: 'change', uri, version, changes });
      result = analyze(uri, version, heldId);
      if (result.diagnosticsDelta) {
        deltas++;
        held = applyDelta(held, result.diagnosticsDelta, uri);
        if (kind === 0) {
          assert.ok(deltaSize(result.diagnosticsDelta) < 20, `a keystroke sent ${deltaSize(result.diagnosticsDelta)} of ${held.length}`);
          // and the main thread need not map the diagnostics it keeps: the edit moves none of them
          const asIs = result.diagnosticsDelta.steps.reduce((n, st) => n + (st.keptAsIs ? st.keep : 0), 0);
          assert.ok(asIs >= held.length - 20, `${asIs} of ${held.length} kept as they are`);
        }
        // A line added or removed above diagnostics moves them by whole lines: kept as a shift, not mapped.
        shifted += result.diagnosticsDelta.steps.reduce((n, st) => n + (st.keptShift ? st.keep : 0), 0);
      } else held = holdWhole(result.diagnostics);
      heldId = result.id;
      assert.deepEqual(sent(held), whole(mirror.getText(), uri), `step ${step} (kind ${kind})`);
    }
    assert.ok(deltas >= 30, `${deltas} deltas`);
    assert.ok(shifted > 100, `${shifted} diagnostics kept as moved by lines`);
  });

  test('a whole-text change, or a host that lost its copy, gets the whole list', () => {
    const r1 = analyze(uri, 100);
    handleValidationMessage({ type: 'change', uri, version: 101, changes: [{ text: gen.text }] });
    const r2 = analyze(uri, 101, r1.id);
    assert.equal(r2.diagnosticsDelta, undefined);
    const r3 = analyze(uri, 101, 999999);
    assert.equal(r3.diagnosticsDelta, undefined);
    assert.deepEqual(sent(r3.diagnostics), whole(gen.text, uri));
    handleValidationMessage({ type: 'close', uri });
  });
});

describe('mapDiagnostic: one diagnostic through the edits', () => {
  const uri = 'file:///m.yml';
  const at = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
  const diagnostic: Diagnostic = {
    range: at(10, 4, 9),
    message: 'm',
    relatedInformation: [
      { location: { uri, range: at(2, 0, 3) }, message: 'above' },
      { location: { uri, range: at(20, 0, 3) }, message: 'below' },
      { location: { uri: 'file:///other.yml', range: at(30, 0, 3) }, message: 'elsewhere' },
    ],
    data: { fixes: [{ title: 'a', edits: [{ range: at(3, 0, 1), newText: 'x' }] }, { title: 'b', edits: [{ range: at(10, 4, 9), newText: 'y' }, { range: at(25, 0, 1), newText: 'z' }] }] },
  };

  test('an edit on a line it does not touch, with no line added, gives back the very same object', () => {
    const typed: LineEdit = { startLine: 15, startChar: 2, endLine: 15, endChar: 2, newEndLine: 15, newEndChar: 3 };
    assert.equal(mapDiagnostic(diagnostic, [typed], uri), diagnostic);
  });

  test('a line added between its parts moves only the parts below it, and shares the rest', () => {
    const newline: LineEdit = { startLine: 15, startChar: 0, endLine: 15, endChar: 0, newEndLine: 16, newEndChar: 0 };
    const moved = mapDiagnostic(diagnostic, [newline], uri)!;
    assert.notEqual(moved, diagnostic);
    assert.equal(moved.range, diagnostic.range, 'the range above the edit is shared');
    assert.deepEqual(moved.relatedInformation!.map((r) => r.location.range.start.line), [2, 21, 30], 'other documents do not move');
    assert.equal(moved.relatedInformation![0], diagnostic.relatedInformation![0]);
    const fixes = (moved.data as DiagnosticFixData).fixes;
    assert.equal(fixes[0], (diagnostic.data as DiagnosticFixData).fixes[0], 'an unmoved fix is shared');
    assert.deepEqual(fixes[1].edits.map((e) => e.range.start.line), [10, 26]);
    assert.deepEqual(diagnostic.relatedInformation!.map((r) => r.location.range.start.line), [2, 20, 30], 'the original is untouched');
  });

  test('an edit over any of its positions (range, related location, fix edit) drops it', () => {
    for (const [line, char] of [[10, 3], [20, 0], [25, 0]]) {
      const inside: LineEdit = { startLine: line, startChar: char, endLine: line, endChar: char + 2, newEndLine: line, newEndChar: char };
      assert.equal(mapDiagnostic(diagnostic, [inside], uri), undefined, `edit on line ${line}`);
    }
  });
});

describe('applyDelta counts what it moved', () => {
  const uri = 'file:///count.yml';
  const at = (line: number): Diagnostic => ({ range: { start: { line, character: 0 }, end: { line, character: 3 } }, message: `line ${line}` });
  const base = [at(1), at(5), at(9), at(12)];

  test('a line added above some: those are moved copies and counted; a keystroke on another line moves none', () => {
    const counts = { moved: -1 };
    const newline: LineEdit = { startLine: 6, startChar: 0, endLine: 6, endChar: 0, newEndLine: 7, newEndChar: 0 };
    const out = applyDelta(DiagnosticList.of(base), { baseId: 1, edits: [newline], steps: [] }, uri, counts).toArray();
    assert.deepEqual(out.map((d) => d.range.start.line), [1, 5, 10, 13]);
    assert.equal(counts.moved, 2);
    const typed: LineEdit = { startLine: 3, startChar: 2, endLine: 3, endChar: 2, newEndLine: 3, newEndChar: 3 };
    const again = applyDelta(DiagnosticList.of(base), { baseId: 1, edits: [typed], steps: [] }, uri, counts).toArray();
    assert.equal(counts.moved, 0);
    assert.ok(again.every((d, k) => d === base[k]));
  });
});
