// The compose model the rules and features read: services with their labels, ports and expose
// entries, each with exact source offsets. Offsets are relative to the text that was parsed (a
// service chunk, or a whole document); `base` turns them into offsets of the whole file.

export interface Span {
  start: number;
  end: number;
}

export type ScalarKind = 'string' | 'number' | 'boolean' | 'null' | 'collection' | 'other';

export interface LabelEntry {
  key: string;
  /** Raw value text as YAML gives it (strings as-is, numbers/bools stringified), undefined for collections. */
  value: string | undefined;
  valueKind: ScalarKind;
  /** Was the value written as a plain (unquoted) scalar? */
  plain: boolean;
  form: 'map' | 'list';
  keySpan: Span;
  /** Span of the value *content* (inside quotes); for an empty value, a zero-length span after the separator. */
  valueSpan: Span;
  /** Span of the whole value node including quotes (map form) or the whole list item. */
  valueNodeSpan: Span;
  /** True when key/value offsets map 1:1 onto the source (no escapes or folding inside the scalar). */
  exactOffsets: boolean;
  where: 'labels' | 'deploy.labels';
  /** Came from a `<<` merge (offsets then point at the anchor). */
  inherited: boolean;
  /** List form item that YAML read as a mapping (`- key: value`). */
  listItemIsMapping?: boolean;
}

export interface PortMapping {
  /** Whole entry as written. */
  raw: string;
  span: Span;
  form: 'short' | 'long';
  containerStart?: number;
  containerEnd?: number;
  hostStart?: number;
  hostEnd?: number;
  hostIp?: string;
  protocol: string;
  /** Contains variables that could not be resolved: no rule may conclude anything from it. */
  unresolved: boolean;
  /** The entry could not be read as a port mapping: which part, as written. */
  invalid?: { part: 'host' | 'container' | 'protocol'; text: string };
  mode?: string;
  inherited: boolean;
  /** Unquoted `22:22`-like text, which YAML 1.1 parsers (docker-compose 1.x) read as a base-60 integer. */
  sexagesimal?: number;
}

export interface ExposeEntry {
  raw: string;
  span: Span;
  start?: number;
  end?: number;
  protocol: string;
}

export interface ServiceModel {
  name: string;
  nameSpan: Span;
  labels: LabelEntry[];
  ports: PortMapping[];
  expose: ExposeEntry[];
  /** Span of the `ports:` key, when present (quick fixes append to it). */
  portsKeySpan?: Span;
  /** Span of the ports sequence node. */
  portsNodeSpan?: Span;
  /** Flow-style ports ([...]) cannot be appended to line-wise. */
  portsFlow?: boolean;
  labelsKeySpan?: Span;
  labelsForm?: 'map' | 'list' | 'other';
  image?: string;
  /** `deploy.replicas` (Compose V3) and `deploy.mode`. */
  replicas?: { value: number; span: Span };
  deployMode?: string;
  hasUnresolvedPorts: boolean;
  /** `extends: name`, `extends: {service: name}` or `extends: {file: common.yml, service: name}`. */
  extends?: ExtendsRef;
  /** `network_mode:` (v2/v3) or `net:` (v1), e.g. `host`. */
  networkMode?: { value: string; span: Span };
  /** Labels whose map key appears twice. */
  duplicateLabelKeys: { key: string; first: Span; second: Span }[];
}

export interface ExtendsRef {
  /** The extended service's name ('' when the value names none). */
  service: string;
  /** The other compose file, relative to this one; undefined = this file. */
  file?: string;
  /** The `extends` key: findings about the reference go here. */
  span: Span;
  /** Came through `<<`: the span is the anchor's. */
  inherited: boolean;
}

export interface SyntaxProblem {
  code: string;
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}

/** What one parse (chunk or whole document) yields. */
export interface ParsedUnit {
  services: ServiceModel[];
  problems: SyntaxProblem[];
}
