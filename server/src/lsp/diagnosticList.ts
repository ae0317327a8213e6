// The diagnostics of a document as the main thread holds them: what the client gets, as bytes.
//
// Why not Diagnostic objects: with 15k findings the main thread held 15k objects (with their fixes)
// and a cached JSON per object, and a line added above 7.7k of them made 7.7k copies (7 MB) plus
// their JSON (12 MB of garbage, 4 MB kept), twice per inserted-and-removed line. That garbage was the
// server's peak memory (README, Speed). What the main thread really needs of a diagnostic:
// - its JSON for the client (publish, pull answer): kept as UTF-8 bytes, many items in one buffer;
// - its range (the typing quiet, code actions): kept in an Int32Array;
// - its fixes, for the one diagnostic a code action asks about: made on demand.
// A list is a few runs over immutable sources. A line added above a run is a shifted source (the
// items' JSON with the line numbers below the edit moved, made once when first sent), not 7.7k copies.
import type { Diagnostic } from 'vscode-languageserver';

/** A diagnostic as the client gets it: everything but the fixes (`data` stays on the server). */
export function wireJson(diagnostic: Diagnostic): string {
  if (diagnostic.data === undefined) return JSON.stringify(diagnostic);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { data, ...wire } = diagnostic;
  return JSON.stringify(wire);
}

/** Items' wire JSON separated by commas; item i is bytes [offsets[i], offsets[i + 1] - 1). */
export interface Packed {
  bytes: Buffer;
  offsets: Int32Array;
}

/** Where a list's items come from. Immutable: lists share them. */
export interface ItemSource {
  readonly count: number;
  /** Item i's range at [4i .. 4i + 3]: start line, start character, end line, end character. */
  readonly positions: Int32Array;
  /** The items' wire JSON (made on first use). */
  packed(): Packed;
  /** Item i whole, with its fixes (made on demand: code actions, a delta that moves it by more than lines). */
  diagnostic(i: number): Diagnostic;
  /** Item i's fixes (`data`) as JSON, '' when it has none (a compacted list copies them). */
  fixesJson(i: number): string;
}

function positionsOf(diagnostics: readonly Diagnostic[]): Int32Array {
  const positions = new Int32Array(diagnostics.length * 4);
  for (let i = 0; i < diagnostics.length; i++) {
    const { start, end } = diagnostics[i].range;
    positions[4 * i] = start.line;
    positions[4 * i + 1] = start.character;
    positions[4 * i + 2] = end.line;
    positions[4 * i + 3] = end.character;
  }
  return positions;
}

/** Wire JSON of many items as one buffer (what the worker sends for a long list, and what an object source packs to). */
export function packWire(jsons: readonly string[]): Packed {
  const offsets = new Int32Array(jsons.length + 1);
  let at = 0;
  for (let i = 0; i < jsons.length; i++) {
    offsets[i] = at;
    at += Buffer.byteLength(jsons[i], 'utf8') + 1;
  }
  offsets[jsons.length] = at;
  return { bytes: Buffer.from(jsons.join(','), 'utf8'), offsets };
}

/** Diagnostics held as objects: a delta's inserts, short lists, the main thread's own (cloud, cross-file). */
export class ObjectSource implements ItemSource {
  readonly count: number;
  readonly positions: Int32Array;
  private packing: Packed | undefined;

  constructor(private readonly diagnostics: readonly Diagnostic[]) {
    this.count = diagnostics.length;
    this.positions = positionsOf(diagnostics);
  }

  packed(): Packed {
    return (this.packing ??= packWire(this.diagnostics.map(wireJson)));
  }

  diagnostic(i: number): Diagnostic {
    return this.diagnostics[i];
  }

  fixesJson(i: number): string {
    const data = this.diagnostics[i].data;
    return data === undefined ? '' : JSON.stringify(data);
  }
}

/**
 * A long list as the worker sends it: the wire JSON packed, the ranges, and each item's fixes as
 * JSON text (`fixes` from fixOffsets[i] to fixOffsets[i + 1]; empty: none), read only when asked.
 */
export interface PackedList {
  wire: Uint8Array;
  offsets: Int32Array;
  positions: Int32Array;
  fixes: string;
  fixOffsets: Int32Array;
}

/**
 * Between the items of one JSON.stringify of a whole list: `,"\u0000",` in the output. It cannot
 * occur inside an item's JSON (a quote inside a string is always escaped, and no diagnostic holds
 * a lone "\u0000" string in a list); a count that does not match falls back to one call per item.
 */
const ITEM_SEPARATOR = '\u0000';
const SEPARATOR_TEXT = JSON.stringify(['', ITEM_SEPARATOR, '']).slice(3, -3);
const SEPARATOR_BYTES = Buffer.from(SEPARATOR_TEXT, 'utf8');

/**
 * The worker's side: a long list packed for the main thread (its buffers can be transferred). The
 * list is stringified in one call with separators between the items, then cut apart: one
 * JSON.stringify per item took twice as long (15k items: 90 against 40 ms at an open).
 */
export function packList(diagnostics: readonly Diagnostic[]): PackedList {
  const n = diagnostics.length;
  const datas: unknown[] = new Array(n);
  const items: unknown[] = new Array(Math.max(0, 2 * n - 1));
  for (let i = 0; i < n; i++) {
    items[2 * i] = diagnostics[i];
    if (i > 0) items[2 * i - 1] = ITEM_SEPARATOR;
    datas[i] = diagnostics[i].data;
  }
  let text: string;
  // The wire leaves out `data` (the fixes stay on the server): JSON leaves out a member that is
  // undefined, so it is unset for the call and put back, instead of a copy of every diagnostic.
  for (const d of diagnostics) if (d.data !== undefined) (d as { data?: unknown }).data = undefined;
  try {
    text = JSON.stringify(items);
  } finally {
    for (let i = 0; i < n; i++) if (datas[i] !== undefined) diagnostics[i].data = datas[i];
  }
  const wire = cutApart(text, Buffer.from(text, 'utf8'), n) ?? packWire(diagnostics.map(wireJson));
  const fixOffsets = new Int32Array(n + 1);
  const fixes: string[] = [];
  let at = 0;
  const fixTexts = n > 0 ? JSON.stringify(datas.flatMap((d, i) => (i === 0 ? [d ?? null] : [ITEM_SEPARATOR, d ?? null]))).slice(1, -1).split(SEPARATOR_TEXT) : [];
  const fixText = (i: number) => (fixTexts.length === n ? fixTexts[i] : JSON.stringify(datas[i] ?? null));
  for (let i = 0; i < n; i++) {
    fixOffsets[i] = at;
    if (datas[i] === undefined) continue;
    const json = fixText(i);
    fixes.push(json);
    at += json.length;
  }
  fixOffsets[n] = at;
  // A buffer of its own (not a slice of Node's pool), so that it can be transferred.
  const own = wire.bytes.byteOffset === 0 && wire.bytes.byteLength === wire.bytes.buffer.byteLength ? wire.bytes : Uint8Array.prototype.slice.call(wire.bytes);
  return { wire: own, offsets: wire.offsets, positions: positionsOf(diagnostics), fixes: fixes.join(''), fixOffsets };
}

/**
 * `[item,SEPARATOR,item,...]` (`json`, and `bytes` its UTF-8) -> the items joined by commas, with
 * their offsets; undefined when the separators do not count out. (The separators are found in the
 * string when it is ASCII, where its offsets are the bytes' offsets: no call into C++ per item.)
 */
function cutApart(json: string, bytes: Buffer, n: number): Packed | undefined {
  if (n === 0) return { bytes: Buffer.alloc(0), offsets: new Int32Array(1) };
  const size = bytes.length - 2 - (n - 1) * SEPARATOR_BYTES.length + (n - 1);
  if (size < 0) return undefined;
  const ascii = json.length === bytes.length;
  const out = Buffer.allocUnsafeSlow(size);
  const offsets = new Int32Array(n + 1);
  let from = 1; // after '['
  let at = 0;
  const find = (after: number) => (ascii ? json.indexOf(SEPARATOR_TEXT, after) : bytes.indexOf(SEPARATOR_BYTES, after));
  for (let i = 0; i < n; i++) {
    // (The last item must hold none: one more anywhere means some item held one.)
    const end = i < n - 1 ? find(from) : find(from) < 0 ? bytes.length - 1 : -1;
    if (end < from) return undefined;
    offsets[i] = at;
    at += bytes.copy(out, at, from, end);
    if (i < n - 1) out[at++] = 0x2c; // ','
    from = end + SEPARATOR_BYTES.length;
  }
  offsets[n] = at + 1;
  return at === size ? { bytes: out, offsets } : undefined;
}

export class PackedSource implements ItemSource {
  readonly count: number;
  readonly positions: Int32Array;
  private readonly bytes: Buffer;

  constructor(private readonly list: PackedList) {
    this.count = list.offsets.length - 1;
    this.positions = list.positions;
    this.bytes = Buffer.from(list.wire.buffer, list.wire.byteOffset, list.wire.byteLength);
  }

  packed(): Packed {
    return { bytes: this.bytes, offsets: this.list.offsets };
  }

  diagnostic(i: number): Diagnostic {
    const { offsets } = this.list;
    const diagnostic = JSON.parse(this.bytes.toString('utf8', offsets[i], offsets[i + 1] - 1)) as Diagnostic;
    const fixes = this.fixesJson(i);
    if (fixes) diagnostic.data = JSON.parse(fixes) as unknown;
    return diagnostic;
  }

  fixesJson(i: number): string {
    const { fixes, fixOffsets } = this.list;
    return fixes.slice(fixOffsets[i], fixOffsets[i + 1]);
  }
}

/** How lines added or removed move positions: lines from `from` on move by `lines`, those above stay. */
export interface LineShift {
  from: number;
  lines: number;
}

function shiftedLine(line: number, shift: LineShift): number {
  return line >= shift.from ? line + shift.lines : line;
}

/** How deep shifts of shifts may nest before a source is copied out (its bytes, ranges and fixes). */
const MAX_SHIFT_DEPTH = 4;

/**
 * Items [from, to) of another source after lines were added or removed above some of their
 * positions: every position on a line from `shift.from` on moves by `shift.lines`, the others stay.
 * Only for diagnostics that move just so (the worker checks: `keptShift` in diagnosticDelta.ts), so
 * every line number in their JSON moves by that rule.
 */
export class ShiftedSource implements ItemSource {
  private packing: Packed | undefined;

  private constructor(
    private readonly base: ItemSource,
    private readonly from: number,
    readonly count: number,
    private readonly shift: LineShift,
    readonly positions: Int32Array,
    private readonly depth: number,
  ) {}

  /**
   * Items [from, to) of `base` moved by `shift`, as a run. Two shifts in a row that one shift
   * describes (Enter pressed twice, a line added and removed again) are one; one that adds up to
   * nothing is the original items again. Past MAX_SHIFT_DEPTH the moved items are copied out.
   */
  static run(base: ItemSource, from: number, to: number, shift: LineShift): Run {
    if (base instanceof ShiftedSource) {
      const inner = base.shift;
      if (inner.lines >= 0 && inner.from <= shift.from && shift.from <= inner.from + inner.lines) {
        return ShiftedSource.run(base.base, base.from + from, base.from + to, { from: inner.from, lines: inner.lines + shift.lines });
      }
    }
    if (shift.lines === 0) return { source: base, from, to };
    const positions = base.positions.slice(4 * from, 4 * to);
    for (let k = 0; k < positions.length; k += 2) positions[k] = shiftedLine(positions[k], shift);
    const depth = base instanceof ShiftedSource ? base.depth + 1 : 1;
    const source = new ShiftedSource(base, from, to - from, shift, positions, depth);
    if (depth < MAX_SHIFT_DEPTH) return { source, from: 0, to: to - from };
    return { source: new CopiedSource([{ source, from: 0, to: to - from }], to - from), from: 0, to: to - from };
  }

  packed(): Packed {
    if (this.packing) return this.packing;
    const { bytes, offsets } = this.base.packed();
    return (this.packing = shiftLines(bytes, offsets, this.from, this.from + this.count, this.shift));
  }

  diagnostic(i: number): Diagnostic {
    return shiftDiagnostic(this.base.diagnostic(this.from + i), this.shift);
  }

  fixesJson(i: number): string {
    return shiftJsonLines(this.base.fixesJson(this.from + i), this.shift);
  }
}

const LINE_KEY = Buffer.from('"line":');
const OPEN_BRACE = 0x7b;
const COMMA_BYTE = 0x2c;

/**
 * Items [from, to) of packed JSON with every `"line":N` key moved by `shift`. A key is a `"line":`
 * right after `{` or `,`: inside a string a quote is always escaped (`\"`), so a message that
 * contains `{"line":` reads `{\"line\":` in JSON and is left alone.
 */
export function shiftLines(bytes: Buffer, offsets: Int32Array, from: number, to: number, shift: LineShift): Packed {
  const start = offsets[from];
  const end = Math.min(offsets[to], bytes.length);
  // A number grows by at most the digits of the shift (every key is 8 bytes or more).
  const out = Buffer.allocUnsafe(end - start + Math.ceil((end - start) / LINE_KEY.length) * String(Math.abs(shift.lines)).length);
  const local = new Int32Array(to - from + 1);
  let written = 0;
  let item = from;
  let copied = start;
  let at = bytes.indexOf(LINE_KEY, start);
  while (at !== -1 && at < end) {
    const before = bytes[at - 1];
    const digits = at + LINE_KEY.length;
    let stop = digits;
    let value = 0;
    while (stop < end && bytes[stop] >= 0x30 && bytes[stop] <= 0x39) value = value * 10 + bytes[stop++] - 0x30;
    if ((before === OPEN_BRACE || before === COMMA_BYTE) && stop > digits && value >= shift.from) {
      // Items that start before this number start where the output is now, less what follows them.
      while (item < to && offsets[item + 1] <= at) {
        item++;
        local[item - from] = written + offsets[item] - copied;
      }
      written += bytes.copy(out, written, copied, digits);
      written += out.write(String(value + shift.lines), written, 'latin1');
      copied = stop;
    }
    at = bytes.indexOf(LINE_KEY, stop);
  }
  while (item < to) {
    item++;
    local[item - from] = written + offsets[item] - copied;
  }
  written += bytes.copy(out, written, copied, end);
  return { bytes: out.subarray(0, written), offsets: local };
}

/** The same for one item's JSON text (its fixes). */
export function shiftJsonLines(json: string, shift: LineShift): string {
  if (!json) return json;
  return json.replace(/([{,]"line":)(\d+)/g, (whole, key: string, digits: string) => {
    const line = Number(digits);
    return line >= shift.from ? key + String(line + shift.lines) : whole;
  });
}

function shiftRange(range: Diagnostic['range'], shift: LineShift): Diagnostic['range'] {
  return { start: { line: shiftedLine(range.start.line, shift), character: range.start.character }, end: { line: shiftedLine(range.end.line, shift), character: range.end.character } };
}

/** A copy of a diagnostic moved by `shift`: its range, related locations and fix edits (see ShiftedSource). */
export function shiftDiagnostic(diagnostic: Diagnostic, shift: LineShift): Diagnostic {
  const copy: Diagnostic = { ...diagnostic, range: shiftRange(diagnostic.range, shift) };
  if (diagnostic.relatedInformation) copy.relatedInformation = diagnostic.relatedInformation.map((r) => ({ ...r, location: { uri: r.location.uri, range: shiftRange(r.location.range, shift) } }));
  const data = diagnostic.data as { fixes?: { edits: { range: Diagnostic['range']; newText: string }[] }[] } | undefined;
  if (data?.fixes) copy.data = { ...data, fixes: data.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: shiftRange(e.range, shift) })) })) };
  return copy;
}

export interface Run {
  source: ItemSource;
  from: number;
  to: number;
}

/** Past this many runs (a long session of edits in many places) a list is compacted into one source. */
const MAX_RUNS = 256;

/** An immutable list of diagnostics in runs over sources (see the top of this file). */
export class DiagnosticList {
  static readonly EMPTY = new DiagnosticList([], 0);

  private constructor(
    private readonly runs: readonly Run[],
    readonly length: number,
  ) {}

  static of(diagnostics: readonly Diagnostic[]): DiagnosticList {
    return diagnostics.length === 0 ? DiagnosticList.EMPTY : DiagnosticList.ofSource(new ObjectSource(diagnostics));
  }

  static ofSource(source: ItemSource): DiagnosticList {
    return source.count === 0 ? DiagnosticList.EMPTY : new DiagnosticList([{ source, from: 0, to: source.count }], source.count);
  }

  static from(value: DiagnosticList | readonly Diagnostic[]): DiagnosticList {
    return value instanceof DiagnosticList ? value : DiagnosticList.of(value);
  }

  static concat(lists: readonly DiagnosticList[]): DiagnosticList {
    const nonEmpty = lists.filter((l) => l.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? DiagnosticList.EMPTY;
    const builder = new ListBuilder();
    for (const list of nonEmpty) for (const run of list.runs) builder.add(run.source, run.from, run.to);
    return builder.build();
  }

  /** Item i whole (with its fixes). */
  diagnostic(i: number): Diagnostic {
    const { run, index } = this.locate(i);
    return run.source.diagnostic(index);
  }

  /** Every item whole: tests, and the rare caller that needs objects. */
  toArray(): Diagnostic[] {
    return this.diagnosticsIn(0, this.length);
  }

  /** Items [from, to) whole, in one walk over the runs (a delta's runs mapped through several edits). */
  diagnosticsIn(from: number, to: number): Diagnostic[] {
    const out: Diagnostic[] = [];
    let offset = 0;
    for (const run of this.runs) {
      const size = run.to - run.from;
      for (let k = Math.max(from, offset); k < Math.min(to, offset + size); k++) out.push(run.source.diagnostic(run.from + k - offset));
      offset += size;
      if (offset >= to) break;
    }
    return out;
  }

  /** What goes on the wire: JSON.stringify (other transports, logs) gives the client's array. */
  toJSON(): unknown[] {
    return JSON.parse(`[${this.wireBytes().toString('utf8')}]`) as unknown[];
  }

  /** The items' wire JSON, comma-separated, in pieces (a publish copies them into one message). */
  wirePieces(): Buffer[] {
    const pieces: Buffer[] = [];
    for (const run of this.runs) {
      const { bytes, offsets } = run.source.packed();
      if (pieces.length > 0) pieces.push(COMMA);
      pieces.push(bytes.subarray(offsets[run.from], offsets[run.to] - 1));
    }
    return pieces;
  }

  private wireBytes(): Buffer {
    return Buffer.concat(this.wirePieces());
  }

  /** Calls back with each item's range numbers, in order (no objects made). */
  forEachRange(visit: (index: number, startLine: number, startChar: number, endLine: number, endChar: number) => void): void {
    let index = 0;
    for (const run of this.runs) {
      const p = run.source.positions;
      for (let i = run.from; i < run.to; i++, index++) visit(index, p[4 * i], p[4 * i + 1], p[4 * i + 2], p[4 * i + 3]);
    }
  }

  /** The list without the items for which `drop` says true (this list itself when none is dropped). */
  without(drop: (startLine: number, startChar: number, endLine: number, endChar: number) => boolean): DiagnosticList {
    const builder = new ListBuilder();
    let dropped = 0;
    for (const run of this.runs) {
      const p = run.source.positions;
      let keptFrom = run.from;
      for (let i = run.from; i < run.to; i++) {
        if (!drop(p[4 * i], p[4 * i + 1], p[4 * i + 2], p[4 * i + 3])) continue;
        builder.add(run.source, keptFrom, i);
        keptFrom = i + 1;
        dropped++;
      }
      builder.add(run.source, keptFrom, run.to);
    }
    return dropped === 0 ? this : builder.build();
  }

  /**
   * Same items on the wire, in the same order. Stretches where both lists hold the same items of
   * the same source (the usual case: the worker's list kept as it was) are not looked at; the rest
   * is compared byte by byte.
   */
  sameOnWire(other: DiagnosticList): boolean {
    if (this === other) return true;
    if (this.length !== other.length) return false;
    let a = 0;
    let b = 0;
    let aAt = this.runs[0]?.from ?? 0;
    let bAt = other.runs[0]?.from ?? 0;
    while (a < this.runs.length && b < other.runs.length) {
      const x = this.runs[a];
      const y = other.runs[b];
      const size = Math.min(x.to - aAt, y.to - bAt);
      if (x.source !== y.source || aAt !== bAt) {
        const p = x.source.packed();
        const q = y.source.packed();
        const left = p.bytes.subarray(p.offsets[aAt], p.offsets[aAt + size] - 1);
        const right = q.bytes.subarray(q.offsets[bAt], q.offsets[bAt + size] - 1);
        if (!left.equals(right)) return false;
      }
      aAt += size;
      bAt += size;
      if (aAt === x.to && ++a < this.runs.length) aAt = this.runs[a].from;
      if (bAt === y.to && ++b < other.runs.length) bAt = other.runs[b].from;
    }
    return true;
  }

  /** For applyDelta: adds items [from, to) of this list to a builder, moved by `shift` (none: as they are). */
  copyInto(builder: ListBuilder, from: number, to: number, shift?: LineShift): void {
    let offset = 0;
    for (const run of this.runs) {
      const size = run.to - run.from;
      const a = Math.max(from, offset);
      const b = Math.min(to, offset + size);
      if (a < b) {
        const start = run.from + a - offset;
        const end = run.from + b - offset;
        if (!shift || shift.lines === 0) builder.add(run.source, start, end);
        else {
          const moved = ShiftedSource.run(run.source, start, end, shift);
          builder.add(moved.source, moved.from, moved.to);
        }
      }
      offset += size;
      if (offset >= to) break;
    }
  }

  /** How many runs (tests: compaction). */
  get runCount(): number {
    return this.runs.length;
  }

  private locate(i: number): { run: Run; index: number } {
    if (i < 0 || i >= this.length) throw new RangeError(`diagnostic ${i} of ${this.length}`);
    let offset = 0;
    for (const run of this.runs) {
      const size = run.to - run.from;
      if (i < offset + size) return { run, index: run.from + i - offset };
      offset += size;
    }
    throw new RangeError(`diagnostic ${i} of ${this.length}`);
  }

  /** A list of many runs as one source: its bytes, ranges and fixes copied once (nothing of the old sources is kept). */
  compacted(): DiagnosticList {
    if (this.runs.length <= 1) return this;
    return DiagnosticList.ofSource(new CopiedSource(this.runs, this.length));
  }

  static fromRuns(runs: Run[], length: number): DiagnosticList {
    const list = length === 0 ? DiagnosticList.EMPTY : new DiagnosticList(runs, length);
    return list.runs.length > MAX_RUNS ? list.compacted() : list;
  }
}

const COMMA = Buffer.from(',');

/** Builds a list run by run, joining a run that continues the previous one in the same source. */
export class ListBuilder {
  private readonly runs: Run[] = [];
  private length = 0;

  add(source: ItemSource, from: number, to: number): void {
    if (to <= from) return;
    const last = this.runs[this.runs.length - 1];
    if (last && last.source === source && last.to === from) last.to = to;
    else this.runs.push({ source, from, to });
    this.length += to - from;
  }

  /** Items [from, to) of a list, moved by `shift` (none: as they are). */
  addList(list: DiagnosticList, from: number, to: number, shift?: LineShift): void {
    list.copyInto(this, from, to, shift);
  }

  addObjects(diagnostics: readonly Diagnostic[]): void {
    if (diagnostics.length > 0) this.add(new ObjectSource(diagnostics), 0, diagnostics.length);
  }

  build(): DiagnosticList {
    return DiagnosticList.fromRuns(this.runs, this.length);
  }
}

/**
 * Runs copied into one source of its own: bytes, ranges and fixes. It keeps nothing of the sources
 * it was copied from, so that a long session does not keep a chain of old lists alive.
 */
class CopiedSource extends PackedSource {
  constructor(runs: readonly Run[], count: number) {
    const positions = new Int32Array(4 * count);
    const offsets = new Int32Array(count + 1);
    const fixOffsets = new Int32Array(count + 1);
    const pieces: Buffer[] = [];
    const fixes: string[] = [];
    let item = 0;
    let at = 0;
    let fixesAt = 0;
    for (const run of runs) {
      const packed = run.source.packed();
      positions.set(run.source.positions.subarray(4 * run.from, 4 * run.to), 4 * item);
      for (let i = run.from; i < run.to; i++, item++) {
        offsets[item] = at + packed.offsets[i] - packed.offsets[run.from];
        fixOffsets[item] = fixesAt;
        const json = run.source.fixesJson(i);
        fixes.push(json);
        fixesAt += json.length;
      }
      // Each run's items with the comma after each (the source's last item has none: added).
      const length = packed.offsets[run.to] - packed.offsets[run.from];
      const slice = packed.bytes.subarray(packed.offsets[run.from], packed.offsets[run.from] + length);
      pieces.push(slice);
      if (slice.length < length) pieces.push(COMMA);
      at += length;
    }
    offsets[count] = at;
    fixOffsets[count] = fixesAt;
    const wire = Buffer.concat(pieces);
    super({ wire: wire.subarray(0, Math.max(0, wire.length - 1)), offsets, positions, fixes: fixes.join(''), fixOffsets });
  }
}
