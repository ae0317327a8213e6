// Shared by the k8s tests (not a test file itself).
import type { TextEdit } from 'vscode-languageserver-protocol';

/** Applies LSP text edits (one document) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const offsetOf = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = edits.map((e) => ({ start: offsetOf(e.range.start), end: offsetOf(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
