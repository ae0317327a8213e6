// Text forms of reachability results: a checklist report (CLI, output channel), one summary line,
// and the short inline text shown on the label line.
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

const latencyText = (ms: number | null) => (ms === null ? '' : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`);

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
