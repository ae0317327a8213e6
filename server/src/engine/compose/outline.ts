// A cheap line scan that cuts a compose file into YAML documents and each document into
// top-level sections and service chunks, without parsing YAML. Each chunk is parsed on its own
// and cached by its text, so an edit re-parses only the service it touches. When the layout is
// anything but plain block style at the section/service level (flow collections spanning lines,
// odd indentation, tabs), the document is marked for a whole-document parse, which is slower but
// exact. Aliases across chunks keep the chunks: each chunk records the anchors it defines and the
// aliases it uses from elsewhere, and the analyzer parses such a chunk behind the chunks that
// define them (compose/anchorDeps.ts).

import type { TextReader } from '../textSource';

export type ComposeVersion = 'v1' | 'v2' | 'v3';

export interface Chunk {
  kind: 'service' | 'section';
  /** Service name or top-level key. */
  name: string;
  /** Absolute offsets into the whole text. */
  start: number;
  end: number;
  /** 0-based line of `start`. */
  startLine: number;
  /** Anchors (`&name`) defined in the chunk, when there are any. */
  anchors?: string[];
  /** Aliases (`*name`) the chunk uses, when there are any. */
  aliases?: string[];
}

export interface DocumentOutline {
  start: number;
  end: number;
  startLine: number;
  version: ComposeVersion | undefined;
  chunks: Chunk[];
  /** True when the document must be parsed whole (see file comment). */
  needsWholeParse: boolean;
  /** Names of services that appear more than once (the YAML map would reject them). */
  duplicateServices: { name: string; chunkIndex: number }[];
  /** Indentation of the service keys under `services:` (0 for V1), -1 when unknown. */
  serviceIndent: number;
}

const TOP_LEVEL_NON_SERVICE_KEYS = new Set(['version', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'name', 'models']);
const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}\[\],&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)/;
const ALIAS = /(?:^|[\s\[{,])\*([^\s\[\]{},]+)/g;
const ANCHOR = /(?:^|[\s\[{,])&([^\s\[\]{},]+)/g;

function keyOf(text: string): string | undefined {
  const m = KEY_LINE.exec(text);
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? m[3] ?? '').trim();
}

/**
 * Cheap line walker: the scan looks only at the lines that can start a chunk (indent 0, and the
 * service indent inside `services:`), skipping deeper lines after a few character compares.
 */
interface LineCursor {
  start: number;
  end: number; // without the newline and a trailing \r
  next: number; // start of the next line, or text.length + 1 at the end
}

function lineFrom(text: string, start: number): LineCursor {
  let nl = text.indexOf('\n', start);
  if (nl < 0) nl = text.length;
  const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  return { start, end, next: nl + 1 };
}

/** Counts lines monotonically: line numbers of increasing offsets at the cost of one pass in total. */
class LineNumbers {
  private offset = 0;
  private line = 0;
  constructor(private readonly text: string) {}
  at(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 0;
    }
    for (let i = this.text.indexOf('\n', this.offset); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.offset = offset;
    return this.line;
  }
}

/** Node properties alone (`&anchor`, `!tag`): the value is the block on the following lines. */
const ONLY_PROPERTIES = /^(?:[&!][^\s]*\s*)+$/;

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

export function outlineCompose(text: string): DocumentOutline[] {
  const documents: DocumentOutline[] = [];
  const lines = new LineNumbers(text);
  // Skip a UTF-8 BOM: YAML ignores it and so must our columns.
  let docStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let forceWhole = false;
  DOCUMENT_MARKER.lastIndex = 0;
  for (let m = DOCUMENT_MARKER.exec(text); m; m = DOCUMENT_MARKER.exec(text)) {
    const line = lineFrom(text, m.index);
    if (line.start > docStart) documents.push(outlineDocument(text, docStart, line.start, lines, forceWhole));
    forceWhole = false;
    const rest = text.slice(line.start + 3, line.end).trim();
    if (m[0] === '---' && rest !== '' && !rest.startsWith('#')) {
      // '--- key: value' on the marker line is rare in compose; the whole parse handles it.
      docStart = line.start;
      forceWhole = true;
    } else docStart = Math.min(line.next, text.length);
    DOCUMENT_MARKER.lastIndex = Math.max(DOCUMENT_MARKER.lastIndex, line.next);
  }
  if (text.length > docStart || documents.length === 0) documents.push(outlineDocument(text, docStart, text.length, lines, forceWhole));
  return documents;
}

const TOP_LEVEL_LINE = /^\ufeff?[^ \t\r\n#\ufeff]/gm;
const TAB_AT_COLUMN_ZERO = /^\t+[^\s#]/m;

function outlineDocument(text: string, start: number, end: number, lines: LineNumbers, forceWhole: boolean): DocumentOutline {
  const startLine = lines.at(start);
  const outline: DocumentOutline = { start, end, startLine, version: undefined, chunks: [], needsWholeParse: forceWhole, duplicateServices: [], serviceIndent: -1 };
  // Pass 1: top-level keys (lines that start in column 0), found by one regex scan.
  const top: { key: string; start: number; line: number; inlineValue: string }[] = [];
  if (TAB_AT_COLUMN_ZERO.test(text.slice(start, end))) outline.needsWholeParse = true;
  TOP_LEVEL_LINE.lastIndex = start === 1 && text.charCodeAt(0) === 0xfeff ? 0 : start;
  for (let m = TOP_LEVEL_LINE.exec(text); m && m.index < end; m = TOP_LEVEL_LINE.exec(text)) {
    const line = lineFrom(text, text.charCodeAt(m.index) === 0xfeff ? m.index + 1 : m.index);
    const lineText = text.slice(line.start, Math.min(line.end, end));
    const key = keyOf(lineText);
    if (key === undefined) {
      outline.needsWholeParse = true; // directives (%YAML) and anything odd at column 0
      continue;
    }
    const colon = lineText.indexOf(':', lineText.indexOf(key) + key.length);
    const inlineValue = lineText.slice(colon + 1).replace(/\s+#.*$/, '').trim();
    top.push({ key, start: line.start, line: lines.at(line.start), inlineValue });
    // `key: value` followed by an indented line (not a block scalar or an open flow collection) is
    // broken YAML whose recovery only the whole parse reproduces.
    // (`key: &anchor` or `key: !tag` only names the block that follows.)
    if (inlineValue !== '' && !/^[|>]/.test(inlineValue) && !/^[[{]/.test(inlineValue) && !ONLY_PROPERTIES.test(inlineValue)) {
      const next = /^([ \t]*)[^ \t\r\n#]/m.exec(text.slice(line.next, Math.min(end, line.next + 4096)));
      if (next && next[1].length > 0 && next.index === 0) outline.needsWholeParse = true;
    }
    if (key === 'version') {
      const v = inlineValue.replace(/^["']|["']$/g, '');
      outline.version = v.startsWith('3') ? 'v3' : v.startsWith('2') ? 'v2' : v.startsWith('1') ? 'v1' : undefined;
    }
  }
  const hasServicesKey = top.some((k) => k.key === 'services');
  if (!hasServicesKey && !outline.version && top.some((k) => !TOP_LEVEL_NON_SERVICE_KEYS.has(k.key) && !k.key.startsWith('x-'))) outline.version = 'v1';
  if (hasServicesKey && !outline.version) outline.version = 'v3';

  const pushChunk = (kind: Chunk['kind'], name: string, chunkStart: number, chunkEnd: number, line: number) => {
    outline.chunks.push({ kind, name, start: chunkStart, end: chunkEnd, startLine: line });
  };
  // Leading comments/blank lines before the first key belong to a "section" chunk of their own.
  if (top.length > 0 && top[0].start > start) pushChunk('section', '', start, top[0].start, startLine);
  if (top.length === 0 && end > start) pushChunk('section', '', start, end, startLine);

  for (let k = 0; k < top.length; k++) {
    const { key, start: keyStart, line: keyLine, inlineValue } = top[k];
    const nextTop = k + 1 < top.length ? top[k + 1].start : end;
    const isV1Service = !hasServicesKey && !TOP_LEVEL_NON_SERVICE_KEYS.has(key) && !key.startsWith('x-');
    if (isV1Service) {
      outline.serviceIndent = 0;
      pushChunk('service', key, keyStart, nextTop, keyLine);
      continue;
    }
    if (key !== 'services' || inlineValue !== '') {
      if (key === 'services' && inlineValue !== '' && !/^(\{\s*\}|~|null)$/.test(inlineValue)) outline.needsWholeParse = true;
      pushChunk('section', key, keyStart, nextTop, keyLine);
      continue;
    }
    // services: block. Service indent = indent of the first content line; then only lines indented
    // no deeper than that are looked at (one regex scan).
    let serviceIndent = -1;
    const serviceStarts: { name: string; start: number; line: number }[] = [];
    const FIRST = /^([ \t]*)[^ \t\r\n#]/gm;
    FIRST.lastIndex = lineFrom(text, keyStart).next;
    const first = FIRST.exec(text);
    if (first && first.index < nextTop) {
      serviceIndent = first[1].length;
      outline.serviceIndent = serviceIndent;
      if (first[1].includes('\t')) outline.needsWholeParse = true;
      const SHALLOW = new RegExp(`^( {0,${serviceIndent}})([^ \\r\\n#])`, 'gm');
      SHALLOW.lastIndex = first.index;
      for (let m = SHALLOW.exec(text); m && m.index < nextTop; m = SHALLOW.exec(text)) {
        const indent = m[1].length;
        const line = lineFrom(text, m.index);
        if (m[2] === '\t' || indent < serviceIndent) {
          outline.needsWholeParse = true; // e.g. one service indented less than the first, or tabs
          continue;
        }
        const name = keyOf(text.slice(line.start + indent, line.end));
        if (name === undefined) {
          outline.needsWholeParse = true; // '- item', flow collections, '? key' ...
          continue;
        }
        serviceStarts.push({ name, start: line.start, line: lines.at(line.start) });
      }
    }
    pushChunk('section', 'services', keyStart, serviceStarts.length > 0 ? serviceStarts[0].start : nextTop, keyLine);
    for (let s = 0; s < serviceStarts.length; s++) {
      const to = s + 1 < serviceStarts.length ? serviceStarts[s + 1].start : nextTop;
      pushChunk('service', serviceStarts[s].name, serviceStarts[s].start, to, serviceStarts[s].line);
    }
  }
  outline.duplicateServices = findDuplicateServices(outline.chunks);
  // Anchors and aliases of each chunk, found from one pass per character over the document, so
  // only chunks that hold a '&' or '*' are scanned.
  if (!outline.needsWholeParse) {
    markRefs(text, start, end, outline.chunks, '&', 'anchors', ANCHOR);
    markRefs(text, start, end, outline.chunks, '*', 'aliases', ALIAS);
  }
  return outline;
}

function markRefs(text: string, start: number, end: number, chunks: Chunk[], char: string, field: 'anchors' | 'aliases', pattern: RegExp): void {
  let c = 0;
  for (let i = text.indexOf(char, start); i >= 0 && i < end; ) {
    while (c < chunks.length && chunks[c].end <= i) c++;
    if (c >= chunks.length) break;
    const chunk = chunks[c];
    const names = namesIn(text.slice(chunk.start, chunk.end), pattern);
    if (names.length > 0) chunk[field] = names;
    i = text.indexOf(char, chunk.end);
  }
}

function namesIn(text: string, pattern: RegExp): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(pattern)) names.push(m[1]);
  return names;
}

function findDuplicateServices(chunks: Chunk[]): DocumentOutline['duplicateServices'] {
  const duplicates: DocumentOutline['duplicateServices'] = [];
  const seen = new Set<string>();
  chunks.forEach((chunk, index) => {
    if (chunk.kind !== 'service') return;
    if (seen.has(chunk.name)) duplicates.push({ name: chunk.name, chunkIndex: index });
    else seen.add(chunk.name);
  });
  return duplicates;
}

/**
 * Re-outlines only what an edit touched. `previous` is the outline of `oldText`; the edit replaced
 * oldText[changeStart, oldChangeEnd) with text[changeStart, changeStart + newLength). Returns the new
 * outline, or undefined when the edit reaches beyond plain service chunks (the caller then outlines
 * the whole text). Chunks before the edit keep their offsets, chunks after it shift by the length
 * difference, and only the service chunks around the edit are scanned again.
 */
export function reoutlineAfterEdit(previous: DocumentOutline, text: TextReader, changeStart: number, oldChangeEnd: number, delta: number): { outline: DocumentOutline; firstChanged: number; newCount: number; removedCount: number } | undefined {
  if (previous.needsWholeParse || previous.serviceIndent < 0 || previous.start !== 0) return undefined;
  // Text after the outline (`---` and further YAML documents) is not in it: an edit that reaches it,
  // or its boundary, changes where this document ends, which only the full scan finds (the fuzzer
  // found a service read 8 characters short after a file ending in `---` lines was replaced).
  if (oldChangeEnd >= previous.end && previous.end < text.length - delta) return undefined;
  const chunks = previous.chunks;
  // First chunk that the edit can affect: the one holding the start of the edited line. (The text
  // before the edit is as it was, so the chunk holding the character before it starts a line.)
  const before = changeStart <= 0 ? -1 : chunks.findIndex((c) => c.end > changeStart - 1);
  if (changeStart > 0 && before < 0) return undefined;
  const lineStart = changeStart <= 0 ? 0 : chunks[before].start + text.slice(chunks[before].start, changeStart).lastIndexOf('\n') + 1;
  let i = chunks.findIndex((c) => c.end > lineStart);
  if (i < 0) return undefined;
  let j = i;
  while (j < chunks.length && chunks[j].start <= oldChangeEnd) j++;
  // One more chunk after: a deleted newline can merge the next service into this one.
  j = Math.min(j + 1, chunks.length);
  for (let k = i; k < j; k++) if (chunks[k].kind !== 'service') return undefined;
  if (chunks[i].start > lineStart) return undefined;
  const regionStart = chunks[i].start;
  const regionEnd = chunks[j - 1].end + delta;
  if (regionEnd < regionStart || regionEnd > text.length) return undefined;
  const region = text.slice(regionStart, regionEnd);
  if (region.includes('\t') || /^(?:---|\.\.\.)/m.test(region)) return undefined;
  const indent = previous.serviceIndent;
  const shallow = new RegExp(`^( {0,${indent}})([^ \\r\\n#])`, 'gm');
  const fresh: Chunk[] = [];
  const startLineOf = (offset: number) => chunks[i].startLine + countNewlines(region, 0, offset - regionStart);
  for (let m = shallow.exec(region); m; m = shallow.exec(region)) {
    if (m[1].length !== indent) return undefined; // a line at a shallower level: structure changed
    const at = regionStart + m.index;
    let lineEnd = region.indexOf('\n', m.index);
    lineEnd = lineEnd < 0 ? regionEnd : regionStart + lineEnd;
    const keyLine = region.slice(m.index + indent, lineEnd - regionStart).replace(/\r$/, '');
    const name = keyOf(keyLine);
    if (name === undefined) return undefined;
    // At the top level (V1) a key such as `services:`, `version:` or `x-…` is not a service: it
    // changes the layout of the whole file, which only the full scan redoes (found by the fuzzer).
    if (indent === 0 && (TOP_LEVEL_NON_SERVICE_KEYS.has(name) || name.startsWith('x-'))) return undefined;
    // A service key carries its body on the following lines; anything inline is for the full scan.
    const inline = keyLine.slice(keyLine.indexOf(':', keyLine.indexOf(name) + name.length) + 1).replace(/\s+#.*$/, '').trim();
    if (inline !== '' && !ONLY_PROPERTIES.test(inline)) return undefined;
    if (fresh.length > 0) fresh[fresh.length - 1].end = at;
    else if (at !== regionStart) return undefined;
    fresh.push({ kind: 'service', name, start: at, end: regionEnd, startLine: startLineOf(at) });
  }
  if (fresh.length === 0) return undefined;
  for (const chunk of fresh) {
    if (!region.includes('&') && !region.includes('*')) break;
    const chunkText = region.slice(chunk.start - regionStart, chunk.end - regionStart);
    const anchors = chunkText.includes('&') ? namesIn(chunkText, ANCHOR) : [];
    const aliases = chunkText.includes('*') ? namesIn(chunkText, ALIAS) : [];
    if (anchors.length > 0) chunk.anchors = anchors;
    if (aliases.length > 0) chunk.aliases = aliases;
  }
  // Lines after the region shift by the newlines the edit added or removed.
  const oldRegionLines = (j < chunks.length ? chunks[j].startLine : -1) - chunks[i].startLine;
  const newRegionLines = countNewlines(region, 0, region.length);
  const shiftLines = j < chunks.length ? newRegionLines - oldRegionLines : 0;
  // (Written out, not spread: thousands of chunks per keystroke, and a literal of one shape is much cheaper.)
  const after: Chunk[] = new Array(chunks.length - j);
  for (let k = j; k < chunks.length; k++) {
    const c = chunks[k];
    const moved: Chunk = { kind: c.kind, name: c.name, start: c.start + delta, end: c.end + delta, startLine: c.startLine + shiftLines };
    if (c.anchors) moved.anchors = c.anchors;
    if (c.aliases) moved.aliases = c.aliases;
    after[k - j] = moved;
  }
  const nextChunks = [...chunks.slice(0, i), ...fresh, ...after];
  // The same service names in the same number of chunks: the duplicates are those of before.
  const sameNames = fresh.length === j - i && fresh.every((c, k) => c.name === chunks[i + k].name);
  const outline: DocumentOutline = { ...previous, end: previous.end + delta, chunks: nextChunks, duplicateServices: sameNames ? previous.duplicateServices : findDuplicateServices(nextChunks) };
  return { outline, firstChanged: i, newCount: fresh.length, removedCount: j - i };
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) n++;
  return n;
}
