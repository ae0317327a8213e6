// Doing on a Service's CLB what the cloud-controller-manager would do (reference §4.3–4.4), as a
// plan -> confirm -> apply like the compose labels: per Service port one vServer group named the
// CCM's way with the ECS backends the user names (--backend), and, when the CCM may manage the
// CLB's listeners (force-override-listeners: "true"), a listener bound to that group (created, or an
// existing one of the same port and protocol taken over), then started. Without the override no
// listener is touched. Listeners of another protocol on the port are a conflict, never changed.
//
// The plan is the compose `Plan` (one line per Service port, `ccm` holds the CCM details), so the
// renderers, the confirmation texts, the outcome notification and the exit codes are the compose
// ones; applying reuses the per-CLB lock (in-process + lock file), re-reads the live state inside
// the lock before acting, and re-reads after an uncertain call before saying what exists.
// Transport-free: no vscode, no LSP.
import type { SlbClient } from '../cloud/slbClient';
import { isSlbApiError } from '../cloud/slbErrors';
import { t } from '../i18n';
import { applyPerSlb, certainlyNotDone, createRequest, errorInfo, sleepUnlessAborted, VERIFY_DELAYS_MS } from '../provision/apply';
import { listenerSpecFor, readListeners, type ProvisionClient } from '../provision/plan';
import type { FileLockOptions } from '../provision/slbLock';
import type { ApplyResult, BlockedCode, CcmLineDetail, ExistingListener, LineResult, ListenerProtocol, Plan, PlanAction, PlanLine, ProvisionEvent, StepKind, StepResult } from '../provision/types';
import { listenerDescription, vServerGroupName } from './ccmPlan';
import { clbView, type ClbView } from './clbView';
import type { K8sManifest } from './model';
import { CLUSTER_TAGS } from './onlineRules';
import { isClbId } from './rules';

/** An ECS node the user names: in every vServer group at its backend port, or only at `port`. */
export interface BackendSpec {
  serverId: string;
  port?: number;
}

export type CcmApplyClient = ProvisionClient &
  Pick<SlbClient, 'describeLoadBalancerAttribute' | 'describeVServerGroups' | 'describeVServerGroupAttribute' | 'createVServerGroup' | 'addVServerGroupBackendServers' | 'setListenerAttribute'>;

export interface CcmPlanInput {
  /** The cluster ID the CCM names groups and listeners with: required to apply (no placeholder goes to the cloud). */
  clusterId?: string;
  /** The ECS nodes that back the groups (the CCM takes every Ready node; outside the cluster the user says which). */
  backends: BackendSpec[];
  /** Only the Service (or the Service port) whose text contains this offset. */
  offset?: number;
  signal?: AbortSignal;
  now?: () => number;
}

const ECS_ID = /^i-[A-Za-z0-9]{6,40}$/;
const CLUSTER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const BATCH = 20;

/** `i-xxx` or `i-xxx:30080`, repeatable; a clear message for anything else. */
export function parseBackendSpecs(values: readonly string[]): { specs: BackendSpec[] } | { error: string } {
  const specs: BackendSpec[] = [];
  for (const raw of values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)) {
    const [id, portText, extra] = raw.split(':');
    const port = portText === undefined ? undefined : Number(portText);
    if (!ECS_ID.test(id) || extra !== undefined || (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))) {
      return { error: t("'{0}' is not a backend: write an ECS instance ID (i-…) of a cluster node, optionally with the node port as i-…:30080.", raw) };
    }
    if (!specs.some((s) => s.serverId === id && s.port === port)) specs.push({ serverId: id, port });
  }
  return { specs };
}

// -- live state of one CLB -------------------------------------------------------------------------

interface LiveGroup {
  id: string;
  name: string;
  backends: Array<{ serverId: string; port: number }>;
}

interface LiveClb {
  listeners: ExistingListener[];
  groups: LiveGroup[];
}

async function readGroups(client: CcmApplyClient, clbId: string, names: ReadonlySet<string>, signal?: AbortSignal): Promise<LiveGroup[]> {
  const list = (await client.describeVServerGroups({ LoadBalancerId: clbId }, { signal })).VServerGroups.VServerGroup;
  const out: LiveGroup[] = [];
  // Backends are read only for the groups this plan is about (one call each).
  for (const g of list) {
    if (!names.has(g.VServerGroupName)) {
      out.push({ id: g.VServerGroupId, name: g.VServerGroupName, backends: [] });
      continue;
    }
    const attr = await client.describeVServerGroupAttribute({ VServerGroupId: g.VServerGroupId }, { signal });
    out.push({ id: g.VServerGroupId, name: g.VServerGroupName, backends: attr.BackendServers.BackendServer.map((b) => ({ serverId: b.ServerId, port: Number(b.Port) })) });
  }
  return out;
}

async function readClb(client: CcmApplyClient, clbId: string, names: ReadonlySet<string>, signal?: AbortSignal): Promise<LiveClb> {
  const listeners = (await readListeners(client, [clbId], signal)).get(clbId);
  if (!listeners?.listeners) throw new Error(listeners?.error ?? '-');
  return { listeners: listeners.listeners, groups: await readGroups(client, clbId, names, signal) };
}

// -- evaluation (pure; at plan time and again inside the lock) -------------------------------------

const sameTransport = (a: string, b: string) => (a === 'udp') === (b === 'udp');
const key = (b: { serverId: string; port: number }) => `${b.serverId}:${b.port}`;

export interface PortEvaluation {
  action: PlanAction;
  reason: string;
  blockedCode?: BlockedCode;
  existing?: ExistingListener;
  groupId?: string;
  missingBackends: Array<{ serverId: string; port: number }>;
  listenerAction: CcmLineDetail['listenerAction'];
}

/** What one Service port needs on the CLB now, given its live listeners and vServer groups. */
export function evaluatePort(line: Pick<PlanLine, 'protocol' | 'frontPort' | 'slb'> & { ccm: CcmLineDetail }, live: LiveClb): PortEvaluation {
  const c = line.ccm;
  const protocol = line.protocol ?? 'tcp';
  const port = line.frontPort ?? 0;
  const group = live.groups.find((g) => g.name === c.groupName);
  const have = new Set((group?.backends ?? []).map(key));
  const missingBackends = c.backends.filter((b) => !have.has(key(b)));
  const groupWork = !group
    ? t('create vServer group {0} with {1} backend(s)', c.groupName, c.backends.length)
    : missingBackends.length > 0
      ? t('add {0} backend(s) to vServer group {1} ({2})', missingBackends.length, c.groupName, group.id)
      : '';
  const base = { groupId: group?.id, missingBackends };
  if (!group && c.backends.length === 0) {
    return { ...base, action: 'blocked', blockedCode: 'NO_BACKENDS', listenerAction: 'not-managed', reason: t('vServer group {0} does not exist and no backend was given: name the cluster nodes with --backend <ECS instance ID> (in the editor: the aliyunSlbLabels.kubernetes.backends setting).', c.groupName) };
  }
  if (group && group.backends.length === 0 && c.backends.length === 0) {
    return { ...base, action: 'blocked', blockedCode: 'NO_BACKENDS', listenerAction: 'not-managed', reason: t('vServer group {0} has no backend and none was given: traffic would have nowhere to go. Name the cluster nodes with --backend <ECS instance ID> (in the editor: the aliyunSlbLabels.kubernetes.backends setting).', c.groupName) };
  }
  const onPort = live.listeners.filter((l) => l.port === port && sameTransport(l.protocol, protocol));
  const same = onPort.find((l) => l.protocol === protocol);
  const other = onPort.find((l) => l.protocol !== protocol);
  if (!c.forceOverride) {
    const left = same
      ? t('the existing {0} listener on port {1} is left as it is (no force-override-listeners: "true")', protocol, port)
      : t('no listener is created on port {0} (no force-override-listeners: "true"): create it by hand, or set the annotation', port);
    if (!groupWork) return { ...base, action: 'unchanged', listenerAction: 'not-managed', existing: same, reason: t('vServer group {0} has its backends; {1}.', c.groupName, left) };
    return { ...base, action: 'create', listenerAction: 'not-managed', existing: same, reason: t('{0}; {1}.', capitalise(groupWork), left) };
  }
  if (other && !same) {
    return { ...base, action: 'conflict', listenerAction: 'create', existing: other, reason: t('CLB {0} has a {1} listener on port {2}: the {3} listener of this Service port cannot be created (port conflict). Nothing is changed: use another port, or remove that listener.', line.slb, other.protocol, port, protocol) };
  }
  const mine = same && same.description === c.listenerDescription && !!group && same.vServerGroupId === group.id;
  // A listener another Service (or cluster) manages, by the CCM's description: taking it over would
  // steal that Service's traffic (R12). Never touched.
  const owner = same && same.description !== c.listenerDescription ? /^k8s\/\d+\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(same.description ?? '') : null;
  if (same && owner && !(owner[1] === c.serviceName && owner[2] === c.namespace && `k8s/${port}/${owner[1]}/${owner[2]}/${owner[3]}` === c.listenerDescription)) {
    return { ...base, action: 'conflict', listenerAction: 'keep', existing: same, reason: t('The {0} listener on port {1} belongs to Service {2} of cluster {3} ("{4}"): it is not taken over. Nothing is changed: use another port.', protocol, port, `${owner[2]}/${owner[1]}`, owner[3], same.description ?? '') };
  }
  if (!same && protocol === 'https' && !c.certificateId) {
    return { ...base, action: 'blocked', blockedCode: 'CERTIFICATE_REQUIRED', listenerAction: 'create', reason: t('An https listener needs a server certificate: set the cert-id annotation (the CCM sends it as ServerCertificateId).') };
  }
  const parts = groupWork ? [groupWork] : [];
  if (!same) {
    parts.push(t('create the {0} listener on port {1} ({2}, scheduler {3}) forwarding to that group, then start it', protocol, port, c.listenerDescription, c.scheduler));
    return { ...base, action: 'create', listenerAction: 'create', reason: capitalise(parts.join('; ')) + '.' };
  }
  if (!mine) {
    parts.push(t('take over the {0} listener on port {1} ("{2}"): its description and vServer group are rewritten and its current backends stop receiving traffic', protocol, port, same.description ?? ''));
    if (same.status !== 'running') parts.push(t('then start it'));
    return { ...base, action: 'create', listenerAction: 'take-over', existing: same, reason: capitalise(parts.join('; ')) + '.' };
  }
  if (groupWork) return { ...base, action: 'create', listenerAction: 'keep', existing: same, reason: capitalise(groupWork) + '.' };
  if (same.status === 'running' || same.status === 'starting') {
    return { ...base, action: 'unchanged', listenerAction: 'keep', existing: same, reason: t('The {0} listener on port {1} is this Service port\'s, forwards to vServer group {2} with its backends, and is {3}.', protocol, port, c.groupName, same.status) };
  }
  if (same.status === 'stopped' || !same.status) {
    return { ...base, action: 'start', listenerAction: 'keep', existing: same, reason: t('The {0} listener on port {1} is this Service port\'s but stopped: it will be started.', protocol, port) };
  }
  return { ...base, action: 'blocked', blockedCode: 'LISTENER_BUSY', listenerAction: 'keep', existing: same, reason: t('The {0} listener on port {1} is {2}: try again in a moment.', protocol, port, same.status) };
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

// -- planning --------------------------------------------------------------------------------------

function emptySummary(): Record<PlanAction, number> {
  return { create: 0, unchanged: 0, start: 0, conflict: 0, blocked: 0 };
}

function annotationOnOff(view: ClbView, suffix: string): 'on' | 'off' | undefined {
  const v = view.bySuffix.get(suffix)?.value;
  return v === 'on' || v === 'off' ? v : undefined;
}

/**
 * The plan for the LoadBalancer Services of a manifest (one line per Service port), read from the
 * live CLBs. Never throws for API errors: a CLB that cannot be read blocks its lines (LOOKUP_FAILED).
 */
export async function planServicePorts(manifest: K8sManifest, client: CcmApplyClient, input: CcmPlanInput): Promise<Plan> {
  const lines: PlanLine[] = [];
  const clusterId = input.clusterId?.trim();
  const liveByClb = new Map<string, Promise<LiveClb | { error: string; notFound?: boolean; clusterTag?: string; locked?: boolean }>>();
  for (const service of manifest.services) {
    const view = clbView(service);
    if (!view.isLoadBalancer || view.otherController) continue;
    if (input.offset !== undefined && (input.offset < service.span.start || input.offset > service.span.end)) continue;
    const ns = service.namespace ?? 'default';
    const svc = `${ns}/${service.name}`;
    const onePort = input.offset !== undefined ? view.listeners.find((l) => input.offset! >= l.servicePort.span.start && input.offset! <= l.servicePort.span.end) : undefined;
    const id = view.reusedId?.value?.trim() ?? '';
    for (const l of onePort ? [onePort] : view.listeners) {
      const eni = view.bySuffix.get('')?.value === 'eni';
      const backendPort = eni ? undefined : l.servicePort.nodePort?.value;
      const line: PlanLine = {
        id: `${svc}|${l.port}|${l.protocol}`,
        label: l.servicePort.name ? t('port {0}', l.servicePort.name.value) : t('port {0}', l.port),
        service: svc,
        slb: id,
        slbId: isClbId(id) ? id : undefined,
        regionId: client.regionId,
        frontPort: l.port,
        protocol: l.protocol,
        backendPort,
        action: 'blocked',
        reason: '',
        keySpan: l.servicePort.span,
      };
      const blocked = (code: BlockedCode, reason: string) => lines.push({ ...line, slbId: undefined, action: 'blocked', blockedCode: code, reason });
      if (!id) {
        blocked('SLB_NOT_FOUND', t('No id annotation: the CCM creates a new CLB for this Service inside the cluster; this tool only sets up a CLB you reuse. Write the CLB ID in the id annotation.'));
        continue;
      }
      if (!isClbId(id)) {
        blocked('LABEL_INVALID', t("'{0}' is not a CLB ID: the CCM finds nothing and the Service stays pending. Write the ID (lb-…).", id));
        continue;
      }
      if (!clusterId || !CLUSTER_ID.test(clusterId)) {
        blocked('CLUSTER_ID_MISSING', clusterId
          ? t("'{0}' is not a cluster ID (letters, digits and -).", clusterId)
          : t('The cluster ID is not known: the CCM names vServer groups and listeners with it. Pass --cluster-id (in the editor: the aliyunSlbLabels.kubernetes.clusterId setting).'));
        continue;
      }
      if (eni) {
        blocked('ENI_BACKENDS', t('backend-type eni: the backends are pod ENIs, known only inside the cluster. Provisioning sets up ECS node backends only.'));
        continue;
      }
      if (backendPort === undefined) {
        blocked('NODE_PORT_UNKNOWN', t('The NodePort of port {0} is not in the manifest: the vServer group is named after it and the backends listen on it. Write spec.ports[].nodePort (kubectl get svc {1} shows it).', l.port, service.name));
        continue;
      }
      const explicit = input.backends.filter((b) => b.port !== undefined);
      const backends = [
        ...input.backends.filter((b) => b.port === undefined).map((b) => ({ serverId: b.serverId, port: backendPort })),
        ...explicit.filter((b) => b.port === backendPort).map((b) => ({ serverId: b.serverId, port: b.port! })),
      ].filter((b, i, all) => all.findIndex((x) => key(x) === key(b)) === i);
      const groupName = vServerGroupName(view, l.port, clusterId);
      const ccm: CcmLineDetail = {
        namespace: ns,
        serviceName: service.name,
        groupName,
        backends,
        missingBackends: backends,
        listenerDescription: listenerDescription(view, l.port, clusterId),
        listenerAction: view.forceOverride ? 'create' : 'not-managed',
        forceOverride: view.forceOverride,
        scheduler: ['rr', 'wrr', 'wlc'].includes(view.bySuffix.get('scheduler')?.value ?? '') ? view.bySuffix.get('scheduler')!.value! : 'rr',
        certificateId: view.bySuffix.get('cert-id')?.value?.trim() || undefined,
        healthCheck: annotationOnOff(view, l.protocol === 'http' || l.protocol === 'https' ? 'health-check-flag' : 'health-check-switch'),
      };
      let live = liveByClb.get(id);
      if (!live) {
        const names = new Set<string>();
        for (const s of manifest.services) {
          const v = clbView(s);
          if (v.reusedId?.value?.trim() === id) for (const x of v.listeners) names.add(vServerGroupName(v, x.port, clusterId));
        }
        live = readClbForPlan(client, id, names, input.signal);
        liveByClb.set(id, live);
      }
      const state = await live;
      if ('error' in state) {
        const code: BlockedCode = state.notFound ? 'SLB_NOT_FOUND' : state.clusterTag ? 'CLB_NOT_REUSABLE' : state.locked ? 'SLB_LOCKED' : 'LOOKUP_FAILED';
        blocked(code, state.error);
        continue;
      }
      const ev = evaluatePort({ ...line, ccm }, state);
      lines.push({ ...line, action: ev.action, reason: ev.reason, blockedCode: ev.blockedCode, existing: ev.existing, ccm: { ...ccm, groupId: ev.groupId, missingBackends: ev.missingBackends, listenerAction: ev.listenerAction } });
      // What this plan creates is seen by the next lines (two Services on one CLB port: the second is a conflict, R12).
      if (ev.action === 'create' && ev.listenerAction === 'create') state.listeners.push({ protocol: l.protocol, port: l.port, status: 'running', description: ccm.listenerDescription });
    }
  }
  const summary = emptySummary();
  for (const l of lines) summary[l.action]++;
  return { region: client.regionId, readAt: (input.now ?? Date.now)(), lines, summary };
}

async function readClbForPlan(client: CcmApplyClient, id: string, names: ReadonlySet<string>, signal?: AbortSignal): Promise<LiveClb | { error: string; notFound?: boolean; clusterTag?: string; locked?: boolean }> {
  try {
    const attribute = await client.describeLoadBalancerAttribute({ LoadBalancerId: id }, { signal });
    const tags = attribute.Tags?.Tag ?? [];
    const clusterTag = CLUSTER_TAGS.find((k) => tags.some((tag) => tag.TagKey === k));
    if (clusterTag) return { error: t('CLB {0} was created by a cluster (tag {1}): the CCM refuses to reuse it. Use a CLB made in the console.', id, clusterTag), clusterTag };
    if (attribute.LoadBalancerStatus === 'locked') return { error: t("SLB '{0}' is locked (overdue or expired): its listeners cannot be changed. Renew it, or use another SLB.", id), locked: true };
    return await readClb(client, id, names, signal);
  } catch (e) {
    if (isSlbApiError(e) && /NotExist|NotFound|InvalidLoadBalancerId/i.test(e.code)) return { error: t('CLB {0} does not exist in region {1}: the CCM cannot find it. Check the ID and the region.', id, client.regionId), notFound: true };
    return { error: t("SLB '{0}' could not be looked up: {1}", id, isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e)) };
  }
}

// -- applying --------------------------------------------------------------------------------------

export interface CcmApplyOptions {
  onStep?: (event: ProvisionEvent) => void;
  signal?: AbortSignal;
  /** Re-reads after an uncertain call (default 0, 1 s, 2 s). */
  verifyDelaysMs?: number[];
  fileLock?: Omit<FileLockOptions, 'signal'>;
}

/**
 * Apply a Service-port plan. Lines are grouped per CLB; each group runs under that CLB's lock
 * (the same lock as the compose provisioning) and re-reads the CLB's listeners and vServer groups
 * first: a second run does nothing, a run after a half-way failure only what is missing. Never
 * throws for API errors: they end up in the line's steps, and the message says what exists.
 */
export async function applyCcmPlan(plan: Plan, client: CcmApplyClient, options: CcmApplyOptions = {}): Promise<ApplyResult> {
  // Lines without `ccm` (none in a Service-port plan) would have nothing to apply: settled as they are.
  const ccmPlan = { ...plan, lines: plan.lines.map((l) => (l.ccm ? l : { ...l, slbId: undefined })) };
  return applyPerSlb(ccmPlan, client, options, t('Cancelled before this Service port was provisioned: nothing was changed for it.'), (clbId, lines, ctx) =>
    applyClb(clbId, lines, client, options, ctx.emit, ctx.base, ctx.finish),
  );
}

class StepFailed extends Error {}

async function applyClb(
  clbId: string,
  lines: PlanLine[],
  client: CcmApplyClient,
  options: CcmApplyOptions,
  emit: (e: ProvisionEvent) => void,
  base: (line: PlanLine) => LineResult,
  finish: (r: LineResult) => void,
): Promise<void> {
  const names = new Set(lines.map((l) => l.ccm!.groupName));
  let live: LiveClb;
  try {
    live = await readClb(client, clbId, names, options.signal);
  } catch (e) {
    const message = isSlbApiError(e) || e instanceof Error ? e.message : String(e);
    for (const line of lines) finish({ ...base(line), outcome: 'failed', message: t("The listeners of SLB '{0}' could not be read: {1}", clbId, message) + ' ' + t('Nothing was changed.') });
    return;
  }
  const delays = options.verifyDelaysMs ?? VERIFY_DELAYS_MS;

  for (const line of lines) {
    const c = line.ccm!;
    const r = base(line);
    if (options.signal?.aborted) {
      finish({ ...r, outcome: 'cancelled', message: t('Cancelled before this Service port was provisioned: nothing was changed for it.') });
      continue;
    }
    const ev = evaluatePort({ ...line, ccm: c }, live);
    const ctx = { lineId: line.id, label: line.label, service: line.service, slbId: clbId, frontPort: line.frontPort, protocol: line.protocol };
    if (ev.action !== line.action) emit({ type: 'line', ...ctx, action: ev.action, message: t('The live state changed since the plan: {0}', ev.reason) });
    if (ev.action === 'unchanged') {
      finish({ ...r, action: ev.action, outcome: 'unchanged', ok: true, message: ev.reason });
      continue;
    }
    if (ev.action === 'conflict' || ev.action === 'blocked') {
      finish({ ...r, action: ev.action, outcome: ev.action, blockedCode: ev.blockedCode, message: ev.reason });
      continue;
    }
    const done: string[] = [];
    const step = (kind: StepKind, apiAction: string | undefined, status: StepResult['status'], message: string, error?: StepResult['error']) => {
      r.steps.push({ step: kind, apiAction, status, message, error });
      emit({ type: 'step', ...ctx, step: kind, apiAction, status, message, error });
    };
    const begin = (kind: StepKind, apiAction: string, message: string) => emit({ type: 'step', ...ctx, step: kind, apiAction, status: 'started', message });
    /** After a call that may or may not have happened: re-read (bounded) until `check` says it did. */
    const verify = async <T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<{ value?: T; ok: boolean; error?: string }> => {
      let last: { value?: T; ok: boolean; error?: string } = { ok: false };
      for (const delay of delays) {
        if (delay > 0) await sleepUnlessAborted(delay, options.signal);
        if (options.signal?.aborted) break;
        try {
          const value = await read();
          last = { value, ok: check(value) };
          if (last.ok) break;
        } catch (e) {
          last = { ok: false, error: isSlbApiError(e) || e instanceof Error ? e.message : String(e) };
        }
      }
      return last;
    };
    const failWith = (what: string, error: string) => {
      const exists = done.length ? t('Done before the failure: {0}.', done.join('; ')) : t('Nothing was changed for this Service port.');
      finish({ ...r, action: ev.action, outcome: 'failed', message: `${what}: ${error}. ${exists} ${t('Run provision again: it does only what is missing.')}` });
    };
    const target = `${line.protocol} ${line.frontPort} → ${c.groupName}`;

    try {
      // 1. the vServer group
      let groupId = ev.groupId;
      if (!groupId) {
        begin('vserver-group', 'CreateVServerGroup', t('Creating vServer group {0} on CLB {1}…', c.groupName, clbId));
        try {
          groupId = (await client.createVServerGroup({ LoadBalancerId: clbId, VServerGroupName: c.groupName }, { signal: options.signal })).VServerGroupId;
          step('vserver-group', 'CreateVServerGroup', 'ok', t('Created vServer group {0} ({1}).', c.groupName, groupId));
        } catch (e) {
          const error = errorInfo(e);
          step('vserver-group', 'CreateVServerGroup', 'failed', t('Could not create vServer group {0}: {1}', c.groupName, error.message), error);
          if (certainlyNotDone(e)) throw new StepFailed(t('Could not create vServer group {0}', c.groupName) + `\u0000${error.message}`);
          const seen = await verify(() => client.describeVServerGroups({ LoadBalancerId: clbId }, { signal: options.signal }), (v) => v.VServerGroups.VServerGroup.some((g) => g.VServerGroupName === c.groupName));
          const found = seen.value?.VServerGroups.VServerGroup.find((g) => g.VServerGroupName === c.groupName);
          if (!found) throw new StepFailed(t('It is not known whether vServer group {0} was created', c.groupName) + `\u0000${error.message}`);
          groupId = found.VServerGroupId;
          step('verify', 'DescribeVServerGroups', 'ok', t('Checked: the create failed ({0}), but vServer group {1} exists now ({2}).', error.message, c.groupName, groupId));
        }
        live.groups.push({ id: groupId, name: c.groupName, backends: [] });
        r.created = true;
        done.push(t('vServer group {0} ({1}) created', c.groupName, groupId));
      }
      const group = live.groups.find((g) => g.id === groupId)!;

      // 2. its backends, in batches of 20 (the API's limit)
      const have = new Set(group.backends.map(key));
      const missing = c.backends.filter((b) => !have.has(key(b)));
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const body = JSON.stringify(batch.map((b) => ({ ServerId: b.serverId, Port: b.port, Weight: 100, Type: 'ecs', Description: c.groupName })));
        begin('backends', 'AddVServerGroupBackendServers', t('Adding {0} backend(s) to vServer group {1}…', batch.length, c.groupName));
        try {
          await client.addVServerGroupBackendServers({ VServerGroupId: groupId, BackendServers: body }, { signal: options.signal });
          step('backends', 'AddVServerGroupBackendServers', 'ok', t('Added {0} to vServer group {1}.', batch.map(key).join(', '), c.groupName));
        } catch (e) {
          const error = errorInfo(e);
          step('backends', 'AddVServerGroupBackendServers', 'failed', t('Could not add backends to vServer group {0}: {1}', c.groupName, error.message), error);
          // Some may be there already (a run before, or the call did happen): look before judging.
          const seen = await verify(() => client.describeVServerGroupAttribute({ VServerGroupId: groupId! }, { signal: options.signal }), (v) => batch.every((b) => v.BackendServers.BackendServer.some((x) => x.ServerId === b.serverId && Number(x.Port) === b.port)));
          if (!seen.ok) throw new StepFailed(t('Could not add the backends to vServer group {0}', c.groupName) + `\u0000${error.message}`);
          step('verify', 'DescribeVServerGroupAttribute', 'ok', t('Checked: the backends are in vServer group {0} now.', c.groupName));
        }
        group.backends.push(...batch);
        r.created = true;
        done.push(t('{0} backend(s) added', batch.length));
      }

      // 3. the listener (only with force-override-listeners: "true")
      const protocol = (line.protocol ?? 'tcp') as ListenerProtocol;
      const port = line.frontPort!;
      let status = ev.existing?.status;
      if (ev.listenerAction === 'create') {
        const action = `CreateLoadBalancer${protocol.toUpperCase()}Listener`;
        begin('create', action, t("Creating the {0} listener on SLB '{1}'…", target, clbId));
        try {
          await createListener(client, clbId, protocol, port, groupId, c, options.signal);
          step('create', action, 'ok', t("Created the {0} listener on SLB '{1}'.", target, clbId));
        } catch (e) {
          const error = errorInfo(e);
          step('create', action, 'failed', t("Could not create the {0} listener on SLB '{1}': {2}", target, clbId, error.message), error);
          if (certainlyNotDone(e) && error.code !== 'ListenerAlreadyExists') throw new StepFailed(t('Could not create the {0} listener', target) + `\u0000${error.message}`);
          const seen = await verify(() => readListenersOf(client, clbId, options.signal), (ls) => ls.some((l) => l.port === port && l.protocol === protocol && l.vServerGroupId === groupId));
          if (!seen.ok) throw new StepFailed(t('It is not known whether the {0} listener was created', target) + `\u0000${error.message}`);
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the {0} listener exists now.', target));
        }
        status = 'stopped';
        live.listeners.push({ protocol, port, status, vServerGroupId: groupId, description: c.listenerDescription });
        r.created = true;
        done.push(t('the {0} listener created', target));
      } else if (ev.listenerAction === 'take-over') {
        const action = `SetLoadBalancer${protocol.toUpperCase()}ListenerAttribute`;
        begin('take-over', action, t('Taking over the {0} listener on port {1}…', protocol, port));
        try {
          await client.setListenerAttribute(protocol, { LoadBalancerId: clbId, ListenerPort: port, Description: c.listenerDescription, VServerGroup: 'on', VServerGroupId: groupId }, { signal: options.signal });
          step('take-over', action, 'ok', t('The {0} listener on port {1} now forwards to vServer group {2}.', protocol, port, c.groupName));
        } catch (e) {
          const error = errorInfo(e);
          step('take-over', action, 'failed', t('Could not take over the {0} listener on port {1}: {2}', protocol, port, error.message), error);
          if (certainlyNotDone(e)) throw new StepFailed(t('Could not take over the {0} listener on port {1}', protocol, port) + `\u0000${error.message}`);
          const seen = await verify(() => readListenersOf(client, clbId, options.signal), (ls) => ls.some((l) => l.port === port && l.protocol === protocol && l.vServerGroupId === groupId));
          if (!seen.ok) throw new StepFailed(t('It is not known whether the {0} listener on port {1} was taken over', protocol, port) + `\u0000${error.message}`);
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the {0} listener on port {1} forwards to vServer group {2} now.', protocol, port, c.groupName));
        }
        const l = live.listeners.find((x) => x.port === port && x.protocol === protocol);
        if (l) Object.assign(l, { vServerGroupId: groupId, description: c.listenerDescription });
        r.created = true;
        done.push(t('the {0} listener on port {1} taken over', protocol, port));
      }

      // 4. start it
      if (ev.listenerAction !== 'not-managed' && status !== 'running' && status !== 'starting') {
        begin('start', 'StartLoadBalancerListener', t("Starting the {0} listener on SLB '{1}'…", target, clbId));
        try {
          await client.startLoadBalancerListener({ LoadBalancerId: clbId, ListenerPort: port, ListenerProtocol: protocol as never }, { signal: options.signal });
          step('start', 'StartLoadBalancerListener', 'ok', t("Started the {0} listener on SLB '{1}'.", target, clbId));
        } catch (e) {
          const error = errorInfo(e);
          step('start', 'StartLoadBalancerListener', 'failed', t("Could not start the {0} listener on SLB '{1}': {2}", target, clbId, error.message), error);
          if (certainlyNotDone(e)) throw new StepFailed(t('Could not start the {0} listener', target) + `\u0000${error.message}`);
          const seen = await verify(() => readListenersOf(client, clbId, options.signal), (ls) => ls.some((l) => l.port === port && l.protocol === protocol && (l.status === 'running' || l.status === 'starting')));
          if (!seen.ok) throw new StepFailed(t('It is not known whether the {0} listener was started', target) + `\u0000${error.message}`);
          step('verify', 'DescribeLoadBalancerListeners', 'ok', t('Checked: the {0} listener is running now.', target));
        }
        const l = live.listeners.find((x) => x.port === port && x.protocol === protocol);
        if (l) l.status = 'running';
        r.started = true;
      }
      const message = ev.listenerAction === 'not-managed'
        ? t('vServer group {0} has its backends; no listener was touched (no force-override-listeners: "true").', c.groupName)
        : t("The {0} listener on SLB '{1}' forwards to vServer group {2} and is running.", `${protocol}:${port}`, clbId, c.groupName);
      finish({ ...r, action: ev.action, outcome: ev.action === 'start' && !r.created ? 'started' : 'created', ok: true, message });
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      const [what, error] = e.message.split('\u0000');
      failWith(what, error ?? '');
    }
  }
}

async function readListenersOf(client: CcmApplyClient, clbId: string, signal?: AbortSignal): Promise<ExistingListener[]> {
  const live = (await readListeners(client, [clbId], signal)).get(clbId);
  if (!live?.listeners) throw new Error(live?.error ?? '-');
  return live.listeners;
}

/** Create<Protocol>Listener bound to the vServer group, with the CCM's description and scheduler. */
async function createListener(client: CcmApplyClient, clbId: string, protocol: ListenerProtocol, port: number, groupId: string, c: CcmLineDetail, signal?: AbortSignal): Promise<void> {
  const spec = listenerSpecFor(protocol, port, 1, c.serviceName);
  const request: Record<string, unknown> = { ...createRequest(clbId, { ...spec, serverCertificateId: c.certificateId }), VServerGroupId: groupId, Description: c.listenerDescription, Scheduler: c.scheduler };
  delete request.BackendServerPort;
  // As the CCM: http/https check only with health-check-flag: on; tcp/udp keep the API's default (on) unless health-check-switch says.
  if (protocol === 'http' || protocol === 'https') request.HealthCheck = c.healthCheck ?? 'off';
  else if (c.healthCheck) request.HealthCheckSwitch = c.healthCheck;
  const opts = { signal };
  switch (protocol) {
    case 'tcp':
      await client.createLoadBalancerTCPListener(request as never, opts);
      return;
    case 'udp':
      await client.createLoadBalancerUDPListener(request as never, opts);
      return;
    case 'http':
      await client.createLoadBalancerHTTPListener(request as never, opts);
      return;
    case 'https':
      await client.createLoadBalancerHTTPSListener(request as never, opts);
      return;
  }
}

