// The main thread's diagnostics list (lsp/diagnosticList.ts): bytes and ranges instead of objects.
// Whatever the runs and shifts, the list must say exactly what the diagnostics it stands for say.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { DiagnosticList, ListBuilder, packList, PackedSource, shiftDiagnostic, shiftLines, packWire, wireJson } from '../../server/src/lsp/diagnosticList';
import { applyDelta, LineEdit, lineShiftOfEdits, mapDiagnostic, movesByShift } from '../../server/src/lsp/diagnosticDelta';
import { prng } from '../../bench/generateCompose';

const uri = 'file:///list/docker-compose.yml';
const range = (line: number, a = 2, b = 9, endLine = line) => ({ start: { line, character: a }, end: { line: endLine, character: b } });

/** Diagnostics with what makes JSON tricky: quotes, `"line":` inside a message, non-ASCII, related info, fixes. */
function sample(count: number, seed = 1): Diagnostic[] {
  const random = prng(seed);
  const out: Diagnostic[] = [];
  let line = 0;
  for (let i = 0; i < count; i++) {
    line += 1 + Math.floor(random() * 3);
    const d: Diagnostic = { range: range(line, i % 5, 9 + (i % 7)), severity: (1 + (i % 3)) as DiagnosticSeverity, code: `code-${i % 4}`, source: 'aliyun-slb', message: ['plain', 'say {"line":5} and ,"line":7', '端口 8080 已被 "web" 使用', 'back\\slash "q"', 'the packer\'s separator ,"\u0000", and "\\u0000"'][i % 5] + ` #${i}` };
    if (i % 3 === 0) d.relatedInformation = [{ location: { uri, range: range(Math.max(0, line - 4)) }, message: `first "owner" ${i}` }];
    if (i % 2 === 0) d.data = { fixes: [{ title: `fix ${i}`, preferred: true, edits: [{ range: range(line + 1, 0, 0), newText: '\n      - "80:80"' }] }] };
    out.push(d);
  }
  return out;
}

const wireOf = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => JSON.parse(wireJson(d)) as unknown);
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** A list checked against the diagnostics it stands for: whole items, wire JSON, ranges. */
function assertSays(list: DiagnosticList, expected: readonly Diagnostic[], what: string): void {
  assert.equal(list.length, expected.length, what);
  assert.deepEqual(plain(list.toArray()), plain(expected), `${what}: whole diagnostics`);
  assert.deepEqual(JSON.parse(JSON.stringify(list)), wireOf(expected), `${what}: on the wire`);
  assert.deepEqual(JSON.parse(`[${Buffer.concat(list.wirePieces()).toString('utf8')}]`), wireOf(expected), `${what}: the encoder's pieces`);
  const ranges: number[][] = [];
  list.forEachRange((_i, a, b, c, d) => ranges.push([a, b, c, d]));
  assert.deepEqual(ranges, expected.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]), `${what}: ranges`);
  for (const k of [0, Math.floor(expected.length / 2), expected.length - 1]) if (k >= 0 && k < expected.length) assert.deepEqual(plain(list.diagnostic(k)), plain(expected[k]), `${what}: item ${k}`);
}

/** What the worker would send for one edit over these diagnostics, item by item (as diffDiagnostics keeps them), and the list after it. */
function deltaFor(diagnostics: readonly Diagnostic[], edit: LineEdit, baseId: number): { delta: Parameters<typeof applyDelta>[1]; next: Diagnostic[] } {
  const steps: { keep: number; drop: number; insert: Diagnostic[]; keptAsIs?: boolean; keptShift?: number }[] = [];
  const next: Diagnostic[] = [];
  const shift = lineShiftOfEdits([edit]);
  for (const d of diagnostics) {
    const mapped = mapDiagnostic(d, [edit], uri);
    const how = mapped === undefined ? { drop: 1 } : mapped === d ? { keptAsIs: true } : shift && movesByShift(d, [edit], shift, uri) ? { keptShift: shift.lines } : {};
    const last = steps[steps.length - 1];
    if ('drop' in how) {
      if (last && last.insert.length === 0) last.drop++;
      else steps.push({ keep: 0, drop: 1, insert: [] });
      continue;
    }
    next.push(mapped!);
    if (last && last.drop === 0 && last.keptAsIs === how.keptAsIs && last.keptShift === how.keptShift) last.keep++;
    else steps.push({ keep: 1, drop: 0, insert: [], ...how });
  }
  return { delta: { baseId, edits: [edit], steps, shiftFrom: shift?.from }, next };
}

describe('the held diagnostics list', () => {
  test('objects and the packed form the worker sends say the same', () => {
    const diagnostics = sample(40);
    assertSays(DiagnosticList.of(diagnostics), diagnostics, 'objects');
    assertSays(DiagnosticList.ofSource(new PackedSource(packList(diagnostics))), diagnostics, 'packed');
    assertSays(DiagnosticList.of([]), [], 'empty');
  });

  test('the packer cuts one JSON of the whole list into items: ASCII, not ASCII, and a list it must pack item by item', () => {
    const ascii = sample(25).map((d) => ({ ...d, message: d.message.replace(/[^\x00-\x7f]/g, '?') }));
    // A member holding the separator's own text in a list: the count does not match, so each item is packed alone.
    const odd = sample(12).map((d, k) => (k === 4 ? ({ ...d, extra: ['a', '\u0000', 'b'] } as unknown as Diagnostic) : d));
    for (const [name, list] of [['ascii', ascii], ['not ascii', sample(25)], ['separator inside', odd], ['one', sample(1)], ['none', []]] as const) {
      const packed = packList(list);
      const reference = packWire(list.map(wireJson));
      assert.ok(Buffer.from(packed.wire).equals(reference.bytes), `${name}: the wire bytes`);
      assert.deepEqual([...packed.offsets], [...reference.offsets], `${name}: the offsets`);
      assert.equal(packed.fixes, list.map((d) => (d.data === undefined ? '' : JSON.stringify(d.data))).join(''), `${name}: the fixes`);
      // The diagnostics keep their fixes (the packer leaves `data` out of the wire only for its call).
      assert.deepEqual(list.map((d) => d.data !== undefined), sample(list === odd ? 12 : list.length).map((d) => d.data !== undefined), `${name}: data kept`);
      assertSays(DiagnosticList.ofSource(new PackedSource(packed)), list, name);
    }
  });

  test('shifting rewrites every line number of the JSON and none inside a message', () => {
    const diagnostics = sample(30);
    const packed = packWire(diagnostics.map(wireJson));
    // Every line, or only lines from some line on (the others stay).
    for (const shift of [{ from: 0, lines: 1 }, { from: 5, lines: -1 }, { from: 0, lines: 7 }, { from: 0, lines: 1000 }, { from: 30, lines: 3 }, { from: 45, lines: -2 }]) {
      const from = 3;
      const to = 25;
      const moved = shiftLines(packed.bytes, packed.offsets, from, to, shift);
      const items = JSON.parse(`[${moved.bytes.toString('utf8').replace(/,$/, '')}]`) as unknown[];
      assert.deepEqual(items, wireOf(diagnostics.slice(from, to).map((d) => shiftDiagnostic(d, shift))), `shift ${JSON.stringify(shift)}`);
      for (let i = 0; i < to - from; i++) {
        const item = moved.bytes.toString('utf8', moved.offsets[i], moved.offsets[i + 1] - 1);
        assert.deepEqual(JSON.parse(item), wireOf([shiftDiagnostic(diagnostics[from + i], shift)])[0], `shift ${JSON.stringify(shift)}, item ${i}: its offsets`);
      }
    }
  });

  test('deltas: kept as is, moved by lines (also twice, and back), mapped, dropped and inserted', () => {
    const diagnostics = sample(60);
    const base = DiagnosticList.ofSource(new PackedSource(packList(diagnostics)));
    // A line added in the middle: items below it move, with their fix edits; related locations above it stay.
    const line = diagnostics[30].range.start.line - 1;
    const insert: LineEdit = { startLine: line, startChar: 0, endLine: line, endChar: 0, newEndLine: line + 1, newEndChar: 0 };
    const shift = lineShiftOfEdits([insert])!;
    assert.deepEqual(shift, { from: line + 1, lines: 1 });
    const expected = diagnostics.map((d) => mapDiagnostic(d, [insert], uri)!);
    const firstMoved = expected.findIndex((d, k) => d !== diagnostics[k]);
    assert.ok(firstMoved > 25 && firstMoved <= 30, `${firstMoved}`);
    for (let k = firstMoved; k < 60; k++) assert.ok(movesByShift(diagnostics[k], [insert], shift, uri), `item ${k} moves by the shift`);
    assert.ok(diagnostics.slice(firstMoved).some((d) => d.relatedInformation && d.relatedInformation[0].location.range.start.line < line), 'some point above the line, and still move by the shift');
    const shifted = (baseId: number) => ({ baseId, edits: [insert], shiftFrom: shift.from, steps: [{ keep: firstMoved, drop: 0, insert: [], keptAsIs: true }, { keep: 60 - firstMoved, drop: 0, insert: [], keptShift: 1 }] });
    const moved = applyDelta(base, shifted(1), uri);
    assertSays(moved, expected, 'one line added');
    // The same items mapped one by one (the worker's other way) say the same.
    assertSays(applyDelta(base, { baseId: 1, edits: [insert], steps: [{ keep: 60, drop: 0, insert: [] }] }, uri), expected, 'mapped');
    // Enter again on the new line: one shift of two lines; then both lines removed: the original items, in one run.
    const again: LineEdit = { startLine: line + 1, startChar: 0, endLine: line + 1, endChar: 0, newEndLine: line + 2, newEndChar: 0 };
    const twiceExpected = expected.map((d) => mapDiagnostic(d, [again], uri)!);
    const twice = applyDelta(moved, { baseId: 2, edits: [again], shiftFrom: line + 2, steps: [{ keep: firstMoved, drop: 0, insert: [], keptAsIs: true }, { keep: 60 - firstMoved, drop: 0, insert: [], keptShift: 1 }] }, uri);
    assertSays(twice, twiceExpected, 'two lines added');
    assert.equal(twice.runCount, 2, 'as is, and one shift');
    const removeBoth: LineEdit = { startLine: line, startChar: 0, endLine: line + 2, endChar: 0, newEndLine: line, newEndChar: 0 };
    const back = applyDelta(twice, { baseId: 3, edits: [removeBoth], shiftFrom: line + 3, steps: [{ keep: firstMoved, drop: 0, insert: [], keptAsIs: true }, { keep: 60 - firstMoved, drop: 0, insert: [], keptShift: -2 }] }, uri);
    assertSays(back, diagnostics, 'both removed');
    assert.equal(back.runCount, 1, 'no run per edit left behind');
    assert.ok(back.sameOnWire(base), 'the same on the wire as before');
    // Shifts that one shift cannot describe nest, and past a few are copied out: still the same.
    let nested = moved;
    let nestedExpected = expected;
    for (let k = 0; k < 6; k++) {
      const at = line - 10 - 3 * k;
      const { delta, next } = deltaFor(nestedExpected, { startLine: at, startChar: 5, endLine: at, endChar: 5, newEndLine: at + 1, newEndChar: 0 }, 10 + k);
      assert.ok(delta.steps.some((st) => st.keptShift === 1));
      nested = applyDelta(nested, delta, uri);
      nestedExpected = next;
      assertSays(nested, nestedExpected, `nested shift ${k}`);
    }
    // Drop two, insert one, in the middle of a moved run.
    const extra: Diagnostic = { range: range(3), message: 'new "one"', data: { fixes: [] } };
    const edited = applyDelta(moved, { baseId: 2, edits: [], steps: [{ keep: 40, drop: 2, insert: [extra], keptAsIs: true }] }, uri);
    assertSays(edited, [...expected.slice(0, 40), extra, ...expected.slice(42)], 'dropped and inserted');
    assert.equal(edited.sameOnWire(moved), false);
  });

  test('the typing quiet leaves out items by range, and sameOnWire compares what the client sees', () => {
    const diagnostics = sample(20);
    const list = DiagnosticList.ofSource(new PackedSource(packList(diagnostics)));
    const lines = new Set([diagnostics[4].range.start.line, diagnostics[11].range.start.line]);
    const shown = list.without((startLine) => lines.has(startLine));
    assertSays(shown, diagnostics.filter((d) => !lines.has(d.range.start.line)), 'without two lines');
    assert.equal(list.without(() => false), list, 'nothing left out: the same list');
    assert.ok(list.sameOnWire(DiagnosticList.of(diagnostics)), 'packed and objects, equal');
    assert.ok(list.sameOnWire(DiagnosticList.of(diagnostics.map((d) => ({ ...d, data: undefined })))), 'fixes are not on the wire');
    const changed = diagnostics.map((d, k) => (k === 13 ? { ...d, message: `${d.message}!` } : d));
    assert.equal(list.sameOnWire(DiagnosticList.of(changed)), false);
    const concat = DiagnosticList.concat([shown, DiagnosticList.of([diagnostics[0]])]);
    assertSays(concat, [...diagnostics.filter((d) => !lines.has(d.range.start.line)), diagnostics[0]], 'concatenated');
  });

  test('a list of many runs is compacted, and still says the same', () => {
    const diagnostics = sample(700, 3);
    const base = DiagnosticList.ofSource(new PackedSource(packList(diagnostics)));
    const builder = new ListBuilder();
    const expected: Diagnostic[] = [];
    // Every other item, and each second one moved by a line: 350 runs, past the bound.
    for (let i = 0; i < 700; i += 2) {
      const shift = i % 4 === 0 ? undefined : { from: 0, lines: 3 };
      builder.addList(base, i, i + 1, shift);
      expected.push(shift ? shiftDiagnostic(diagnostics[i], shift) : diagnostics[i]);
    }
    const list = builder.build();
    assert.equal(list.runCount, 1, 'compacted to one source');
    assertSays(list, expected, 'compacted');
  });

  test('random deltas over a packed list equal the same edits on plain objects', () => {
    const random = prng(11);
    let diagnostics = sample(120, 5);
    let list = DiagnosticList.ofSource(new PackedSource(packList(diagnostics)));
    for (let step = 0; step < 60; step++) {
      // A line added or removed somewhere: the worker's way of keeping each item is by lineShiftOf.
      const line = Math.floor(random() * (diagnostics[diagnostics.length - 1].range.end.line + 2));
      const add = random() < 0.6;
      const edit: LineEdit = add ? { startLine: line, startChar: 0, endLine: line, endChar: 0, newEndLine: line + 1, newEndChar: 0 } : { startLine: line, startChar: 0, endLine: line + 1, endChar: 0, newEndLine: line, newEndChar: 0 };
      const { delta, next } = deltaFor(diagnostics, edit, step);
      // Now and then a new diagnostic, from the worker, at the end.
      if (step % 7 === 0) {
        const extra: Diagnostic = { range: range(line), message: `step ${step}` };
        delta.steps.push({ keep: 0, drop: 0, insert: [extra] });
        next.push(extra);
      }
      list = applyDelta(list, delta, uri);
      diagnostics = next;
      assertSays(list, diagnostics, `step ${step}`);
    }
  });
});
