// UI helpers of the cloud commands (provision, reachability, CodeLens): plain functions with no
// `vscode` import, so they can be unit-tested with node:test. The texts of plans, outcomes and
// verdicts are rendered by the server in the user's locale (server/src/engine/provision/format.ts,
// server/src/engine/reach/report.ts, sent by server/src/lsp/provisionCommands.ts and
// reachCommands.ts): the client only lays them out and shows them. What is left here is purely UI
// (the certificate QuickPick, the modal's layout, the CodeLens line scan and verdict store). The
// VS Code side passes `vscode.l10n` as the `l10n` argument; tests use `englishL10n`.
//
// The shapes below are the subsets of the server's command results that the client reads.

export interface L10n {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/** English with {0} placeholders filled in (what vscode.l10n.t does without a bundle). */
export const englishL10n: L10n = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (s, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : s)),
};

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

// -- provisioning ---------------------------------------------------------------------------------

export type { PlanAction } from '../../server/src/engine/provision/types';
import { isInLabelsBlockLines } from '../../server/src/engine/compose/labelsBlock';
import type { PlanAction } from '../../server/src/engine/provision/types';
import type { PlanTexts, ProvisionOutcome } from '../../server/src/engine/provision/format';
import type { ReachNotification } from '../../server/src/engine/reach/report';
export type { PlanTexts, ProvisionOutcome, ReachNotification };

export interface PlanLineLike {
  id: string;
  label: string;
  service: string;
  slb: string;
  frontPort?: number;
  protocol?: string;
  backendPort?: number;
  action: PlanAction;
  reason: string;
  blockedCode?: string;
  needsCertificate?: boolean;
  range?: LspRange;
}

export interface CertificateLike {
  id: string;
  name?: string;
  commonName?: string;
  subjectAlternativeNames?: string[];
  expireTime?: string;
  expireTimeStamp?: number;
}

export interface PlanLike {
  region: string;
  lines: PlanLineLike[];
  summary: Record<PlanAction, number>;
  certificates?: CertificateLike[];
  certificatesError?: string;
}

// The provisioning result shapes are the engine's own (type-only import: nothing of the server is
// bundled into the client); the client reads them as the server sends them.
import type { ApplyResult, LineOutcome, LineResult, StepResult } from '../../server/src/engine/provision/types';
export type { LineOutcome };
export type StepLike = StepResult;
export type LineResultLike = LineResult;
export type ApplyResultLike = ApplyResult;

export type CommandStatus = 'ok' | 'refused' | 'error' | 'nothing' | 'needs-certificate' | 'cancelled';

export interface PlanResultLike {
  status: CommandStatus;
  message: string;
  uri: string;
  plan?: PlanLike;
  /** The plan's texts (with `plan`), rendered by the server. */
  texts?: PlanTexts;
}

export interface ProvisionResultLike extends PlanResultLike {
  ok: boolean;
  result?: ApplyResultLike;
  /** status 'ok': notification and output lines, rendered by the server. */
  outcome?: ProvisionOutcome;
  certificates?: CertificateLike[];
  needsCertificate?: string[];
}

/** Does applying the plan change anything (create or start)? */
export function planHasChanges(plan: PlanLike): boolean {
  return (plan.summary.create ?? 0) + (plan.summary.start ?? 0) > 0;
}

/** Lines the certificate picker must run for: https listeners to create. */
export function linesNeedingCertificate(plan: PlanLike): PlanLineLike[] {
  return plan.lines.filter((l) => l.needsCertificate && l.action === 'create');
}

/** A region id whose hyphens do not wrap in a dialog ("cn-/hangzhou"): U+2011, the non-breaking hyphen. */
export function unbroken(text: string): string {
  return text.replace(/-/g, '\u2011');
}

/** The region in a server text, with hyphens that do not wrap in a dialog. */
export function unbrokenRegion(text: string, region: string): string {
  return region ? text.split(region).join(unbroken(region)) : text;
}

/**
 * The modal's detail, laid out from the server's texts: the label lines (changes first), each
 * with the certificate chosen for it, the "… more" line, then the summary.
 */
export function modalDetail(texts: PlanTexts, region: string, certificates: Record<string, CertificateLike | undefined> = {}, l10n: L10n = englishL10n): string {
  const out: string[] = [];
  for (const l of texts.modal.lines) {
    out.push(l.text);
    const cert = certificates[l.id];
    if (cert) out.push(`    ${l10n.t('certificate: {0}', certificateName(cert))}`);
  }
  if (texts.modal.more) out.push(texts.modal.more);
  out.push('', unbrokenRegion(texts.modal.summary, region));
  return out.join('\n');
}

export function certificateName(c: CertificateLike): string {
  return c.name && c.name !== c.id ? `${c.name} (${c.id})` : c.id;
}

export interface CertificatePickItem {
  label: string;
  description: string;
  detail: string;
  id: string;
  expired: boolean;
}

function expiryOf(c: CertificateLike): number | undefined {
  if (typeof c.expireTimeStamp === 'number' && c.expireTimeStamp > 0) return c.expireTimeStamp;
  const parsed = c.expireTime ? Date.parse(c.expireTime) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** QuickPick items: name, ID, CommonName (and other names), expiry; valid ones first, longest-lived first. */
export function certificateItems(certificates: CertificateLike[], now = Date.now(), l10n: L10n = englishL10n): CertificatePickItem[] {
  const day = 24 * 3600 * 1000;
  const items = certificates.map((c) => {
    const expiry = expiryOf(c);
    const expired = expiry !== undefined && expiry <= now;
    const parts: string[] = [];
    if (c.commonName) parts.push(l10n.t('CN {0}', c.commonName));
    const sans = (c.subjectAlternativeNames ?? []).filter((s) => s && s !== c.commonName);
    if (sans.length > 0) parts.push(l10n.t('also {0}', sans.slice(0, 3).join(', ') + (sans.length > 3 ? ', …' : '')));
    if (expiry !== undefined) {
      const date = new Date(expiry).toISOString().slice(0, 10);
      parts.push(expired ? l10n.t('EXPIRED {0}', date) : l10n.t('expires {0} (in {1} days)', date, Math.floor((expiry - now) / day)));
    }
    return { label: c.name || c.id, description: c.id, detail: parts.join(' · '), id: c.id, expired, expiry: expiry ?? Number.MAX_SAFE_INTEGER };
  });
  items.sort((a, b) => Number(a.expired) - Number(b.expired) || b.expiry - a.expiry);
  return items.map(({ expiry: _expiry, ...item }) => item);
}

export type Severity = 'info' | 'warning' | 'error';

// -- reachability -------------------------------------------------------------------------------

export interface ReachResultLike {
  label: string;
  service: string;
  binding: string;
  protocol: string;
  reachable: boolean;
  confirmed: boolean;
  blocker: string | null;
  /** The blocker in words (the server fills it); `blocker` stays the stable code. */
  blockerText?: string | null;
  fix: string | null;
  steps: Array<{ name: string; ok: boolean; detail: string }>;
  latencyMs: number | null;
  range?: LspRange;
  /** The verdict sentence and the short CodeLens text, rendered by the server. */
  verdict?: string;
  lens?: string;
}

export interface ReachCommandResultLike {
  uri: string;
  region?: string;
  results: ReachResultLike[];
  summary: string;
  /** What to show after the check, rendered by the server. */
  notification?: ReachNotification;
  error?: string;
}

// -- CodeLens -----------------------------------------------------------------------------------

export interface LbLabelLine {
  /** 0-based line. */
  line: number;
  /** The key, e.g. `aliyun.lb.port_6379`. */
  key: string;
  /** Character offsets of the key on the line. */
  start: number;
  end: number;
  /** `map` (`aliyun.lb.port_80: tcp://…`) or `list` (`- aliyun.lb.port_80=tcp://…`). */
  form: 'map' | 'list';
}

const MAP_RE = /^(\s*)(["']?)(aliyun\.lb\.port_[^\s:="'#]+)\2[ \t]*:(?:\s|$)/;
const LIST_RE = /^(\s*-[ \t]+)(["']?)(aliyun\.lb\.port_[^\s:="'#]+)[ \t]*=/;

/**
 * Lines with an `aliyun.lb.port_<n>` label key (map and list form), by a cheap regex per line, on
 * lines whose parent is a `labels:` key (the server's rule, compose/labelsBlock.ts): comments,
 * block scalars (`command: |`) and other keys' entries are not labels.
 */
export function scanLbLabelLines(lines: readonly string[]): LbLabelLine[] {
  const out: LbLabelLine[] = [];
  const lineAt = (i: number) => lines[i];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].replace(/\r$/, '');
    if (!text.includes('aliyun.lb.port_')) continue;
    const m = MAP_RE.exec(text) ?? LIST_RE.exec(text);
    if (!m || !isInLabelsBlockLines(lineAt, i)) continue;
    const start = m[1].length + m[2].length;
    out.push({ line: i, key: m[3], start, end: start + m[3].length, form: m[0].trimStart().startsWith('-') ? 'list' : 'map' });
  }
  return out;
}

/** A `kind: Service` line of a Kubernetes manifest whose document says `type: LoadBalancer`. */
export interface ServiceLine {
  /** 0-based line of `kind: Service`. */
  line: number;
  /** metadata.name when it is on a line of its own in the document ('' when not found). */
  name: string;
  start: number;
  end: number;
}

const KIND_SERVICE_RE = /^kind[ \t]*:[ \t]*["']?Service["']?[ \t]*(#.*)?$/;
const LOAD_BALANCER_RE = /^\s+type[ \t]*:[ \t]*["']?LoadBalancer["']?[ \t]*(#.*)?$/;
const NAME_RE = /^\s+name[ \t]*:[ \t]*["']?([A-Za-z0-9.-]+)["']?/;

/**
 * The LoadBalancer Services of a manifest, by a cheap scan per line (the CodeLens of Service
 * manifests): documents split at `---`, a top-level `kind: Service` and an indented
 * `type: LoadBalancer` in the same document. The server decides the rest when a lens is used.
 */
export function scanServiceLines(lines: readonly string[]): ServiceLine[] {
  const out: ServiceLine[] = [];
  let kindLine = -1;
  let loadBalancer = false;
  let apiVersion = false;
  let name = '';
  const flush = () => {
    if (kindLine >= 0 && loadBalancer && apiVersion) out.push({ line: kindLine, name, start: 0, end: lines[kindLine].replace(/\r$/, '').trimEnd().length });
    kindLine = -1;
    loadBalancer = false;
    apiVersion = false;
    name = '';
  };
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].replace(/\r$/, '');
    if (/^---/.test(text)) {
      flush();
      continue;
    }
    if (KIND_SERVICE_RE.test(text)) kindLine = i;
    else if (/^apiVersion[ \t]*:/.test(text)) apiVersion = true;
    else if (LOAD_BALANCER_RE.test(text)) loadBalancer = true;
    else if (!name && NAME_RE.test(text) && i > 0 && /^metadata[ \t]*:/.test(lines[i - 1])) name = NAME_RE.exec(text)![1];
  }
  flush();
  return out;
}

/**
 * The last reachability verdict per label line, kept while the line's text is the same
 * ("until the label line changes"). Keyed by document URI.
 */
export class VerdictStore {
  private readonly byUri = new Map<string, Map<number, { lineText: string; text: string; reachable: boolean }>>();

  /** Record the verdicts of one check (several bindings on one line are joined). */
  record(uri: string, results: ReachResultLike[], lineTextOf: (line: number) => string | undefined): void {
    let map = this.byUri.get(uri);
    if (!map) this.byUri.set(uri, (map = new Map()));
    const perLine = new Map<number, ReachResultLike[]>();
    for (const r of results) {
      if (!r.range) continue;
      const line = r.range.start.line;
      perLine.set(line, [...(perLine.get(line) ?? []), r]);
    }
    for (const [line, rs] of perLine) {
      const lineText = lineTextOf(line);
      if (lineText === undefined) continue;
      const lens = (r: ReachResultLike) => r.lens ?? r.verdict ?? r.blocker ?? '';
      const text = rs.length === 1 ? lens(rs[0]) : rs.map((r) => `${r.binding}: ${lens(r)}`).join('; ');
      map.set(line, { lineText: lineText.replace(/\r$/, ''), text, reachable: rs.every((r) => r.reachable) });
    }
  }

  /** The verdict of the line if its text is unchanged (or moved here unchanged by edits above it). */
  get(uri: string, line: number, lineText: string): { text: string; reachable: boolean } | undefined {
    const map = this.byUri.get(uri);
    if (!map) return undefined;
    const text = lineText.replace(/\r$/, '');
    const v = map.get(line);
    if (v && v.lineText === text) return { text: v.text, reachable: v.reachable };
    // Lines above were added or removed: the same label line text elsewhere, unique, moves here.
    const moved = [...map.entries()].filter(([l, e]) => e.lineText === text && l !== line);
    if (moved.length === 1 && (!v || v.lineText !== text)) {
      const [from, entry] = moved[0];
      map.delete(from);
      map.set(line, entry);
      return { text: entry.text, reachable: entry.reachable };
    }
    return undefined;
  }

  /** Drop verdicts whose line text is no longer in the document. */
  prune(uri: string, lineTexts: readonly string[]): void {
    const map = this.byUri.get(uri);
    if (!map) return;
    const present = new Set(lineTexts.map((l) => l.replace(/\r$/, '')));
    for (const [line, e] of map) if (!present.has(e.lineText)) map.delete(line);
  }

  clear(uri?: string): void {
    if (uri === undefined) this.byUri.clear();
    else this.byUri.delete(uri);
  }

  size(uri: string): number {
    return this.byUri.get(uri)?.size ?? 0;
  }
}
