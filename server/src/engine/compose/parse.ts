// Parses a chunk (or a whole document) with the `yaml` package and extracts the compose model.
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, parseDocument, Scalar, YAMLError, YAMLMap } from 'yaml';
import { ExposeEntry, ExtendsRef, LabelEntry, ParsedUnit, PortMapping, ScalarKind, ServiceModel, Span, SyntaxProblem } from './model';
import { describeYamlError } from './yamlErrors';
import { findTooDeepNesting, MAX_NESTING_DEPTH } from './nestingDepth';
import { t } from '../i18n';
import { pushAll } from '../arrays';
import { PlainBlockContext, readPlainBlockYaml } from './plainBlockYaml';

const TOP_LEVEL_NON_SERVICE_KEYS = new Set(['version', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'name', 'models']);

export type UnitKind = 'service' | 'section' | 'document';

const PARSE_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: false, strict: false } as const;

/** One YAML text parsed: the root node and the parser's problems (or the reason it was not parsed). */
export interface ParsedPiece {
  contents: unknown;
  /** Too deep to parse: this problem, and nothing else was read. */
  tooDeep?: SyntaxProblem;
  /** The parser threw (this message): nothing was read. */
  failed?: string;
  errors: readonly YAMLError[];
  warnings: readonly YAMLError[];
}

let plainBlockContext: PlainBlockContext | undefined;
let plainBlockReaderOn = true;
let plainBlockReader = readPlainBlockYaml;

/**
 * Turns the plain block reader off or on (tests compare the analysis with and without it), or puts
 * another reader in its place (tests of what happens when it fails).
 */
export function usePlainBlockReader(on: boolean, reader: typeof readPlainBlockYaml = readPlainBlockYaml): void {
  plainBlockReaderOn = on;
  plainBlockReader = reader;
}

/**
 * Parses a text (after checking it is not nested too deeply to read): with the plain block reader
 * when the text is written in the one style it reads (most service chunks, compose/plainBlockYaml.ts),
 * else with the `yaml` package.
 */
export function parsePiece(text: string): ParsedPiece {
  // Too deep for the parser's recursion: say so at one fixed place instead of parsing.
  const tooDeep = findTooDeepNesting(text);
  if (tooDeep) {
    const message = t('Nested more than {0} levels deep here, too deep to read: this part of the file was not analysed. Compose files need about 6 levels; look for brackets that never close or indentation that keeps growing.', MAX_NESTING_DEPTH);
    return { contents: null, tooDeep: { code: 'yaml-too-deep', message, span: { start: tooDeep.offset, end: Math.min(text.length, tooDeep.offset + 1) }, severity: 'error' }, errors: [], warnings: [] };
  }
  if (plainBlockReaderOn) {
    if (!plainBlockContext) {
      const probe = parseDocument('', PARSE_OPTIONS);
      plainBlockContext = { schema: probe.schema, options: probe.options };
    }
    let contents: ReturnType<typeof readPlainBlockYaml>;
    try {
      contents = plainBlockReader(text, plainBlockContext);
    } catch {
      // A defect of the reader must cost speed, not the analysis: `yaml` reads the text instead.
      contents = undefined;
    }
    if (contents) return { contents, errors: [], warnings: [] };
  }
  try {
    const doc = parseDocument(text, PARSE_OPTIONS);
    return { contents: doc.contents, errors: doc.errors, warnings: doc.warnings };
  } catch (error) {
    return { contents: null, failed: String((error as Error).message ?? error), errors: [], warnings: [] };
  }
}

export function parseUnit(text: string, kind: UnitKind): ParsedUnit {
  const piece = parsePiece(text);
  if (piece.tooDeep) return { services: [], problems: [piece.tooDeep] };
  if (piece.failed !== undefined) return { services: [], problems: [{ code: 'yaml-syntax', message: piece.failed, span: { start: 0, end: Math.min(1, text.length) }, severity: 'error' }] };
  const problems = problemsOf(piece, text);
  const contents = piece.contents;
  if (kind === 'section' || !isMap(contents)) return { services: [], problems };
  if (kind === 'service') return readServices([contents], contents.items, text, problems);
  const servicesPair = contents.items.find(isServicesPair);
  return readServices([contents], servicesPair ? servicesPair.value : topLevelServices(contents.items), text, problems);
}

/**
 * A chunk parsed behind the chunks that define the anchors it uses (compose/anchorDeps.ts), without
 * parsing their texts again for every chunk that uses them: each piece was parsed on its own, from
 * a text that puts it at its offset in `text` (the dependencies' texts, then the chunk's own from
 * `prefixLength`), so every range is an offset of `text`, as if `text` had been parsed whole. The
 * aliases are resolved across the pieces in document order, as in that parse, and only the chunk's
 * own services and problems are read (except that giving up on the text is reported wherever it is).
 */
export function parseAnchoredPieces(dependencies: readonly ParsedPiece[], own: ParsedPiece, text: string, prefixLength: number): ParsedUnit {
  const pieces = [...dependencies, own];
  for (const piece of pieces) if (piece.tooDeep) return { services: [], problems: [piece.tooDeep] };
  if (pieces.some((p) => p.failed !== undefined)) return { services: [], problems: [] };
  const problems = problemsOf(own, text).filter((p) => p.span.start >= prefixLength);
  const contents = own.contents;
  if (!isMap(contents)) return { services: [], problems };
  // As in one parse of the whole text: with a `services:` key anywhere, the services are under it.
  const servicesPair = contents.items.find(isServicesPair);
  const hasServicesKey = servicesPair !== undefined || dependencies.some((d) => isMap(d.contents) && d.contents.items.some(isServicesPair));
  const services = servicesPair ? servicesPair.value : hasServicesKey ? undefined : topLevelServices(contents.items);
  const parsed = readServices(pieces.map((p) => p.contents), services, text, problems);
  return {
    services: parsed.services.filter((s) => s.nameSpan.start >= prefixLength),
    problems: parsed.problems.filter((p) => p.span.start >= prefixLength || p.code === 'yaml-alias-bomb' || p.code === 'yaml-too-deep'),
  };
}

function problemsOf(piece: ParsedPiece, text: string): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  for (const e of piece.errors) problems.push(describeYamlError(e, text, 'error'));
  for (const w of piece.warnings) {
    // Tags and directives we do not care about are fine in compose files.
    if (w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_DIRECTIVE') continue;
    problems.push(describeYamlError(w, text, 'warning'));
  }
  return problems;
}

function isServicesPair(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.value === 'services';
}

/** Compose V1: every top-level key but the known sections and `x-` extensions is a service. */
function topLevelServices(items: Pair[]): Pair[] {
  return items.filter((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    return !TOP_LEVEL_NON_SERVICE_KEYS.has(key) && !key.startsWith('x-');
  });
}

/**
 * The services of `services` (a list of service pairs, or the node under `services:`), with the
 * aliases of `roots` (the parsed roots, in document order) resolved. `problems` are the parse's.
 */
function readServices(roots: unknown[], services: Pair[] | unknown, text: string, problems: SyntaxProblem[]): ParsedUnit {
  const out: ServiceModel[] = [];
  // Aliases are looked up in one index per parse (the yaml package's Alias.resolve walks the whole
  // document on every call, which made files with one `<<: *defaults` per service quadratic).
  let aliases: AliasIndex;
  try {
    aliases = text.includes('*') ? indexAliases(roots) : NO_ALIASES;
  } catch (error) {
    problems.push({ code: 'yaml-too-deep', message: t('This is nested too deeply to read (thousands of brackets or indentation levels). The file was not analysed further.'), span: { start: 0, end: Math.min(1, text.length) }, severity: 'error' });
    return { services: out, problems };
  }
  if (aliases.bomb) {
    const range = aliases.bomb.range ?? [0, Math.min(1, text.length)];
    problems.push({ code: 'yaml-alias-bomb', message: t('Too many aliases are expanded here (an alias bomb?). The file was not analysed further.'), span: { start: range[0], end: range[1] }, severity: 'error' });
    return { services: out, problems };
  }
  try {
    const pairs = Array.isArray(services) ? (services as Pair[]) : resolveNode(services as Node, aliases);
    if (Array.isArray(pairs)) for (const pair of pairs) addService(pair, aliases, text, out);
    else if (isMap(pairs)) for (const pair of pairs.items) addService(pair, aliases, text, out);
  } catch (error) {
    // Alias loops and similar: report, keep the server alive.
    problems.push({ code: 'yaml-syntax', message: String((error as Error).message ?? error), span: { start: 0, end: 1 }, severity: 'error' });
  }
  return { services: out, problems };
}

/**
 * Where each alias of a document points (the node of the most recent preceding `&anchor` of that
 * name, as YAML says), and the alias at which the expanded document grew past the budget.
 */
interface AliasIndex {
  targets: Map<Alias, Node | undefined>;
  bomb?: Alias;
}

const NO_ALIASES: AliasIndex = { targets: new Map() };

/**
 * Nodes the aliases of one document may expand to in total, beyond the document's own nodes.
 * Ordinary files stay far below it (5000 services each merging a 20-node block: 100k); a billion-
 * laughs file passes it within its first levels.
 */
export const ALIAS_EXPANSION_BUDGET = 1_000_000;

/**
 * One walk in document order: anchors are recorded when their node is reached (so an alias sees
 * the latest definition before it, and redefinitions take over from there), and every alias adds
 * the expanded size of its target to the count. Sizes are computed once per anchored node, so the
 * walk stays linear even when the expansion is exponential.
 */
function indexAliases(roots: unknown[]): AliasIndex {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const index: AliasIndex = { targets: new Map() };
  let expanded = 0;
  const walk = (node: unknown): number => {
    if (!node || typeof node !== 'object') return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      index.targets.set(node, target);
      // An alias of its own ancestor (`&a [*a]`) has no size yet: count it as one node.
      const size = target ? (sizes.get(target) ?? 1) : 1;
      expanded += size;
      if (expanded > ALIAS_EXPANSION_BUDGET && !index.bomb) index.bomb = node;
      return size;
    }
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    let size = 1;
    if (isMap(node)) {
      for (const pair of node.items) size += walk(pair.key) + walk(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) size += walk(item);
    }
    if (anchor) sizes.set(node as Node, size);
    return size;
  };
  for (const root of roots) walk(root);
  return index;
}

function resolveNode(node: Node | null | undefined, aliases: AliasIndex, depth = 0): Node | undefined {
  if (!node) return undefined;
  if (isAlias(node)) {
    if (depth > 20) return undefined;
    return resolveNode(aliases.targets.get(node), aliases, depth + 1);
  }
  return node;
}

interface EffectivePair {
  key: string;
  pair: Pair;
  inherited: boolean;
}

/** Own pairs plus those merged in with `<<` (own keys win; merges are shallow, as in YAML 1.1). */
function effectivePairs(map: YAMLMap, aliases: AliasIndex, inherited = false, depth = 0, budget = { pairs: 20000 }): EffectivePair[] {
  const own: EffectivePair[] = [];
  // A merge-key bomb (<<: [*a, *a, ...] nested) must not explode: stop after a fixed budget.
  if ((budget.pairs -= map.items.length) < 0) return own;
  const merged: EffectivePair[] = [];
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const keyNode = pair.key;
    // yaml 2.x gives a merge key the value Symbol(<<) when merge keys are on.
    const key = isScalar(keyNode) ? (typeof keyNode.value === 'symbol' ? '<<' : String(keyNode.value)) : '';
    if (key === '<<' && depth < 10) {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const resolved = resolveNode(source as Node, aliases);
        if (isMap(resolved)) pushAll(merged, effectivePairs(resolved, aliases, true, depth + 1, budget));
      }
      continue;
    }
    own.push({ key, pair, inherited });
  }
  if (merged.length === 0) return own;
  // Own keys win; among merged maps the first one that has a key wins (YAML merge order).
  const taken = new Set(own.map((p) => p.key));
  const result = own.slice();
  for (const p of merged) {
    if (taken.has(p.key)) continue;
    taken.add(p.key);
    result.push(p);
  }
  return result;
}

function spanOf(node: Node | null | undefined): Span | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

function scalarKind(node: Node | undefined): ScalarKind {
  if (!node) return 'null';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    return 'other';
  }
  if (isMap(node) || isSeq(node)) return 'collection';
  return 'other';
}

/** Content span of a scalar (inside quotes) and whether its text maps 1:1 onto the source. */
function scalarContent(node: Scalar, text: string): { span: Span; exact: boolean } {
  const [start, end] = node.range ?? [0, 0, 0];
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  const span = quoted ? { start: start + 1, end: Math.max(start + 1, end - 1) } : { start, end };
  const source = text.slice(span.start, span.end);
  return { span, exact: source === String(node.value ?? (node.source ?? '')) };
}

function addService(pair: Pair, aliases: AliasIndex, text: string, out: ServiceModel[]): void {
  if (!isScalar(pair.key)) return;
  const nameSpan = spanOf(pair.key as Node) ?? { start: 0, end: 0 };
  const service: ServiceModel = {
    name: String(pair.key.value),
    nameSpan,
    labels: [],
    ports: [],
    expose: [],
    hasUnresolvedPorts: false,
    duplicateLabelKeys: [],
  };
  out.push(service);
  const body = resolveNode(pair.value as Node, aliases);
  if (!isMap(body)) return;
  for (const { key, pair: p, inherited } of effectivePairs(body, aliases)) {
    const value = resolveNode(p.value as Node, aliases);
    switch (key) {
      case 'labels':
        if (!inherited) service.labelsKeySpan = spanOf(p.key as Node);
        service.labelsForm = isMap(value) ? 'map' : isSeq(value) ? 'list' : 'other';
        readLabels(value, aliases, text, 'labels', inherited || value !== p.value, service);
        break;
      case 'deploy':
        if (isMap(value)) {
          for (const d of effectivePairs(value, aliases, inherited)) {
            if (d.key === 'labels') readLabels(resolveNode(d.pair.value as Node, aliases), aliases, text, 'deploy.labels', d.inherited, service);
            const v = resolveNode(d.pair.value as Node, aliases);
            if (d.key === 'replicas' && isScalar(v) && v.range && Number.isInteger(Number(v.value))) service.replicas = { value: Number(v.value), span: { start: v.range[0], end: v.range[1] } };
            if (d.key === 'mode' && isScalar(v)) service.deployMode = String(v.value);
          }
        }
        break;
      case 'ports':
        if (!inherited) {
          service.portsKeySpan = spanOf(p.key as Node);
          service.portsNodeSpan = spanOf(value);
          service.portsFlow = isSeq(value) && value.flow === true;
        }
        if (isSeq(value)) for (const item of value.items) readPort(resolveNode(item as Node, aliases), aliases, text, inherited, service);
        break;
      case 'expose':
        if (isSeq(value)) for (const item of value.items) readExpose(resolveNode(item as Node, aliases), service);
        break;
      case 'image':
        if (isScalar(value) && value.value !== null) service.image = String(value.value);
        break;
      case 'extends':
        service.extends = readExtends(value, aliases, spanOf(p.key as Node) ?? nameSpan, inherited);
        break;
      case 'network_mode':
      case 'net':
        if (isScalar(value) && value.value !== null && value.range) service.networkMode = { value: String(value.value), span: { start: value.range[0], end: value.range[1] } };
        break;
    }
  }
}

function readExtends(node: Node | undefined, aliases: AliasIndex, span: Span, inherited: boolean): ExtendsRef {
  if (isScalar(node)) return { service: node.value === null ? '' : String(node.value), span, inherited };
  if (isMap(node)) {
    const get = (k: string) => {
      const pair = node.items.find((i) => isScalar(i.key) && i.key.value === k);
      const v = resolveNode(pair?.value as Node | undefined, aliases);
      return isScalar(v) && v.value !== null ? String(v.value) : undefined;
    };
    return { service: get('service') ?? '', file: get('file'), span, inherited };
  }
  return { service: '', span, inherited };
}

function readLabels(node: Node | undefined, aliases: AliasIndex, text: string, where: LabelEntry['where'], inherited: boolean, service: ServiceModel): void {
  if (isMap(node)) {
    const seen = new Map<string, Span>();
    for (const { key, pair, inherited: merged } of effectivePairs(node, aliases, inherited)) {
      if (!isScalar(pair.key)) continue;
      const keyContent = scalarContent(pair.key, text);
      const valueNode = resolveNode(pair.value as Node, aliases);
      let kind = scalarKind(valueNode);
      // docker-compose 1.x (PyYAML, YAML 1.1) reads `aliyun.global: yes` as a boolean.
      if (kind === 'string' && isScalar(valueNode) && valueNode.type === Scalar.PLAIN && YAML11_BOOLEAN.test(String(valueNode.value))) kind = 'boolean';
      let valueSpan: Span;
      let valueNodeSpan: Span;
      let exact = keyContent.exact;
      let plain = true;
      if (isScalar(valueNode) && valueNode.range && valueNode === pair.value) {
        const content = scalarContent(valueNode, text);
        valueSpan = content.span;
        valueNodeSpan = { start: valueNode.range[0], end: valueNode.range[1] };
        exact = exact && content.exact;
        plain = valueNode.type === Scalar.PLAIN;
      } else if (valueNode && valueNode.range) {
        valueSpan = { start: valueNode.range[0], end: valueNode.range[1] };
        valueNodeSpan = valueSpan;
      } else {
        // `key:` with nothing after it: point just after the colon.
        const after = keyContent.span.end + (text[keyContent.span.end] === '"' || text[keyContent.span.end] === "'" ? 1 : 0) + 1;
        valueSpan = { start: after, end: after };
        valueNodeSpan = valueSpan;
      }
      const entry: LabelEntry = {
        key,
        value: kind === 'collection' ? undefined : valueNode && isScalar(valueNode) ? (valueNode.value === null ? '' : String(valueNode.value)) : '',
        valueKind: kind,
        plain,
        form: 'map',
        keySpan: keyContent.span,
        valueSpan,
        valueNodeSpan,
        exactOffsets: exact,
        where,
        inherited: merged,
      };
      const previous = seen.get(key);
      if (previous && !merged) service.duplicateLabelKeys.push({ key, first: previous, second: entry.keySpan });
      seen.set(key, entry.keySpan);
      service.labels.push(entry);
    }
    return;
  }
  if (isSeq(node)) {
    // Docker keeps the last of two list items with the same key (S7): report it like a map's duplicate.
    const seen = new Map<string, { span: Span; value: string | undefined }>();
    for (const rawItem of node.items) {
      const item = resolveNode(rawItem as Node, aliases);
      if (isScalar(item) && item.range) {
        const content = scalarContent(item, text);
        const whole = item.value === null ? '' : String(item.value);
        const eq = whole.indexOf('=');
        const key = eq < 0 ? whole : whole.slice(0, eq);
        const value = eq < 0 ? undefined : whole.slice(eq + 1);
        const base = content.span.start;
        const keySpan = content.exact ? { start: base, end: base + key.length } : content.span;
        const itemInherited = inherited || item !== rawItem;
        // (Only aliyun.* keys, and only when the values differ: otherwise nothing changes.)
        const previous = seen.get(key);
        if (previous && previous.value !== value && !itemInherited && eq >= 0 && key.startsWith('aliyun.')) service.duplicateLabelKeys.push({ key, first: previous.span, second: keySpan });
        if (eq >= 0) seen.set(key, { span: keySpan, value });
        service.labels.push({
          key,
          value: value ?? '',
          valueKind: eq < 0 ? 'null' : 'string',
          plain: item.type === Scalar.PLAIN,
          form: 'list',
          keySpan,
          valueSpan: content.exact ? (eq < 0 ? { start: content.span.end, end: content.span.end } : { start: base + eq + 1, end: content.span.end }) : content.span,
          valueNodeSpan: { start: item.range[0], end: item.range[1] },
          exactOffsets: content.exact,
          where,
          inherited: itemInherited,
        });
      } else if (isMap(item) && item.items.length > 0) {
        // `- aliyun.lb.port_80: tcp://slb:80`: YAML reads a mapping inside the list.
        const pair = item.items[0];
        const keyNode = pair.key as Node;
        const valueNode = resolveNode(pair.value as Node, aliases);
        const keySpan = spanOf(keyNode) ?? { start: 0, end: 0 };
        const valueSpan = spanOf(valueNode) ?? keySpan;
        service.labels.push({
          key: isScalar(keyNode) ? String(keyNode.value) : '',
          value: isScalar(valueNode) ? String(valueNode.value ?? '') : '',
          valueKind: scalarKind(valueNode),
          plain: true,
          form: 'list',
          keySpan,
          valueSpan,
          valueNodeSpan: { start: keySpan.start, end: valueSpan.end },
          exactOffsets: false,
          where,
          inherited,
          listItemIsMapping: true,
        });
      }
    }
  }
}

/** Reads "[ip:][host[-host]:]container[-container][/protocol]". */
export function parseShortPort(raw: string): Omit<PortMapping, 'raw' | 'span' | 'form' | 'inherited' | 'unresolved'> {
  let spec = raw.trim();
  let protocol = 'tcp';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    protocol = spec.slice(slash + 1).toLowerCase();
    spec = spec.slice(0, slash);
  }
  let hostIp: string | undefined;
  // IPv6 host IPs are written in brackets: [::1]:8080:80
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  if (v6) {
    hostIp = v6[1];
    spec = v6[2];
  }
  const parts = spec.split(':');
  let hostPart: string | undefined;
  let containerPart: string;
  if (parts.length === 1) containerPart = parts[0];
  else if (parts.length === 2) [hostPart, containerPart] = parts;
  else {
    containerPart = parts[parts.length - 1];
    hostPart = parts[parts.length - 2];
    hostIp = parts.slice(0, parts.length - 2).join(':');
  }
  const result: ReturnType<typeof parseShortPort> = { protocol, hostIp };
  const container = parseRange(containerPart);
  if (!container) return { ...result, invalid: { part: 'container', text: containerPart } };
  result.containerStart = container[0];
  result.containerEnd = container[1];
  if (hostPart !== undefined && hostPart !== '') {
    const host = parseRange(hostPart);
    if (!host) return { ...result, invalid: { part: 'host', text: hostPart } };
    result.hostStart = host[0];
    result.hostEnd = host[1];
  }
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) result.invalid = { part: 'protocol', text: protocol };
  return result;
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\s*$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > 65535 || b < a) return undefined;
  return [a, b];
}

/** YAML 1.1's base-60 integers (PyYAML: `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`). */
const SEXAGESIMAL = /^[1-9][0-9_]*(?::[0-5]?[0-9])+$/;
/** What PyYAML (YAML 1.1) reads as a boolean; the `yaml` package (1.2) reads these as strings. */
const YAML11_BOOLEAN = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

function readPort(node: Node | undefined, aliases: AliasIndex, text: string, inherited: boolean, service: ServiceModel): void {
  if (!node || !node.range) return;
  const span = { start: node.range[0], end: node.range[1] };
  // A block mapping's range runs to the start of the next line: end the span where its text ends.
  while (span.end > span.start && /\s/.test(text[span.end - 1])) span.end--;
  if (isScalar(node)) {
    const raw = node.value === null ? '' : String(node.value);
    const entry: PortMapping = { raw, span, form: 'short', protocol: 'tcp', unresolved: false, inherited };
    if (node.type === Scalar.PLAIN && SEXAGESIMAL.test(raw)) entry.sexagesimal = raw.replace(/_/g, '').split(':').reduce((n, part) => n * 60 + Number(part), 0);
    if (raw.includes('$')) {
      entry.unresolved = true;
      service.hasUnresolvedPorts = true;
    } else Object.assign(entry, parseShortPort(raw));
    service.ports.push(entry);
    return;
  }
  if (isMap(node)) {
    // Keys may come through `<<: *defaults` too.
    const pairs = new Map(effectivePairs(node, aliases).map((p) => [p.key, p.pair.value as Node | undefined]));
    const get = (k: string) => {
      const r = resolveNode(pairs.get(k), aliases);
      return isScalar(r) && r.value !== null ? String(r.value) : undefined;
    };
    const target = get('target');
    const published = get('published');
    const protocol = (get('protocol') ?? 'tcp').toLowerCase();
    const entry: PortMapping = { raw: `${published ?? ''}:${target ?? ''}/${protocol}`, span, form: 'long', protocol, hostIp: get('host_ip'), mode: get('mode'), unresolved: false, inherited };
    if ((target ?? '').includes('$') || (published ?? '').includes('$')) {
      entry.unresolved = true;
      service.hasUnresolvedPorts = true;
    } else {
      const t = target !== undefined ? parseRange(target) : undefined;
      if (!t) entry.invalid = { part: 'container', text: target ?? '' };
      else {
        entry.containerStart = t[0];
        entry.containerEnd = t[1];
      }
      if (published !== undefined && published !== '') {
        const p = parseRange(published);
        if (!p) entry.invalid = { part: 'host', text: published };
        else {
          entry.hostStart = p[0];
          entry.hostEnd = p[1];
        }
      }
    }
    service.ports.push(entry);
  }
}

function readExpose(node: Node | undefined, service: ServiceModel): void {
  if (!isScalar(node) || !node.range) return;
  const raw = String(node.value ?? '').trim();
  const entry: ExposeEntry = { raw, span: { start: node.range[0], end: node.range[1] }, protocol: 'tcp' };
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(\w+))?$/.exec(raw);
  if (m) {
    entry.start = Number(m[1]);
    entry.end = m[2] ? Number(m[2]) : entry.start;
    entry.protocol = (m[3] ?? 'tcp').toLowerCase();
  }
  service.expose.push(entry);
}
