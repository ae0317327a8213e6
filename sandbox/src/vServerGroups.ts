// vServer groups: the calls the Alibaba Cloud CCM makes for a LoadBalancer Service (reference
// ack-service-annotations.md §4.3): CreateVServerGroup (empty or with backends),
// AddVServerGroupBackendServers / RemoveVServerGroupBackendServers in batches,
// SetVServerGroupAttribute, DescribeVServerGroups / DescribeVServerGroupAttribute, DeleteVServerGroup.
// API only: kept apart from the listener and data-plane code; groups live next to the Store.
import type { ActionContext } from './actions';
import type { LoadBalancer, Store } from './store';
import { ApiError, invalid, lbNotFound, missing } from './wire';

export interface VServerGroupBackend {
  ServerId: string;
  Port: number;
  Weight: number;
  Type: 'ecs' | 'eni';
  Description: string;
}

export interface VServerGroup {
  VServerGroupId: string;
  VServerGroupName: string;
  LoadBalancerId: string;
  RegionId: string;
  backends: VServerGroupBackend[];
}

/** Per store (a reset builds a new Store, and with it no groups). */
const GROUPS = new WeakMap<Store, { next: number; groups: VServerGroup[] }>();
const MAX_BACKENDS_PER_CALL = 20;
const MAX_GROUPS_PER_LB = 200;

function state(store: Store) {
  let s = GROUPS.get(store);
  if (!s) GROUPS.set(store, (s = { next: 1, groups: [] }));
  return s;
}

/** The vServer groups of a load balancer (for other sandbox code, e.g. listeners that name one). */
export function vServerGroupsOf(store: Store, loadBalancerId: string): VServerGroup[] {
  return state(store).groups.filter((g) => g.LoadBalancerId === loadBalancerId);
}

export function findVServerGroup(store: Store, id: string): VServerGroup | undefined {
  return state(store).groups.find((g) => g.VServerGroupId === id);
}

function lbOf(ctx: ActionContext): LoadBalancer {
  const id = ctx.p.str('LoadBalancerId', { required: true })!;
  const region = ctx.p.str('RegionId');
  const lb = ctx.store.loadBalancers.find((x) => x.LoadBalancerId === id && (!region || x.RegionId === region));
  if (!lb) throw lbNotFound(id);
  return lb;
}

function groupOf(ctx: ActionContext): VServerGroup {
  const id = ctx.p.str('VServerGroupId', { required: true })!;
  const group = findVServerGroup(ctx.store, id);
  if (!group) throw new ApiError(400, 'InvalidParameter.VServerGroupId', `The specified VServerGroupId "${id}" does not exist.`);
  return group;
}

function notLocked(ctx: ActionContext, loadBalancerId: string): void {
  const lb = ctx.store.loadBalancers.find((x) => x.LoadBalancerId === loadBalancerId);
  if (lb?.LoadBalancerStatus === 'locked') throw new ApiError(400, 'IncorrectStatus.LoadBalancer', `The load balancer ${loadBalancerId} is locked (overdue or expired) and cannot be changed.`);
}

/** `BackendServers`: a JSON list of {ServerId, Port, Weight?, Type?, Description?}, at most 20 per call. */
function backendsParam(ctx: ActionContext, required: boolean): VServerGroupBackend[] {
  const raw = ctx.p.str('BackendServers', { required });
  if (raw === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw invalid('BackendServers', 'It must be a JSON list of {"ServerId", "Port", "Weight", "Type", "Description"}.');
  }
  if (!Array.isArray(list)) throw invalid('BackendServers', 'It must be a JSON list.');
  if (list.length > MAX_BACKENDS_PER_CALL) throw invalid('BackendServers', `At most ${MAX_BACKENDS_PER_CALL} backend servers per call.`);
  return list.map((item: Record<string, unknown>, i) => {
    const serverId = typeof item?.ServerId === 'string' ? item.ServerId : '';
    if (!serverId) throw missing(`BackendServers[${i}].ServerId`);
    const port = Number(item.Port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`BackendServers[${i}].Port`, 'It must be between 1 and 65535.');
    const weight = item.Weight === undefined ? 100 : Number(item.Weight);
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw invalid(`BackendServers[${i}].Weight`, 'It must be between 0 and 100.');
    const type = item.Type === undefined ? 'ecs' : item.Type;
    if (type !== 'ecs' && type !== 'eni') throw invalid(`BackendServers[${i}].Type`, 'It must be ecs or eni.');
    const description = typeof item.Description === 'string' ? item.Description : '';
    return { ServerId: serverId, Port: port, Weight: weight, Type: type, Description: description };
  });
}

const sameBackend = (a: VServerGroupBackend, b: VServerGroupBackend) => a.ServerId === b.ServerId && a.Port === b.Port;

function render(backends: VServerGroupBackend[]) {
  return { BackendServer: backends.map((b) => ({ ...b })) };
}

export const VSERVER_GROUP_ACTIONS: Record<string, (ctx: ActionContext) => Record<string, unknown>> = {
  CreateVServerGroup(ctx) {
    const lb = lbOf(ctx);
    notLocked(ctx, lb.LoadBalancerId);
    const name = ctx.p.str('VServerGroupName', { max: 256 }) ?? '';
    const backends = backendsParam(ctx, false);
    const s = state(ctx.store);
    if (vServerGroupsOf(ctx.store, lb.LoadBalancerId).length >= MAX_GROUPS_PER_LB) throw new ApiError(400, 'QuotaExceeded.VServerGroup', `The load balancer ${lb.LoadBalancerId} already has ${MAX_GROUPS_PER_LB} vServer groups.`);
    const id = `rsp-${lb.LoadBalancerId.replace(/^lb-/, '').slice(0, 9)}${String(s.next++).padStart(6, '0')}`;
    s.groups.push({ VServerGroupId: id, VServerGroupName: name, LoadBalancerId: lb.LoadBalancerId, RegionId: lb.RegionId, backends });
    return { VServerGroupId: id, BackendServers: render(backends) };
  },

  DescribeVServerGroups(ctx) {
    const lb = lbOf(ctx);
    const usedBy = (g: VServerGroup) => lb.listeners.filter((l) => l.VServerGroupId === g.VServerGroupId).map((l) => ({ Port: l.ListenerPort, Protocol: l.ListenerProtocol }));
    return {
      VServerGroups: {
        VServerGroup: vServerGroupsOf(ctx.store, lb.LoadBalancerId).map((g) => ({
          VServerGroupId: g.VServerGroupId,
          VServerGroupName: g.VServerGroupName,
          ServerCount: g.backends.length,
          AssociatedObjects: { Listeners: { Listener: usedBy(g) }, Rules: { Rule: [] } },
        })),
      },
    };
  },

  DescribeVServerGroupAttribute(ctx) {
    const g = groupOf(ctx);
    return { VServerGroupId: g.VServerGroupId, VServerGroupName: g.VServerGroupName, LoadBalancerId: g.LoadBalancerId, BackendServers: render(g.backends) };
  },

  AddVServerGroupBackendServers(ctx) {
    const g = groupOf(ctx);
    notLocked(ctx, g.LoadBalancerId);
    const add = backendsParam(ctx, true);
    for (const b of add) {
      if (g.backends.some((x) => sameBackend(x, b))) throw new ApiError(400, 'BackendServer.AlreadyExist', `The backend server ${b.ServerId}:${b.Port} is already in ${g.VServerGroupId}.`);
    }
    g.backends.push(...add);
    return { VServerGroupId: g.VServerGroupId, BackendServers: render(g.backends) };
  },

  RemoveVServerGroupBackendServers(ctx) {
    const g = groupOf(ctx);
    notLocked(ctx, g.LoadBalancerId);
    const remove = backendsParam(ctx, true);
    g.backends = g.backends.filter((x) => !remove.some((b) => sameBackend(x, b)));
    return { VServerGroupId: g.VServerGroupId, BackendServers: render(g.backends) };
  },

  SetVServerGroupAttribute(ctx) {
    const g = groupOf(ctx);
    notLocked(ctx, g.LoadBalancerId);
    const name = ctx.p.str('VServerGroupName', { max: 256 });
    if (name !== undefined) g.VServerGroupName = name;
    // Existing backends get the new weight/description; the call adds none.
    for (const b of backendsParam(ctx, false)) {
      const existing = g.backends.find((x) => sameBackend(x, b));
      if (!existing) throw new ApiError(400, 'BackendServer.NotExist', `The backend server ${b.ServerId}:${b.Port} is not in ${g.VServerGroupId}.`);
      existing.Weight = b.Weight;
      existing.Description = b.Description;
    }
    return { VServerGroupId: g.VServerGroupId, VServerGroupName: g.VServerGroupName, BackendServers: render(g.backends) };
  },

  DeleteVServerGroup(ctx) {
    const g = groupOf(ctx);
    notLocked(ctx, g.LoadBalancerId);
    const user = ctx.store.loadBalancers.find((lb) => lb.LoadBalancerId === g.LoadBalancerId)?.listeners.find((l) => l.VServerGroupId === g.VServerGroupId);
    if (user) throw new ApiError(400, 'ResourceInUse.VServerGroup', `The vServer group ${g.VServerGroupId} is used by the ${user.ListenerProtocol} listener on port ${user.ListenerPort}: point the listener elsewhere or delete it first.`);
    const s = state(ctx.store);
    s.groups = s.groups.filter((x) => x !== g);
    return {};
  },
};
