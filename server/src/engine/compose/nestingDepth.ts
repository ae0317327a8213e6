// How deeply a YAML text nests, counted before parsing. The `yaml` package recurses once per level
// and reports a stack overflow past a few hundred levels (fewer the fuller the caller's stack), so
// where it gives up would depend on the stack. Counting first gives one answer for one text.

/**
 * Deepest nesting the engine parses. Compose files nest about 6 levels (services > web > deploy >
 * labels > key); the `yaml` package overflows the stack at about 850 flow levels on an empty main
 * thread stack and sooner under a deep caller: 200 leaves it a fourfold margin.
 */
export const MAX_NESTING_DEPTH = 200;

export interface TooDeep {
  /** Offset of the bracket, indicator or key that went one level past the limit. */
  offset: number;
  depth: number;
}

/**
 * The first place where nesting passes `max` levels, or undefined. Counts block levels (each
 * deeper indentation, each `- `, `? ` and `: ` indicator that opens a node on the same line) plus
 * flow levels (`[` and `{`) inside them. Skips quoted scalars (which may span lines), comments and
 * block scalars (`|`, `>`), whose indentation is text, not nesting. One pass, no recursion: linear
 * in the text length whatever the text.
 */
export function findTooDeepNesting(text: string, max = MAX_NESTING_DEPTH): TooDeep | undefined {
  return cannotNestDeeperThan(text, max) ? undefined : scanNesting(text, max);
}

/** findTooDeepNesting without the shortcut (exported for the test that compares the two). */
export function scanNesting(text: string, max = MAX_NESTING_DEPTH): TooDeep | undefined {
  const blockColumns: number[] = [];
  let flowDepth = 0;
  let quote = ''; // the open quote of a quoted scalar, '' outside one
  let blockScalarParent = -1; // indentation of the line that opened a block scalar, -1 outside one
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    const blank = i >= lineEnd || text[i] === '\r' || text[i] === '#';
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    let nodeStart = false;
    if (!quote && flowDepth === 0) {
      if (blank) {
        lineStart = lineEnd + 1;
        continue;
      }
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) blockColumns.length = 0; // a new document
      while (blockColumns.length > 0 && blockColumns[blockColumns.length - 1] >= indent) blockColumns.pop();
      // `- `, `? ` and `: ` open one more level each, at their own column.
      for (;;) {
        const c = text[i];
        const next = text[i + 1];
        if ((c === '-' || c === '?' || c === ':') && (next === ' ' || next === '\t' || i + 1 >= lineEnd || next === '\r')) {
          blockColumns.push(i - lineStart);
          if (blockColumns.length > max) return { offset: i, depth: blockColumns.length };
          i++;
          while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
          continue;
        }
        break;
      }
      if (i < lineEnd && text[i] !== '\r' && text[i] !== '#') {
        blockColumns.push(i - lineStart);
        if (blockColumns.length > max) return { offset: i, depth: blockColumns.length };
      }
      nodeStart = true;
    }
    // The rest of the line, character by character.
    for (; i < lineEnd; i++) {
      const c = text[i];
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = '';
        }
        continue;
      }
      const spaceBefore = i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t';
      if (c === '#' && spaceBefore) break; // a comment runs to the end of the line
      if (flowDepth > 0) {
        if (c === '[' || c === '{') {
          flowDepth++;
          if (blockColumns.length + flowDepth > max) return { offset: i, depth: blockColumns.length + flowDepth };
        } else if (c === ']' || c === '}') flowDepth--;
        else if (c === '"' || c === "'") quote = c;
        continue;
      }
      if (nodeStart) {
        // Properties (`&anchor`, `!tag`) come before the node they belong to.
        if ((c === '&' || c === '!') && i + 1 < lineEnd) {
          while (i < lineEnd && text[i] !== ' ' && text[i] !== '\t') i++;
          continue;
        }
        if (c === ' ' || c === '\t' || c === '\r') continue;
        nodeStart = false;
        if (c === '[' || c === '{') {
          flowDepth = 1;
          if (blockColumns.length + flowDepth > max) return { offset: i, depth: blockColumns.length + flowDepth };
          continue;
        }
        if (c === '"' || c === "'") {
          quote = c;
          continue;
        }
        if (c === '|' || c === '>') {
          blockScalarParent = indent;
          break;
        }
      }
      // A plain scalar (or key) in block context: only `: ` after it opens a value node.
      if (c === ':' && (i + 1 >= lineEnd || text[i + 1] === ' ' || text[i + 1] === '\t' || text[i + 1] === '\r')) nodeStart = true;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/**
 * A bound that most texts prove without the scan below: the block levels open at any point sit at
 * strictly increasing columns of their lines, so there are fewer of them than the longest line has
 * characters (a line that starts with `#` opens none: a comment, or text inside a scalar or a flow
 * collection), and each flow level needs a `[` or `{` of its own.
 */
function cannotNestDeeperThan(text: string, max: number): boolean {
  let bound = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > bound && text.charCodeAt(start) !== 35) bound = end - start;
    start = end + 1;
  }
  if (bound > max) return false;
  for (const bracket of ['[', '{']) {
    for (let i = text.indexOf(bracket); i >= 0; i = text.indexOf(bracket, i + 1)) if (++bound > max) return false;
  }
  return true;
}
