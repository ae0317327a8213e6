// "Is this line an entry of a `labels:` block?" — one answer for the label-line syntax scan, the
// workspace SLB index and the client's CodeLens scan. Dependency-free on purpose: the client
// bundles it. A line's parent is the first less-indented line above it that is not blank or a
// comment; text of a block scalar (`command: |`) or of a multi-line string has another parent, so
// label-like text there is never taken for a label. Every walk moves strictly upwards (bounded).

const LABELS_KEY = /^(["']?)labels\1[ \t]*:[ \t]*(?:[&!][^\s]*[ \t]*)*(#.*)?$/; // `labels: &anchor` too

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * Walks up from line `index` to its parent (or, with `anyAncestor`, through every ancestor) and
 * says whether that is a `labels:` key. `lineAt` gives a line without its line break.
 */
export function isInLabelsBlockLines(lineAt: (index: number) => string, index: number, anyAncestor = false): boolean {
  let indent = indentOf(lineAt(index));
  for (let i = index - 1; i >= 0 && indent > 0; i--) {
    const prev = lineAt(i).replace(/\r$/, '');
    const trimmed = prev.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const prevIndent = prev.length - trimmed.length;
    if (prevIndent >= indent) continue;
    if (LABELS_KEY.test(trimmed) || (anyAncestor && /^labels\s*:/.test(trimmed))) return true;
    if (!anyAncestor) return false;
    indent = prevIndent;
  }
  return false;
}

/** The same on a text, from the offset where the line starts (LF or CRLF line breaks). */
export function isInLabelsBlockText(text: string, lineStart: number, anyAncestor = false): boolean {
  let indent = 0;
  while (text.charCodeAt(lineStart + indent) === 32) indent++;
  let end = lineStart; // the line above ends just before `end` ('\n' at end - 1)
  while (end > 0 && indent > 0) {
    const prevEnd = end - 1; // the '\n' that ends the line above
    const prevStart = prevEnd === 0 ? 0 : text.lastIndexOf('\n', prevEnd - 1) + 1;
    const prev = text.slice(prevStart, prevEnd).replace(/\r$/, '');
    end = prevStart; // strictly smaller than before: the walk is bounded by the line count
    const trimmed = prev.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const prevIndent = prev.length - trimmed.length;
    if (prevIndent >= indent) continue;
    if (LABELS_KEY.test(trimmed) || (anyAncestor && /^labels\s*:/.test(trimmed))) return true;
    if (!anyAncestor) return false;
    indent = prevIndent;
  }
  return false;
}

/** Start offset of the line holding `offset` (0 for the first line, whatever the text starts with). */
export function lineStartOf(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return text.lastIndexOf('\n', offset - 1) + 1;
}
