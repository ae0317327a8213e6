// Offset <-> position mapping the engine needs, satisfied by vscode-languageserver-textdocument's
// TextDocument (server) and by `textOf` below (CLI, tests).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Position, Range } from 'vscode-languageserver-types';
import { Span } from './compose/model';

export interface TextLike {
  getText(): string;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  readonly lineCount: number;
}

export function textOf(text: string, uri = 'file:///untitled.yml'): TextLike {
  return TextDocument.create(uri, 'dockercompose', 0, text);
}

export function rangeOf(doc: TextLike, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}
