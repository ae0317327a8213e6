// What the editor features read of a document: single lines, one service's slice, and offset <->
// position mapping. Deliberately no whole-text getter: completion and hover run on every keystroke
// and must cost the same in a 5-line file and a 90k-line one (see lineDocument.ts).
import { Position, Range } from 'vscode-languageserver-types';
import { Span } from './compose/model';
import { LineDocument } from './lineDocument';

export interface TextLike {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  /** Text of a line without its line break. */
  lineText(line: number): string;
  /** Offset where a line starts. */
  lineStart(line: number): number;
  /** Text between two offsets. */
  slice(start: number, end: number): string;
  readonly lineCount: number;
  /** Length of the whole text. */
  readonly length: number;
}

export function textOf(text: string, uri = 'file:///untitled.yml'): TextLike {
  return new LineDocument(uri, 'dockercompose', 0, text);
}

/** All that turning spans into ranges needs (a TextDocument has it too). */
export type PositionMapper = Pick<TextLike, 'positionAt'>;

export function rangeOf(doc: PositionMapper, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}
