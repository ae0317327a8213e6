// What rules produce: transport-free findings with offsets; the server and CLI turn them into
// LSP diagnostics or linter lines.
import { Span } from '../compose/model';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply automatically. */
  preferred?: boolean;
  /**
   * A command to run instead of (or after) the edits, e.g. `aliyunSlbLabels.provision`. Without
   * `arguments` the code action passes `[{uri, position}]` (the document and the diagnostic's start).
   */
  command?: { command: string; arguments?: unknown[] };
}

export interface Related {
  span: Span;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: Related[];
  fixes?: Fix[];
}

/** One `scheme://slb:port` binding of a service, the unit of the cross-service checks. */
export interface LbBinding {
  service: string;
  labelKey: string;
  containerPort: number;
  scheme: string;
  slb: string;
  frontPort: number;
  hostPort?: number;
  keySpan: Span;
  slbSpan: Span;
  frontPortSpan: Span;
  wholeSpan: Span;
  /** The label comes through an alias or `<<` merge: the spans are the anchor's; this is the inheriting service's name. */
  inheritedBy?: Span;
  /** Set when a ${VAR:-default} default was used: the note findings about this binding end with. */
  assumed?: string;
}

export interface HostPortUse {
  service: string;
  port: number;
  protocol: string;
  span: Span;
  /** The mapping comes through an alias or `<<` merge: the span is the anchor's; this is the inheriting service's name. */
  inheritedBy?: Span;
}

/** What the service-scope checks produce for one service. */
export interface ServiceRuleResult {
  findings: Finding[];
  bindings: LbBinding[];
  hostPorts: HostPortUse[];
}
