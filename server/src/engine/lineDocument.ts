// An open document kept as an array of lines instead of one string.
//
// Why: vscode-languageserver-textdocument keeps the whole text in one string, and every edit builds
// it anew (substring + concat). V8 then copies the whole file again the first time anything reads
// it: 2.7 MB per keystroke in a 94k-line compose file, plus the large-object garbage that follows.
// Completion, sent in the same instant as the edit, paid for that copy. Here an edit replaces only
// the lines it touches, and features read single lines or one service's slice, so a keystroke costs
// the same in a 5-line file and a 90k-line one. `getText()` still works (joined once per version)
// for commands that really need the whole file.
//
// Positions and line breaks follow the LSP exactly as TextDocument does (`\n`, `\r\n` and a lone
// `\r` all end a line; characters are UTF-16 code units); a differential fuzz test holds the two
// implementations to the same answers.
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';

const LINE_BREAK = /\r\n|\r|\n/g;

/** Splits text into lines that keep their own line break; the last piece has none (and may be ''). */
function splitKeepingBreaks(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  // Most files have no CR: then a line ends at each '\n' (three times faster than the regex on a
  // freshly opened 90k-line file, on the main thread and in the worker).
  if (!text.includes('\r')) {
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(text.slice(start, nl + 1));
      start = nl + 1;
    }
    lines.push(text.slice(start));
    return lines;
  }
  LINE_BREAK.lastIndex = 0;
  for (let match = LINE_BREAK.exec(text); match; match = LINE_BREAK.exec(text)) {
    const end = match.index + match[0].length;
    lines.push(text.slice(start, end));
    start = end;
  }
  lines.push(text.slice(start));
  return lines;
}

function breakLength(line: string): number {
  if (line.endsWith('\r\n')) return 2;
  return line.endsWith('\n') || line.endsWith('\r') ? 1 : 0;
}

export class LineDocument implements TextDocument {
  /** Each line with its own line break; the last line has none. Never empty. */
  private lines: string[];
  /** lineStarts[i] is the offset of line i; one more entry holds the length of the text. */
  private lineStarts: number[] = [];
  private joined: string | undefined;
  /** Edits applied so far (each content change counts one); see `changedSince`. */
  private edits = 0;
  /** The edit that replaced the whole text last: nothing before it can be followed. */
  private replacedAt = 0;
  /** The latest edits in order, one per count after `replacedAt`: where each started, and how much of the end it kept. */
  private editLog: { start: number; suffix: number }[] = [];

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    text: string,
  ) {
    this.lines = splitKeepingBreaks(text);
    this.joined = text;
    this.recomputeStarts(0);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Length of the whole text in UTF-16 code units. */
  get length(): number {
    return this.lineStarts[this.lines.length];
  }

  /** The whole text, or a range of it. The whole text is joined once per version: keep it off hot paths. */
  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.joined === undefined) this.joined = this.lines.join('');
    return this.joined;
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const clamped = Math.min(line, this.lines.length - 1);
    return { start: { line: clamped, character: 0 }, end: { line: clamped, character: this.lineText(clamped).length } };
  }

  getEOLCharacters(line: number): string {
    const text = this.lines[line];
    return text === undefined ? '' : text.slice(text.length - breakLength(text));
  }

  /** Text of one line without its line break ('' past the end). */
  lineText(line: number): string {
    const text = this.lines[line];
    if (text === undefined) return '';
    return text.slice(0, text.length - breakLength(text));
  }

  /** Whether the text contains a string that has no line break in it, without joining the text. */
  includes(needle: string): boolean {
    if (this.joined !== undefined) return this.joined.includes(needle);
    return this.lines.some((line) => line.includes(needle));
  }

  /** Offset of the first character of a line (clamped to the document). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lines.length) return this.length;
    return this.lineStarts[line];
  }

  /** Text between two offsets, built from the lines it spans only. */
  slice(start: number, end: number): string {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    if (start === end) return '';
    if (this.joined !== undefined) return this.joined.slice(start, end);
    const first = this.lineOf(start);
    const last = this.lineOf(end - 1);
    if (first === last) return this.lines[first].slice(start - this.lineStarts[first], end - this.lineStarts[first]);
    const parts = [this.lines[first].slice(start - this.lineStarts[first])];
    for (let l = first + 1; l < last; l++) parts.push(this.lines[l]);
    parts.push(this.lines[last].slice(0, end - this.lineStarts[last]));
    return parts.join('');
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(offset);
    const character = offset - this.lineStarts[line];
    // Like TextDocument: an offset inside a line break (between \r and \n) maps to the break's start.
    const text = this.lines[line];
    const contentLength = text.length - breakLength(text);
    return { line, character: Math.min(character, contentLength) };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lines.length) return this.length;
    if (position.line < 0) return 0;
    const text = this.lines[position.line];
    const contentLength = text.length - breakLength(text);
    return this.lineStarts[position.line] + Math.max(0, Math.min(position.character, contentLength));
  }

  /** A stamp for `changedSince`: how many edits the document has had. */
  get editCount(): number {
    return this.edits;
  }

  /**
   * What the edits after stamp `since` changed: the text is the same as then except in
   * [prefix, length - suffix) (then [prefix, lengthThen - suffix)). Undefined when that is not
   * known (a whole-text replacement, or too many edits ago).
   */
  changedSince(since: number): { prefix: number; suffix: number } | undefined {
    if (since === this.edits) return { prefix: this.length, suffix: 0 };
    const first = this.editLog.length - (this.edits - since);
    if (since < this.replacedAt || since > this.edits || first < 0) return undefined;
    let prefix = Infinity;
    let suffix = Infinity;
    for (let i = first; i < this.editLog.length; i++) {
      prefix = Math.min(prefix, this.editLog[i].start);
      suffix = Math.min(suffix, this.editLog[i].suffix);
    }
    return { prefix, suffix };
  }

  /** Applies LSP content changes in order, as TextDocument.update does, touching only the lines each one spans. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.lines = splitKeepingBreaks(change.text);
        this.joined = change.text;
        this.recomputeStarts(0);
        this.replacedAt = ++this.edits;
        this.editLog = [];
        continue;
      }
      this.applyRangeChange(change.range, change.text);
    }
    this.currentVersion = version;
  }

  private applyRangeChange(range: Range, text: string): void {
    let startOffset = this.offsetAt(range.start);
    let endOffset = this.offsetAt(range.end);
    if (startOffset > endOffset) [startOffset, endOffset] = [endOffset, startOffset];
    let firstLine = this.lineOf(startOffset);
    const lastLine = this.lineOf(endOffset);
    // A lone \r ending the line before, followed by a \n the edit brings to the line start, would
    // become one \r\n break: re-split that line with the edit. (The end needs no such care: offsets
    // are clamped before a line break, so the edit never changes the break that ends its last line.)
    if (firstLine > 0 && this.lines[firstLine - 1].endsWith('\r')) firstLine--;
    const spanEnd = this.lineStarts[lastLine + 1];
    const replaced = splitKeepingBreaks(this.slice(this.lineStarts[firstLine], startOffset) + text + this.slice(endOffset, spanEnd));
    // Unless the span reaches the end of the document it ends with a line break, and the empty
    // piece after that break is the start of the next, untouched line.
    if (lastLine + 1 < this.lines.length) replaced.pop();
    this.joined = undefined;
    const sameLineCount = replaced.length === lastLine - firstLine + 1;
    // splice(...spread) would overflow the call stack on a paste of many thousand lines.
    if (replaced.length > 4096) this.lines = this.lines.slice(0, firstLine).concat(replaced, this.lines.slice(lastLine + 1));
    else this.lines.splice(firstLine, lastLine - firstLine + 1, ...replaced);
    if (sameLineCount) this.shiftStarts(firstLine, lastLine);
    else this.recomputeStarts(firstLine);
    this.edits++;
    this.editLog.push({ start: startOffset, suffix: this.length - (startOffset + text.length) });
    if (this.editLog.length > 1024) this.editLog = this.editLog.slice(512);
  }

  /** Line that holds an offset (binary search over line starts). */
  private lineOf(offset: number): number {
    let low = 0;
    let high = this.lines.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Lines firstLine..lastLine were replaced by as many: their starts are computed again and the
   * rest move by the change in length (typing; no need to read the length of every line below).
   */
  private shiftStarts(firstLine: number, lastLine: number): void {
    const starts = this.lineStarts;
    const lines = this.lines;
    const oldEnd = starts[lastLine + 1];
    for (let l = firstLine; l <= lastLine; l++) starts[l + 1] = starts[l] + lines[l].length;
    const delta = starts[lastLine + 1] - oldEnd;
    if (delta !== 0) for (let l = lastLine + 2; l < starts.length; l++) starts[l] += delta;
  }

  private recomputeStarts(fromLine: number): void {
    const starts = this.lineStarts;
    const lines = this.lines;
    starts.length = lines.length + 1;
    if (fromLine === 0) starts[0] = 0;
    for (let l = fromLine; l < lines.length; l++) starts[l + 1] = starts[l] + lines[l].length;
  }
}
