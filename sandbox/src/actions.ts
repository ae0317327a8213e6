// The SLB actions the sandbox answers, with the response shapes of the facts sheet §7.
import type { ListenerProtocol } from './types';
import type { DataPlane } from './dataplane';
import { buildListener, Listener, renderListenerAttribute, renderListenerItem, setListenerAttributes, transportOf } from './listeners';
import { Params } from './params';
import type { LoadBalancer, Store } from './store';
import { ApiError, invalid, lbNotFound, missing, resourceNotFound } from './wire';
import { findVServerGroup, VSERVER_GROUP_ACTIONS, vServerGroupsOf } from './vServerGroups';

export interface ActionContext {
  p: Params;
  store: Store;
  dataPlane: DataPlane;
}

type Handler = (ctx: ActionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;

const MAX_LISTENERS = 50;
const PROTOCOLS: readonly ListenerProtocol[] = ['tcp', 'udp', 'http', 'https'];
const FAR_FUTURE = Date.UTC(2999, 8, 8, 16, 0, 0);

function regionFilter(ctx: ActionContext, required: boolean): string | undefined {
  const region = ctx.p.str('RegionId', { required });
  if (region !== undefined && !ctx.store.hasRegion(region)) {
    throw new ApiError(400, 'InvalidParameter.RegionId', `The specified RegionId "${region}" does not exist.`);
  }
  return region;
}

function findLb(ctx: ActionContext): LoadBalancer {
  const region = regionFilter(ctx, false);
  const id = ctx.p.str('LoadBalancerId', { required: true })!;
  const lb = ctx.store.loadBalancers.find((x) => x.LoadBalancerId === id && (!region || x.RegionId === region));
  if (!lb) throw lbNotFound(id);
  return lb;
}

function mutableLb(ctx: ActionContext): LoadBalancer {
  const lb = findLb(ctx);
  if (lb.LoadBalancerStatus === 'locked') {
    throw new ApiError(400, 'IncorrectStatus.LoadBalancer', `The load balancer ${lb.LoadBalancerId} is locked (overdue or expired) and cannot be changed.`);
  }
  return lb;
}

/** Listener on a port; ListenerProtocol disambiguates when the port hosts tcp-family and udp listeners. */
function findListener(ctx: ActionContext, lb: LoadBalancer, only?: ListenerProtocol[]): Listener {
  const port = ctx.p.int('ListenerPort', 1, 65535, { required: true })!;
  const proto = ctx.p.oneOf('ListenerProtocol', PROTOCOLS, { ignoreCase: true });
  let found = lb.listeners.filter((l) => l.ListenerPort === port && (!proto || l.ListenerProtocol === proto));
  if (only) found = found.filter((l) => only.includes(l.ListenerProtocol));
  if (found.length === 0) throw resourceNotFound();
  if (found.length > 1) throw missing('ListenerProtocol');
  return found[0];
}

function renderLb(lb: LoadBalancer): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LoadBalancerId: lb.LoadBalancerId,
    LoadBalancerName: lb.LoadBalancerName,
    LoadBalancerStatus: lb.LoadBalancerStatus,
    Address: lb.Address,
    AddressType: lb.AddressType,
    AddressIPVersion: lb.AddressIPVersion,
    NetworkType: lb.NetworkType,
    VpcId: lb.VpcId,
    VSwitchId: lb.VSwitchId,
    RegionId: lb.RegionId,
    RegionIdAlias: lb.RegionId,
    MasterZoneId: lb.MasterZoneId,
    SlaveZoneId: lb.SlaveZoneId,
    InternetChargeType: lb.InternetChargeType,
    InternetChargeTypeAlias: lb.InternetChargeType,
    InstanceChargeType: lb.InstanceChargeType,
    PayType: lb.PayType,
    LoadBalancerSpec: lb.LoadBalancerSpec,
    CreateTime: lb.CreateTime,
    CreateTimeStamp: lb.CreateTimeStamp,
    ResourceGroupId: lb.ResourceGroupId,
    DeleteProtection: lb.DeleteProtection,
    ModificationProtectionStatus: 'NonProtection',
    ModificationProtectionReason: '',
    Tags: { Tag: lb.Tags.map((t) => ({ ...t })) },
  };
  if (lb.Bandwidth !== undefined) out.Bandwidth = lb.Bandwidth;
  return out;
}

const sortedListeners = (lb: LoadBalancer) =>
  [...lb.listeners].sort((a, b) => a.ListenerPort - b.ListenerPort || a.ListenerProtocol.localeCompare(b.ListenerProtocol));

function createListener(protocol: ListenerProtocol): Handler {
  return (ctx) => {
    const lb = mutableLb(ctx);
    const l = buildListener(protocol, lb.LoadBalancerId, ctx.p, {
      certificateExists: (id) => !!ctx.store.certificate(id, lb.RegionId),
      vServerGroupExists: (id) => vServerGroupsOf(ctx.store, lb.LoadBalancerId).some((g) => g.VServerGroupId === id),
    });
    const clash = lb.listeners.find((x) => x.ListenerPort === l.ListenerPort && transportOf(x.ListenerProtocol) === transportOf(protocol));
    if (clash) {
      throw new ApiError(400, 'ListenerAlreadyExists', `The listener port ${l.ListenerPort} of ${lb.LoadBalancerId} is already used by a ${clash.ListenerProtocol} listener.`);
    }
    if (lb.listeners.length >= MAX_LISTENERS) {
      throw new ApiError(400, 'ListenerNumberOverLimit', `The load balancer ${lb.LoadBalancerId} already has ${MAX_LISTENERS} listeners.`);
    }
    lb.listeners.push(l);
    return {};
  };
}

function setAttribute(protocol: ListenerProtocol): Handler {
  return async (ctx) => {
    const lb = mutableLb(ctx);
    const port = ctx.p.int('ListenerPort', 1, 65535, { required: true })!;
    const l = lb.listeners.find((x) => x.ListenerPort === port && x.ListenerProtocol === protocol);
    if (!l) throw resourceNotFound();
    setListenerAttributes(l, ctx.p, {
      certificateExists: (id) => !!ctx.store.certificate(id, lb.RegionId),
      vServerGroupExists: (id) => vServerGroupsOf(ctx.store, lb.LoadBalancerId).some((g) => g.VServerGroupId === id),
    });
    await ctx.dataPlane.sync(lb, l);
    return {};
  };
}

function describeAttribute(protocol: ListenerProtocol): Handler {
  return (ctx) => {
    const lb = findLb(ctx);
    const port = ctx.p.int('ListenerPort', 1, 65535, { required: true })!;
    const l = lb.listeners.find((x) => x.ListenerPort === port && x.ListenerProtocol === protocol);
    if (!l) throw resourceNotFound();
    return renderListenerAttribute(l);
  };
}

export const ACTIONS: Record<string, Handler> = {
  // vServer groups (sandbox/src/vServerGroups.ts): what the Kubernetes CCM uses.
  ...VSERVER_GROUP_ACTIONS,
  DescribeRegions(ctx) {
    const lang = ctx.p.oneOf('AcceptLanguage', ['zh-CN', 'en-US', 'ja'] as const) ?? 'zh-CN';
    return {
      Regions: {
        Region: ctx.store.regions.map((r) => ({
          RegionId: r.RegionId,
          LocalName: lang === 'zh-CN' ? r.LocalName : r.LocalNameEn ?? r.LocalName,
          RegionEndpoint: r.RegionEndpoint ?? 'slb.aliyuncs.com',
        })),
      },
    };
  },

  DescribeLoadBalancers(ctx) {
    const { p } = ctx;
    const region = regionFilter(ctx, true)!;
    const list = (name: string) => {
      const v = p.str(name);
      if (v === undefined) return undefined;
      const items = v.split(',').map((s) => s.trim()).filter(Boolean);
      if (items.length > 10) throw invalid(name, 'At most 10 comma-separated values are allowed.');
      return items;
    };
    const ids = list('LoadBalancerId');
    const names = list('LoadBalancerName');
    const eq: [string, keyof LoadBalancer, (readonly string[])?][] = [
      ['Address', 'Address'],
      ['AddressType', 'AddressType', ['internet', 'intranet']],
      ['AddressIPVersion', 'AddressIPVersion', ['ipv4', 'ipv6']],
      ['NetworkType', 'NetworkType', ['vpc', 'classic']],
      ['VpcId', 'VpcId'],
      ['VSwitchId', 'VSwitchId'],
      ['MasterZoneId', 'MasterZoneId'],
      ['SlaveZoneId', 'SlaveZoneId'],
      ['LoadBalancerStatus', 'LoadBalancerStatus', ['inactive', 'active', 'locked']],
      ['InternetChargeType', 'InternetChargeType', ['paybybandwidth', 'paybytraffic']],
      ['PayType', 'PayType'],
      ['ResourceGroupId', 'ResourceGroupId'],
    ];
    const filters = eq
      .map(([name, field, values]) => [field, values ? p.oneOf(name, values) : p.str(name)] as const)
      .filter(([, v]) => v !== undefined);
    const serverId = p.str('ServerId');
    const serverIp = p.str('ServerIntranetAddress');
    const tags = p.tags();
    const pageNumber = p.int('PageNumber', 1, 1_000_000) ?? 1;
    const pageSize = p.int('PageSize', 1, 100) ?? 10;

    const matching = ctx.store.loadBalancers.filter(
      (lb) =>
        lb.RegionId === region &&
        (!ids || ids.includes(lb.LoadBalancerId)) &&
        (!names || names.includes(lb.LoadBalancerName)) &&
        filters.every(([field, v]) => String(lb[field]) === v) &&
        (!serverId || lb.BackendServers.some((b) => b.ServerId === serverId)) &&
        (!serverIp || lb.BackendServers.some((b) => b.ServerIp === serverIp)) &&
        tags.every((t) => lb.Tags.some((x) => x.TagKey === t.TagKey && (t.TagValue === '' || x.TagValue === t.TagValue))),
    );
    const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return {
      TotalCount: matching.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
      LoadBalancers: { LoadBalancer: page.map(renderLb) },
    };
  },

  DescribeLoadBalancerAttribute(ctx) {
    const lb = findLb(ctx);
    const ls = sortedListeners(lb);
    return {
      ...renderLb(lb),
      EndTime: new Date(FAR_FUTURE).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      EndTimeStamp: FAR_FUTURE,
      AutoReleaseTime: 0,
      RenewalStatus: 'AutoRenewal',
      RenewalDuration: 0,
      RenewalCycUnit: '',
      ListenerPorts: { ListenerPort: [...new Set(ls.map((l) => l.ListenerPort))] },
      ListenerPortsAndProtocol: {
        ListenerPortAndProtocol: ls.map((l) => {
          const o: Record<string, unknown> = { ListenerPort: l.ListenerPort, ListenerProtocol: l.ListenerProtocol, Description: l.Description };
          if (l.ListenerProtocol === 'http') {
            o.ListenerForward = l.cfg.ListenerForward;
            if (l.cfg.ForwardPort !== undefined) o.ForwardPort = l.cfg.ForwardPort;
          }
          return o;
        }),
      },
      ListenerPortsAndProtocal: {
        ListenerPortAndProtocal: ls.map((l) => ({ ListenerPort: l.ListenerPort, ListenerProtocal: l.ListenerProtocol })),
      },
      BackendServers: { BackendServer: lb.BackendServers.map((b) => ({ ...b })) },
    };
  },

  DescribeLoadBalancerListeners(ctx) {
    const { p } = ctx;
    const region = regionFilter(ctx, false);
    const ids = p.list('LoadBalancerId');
    if (ids.length > 10) throw invalid('LoadBalancerId', 'At most 10 load balancer IDs are allowed.');
    const proto = p.oneOf('ListenerProtocol', PROTOCOLS, { ignoreCase: true });
    const port = p.int('ListenerPort', 1, 65535);
    const description = p.str('Description');
    const maxResults = p.int('MaxResults', 1, 100) ?? 20;
    const tokenText = p.str('NextToken');
    const start = tokenText === undefined ? 0 : Number(tokenText);
    if (!Number.isInteger(start) || start < 0) throw invalid('NextToken', 'It was not returned by a previous call.');
    const tags = p.tags();
    const all = ctx.store.loadBalancers
      .filter((lb) => (!region || lb.RegionId === region) && (ids.length === 0 || ids.includes(lb.LoadBalancerId)))
      .flatMap(sortedListeners)
      .filter(
        (l) =>
          (!proto || l.ListenerProtocol === proto) &&
          (port === undefined || l.ListenerPort === port) &&
          (description === undefined || l.Description.includes(description)) &&
          tags.every((t) => l.Tags.some((x) => x.TagKey === t.TagKey && (t.TagValue === '' || x.TagValue === t.TagValue))),
      );
    const page = all.slice(start, start + maxResults);
    const out: Record<string, unknown> = { TotalCount: all.length, MaxResults: maxResults };
    if (start + maxResults < all.length) out.NextToken = String(start + maxResults);
    if (page.length > 0) out.Listeners = page.map(renderListenerItem);
    return out;
  },

  DescribeLoadBalancerTCPListenerAttribute: describeAttribute('tcp'),
  DescribeLoadBalancerUDPListenerAttribute: describeAttribute('udp'),
  DescribeLoadBalancerHTTPListenerAttribute: describeAttribute('http'),
  DescribeLoadBalancerHTTPSListenerAttribute: describeAttribute('https'),

  SetLoadBalancerTCPListenerAttribute: setAttribute('tcp'),
  SetLoadBalancerUDPListenerAttribute: setAttribute('udp'),
  SetLoadBalancerHTTPListenerAttribute: setAttribute('http'),
  SetLoadBalancerHTTPSListenerAttribute: setAttribute('https'),

  CreateLoadBalancerTCPListener: createListener('tcp'),
  CreateLoadBalancerUDPListener: createListener('udp'),
  CreateLoadBalancerHTTPListener: createListener('http'),
  CreateLoadBalancerHTTPSListener: createListener('https'),

  async StartLoadBalancerListener(ctx) {
    const lb = mutableLb(ctx);
    const l = findListener(ctx, lb);
    l.Status = 'running';
    await ctx.dataPlane.sync(lb, l);
    return {};
  },

  async StopLoadBalancerListener(ctx) {
    const lb = mutableLb(ctx);
    const l = findListener(ctx, lb);
    l.Status = 'stopped';
    await ctx.dataPlane.sync(lb, l);
    return {};
  },

  async DeleteLoadBalancerListener(ctx) {
    const lb = mutableLb(ctx);
    const l = findListener(ctx, lb);
    lb.listeners = lb.listeners.filter((x) => x !== l);
    await ctx.dataPlane.remove(lb, l);
    return {};
  },

  DescribeHealthStatus(ctx) {
    const lb = findLb(ctx);
    const port = ctx.p.int('ListenerPort', 1, 65535);
    const proto = ctx.p.oneOf('ListenerProtocol', PROTOCOLS, { ignoreCase: true });
    const ls = sortedListeners(lb).filter((l) => (port === undefined || l.ListenerPort === port) && (!proto || l.ListenerProtocol === proto));
    if (port !== undefined && ls.length === 0) {
      throw new ApiError(404, 'CheckedListenerNotFound', `There is no listener on port ${port} of ${lb.LoadBalancerId}.`);
    }
    const rows = ls.flatMap((l) => {
      // A listener on a vServer group: one row per backend of the group, at its own port.
      const group = l.VServerGroupId ? findVServerGroup(ctx.store, l.VServerGroupId) : undefined;
      if (group) {
        return group.backends.map((b) => ({
          ServerId: b.ServerId,
          ServerIp: lb.BackendServers.find((x) => x.ServerId === b.ServerId)?.ServerIp ?? '',
          Port: b.Port,
          ListenerPort: l.ListenerPort,
          Protocol: l.ListenerProtocol,
          // HealthCheckConnectPort: that one port is checked for every backend.
          ServerHealthStatus: b.Weight > 0 ? ctx.dataPlane.portHealth(lb.LoadBalancerId, l, l.cfg.HealthCheckConnectPort !== undefined ? Number(l.cfg.HealthCheckConnectPort) : b.Port).status : 'unavailable',
        }));
      }
      const h = ctx.dataPlane.health(lb.LoadBalancerId, l);
      return lb.BackendServers.map((b) => ({
        ServerId: b.ServerId,
        ServerIp: b.ServerIp,
        Port: l.BackendServerPort,
        ListenerPort: l.ListenerPort,
        Protocol: l.ListenerProtocol,
        ServerHealthStatus: h.status,
      }));
    });
    return { BackendServers: { BackendServer: rows } };
  },

  DescribeServerCertificates(ctx) {
    const region = regionFilter(ctx, true)!;
    const id = ctx.p.str('ServerCertificateId');
    const rg = ctx.p.str('ResourceGroupId');
    const certs = ctx.store.certificates.filter(
      (c) => c.RegionId === region && (!id || c.ServerCertificateId === id) && (!rg || c.ResourceGroupId === rg),
    );
    return {
      ServerCertificates: {
        ServerCertificate: certs.map((c) => ({
          ServerCertificateId: c.ServerCertificateId,
          ServerCertificateName: c.ServerCertificateName,
          Fingerprint: c.Fingerprint,
          CommonName: c.CommonName,
          SubjectAlternativeNames: { SubjectAlternativeName: [...c.SubjectAlternativeNames] },
          CreateTime: c.CreateTime,
          CreateTimeStamp: c.CreateTimeStamp,
          ExpireTime: c.ExpireTime,
          ExpireTimeStamp: c.ExpireTimeStamp,
          IsAliCloudCertificate: 0,
          AliCloudCertificateId: '',
          AliCloudCertificateName: '',
          RegionId: c.RegionId,
          ResourceGroupId: c.ResourceGroupId,
          Tags: { Tag: c.Tags.map((t) => ({ ...t })) },
        })),
      },
    };
  },
};
