// Applying a provisioning plan: Create{TCP,UDP,HTTP,HTTPS}Listener with defaults per protocol, then
// StartLoadBalancerListener. Idempotent (each line is re-checked against the live listeners right
// before acting), serialized per SLB inside the process (an async lock), and honest about partial
// failures: every line says what was created and started, step by step.
// Transport-free: no vscode, no LSP.
import { isSlbApiError } from '../cloud/slbErrors';
import type { LoadBalancerSummary } from '../cloud/slbTypes';
import { t } from '../i18n';
import { evaluateBinding, existingText, readListeners, type ProvisionClient } from './plan';
import { FileLockOptions, SlbLockBusyError, withSlbLock } from './slbLock';
import type { ApplyResult, ExistingListener, LineOutcome, LineResult, ListenerSpec, Plan, PlanLine, ProvisionEvent, StepKind, StepResult } from './types';

// -- the per-SLB lock (in-process queue + lock file per SLB: slbLock.ts) -----------------------------

export { isLocked, withSlbLock } from './slbLock';

export function slbLockKey(client: Pick<ProvisionClient, 'regionId'> & { endpoint?: { host: string } }, slbId: string): string {
  return `${client.endpoint?.host ?? ''}|${client.regionId}|${slbId}`;
}

// -- create requests ----------------------------------------------------------------------------------

const CREATE_ACTION = {
  tcp: 'CreateLoadBalancerTCPListener',
  udp: 'CreateLoadBalancerUDPListener',
  http: 'CreateLoadBalancerHTTPListener',
  https: 'CreateLoadBalancerHTTPSListener',
} as const;

/** The Create*Listener request for a spec (wire names; the client applies the TCP/UDP lower-case quirks). */
export function createRequest(slbId: string, spec: ListenerSpec): Record<string, unknown> {
  const hc = spec.healthCheck;
  const common = {
    LoadBalancerId: slbId,
    ListenerPort: spec.frontPort,
    BackendServerPort: spec.backendPort,
    Bandwidth: spec.bandwidth,
    Scheduler: spec.scheduler,
    Description: spec.description,
    HealthyThreshold: hc.healthyThreshold,
    UnhealthyThreshold: hc.unhealthyThreshold,
    HealthCheckInterval: hc.intervalSeconds,
  };
  switch (spec.protocol) {
    case 'tcp':
      return { ...common, HealthCheckSwitch: 'on', HealthCheckType: 'tcp', HealthCheckConnectTimeout: hc.timeoutSeconds, PersistenceTimeout: 0, EstablishedTimeout: 900 };
    case 'udp':
      return { ...common, HealthCheckSwitch: 'on', HealthCheckConnectTimeout: hc.timeoutSeconds, PersistenceTimeout: 0 };
    case 'http':
    case 'https': {
      // HealthCheckURI is left out on purpose: the API refuses a bare "/" as a value and checks "/" by default.
      const http = {
        ...common,
        HealthCheck: 'on',
        StickySession: 'off',
        HealthCheckMethod: hc.method ?? 'head',
        HealthCheckHttpCode: hc.httpCodes ?? 'http_2xx,http_3xx',
        HealthCheckTimeout: hc.timeoutSeconds,
        XForwardedFor: 'on',
        Gzip: 'on',
        IdleTimeout: 15,
        RequestTimeout: 60,
      };
      if (spec.protocol === 'http') return http;
      return { ...http, ServerCertificateId: spec.serverCertificateId, EnableHttp2: 'on', TLSCipherPolicy: 'tls_cipher_policy_1_2' };
    }
  }
}

async function callCreate(client: ProvisionClient, slbId: string, spec: ListenerSpec, signal?: AbortSignal): Promise<void> {
  const req = createRequest(slbId, spec) as never;
  const opts = { signal };
  switch (spec.protocol) {
    case 'tcp':
      await client.createLoadBalancerTCPListener(req, opts);
      return;
    case 'udp':
      await client.createLoadBalancerUDPListener(req, opts);
      return;
    case 'http':
      await client.createLoadBalancerHTTPListener(req, opts);
      return;
    case 'https':
      await client.createLoadBalancerHTTPSListener(req, opts);
      return;
  }
}

// -- apply ----------------------------------------------------------------------------------

export interface ApplyOptions {
  /** Every step's outcome as it happens (safe to log: no secret). */
  onStep?: (event: ProvisionEvent) => void;
  /** HTTPS lines to create: the ServerCertificateId to use (undefined = none chosen: the line is blocked). */
  certificateFor?: (line: PlanLine) => string | undefined | Promise<string | undefined>;
  /** Stops before the next step (steps already sent are not undone). */
  signal?: AbortSignal;
  /** After a create that failed with an unknown outcome: waits before each re-read of the live state (default 0, 1 s, 2 s). */
  verifyDelaysMs?: number[];
  /** The cross-process lock file per SLB (default: in the cache folder, wait at most 120 s); `{ dir: false }` = in-process only. */
  fileLock?: Omit<FileLockOptions, 'signal'>;
}

/** Re-reads after an uncertain create: at once, after 1 s, after 2 s more (bounded: about 3 s plus the reads). */
export const VERIFY_DELAYS_MS = [0, 1_000, 2_000];

export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The live status of one listener after an uncertain Start, re-read like after an uncertain create; undefined when unknown. */
async function liveStatus(client: ProvisionClient, slbId: string, port: number, protocol: string, options: ApplyOptions): Promise<string | undefined> {
  let status: string | undefined;
  for (const delay of options.verifyDelaysMs ?? VERIFY_DELAYS_MS) {
    if (delay > 0) await sleepUnlessAborted(delay, options.signal);
    if (options.signal?.aborted) break;
    const live = (await readListeners(client, [slbId], options.signal)).get(slbId);
    status = live?.listeners?.find((l) => l.port === port && l.protocol === protocol)?.status ?? status;
    if (status === 'running' || status === 'starting') break;
  }
  return status;
}

/** tcp, http and https share the TCP port space; udp has its own. */
function sameTransport(a: string, b: string): boolean {
  return (a === 'udp') === (b === 'udp');
}

export function emptyOutcomes(): Record<LineOutcome, number> {
  return { created: 0, started: 0, unchanged: 0, conflict: 0, blocked: 0, failed: 0, cancelled: 0 };
}

export function errorInfo(e: unknown): NonNullable<StepResult['error']> {
  if (isSlbApiError(e)) return { code: e.code, kind: e.kind, message: e.message, requestId: e.requestId };
  return { code: 'Error', message: e instanceof Error ? e.message : String(e) };
}

/** Errors after which the API certainly did nothing (validation, auth, not found, already exists…). */
export function certainlyNotDone(e: unknown): boolean {
  return isSlbApiError(e) && e.kind === 'api' && !e.retryable && (e.httpStatus === undefined || e.httpStatus < 500);
}

function who(line: PlanLine): string {
  return line.slbId && line.slbId !== line.slb ? `${line.slb} (${line.slbId})` : line.slb;
}

/**
 * Apply a plan. Lines are grouped per SLB; each group runs under that SLB's lock and re-reads
 * the SLB's listeners first, so what was planned is re-checked against the live state (a second
 * run does nothing; a run after a half-way failure does only what is missing). Never throws for
 * API errors: they end up in the line's steps.
 */
export async function applyPlan(plan: Plan, client: ProvisionClient, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyPerSlb(plan, client, options, t('Cancelled before this label was provisioned: nothing was changed for it.'), (slbId, lines, ctx) =>
    applyGroup(slbId, lines, client, options, ctx.emit, ctx.base, ctx.finish),
  );
}

/** What the per-SLB work of {@link applyPerSlb} gets: the event sink, a line's starting result, and how to settle it. */
export interface PerSlbContext {
  emit: (e: ProvisionEvent) => void;
  base: (line: PlanLine) => LineResult;
  finish: (r: LineResult) => void;
}

/**
 * The frame every apply shares (compose labels here, Kubernetes Service ports in k8s/ccmApply.ts):
 * lines with nothing to do against an SLB are settled at once; the rest are grouped per SLB and
 * each group runs under that SLB's lock (in-process queue + lock file), where `work` re-reads the
 * live state and settles its lines. A busy or cancelled lock wait settles the group's lines with
 * the reason; results come back in plan order with their counts.
 */
export async function applyPerSlb(
  plan: Plan,
  client: Pick<ProvisionClient, 'regionId'> & { endpoint?: { host: string } },
  options: Pick<ApplyOptions, 'onStep' | 'signal' | 'fileLock'>,
  cancelledMessage: string,
  work: (slbId: string, lines: PlanLine[], ctx: PerSlbContext) => Promise<void>,
): Promise<ApplyResult> {
  const emit = (e: ProvisionEvent) => {
    try {
      options.onStep?.(e);
    } catch {
      // a sink's failure is not the apply's
    }
  };
  const results = new Map<string, LineResult>();
  const base = (line: PlanLine): LineResult => ({
    id: line.id,
    label: line.label,
    service: line.service,
    slb: line.slb,
    slbId: line.slbId,
    frontPort: line.frontPort,
    protocol: line.protocol,
    backendPort: line.backendPort,
    action: line.action,
    outcome: 'blocked',
    created: false,
    started: false,
    ok: false,
    message: line.reason,
    blockedCode: line.blockedCode,
    steps: [],
  });
  const finish = (r: LineResult) => {
    results.set(r.id, r);
    emit({ type: 'done', lineId: r.id, label: r.label, service: r.service, outcome: r.outcome, ok: r.ok, message: r.message });
  };

  // Lines with nothing to do against an SLB are settled at once; the rest are grouped per SLB.
  const groups = new Map<string, PlanLine[]>();
  for (const line of plan.lines) {
    if (!line.slbId || line.action === 'blocked' && line.blockedCode !== 'LISTENER_BUSY') {
      finish({ ...base(line), outcome: 'blocked' });
      continue;
    }
    const list = groups.get(line.slbId) ?? [];
    list.push(line);
    groups.set(line.slbId, list);
  }

  for (const [slbId, lines] of groups) {
    if (options.signal?.aborted) {
      for (const line of lines) finish({ ...base(line), outcome: 'cancelled', message: cancelledMessage });
      continue;
    }
    try {
      await withSlbLock(
        slbLockKey(client, slbId),
        () => work(slbId, lines, { emit, base, finish }),
        () => emit({ type: 'wait', slbId, message: t("Waiting for another provisioning run on SLB '{0}' to finish…", lines[0].slb) }),
        { ...options.fileLock, signal: options.signal, label: lines[0].slb },
      );
    } catch (e) {
      if (!(e instanceof SlbLockBusyError)) throw e;
      for (const line of lines) finish({ ...base(line), outcome: e.cancelled ? 'cancelled' : 'failed', message: e.message });
    }
  }

  const ordered = plan.lines.map((l) => results.get(l.id)!).filter(Boolean);
  const summary = emptyOutcomes();
  for (const r of ordered) summary[r.outcome]++;
  return { ok: ordered.every((r) => r.ok), lines: ordered, summary };
}

async function applyGroup(
  slbId: string,
  lines: PlanLine[],
  client: ProvisionClient,
  options: ApplyOptions,
  emit: (e: ProvisionEvent) => void,
  base: (line: PlanLine) => LineResult,
  finish: (r: LineResult) => void,
): Promise<void> {
  const live = (await readListeners(client, [slbId], options.signal)).get(slbId);
  if (!live?.listeners) {
    for (const line of lines) {
      finish({ ...base(line), outcome: 'failed', message: t("The listeners of SLB '{0}' could not be read: {1}", line.slb, live?.error ?? '-') + ' ' + t('Nothing was changed.') });
    }
    return;
  }
  const listeners: ExistingListener[] = live.listeners;
  const lb = { LoadBalancerId: slbId, LoadBalancerName: lines[0].slbName } as LoadBalancerSummary;

  for (const line of lines) {
    const r = base(line);
    if (options.signal?.aborted) {
      finish({ ...r, outcome: 'cancelled', message: t('Cancelled before this label was provisioned: nothing was changed for it.') });
      continue;
    }
    if (line.frontPort === undefined || !line.protocol) {
      finish(r);
      continue;
    }
    const binding = { service: line.service, scheme: line.protocol, frontPort: line.frontPort, hostPort: line.backendPort, slb: line.slb };
    const ev = evaluateBinding(binding, lb, listeners);
    const ctx = { lineId: line.id, label: line.label, service: line.service, slbId, frontPort: line.frontPort, protocol: line.protocol };
    if (ev.action !== line.action) {
      emit({ type: 'line', ...ctx, action: ev.action, message: t('The live state changed since the plan: {0}', ev.reason) });
    }
    if (ev.action === 'unchanged') {
      finish({ ...r, action: ev.action, outcome: 'unchanged', ok: true, message: ev.reason });
      continue;
    }
    if (ev.action === 'conflict' || ev.action === 'blocked') {
      finish({ ...r, action: ev.action, outcome: ev.action, blockedCode: ev.blockedCode, message: ev.reason });
      continue;
    }
    const step = (kind: StepKind, apiAction: string | undefined, status: StepResult['status'], message: string, error?: StepResult['error']) => {
      r.steps.push({ step: kind, apiAction, status, message, error });
      emit({ type: 'step', ...ctx, step: kind, apiAction, status, message, error });
    };
    const P = line.protocol.toUpperCase();
    const target = `${P} ${line.frontPort} → ${line.backendPort}`;

    if (ev.action === 'create' && ev.listener) {
      const spec: ListenerSpec = { ...ev.listener };
      if (spec.protocol === 'https') {
        const cert = await options.certificateFor?.(line);
        if (!cert) {
          finish({
            ...r,
            action: ev.action,
            outcome: 'blocked',
            blockedCode: 'CERTIFICATE_REQUIRED',
            message: t("The HTTPS listener on front port {0} of SLB '{1}' needs a server certificate, and none was chosen: nothing was created. Choose one (certificateId / --certificate-id) and run Provision again.", line.frontPort, who(line)),
          });
          continue;
        }
        spec.serverCertificateId = cert;
      }
      const apiAction = CREATE_ACTION[spec.protocol];
      emit({ type: 'step', ...ctx, step: 'create', apiAction, status: 'started', message: t("Creating the {0} listener on SLB '{1}'…", target, who(line)) });
      let created = false;
      try {
        await callCreate(client, slbId, spec, options.signal);
        created = true;
        listeners.push({ protocol: spec.protocol, port: spec.frontPort, backendPort: spec.backendPort, status: 'stopped', description: spec.description });
        step('create', apiAction, 'ok', t("Created the {0} listener on SLB '{1}'.", target, who(line)));
      } catch (e) {
        const error = errorInfo(e);
        if (certainlyNotDone(e) && error.code !== 'ListenerAlreadyExists') {
          step('create', apiAction, 'failed', t("Could not create the {0} listener on SLB '{1}': {2}", target, who(line), error.message), error);
          finish({ ...r, action: ev.action, outcome: 'failed', message: t("Nothing was created for this label: {0}", error.message) });
          continue;
        }
        // The call may have happened (5xx, timeout) or someone else created it: look at the live
        // state before saying anything. After a timeout or 5xx the API may still be working on
        // it, so an absent listener is looked for again a few times (bounded) before reporting.
        step('create', apiAction, 'failed', t("Could not create the {0} listener on SLB '{1}': {2}", target, who(line), error.message), error);
        const uncertain = error.code !== 'ListenerAlreadyExists';
        const delays = uncertain ? options.verifyDelaysMs ?? VERIFY_DELAYS_MS : [0];
        const started = Date.now();
        let again: { listeners?: ExistingListener[]; error?: string } | undefined;
        let found: ExistingListener | undefined;
        for (const delay of delays) {
          if (delay > 0) await sleepUnlessAborted(delay, options.signal);
          if (options.signal?.aborted) break;
          again = (await readListeners(client, [slbId], options.signal)).get(slbId);
          found = again?.listeners?.find((l) => l.port === spec.frontPort && l.protocol === spec.protocol)
            ?? again?.listeners?.find((l) => l.port === spec.frontPort && sameTransport(l.protocol, spec.protocol));
          if (found) break;
        }
        const waited = Math.round((Date.now() - started) / 1000);
        if (!again?.listeners) {
          step('verify', 'DescribeLoadBalancerListeners', 'failed', t('Could not check whether the listener was created: {0}', again?.error ?? '-'));
          finish({ ...r, action: ev.action, outcome: 'failed', message: t('It is not known whether the {0} listener was created: run Provision again, the plan shows what exists.', target) });
          continue;
        }
        if (!found) {
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the listener does not exist ({0} s after the failed create).', waited));
          finish({
            ...r, action: ev.action, outcome: 'failed',
            message: uncertain
              ? t('The create of the {0} listener failed ({1}), and it did not exist when checked {2} s later; the API may still be creating it. Run plan again in a minute: it shows what exists.', target, error.message, waited)
              : t('Nothing was created for this label: {0}', error.message),
          });
          continue;
        }
        if (found.protocol !== spec.protocol || (found.backendPort !== undefined && found.backendPort !== spec.backendPort)) {
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('A {0} listener exists now, but not the one this label needs.', existingText(found)));
          listeners.push(found);
          finish({ ...r, action: ev.action, outcome: 'failed', message: t('The {0} listener was not created for this label: the front port is now taken by {1}.', target, existingText(found)) });
          continue;
        }
        created = uncertain;
        step('verify', 'DescribeLoadBalancerListeners', 'ok', created
          ? t('Checked: the create failed ({0}), but the {1} listener exists now ({2}).', error.message, target, found.status ?? '-')
          : t('Checked: the {0} listener exists ({1}).', target, found.status ?? '-'));
        listeners.push(found);
        if (found.status === 'running' || found.status === 'starting') {
          finish({ ...r, action: ev.action, outcome: created ? 'created' : 'unchanged', created, ok: true, message: t("The {0} listener on SLB '{1}' exists and is {2}.", target, who(line), found.status) });
          continue;
        }
      }
      r.created = created;
    }

    // Start (a created listener, or an existing stopped one).
    if (options.signal?.aborted) {
      finish({
        ...r,
        action: ev.action,
        outcome: 'cancelled',
        message: r.created ? t('Cancelled: the {0} listener was created but not started. Run Provision again to start it.', target) : t('Cancelled before this label was provisioned: nothing was changed for it.'),
      });
      continue;
    }
    emit({ type: 'step', ...ctx, step: 'start', apiAction: 'StartLoadBalancerListener', status: 'started', message: t("Starting the {0} listener on SLB '{1}'…", target, who(line)) });
    try {
      await client.startLoadBalancerListener({ LoadBalancerId: slbId, ListenerPort: line.frontPort, ListenerProtocol: line.protocol as never }, { signal: options.signal });
      step('start', 'StartLoadBalancerListener', 'ok', t("Started the {0} listener on SLB '{1}'.", target, who(line)));
      const l = listeners.find((x) => x.port === line.frontPort && x.protocol === line.protocol);
      if (l) l.status = 'running';
      finish({
        ...r,
        action: ev.action,
        outcome: r.created ? 'created' : 'started',
        started: true,
        ok: true,
        message: r.created ? t("Created and started the {0} listener on SLB '{1}'.", target, who(line)) : t("Started the existing {0} listener on SLB '{1}'.", target, who(line)),
      });
    } catch (e) {
      const error = errorInfo(e);
      step('start', 'StartLoadBalancerListener', 'failed', t("Could not start the {0} listener on SLB '{1}': {2}", target, who(line), error.message), error);
      if (!certainlyNotDone(e)) {
        // A Start that timed out or got a 5xx may have happened: look before reporting.
        const status = await liveStatus(client, slbId, line.frontPort, line.protocol, options);
        if (status === 'running' || status === 'starting') {
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the start failed ({0}), but the {1} listener is {2} now.', error.message, target, status));
          const l = listeners.find((x) => x.port === line.frontPort && x.protocol === line.protocol);
          if (l) l.status = status;
          finish({
            ...r, action: ev.action, outcome: r.created ? 'created' : 'started', started: true, ok: true,
            message: r.created ? t("Created and started the {0} listener on SLB '{1}'.", target, who(line)) : t("Started the existing {0} listener on SLB '{1}'.", target, who(line)),
          });
          continue;
        }
        if (status) step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the {0} listener is {1}.', target, status));
      }
      finish({
        ...r,
        action: ev.action,
        outcome: 'failed',
        message: r.created
          ? t('The {0} listener was created but could not be started ({1}). Run Provision again: it will start it.', target, error.message)
          : t('The {0} listener exists but could not be started ({1}). Run Provision again to retry.', target, error.message),
      });
    }
  }
}
