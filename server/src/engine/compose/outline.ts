// A cheap line scan that cuts a compose file into YAML documents and each document into
// top-level sections and service chunks, without parsing YAML. Each chunk is parsed on its own
// and cached by its text, so an edit re-parses only the service it touches. When the layout is
// anything but plain block style at the section/service level (flow collections spanning lines,
// odd indentation, tabs, aliases across chunks), the document is marked for a whole-document parse,
// which is slower but exact.

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
}

const TOP_LEVEL_NON_SERVICE_KEYS = new Set(['version', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'name', 'models']);
const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{}\[\],&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)/;
const ALIAS = /(?:^|[\s\[{,])\*([^\s\[\]{},]+)/g;
const ANCHOR = /(?:^|[\s\[{,])&([^\s\[\]{},]+)/g;

interface Line {
  start: number;
  end: number; // excluding the newline
  indent: number;
  /** First non-space character code, or -1 for blank/comment lines. */
  first: number;
  hasTab: boolean;
}

function keyOf(text: string): string | undefined {
  const m = KEY_LINE.exec(text);
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? m[3] ?? '').trim();
}

export function outlineCompose(text: string): DocumentOutline[] {
  const documents: DocumentOutline[] = [];
  let docStart = 0;
  let docStartLine = 0;
  let lines: Line[] = [];
  let lineNo = 0;
  let pos = 0;
  // Skip a UTF-8 BOM: YAML ignores it and so must our columns.
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const finishDocument = (end: number) => {
    documents.push(outlineDocument(text, lines, docStart, end, docStartLine));
    lines = [];
  };
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let lineEnd = nl;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const c0 = text.charCodeAt(pos);
    // Document markers: '---' or '...' at column 0 followed by space/end.
    if ((c0 === 45 || c0 === 46) && lineEnd - pos >= 3 && text.startsWith(c0 === 45 ? '---' : '...', pos) && (lineEnd - pos === 3 || /\s/.test(text[pos + 3]))) {
      if (lines.length > 0 || pos > docStart) finishDocument(pos);
      docStart = nl + 1 > text.length ? text.length : nl + 1;
      docStartLine = lineNo + 1;
      // '--- key: value' on the marker line is rare in compose; the whole parse handles it.
      if (c0 === 45 && text.slice(pos + 3, lineEnd).trim() !== '' && !text.slice(pos + 3, lineEnd).trim().startsWith('#')) {
        docStart = pos;
        docStartLine = lineNo;
        lines.push({ start: pos, end: lineEnd, indent: 0, first: 45, hasTab: false });
        (lines as Line[] & { forceWhole?: boolean }).forceWhole = true;
      }
    } else {
      let i = pos;
      let hasTab = false;
      while (i < lineEnd) {
        const c = text.charCodeAt(i);
        if (c === 32) i++;
        else if (c === 9) {
          hasTab = true;
          i++;
        } else break;
      }
      const first = i < lineEnd && text.charCodeAt(i) !== 35 ? text.charCodeAt(i) : -1;
      lines.push({ start: pos, end: lineEnd, indent: i - pos, first, hasTab: hasTab && first !== -1 });
    }
    if (nl >= text.length) break;
    pos = nl + 1;
    lineNo++;
  }
  finishDocument(text.length);
  return documents.filter((d, i) => i === 0 || d.end > d.start || d.chunks.length > 0);
}

function outlineDocument(text: string, lines: Line[], start: number, end: number, startLine: number): DocumentOutline {
  const outline: DocumentOutline = { start, end, startLine, version: undefined, chunks: [], needsWholeParse: false, duplicateServices: [] };
  if ((lines as Line[] & { forceWhole?: boolean }).forceWhole) outline.needsWholeParse = true;
  // Pass 1: top-level keys.
  const top: { key: string; lineIndex: number; inlineValue: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.first === -1) continue;
    if (line.hasTab) outline.needsWholeParse = true;
    if (line.indent !== 0) continue;
    const lineText = text.slice(line.start, line.end);
    const key = keyOf(lineText);
    if (key === undefined) {
      // Directives (%YAML) and anything odd at column 0: let the real parser speak.
      outline.needsWholeParse = true;
      continue;
    }
    const colon = lineText.indexOf(':', lineText.indexOf(key) + key.length);
    const inlineValue = lineText.slice(colon + 1).replace(/\s+#.*$/, '').trim();
    top.push({ key, lineIndex: i, inlineValue });
    if (key === 'version') {
      const v = inlineValue.replace(/^["']|["']$/g, '');
      outline.version = v.startsWith('3') ? 'v3' : v.startsWith('2') ? 'v2' : v.startsWith('1') ? 'v1' : undefined;
    }
  }
  const hasServicesKey = top.some((k) => k.key === 'services');
  if (!hasServicesKey && !outline.version && top.some((k) => !TOP_LEVEL_NON_SERVICE_KEYS.has(k.key) && !k.key.startsWith('x-'))) outline.version = 'v1';
  if (hasServicesKey && !outline.version) outline.version = 'v3';
  const lineLineNo = (i: number) => startLine + i;

  const pushChunk = (kind: Chunk['kind'], name: string, fromLine: number, toLineExclusive: number) => {
    const chunkStart = lines[fromLine].start;
    const chunkEnd = toLineExclusive < lines.length ? lines[toLineExclusive].start : end;
    outline.chunks.push({ kind, name, start: chunkStart, end: chunkEnd, startLine: lineLineNo(fromLine) });
  };

  // Leading comments/blank lines before the first key belong to a "section" chunk of their own.
  const firstKeyLine = top.length > 0 ? top[0].lineIndex : lines.length;
  if (firstKeyLine > 0 && lines.length > 0) pushChunk('section', '', 0, firstKeyLine);

  for (let k = 0; k < top.length; k++) {
    const { key, lineIndex, inlineValue } = top[k];
    const nextTop = k + 1 < top.length ? top[k + 1].lineIndex : lines.length;
    const isV1Service = !hasServicesKey && !TOP_LEVEL_NON_SERVICE_KEYS.has(key) && !key.startsWith('x-');
    if (isV1Service) {
      pushChunk('service', key, lineIndex, nextTop);
      continue;
    }
    if (key !== 'services' || inlineValue !== '') {
      if (key === 'services' && inlineValue !== '' && !/^(\{\s*\}|~|null)$/.test(inlineValue)) outline.needsWholeParse = true;
      pushChunk('section', key, lineIndex, nextTop);
      continue;
    }
    // services: block. Service indent = indent of the first content line.
    let serviceIndent = -1;
    const serviceStarts: { name: string; lineIndex: number }[] = [];
    for (let i = lineIndex + 1; i < nextTop; i++) {
      const line = lines[i];
      if (line.first === -1) continue;
      if (serviceIndent === -1) serviceIndent = line.indent;
      if (line.indent < serviceIndent) {
        outline.needsWholeParse = true; // e.g. one service indented less than the first
        continue;
      }
      if (line.indent === serviceIndent) {
        const name = keyOf(text.slice(line.start + line.indent, line.end));
        if (name === undefined) {
          outline.needsWholeParse = true; // '- item', flow collections, '? key' ...
          continue;
        }
        serviceStarts.push({ name, lineIndex: i });
      }
    }
    pushChunk('section', 'services', lineIndex, serviceStarts.length > 0 ? serviceStarts[0].lineIndex : nextTop);
    for (let s = 0; s < serviceStarts.length; s++) {
      const to = s + 1 < serviceStarts.length ? serviceStarts[s + 1].lineIndex : nextTop;
      pushChunk('service', serviceStarts[s].name, serviceStarts[s].lineIndex, to);
    }
  }
  // Duplicate service names.
  const seen = new Map<string, number>();
  outline.chunks.forEach((chunk, index) => {
    if (chunk.kind !== 'service') return;
    if (seen.has(chunk.name)) outline.duplicateServices.push({ name: chunk.name, chunkIndex: index });
    else seen.set(chunk.name, index);
  });
  // Aliases that point outside their own chunk need the whole document.
  if (!outline.needsWholeParse) {
    for (const chunk of outline.chunks) {
      const chunkText = text.slice(chunk.start, chunk.end);
      if (!chunkText.includes('*')) continue;
      const anchors = new Set<string>();
      for (const m of chunkText.matchAll(ANCHOR)) anchors.add(m[1]);
      for (const m of chunkText.matchAll(ALIAS)) {
        if (!anchors.has(m[1])) {
          outline.needsWholeParse = true;
          break;
        }
      }
      if (outline.needsWholeParse) break;
    }
  }
  return outline;
}
