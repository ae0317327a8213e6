// Reachability walk: shapes shared by the engine, the language server and the CLI.
// Transport-free (no vscode, no LSP).
import type { Span } from '../compose/model';
import type { SlbClient } from '../cloud/slbClient';

/** Stable blocker codes: the first component on the path that stops traffic. */
export const BLOCKER_CODES = [
  'LABEL_INVALID',
  'LABEL_UNRESOLVED',
  'API_ERROR',
  'SLB_NOT_FOUND',
  'SLB_AMBIGUOUS',
  'SLB_INACTIVE',
  'ADDRESS_MISSING',
  'ADDRESS_INTRANET',
  'LISTENER_MISSING',
  'LISTENER_PROTOCOL_MISMATCH',
  'LISTENER_BACKEND_PORT_MISMATCH',
  'LISTENER_STOPPED',
  'NO_BACKENDS',
  'BACKENDS_UNHEALTHY',
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'HTTP_ERROR',
  'TLS_HANDSHAKE_FAILED',
  'APP_PROBE_FAILED',
  'CANCELLED',
] as const;
export type BlockerCode = (typeof BLOCKER_CODES)[number];

/** Stable step names, in walk order (the data-plane step is one of connect/http/https/udp). */
export type StepName = 'label' | 'slb' | 'address' | 'listener' | 'health' | 'connect' | 'http' | 'https' | 'udp' | 'app';

export interface ReachStep {
  name: StepName;
  ok: boolean;
  /** Localised, one line, never a secret. */
  detail: string;
}

/** One `scheme://slb:port` binding of one lb label, with what the walk needs to know about it. */
export interface ReachTarget {
  /** The label key, e.g. `aliyun.lb.port_6379`. */
  label: string;
  service: string;
  /** Container port of the key. */
  containerPort?: number;
  /** Scheme as written/resolved (`tcp`, `http`, `https`, `udp`). */
  protocol: string;
  /** SLB name or ID (resolved), when known. */
  slb?: string;
  frontPort?: number;
  /** Host port the service publishes for the container port = the listener's backend port. */
  backendPort?: number;
  /** The service's image (variables resolved when possible). */
  image?: string;
  /** The binding as written (`tcp://slb_redis_app:6379`). */
  binding: string;
  /** Absolute offsets in the file: the label key, and the whole label (key to end of value). */
  keySpan: Span;
  labelSpan: Span;
  /** Offline error findings on this label (the walk stops at step 1 with LABEL_INVALID). */
  problems: { code: string; message: string }[];
  /** Variables without a value (LABEL_UNRESOLVED); `backend-port` when the ports mapping is not resolvable. */
  unresolved: string[];
}

export interface ReachResult {
  label: string;
  service: string;
  slb: string | null;
  frontPort: number | null;
  protocol: string;
  backendPort: number | null;
  binding: string;
  reachable: boolean;
  /**
   * true when the data plane answered (TCP connect / HTTP status / Redis PONG / UDP reply).
   * A UDP label with no answer is `reachable` (nothing blocked it) but not `confirmed`.
   */
  confirmed: boolean;
  blocker: BlockerCode | null;
  /** The blocker in words (localised), null when reachable: what people read; `blocker` is for machines. */
  blockerText?: string | null;
  /** What to do about the blocker (localised), null when reachable. */
  fix: string | null;
  steps: ReachStep[];
  /** Round trip of the last data-plane exchange (ms, 0.1 precision), null when none was measured. */
  latencyMs: number | null;
  /** SLB ID and address the API returned (null when the walk stopped before). */
  slbId: string | null;
  address: string | null;
  /** Time the whole walk of this label took (ms). */
  durationMs: number;
}

/** The SLB API calls the walk makes (tests may pass a fake). */
export type ReachClient = Pick<SlbClient, 'describeLoadBalancers' | 'describeLoadBalancerListeners' | 'describeHealthStatus'>;

export interface ReachOptions {
  client: ReachClient;
  /** Region the client talks to (for messages). */
  region?: string;
  /** Per-probe timeout (ms), default 3000. Intranet addresses get min(timeoutMs, 1500). */
  timeoutMs?: number;
  /** Labels checked at the same time (default 16). */
  concurrency?: number;
  /** Read timeout of each API call (ms, default max(timeoutMs, 5000)). */
  apiTimeoutMs?: number;
  signal?: AbortSignal;
  /** Called as each label finishes (progress). */
  onResult?: (result: ReachResult, done: number, total: number) => void;
}
