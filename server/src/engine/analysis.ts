// The engine's entry point for validation: text in, findings out. Parses per service chunk and
// caches by chunk text, so a keystroke re-parses one service; cross-service checks then run over
// the cached summaries.
import { Chunk, DocumentOutline, outlineCompose, reoutlineAfterEdit } from './compose/outline';
import { ParsedUnit, Span, SyntaxProblem } from './compose/model';
import { anchorDependencies, anchoredText, mapSpans, OffsetMap, offsetMapper, placedPiece, PrefixSegment, sameDependencies, shiftBy } from './compose/anchorDeps';
import { parseAnchoredPieces, ParsedPiece, parsePiece, parseUnit } from './compose/parse';
import { isOnLabelLine, lineStartOf, scanLabelLines } from './compose/labelLines';
import { ExtendsContext, ExtendsFiles, ExtendsResolution, factsOf, resolutionKey, resolveExtends, ServiceFacts } from './compose/extends';
import { CrossServiceIndex, CrossUnit, PlacedBinding, summarise, UnitCross, UnitSummary } from './rules/crossServiceRules';
import { FILE_CHECKS, SERVICE_CHECKS } from './rules/registry';
import { syntaxFinding } from './rules/syntaxRules';
import { Finding, ServiceRuleResult } from './rules/types';
import { t } from './i18n';
import { pushAll } from './arrays';
import { lineEndIn, lineStartIn, TextReader, TextSource } from './textSource';
import { analysisStoppedFinding, lineOfOffset, maxTextLength, runTestSlowRule, sizeLimitFinding } from './analysisLimits';

export type YamlSyntaxErrorMode = 'all' | 'labels' | 'off';

export interface AnalysisOptions {
  env?: ReadonlyMap<string, string>;
  yamlSyntaxErrors?: YamlSyntaxErrorMode;
  /** Longer texts get only the size-limit finding (default: SLB_LABELS_MAX_FILE_MB, else 10 MB). */
  maxTextLength?: number;
  /** Past this many ms the analysis stops with one `analysis-stopped` finding (checked between services). */
  timeBudgetMs?: number;
  /** Told the offset of each unit and service as analysis reaches it (the worker's watchdog reads it). */
  onProgress?: (offset: number) => void;
  /** This file on disk and a reader, for `extends: {file: ...}` (none: other files are not read). */
  files?: ExtendsFiles;
}

const MAX_TEXT_LENGTH = maxTextLength();
const EXTENDS = 'extends';
/**
 * Words the analysis asks "is it anywhere in the text?" on every keystroke: whether `extends` needs
 * resolving, whether line breaks need normalising, whether a file check can find anything. The
 * answers are kept, and after an edit only the edited stretch is searched for a word the text did
 * not have (a whole-text search of a 3 MB file costs a millisecond or two, each).
 */
const TRACKED_WORDS: readonly string[] = [EXTENDS, '\r', ...FILE_CHECKS.flatMap((p) => (p.checkFileWhen ? [p.checkFileWhen] : []))];

/** A parsed unit placed in the file. */
export interface PlacedUnit {
  base: number;
  end: number;
  kind: Chunk['kind'] | 'document';
  parsed: ParsedUnit;
}

/**
 * The findings in document order, in parts: `relative` ones are a unit's cached findings with offsets
 * relative to `base` (the same array as long as the unit's text and rules are unchanged, so a
 * consumer may cache what it derives from them per array and `startLine`), followed by its
 * cross-service findings `cross` (the same object while they are unchanged; see `crossCacheable`);
 * the rest are placed.
 */
export type FindingPart = { placed: Finding[] } | UnitPart;
export interface UnitPart {
  relative: Finding[];
  base: number;
  startLine: number;
  summary: UnitSummary;
  cross?: UnitCross;
}

export interface Analysis {
  /** Placed in the file (built on first access from `parts`). */
  readonly findings: Finding[];
  parts?: FindingPart[];
  /** A relative part's findings placed in the file (as in `findings`). */
  placePart?(part: UnitPart): Finding[];
  /** A unit part's cross-service findings placed in the file (as in `findings`). */
  placeCross?(cross: UnitCross): Finding[];
  /**
   * Whether a part's cross-service findings may be cached: every unit they point into (`cross.refs`)
   * is placed by a shift, so the same object with the same first lines of those units (`crossLineOf`)
   * has the same positions.
   */
  crossCacheable?(cross: UnitCross): boolean;
  crossLineOf?(unit: UnitSummary): number;
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
  /** What the unit was parsed as: the same text is a service in one file and a section in another. */
  kind: PlacedUnit['kind'];
  /** The unit's own text (the cache key), to parse again after a lean analyzer dropped the models. */
  text: string;
  /** A lean analyzer dropped `parsed.services` once the rules were computed. */
  modelsDropped?: boolean;
  /** Label-line syntax problems found by our own scan (relative offsets). */
  labelLineProblems: SyntaxProblem[];
  /**
   * Facts about the parse the analysis asks on every keystroke, kept here so a known unit is looked
   * at without reaching into its model (thousands of units: each object reached costs a cache miss).
   * They hold when a lean analyzer drops the models (parsing the same text again gives the same).
   */
  hasProblems: boolean;
  hasServices: boolean;
  /** What `extends` needs of each service (kept when a lean analyzer drops the models). */
  facts: ServiceFacts[];
  /** `envKey` is the .env and, for units with `extends`, what the extended services give. */
  rules?: { envKey: string; findings: Finding[]; summary: UnitSummary };
  generation: number;
  /** Parsed behind the chunks that define its anchors: `text` is theirs then its own (compose/anchorDeps.ts). */
  anchored?: { prefixLength: number; segments: PrefixSegment[]; ownUnderServices: boolean };
}

export interface AnalyzerOptions {
  /**
   * Keep every service model after its rules are computed (default). The validation worker turns
   * this off: it needs only the findings and summaries, and the models of a 5000-service file are
   * much of its memory. Units then come back with no services; an env change parses them again.
   * The models are dropped as soon as their rules ran: dropped while still young they cost the
   * garbage collector nothing, while kept to the end of a 5000-service open they were copied out
   * of the young generation and marked again and again.
   */
  keepServiceModels?: boolean;
  /** Parse a document whole when a chunk uses another chunk's anchors (the old way; tests compare both). */
  wholeParseForAliases?: boolean;
}

export class ComposeAnalyzer {
  constructor(private readonly options: AnalyzerOptions = {}) {}

  /** Parsed units by their exact text, one map per unit kind (no key concatenation on the hot path); `anchored` by dependencies + own text. */
  private readonly caches: Record<PlacedUnit['kind'] | 'anchored', Map<string, UnitCacheEntry>> = { service: new Map(), section: new Map(), document: new Map(), anchored: new Map() };
  private generation = 0;
  /** Per-document state: one analyzer serves one document (the server keeps one per URI). */
  private readonly crossIndex = new CrossServiceIndex();
  /** The previous analysis, so an edit can re-outline and re-look-up only the chunks it touched. */
  /** How the last analyses went (tests check that the incremental path is really taken). */
  readonly stats = { incremental: 0, full: 0 };
  private last:
    | {
        /** The text analysed (undefined: it was read from `source` in pieces; only that source can tell what changed since). */
        text: string | undefined;
        length: number;
        source: TextSource | undefined;
        /** The source's stamp when analysed. */
        editCount: number;
        envKey: string;
        outline: DocumentOutline;
        entries: UnitCacheEntry[];
        mentions: Map<string, boolean>;
      }
    | undefined;

  clear(): void {
    for (const cache of Object.values(this.caches)) cache.clear();
    this.last = undefined;
  }

  /**
   * Analyses a text: a string, or a source read in pieces (an open document; see textSource.ts).
   * From a source, an edit is analysed without making one string of the whole text, as long as the
   * text has no CR, `extends` or a word a file check looks for; otherwise the source's text is used.
   */
  analyze(input: string | TextSource, options: AnalysisOptions = {}): Analysis {
    const limit = options.maxTextLength ?? MAX_TEXT_LENGTH;
    if (input.length > limit) {
      this.last = undefined;
      return { findings: [sizeLimitFinding(input.length, limit)], units: [], outlines: [], unitSummaries: [], slbUses: () => [], bindings: [] };
    }
    const last = this.last;
    const source = typeof input === 'string' ? undefined : input;
    /** The whole text as one string, made when needed (from a source: only when there is no other way). */
    let text: string | undefined = typeof input === 'string' ? input : undefined;
    const mentions = new Map<string, boolean>();
    /** The stretch an edit changed since the last analysis (text[prefix, length - suffix)), when known. */
    let edited: { prefix: number; suffix: number } | undefined;
    let unchanged = false;
    if (last && source && last.source === source) {
      edited = source.changedSince(last.editCount);
      unchanged = source.editCount === last.editCount;
    }
    const edit = (before: string, after: string) => {
      const prefix = commonPrefixLength(before, after);
      return { prefix, suffix: commonSuffixLength(before, after, Math.min(before.length, after.length) - prefix) };
    };
    // A text that had no CR (the last one) gets one only from the edit: then it is the same after normalising.
    if (!edited && text !== undefined && last?.text !== undefined && last.mentions.get('\r') === false && last.text !== text) edited = edit(last.text, text);
    const reader: TextReader = source ?? text!;
    const mentioned = (word: string): boolean => {
      let found = mentions.get(word);
      if (found === undefined) {
        found = edited && last!.mentions.get(word) === false ? reader.slice(Math.max(0, edited.prefix - word.length), reader.length - edited.suffix + word.length).includes(word) : (text ??= source!.getText()).includes(word);
        mentions.set(word, found);
      }
      return found;
    };
    if (mentioned('\r')) text = lineBreaksAsLf(text ?? source!.getText());
    this.generation++;
    const startedAt = performance.now();
    const budget = options.timeBudgetMs;
    const deadline = budget === undefined ? Infinity : startedAt + budget;
    const progress = options.onProgress;
    const env = options.env;
    const envKey = env ? [...env.entries()].map(([k, v]) => `${k}=${v}`).join('\u0000') : '';
    const mode = options.yamlSyntaxErrors ?? 'all';
    // Read in pieces from here on when the text is still a source (see above), else from the string.
    const wholeText = () => (text ??= source!.getText());
    const hasCr = mentioned('\r');
    const piecewise: TextReader = text ?? source!;
    let outlines: DocumentOutline[] | undefined;
    // Entries known from the previous analysis, by chunk index (unchanged chunks need no lookup).
    let known: (UnitCacheEntry | undefined)[] | undefined;
    if (!edited && last?.text !== undefined) {
      if (last.text === wholeText()) unchanged = true;
      else edited = edit(last.text, wholeText());
    }
    if (last && last.envKey === envKey && edited && !unchanged) {
      const { prefix, suffix } = edited;
      const reoutlined = reoutlineAfterEdit(last.outline, piecewise, prefix, last.length - suffix, piecewise.length - last.length);
      if (reoutlined) {
        this.stats.incremental++;
        outlines = [reoutlined.outline];
        known = [...last.entries.slice(0, reoutlined.firstChanged), ...new Array<undefined>(reoutlined.newCount), ...last.entries.slice(reoutlined.firstChanged + reoutlined.removedCount)];
      }
    } else if (last && last.envKey === envKey && unchanged) {
      outlines = [last.outline];
      known = last.entries;
    }
    if (!outlines) {
      this.stats.full++;
      outlines = outlineCompose(wholeText());
    }
    const entries: UnitCacheEntry[] = [];
    // Placed findings since the last unit part (see FindingPart).
    let loose: Finding[] = [];
    const parts: FindingPart[] = [];
    const flush = () => {
      if (loose.length > 0) parts.push({ placed: loose });
      loose = [];
    };
    let gaveUp = false;
    const units: PlacedUnit[] = [];
    const summaries: CrossUnit[] = [];
    // (Written out: a spread of findings of several shapes cost a slow path per object, 15k per open.)
    const place = (f: Finding, map: OffsetMap): Finding => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      span: map.span(f.span),
      related: f.related?.map((r) => ({ span: map.span(r.span), message: r.message })),
      fixes: f.fixes?.map((x) => ({ ...x, edits: x.edits.map((e) => ({ span: map.span(e.span), newText: resolveIndent(piecewise, map.at(e.span.start), e.newText, map.at, hasCr) })) })),
    });
    // `extends` needs every service of the file first (the extended one may come later).
    const extendsContext = mentioned(EXTENDS) ? this.extendsContext(wholeText(), outlines, known, options.files) : undefined;
    // A finding at an anchor that several anchored units inherit is reported once.
    const atAnchors = new Set<string>();
    // The chunks others use anchors of, each parsed once in this analysis (and dropped after it).
    const pieceParses = new PieceCache();
    const lean = this.options.keepServiceModels === false;
    let parsedWhole = false;
    for (const outline of outlines) {
      // Chunks that use anchors of other chunks are parsed behind them; too long a chain: whole.
      const deps = outline.needsWholeParse ? undefined : anchorDependencies(outline.chunks, this.options.wholeParseForAliases ? 0 : undefined);
      const whole = outline.needsWholeParse || !deps;
      // The texts of chunks others use anchors of, sliced once (hundreds of services share one `x-defaults`).
      const chunkTexts: (string | undefined)[] = [];
      parsedWhole ||= whole;
      // (The chunks themselves: a keystroke in a 5000-service file need not copy 5000 of anything.)
      const pieces: readonly { start: number; end: number; kind: PlacedUnit['kind'] }[] = whole ? [{ start: outline.start, end: outline.end, kind: 'document' }] : outline.chunks;
      for (let index = 0; index < pieces.length; index++) {
        const piece = pieces[index];
        const base = piece.start;
        progress?.(base);
        let entry = outlines.length === 1 && !whole ? known?.[index] : undefined;
        // The clock is read before each unit that may need parsing, and every 64 units otherwise.
        if ((!entry || (index & 63) === 0) && performance.now() > deadline) return this.stopped(wholeText(), budget!, base, units, outlines!, summaries);
        const depIndices = deps?.[index];
        const depTexts = depIndices?.map((d) => (chunkTexts[d] ??= piecewise.slice(outline.chunks[d].start, outline.chunks[d].end)));
        // A known entry still fits when the chunks in front of it are the same as when it was parsed.
        if (entry && (depTexts ? !entry.anchored || !sameDependencies(entry.text, entry.anchored.segments, depTexts) : entry.anchored)) entry = undefined;
        // And when its chunk is still the same kind: an edit above it can turn services into sections.
        if (entry && entry.kind !== piece.kind) entry = undefined;
        if (entry) entry.generation = this.generation;
        else if (depIndices && depTexts) entry = this.anchoredUnit(depIndices.map((d, k) => ({ text: depTexts[k], kind: outline.chunks[d].kind })), piecewise.slice(base, piece.end), piece.kind, outline.serviceIndent, pieceParses);
        else entry = this.unit(piecewise.slice(base, piece.end), piece.kind);
        entries.push(entry);
        const anchored = entry.anchored;
        // Made only for the units that need it (most are placed by their part's base alone).
        let map: OffsetMap | undefined = anchored && depIndices ? offsetMapper(anchored.prefixLength, anchored.segments, base, depIndices.map((d) => outline.chunks[d].start)) : undefined;
        if (anchored) {
          const parsed = lean ? withoutModels(entry.parsed) : entry.parsed;
          let relocated: ParsedUnit | undefined;
          // Models with file offsets relative to the unit (those inherited from an anchor elsewhere
          // come out negative or past the unit), made only when someone reads them.
          const unitMap = map!;
          units.push({ base, end: piece.end, kind: piece.kind, get parsed() { return (relocated ??= mapSpans(parsed, (span) => { const s = unitMap.span(span); return { start: s.start - base, end: s.end - base }; })); } });
        } else units.push({ base, end: piece.end, kind: piece.kind, parsed: lean ? withoutModels(entry.parsed) : entry.parsed });
        const ownText = entry.text;
        if (entry.hasProblems) {
          // Syntax problems: ours for label lines replace the parser's on the same line.
          const ownLines = new Set(entry.labelLineProblems.map((p) => lineStartOf(ownText, p.span.start)));
          // An unclosed '{' or '[' makes the parser complain on the line after it: that is the same problem.
          for (const p of entry.labelLineProblems) {
            const nextLine = ownText.indexOf('\n', p.span.end) + 1;
            if (p.code === 'yaml-label-value-needs-quotes' && nextLine > 0) ownLines.add(nextLine);
          }
          map ??= shiftBy(base);
          for (const p of entry.labelLineProblems) loose.push(place(syntaxFinding(p, ownText), map));
          if (mode !== 'off') {
            for (const p of entry.parsed.problems) {
              if (ownLines.has(lineStartOf(ownText, p.span.start))) continue;
              // The parser gave up on the file: say so once, not once per place it gave up.
              if (p.code === 'yaml-alias-bomb' || p.code === 'yaml-too-deep') {
                if (gaveUp) continue;
                gaveUp = true;
              }
              if (mode === 'labels' && !isOnLabelLine(ownText, p.span.start)) continue;
              loose.push(place(syntaxFinding(p, ownText), map));
            }
          }
        }
        if (!entry.hasServices) continue;
        let resolutions: Map<string, ExtendsResolution> | undefined;
        let rulesKey = envKey;
        if (extendsContext && entry.facts.some((f) => f.extends)) {
          resolutions = new Map();
          for (const f of entry.facts) {
            const r = resolveExtends(f, extendsContext);
            if (r) resolutions.set(f.name, r);
          }
          rulesKey = `${envKey}\u0001${[...resolutions.values()].map(resolutionKey).join('\u0001')}`;
        }
        if (!entry.rules || entry.rules.envKey !== rulesKey) {
          if (entry.modelsDropped) {
            entry.parsed = entry.anchored ? parseAnchored(entry.text, entry.anchored.prefixLength, entry.anchored.segments, entry.anchored.ownUnderServices, pieceParses) : parseUnit(entry.text, piece.kind);
            entry.modelsDropped = false;
          }
          const unitFindings: Finding[] = [];
          const bindings: ServiceRuleResult['bindings'] = [];
          const hostPorts: ServiceRuleResult['hostPorts'] = [];
          // A label whose value YAML misreads (unquoted '*', '{', ...) gets the syntax finding only:
          // rules about the misread value would only confuse.
          const misread = new Set(entry.labelLineProblems.filter((p) => p.code === 'yaml-label-value-needs-quotes').map((p) => lineStartOf(entry!.text, p.span.start)));
          for (const service of entry.parsed.services) {
            progress?.(base + service.nameSpan.start);
            if (performance.now() > deadline) return this.stopped(wholeText(), budget!, base + service.nameSpan.start, units, outlines, summaries);
            runTestSlowRule(service.name);
            // Every service-scope rule provider of the registry (rules/registry.ts).
            const r: ServiceRuleResult = { findings: [], bindings: [], hostPorts: [] };
            const input = { service, env, extended: resolutions?.get(service.name) };
            for (const provider of SERVICE_CHECKS) provider.checkService!(input, r);
            pushAll(unitFindings, misread.size === 0 ? r.findings : r.findings.filter((f) => !misread.has(lineStartOf(entry!.text, f.span.start))));
            pushAll(bindings, r.bindings);
            pushAll(hostPorts, r.hostPorts);
          }
          entry.rules = { envKey: rulesKey, findings: uniqueFindings(unitFindings), summary: summarise(bindings, hostPorts) };
          if (lean) dropModels(entry);
        }
        if (anchored || (!whole && outline.chunks[index].anchors)) {
          map ??= shiftBy(base);
          // Findings at an anchor: the first unit to report one (its own chunk's, in document order) says it.
          for (const f of entry.rules.findings) {
            const placed = place(f, map);
            if (!anchored || f.span.start < anchored.prefixLength || outline.chunks[index].anchors) {
              const key = `${placed.code}\u0000${placed.span.start}\u0000${placed.span.end}\u0000${placed.message}`;
              if (atAnchors.has(key)) continue;
              atAnchors.add(key);
            }
            loose.push(placed);
          }
          summaries.push({ base, startLine: whole ? outline.startLine : outline.chunks[index].startLine, summary: entry.rules.summary, map: anchored ? map : undefined });
        } else {
          flush();
          const startLine = whole ? outline.startLine : outline.chunks[index].startLine;
          // Its cross-service findings are added once the index is up to date (below).
          parts.push({ relative: entry.rules.findings, base, startLine, summary: entry.rules.summary });
          summaries.push({ base, startLine, summary: entry.rules.summary });
        }
      }
      for (const dup of outline.duplicateServices) {
        const chunk = outline.chunks[dup.chunkIndex];
        loose.push({ code: 'yaml-duplicate-key', severity: 'error', message: t("Service '{0}' is defined twice; YAML keeps only one of them. Rename or remove one.", dup.name), span: { start: chunk.start + leadingSpaces(piecewise.slice(chunk.start, chunk.end)), end: chunk.start + leadingSpaces(piecewise.slice(chunk.start, chunk.end)) + dup.name.length } });
      }
    }
    for (const provider of FILE_CHECKS) if (!provider.checkFileWhen || mentioned(provider.checkFileWhen)) pushAll(loose, provider.checkFile!(wholeText()));
    const cross = this.crossIndex.update(summaries);
    // Each unit's cross-service findings follow its own (those of units placed through their anchors
    // are placed now, after all the rest; a unit shares its summary with an identical one: the first says them).
    for (const part of parts) {
      if (!('relative' in part)) continue;
      const found = cross.of(part.summary);
      if (found && cross.baseOf(part.summary) === part.base) part.cross = found;
    }
    for (const s of summaries) {
      if (!s.map) continue;
      const found = cross.of(s.summary);
      if (found && cross.baseOf(s.summary) === s.base) pushAll(loose, cross.place(found));
    }
    flush();
    for (const word of TRACKED_WORDS) mentioned(word);
    this.last = outlines.length === 1 && !parsedWhole ? { text, length: piecewise.length, source, editCount: source?.editCount ?? 0, envKey, outline: outlines[0], entries, mentions } : undefined;
    this.evict(units.length);
    let placedBindings: PlacedBinding[] | undefined;
    let placedFindings: Finding[] | undefined;
    return {
      get findings() {
        if (!placedFindings) {
          placedFindings = [];
          for (const part of parts) {
            if ('placed' in part) pushAll(placedFindings, part.placed);
            else {
              pushAll(placedFindings, this.placePart!(part));
              if (part.cross) pushAll(placedFindings, this.placeCross!(part.cross));
            }
          }
        }
        return placedFindings;
      },
      parts,
      placePart: (part) => {
        const map = shiftBy(part.base);
        return part.relative.map((f) => place(f, map));
      },
      placeCross: (found) => cross.place(found),
      crossCacheable: (found) => cross.plain(found),
      crossLineOf: (unit) => cross.lineOf(unit),
      units,
      outlines,
      unitSummaries: summaries.map((s) => s.summary),
      slbUses: () => summaries.flatMap(({ summary }) => summary.uses),
      get bindings() {
        placedBindings ??= summaries.flatMap(({ base, summary, map }) =>
          summary.bindings.map((b) => {
            if (!map) return { ...b, base };
            // Spans relative to the unit, as for every other unit (an inherited one may be negative).
            const rel = (span: Span) => {
              const s = map.span(span);
              return { start: s.start - base, end: s.end - base };
            };
            return { ...b, keySpan: rel(b.keySpan), slbSpan: rel(b.slbSpan), frontPortSpan: rel(b.frontPortSpan), wholeSpan: rel(b.wholeSpan), inheritedBy: b.inheritedBy && rel(b.inheritedBy), base };
          }),
        );
        return placedBindings;
      },
    };
  }

  /**
   * The analysis that ran out of time: one finding at the place it had reached. The units parsed so
   * far stay cached, so the next analysis of a similar text gets further.
   */
  private stopped(text: string, budgetMs: number, offset: number, units: PlacedUnit[], outlines: DocumentOutline[], summaries: CrossUnit[]): Analysis {
    this.last = undefined;
    return {
      findings: [analysisStoppedFinding(budgetMs, offset, lineOfOffset(text, offset))],
      units,
      outlines,
      unitSummaries: summaries.map((s) => s.summary),
      slbUses: () => summaries.flatMap(({ summary }) => summary.uses),
      bindings: [],
    };
  }

  /** Other compose files named by `extends`, parsed once per text (a few files at most). */
  private readonly extendedFiles = new Map<string, ServiceFacts[]>();

  private extendsContext(text: string, outlines: DocumentOutline[], known: (UnitCacheEntry | undefined)[] | undefined, files: ExtendsFiles | undefined): ExtendsContext {
    const byName = new Map<string, ServiceFacts>();
    for (const outline of outlines) {
      const pieces = outline.needsWholeParse ? [{ start: outline.start, end: outline.end, kind: 'document' as const }] : outline.chunks;
      pieces.forEach((piece, index) => {
        const entry = (outlines.length === 1 && !outline.needsWholeParse ? known?.[index] : undefined) ?? this.unit(text.slice(piece.start, piece.end), piece.kind);
        for (const f of entry.facts) if (!byName.has(f.name)) byName.set(f.name, f);
      });
    }
    return {
      sameFile: (name) => byName.get(name),
      files,
      servicesOf: (other) => {
        let services = this.extendedFiles.get(other);
        if (!services) {
          services = parseUnit(other, 'document').services.map(factsOf);
          if (this.extendedFiles.size > 16) this.extendedFiles.clear();
          this.extendedFiles.set(other, services);
        }
        return services;
      },
    };
  }

  /** Parses (or fetches) one unit; exposed for completion/hover on a single service. */
  unit(unitText: string, kind: PlacedUnit['kind']): UnitCacheEntry {
    unitText = lineBreaksAsLf(unitText);
    const cache = this.caches[kind];
    let entry = cache.get(unitText);
    if (!entry) {
      // A slice keeps its whole parent string alive, and so would every string the parser cuts
      // from it: parse (and key the cache with) a copy, or every edit would pin one more full copy
      // of the file.
      const own = detach(unitText);
      const parsed = parseUnit(own, kind);
      const labelLineProblems = scanLabelLines(own);
      entry = { parsed, kind, text: own, labelLineProblems, hasProblems: labelLineProblems.length > 0 || parsed.problems.length > 0, hasServices: parsed.services.length > 0, facts: parsed.services.map(factsOf), generation: this.generation };
      cache.set(own, entry);
    }
    entry.generation = this.generation;
    return entry;
  }

  /** Parses (or fetches) a chunk behind the chunks that define the anchors it uses. */
  private anchoredUnit(deps: { text: string; kind: Chunk['kind'] }[], own: string, kind: Chunk['kind'] | 'document', serviceIndent: number, pieces: PieceCache): UnitCacheEntry {
    const combined = anchoredText(deps, lineBreaksAsLf(own), kind === 'document' ? 'section' : kind, serviceIndent);
    const cache = this.caches.anchored;
    // (Keyed by the kind too: without a `services:` key, a service and a section have the same text.)
    const key = `${kind}\u0000${combined.text}`;
    let entry = cache.get(key);
    if (!entry) {
      const text = detach(combined.text);
      const prefixLength = combined.prefixLength;
      const parsed = parseAnchored(text, prefixLength, combined.segments, combined.ownUnderServices, pieces);
      const labelLineProblems = scanLabelLines(text).filter((p) => p.span.start >= prefixLength);
      entry = {
        parsed,
        kind,
        text,
        facts: parsed.services.map(factsOf),
        labelLineProblems,
        hasProblems: labelLineProblems.length > 0 || parsed.problems.length > 0,
        hasServices: parsed.services.length > 0,
        generation: this.generation,
        anchored: { prefixLength, segments: combined.segments, ownUnderServices: combined.ownUnderServices },
      };
      cache.set(key, entry);
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

/**
 * A chunk parsed behind its anchors' chunks (`text`: their texts, then its own from `prefixLength`):
 * its own services and problems only (the others are their own chunks'), except that giving up on
 * the text (an alias bomb) is reported wherever it is. The dependencies' parses come from `pieces`:
 * hundreds of services that merge one `x-defaults` parse it once, not once each.
 */
function parseAnchored(text: string, prefixLength: number, segments: readonly PrefixSegment[], ownUnderServices: boolean, pieces: PieceCache): ParsedUnit {
  const dependencies = segments.map((seg) => pieces.get(text, seg));
  return parseAnchoredPieces(dependencies, parsePiece(placedPiece(text, prefixLength, text.length, ownUnderServices)), text, prefixLength);
}

/**
 * Parses of the chunks whose anchors others use, by where they sit in the combined text and their
 * text (anchorDeps.ts placedPiece), for one analysis. Bounded: a file where every service is
 * another's dependency keeps only the latest few (a parsed document is a hundred times its text).
 */
class PieceCache {
  private readonly parsed = new Map<string, ParsedPiece>();
  private chars = 0;
  /** The piece `segment` of the combined `text`, parsed at its offset. */
  get(text: string, segment: PrefixSegment): ParsedPiece {
    const key = `${segment.start}${segment.underServices ? 's' : ''}\u0000${text.slice(segment.start, segment.end)}`;
    let piece = this.parsed.get(key);
    if (piece) {
      // Most recently used last, so the oldest goes first.
      this.parsed.delete(key);
      this.parsed.set(key, piece);
      return piece;
    }
    piece = parsePiece(placedPiece(text, segment.start, segment.end, segment.underServices));
    this.parsed.set(key, piece);
    this.chars += key.length;
    for (const [oldest] of this.parsed) {
      if (this.chars <= MAX_PIECE_CHARS && this.parsed.size <= MAX_PIECES) break;
      this.parsed.delete(oldest);
      this.chars -= oldest.length;
    }
    return piece;
  }
}
const MAX_PIECES = 64;
const MAX_PIECE_CHARS = 256 * 1024;

/**
 * Services sharing an anchor report a finding at the anchor once: the findings without those that
 * repeat an earlier one's code, span and message. (A unit has a few findings: compared pairwise, no
 * key strings; many: by key.)
 */
function uniqueFindings(findings: Finding[]): Finding[] {
  if (findings.length <= 16) {
    let unique: Finding[] | undefined;
    for (let i = 1; i < findings.length; i++) {
      const f = findings[i];
      let repeated = false;
      for (let k = 0; k < i && !repeated; k++) {
        const g = findings[k];
        repeated = g.span.start === f.span.start && g.span.end === f.span.end && g.code === f.code && g.message === f.message;
      }
      if (repeated) unique ??= findings.slice(0, i);
      else unique?.push(f);
    }
    return unique ?? findings;
  }
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A lean analyzer's entry once its rules ran (analyze parses it again when they must run again). */
function dropModels(entry: UnitCacheEntry): void {
  entry.parsed = withoutModels(entry.parsed);
  entry.modelsDropped = true;
}

function withoutModels(parsed: ParsedUnit): ParsedUnit {
  return parsed.services.length === 0 ? parsed : { services: [], problems: parsed.problems };
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * Fills the indentation placeholders of multi-line fixes and keeps the file's line endings:
 * `\0INDENT\0` is the indentation of the edited line, `\0INDENT@n\0` that of the line holding
 * unit offset n.
 */
function resolveIndent(text: TextReader, offset: number, newText: string, at: (unitOffset: number) => number, hasCr: boolean): string {
  if (!newText.includes('\n')) return newText;
  const indentOfLineAt = (at: number) => {
    const start = lineStartIn(text, at);
    return /^[ \t]*/.exec(text.slice(start, start + 200))![0];
  };
  const filled = newText.includes('\u0000') ? newText.replace(/\u0000INDENT(?:@(\d+))?\u0000/g, (_, unitOffset: string | undefined) => indentOfLineAt(unitOffset === undefined ? offset : at(Number(unitOffset)))) : newText;
  // (A text without any CR has no CRLF line to match: no need to look for the line's end.)
  if (!hasCr) return filled;
  const lineEnd = lineEndIn(text, lineStartIn(text, offset));
  const crlf = lineEnd > 0 && lineEnd < text.length && text.slice(lineEnd - 1, lineEnd) === '\r';
  return crlf ? filled.replace(/\r?\n/g, '\r\n') : filled;
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

/**
 * YAML (and LSP) take a lone CR as a line break, like LF and CRLF; the outline, the parser and the
 * line scans here only know LF and CRLF. CR -> LF keeps every offset (and LSP position) as it was.
 */
function lineBreaksAsLf(text: string): string {
  return text.includes('\r') && LONE_CR.test(text) ? text.replace(LONE_CR_GLOBAL, '\n') : text;
}
const LONE_CR = /\r(?!\n)/;
const LONE_CR_GLOBAL = /\r(?!\n)/g;

/** A copy of `text` that does not share memory with the string it was sliced from. */
function detach(text: string): string {
  return text.length === 0 ? '' : (' ' + text).slice(1);
}
