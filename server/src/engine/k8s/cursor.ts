// Where the cursor is in a Kubernetes manifest, from the lines around it (the text may not parse
// while a key is being typed): the kind of the YAML document, the chain of parent keys, and
// inside `metadata.annotations` the key or value token under the cursor.
import type { Position } from 'vscode-languageserver-types';
import type { TextLike } from '../text';

const MAX_SCAN_LINES = 3000;

export interface AnnotationCursor {
  kind: 'annotationKey' | 'annotationValue';
  /** The object kind of this YAML document (`kind:` at the top level). */
  objectKind?: string;
  line: number;
  /** The key as typed so far (key context) or the whole key (value context). */
  key: string;
  /** Range to replace, in characters of the line. */
  start: number;
  end: number;
  /** Value context: the value is in quotes (the range is inside them). */
  quoted?: boolean;
  /** Value context: the value text up to the cursor. */
  valueBefore?: string;
  /** Value context: the whole value text. */
  value?: string;
}

export function documentKindAt(doc: TextLike, line: number): string | undefined {
  for (let l = line, n = 0; l >= 0 && n < MAX_SCAN_LINES; l--, n++) {
    const text = doc.lineText(l);
    const m = /^kind[ \t]*:[ \t]*["']?([A-Za-z]+)/.exec(text);
    if (m) return m[1];
    if (l !== line && /^---/.test(text)) break;
  }
  for (let l = line + 1, n = 0; l < doc.lineCount && n < MAX_SCAN_LINES; l++, n++) {
    const text = doc.lineText(l);
    if (/^---/.test(text)) break;
    const m = /^kind[ \t]*:[ \t]*["']?([A-Za-z]+)/.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

/** Parent keys of the line, outermost first (`['metadata', 'annotations']`). */
export function parentKeys(doc: TextLike, line: number, indent: number): string[] {
  const keys: string[] = [];
  let current = indent;
  for (let l = line - 1, n = 0; l >= 0 && current > 0 && n < MAX_SCAN_LINES; l--, n++) {
    const text = doc.lineText(l);
    if (/^---/.test(text)) break;
    const trimmed = text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineIndent = text.length - trimmed.length;
    if (lineIndent >= current) continue;
    const m = /^(?:-[ \t]+)?(["']?)([^"':#]+?)\1[ \t]*:(?:[ \t]|$)/.exec(trimmed);
    keys.unshift(m ? m[2] : '');
    current = lineIndent;
  }
  return keys;
}

export function annotationCursor(doc: TextLike, position: Position): AnnotationCursor | undefined {
  const line = doc.lineText(position.line);
  const character = Math.min(position.character, line.length);
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return undefined;
  const indent = trimmed === '' ? character : line.length - trimmed.length;
  if (indent === 0) return undefined;
  const parents = parentKeys(doc, position.line, indent);
  if (parents.length !== 2 || parents[0] !== 'metadata' || parents[1] !== 'annotations') return undefined;
  const objectKind = documentKindAt(doc, position.line);
  const m = /^([ \t]*)(["']?)([^"':\s#]*)(["']?)(:[ \t]*)?/.exec(line)!;
  const keyStart = m[1].length;
  const keyEnd = keyStart + m[2].length + m[3].length + m[4].length;
  if (!m[5] || character <= keyEnd) {
    return { kind: 'annotationKey', objectKind, line: position.line, key: m[3].slice(0, Math.max(0, character - keyStart - m[2].length)), start: keyStart, end: keyEnd };
  }
  const valueStart = keyEnd + m[5].length;
  let rest = line.slice(valueStart);
  const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : '';
  let start = valueStart;
  let end: number;
  if (quote) {
    start = valueStart + 1;
    const close = line.indexOf(quote, start);
    end = close < 0 ? line.length : close;
  } else {
    rest = rest.replace(/[ \t]+#.*$/, '').trimEnd();
    end = valueStart + rest.length;
  }
  if (character < start) return undefined;
  const value = line.slice(start, end);
  return { kind: 'annotationValue', objectKind, line: position.line, key: m[3], start, end: Math.max(end, character), quoted: !!quote, value, valueBefore: line.slice(start, character) };
}
