// Shared helpers for the engine unit tests (not a test file itself).
import * as path from 'node:path';
import { Analysis, ComposeAnalyzer } from '../../server/src/engine/analysis';
import { Finding, TextEdit } from '../../server/src/engine/rules/types';
import { Span } from '../../server/src/engine/compose/model';
import { textOf, TextLike } from '../../server/src/engine/text';

/** Repository root, from out/test/unit (compiled) or test/unit (sources). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'unit');
/** The real-world corpus, copied into the repository from ../shared/corpus so a clean clone has it. */
export const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'real-world');

export function analyze(text: string, env?: Record<string, string>): Analysis {
  return new ComposeAnalyzer().analyze(text, { env: env ? new Map(Object.entries(env)) : undefined, yamlSyntaxErrors: 'all' });
}

export function findings(text: string, env?: Record<string, string>): Finding[] {
  return analyze(text, env).findings;
}

export function withCode(text: string, code: string, env?: Record<string, string>): Finding[] {
  return findings(text, env).filter((f) => f.code === code);
}

export function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Applies non-overlapping edits (offsets into `text`) from last to first. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Offset of the n-th (0-based) occurrence of `needle` in `text`; throws when absent. */
export function offsetOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' (#${nth}) not in text`);
  }
  return at;
}

/** Span of the n-th occurrence of `needle` (optionally of `inner` inside it). */
export function spanOf(text: string, needle: string, nth = 0, inner?: string): Span {
  const at = offsetOf(text, needle, nth);
  if (inner === undefined) return { start: at, end: at + needle.length };
  const i = needle.indexOf(inner);
  if (i < 0) throw new Error(`'${inner}' not in '${needle}'`);
  return { start: at + i, end: at + i + inner.length };
}

/** Text with a '|' cursor marker -> the text without it and the document/position of the marker. */
export function withCursor(marked: string): { text: string; doc: TextLike; position: { line: number; character: number }; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const doc = textOf(text);
  return { text, doc, position: doc.positionAt(offset), offset };
}

/** Lines joined with '\n' (keeps YAML fixtures readable with exact indentation). */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

export function describeFindings(list: Finding[], text: string): string {
  return list.map((f) => `${f.code}(${f.severity}) '${slice(text, f.span)}': ${f.message}`).join('\n') || '(none)';
}

/** Findings as comparable strings, in a fixed order (chunked and whole-document parses report in different orders). */
export const sortedFindings = (list: readonly Finding[]): string[] => list.map((f) => JSON.stringify(f)).sort();

/** The findings of the whole-document parse: the reference for chunked parsing of anchored chunks. */
export function wholeParseFindings(text: string): Finding[] {
  return new ComposeAnalyzer({ wholeParseForAliases: true }).analyze(text, { yamlSyntaxErrors: 'all' }).findings;
}
