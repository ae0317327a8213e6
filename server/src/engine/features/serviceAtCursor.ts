// The model of the service around the cursor, parsed on its own (cached by text), so completion
// and hover never wait for a whole-file validation.
import { ComposeAnalyzer } from '../analysis';
import { pushAll } from '../arrays';
import { ServiceModel } from '../compose/model';
import { lineStartOf } from '../compose/labelsBlock';
import { TextLike } from '../text';
import { ServiceRegion } from './cursorContext';

export function serviceModelAt(analyzer: ComposeAnalyzer, doc: TextLike, region: ServiceRegion, blankLineAt?: number): ServiceModel | undefined {
  let regionText = doc.slice(region.start, region.end);
  if (blankLineAt !== undefined && blankLineAt >= region.start && blankLineAt <= region.end) {
    // Blank the line being typed so a half-typed entry does not spoil the parse of its neighbours.
    const rel = blankLineAt - region.start;
    const lineStart = lineStartOf(regionText, rel);
    let lineEnd = regionText.indexOf('\n', rel);
    if (lineEnd < 0) lineEnd = regionText.length;
    regionText = regionText.slice(0, lineStart) + regionText.slice(lineEnd);
  }
  if (!ALIAS.test(regionText)) return analyzer.unit(regionText, 'service').parsed.services[0];
  return withAnchors(analyzer, doc, region, regionText) ?? analyzer.unit(regionText, 'service').parsed.services[0];
}

/** `*name` where YAML reads an alias (after a space, '[', '{', ',' or at the start of a value). */
const ALIAS = /(?:^|[\s,[{])\*([^\s,[\]{}]+)/;
const ALIASES = /(?:^|[\s,[{])\*([^\s,[\]{}]+)/g;
/** Anchors whose blocks use further anchors (`<<` chains): how many levels are followed. */
const MAX_ANCHOR_ROUNDS = 20;

/**
 * A service that uses `ports: *p` or `<<: *base` needs the anchors, which live elsewhere in the
 * file: parse it behind the blocks that define them (top-level `x-` blocks, sibling services), as
 * validation does with the whole file, and shift the spans back onto the service's own text.
 */
function withAnchors(analyzer: ComposeAnalyzer, doc: TextLike, region: ServiceRegion, regionText: string): ServiceModel | undefined {
  const regionLine = doc.positionAt(region.start).line;
  const serviceIndent = indentOf(doc.lineText(regionLine));
  const blocks = new Map<number, { start: number; end: number; topLevel: boolean }>();
  let pending = aliasNames(regionText);
  const seen = new Set<string>();
  for (let round = 0; round < MAX_ANCHOR_ROUNDS && pending.length > 0; round++) {
    const next: string[] = [];
    for (const name of pending) {
      if (seen.has(name)) continue;
      seen.add(name);
      const line = anchorLine(doc, name, regionLine);
      if (line === undefined) continue;
      const block = enclosingBlock(doc, line, serviceIndent);
      if (!block || block.start === regionLine || blocks.has(block.start)) continue;
      blocks.set(block.start, block);
      pushAll(next, aliasNames(doc.slice(doc.lineStart(block.start), doc.lineStart(block.end))));
    }
    pending = next;
  }
  if (blocks.size === 0) return undefined;
  const ordered = [...blocks.values()].sort((a, b) => a.start - b.start);
  const text = (b: { start: number; end: number }) => ensureNewline(doc.slice(doc.lineStart(b.start), doc.lineStart(b.end)));
  // Anchors come before their aliases, so document order is kept: top-level blocks, then (under
  // `services:`) sibling services; with top-level services (Compose V1) both are at the top.
  const prefix =
    serviceIndent > 0
      ? `${ordered.filter((b) => b.topLevel).map(text).join('')}services:\n${ordered.filter((b) => !b.topLevel).map(text).join('')}`
      : ordered.map(text).join('');
  const parsed = analyzer.unit(prefix + regionText, 'document').parsed.services;
  const service = [...parsed].reverse().find((s) => s.name === region.name);
  if (!service) return undefined;
  // The cached model is shared: shift a copy.
  return shiftSpans(structuredClone(service), -prefix.length);
}

function aliasNames(text: string): string[] {
  const names: string[] = [];
  ALIASES.lastIndex = 0;
  for (let m = ALIASES.exec(text); m; m = ALIASES.exec(text)) names.push(m[1]);
  return names;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * The last line before `beforeLine` that defines `&name` (YAML uses the latest definition), within
 * the same YAML document (anchors do not cross `---`), outside comments.
 */
function anchorLine(doc: TextLike, name: string, beforeLine: number): number | undefined {
  const anchor = `&${name}`;
  // Completion runs on every keystroke, and a `<<: *defaults` near the end of a 90k-line file would
  // walk the whole file back to its anchor each time: remember where each anchor was found and
  // reuse it while that line still defines it (edits below an anchor do not move it).
  let known = anchorLines.get(doc);
  if (!known) anchorLines.set(doc, (known = new Map()));
  const cached = known.get(name);
  if (cached !== undefined && cached < beforeLine && definesAnchor(doc.lineText(cached), anchor)) return cached;
  for (let line = beforeLine - 1; line >= 0; line--) {
    const text = doc.lineText(line);
    if (/^(---|\.\.\.)(\s|$)/.test(text)) return undefined;
    if (!definesAnchor(text, anchor)) continue;
    known.set(name, line);
    return line;
  }
  return undefined;
}

const anchorLines = new WeakMap<TextLike, Map<string, number>>();

/** Does the line define `&name` (followed by a space or the line end, not inside a comment)? */
function definesAnchor(text: string, anchor: string): boolean {
  const at = text.indexOf(anchor);
  if (at < 0) return false;
  const comment = text.search(/(^|\s)#/);
  if (comment >= 0 && comment < at) return false;
  const after = text[at + anchor.length];
  return after === undefined || after === ' ' || after === '\t';
}

/**
 * The block that holds a line: its top-level entry (`x-common:` ...), or, under `services:`, the
 * sibling service. `end` is the first line after it.
 */
function enclosingBlock(doc: TextLike, line: number, serviceIndent: number): { start: number; end: number; topLevel: boolean } | undefined {
  const isContent = (l: number) => {
    const trimmed = doc.lineText(l).trimStart();
    return trimmed !== '' && !trimmed.startsWith('#');
  };
  let top = line;
  while (top > 0 && !(isContent(top) && indentOf(doc.lineText(top)) === 0)) top--;
  const topKey = doc.lineText(top).trim();
  let start = top;
  let indent = 0;
  let topLevel = true;
  if (serviceIndent > 0 && /^(["']?)services\1\s*:/.test(topKey)) {
    // Inside the services section: the sibling service whose key line is at the services' indentation.
    start = line;
    while (start > top && !(isContent(start) && indentOf(doc.lineText(start)) <= serviceIndent)) start--;
    if (start === top) return undefined;
    indent = serviceIndent;
    topLevel = false;
  }
  let end = start + 1;
  while (end < doc.lineCount && !(isContent(end) && indentOf(doc.lineText(end)) <= indent)) end++;
  return { start, end, topLevel };
}

/** Moves every span ({start, end} numbers) in a model by `delta`. */
function shiftSpans<T>(value: T, delta: number): T {
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') {
      record.start = (record.start as number) + delta;
      record.end = (record.end as number) + delta;
    }
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(value);
  return value;
}
