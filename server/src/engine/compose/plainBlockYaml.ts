// A fast reader for the one YAML style that big compose files are written in: block maps and
// lists, one-line plain or quoted scalars, comment lines only at the top or right under a key. It
// builds the same nodes, with the same values and source ranges, as the `yaml` package's
// parseDocument would, and gives up (returns undefined) on anything else, which the caller then
// parses with `yaml`. Why it exists:
// on a 5000-service file the `yaml` parser is two thirds of an open (issue 12), and service chunks
// are almost always this simple. Its contract is checked against `yaml` itself, on the corpus and
// on generated and fuzzed texts (test/unit/plainBlockYaml.test.ts).
//
// It reads aliases (`*name` as a whole value) and the merge key (`<<: *defaults`), which the services
// of a file with shared defaults use. What it gives up on, so that it never has to guess: tabs,
// control characters, a byte order mark, a lone \r, comment lines after the first content line
// other than between a key and the collection under it (elsewhere the parser attaches them to
// neighbouring nodes' ranges by rules of its own), empty values (`key:` with nothing under it), flow
// collections, block scalars, anchors, tags, directives and document markers, quoted scalars with
// escapes or spanning lines, plain scalars spanning lines, implicit keys in values (`a: b: c`), and
// indentation that does not match an open collection. Comments, blank-line markers and other
// presentation details are not kept on the nodes: the analysis reads values and ranges only.

import { Alias, isScalar, Node, Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';

/** The scalar tags of a schema, as the `yaml` composer tries them on a plain scalar. */
interface ScalarTagLike {
  default?: boolean | 'key';
  test?: RegExp;
  collection?: string;
  resolve(value: string, onError: (message: string) => void, options: unknown): unknown;
  format?: string;
}

/** The schema and options of the documents this stands in for (those of parseDocument). */
export interface PlainBlockContext {
  schema: Schema;
  options: unknown;
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const ASTERISK = 0x2a;
const CR = 0x0d;
const LF = 0x0a;

/** Longest implicit key the `yaml` package accepts (it reports longer ones). */
const MAX_IMPLICIT_KEY = 1024;

/** Thrown inside the reader when the text leaves the style it reads. */
const GIVE_UP = Symbol('plain block yaml: give up');

interface OpenCollection {
  node: YAMLMap | YAMLSeq;
  indent: number;
  /** A list at the same indent as the key it belongs to (`ports:\n- 80`). */
  compact: boolean;
}

interface ScalarText {
  scalar: Scalar;
  /** Offset just after the scalar's source (after the closing quote). */
  end: number;
}

/**
 * The root node of `text` as `yaml` would read it, or undefined when the text uses anything this
 * reader does not (see the file comment): the caller then parses it with `yaml`.
 */
export function readPlainBlockYaml(text: string, context: PlainBlockContext): Node | undefined {
  if (!isPlainText(text)) return undefined;
  try {
    return new PlainBlockReader(text, context).read();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/**
 * Tabs, control characters (but \n and \r\n), byte order marks, C1 controls and the characters
 * YAML 1.1 treats as line breaks: the reader leaves texts with any of these to `yaml`.
 */
const NOT_PLAIN_TEXT = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|\r(?!\n)/;

function isPlainText(text: string): boolean {
  return !NOT_PLAIN_TEXT.test(text);
}

/**
 * The next place a needle occurs at or after an offset. Lines are read in order, so the answer is
 * kept and reused: a search runs only past the last one found, and the whole read stays linear
 * (an unbounded indexOf per scalar would scan to the end of a text with no ' #' in it).
 */
class NextOccurrence {
  private found = -1;
  private searchedFrom = Number.MAX_SAFE_INTEGER;
  constructor(private readonly text: string, private readonly needle: string) {}

  /** The first offset at or after `at` where the needle occurs, or -1. */
  from(at: number): number {
    if (at < this.searchedFrom || (this.found >= 0 && this.found < at)) {
      this.found = this.text.indexOf(this.needle, at);
      this.searchedFrom = at;
    }
    return this.found;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

class PlainBlockReader {
  private readonly stack: OpenCollection[] = [];
  private root: YAMLMap | YAMLSeq | undefined;
  /** A key with nothing after its colon: the next line must open its collection. */
  private pending: { pair: Pair<Scalar, Node | null>; indent: number } | undefined;
  /** Indent of the key or dash whose scalar the last line ended with (a deeper line would continue it). */
  private scalarOwnerIndent = -1;
  /** The tags a plain value may resolve to, and those of a key (the merge key `<<` is a key's only). */
  private readonly valueTags: ScalarTagLike[];
  private readonly keyTags: ScalarTagLike[];
  private readonly colons: NextOccurrence;
  private readonly comments: NextOccurrence;
  private readonly backslashes: NextOccurrence;

  constructor(private readonly text: string, private readonly context: PlainBlockContext) {
    this.colons = new NextOccurrence(text, ':');
    this.comments = new NextOccurrence(text, ' #');
    this.backslashes = new NextOccurrence(text, '\\');
    const scalarTags = (context.schema.tags as unknown as ScalarTagLike[]).filter((tag) => tag.test && !tag.collection);
    this.valueTags = scalarTags.filter((tag) => tag.default === true);
    this.keyTags = scalarTags.filter((tag) => tag.default === true || tag.default === 'key');
  }

  read(): Node | undefined {
    const text = this.text;
    const length = text.length;
    let lineStart = 0;
    // Every line moves lineStart forward, so this ends after at most one pass over the text.
    while (lineStart < length) {
      let lineEnd = text.indexOf('\n', lineStart);
      const next = lineEnd < 0 ? length : lineEnd + 1;
      if (lineEnd < 0) lineEnd = length;
      const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      let column = lineStart;
      while (column < contentEnd && text.charCodeAt(column) === SPACE) column++;
      if (column < contentEnd) {
        if (text.charCodeAt(column) === HASH) {
          // Outside every range: a comment before the first node, or between a key and the
          // collection under it. Elsewhere the parser adds comments to neighbouring ranges.
          if (this.root && !this.pending) giveUp();
        } else {
          this.readLine(column, column - lineStart, contentEnd, next);
        }
      }
      lineStart = next;
    }
    if (this.pending) giveUp();
    while (this.stack.length > 0) this.close();
    return this.root;
  }

  private readLine(at: number, indent: number, contentEnd: number, next: number): void {
    const text = this.text;
    // `---` and `...` at the margin start or end a document.
    if (indent === 0 && (text.startsWith('---', at) || text.startsWith('...', at))) giveUp();
    const isDash = text.charCodeAt(at) === DASH && (at + 1 === contentEnd || text.charCodeAt(at + 1) === SPACE);
    if (this.pending) {
      const { pair, indent: keyIndent } = this.pending;
      this.pending = undefined;
      // A key's collection is deeper than the key, or a list at the key's own indent.
      if (!(indent > keyIndent || (isDash && indent === keyIndent))) giveUp();
      const node = this.open(isDash, indent, indent === keyIndent);
      pair.value = node;
    } else {
      // A deeper line after a scalar would continue it over lines.
      if (this.scalarOwnerIndent >= 0 && indent > this.scalarOwnerIndent) giveUp();
      while (this.stack.length > 0) {
        const top = this.stack[this.stack.length - 1];
        if (top.indent > indent || (top.indent === indent && top.compact && !isDash)) this.close();
        else break;
      }
      if (this.stack.length === 0) {
        if (this.root) giveUp();
        this.root = this.open(isDash, indent, false);
      }
      const top = this.stack[this.stack.length - 1];
      if (top.indent !== indent || (top.node instanceof YAMLSeq) !== isDash) giveUp();
    }
    this.scalarOwnerIndent = -1;
    if (isDash) this.readItem(at, contentEnd, next);
    else this.readPair(this.stack[this.stack.length - 1].node as unknown as YAMLMap, at, indent, contentEnd, next);
  }

  /** `- value` or `- key: value` (a map that starts on the dash's line). */
  private readItem(dash: number, contentEnd: number, next: number): void {
    const text = this.text;
    const seq = this.stack[this.stack.length - 1].node as YAMLSeq;
    if (seq.items.length === 0) seq.range = [dash, dash, dash];
    let at = dash + 1;
    while (at < contentEnd && text.charCodeAt(at) === SPACE) at++;
    // `-` alone: an empty item, or a collection on the next lines.
    if (at === contentEnd) giveUp();
    const first = text.charCodeAt(at);
    if (first === DASH && (at + 1 === contentEnd || text.charCodeAt(at + 1) === SPACE)) giveUp();
    const lineStart = text.lastIndexOf('\n', dash) + 1;
    if (this.keyEnd(at, contentEnd) >= 0) {
      const map = this.open(false, at - lineStart, false, seq) as YAMLMap;
      this.readPair(map, at, at - lineStart, contentEnd, next);
      return;
    }
    const value = this.scalarValue(at, contentEnd, next);
    seq.items.push(value);
    this.scalarOwnerIndent = dash - lineStart;
  }

  /** `key: value`, or `key:` whose collection follows on the next lines. */
  private readPair(map: YAMLMap, at: number, indent: number, contentEnd: number, next: number): void {
    const text = this.text;
    const key = this.scalarText(at, contentEnd, true);
    let colon = key.end;
    while (colon < contentEnd && text.charCodeAt(colon) === SPACE) colon++;
    if (text.charCodeAt(colon) !== COLON) giveUp();
    if (key.end - at > MAX_IMPLICIT_KEY) giveUp();
    key.scalar.range = [at, key.end, key.end];
    if (map.items.length === 0) map.range = [at, at, at];
    let valueAt = colon + 1;
    if (valueAt < contentEnd && text.charCodeAt(valueAt) !== SPACE) giveUp();
    while (valueAt < contentEnd && text.charCodeAt(valueAt) === SPACE) valueAt++;
    const pair = new Pair<Scalar, Node | null>(key.scalar, null);
    map.items.push(pair);
    if (valueAt === contentEnd) {
      this.pending = { pair, indent };
      return;
    }
    // `key: # comment` then a collection: the comment's place in the ranges is the parser's call.
    if (text.charCodeAt(valueAt) === HASH) giveUp();
    pair.value = this.scalarValue(valueAt, contentEnd, next);
    this.scalarOwnerIndent = indent;
  }

  /** A scalar or an alias that ends the line (a comment may follow), with its range to the next line. */
  private scalarValue(at: number, contentEnd: number, next: number): Scalar | Alias {
    const text = this.text;
    const value = text.charCodeAt(at) === ASTERISK ? this.aliasText(at, contentEnd) : this.scalarText(at, contentEnd, false);
    let after = value.end;
    while (after < contentEnd && text.charCodeAt(after) === SPACE) after++;
    // Only a comment may follow, and a comment needs a space before its '#'.
    if (after < contentEnd && !(text.charCodeAt(after) === HASH && after > value.end)) giveUp();
    value.scalar.range = [at, value.end, next];
    return value.scalar;
  }

  /**
   * The scalar starting at `at`: quoted (on this line, no escapes) or plain (up to `: `, ` #` or
   * the line's end, trailing spaces not included). A plain value may not hold `: ` (that would be
   * a map inside a value, which YAML rejects).
   */
  private scalarText(at: number, contentEnd: number, isKey: boolean): ScalarText {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === DOUBLE_QUOTE) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= contentEnd) giveUp();
      const body = text.slice(at + 1, close);
      if (body.indexOf('\\') >= 0) giveUp();
      return { scalar: this.quoted(body, Scalar.QUOTE_DOUBLE), end: close + 1 };
    }
    if (first === SINGLE_QUOTE) {
      let close = at + 1;
      for (;;) {
        close = text.indexOf("'", close);
        if (close < 0 || close >= contentEnd) giveUp();
        if (text.charCodeAt(close + 1) !== SINGLE_QUOTE) break;
        close += 2;
      }
      return { scalar: this.quoted(text.slice(at + 1, close).replace(/''/g, "'"), Scalar.QUOTE_SINGLE), end: close + 1 };
    }
    if (!canStartPlain(text, at, contentEnd)) giveUp();
    // The scalar ends at the first ': ' (or ':' ending the line) or ' #', whichever comes first.
    let stop = contentEnd;
    const hash = this.comments.from(at);
    if (hash >= 0 && hash < stop) stop = hash;
    for (let colon = this.colons.from(at); colon >= 0 && colon < stop; colon = this.colons.from(colon + 1)) {
      if (colon + 1 === contentEnd || text.charCodeAt(colon + 1) === SPACE) {
        if (!isKey) giveUp();
        stop = colon;
        break;
      }
    }
    if (isKey && (stop === contentEnd || text.charCodeAt(stop) !== COLON)) giveUp();
    let end = stop;
    while (end > at && text.charCodeAt(end - 1) === SPACE) end--;
    // A backslash is harmless in a plain scalar, but keys with one are rare enough to leave to `yaml`.
    if (isKey) {
      const backslash = this.backslashes.from(at);
      if (backslash >= 0 && backslash < end) giveUp();
    }
    const source = text.slice(at, end);
    return { scalar: this.plain(source, isKey), end };
  }

  /**
   * `*name`: an alias, named up to the next space. A name with a flow indicator in it, or ending in
   * ':' (which `yaml` warns is ambiguous), is left to `yaml`.
   */
  private aliasText(at: number, contentEnd: number): { scalar: Alias; end: number } {
    const text = this.text;
    let end = at + 1;
    while (end < contentEnd && text.charCodeAt(end) !== SPACE) end++;
    const name = text.slice(at + 1, end);
    if (name === '' || /[,[\]{}]/.test(name) || name.endsWith(':')) giveUp();
    return { scalar: new Alias(name), end };
  }

  /** Offset of the `:` that makes the text at `at` a key, or -1 (a scalar, or something else). */
  private keyEnd(at: number, contentEnd: number): number {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      // Past the closing quote (a doubled '' inside single quotes is a quote, not the end).
      let close = at + 1;
      for (;;) {
        close = text.indexOf(first === DOUBLE_QUOTE ? '"' : "'", close);
        if (close < 0 || close >= contentEnd) return -1;
        if (first === SINGLE_QUOTE && text.charCodeAt(close + 1) === SINGLE_QUOTE) {
          close += 2;
          continue;
        }
        break;
      }
      let from = close + 1;
      while (from < contentEnd && text.charCodeAt(from) === SPACE) from++;
      return text.charCodeAt(from) === COLON && (from + 1 === contentEnd || text.charCodeAt(from + 1) === SPACE) ? from : -1;
    }
    const hash = this.comments.from(at);
    const stop = hash >= 0 && hash < contentEnd ? hash : contentEnd;
    for (let colon = this.colons.from(at); colon >= 0 && colon < stop; colon = this.colons.from(colon + 1)) {
      if (colon + 1 === contentEnd || text.charCodeAt(colon + 1) === SPACE) return colon;
    }
    return -1;
  }

  private quoted(value: string, type: Scalar.Type): Scalar {
    const scalar = new Scalar(value);
    scalar.source = value;
    scalar.type = type;
    return scalar;
  }

  /** A plain scalar, typed as the schema types it (null, booleans, numbers, the merge key, else a string). */
  private plain(source: string, isKey: boolean): Scalar {
    let scalar: Scalar | undefined;
    // (The core schema's nulls, booleans and numbers all start with one of `~nNtTfF+-.0-9`, or are
    // empty: a scalar starting with any other letter is a string without trying them.)
    const first = source.charCodeAt(0) | 0x20;
    const mayBeTyped = !(first >= 0x61 && first <= 0x7a) || first === 0x6e || first === 0x74 || first === 0x66;
    if (mayBeTyped) for (const tag of isKey ? this.keyTags : this.valueTags) {
      if (!tag.test!.test(source)) continue;
      const resolved = tag.resolve(source, giveUp, this.context.options);
      scalar = isScalar(resolved) ? resolved : new Scalar(resolved);
      if (tag.format) scalar.format = tag.format;
      break;
    }
    scalar ??= new Scalar(source);
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    return scalar;
  }

  /** Opens a map or list at `indent`: the root, a key's value (set by the caller) or an item of `seq`. */
  private open(isSeq: boolean, indent: number, compact: boolean, seq?: YAMLSeq): YAMLMap | YAMLSeq {
    const node = isSeq ? new YAMLSeq(this.context.schema) : new YAMLMap(this.context.schema);
    if (seq) seq.items.push(node);
    this.stack.push({ node, indent, compact });
    return node;
  }

  /** Closes the innermost collection: it ends where its last item's range ends. */
  private close(): void {
    const { node } = this.stack.pop()!;
    const items = node.items as unknown[];
    const last = items[items.length - 1];
    const lastNode = (node instanceof YAMLMap ? (last as Pair).value : last) as Node | null;
    const end = lastNode?.range?.[2];
    // Every pair and item gets its node before the next line is read (a pending key gives up).
    if (end === undefined) giveUp();
    node.range = [node.range![0], end, end];
  }
}

/** Can a plain scalar start here? Not with an indicator, and not with `-`, `?` or `:` before a space. */
function canStartPlain(text: string, at: number, contentEnd: number): boolean {
  const c = text.charCodeAt(at);
  switch (c) {
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x3f: // ?
    case COLON:
    case DOUBLE_QUOTE:
    case SINGLE_QUOTE:
      return false;
    case DASH:
      return at + 1 < contentEnd && text.charCodeAt(at + 1) !== SPACE;
    default:
      return true;
  }
}
