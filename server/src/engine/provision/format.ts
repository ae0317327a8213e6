// Text forms of a plan and of an apply result (CLI output, confirmation message, output channel,
// and the texts the LSP commands hand to the editor: plan lines, modal, outcome notification).
// The one place these texts are rendered: the VS Code client only shows them.
import { t } from '../i18n';
import type { ApplyResult, LineOutcome, LineResult, Plan, PlanAction, PlanLine, ProvisionEvent } from './types';

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
  const backend = l.backendPort !== undefined && l.backendPort !== null ? ` → ${t('backend {0}', l.backendPort)}` : '';
  return `${l.label} (${l.service})${binding}${backend}`;
}

/** Short name of a label in lists: `aliyun.lb.port_6379 (redis)`. */
export function shortTitle(l: Pick<PlanLine, 'label' | 'service'>): string {
  return `${l.label} (${l.service})`;
}

export function actionWord(action: PlanAction): string {
  return ACTION_WORD[action]();
}

/** `[create] aliyun.lb.port_6379 (redis) tcp://slb_redis_app:6379 → backend 6379: <reason>` (+ ` (code)` when blocked). */
export function planLineText(line: PlanLine): string {
  const code = line.action === 'blocked' && line.blockedCode ? ` (${line.blockedCode})` : '';
  return `[${actionWord(line.action)}] ${lineTitle(line)}: ${line.reason}${code}`;
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

export function outcomeWord(outcome: LineOutcome): string {
  return OUTCOME_WORD[outcome]();
}

// -- texts for an editor's confirmation modal and notifications (LSP commands) ----------------------

/** The texts an editor shows for a plan (PlanCommandResult.texts). */
export interface PlanTexts {
  /** One line per plan line, in plan order (output channel). */
  lines: string[];
  /** `Plan for region …: 1 to create, …` */
  summary: string;
  modal: {
    /** The modal's message (first line). */
    message: string;
    /** Only what happens, no zero counts. */
    summary: string;
    /** Changes first, then the labels left alone; at most `max` of them. */
    lines: Array<{ id: string; text: string }>;
    /** `… and 3 more (see the output channel)` when lines were left out. */
    more?: string;
  };
}

export function planTexts(plan: Plan, max = 15): PlanTexts {
  const order: PlanAction[] = ['create', 'start', 'conflict', 'blocked', 'unchanged'];
  const sorted = [...plan.lines].sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action));
  return {
    lines: plan.lines.map(planLineText),
    summary: planSummaryText(plan),
    modal: {
      message: t('Provision SLB listeners in region {0}? This changes cloud resources and may cost money.', plan.region),
      summary: modalSummary(plan),
      lines: sorted.slice(0, max).map((l) => ({ id: l.id, text: planLineText(l) })),
      more: sorted.length > max ? t('… and {0} more (see the output channel)', sorted.length - max) : undefined,
    },
  };
}

/** The plan's summary as a sentence: only what happens, no zero counts. */
export function modalSummary(plan: Plan): string {
  if (plan.lines.some((l) => l.ccm)) return ccmModalSummary(plan);
  const s = plan.summary;
  const region = plan.region;
  const parts: string[] = [];
  const n = (x: number | undefined) => x ?? 0;
  if (n(s.create) === 1) parts.push(t('1 listener will be created in {0}.', region));
  else if (n(s.create) > 1) parts.push(t('{0} listeners will be created in {1}.', n(s.create), region));
  if (n(s.start) === 1) parts.push(t('1 stopped listener will be started.'));
  else if (n(s.start) > 1) parts.push(t('{0} stopped listeners will be started.', n(s.start)));
  if (n(s.unchanged) === 1) parts.push(t('1 label is already up to date.'));
  else if (n(s.unchanged) > 1) parts.push(t('{0} labels are already up to date.', n(s.unchanged)));
  const left = n(s.conflict) + n(s.blocked);
  if (left === 1) parts.push(t('1 label is in conflict or blocked and is left as it is.'));
  else if (left > 1) parts.push(t('{0} labels are in conflict or blocked and are left as they are.', left));
  return parts.join(' ');
}

/** The summary of a Kubernetes Service-port plan: groups, backends and listeners, as they will change. */
function ccmModalSummary(plan: Plan): string {
  const changing = plan.lines.filter((l) => l.ccm && (l.action === 'create' || l.action === 'start'));
  const groups = changing.filter((l) => !l.ccm!.groupId).length;
  const backends = changing.reduce((n, l) => n + l.ccm!.missingBackends.length, 0);
  const created = changing.filter((l) => l.action === 'create' && l.ccm!.listenerAction === 'create').length;
  const takenOver = changing.filter((l) => l.action === 'create' && l.ccm!.listenerAction === 'take-over').length;
  const started = changing.filter((l) => l.action === 'start').length;
  const upToDate = plan.lines.filter((l) => l.action === 'unchanged').length;
  const left = plan.lines.filter((l) => l.action === 'conflict' || l.action === 'blocked').length;
  const parts: string[] = [];
  if (groups) parts.push(t('{0} vServer group(s) will be created in {1}.', groups, plan.region));
  if (backends) parts.push(t('{0} backend(s) will be added.', backends));
  if (created) parts.push(t('{0} listener(s) will be created and started.', created));
  if (takenOver) parts.push(t('{0} listener(s) will be taken over: their current backends stop receiving traffic.', takenOver));
  if (started) parts.push(t('{0} stopped listener(s) will be started.', started));
  if (upToDate) parts.push(t('{0} Service port(s) are up to date.', upToDate));
  if (left) parts.push(t('{0} Service port(s) are in conflict or blocked and are left as they are.', left));
  return parts.join(' ');
}

/** What an editor shows after provisioning (ProvisionCommandResult.outcome). */
export interface ProvisionOutcome {
  severity: 'info' | 'warning' | 'error';
  /** The notification text. */
  message: string;
  /** Some labels were provisioned and some not. */
  partial: boolean;
  /** Offer "Run again": a step failed or was cancelled (running again finishes the job). */
  runAgain: boolean;
  /** Per-label outcome and step lines for the output channel, then the summary. */
  outputLines: string[];
}

const LIST_MAX = 4;
function listOf(lines: LineResult[]): string {
  const shown = lines.slice(0, LIST_MAX).map((l) => `${shortTitle(l)} ${outcomeWord(l.outcome)}`);
  if (lines.length > LIST_MAX) shown.push(t('{0} more', lines.length - LIST_MAX));
  return shown.join(', ');
}

/**
 * `servicePorts`: the lines are Kubernetes Service ports (vServer groups and, with the override,
 * listeners), so the sentences say "Service ports", not "SLB listeners".
 */
export function provisionOutcome(result: ApplyResult, servicePorts = false): ProvisionOutcome {
  const outputLines: string[] = [];
  for (const r of result.lines) {
    outputLines.push(`  [${outcomeWord(r.outcome)}] ${lineTitle(r)}: ${r.message}`);
    for (const s of r.steps) {
      const req = s.error?.requestId && s.error.requestId !== 'undefined' ? ` (RequestId ${s.error.requestId})` : '';
      outputLines.push(`      ${s.step}${s.apiAction ? ` [${s.apiAction}]` : ''} ${s.status}: ${s.message}${req}`);
    }
  }
  outputLines.push(`  ${resultSummaryText(result)}`);

  const changed = result.lines.filter((l) => l.created || l.started);
  const good = result.lines.filter((l) => l.ok);
  const bad = result.lines.filter((l) => !l.ok);
  const runAgain = result.lines.some((l) => l.outcome === 'failed' || l.outcome === 'cancelled');
  if (bad.length === 0) {
    return { severity: 'info', partial: false, runAgain: false, outputLines, message: servicePorts ? t('Service ports provisioned: {0}.', listOf(good)) : t('SLB listeners provisioned: {0}.', listOf(good)) };
  }
  const notDone = listOf(bad);
  if (good.length === 0) {
    const message = servicePorts
      ? (changed.length > 0
        ? t('No Service port was fully provisioned: {0}. Some parts were created (see the output); run again to finish.', notDone)
        : runAgain ? t('No Service port was provisioned: {0}. Nothing was created. Run again to retry.', notDone) : t('No Service port was provisioned: {0}. Nothing was created.', notDone))
      : changed.length > 0
        ? t('No SLB listener was fully provisioned: {0}. A listener was created but not started (see the output); run again to finish.', notDone)
        : runAgain
          ? t('No SLB listener was provisioned: {0}. Nothing was created. Run again to retry.', notDone)
          : t('No SLB listener was provisioned: {0}. Nothing was created.', notDone);
    return { severity: changed.length > 0 ? 'warning' : 'error', partial: changed.length > 0, runAgain, outputLines, message };
  }
  const done = changed.length > 0 ? listOf(changed) : t('nothing new');
  const message = runAgain
    ? t('Partly provisioned. Created or started: {0}. Not provisioned: {1}. Run again to finish the rest.', done, notDone)
    : t('Partly provisioned. Created or started: {0}. Not provisioned: {1}.', done, notDone);
  return { severity: 'warning', partial: true, runAgain, outputLines, message };
}
