// Text forms of a plan and of an apply result (CLI output, confirmation message, output channel).
import { t } from '../i18n';
import type { ApplyResult, LineResult, Plan, PlanLine, ProvisionEvent } from './types';

const ACTION_WORD: Record<PlanLine['action'], () => string> = {
  create: () => t('create'),
  unchanged: () => t('unchanged'),
  start: () => t('start'),
  conflict: () => t('conflict'),
  blocked: () => t('blocked'),
};

/** `aliyun.lb.port_6379 (redis) tcp://slb_redis_app:6379 → backend 6379` */
export function lineTitle(l: Pick<PlanLine, 'label' | 'service' | 'protocol' | 'slb' | 'frontPort' | 'backendPort'>): string {
  const binding = l.protocol ? ` ${l.protocol}://${l.slb}:${l.frontPort ?? '?'}` : '';
  const backend = l.backendPort !== undefined ? ` → ${t('backend {0}', l.backendPort)}` : '';
  return `${l.label} (${l.service})${binding}${backend}`;
}

/** One line per plan line: `[create] aliyun.lb.port_6379 (redis) tcp://…: reason`. */
export function formatPlanText(plan: Plan): string {
  const out: string[] = [];
  for (const l of plan.lines) out.push(`[${ACTION_WORD[l.action]()}] ${lineTitle(l)}: ${l.reason}`);
  out.push(planSummaryText(plan));
  return out.join('\n') + '\n';
}

export function planSummaryText(plan: Plan): string {
  const s = plan.summary;
  return t('Plan for region {0}: {1} to create, {2} to start, {3} unchanged, {4} conflict(s), {5} blocked.', plan.region, s.create, s.start, s.unchanged, s.conflict, s.blocked);
}

/** Does applying the plan change anything? */
export function planHasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.start > 0;
}

/** Short multi-line summary for a confirmation message (changes first, at most `max` lines). */
export function confirmationText(plan: Plan, max = 12): string {
  const changes = plan.lines.filter((l) => l.action === 'create' || l.action === 'start');
  const others = plan.lines.filter((l) => l.action === 'conflict' || l.action === 'blocked');
  const lines: string[] = [t('Provision SLB listeners (this changes cloud resources and may cost money):')];
  for (const l of [...changes, ...others].slice(0, max)) lines.push(`• [${ACTION_WORD[l.action]()}] ${lineTitle(l)}`);
  if (changes.length + others.length > max) lines.push(t('… and {0} more', changes.length + others.length - max));
  lines.push(planSummaryText(plan));
  return lines.join('\n');
}

const OUTCOME_WORD: Record<LineResult['outcome'], () => string> = {
  created: () => t('created'),
  started: () => t('started'),
  unchanged: () => t('unchanged'),
  conflict: () => t('conflict'),
  blocked: () => t('blocked'),
  failed: () => t('failed'),
  cancelled: () => t('cancelled'),
};

export function formatResultText(result: ApplyResult): string {
  const out: string[] = [];
  for (const r of result.lines) out.push(`[${OUTCOME_WORD[r.outcome]()}] ${lineTitle(r)}: ${r.message}`);
  out.push(resultSummaryText(result));
  return out.join('\n') + '\n';
}

export function resultSummaryText(result: ApplyResult): string {
  const s = result.summary;
  return t('{0} created, {1} started, {2} unchanged, {3} conflict(s), {4} blocked, {5} failed.', s.created, s.started, s.unchanged, s.conflict, s.blocked, s.failed + s.cancelled);
}

/** One log line per event (output channel / CLI stderr). */
export function formatEvent(e: ProvisionEvent): string | undefined {
  switch (e.type) {
    case 'wait':
      return e.message;
    case 'line':
      return `${e.label} (${e.service}): ${e.message}`;
    case 'step':
      return `${e.label} (${e.service}) ${e.step}${e.apiAction ? ` [${e.apiAction}]` : ''} ${e.status}: ${e.message}${e.error?.requestId && e.error.requestId !== 'undefined' ? ` (RequestId ${e.error.requestId})` : ''}`;
    case 'done':
      return undefined;
  }
}
