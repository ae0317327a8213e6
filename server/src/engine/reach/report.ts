// Text forms of reachability results: a checklist report (CLI, output channel), one summary line,
// the short inline text shown on the label line, and the texts an editor shows after a check
// (verdict, CodeLens text, notification): rendered here only, the VS Code client shows them.
import { t } from '../i18n';
import { blockerWords } from './blockerWords';
import type { ReachResult, ReachStep } from './types';

function stepTitle(name: ReachStep['name']): string {
  switch (name) {
    case 'label':
      return t('label');
    case 'slb':
      return t('SLB');
    case 'address':
      return t('address');
    case 'listener':
      return t('listener');
    case 'health':
      return t('backend health');
    case 'connect':
      return t('TCP connect');
    case 'http':
      return t('HTTP request');
    case 'https':
      return t('TLS + HTTPS request');
    case 'udp':
      return t('UDP probe');
    case 'app':
      return t('application');
    default:
      return name;
  }
}

export function latencyText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** "reachable, 12 ms" / "blocked: LISTENER_STOPPED — start the listener ..." */
export function inlineMessage(r: ReachResult): string {
  if (r.reachable) {
    const latency = latencyText(r.latencyMs);
    if (!r.confirmed) return t('reachable as far as can be told (UDP: no answer){0}', latency ? `, ${latency}` : '');
    return latency ? t('reachable, {0}', latency) : t('reachable');
  }
  return t('blocked: {0} — {1}', r.blockerText ?? blockerWords(r.blocker), r.fix ?? '');
}

/** One line per result (verdict), then its steps as a checklist, then the fix. */
export function formatReport(results: ReachResult[], options: { title?: string } = {}): string {
  const lines: string[] = [];
  if (options.title) lines.push(options.title, '');
  for (const r of results) {
    const head = `${r.reachable ? '[✓]' : '[✗]'} ${r.label}  ${r.binding || '?'}  (${t('service {0}', r.service)})`;
    lines.push(`${head} — ${inlineMessage(r).replace(/ — .*$/s, '')}`);
    const width = Math.max(...r.steps.map((s) => stepTitle(s.name).length), 8);
    for (const s of r.steps) lines.push(`    ${s.ok ? '✓' : '✗'} ${stepTitle(s.name).padEnd(width)}  ${s.detail}`);
    if (!r.reachable && r.fix) lines.push(`    → ${t('fix: {0}', r.fix)}`);
    lines.push('');
  }
  lines.push(summaryLine(results));
  return lines.join('\n') + '\n';
}

export function summaryLine(results: ReachResult[]): string {
  const reachable = results.filter((r) => r.reachable).length;
  const blocked = results.length - reachable;
  if (results.length === 0) return t('No aliyun.lb labels to check.');
  return blocked === 0
    ? t('All {0} label(s) reachable.', results.length)
    : t('{0} of {1} label(s) blocked, {2} reachable.', blocked, results.length, reachable);
}

/** "Reachable: tcp://slb_redis_app:6379 in 12 ms" / "Blocked: the listener is stopped. <fix>" */
export function reachVerdict(r: ReachResult): string {
  if (r.reachable) {
    if (!r.confirmed) return t('Reachable as far as can be told: {0} (UDP: no answer, which is not proof of failure)', r.binding);
    const latency = latencyText(r.latencyMs);
    return latency ? t('Reachable: {0} in {1}', r.binding, latency) : t('Reachable: {0}', r.binding);
  }
  return t('Blocked: {0}. {1}', r.blockerText ?? r.blocker ?? '?', r.fix ?? '');
}

/** The short text of a CodeLens after a check: "reachable, 12 ms" / "blocked: <blocker>". */
export function lensVerdict(r: ReachResult): string {
  if (r.reachable) {
    if (!r.confirmed) return t('no answer (UDP), not blocked');
    const latency = latencyText(r.latencyMs);
    return latency ? t('reachable, {0}', latency) : t('reachable');
  }
  return t('blocked: {0}', r.blockerText ?? r.blocker ?? '?');
}

export interface ReachNotification {
  severity: 'info' | 'warning';
  message: string;
}

/** The notification after a check (one label: its verdict; several: the summary and the first blocker). */
export function reachNotification(results: ReachResult[]): ReachNotification {
  if (results.length === 0) return { severity: 'warning', message: t('No aliyun.lb labels to check.') };
  const blocked = results.filter((r) => !r.reachable);
  const named = (r: ReachResult) => `${r.label} (${r.service}) ${r.binding}: ${reachVerdict(r)}`;
  if (results.length === 1) {
    const r = results[0];
    return { severity: r.reachable ? 'info' : 'warning', message: r.reachable ? reachVerdict(r) : named(r) };
  }
  if (blocked.length === 0) return { severity: 'info', message: t('All {0} label(s) reachable.', results.length) };
  const more = blocked.length > 1 ? ` ${t('(and {0} more blocked)', blocked.length - 1)}` : '';
  return { severity: 'warning', message: `${summaryLine(results)} ${named(blocked[0])}${more}` };
}
