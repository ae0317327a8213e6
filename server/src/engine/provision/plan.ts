// The provisioning plan: for every lb binding of a compose file, what Provision would do to the
// SLB, read from the LIVE state of the account (DescribeLoadBalancers + DescribeLoadBalancerListeners
// at plan time, never the cached catalog alone). Nothing is changed here.
// Transport-free: no vscode, no LSP.
import type { Analysis } from '../analysis';
import type { LabelEntry } from '../compose/model';
import type { PlacedBinding } from '../rules/crossServiceRules';
import type { Finding } from '../rules/types';
import { isPortChainCode } from '../rules/registry';
import type { SlbClient } from '../cloud/slbClient';
import { pushAll } from '../arrays';
import { lineStartOf } from '../compose/labelsBlock';
import { isSlbApiError } from '../cloud/slbErrors';
import type { ListenerSummary, LoadBalancerSummary } from '../cloud/slbTypes';
import { hasVariable, isLbKey, looksLikeSlbId, portSpaceOf, regionOfOldStyleId } from '../labels/lbLabel';
import { t } from '../i18n';
import type { BlockedCode, CertificateInfo, ExistingListener, ListenerProtocol, ListenerSpec, Plan, PlanAction, PlanLine } from './types';

/** The SLB client calls provisioning uses (an SlbClient; tests may pass a wrapper). */
export type ProvisionClient = Pick<
  SlbClient,
  | 'regionId'
  | 'describeLoadBalancers'
  | 'describeAllLoadBalancers'
  | 'describeAllLoadBalancerListeners'
  | 'describeServerCertificates'
  | 'createLoadBalancerTCPListener'
  | 'createLoadBalancerUDPListener'
  | 'createLoadBalancerHTTPListener'
  | 'createLoadBalancerHTTPSListener'
  | 'startLoadBalancerListener'
> & { endpoint?: { host: string } };

/** A lb label that produced no usable binding (invalid or unresolved): planned as `blocked`. */
export interface UnboundLabel {
  kind: 'unbound';
  service: string;
  labelKey: string;
  value: string;
  code: BlockedCode;
  reason: string;
  keySpan: { start: number; end: number };
}

export type ProvisionTarget = PlacedBinding | UnboundLabel;

export function isUnbound(t: ProvisionTarget): t is UnboundLabel {
  return (t as UnboundLabel).kind === 'unbound';
}

export interface TargetSelection {
  /** Only these label keys (e.g. `aliyun.lb.port_6379`); `service/aliyun.lb.port_6379` narrows to one service. */
  labelKeys?: string[];
  /** Only the label whose line contains this absolute offset. */
  offset?: number;
  /** Only these services. */
  services?: string[];
}

/**
 * Every lb label of an analysed file as provisioning targets: its bindings, plus one `unbound`
 * entry for a label (or a part of a label) that yields no usable binding, with the reason taken
 * from the label's own error diagnostics.
 */
export function provisionTargets(analysis: Pick<Analysis, 'bindings' | 'units' | 'findings'>, text: string, selection: TargetSelection = {}): ProvisionTarget[] {
  const errors = analysis.findings.filter((f) => f.severity === 'error');
  const out: ProvisionTarget[] = [];
  const bindings = analysis.bindings;
  for (const unit of analysis.units) {
    for (const service of unit.parsed.services) {
      for (const label of service.labels) {
        if (!isLbKey(label.key) || label.inherited) continue;
        const keySpan = { start: unit.base + label.keySpan.start, end: unit.base + label.keySpan.end };
        const valueEnd = unit.base + Math.max(label.valueNodeSpan.end, label.valueSpan.end, label.keySpan.end);
        if (!selected(service.name, label, keySpan.start, valueEnd, text, selection)) continue;
        const mine = bindings.filter((b) => b.service === service.name && b.labelKey === label.key && b.base + b.keySpan.start === keySpan.start);
        pushAll(out, mine);
        const inLabel = errors.filter((f) => overlaps(f, keySpan.start, valueEnd));
        const outside = inLabel.filter((f) => !mine.some((b) => f.span.start < b.base + b.wholeSpan.end && f.span.end > b.base + b.wholeSpan.start) && !isPortChainCode(f.code));
        if (mine.length === 0 || outside.length > 0) {
          const value = label.value ?? '';
          const first = (mine.length === 0 ? inLabel : outside)[0];
          let code: BlockedCode;
          let reason: string;
          if (first) {
            code = isPortChainCode(first.code) ? 'NO_BACKEND_PORT' : 'LABEL_INVALID';
            reason = t('The label has an error: {0}', first.message);
          } else if (hasVariable(value) || hasVariable(label.key)) {
            code = 'LABEL_UNRESOLVED';
            reason = t("The label uses a variable without a value ('{0}'): set it in .env or the environment, then plan again.", value);
          } else {
            code = 'LABEL_INVALID';
            reason = t("The label '{0}' could not be read as 'scheme://slb:front_port'.", value);
          }
          out.push({ kind: 'unbound', service: service.name, labelKey: label.key, value, code, reason, keySpan });
        }
      }
    }
  }
  return out;
}

function overlaps(f: Finding, start: number, end: number): boolean {
  return f.span.start < end && f.span.end > start || (f.span.start === f.span.end && f.span.start >= start && f.span.start <= end);
}

function selected(service: string, label: LabelEntry, start: number, end: number, text: string, s: TargetSelection): boolean {
  if (s.services && s.services.length > 0 && !s.services.includes(service)) return false;
  if (s.labelKeys && s.labelKeys.length > 0 && !s.labelKeys.some((k) => k === label.key || k === `${service}/${label.key}`)) return false;
  if (s.offset !== undefined) {
    // The label's lines: from the start of the key's line to the end of the value's line.
    const lineStart = lineStartOf(text, start);
    const nl = text.indexOf('\n', end);
    const lineEnd = nl < 0 ? text.length : nl;
    if (s.offset < lineStart || s.offset > lineEnd) return false;
  }
  return true;
}

// -- defaults ----------------------------------------------------------------------------------

/** Listener defaults per protocol (facts sheet §6–7). */
export function listenerSpecFor(protocol: ListenerProtocol, frontPort: number, backendPort: number, service: string): ListenerSpec {
  const description = listenerDescription(service, protocol, frontPort);
  const common = { protocol, frontPort, backendPort, bandwidth: -1, scheduler: 'wrr', description };
  switch (protocol) {
    case 'tcp':
      return { ...common, healthCheck: { enabled: true, type: 'tcp', intervalSeconds: 2, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 } };
    case 'udp':
      return { ...common, healthCheck: { enabled: true, type: 'udp', intervalSeconds: 2, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 } };
    case 'http':
    case 'https':
      return {
        ...common,
        stickySession: 'off',
        healthCheck: { enabled: true, type: 'http', intervalSeconds: 2, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3, uri: '/', method: 'head', httpCodes: 'http_2xx,http_3xx' },
      };
  }
}

/** Listener Description (1–256 of letters, digits, - / . _): `slb-labels/<service>/<protocol>_<port>`. */
export function listenerDescription(service: string, protocol: string, port: number): string {
  const safe = service.replace(/[^A-Za-z0-9\-/._]/g, '_').slice(0, 200) || 'service';
  return `slb-labels/${safe}/${protocol}_${port}`;
}

export function describeSpec(spec: ListenerSpec): string {
  const hc = spec.healthCheck;
  const check =
    hc.type === 'http'
      ? t('HTTP health check {0} {1} every {2} s', (hc.method ?? 'head').toUpperCase(), hc.uri ?? '/', hc.intervalSeconds)
      : hc.type === 'udp'
        ? t('UDP health check every {0} s', hc.intervalSeconds)
        : t('TCP health check every {0} s', hc.intervalSeconds);
  const bw = spec.bandwidth === -1 ? t('bandwidth not limited') : t('bandwidth {0} Mbit/s', spec.bandwidth);
  return `${bw}, ${check}`;
}

// -- live state ----------------------------------------------------------------------------------

interface Resolution {
  matches: LoadBalancerSummary[];
  error?: string;
}

function toExisting(l: ListenerSummary): ExistingListener {
  const backend = Number(l.BackendServerPort);
  return {
    protocol: String(l.ListenerProtocol ?? '').toLowerCase(),
    port: Number(l.ListenerPort),
    backendPort: Number.isFinite(backend) && backend > 0 ? backend : undefined,
    status: l.Status,
    vServerGroupId: l.VServerGroupId || undefined,
    serverCertificateId: l.HTTPSListenerConfig?.ServerCertificateId || undefined,
    description: l.Description,
  };
}

function errorText(e: unknown): string {
  return isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e);
}

/** Resolve SLB refs (IDs and names) in the client's region, live. */
async function resolveRefs(client: ProvisionClient, refs: string[], signal?: AbortSignal): Promise<Map<string, Resolution>> {
  const out = new Map<string, Resolution>();
  const region = client.regionId;
  const ids = refs.filter((r) => looksLikeSlbId(r) || regionOfOldStyleId(r));
  const names = refs.filter((r) => !ids.includes(r));
  for (let i = 0; i < ids.length; i += 10) {
    const batch = ids.slice(i, i + 10);
    try {
      const lbs = await client.describeAllLoadBalancers({ RegionId: region, LoadBalancerId: batch.join(',') }, { signal });
      for (const id of batch) out.set(id, { matches: lbs.filter((lb) => lb.LoadBalancerId === id) });
    } catch (e) {
      for (const id of batch) out.set(id, { matches: [], error: errorText(e) });
    }
  }
  // An ID-looking ref that is not an ID may still be a name.
  const retryAsName = ids.filter((id) => out.get(id)?.matches.length === 0 && !out.get(id)?.error);
  const byName = [...names, ...retryAsName];
  for (let i = 0; i < byName.length; i += 10) {
    const batch = byName.slice(i, i + 10);
    try {
      const lbs = await client.describeAllLoadBalancers({ RegionId: region, LoadBalancerName: batch.join(',') }, { signal });
      for (const name of batch) {
        const found = lbs.filter((lb) => lb.LoadBalancerName === name);
        if (found.length > 0 || !out.has(name)) out.set(name, { matches: found });
      }
    } catch (e) {
      for (const name of batch) if (!out.has(name)) out.set(name, { matches: [], error: errorText(e) });
    }
  }
  return out;
}

/** Live listeners of SLBs (10 per call), keyed by SLB ID. */
export async function readListeners(client: ProvisionClient, slbIds: string[], signal?: AbortSignal): Promise<Map<string, { listeners?: ExistingListener[]; error?: string }>> {
  const out = new Map<string, { listeners?: ExistingListener[]; error?: string }>();
  const unique = [...new Set(slbIds)];
  for (let i = 0; i < unique.length; i += 10) {
    const batch = unique.slice(i, i + 10);
    try {
      const all = await client.describeAllLoadBalancerListeners({ RegionId: client.regionId, LoadBalancerId: batch }, { signal });
      for (const id of batch) out.set(id, { listeners: all.filter((l) => l.LoadBalancerId === id).map(toExisting) });
    } catch (e) {
      for (const id of batch) out.set(id, { error: errorText(e) });
    }
  }
  return out;
}

// -- evaluation ----------------------------------------------------------------------------------

export interface Evaluation {
  action: PlanAction;
  reason: string;
  blockedCode?: BlockedCode;
  existing?: ExistingListener;
  listener?: ListenerSpec;
  needsCertificate?: boolean;
}

function slbLabel(ref: string, lb: LoadBalancerSummary | undefined): string {
  if (!lb) return ref;
  if (ref === lb.LoadBalancerId) return lb.LoadBalancerName ? `${ref} (${lb.LoadBalancerName})` : ref;
  return `${ref} (${lb.LoadBalancerId})`;
}

export function existingText(l: ExistingListener): string {
  const to = l.backendPort !== undefined ? ` → ${l.backendPort}` : l.vServerGroupId ? ` → ${l.vServerGroupId}` : '';
  return `${l.protocol.toUpperCase()} ${l.port}${to}${l.status ? ` (${l.status})` : ''}`;
}

/**
 * What to do for one binding given the SLB's live listeners (pure). Used at plan time and again,
 * inside the per-SLB lock, right before acting (so a second run, or a run after a half-way
 * failure, does only what is still missing).
 */
export function evaluateBinding(b: Pick<PlacedBinding, 'service' | 'scheme' | 'frontPort' | 'hostPort' | 'slb'>, lb: LoadBalancerSummary, listeners: ExistingListener[]): Evaluation {
  const who = slbLabel(b.slb, lb);
  const protocol = b.scheme as ListenerProtocol;
  const P = protocol.toUpperCase();
  if (lb.LoadBalancerStatus === 'locked') {
    return { action: 'blocked', blockedCode: 'SLB_LOCKED', reason: t("SLB '{0}' is locked (overdue or expired): its listeners cannot be changed. Renew it, or use another SLB.", who) };
  }
  const space = portSpaceOf(protocol);
  const onPort = listeners.filter((l) => l.port === b.frontPort && portSpaceOf(l.protocol) === space);
  const same = onPort.find((l) => l.protocol === protocol);
  if (!same && onPort.length > 0) {
    const other = onPort[0];
    return {
      action: 'conflict',
      existing: other,
      reason: t("Front port {0} of SLB '{1}' is taken by a {2} listener ({3}); the label wants {4} → backend port {5}. Nothing is changed: use another front port, or change that listener.", b.frontPort, who, other.protocol.toUpperCase(), existingText(other), P, b.hostPort ?? '?'),
    };
  }
  if (b.hostPort === undefined) {
    return { action: 'blocked', blockedCode: 'NO_BACKEND_PORT', reason: t('No backend port is known: the service does not publish the container port on a fixed host port.') };
  }
  if (!same) {
    const listener = listenerSpecFor(protocol, b.frontPort, b.hostPort, b.service);
    return {
      action: 'create',
      listener,
      needsCertificate: protocol === 'https' ? true : undefined,
      reason:
        protocol === 'https'
          ? t("Create an HTTPS listener on front port {0} of SLB '{1}' forwarding to backend port {2} ({3}; a server certificate must be chosen), then start it.", b.frontPort, who, b.hostPort, describeSpec(listener))
          : t("Create a {0} listener on front port {1} of SLB '{2}' forwarding to backend port {3} ({4}), then start it.", P, b.frontPort, who, b.hostPort, describeSpec(listener)),
    };
  }
  if (same.backendPort !== undefined && same.backendPort !== b.hostPort) {
    return {
      action: 'conflict',
      existing: same,
      reason: t("The {0} listener on front port {1} of SLB '{2}' forwards to backend port {3}, but the label wants backend port {4}. Nothing is changed: publish host port {3}, or change the listener's backend port.", P, b.frontPort, who, same.backendPort, b.hostPort),
    };
  }
  const via = same.backendPort === undefined && same.vServerGroupId ? t(' (it forwards to vServer group {0}; backend ports are not compared)', same.vServerGroupId) : '';
  const status = same.status ?? '';
  if (status === 'running' || status === 'starting') {
    return { action: 'unchanged', existing: same, reason: t("The {0} listener on front port {1} of SLB '{2}' already forwards to backend port {3} and is {4}{5}.", P, b.frontPort, who, same.backendPort ?? b.hostPort, status, via) };
  }
  if (status === 'stopped' || status === '') {
    return { action: 'start', existing: same, reason: t("The {0} listener on front port {1} of SLB '{2}' exists (backend port {3}) but is stopped: it will be started{4}.", P, b.frontPort, who, same.backendPort ?? b.hostPort, via) };
  }
  return { action: 'blocked', blockedCode: 'LISTENER_BUSY', existing: same, reason: t("The {0} listener on front port {1} of SLB '{2}' is {3}: try again in a moment.", P, b.frontPort, who, status) };
}

export interface PlanOptions {
  signal?: AbortSignal;
  now?: () => number;
  /** Also list the region's server certificates when an https listener is to be created (default true). */
  listCertificates?: boolean;
}

function emptySummary(): Record<PlanAction, number> {
  return { create: 0, unchanged: 0, start: 0, conflict: 0, blocked: 0 };
}

export function lineId(service: string, labelKey: string, scheme: string | undefined, slb: string, frontPort: number | undefined): string {
  return `${service}|${labelKey}|${scheme ?? ''}://${slb}:${frontPort ?? ''}`;
}

/**
 * The plan: one line per lb binding (and one `blocked` line per label that yields none), in file
 * order. Reads the live state through `client` (its region). Never throws for API errors: lines
 * whose SLB cannot be read are `blocked` with code LOOKUP_FAILED and the error's message.
 */
export async function planListeners(targets: readonly ProvisionTarget[], client: ProvisionClient, options: PlanOptions = {}): Promise<Plan> {
  const region = client.regionId;
  const refs = [...new Set(targets.filter((x): x is PlacedBinding => !isUnbound(x) && !!x.slb).map((b) => b.slb))];
  const resolved = refs.length > 0 ? await resolveRefs(client, refs, options.signal) : new Map<string, Resolution>();
  const unique = [...resolved.values()].filter((r) => r.matches.length === 1).map((r) => r.matches[0].LoadBalancerId);
  const live = unique.length > 0 ? await readListeners(client, unique, options.signal) : new Map();
  // Listeners this plan would create, so a second binding of the same port sees the first one.
  const planned = new Map<string, ExistingListener[]>();
  const lines: PlanLine[] = [];
  const ordered = [...targets].sort((a, b) => startOf(a) - startOf(b));
  for (const target of ordered) {
    if (isUnbound(target)) {
      lines.push({
        id: lineId(target.service, target.labelKey, undefined, '', undefined),
        label: target.labelKey,
        service: target.service,
        slb: '',
        regionId: region,
        action: 'blocked',
        blockedCode: target.code,
        reason: target.reason,
        keySpan: target.keySpan,
      });
      continue;
    }
    const b = target;
    const base: PlanLine = {
      id: lineId(b.service, b.labelKey, b.scheme, b.slb, b.frontPort),
      label: b.labelKey,
      service: b.service,
      slb: b.slb,
      regionId: region,
      frontPort: b.frontPort,
      protocol: b.scheme,
      backendPort: b.hostPort,
      containerPort: b.containerPort,
      action: 'blocked',
      reason: '',
      keySpan: { start: b.base + b.keySpan.start, end: b.base + b.keySpan.end },
      bindingSpan: { start: b.base + b.wholeSpan.start, end: b.base + b.wholeSpan.end },
    };
    const r = resolved.get(b.slb);
    if (!r || r.error) {
      lines.push({ ...base, blockedCode: 'LOOKUP_FAILED', reason: t("SLB '{0}' could not be looked up: {1}", b.slb, r?.error ?? '-') });
      continue;
    }
    if (r.matches.length === 0) {
      lines.push({
        ...base,
        blockedCode: 'SLB_NOT_FOUND',
        reason: looksLikeSlbId(b.slb)
          ? t("No SLB with ID '{0}' in region {1} of this account. Check the ID and the region.", b.slb, region)
          : t("No SLB named '{0}' in region {1} of this account. Check the name (names are case-sensitive) or create the SLB first.", b.slb, region),
      });
      continue;
    }
    if (r.matches.length > 1) {
      lines.push({
        ...base,
        blockedCode: 'SLB_AMBIGUOUS',
        reason: t("SLB name '{0}' matches {1} SLBs in {2}: {3}. The label cannot tell them apart: use the ID instead.", b.slb, r.matches.length, region, r.matches.map((m) => m.LoadBalancerId).join(', ')),
      });
      continue;
    }
    const lb = r.matches[0];
    const withSlb: PlanLine = { ...base, slbId: lb.LoadBalancerId, slbName: lb.LoadBalancerName, slbAddress: lb.Address, slbAddressType: lb.AddressType };
    const state = live.get(lb.LoadBalancerId);
    if (!state?.listeners) {
      lines.push({ ...withSlb, blockedCode: 'LOOKUP_FAILED', reason: t("The listeners of SLB '{0}' could not be read: {1}", b.slb, state?.error ?? '-') });
      continue;
    }
    const listeners = [...state.listeners, ...(planned.get(lb.LoadBalancerId) ?? [])];
    const ev = evaluateBinding(b, lb, listeners);
    lines.push({ ...withSlb, ...ev });
    if (ev.action === 'create' && ev.listener) {
      const list = planned.get(lb.LoadBalancerId) ?? [];
      list.push({ protocol: ev.listener.protocol, port: ev.listener.frontPort, backendPort: ev.listener.backendPort, status: 'running', description: ev.listener.description });
      planned.set(lb.LoadBalancerId, list);
    }
  }
  const summary = emptySummary();
  for (const l of lines) summary[l.action]++;
  const plan: Plan = { region, readAt: (options.now ?? Date.now)(), lines, summary };
  if (options.listCertificates !== false && lines.some((l) => l.needsCertificate)) {
    try {
      plan.certificates = await listCertificates(client, options.signal);
    } catch (e) {
      plan.certificatesError = errorText(e);
    }
  }
  return plan;
}

function startOf(t: ProvisionTarget): number {
  return isUnbound(t) ? t.keySpan.start : t.base + t.keySpan.start + (t.wholeSpan.start - t.keySpan.start) / 1e6;
}

/** The region's server certificates (DescribeServerCertificates). */
export async function listCertificates(client: ProvisionClient, signal?: AbortSignal): Promise<CertificateInfo[]> {
  const body = await client.describeServerCertificates({ RegionId: client.regionId }, { signal });
  return body.ServerCertificates.ServerCertificate.map((c) => ({
    id: c.ServerCertificateId,
    name: c.ServerCertificateName || undefined,
    commonName: c.CommonName || undefined,
    subjectAlternativeNames: c.SubjectAlternativeNames?.SubjectAlternativeName,
    expireTime: c.ExpireTime || undefined,
    expireTimeStamp: typeof c.ExpireTimeStamp === 'number' ? c.ExpireTimeStamp : undefined,
    regionId: c.RegionId || undefined,
  }));
}
