// Where is the cursor, in compose terms? A cheap scan of the lines around it (like
// compose-language-service's line scan), so it works while the YAML is half-typed and costs the
// same in a 5-line file and a 90k-line one.
import { TextLike } from '../text';

export interface ServiceRegion {
  name: string;
  /** Offsets of the service block in the document (from its key line to the next sibling). */
  start: number;
  end: number;
}

export interface CursorContext {
  /** 'labelKey': typing a key in a labels block; 'labelValue': typing the value of a label. */
  kind: 'labelKey' | 'labelValue' | 'other';
  form: 'map' | 'list';
  service?: ServiceRegion;
  /** Offset where the key (or value) being typed starts, after indentation/dash/quote. */
  tokenStart: number;
  /** Offset of the cursor. */
  cursor: number;
  /** Text from tokenStart to the cursor. */
  typed: string;
  /** For labelValue: the label key. */
  key?: string;
  /** Quote that opens the list item or value, if any. */
  quote?: string;
  /** Indentation of the labels entries (for snippets spanning lines). */
  lineStart: number;
  /** Text of the line after the cursor (what a "replace" completion may overwrite). */
  after: string;
}

interface ScannedLine {
  start: number;
  text: string;
  indent: number;
  blank: boolean;
}

function lineAt(doc: TextLike, line: number): ScannedLine {
  const start = doc.lineStart(line);
  const lineText = doc.lineText(line);
  const trimmed = lineText.trimStart();
  return { start, text: lineText, indent: lineText.length - trimmed.length, blank: trimmed === '' || trimmed.startsWith('#') };
}

const KEY = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s#:][^:#]*?))\s*:(?:\s|$)/;

function keyOfLine(lineText: string): string | undefined {
  const m = KEY.exec(lineText);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export function cursorContext(doc: TextLike, line: number, character: number): CursorContext {
  const current = lineAt(doc, line);
  const cursor = current.start + Math.min(character, current.text.length);
  const before = current.text.slice(0, Math.min(character, current.text.length));
  const context: CursorContext = { kind: 'other', form: 'map', tokenStart: cursor, cursor, typed: '', lineStart: current.start, after: current.text.slice(cursor - current.start) };
  // Parent keys: walk up, each time the indentation drops.
  const parents: { key: string; line: number; indent: number }[] = [];
  let indent = before.trim() === '' ? before.length : current.indent;
  for (let l = line - 1; l >= 0 && indent > 0; l--) {
    const scanned = lineAt(doc, l);
    if (scanned.blank) continue;
    if (scanned.indent < indent) {
      const key = keyOfLine(scanned.text);
      const isItem = scanned.text.trimStart().startsWith('-');
      if (key === undefined && !isItem) break;
      parents.push({ key: isItem ? '-' : key!, line: l, indent: scanned.indent });
      indent = scanned.indent;
      // Stop as soon as the answer is known: never walk to the top of a 90k-line file.
      if (parents[0].key !== 'labels') break;
      const last = parents[parents.length - 1];
      if (parents.length >= 2 && last.key !== 'deploy' && last.key !== 'labels' && last.indent > 0) {
        // A service indented under `services:` (V2/V3): its parent is `services`; no need to find it.
        parents.push({ key: 'services', line: -1, indent: 0 });
        break;
      }
    }
    if (parents.length > 8) break;
  }
  // parents[0] is the direct parent. A labels block: [labels, service, services?] or [labels, deploy, service, ...].
  const labelsIndex = parents.findIndex((p) => p.key === 'labels');
  if (labelsIndex !== 0) return context;
  let serviceIndex = 1;
  if (parents[1]?.key === 'deploy') serviceIndex = 2;
  const serviceParent = parents[serviceIndex];
  if (!serviceParent) return context;
  const grand = parents[serviceIndex + 1];
  if (grand && grand.key !== 'services') return context;
  if (!grand && serviceParent.indent !== 0) return context;
  // Service region: from its key line to the next line indented no deeper than it.
  const serviceStart = doc.offsetAt({ line: serviceParent.line, character: 0 });
  let serviceEnd = doc.length;
  for (let l = serviceParent.line + 1; l < doc.lineCount; l++) {
    const scanned = lineAt(doc, l);
    if (!scanned.blank && scanned.indent <= serviceParent.indent) {
      serviceEnd = scanned.start;
      break;
    }
  }
  context.service = { name: serviceParent.key, start: serviceStart, end: serviceEnd };

  const trimmedBefore = before.trimStart();
  const leading = before.length - trimmedBefore.length;
  if (trimmedBefore.startsWith('-')) {
    context.form = 'list';
    const afterDash = trimmedBefore.slice(1);
    const spaces = afterDash.length - afterDash.trimStart().length;
    let item = afterDash.trimStart();
    let itemStart = current.start + leading + 1 + spaces;
    if (item.startsWith('"') || item.startsWith("'")) {
      context.quote = item[0];
      item = item.slice(1);
      itemStart++;
    }
    const eq = item.indexOf('=');
    if (eq < 0) {
      context.kind = 'labelKey';
      context.tokenStart = itemStart;
      context.typed = item;
    } else {
      context.kind = 'labelValue';
      context.key = item.slice(0, eq);
      context.tokenStart = itemStart + eq + 1;
      context.typed = item.slice(eq + 1);
    }
    return context;
  }
  const colon = /^((?:"[^"]*"|'[^']*'|[^\s#:"'][^:#]*?)):(\s+|$)/.exec(trimmedBefore);
  if (colon && colon[2] !== '' ) {
    context.kind = 'labelValue';
    context.key = colon[1].replace(/^["']|["']$/g, '');
    return withToken(context, current.start + leading + colon[0].length, trimmedBefore.slice(colon[0].length));
  }
  if (trimmedBefore.includes(':')) return context; // `key:` with no space yet: nothing sensible to offer
  context.kind = 'labelKey';
  return withToken(context, current.start + leading, trimmedBefore);
}

/** Sets the token being typed (from `start`), stepping over an opening quote. */
function withToken(context: CursorContext, start: number, typed: string): CursorContext {
  if (typed.startsWith('"') || typed.startsWith("'")) {
    context.quote = typed[0];
    typed = typed.slice(1);
    start++;
  }
  context.tokenStart = start;
  context.typed = typed;
  return context;
}
