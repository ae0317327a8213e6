// The engine's entry point for validation: text in, findings out. Parses per service chunk and
// caches by chunk text, so a keystroke re-parses one service; cross-service checks then run over
// the cached summaries.
import { Chunk, DocumentOutline, outlineCompose, reoutlineAfterEdit } from './compose/outline';
import { ParsedUnit, ServiceModel, Span, SyntaxProblem } from './compose/model';
import { parseUnit } from './compose/parse';
import { missingSpaceProblem } from './compose/yamlErrors';
import { CrossServiceIndex, PlacedBinding, summarise, UnitSummary } from './rules/crossServiceRules';
import { checkService } from './rules/serviceRules';
import { Finding } from './rules/types';
import { t } from './i18n';

export type YamlSyntaxErrorMode = 'all' | 'labels' | 'off';

export interface AnalysisOptions {
  env?: ReadonlyMap<string, string>;
  yamlSyntaxErrors?: YamlSyntaxErrorMode;
}

/** A parsed unit placed in the file. */
export interface PlacedUnit {
  base: number;
  end: number;
  kind: Chunk['kind'] | 'document';
  parsed: ParsedUnit;
}

export interface Analysis {
  findings: Finding[];
  units: PlacedUnit[];
  /** Every lb binding with its unit offset (built on first access: only online checks need it). */
  readonly bindings: PlacedBinding[];
  /** `slb\u0000scheme\u0000frontPort` of every binding, in document order (cheap: no positions). */
  slbUses(): string[];
  /** The per-unit summaries in document order: the same objects as last time means the same bindings. */
  unitSummaries: UnitSummary[];
  outlines: DocumentOutline[];
}

interface UnitCacheEntry {
  parsed: ParsedUnit;
  /** The unit's own text (the cache key), to parse again after a lean analyzer dropped the models. */
  text: string;
  /** A lean analyzer dropped `parsed.services` once the rules were computed. */
  modelsDropped?: boolean;
  /** Label-line syntax problems found by our own scan (relative offsets). */
  labelLineProblems: SyntaxProblem[];
  rules?: { envKey: string; findings: Finding[]; summary: UnitSummary };
  generation: number;
}

const LABEL_LINE_MISSING_SPACE = /^[ \t]*(["']?)aliyun\.[A-Za-z0-9_.\-\/]*\1:[^\s:\/]/gm;

export interface AnalyzerOptions {
  /**
   * Keep every service model after its rules are computed (default). The validation worker turns
   * this off: it needs only the findings and summaries, and the models of a 5000-service file are
   * much of its memory. Units then come back with no services; an env change parses them again.
   */
  keepServiceModels?: boolean;
}

export class ComposeAnalyzer {
  constructor(private readonly options: AnalyzerOptions = {}) {}

  /** Parsed units by their exact text, one map per unit kind (no key concatenation on the hot path). */
  private readonly caches: Record<PlacedUnit['kind'], Map<string, UnitCacheEntry>> = { service: new Map(), section: new Map(), document: new Map() };
  private generation = 0;
  /** Per-document state: one analyzer serves one document (the server keeps one per URI). */
  private readonly crossIndex = new CrossServiceIndex();
  /** The previous analysis, so an edit can re-outline and re-look-up only the chunks it touched. */
  /** How the last analyses went (tests check that the incremental path is really taken). */
  readonly stats = { incremental: 0, full: 0 };
  private last: { text: string; envKey: string; outline: DocumentOutline; entries: UnitCacheEntry[] } | undefined;

  /** Entries whose service models a lean analyzer may drop (see releaseServiceModels). */
  private droppable: UnitCacheEntry[] = [];

  /**
   * Lean analyzers: drop the service models whose rules are computed. Called when the caller is idle
   * (after publishing), not during analysis, so a big first analysis does not also pay for
   * collecting the models it just built.
   */
  releaseServiceModels(): void {
    for (const entry of this.droppable) {
      if (!entry.rules) continue;
      entry.parsed = { services: [], problems: entry.parsed.problems };
      entry.modelsDropped = true;
    }
    this.droppable = [];
  }

  clear(): void {
    this.droppable = [];
    for (const cache of Object.values(this.caches)) cache.clear();
    this.last = undefined;
  }

  analyze(text: string, options: AnalysisOptions = {}): Analysis {
    this.generation++;
    const env = options.env;
    const envKey = env ? [...env.entries()].map(([k, v]) => `${k}=${v}`).join('\u0000') : '';
    const mode = options.yamlSyntaxErrors ?? 'all';
    let outlines: DocumentOutline[] | undefined;
    // Entries known from the previous analysis, by chunk index (unchanged chunks need no lookup).
    let known: (UnitCacheEntry | undefined)[] | undefined;
    const last = this.last;
    if (last && last.envKey === envKey && last.text !== text) {
      const prefix = commonPrefixLength(last.text, text);
      const suffix = commonSuffixLength(last.text, text, Math.min(last.text.length, text.length) - prefix);
      const edit = reoutlineAfterEdit(last.outline, text, prefix, last.text.length - suffix, text.length - last.text.length);
      if (edit) {
        this.stats.incremental++;
        outlines = [edit.outline];
        known = [...last.entries.slice(0, edit.firstChanged), ...new Array<undefined>(edit.newCount), ...last.entries.slice(edit.firstChanged + edit.removedCount)];
      }
    } else if (last && last.envKey === envKey && last.text === text) {
      outlines = [last.outline];
      known = last.entries;
    }
    if (!outlines) {
      this.stats.full++;
      outlines = outlineCompose(text);
    }
    const entries: UnitCacheEntry[] = [];
    const findings: Finding[] = [];
    const units: PlacedUnit[] = [];
    const summaries: { base: number; summary: UnitSummary }[] = [];
    const place = (f: Finding, base: number): Finding => ({
      ...f,
      span: { start: f.span.start + base, end: f.span.end + base },
      related: f.related?.map((r) => ({ ...r, span: { start: r.span.start + base, end: r.span.end + base } })),
      fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map((e) => ({ span: { start: e.span.start + base, end: e.span.end + base }, newText: resolveIndent(text, e.span.start + base, e.newText) })) })),
    });
    for (const outline of outlines) {
      const pieces: { base: number; end: number; kind: PlacedUnit['kind'] }[] = outline.needsWholeParse
        ? [{ base: outline.start, end: outline.end, kind: 'document' }]
        : outline.chunks.map((c) => ({ base: c.start, end: c.end, kind: c.kind }));
      for (let index = 0; index < pieces.length; index++) {
        const piece = pieces[index];
        const unitText = text.slice(piece.base, piece.end);
        let entry = outlines.length === 1 && !outline.needsWholeParse ? known?.[index] : undefined;
        if (entry) entry.generation = this.generation;
        else entry = this.unit(unitText, piece.kind);
        entries.push(entry);
        units.push({ base: piece.base, end: piece.end, kind: piece.kind, parsed: entry.parsed });
        if (entry.labelLineProblems.length > 0 || entry.parsed.problems.length > 0) {
          // Syntax problems: ours for label lines replace the parser's on the same line.
          const ownLines = new Set(entry.labelLineProblems.map((p) => lineStartOf(unitText, p.span.start)));
          for (const p of entry.labelLineProblems) findings.push(place(syntaxFinding(p, unitText), piece.base));
          if (mode !== 'off') {
            for (const p of entry.parsed.problems) {
              if (ownLines.has(lineStartOf(unitText, p.span.start))) continue;
              if (mode === 'labels' && !isOnLabelLine(unitText, p.span.start)) continue;
              findings.push(place(syntaxFinding(p, unitText), piece.base));
            }
          }
        }
        if (entry.parsed.services.length === 0 && !entry.modelsDropped) continue;
        if (!entry.rules || entry.rules.envKey !== envKey) {
          if (entry.modelsDropped) {
            entry.parsed = parseUnit(entry.text, piece.kind);
            entry.modelsDropped = false;
          }
          const unitFindings: Finding[] = [];
          const bindings = [];
          const hostPorts = [];
          for (const service of entry.parsed.services) {
            const r = checkService(service, env);
            unitFindings.push(...r.findings);
            bindings.push(...r.bindings);
            hostPorts.push(...r.hostPorts);
          }
          // Services sharing an anchor report a finding at the anchor once.
          const seen = new Set<string>();
          const unique = unitFindings.filter((f) => {
            const key = `${f.code}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          entry.rules = { envKey, findings: unique, summary: summarise(bindings, hostPorts) };
          if (this.options.keepServiceModels === false) this.droppable.push(entry);
        }
        for (const f of entry.rules.findings) findings.push(place(f, piece.base));
        summaries.push({ base: piece.base, summary: entry.rules.summary });
      }
      for (const dup of outline.duplicateServices) {
        const chunk = outline.chunks[dup.chunkIndex];
        findings.push({ code: 'yaml-duplicate-key', severity: 'error', message: t("Service '{0}' is defined twice; YAML keeps only one of them. Rename or remove one.", dup.name), span: { start: chunk.start + leadingSpaces(text, chunk.start), end: chunk.start + leadingSpaces(text, chunk.start) + dup.name.length } });
      }
    }
    findings.push(...this.crossIndex.update(summaries));
    this.last = outlines.length === 1 && !outlines[0].needsWholeParse ? { text, envKey, outline: outlines[0], entries } : undefined;
    this.evict(units.length);
    let placedBindings: PlacedBinding[] | undefined;
    return {
      findings,
      units,
      outlines,
      unitSummaries: summaries.map((s) => s.summary),
      slbUses: () => summaries.flatMap(({ summary }) => summary.uses),
      get bindings() {
        placedBindings ??= summaries.flatMap(({ base, summary }) => summary.bindings.map((b) => ({ ...b, base })));
        return placedBindings;
      },
    };
  }

  /** Parses (or fetches) one unit; exposed for completion/hover on a single service. */
  unit(unitText: string, kind: PlacedUnit['kind']): UnitCacheEntry {
    const cache = this.caches[kind];
    let entry = cache.get(unitText);
    if (!entry) {
      // A slice keeps its whole parent string alive, and so would every string the parser cuts
      // from it: parse (and key the cache with) a copy, or every edit would pin one more full copy
      // of the file.
      const own = detach(unitText);
      entry = { parsed: parseUnit(own, kind), text: own, labelLineProblems: scanLabelLines(own), generation: this.generation };
      cache.set(own, entry);
    }
    entry.generation = this.generation;
    return entry;
  }

  /** Drops units no longer in the latest text once the cache holds far more than the file needs. */
  private evict(live: number): void {
    for (const cache of Object.values(this.caches)) {
      if (cache.size <= live * 2 + 2000) continue;
      for (const [key, entry] of cache) if (entry.generation < this.generation) cache.delete(key);
    }
  }
}

function scanLabelLines(unitText: string): SyntaxProblem[] {
  if (!unitText.includes('aliyun.')) return [];
  const problems: SyntaxProblem[] = [];
  LABEL_LINE_MISSING_SPACE.lastIndex = 0;
  for (let m = LABEL_LINE_MISSING_SPACE.exec(unitText); m; m = LABEL_LINE_MISSING_SPACE.exec(unitText)) {
    const lineStart = m.index;
    let lineEnd = unitText.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = unitText.length;
    const problem = missingSpaceProblem(unitText, lineStart, unitText.slice(lineStart, lineEnd).replace(/\r$/, ''));
    if (problem) problems.push(problem);
  }
  return problems;
}

function syntaxFinding(p: SyntaxProblem, unitText: string): Finding {
  const finding: Finding = { code: p.code, severity: p.severity, message: p.message, span: p.span };
  if (p.code === 'yaml-missing-space-after-colon') {
    finding.fixes = [{ title: t("Insert a space after ':'"), edits: [{ span: { start: p.span.end, end: p.span.end }, newText: ' ' }], preferred: true }];
  } else if (p.code === 'yaml-tab-indent') {
    const lineStart = lineStartOf(unitText, p.span.start);
    const m = /^[ \t]*/.exec(unitText.slice(lineStart))!;
    finding.fixes = [{ title: t('Replace tabs with spaces'), edits: [{ span: { start: lineStart, end: lineStart + m[0].length }, newText: m[0].replace(/\t/g, '  ') }] }];
  }
  return finding;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

function leadingSpaces(text: string, offset: number): number {
  let i = offset;
  while (text.charCodeAt(i) === 32) i++;
  return i - offset;
}

/** Is the line at `offset` a label line, or inside a `labels:` block? (Used for the "labels" syntax-error mode.) */
export function isOnLabelLine(text: string, offset: number): boolean {
  const start = lineStartOf(text, offset);
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  if (line.includes('aliyun.')) return true;
  let indent = /^ */.exec(line)![0].length;
  let cursor = start;
  while (cursor > 0 && indent > 0) {
    const prevEnd = cursor - 1;
    const prevStart = lineStartOf(text, prevEnd);
    const prev = text.slice(prevStart, prevEnd).replace(/\r$/, '');
    cursor = prevStart;
    const trimmed = prev.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const prevIndent = prev.length - trimmed.length;
    if (prevIndent < indent) {
      if (/^labels\s*:/.test(trimmed)) return true;
      indent = prevIndent;
    }
  }
  return false;
}

/** Fills the indentation placeholder of multi-line fixes and keeps the file's line endings. */
function resolveIndent(text: string, offset: number, newText: string): string {
  if (!newText.includes('\n')) return newText;
  const start = lineStartOf(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start, start + 200))![0];
  const lineEnd = text.indexOf('\n', start);
  const crlf = lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 13;
  const filled = newText.split('\u0000INDENT\u0000').join(indent);
  return crlf ? filled.replace(/\r?\n/g, '\r\n') : filled;
}

export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

export function findServiceAt(analysis: Analysis, offset: number): { unit: PlacedUnit; service: ServiceModel } | undefined {
  for (const unit of analysis.units) {
    if (offset < unit.base || offset > unit.end) continue;
    for (const service of unit.parsed.services) return { unit, service };
  }
  return undefined;
}

/** Length of the common prefix of two strings, by binary search on slice equality (memcmp speed). */
function commonPrefixLength(a: string, b: string): number {
  let low = 0;
  let high = Math.min(a.length, b.length);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(low, mid) === b.slice(low, mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

function commonSuffixLength(a: string, b: string, max: number): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (a.slice(a.length - mid, a.length - low) === b.slice(b.length - mid, b.length - low)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A copy of `text` that does not share memory with the string it was sliced from. */
function detach(text: string): string {
  return text.length === 0 ? '' : (' ' + text).slice(1);
}
