// A text the analysis can read in pieces. An open document is kept as lines (lineDocument.ts);
// making one string of 100k lines on every keystroke copies megabytes (and leaves them to the
// garbage collector), while the analysis of an edit reads only the stretches around it.

/** What the analysis reads text through: a string is one, and so is a TextSource. */
export interface TextReader {
  readonly length: number;
  /** text[start, end) */
  slice(start: number, end: number): string;
}

export interface TextSource extends TextReader {
  /** The whole text (a copy of everything: asked for only when there is no other way). */
  getText(): string;
  /** A stamp for `changedSince`. */
  readonly editCount: number;
  /**
   * What changed since stamp `since`: the text is the same as then except in [prefix, length - suffix).
   * Undefined when that is not known.
   */
  changedSince(since: number): { prefix: number; suffix: number } | undefined;
}

/** Lines are short: look a little way first, then further (a document kept as lines joins what it is asked for). */
const FIRST_WINDOW = 128;
const MAX_WINDOW = 8192;

/** Offset of the start of the line that holds `offset`. */
export function lineStartIn(text: TextReader, offset: number): number {
  for (let end = offset, window = FIRST_WINDOW; end > 0; end -= window, window = Math.min(MAX_WINDOW, window * 2)) {
    const from = Math.max(0, end - window);
    const i = text.slice(from, end).lastIndexOf('\n');
    if (i >= 0) return from + i + 1;
  }
  return 0;
}

/** Offset of the '\n' that ends the line holding `offset` (the text's length when none). */
export function lineEndIn(text: TextReader, offset: number): number {
  for (let from = offset, window = FIRST_WINDOW; from < text.length; from += window, window = Math.min(MAX_WINDOW, window * 2)) {
    const i = text.slice(from, from + window).indexOf('\n');
    if (i >= 0) return from + i;
  }
  return text.length;
}
