// What the cloud-controller-manager would create or change on a Service's CLB (reference §4): per
// Service port a vServer group named `k8s/<NodePort|targetPort>/<svc>/<ns>/<clusterId>`, and, on a
// CLB the CCM may manage (created by it, or reused with force-override-listeners: "true"), a
// listener described `k8s/<port>/<svc>/<ns>/<clusterId>`. Read-only: Describe* calls only. The
// backends (nodes or pods) are known only inside the cluster and are not planned.
import type { SlbAction, SlbClient } from '../cloud/slbClient';
import { isSlbApiError } from '../cloud/slbErrors';
import type { ListenerSummary } from '../cloud/slbTypes';
import { t } from '../i18n';
import { clbView, ClbView } from './clbView';
import type { K8sManifest } from './model';
import { CLUSTER_TAGS } from './onlineRules';
import { isClbId } from './rules';

export type CcmPlanAction = 'create' | 'keep' | 'take-over' | 'delete' | 'conflict' | 'not-managed' | 'blocked';

export interface CcmPlanLine {
  kind: 'clb' | 'vserver-group' | 'listener';
  action: CcmPlanAction;
  /** vServer group or listener name/description the CCM uses. */
  name: string;
  port?: number;
  protocol?: string;
  detail: string;
}

export interface CcmServicePlan {
  service: string;
  namespace: string;
  clbId?: string;
  lines: CcmPlanLine[];
}

export interface CcmPlanOptions {
  /** The cluster ID the CCM names its resources with (unknown outside the cluster: a placeholder). */
  clusterId?: string;
}

export type VServerGroupsClient = Pick<SlbClient, 'call' | 'describeLoadBalancerAttribute' | 'describeAllLoadBalancerListeners'>;

interface VServerGroupSummary {
  VServerGroupId: string;
  VServerGroupName: string;
}

export function vServerGroupName(view: ClbView, port: number, clusterId: string): string {
  const listener = view.listeners.find((l) => l.port === port)!;
  const sp = listener.servicePort;
  const eni = view.bySuffix.get('')?.value === 'eni';
  const backendPort = eni ? String(sp.targetPort?.value ?? port) : sp.nodePort ? String(sp.nodePort.value) : '<NodePort>';
  return `k8s/${backendPort}/${view.service.name}/${view.service.namespace ?? 'default'}/${clusterId}`;
}

export function listenerDescription(view: ClbView, port: number, clusterId: string): string {
  return `k8s/${port}/${view.service.name}/${view.service.namespace ?? 'default'}/${clusterId}`;
}

/** Plans every LoadBalancer Service of the manifest. */
export async function planManifest(manifest: K8sManifest, client: VServerGroupsClient, options: CcmPlanOptions = {}): Promise<CcmServicePlan[]> {
  const plans: CcmServicePlan[] = [];
  for (const service of manifest.services) {
    const view = clbView(service);
    if (!view.isLoadBalancer || view.otherController) continue; // NLB & co.: not a CLB the CCM makes or uses
    plans.push(await planService(view, client, options));
  }
  return plans;
}

export async function planService(view: ClbView, client: VServerGroupsClient, options: CcmPlanOptions = {}): Promise<CcmServicePlan> {
  const clusterId = options.clusterId ?? '<clusterId>';
  const plan: CcmServicePlan = { service: view.service.name, namespace: view.service.namespace ?? 'default', lines: [] };
  const id = view.reusedId?.value?.trim();
  if (!id) {
    // No id: the CCM creates the CLB, then everything on it.
    plan.lines.push({ kind: 'clb', action: 'create', name: view.bySuffix.get('name')?.value ?? t('a + the Service UID'), detail: t('the CCM creates a CLB for this Service (tags kubernetes.do.not.delete and ack.aliyun.com) and deletes it with the Service') });
    for (const l of view.listeners) {
      plan.lines.push({ kind: 'vserver-group', action: 'create', name: vServerGroupName(view, l.port, clusterId), port: l.port, detail: t('new vServer group for port {0}', l.port) });
      plan.lines.push({ kind: 'listener', action: 'create', name: listenerDescription(view, l.port, clusterId), port: l.port, protocol: l.protocol, detail: t('new {0} listener on port {1}, forwarding to that vServer group', l.protocol, l.port) });
    }
    return plan;
  }
  plan.clbId = id;
  if (!isClbId(id)) {
    plan.lines.push({ kind: 'clb', action: 'blocked', name: id, detail: t("'{0}' is not a CLB ID: the CCM finds nothing and the Service stays pending", id) });
    return plan;
  }
  let attribute;
  try {
    attribute = await client.describeLoadBalancerAttribute({ LoadBalancerId: id });
  } catch (error) {
    if (isSlbApiError(error) && /NotExist|InvalidLoadBalancerId/i.test(error.code)) {
      plan.lines.push({ kind: 'clb', action: 'blocked', name: id, detail: t('CLB {0} does not exist in this region: the CCM cannot find it', id) });
      return plan;
    }
    throw error;
  }
  const tags = attribute.Tags?.Tag ?? [];
  const clusterTag = CLUSTER_TAGS.find((key) => tags.some((tag) => tag.TagKey === key));
  if (clusterTag) {
    plan.lines.push({ kind: 'clb', action: 'blocked', name: id, detail: t('CLB {0} was created by a cluster (tag {1}): the CCM refuses to reuse it', id, clusterTag) });
    return plan;
  }
  plan.lines.push({ kind: 'clb', action: 'keep', name: id, detail: t('reused CLB {0} ({1}): the CCM tags it kubernetes.reused.by.user and never deletes it', id, attribute.LoadBalancerName ?? '') });
  const [listeners, groups] = await Promise.all([
    client.describeAllLoadBalancerListeners({ LoadBalancerId: [id] }),
    client.call<{ VServerGroups?: { VServerGroup?: VServerGroupSummary[] } }>('DescribeVServerGroups' as SlbAction, { LoadBalancerId: id }).then((b) => b.VServerGroups?.VServerGroup ?? []),
  ]);
  for (const l of view.listeners) {
    const groupName = vServerGroupName(view, l.port, clusterId);
    const existingGroup = groups.find((g) => g.VServerGroupName === groupName);
    plan.lines.push(existingGroup
      ? { kind: 'vserver-group', action: 'keep', name: groupName, port: l.port, detail: t('vServer group {0} exists; the CCM syncs its backends', existingGroup.VServerGroupId) }
      : { kind: 'vserver-group', action: 'create', name: groupName, port: l.port, detail: t('new vServer group for port {0} (empty, then the backends in batches)', l.port) });
    plan.lines.push(listenerLine(view, l.port, l.protocol, listeners, clusterId, id));
  }
  // With override the CCM deletes its own listeners of this Service that no port asks for any more.
  if (view.forceOverride) {
    const prefix = `k8s/`;
    const suffix = `/${view.service.name}/${view.service.namespace ?? 'default'}/${clusterId}`;
    for (const remote of listeners) {
      const description = remote.Description ?? '';
      if (!description.startsWith(prefix) || !description.endsWith(suffix)) continue;
      if (view.listeners.some((l) => l.port === Number(remote.ListenerPort) && l.protocol === String(remote.ListenerProtocol).toLowerCase())) continue;
      plan.lines.push({ kind: 'listener', action: 'delete', name: description, port: Number(remote.ListenerPort), protocol: String(remote.ListenerProtocol).toLowerCase(), detail: t('listener {0} of this Service is no longer a port of it: the CCM deletes it', `${remote.ListenerProtocol}:${remote.ListenerPort}`) });
    }
  }
  return plan;
}

function listenerLine(view: ClbView, port: number, protocol: string, listeners: ListenerSummary[], clusterId: string, id: string): CcmPlanLine {
  const name = listenerDescription(view, port, clusterId);
  const samePort = listeners.filter((x) => Number(x.ListenerPort) === port);
  const same = samePort.find((x) => String(x.ListenerProtocol).toLowerCase() === protocol);
  const other = samePort.find((x) => String(x.ListenerProtocol).toLowerCase() !== protocol);
  const base = { kind: 'listener' as const, name, port, protocol };
  if (!view.forceOverride) {
    return same
      ? { ...base, action: 'not-managed', detail: t('the existing {0} listener {1} stays as it is (no force-override-listeners: "true"): it keeps its backends', protocol, port) }
      : { ...base, action: 'not-managed', detail: t('no {0} listener on port {1}, and without force-override-listeners: "true" the CCM creates none: create it by hand', protocol, port) };
  }
  if (same) {
    if (same.Description === name) return { ...base, action: 'keep', detail: t('listener {0}:{1} is already this Service\'s', protocol, port) };
    // Another Service's listener (the CCM's description): the CCM does not take it over (R12).
    const owner = /^k8s\/\d+\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(same.Description ?? '');
    if (owner && !(owner[1] === view.service.name && owner[2] === (view.service.namespace ?? 'default'))) {
      return { ...base, action: 'conflict', detail: t('The {0} listener on port {1} belongs to Service {2} of cluster {3} ("{4}"): it is not taken over. Nothing is changed: use another port.', protocol, port, `${owner[2]}/${owner[1]}`, owner[3], same.Description ?? '') };
    }
    return { ...base, action: 'take-over', detail: t('the CCM takes over the {0} listener {1} ("{2}"): description and vServer group are rewritten, its current backends stop receiving traffic', protocol, port, same.Description ?? '') };
  }
  if (other) return { ...base, action: 'conflict', detail: t('CLB {0} has a {1} listener on port {2}: creating the {3} listener fails (port conflict)', id, String(other.ListenerProtocol).toLowerCase(), port, protocol) };
  return { ...base, action: 'create', detail: t('new {0} listener on port {1} (scheduler rr{2}), forwarding to the vServer group, then started', protocol, port, protocol === 'https' ? t(', certificate from cert-id') : '') };
}

/** The plan as text lines for the CLI and the editor's output. */
export function formatCcmPlan(plans: CcmServicePlan[]): string {
  const out: string[] = [];
  for (const p of plans) {
    out.push(t('Service {0}/{1} on {2}:', p.namespace, p.service, p.clbId ?? t('a new CLB')));
    for (const l of p.lines) out.push(`  ${l.action.padEnd(11)} ${l.kind.padEnd(14)} ${l.name}${l.protocol ? ` (${l.protocol}:${l.port})` : ''}\n  ${' '.repeat(11)} ${l.detail}`);
  }
  if (plans.length === 0) out.push(t('No Service of type LoadBalancer in this file.'));
  return out.join('\n') + '\n';
}

/** Blocked or conflicting lines make the plan fail (exit code 1 in the CLI). */
export function planHasProblems(plans: CcmServicePlan[]): boolean {
  return plans.some((p) => p.lines.some((l) => l.action === 'blocked' || l.action === 'conflict'));
}
