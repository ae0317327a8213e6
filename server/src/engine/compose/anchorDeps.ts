// Chunks that use anchors defined in other chunks (`<<: *defaults`, `environment: *env`): which
// chunks each one needs, and how a chunk is parsed behind them. The analyzer then parses such a
// chunk with only the blocks that define its anchors in front of it (cached by that text), instead
// of the whole document on every keystroke, and maps the offsets of the result back onto the file.
import { Span } from './model';
import { Chunk } from './outline';

/** More than this in front of one chunk, and the document is parsed whole instead (a long `<<` chain). */
const MAX_DEPENDENCIES = 64;
const MAX_PREFIX_CHARS = 256 * 1024;

/**
 * For each chunk, the indices of the earlier chunks that define the anchors its aliases refer to
 * (each alias refers to the most recent definition before it), transitively, in document order;
 * undefined for a chunk that needs none. Returns undefined when some chunk would need too much in
 * front of it.
 */
export function anchorDependencies(chunks: Chunk[], maxDependencies = MAX_DEPENDENCIES): (number[] | undefined)[] | undefined {
  const result: (number[] | undefined)[] = new Array(chunks.length);
  const definedIn = new Map<string, number>();
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    if (chunk.aliases) {
      const deps = new Set<number>();
      for (const name of chunk.aliases) {
        const d = definedIn.get(name);
        if (d === undefined || deps.has(d)) continue;
        deps.add(d);
        for (const t of result[d] ?? []) deps.add(t);
      }
      if (deps.size > 0) {
        const ordered = [...deps].sort((a, b) => a - b);
        let chars = 0;
        for (const d of ordered) chars += chunks[d].end - chunks[d].start;
        if (ordered.length > maxDependencies || chars > MAX_PREFIX_CHARS) return undefined;
        result[i] = ordered;
      }
    }
    if (chunk.anchors) for (const name of chunk.anchors) definedIn.set(name, i);
  }
  return result;
}

/** Where a dependency's text sits in the combined text. */
export interface PrefixSegment {
  start: number;
  end: number;
  /** A service under the `services:` key that the combined text has in front of the service chunks. */
  underServices: boolean;
}

export interface AnchoredText {
  /** The dependencies' texts, then the chunk's own text. */
  text: string;
  /** Where the chunk's own text starts in `text`. */
  prefixLength: number;
  /** One per dependency, in the order given. */
  segments: PrefixSegment[];
  /** The chunk's own text is under that `services:` key. */
  ownUnderServices: boolean;
}

/**
 * The text a chunk is parsed as: its dependencies in document order, then the chunk. Service chunks
 * under `services:` (serviceIndent > 0) need that key above the sibling services and themselves.
 */
export function anchoredText(deps: { text: string; kind: Chunk['kind'] }[], own: string, ownKind: Chunk['kind'], serviceIndent: number): AnchoredText {
  let text = '';
  const segments: PrefixSegment[] = [];
  let servicesKey = false;
  const needServicesKey = (kind: Chunk['kind']) => {
    if (kind !== 'service' || serviceIndent <= 0 || servicesKey) return;
    text += 'services:\n';
    servicesKey = true;
  };
  for (const dep of deps) {
    needServicesKey(dep.kind);
    const start = text.length;
    text += dep.text;
    segments.push({ start, end: text.length, underServices: servicesKey && dep.kind === 'service' });
    if (!dep.text.endsWith('\n')) text += '\n';
  }
  needServicesKey(ownKind);
  const prefixLength = text.length;
  return { text: text + own, prefixLength, segments, ownUnderServices: servicesKey && ownKind === 'service' };
}

const SERVICES_KEY = 'services:\n';

/**
 * One piece of a combined text (a dependency, or the chunk itself: text[start, end)) as a text of
 * its own that parses the way that piece parses inside the combined text and at the same offsets:
 * blank in front (a comment line), under a `services:` key when it is a service there. Each piece
 * is then parsed once, however many chunks have it in front of them (compose/parse.ts,
 * parseAnchoredPieces).
 */
export function placedPiece(text: string, start: number, end: number, underServices: boolean): string {
  const key = underServices ? SERVICES_KEY : '';
  const fill = start - key.length;
  if (fill < 0) throw new Error(`a piece at ${start} cannot sit under a services key`);
  return key + (fill === 0 ? '' : fill === 1 ? '\n' : '#'.repeat(fill - 1) + '\n') + text.slice(start, end);
}

/** Does `text` hold each dependency's current text where it was when the entry was made? */
export function sameDependencies(text: string, segments: PrefixSegment[], current: string[]): boolean {
  if (segments.length !== current.length) return false;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    if (seg.end - seg.start !== current[k].length || !text.startsWith(current[k], seg.start)) return false;
  }
  return true;
}

export interface OffsetMap {
  /** An offset of the parsed text -> an offset of the file. */
  at(offset: number): number;
  /** A span of the parsed text -> a span of the file (a span that starts in a dependency stays inside it). */
  span(span: Span): Span;
}

/**
 * Maps offsets of the combined text onto the file: the chunk's own part follows `base`, the
 * dependencies' parts follow where those chunks are now.
 */
export function offsetMapper(prefixLength: number, segments: PrefixSegment[], base: number, dependencyStarts: number[]): OffsetMap {
  const segmentOf = (offset: number) => {
    for (let k = segments.length - 1; k >= 0; k--) if (offset >= segments[k].start) return k;
    return -1;
  };
  const at = (offset: number) => {
    if (offset >= prefixLength) return base + offset - prefixLength;
    const k = segmentOf(offset);
    return k < 0 ? base : dependencyStarts[k] + Math.min(offset, segments[k].end) - segments[k].start;
  };
  return {
    at,
    span: (span) => {
      if (span.start >= prefixLength) return { start: base + span.start - prefixLength, end: base + span.end - prefixLength };
      const k = segmentOf(span.start);
      if (k < 0) return { start: base, end: base };
      const seg = segments[k];
      const start = dependencyStarts[k] + Math.min(span.start, seg.end) - seg.start;
      return { start, end: dependencyStarts[k] + Math.min(Math.max(span.end, span.start), seg.end) - seg.start };
    },
  };
}

/** The plain case: a unit parsed from its own text at `base`. */
export function shiftBy(base: number): OffsetMap {
  return { at: (offset) => base + offset, span: (span) => ({ start: base + span.start, end: base + span.end }) };
}

/** A copy of a value with every {start, end} span mapped (the cached models are shared). */
export function mapSpans<T>(value: T, map: (span: Span) => Span): T {
  const copy = structuredClone(value);
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.start === 'number' && typeof record.end === 'number') {
      const mapped = map(record as unknown as Span);
      record.start = mapped.start;
      record.end = mapped.end;
    }
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(copy);
  return copy;
}
