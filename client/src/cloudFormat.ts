// Texts of the cloud commands (provision, reachability, CodeLens): plain functions with no `vscode`
// import, so they can be unit-tested with node:test. The VS Code side passes `vscode.l10n` as the
// `l10n` argument; tests use `englishL10n`. Every string is a literal first argument of `l10n.t` so
// test/client/manifest.test.ts can check that l10n/bundle.l10n.zh-cn.json translates it.
//
// The shapes below are the subsets of the server's command results that the client reads
// (server/src/lsp/provisionCommands.ts, server/src/lsp/reachCommands.ts).

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
}

export interface ProvisionResultLike extends PlanResultLike {
  ok: boolean;
  result?: ApplyResultLike;
  certificates?: CertificateLike[];
  needsCertificate?: string[];
}

export function actionWord(action: PlanAction, l10n: L10n = englishL10n): string {
  switch (action) {
    case 'create': return l10n.t('create');
    case 'unchanged': return l10n.t('unchanged');
    case 'start': return l10n.t('start');
    case 'conflict': return l10n.t('conflict');
    case 'blocked': return l10n.t('blocked');
  }
}

export function outcomeWord(outcome: LineOutcome, l10n: L10n = englishL10n): string {
  switch (outcome) {
    case 'created': return l10n.t('created');
    case 'started': return l10n.t('started');
    case 'unchanged': return l10n.t('unchanged');
    case 'conflict': return l10n.t('conflict');
    case 'blocked': return l10n.t('blocked');
    case 'failed': return l10n.t('failed');
    case 'cancelled': return l10n.t('cancelled');
  }
}

/** `aliyun.lb.port_6379 (redis) tcp://slb_redis_app:6379 → backend 6379` */
export function lineTitle(l: Pick<PlanLineLike, 'label' | 'service' | 'protocol' | 'slb' | 'frontPort' | 'backendPort'>, l10n: L10n = englishL10n): string {
  const binding = l.protocol ? ` ${l.protocol}://${l.slb}:${l.frontPort ?? '?'}` : '';
  const backend = l.backendPort !== undefined && l.backendPort !== null ? ` → ${l10n.t('backend {0}', l.backendPort)}` : '';
  return `${l.label} (${l.service})${binding}${backend}`;
}

/** Short name of a label in lists: `aliyun.lb.port_6379 (redis)`. */
export function shortTitle(l: Pick<PlanLineLike, 'label' | 'service'>): string {
  return `${l.label} (${l.service})`;
}

/** `[create] aliyun.lb.port_6379 (redis) tcp://slb_redis_app:6379 → backend 6379: <reason>` */
export function planLineText(line: PlanLineLike, l10n: L10n = englishL10n): string {
  const code = line.action === 'blocked' && line.blockedCode ? ` (${line.blockedCode})` : '';
  return `[${actionWord(line.action, l10n)}] ${lineTitle(line, l10n)}: ${line.reason}${code}`;
}

export function planSummary(plan: PlanLike, l10n: L10n = englishL10n): string {
  const s = plan.summary;
  return l10n.t('Plan for region {0}: {1} to create, {2} to start, {3} unchanged, {4} conflict(s), {5} blocked.', plan.region, s.create ?? 0, s.start ?? 0, s.unchanged ?? 0, s.conflict ?? 0, s.blocked ?? 0);
}

/** Does applying the plan change anything (create or start)? */
export function planHasChanges(plan: PlanLike): boolean {
  return (plan.summary.create ?? 0) + (plan.summary.start ?? 0) > 0;
}

/** Output channel: a title line, one line per label, the summary. */
export function planOutputLines(plan: PlanLike, file: string, l10n: L10n = englishL10n): string[] {
  return [l10n.t('Provisioning plan for {0}:', file), ...plan.lines.map((l) => `  ${planLineText(l, l10n)}`), `  ${planSummary(plan, l10n)}`];
}

/** Lines the certificate picker must run for: https listeners to create. */
export function linesNeedingCertificate(plan: PlanLike): PlanLineLike[] {
  return plan.lines.filter((l) => l.needsCertificate && l.action === 'create');
}

/** The modal's message (first line, bold in VS Code). */
export function modalMessage(plan: PlanLike, l10n: L10n = englishL10n): string {
  return l10n.t('Provision SLB listeners in region {0}? This changes cloud resources and may cost money.', unbroken(plan.region));
}

/** A region id whose hyphens do not wrap in a dialog ("cn-/hangzhou"): U+2011, the non-breaking hyphen. */
export function unbroken(text: string): string {
  return text.replace(/-/g, '\u2011');
}

/** The plan's summary as a sentence: only what happens, no zero counts. */
export function modalSummary(plan: PlanLike, l10n: L10n = englishL10n): string {
  const s = plan.summary;
  const region = unbroken(plan.region);
  const parts: string[] = [];
  const n = (x: number | undefined) => x ?? 0;
  if (n(s.create) === 1) parts.push(l10n.t('1 listener will be created in {0}.', region));
  else if (n(s.create) > 1) parts.push(l10n.t('{0} listeners will be created in {1}.', n(s.create), region));
  if (n(s.start) === 1) parts.push(l10n.t('1 stopped listener will be started.'));
  else if (n(s.start) > 1) parts.push(l10n.t('{0} stopped listeners will be started.', n(s.start)));
  if (n(s.unchanged) === 1) parts.push(l10n.t('1 label is already up to date.'));
  else if (n(s.unchanged) > 1) parts.push(l10n.t('{0} labels are already up to date.', n(s.unchanged)));
  const left = n(s.conflict) + n(s.blocked);
  if (left === 1) parts.push(l10n.t('1 label is in conflict or blocked and is left as it is.'));
  else if (left > 1) parts.push(l10n.t('{0} labels are in conflict or blocked and are left as they are.', left));
  return parts.join(' ');
}

/**
 * The modal's detail: changes first (create/start, with the chosen certificate), then the labels
 * left alone (conflict/blocked/unchanged), then the summary. At most `max` label lines.
 */
export function modalDetail(plan: PlanLike, certificates: Record<string, CertificateLike | undefined> = {}, l10n: L10n = englishL10n, max = 15): string {
  const order: PlanAction[] = ['create', 'start', 'conflict', 'blocked', 'unchanged'];
  const sorted = [...plan.lines].sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  const out: string[] = [];
  for (const l of sorted.slice(0, max)) {
    out.push(planLineText(l, l10n));
    const cert = certificates[l.id];
    if (cert) out.push(`    ${l10n.t('certificate: {0}', certificateName(cert))}`);
  }
  if (sorted.length > max) out.push(l10n.t('… and {0} more (see the output channel)', sorted.length - max));
  out.push('', modalSummary(plan, l10n));
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

export interface ProvisionOutcome {
  severity: Severity;
  /** The notification text. */
  message: string;
  /** Some labels were provisioned and some not. */
  partial: boolean;
  /** Offer "Run again": a step failed or was cancelled (running again finishes the job). */
  runAgain: boolean;
  /** Per-label outcome and step lines for the output channel. */
  outputLines: string[];
}

const LIST_MAX = 4;
function listOf(lines: Array<Pick<LineResultLike, 'label' | 'service'> & { outcome?: LineOutcome }>, l10n: L10n, withOutcome: boolean): string {
  const shown = lines.slice(0, LIST_MAX).map((l) => (withOutcome && l.outcome ? `${shortTitle(l)} ${outcomeWord(l.outcome, l10n)}` : shortTitle(l)));
  if (lines.length > LIST_MAX) shown.push(l10n.t('{0} more', lines.length - LIST_MAX));
  return shown.join(', ');
}

/** The notification and output lines after `aliyunSlbLabels.provision` answered status 'ok'. */
export function provisionOutcome(result: ApplyResultLike, l10n: L10n = englishL10n): ProvisionOutcome {
  const outputLines: string[] = [];
  for (const r of result.lines) {
    outputLines.push(`  [${outcomeWord(r.outcome, l10n)}] ${lineTitle(r, l10n)}: ${r.message}`);
    for (const s of r.steps) {
      const req = s.error?.requestId && s.error.requestId !== 'undefined' ? ` (RequestId ${s.error.requestId})` : '';
      outputLines.push(`      ${s.step}${s.apiAction ? ` [${s.apiAction}]` : ''} ${s.status}: ${s.message}${req}`);
    }
  }
  const s = result.summary;
  outputLines.push(`  ${l10n.t('{0} created, {1} started, {2} unchanged, {3} conflict(s), {4} blocked, {5} failed.', s.created ?? 0, s.started ?? 0, s.unchanged ?? 0, s.conflict ?? 0, s.blocked ?? 0, (s.failed ?? 0) + (s.cancelled ?? 0))}`);

  const changed = result.lines.filter((l) => l.created || l.started);
  const good = result.lines.filter((l) => l.ok);
  const bad = result.lines.filter((l) => !l.ok);
  const runAgain = result.lines.some((l) => l.outcome === 'failed' || l.outcome === 'cancelled');
  if (bad.length === 0) {
    return { severity: 'info', partial: false, runAgain: false, outputLines, message: l10n.t('SLB listeners provisioned: {0}.', listOf(good, l10n, true)) };
  }
  const notDone = listOf(bad, l10n, true);
  if (good.length === 0) {
    const message = runAgain
      ? l10n.t('No SLB listener was provisioned: {0}. Nothing was created. Run again to retry.', notDone)
      : l10n.t('No SLB listener was provisioned: {0}. Nothing was created.', notDone);
    return { severity: changed.length > 0 ? 'warning' : 'error', partial: changed.length > 0, runAgain, outputLines, message };
  }
  const done = changed.length > 0 ? listOf(changed, l10n, true) : l10n.t('nothing new');
  const message = runAgain
    ? l10n.t('Partly provisioned. Created or started: {0}. Not provisioned: {1}. Run again to finish the rest.', done, notDone)
    : l10n.t('Partly provisioned. Created or started: {0}. Not provisioned: {1}.', done, notDone);
  return { severity: 'warning', partial: true, runAgain, outputLines, message };
}

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
}

export interface ReachCommandResultLike {
  uri: string;
  region?: string;
  results: ReachResultLike[];
  summary: string;
  error?: string;
}

export function latencyText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** "Reachable: tcp://slb_redis_app:6379 in 12 ms" / "Blocked at LISTENER_STOPPED: <fix>" */
export function reachVerdict(r: ReachResultLike, l10n: L10n = englishL10n): string {
  if (r.reachable) {
    if (!r.confirmed) return l10n.t('Reachable as far as can be told: {0} (UDP: no answer, which is not proof of failure)', r.binding);
    const latency = latencyText(r.latencyMs);
    return latency ? l10n.t('Reachable: {0} in {1}', r.binding, latency) : l10n.t('Reachable: {0}', r.binding);
  }
  return l10n.t('Blocked: {0}. {1}', r.blockerText ?? r.blocker ?? '?', r.fix ?? '');
}

/** The short text of the CodeLens after a check: "reachable, 12 ms" / "blocked: LISTENER_STOPPED". */
export function lensVerdict(r: ReachResultLike, l10n: L10n = englishL10n): string {
  if (r.reachable) {
    if (!r.confirmed) return l10n.t('no answer (UDP), not blocked');
    const latency = latencyText(r.latencyMs);
    return latency ? l10n.t('reachable, {0}', latency) : l10n.t('reachable');
  }
  return l10n.t('blocked: {0}', r.blockerText ?? r.blocker ?? '?');
}

export interface ReachNotification {
  severity: Severity;
  message: string;
}

/** The notification after a check (one label: its verdict; several: the summary and the first blocker). */
export function reachNotification(res: ReachCommandResultLike, l10n: L10n = englishL10n): ReachNotification {
  if (res.error) return { severity: 'warning', message: res.error };
  const results = res.results ?? [];
  if (results.length === 0) return { severity: 'warning', message: res.summary || l10n.t('No aliyun.lb labels to check.') };
  const blocked = results.filter((r) => !r.reachable);
  if (results.length === 1) {
    const r = results[0];
    return { severity: r.reachable ? 'info' : 'warning', message: r.reachable ? reachVerdict(r, l10n) : `${shortTitle(r)} ${r.binding}: ${reachVerdict(r, l10n)}` };
  }
  if (blocked.length === 0) return { severity: 'info', message: l10n.t('All {0} label(s) reachable.', results.length) };
  const first = blocked[0];
  const more = blocked.length > 1 ? ` ${l10n.t('(and {0} more blocked)', blocked.length - 1)}` : '';
  return {
    severity: 'warning',
    message: `${l10n.t('{0} of {1} label(s) blocked, {2} reachable.', blocked.length, results.length, results.length - blocked.length)} ${shortTitle(first)} ${first.binding}: ${reachVerdict(first, l10n)}${more}`,
  };
}

/** One line per label for the output channel (the server logs the full checklist there too). */
export function reachOutputLines(res: ReachCommandResultLike, file: string, l10n: L10n = englishL10n): string[] {
  const out = [l10n.t('Reachability of {0}:', file)];
  if (res.error) return [...out, `  ${res.error}`];
  for (const r of res.results) {
    out.push(`  ${r.reachable ? '[✓]' : '[✗]'} ${shortTitle(r)} ${r.binding}: ${reachVerdict(r, l10n)}`);
    for (const s of r.steps) out.push(`      ${s.ok ? '✓' : '✗'} ${s.name}: ${s.detail}`);
  }
  out.push(`  ${res.summary}`);
  return out;
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

/**
 * The last reachability verdict per label line, kept while the line's text is the same
 * ("until the label line changes"). Keyed by document URI.
 */
export class VerdictStore {
  private readonly byUri = new Map<string, Map<number, { lineText: string; text: string; reachable: boolean }>>();

  /** Record the verdicts of one check (several bindings on one line are joined). */
  record(uri: string, results: ReachResultLike[], lineTextOf: (line: number) => string | undefined, l10n: L10n = englishL10n): void {
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
      const text = rs.length === 1 ? lensVerdict(rs[0], l10n) : rs.map((r) => `${r.binding}: ${lensVerdict(r, l10n)}`).join('; ');
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
