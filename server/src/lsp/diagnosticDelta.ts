// The validation worker sends the main thread only the diagnostics that changed since its last
// result: a keystroke in one service of a file with 15k findings changes a handful of them, and
// cloning all of them across the thread boundary on every keystroke cost more than finding them.
// Diagnostics before and after the edited lines are kept; those after it move by the lines the
// edits added or removed. Both sides map positions with the same function, so the main thread's
// copy is exactly the worker's list.
import type { Diagnostic, DiagnosticRelatedInformation, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { DiagnosticFixData } from '../engine/features/diagnostics';
import { DiagnosticList, LineShift, ListBuilder } from './diagnosticList';

/** One edit: the text from (startLine, startChar) to (endLine, endChar) became text that ends at (newEndLine, newEndChar). */
export interface LineEdit {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  newEndLine: number;
  newEndChar: number;
}

export interface DiagnosticsDelta {
  /** The result (request id) this delta applies to. */
  baseId: number;
  /** The edits since that result, in order. */
  edits: LineEdit[];
  /**
   * Applied in order over the base list: keep `keep` diagnostics (positions mapped through the
   * edits; or taken as they are when `keptAsIs`: the worker found that the edits move none of
   * them; or moved by `keptShift` lines from line `shiftFrom` on, when that is just what the edits
   * do to each of them), drop `drop`, insert `insert`; whatever follows the last step is kept (mapped).
   */
  steps: { keep: number; drop: number; insert: Diagnostic[]; keptAsIs?: boolean; keptShift?: number }[];
  /** With `keptShift`: the first line (before the edits) whose positions move. */
  shiftFrom?: number;
}

/** The edit of a content change, or undefined for a whole-text replacement (nothing can be kept). */
export function lineEditOf(change: TextDocumentContentChangeEvent): LineEdit | undefined {
  if (!('range' in change) || !change.range) return undefined;
  let added = 0;
  let lastBreak = -1;
  for (let i = 0; i < change.text.length; i++) {
    const c = change.text.charCodeAt(i);
    // A lone CR is a line break too (LineDocument counts it).
    if (c === 10 || (c === 13 && change.text.charCodeAt(i + 1) !== 10)) {
      added++;
      lastBreak = i;
    }
  }
  const { start, end } = change.range;
  return {
    startLine: start.line,
    startChar: start.character,
    endLine: end.line,
    endChar: end.character,
    newEndLine: start.line + added,
    newEndChar: added === 0 ? start.character + change.text.length : change.text.length - lastBreak - 1,
  };
}

/** Where a position is after the edits, or undefined when it was on an edited line. */
function mapPosition(position: Position, edits: LineEdit[]): Position | undefined {
  let line = position.line;
  let character = position.character;
  for (const edit of edits) {
    if (line < edit.startLine || (line === edit.startLine && character < edit.startChar)) continue;
    if (line > edit.endLine) line += edit.newEndLine - edit.endLine;
    else if (line === edit.endLine && character > edit.endChar) {
      character = edit.newEndChar + character - edit.endChar;
      line = edit.newEndLine;
    } else return undefined; // inside the edited text (or at its very edge: ambiguous)
  }
  return line === position.line && character === position.character ? position : { line, character };
}

/** Where the start of a line is after the edits (undefined when an edit starts or ends right there, or spans it). */
export function mapLineStart(line: number, edits: LineEdit[]): number | undefined {
  return mapPosition({ line, character: 0 }, edits)?.line;
}

function mapRange(range: Range, edits: LineEdit[]): Range | undefined {
  const start = mapPosition(range.start, edits);
  const end = start && mapPosition(range.end, edits);
  if (!start || !end) return undefined;
  return start === range.start && end === range.end ? range : { start, end };
}

/**
 * A diagnostic moved through the edits: the same object when nothing moves, a copy when lines
 * shift, undefined when any of its positions (range, related locations, fix edits) sat on an edited line.
 */
export function mapDiagnostic(diagnostic: Diagnostic, edits: LineEdit[], uri: string): Diagnostic | undefined {
  if (edits.length === 0) return diagnostic;
  const range = mapRange(diagnostic.range, edits);
  if (!range) return undefined;
  // Called for every diagnostic of the file on every keystroke, on both threads: nothing is
  // allocated unless something really moves (most diagnostics are on lines the edit left alone).
  let moved = range !== diagnostic.range;
  let related = diagnostic.relatedInformation;
  if (related) {
    let mapped: DiagnosticRelatedInformation[] | undefined;
    for (let k = 0; k < related.length; k++) {
      const info = related[k];
      // Locations in other documents do not move with this one.
      const r = info.location.uri === uri ? mapRange(info.location.range, edits) : info.location.range;
      if (!r) return undefined;
      if (r !== info.location.range) {
        mapped ??= related.slice(0, k);
        mapped.push({ ...info, location: { uri: info.location.uri, range: r } });
      } else mapped?.push(info);
    }
    if (mapped) {
      related = mapped;
      moved = true;
    }
  }
  let data = diagnostic.data as DiagnosticFixData | undefined;
  if (data?.fixes) {
    let fixes: DiagnosticFixData['fixes'] | undefined;
    for (let f = 0; f < data.fixes.length; f++) {
      const fix = data.fixes[f];
      let editsOut: DiagnosticFixData['fixes'][number]['edits'] | undefined;
      for (let e = 0; e < fix.edits.length; e++) {
        const edit = fix.edits[e];
        const r = mapRange(edit.range, edits);
        if (!r) return undefined;
        if (r !== edit.range) {
          editsOut ??= fix.edits.slice(0, e);
          editsOut.push({ range: r, newText: edit.newText });
        } else editsOut?.push(edit);
      }
      if (editsOut) {
        fixes ??= data.fixes.slice(0, f);
        fixes.push({ ...fix, edits: editsOut });
      } else fixes?.push(fix);
    }
    if (fixes) {
      data = { ...data, fixes };
      moved = true;
    }
  }
  if (!moved) return diagnostic;
  const copy: Diagnostic = { ...diagnostic, range };
  if (related) copy.relatedInformation = related;
  if (data) copy.data = data;
  return copy;
}

/**
 * What the edits do to lines when they are one edit that adds or removes lines (Enter, a deleted
 * line, a paste): every line after it moves by as many lines, characters and all; the lines above
 * it stay.
 */
export function lineShiftOfEdits(edits: LineEdit[]): LineShift | undefined {
  if (edits.length !== 1) return undefined;
  const edit = edits[0];
  const lines = edit.newEndLine - edit.endLine;
  return lines === 0 ? undefined : { from: edit.endLine + 1, lines };
}

/**
 * Does the edits' line shift describe exactly what they do to this diagnostic: each of its
 * positions (range, related locations, fix edits) either on a line above `shift.from` and left
 * alone, or on a later line and moved by just `shift.lines`? Then the main thread moves it by
 * rewriting the line numbers of its JSON by that rule (so none may point into another document).
 */
export function movesByShift(diagnostic: Diagnostic, edits: LineEdit[], shift: LineShift, uri: string): boolean {
  const same = (p: Position): boolean => {
    const mapped = mapPosition(p, edits);
    return mapped !== undefined && mapped.character === p.character && mapped.line === (p.line >= shift.from ? p.line + shift.lines : p.line);
  };
  const sameRange = (r: Range) => same(r.start) && same(r.end);
  if (!sameRange(diagnostic.range)) return false;
  const related = diagnostic.relatedInformation;
  if (related) for (let k = 0; k < related.length; k++) if (related[k].location.uri !== uri || !sameRange(related[k].location.range)) return false;
  const fixes = (diagnostic.data as DiagnosticFixData | undefined)?.fixes;
  if (fixes) for (const fix of fixes) for (const e of fix.edits) if (!sameRange(e.range)) return false;
  return true;
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

/** What `previous` becomes through the edits, when that is `next` (else undefined). */
function mappedIfSame(previous: Diagnostic, next: Diagnostic, edits: LineEdit[], uri: string): Diagnostic | undefined {
  if (previous.message !== next.message || previous.code !== next.code || previous.severity !== next.severity || previous.source !== next.source) return undefined;
  const mapped = mapDiagnostic(previous, edits, uri);
  return mapped && sameAsMapped(mapped, next) ? mapped : undefined;
}

/** Is `next` the same on the wire and in its fixes as `mapped` (a diagnostic already moved through the edits)? */
function sameAsMapped(mapped: Diagnostic, next: Diagnostic): boolean {
  if (!sameRange(mapped.range, next.range)) return false;
  const a = mapped.relatedInformation;
  const b = next.relatedInformation;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  if (a && b) {
    for (let k = 0; k < a.length; k++) {
      if (a[k].message !== b[k].message || a[k].location.uri !== b[k].location.uri || !sameRange(a[k].location.range, b[k].location.range)) return false;
    }
  }
  const fa = (mapped.data as DiagnosticFixData | undefined)?.fixes;
  const fb = (next.data as DiagnosticFixData | undefined)?.fixes;
  if ((fa?.length ?? 0) !== (fb?.length ?? 0)) return false;
  if (fa && fb) {
    for (let k = 0; k < fa.length; k++) {
      const x = fa[k];
      const y = fb[k];
      if (x.title !== y.title || x.preferred !== y.preferred || x.edits.length !== y.edits.length) return false;
      if (JSON.stringify(x.command) !== JSON.stringify(y.command)) return false;
      for (let e = 0; e < x.edits.length; e++) if (x.edits[e].newText !== y.edits[e].newText || !sameRange(x.edits[e].range, y.edits[e].range)) return false;
    }
  }
  return true;
}

/**
 * A quick "the edits leave this diagnostic where it is" for edits that add or remove no line
 * (typing): true when none of its positions is on an edited line (false: ask mapDiagnostic).
 */
function untouchedTest(edits: LineEdit[], uri: string): (d: Diagnostic) => boolean {
  if (edits.some((e) => e.startLine !== e.endLine || e.newEndLine !== e.startLine)) return () => false;
  const lines = new Set(edits.map((e) => e.startLine));
  const on = (r: Range) => lines.has(r.start.line) || lines.has(r.end.line);
  return (d) => {
    if (on(d.range)) return false;
    const related = d.relatedInformation;
    if (related) for (let k = 0; k < related.length; k++) if (related[k].location.uri === uri && on(related[k].location.range)) return false;
    const fixes = (d.data as DiagnosticFixData | undefined)?.fixes;
    if (fixes) for (const fix of fixes) for (const e of fix.edits) if (on(e.range)) return false;
    return true;
  };
}

/** How far ahead a changed stretch is searched for the point where both lists agree again. */
const RESYNC_WINDOW = 64;

/**
 * What to send instead of `next`, given the `previous` list the main thread holds; undefined when
 * the lists differ so much that the whole list is cheaper (the comparisons are bounded). `moved`
 * names diagnostics of `next` that are `mapDiagnostic(previous one, edits)`.
 */
export function diffDiagnostics(previous: Diagnostic[], next: Diagnostic[], edits: LineEdit[], uri: string, baseId: number, moved?: ReadonlyMap<Diagnostic, Diagnostic>): DiagnosticsDelta | undefined {
  const steps: DiagnosticsDelta['steps'] = [];
  let comparisons = 0;
  const untouched = untouchedTest(edits, uri);
  const limit = 4 * (previous.length + next.length) + 10000;
  /**
   * How the main thread keeps the pair just compared: 0 as it is, k moved k lines down, NaN
   * mapped through the edits (see DiagnosticsDelta.steps).
   */
  let kept = NaN;
  const shift = lineShiftOfEdits(edits);
  const shiftedOrMapped = (d: Diagnostic) => (shift && movesByShift(d, edits, shift, uri) ? shift.lines : NaN);
  const same = (i: number, j: number) => {
    comparisons++;
    kept = NaN;
    // The same object in both lists: the worker reused a unit's rendering, which it does only while
    // the unit's text and first line are unchanged, so no edit is inside it and nothing moved it.
    if (previous[i] === next[j] && (untouched(previous[i]) || mapDiagnostic(previous[i], edits, uri) === previous[i])) return (kept = 0) === 0;
    // `next[j]` is `previous[i]` moved through these very edits (`moved`: what the caller made so).
    // (The main thread maps those when it keeps them; one that does not map asks for the whole list.)
    if (moved !== undefined && moved.get(next[j]) === previous[i]) {
      kept = shiftedOrMapped(previous[i]);
      return true;
    }
    const mapped = mappedIfSame(previous[i], next[j], edits, uri);
    if (mapped === undefined) return false;
    // Rendered again but equal (its unit or group was checked again): as is when the edits do not move it.
    kept = mapped === previous[i] ? 0 : shiftedOrMapped(previous[i]);
    return true;
  };
  const step = (keep: number, drop: number, insert: Diagnostic[], how: number): DiagnosticsDelta['steps'][number] => {
    if (how === 0) return { keep, drop, insert, keptAsIs: true };
    if (Number.isNaN(how)) return { keep, drop, insert };
    return { keep, drop, insert, keptShift: how };
  };
  let i = 0;
  let j = 0;
  let keep = 0;
  // Kept runs are split where the way they are kept changes, so that the main thread maps only what
  // moves by more than whole lines: a keystroke keeps 15k diagnostics of which none moves, and a
  // line added moves 7.7k of them down one line; mapping each one cost the main thread 3-5 ms and
  // 7 MB of copies.
  let keptHow = 0;
  while (i < previous.length && j < next.length) {
    if (same(i, j)) {
      if (keep > 0 && !Object.is(kept, keptHow)) {
        steps.push(step(keep, 0, [], keptHow));
        keep = 0;
      }
      keptHow = kept;
      keep++;
      i++;
      j++;
      continue;
    }
    // A changed stretch: the nearest pair (i + a, j + b) that agrees again.
    let best: [number, number] | undefined;
    for (let d = 1; d <= RESYNC_WINDOW && !best; d++) {
      for (let a = 0; a <= d; a++) {
        const b = d - a;
        if (i + a < previous.length && j + b < next.length && same(i + a, j + b)) {
          best = [a, b];
          break;
        }
      }
    }
    if (comparisons > limit) return undefined;
    const [drop, add] = best ?? [Math.min(RESYNC_WINDOW, previous.length - i), Math.min(RESYNC_WINDOW, next.length - j)];
    steps.push(step(keep, drop, next.slice(j, j + add), keptHow));
    keep = 0;
    i += drop;
    j += add;
  }
  if (i < previous.length || j < next.length) steps.push(step(keep, previous.length - i, next.slice(j), keptHow));
  else if (keep > 0) steps.push(step(keep, 0, [], keptHow));
  return shift ? { baseId, edits, steps, shiftFrom: shift.from } : { baseId, edits, steps };
}

/**
 * The main thread's side: the new list from the base it holds. Kept runs are taken as they are or
 * moved whole (no copies); only diagnostics the edits move by more than lines are made again.
 * `counts.moved`: how many were made again as moved copies (garbage worth collecting at once).
 */
export function applyDelta(base: DiagnosticList, delta: DiagnosticsDelta, uri: string, counts?: { moved: number }): DiagnosticList {
  const out = new ListBuilder();
  let i = 0;
  let moved = 0;
  const keep = (count: number, how: { keptAsIs?: boolean; keptShift?: number }) => {
    if (i + count > base.length) throw new Error('diagnostics delta does not apply to the base');
    if (how.keptAsIs || how.keptShift !== undefined) {
      if (how.keptShift !== undefined && delta.shiftFrom === undefined) throw new Error('diagnostics delta: a shift without its first line');
      out.addList(base, i, i + count, how.keptShift ? { from: delta.shiftFrom!, lines: how.keptShift } : undefined);
      i += count;
      return;
    }
    const mappedOnes: Diagnostic[] = [];
    for (const original of base.diagnosticsIn(i, i + count)) {
      const mapped = mapDiagnostic(original, delta.edits, uri);
      // The worker checked that every kept diagnostic maps; a miss means the two sides disagree.
      if (!mapped) throw new Error('diagnostics delta does not apply to the base');
      if (mapped !== original) moved++;
      mappedOnes.push(mapped);
    }
    i += count;
    out.addObjects(mappedOnes);
  };
  for (const step of delta.steps) {
    keep(step.keep, step);
    i += step.drop;
    out.addObjects(step.insert);
  }
  keep(base.length - i, {});
  if (counts) counts.moved = moved;
  return out.build();
}

/** Diagnostics a delta carries (for logs and tests). */
export function deltaSize(delta: DiagnosticsDelta): number {
  return delta.steps.reduce((n, s) => n + s.insert.length, 0);
}
