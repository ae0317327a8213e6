// Listener model: building one from Create*Listener parameters (validated) and rendering it as the API does.
import type { ListenerProtocol, ListenerStatus, SeedTag } from './types';
import { Params, requireListenerPort } from './params';
import { ApiError, invalid, missing } from './wire';

export type Cfg = Record<string, string | number | boolean>;

export interface Listener {
  LoadBalancerId: string;
  ListenerPort: number;
  ListenerProtocol: ListenerProtocol;
  /** 0 when the listener forwards to a vServer group and no BackendServerPort was given. */
  BackendServerPort: number;
  /** The vServer group the listener forwards to (instead of BackendServerPort on the default backends). */
  VServerGroupId?: string;
  Status: ListenerStatus;
  Description: string;
  Bandwidth: number;
  Scheduler: string;
  AclStatus: string;
  AclType?: string;
  AclId?: string;
  Tags: SeedTag[];
  /** Protocol-specific settings, keyed by their response names. */
  cfg: Cfg;
}

const ON_OFF = ['on', 'off'] as const;
const HTTP_CODES = ['http_2xx', 'http_3xx', 'http_4xx', 'http_5xx'];
const URI_RE = /^\/[A-Za-z0-9\-/.%?#&=_~]{1,79}$/;
const DOMAIN_RE = /^(\$_ip|[A-Za-z0-9.-]{1,80})$/;

export function listenerKey(l: Pick<Listener, 'ListenerProtocol' | 'ListenerPort'>): string {
  return `${l.ListenerProtocol}/${l.ListenerPort}`;
}

/** tcp, http and https share the TCP transport of a port; udp has its own. */
export function transportOf(p: ListenerProtocol): 'tcp' | 'udp' {
  return p === 'udp' ? 'udp' : 'tcp';
}

function set(cfg: Cfg, name: string, v: string | number | boolean | undefined): void {
  if (v !== undefined) cfg[name] = v;
}

function httpCodes(p: Params, name: string): string | undefined {
  const v = p.str(name);
  if (v === undefined) return undefined;
  for (const c of v.split(',')) if (!HTTP_CODES.includes(c.trim())) throw invalid(name, `"${c}" is not one of ${HTTP_CODES.join(', ')}.`);
  return v;
}

function healthCommon(p: Params, cfg: Cfg, timeoutName: 'HealthCheckConnectTimeout' | 'HealthCheckTimeout'): void {
  set(cfg, 'HealthCheckConnectPort', p.int('HealthCheckConnectPort', 1, 65535));
  cfg[timeoutName] = p.int(timeoutName, 1, 300) ?? 5;
  cfg.HealthCheckInterval = p.int('HealthCheckInterval', 1, 50, { alt: ['healthCheckInterval'] }) ?? 2;
  cfg.HealthyThreshold = p.int('HealthyThreshold', 2, 10) ?? 3;
  cfg.UnhealthyThreshold = p.int('UnhealthyThreshold', 2, 10) ?? 3;
}

function httpCheckFields(p: Params, cfg: Cfg): void {
  set(cfg, 'HealthCheckDomain', p.str('HealthCheckDomain', { pattern: DOMAIN_RE }));
  const uri = p.str('HealthCheckURI');
  if (uri !== undefined && (!URI_RE.test(uri) || uri.length > 80)) {
    throw invalid('HealthCheckURI', 'It must be 1-80 characters, start with "/" (and not be just "/"), using letters, digits and -/.%?#&.');
  }
  set(cfg, 'HealthCheckURI', uri);
  cfg.HealthCheckHttpCode = httpCodes(p, 'HealthCheckHttpCode') ?? 'http_2xx';
  cfg.HealthCheckMethod = p.oneOf('HealthCheckMethod', ['head', 'get'] as const, { ignoreCase: true }) ?? 'head';
}

function tcpUdpCommon(p: Params, cfg: Cfg): void {
  cfg.PersistenceTimeout = p.int('PersistenceTimeout', 0, 3600) ?? 0;
  cfg.ConnectionDrain = p.oneOf('ConnectionDrain', ON_OFF) ?? 'off';
  const drainTimeout = p.int('ConnectionDrainTimeout', 10, 900);
  if (cfg.ConnectionDrain === 'on' && drainTimeout === undefined) throw missing('ConnectionDrainTimeout');
  set(cfg, 'ConnectionDrainTimeout', drainTimeout);
  const ms = p.str('MasterSlaveServerGroupId');
  if (ms !== undefined) {
    if (p.has('VServerGroupId')) throw invalid('MasterSlaveServerGroupId', 'It cannot be used together with VServerGroupId.');
    throw invalid('MasterSlaveServerGroupId', `The specified server group "${ms}" does not exist.`);
  }
  cfg.ProxyProtocolV2Enabled = p.bool('ProxyProtocolV2Enabled') ?? false;
}

function httpCommon(p: Params, cfg: Cfg, https: boolean): void {
  cfg.HealthCheck = p.oneOf('HealthCheck', ON_OFF, { required: true })!;
  healthCommon(p, cfg, 'HealthCheckTimeout');
  httpCheckFields(p, cfg);
  set(cfg, 'HealthCheckHttpVersion', p.oneOf('HealthCheckHttpVersion', ['http1.0', 'http1.1'] as const));
  cfg.StickySession = p.oneOf('StickySession', ON_OFF) ?? 'off';
  if (cfg.StickySession === 'on') {
    const type = p.oneOf('StickySessionType', ['insert', 'server'] as const, { required: true })!;
    cfg.StickySessionType = type;
    if (type === 'insert') cfg.CookieTimeout = p.int('CookieTimeout', 1, 86400, { required: true })!;
    else cfg.Cookie = p.str('Cookie', { required: true, min: 1, max: 200, pattern: /^[A-Za-z0-9_-]+$/ })!;
  }
  cfg.Gzip = p.oneOf('Gzip', ON_OFF) ?? 'on';
  cfg.IdleTimeout = p.int('IdleTimeout', 1, 60) ?? 15;
  cfg.RequestTimeout = p.int('RequestTimeout', 1, 180) ?? 60;
  cfg.XForwardedFor = p.oneOf('XForwardedFor', ON_OFF) ?? 'on';
  for (const n of ['XForwardedFor_SLBIP', 'XForwardedFor_SLBID', 'XForwardedFor_proto', 'XForwardedFor_SLBPORT', 'XForwardedFor_ClientSrcPort']) {
    cfg[n] = p.oneOf(n, ON_OFF) ?? 'off';
  }
  if (!https) {
    cfg.ListenerForward = p.oneOf('ListenerForward', ON_OFF) ?? 'off';
    if (cfg.ListenerForward === 'on') cfg.ForwardPort = p.int('ForwardPort', 1, 65535, { required: true })!;
  }
}

export interface BuildContext {
  certificateExists(id: string): boolean;
  /** Is this a vServer group of the listener's load balancer? (absent: the seed, which has none) */
  vServerGroupExists?(id: string): boolean;
}

/** Builds a (stopped) listener from Create*Listener parameters; throws ApiError on invalid input. */
export function buildListener(protocol: ListenerProtocol, loadBalancerId: string, p: Params, ctx: BuildContext): Listener {
  const ListenerPort = requireListenerPort(p);
  const vsg = p.str('VServerGroupId');
  if (vsg !== undefined && !ctx.vServerGroupExists?.(vsg)) throw new ApiError(400, 'InvalidParameter.VServerGroupId', `The specified VServerGroupId "${vsg}" does not exist on load balancer ${loadBalancerId}.`);
  const BackendServerPort = p.int('BackendServerPort', 1, 65535, { required: vsg === undefined }) ?? 0;
  let Bandwidth: number;
  if (protocol === 'tcp' || protocol === 'udp') {
    const bw = p.int('Bandwidth', -1, 5120, { required: true })!;
    if (bw === 0) throw invalid('Bandwidth', 'It must be -1 or between 1 and 5120.');
    Bandwidth = bw;
  } else {
    Bandwidth = p.int('Bandwidth', -1, -1) ?? -1;
  }
  const schedulers = protocol === 'tcp' ? ['wrr', 'rr', 'sch', 'tch'] : protocol === 'udp' ? ['wrr', 'rr', 'sch', 'tch', 'qch'] : ['wrr', 'rr'];
  const Scheduler = p.oneOf('Scheduler', schedulers) ?? 'wrr';
  const Description = p.str('Description', { min: 1, max: 256 }) ?? `${protocol}_${ListenerPort}`;
  const AclStatus = p.oneOf('AclStatus', ON_OFF) ?? 'off';
  const AclType = p.oneOf('AclType', ['white', 'black'] as const);
  const AclId = p.str('AclId');
  if (AclStatus === 'on' && (!AclType || !AclId)) throw missing(!AclType ? 'AclType' : 'AclId');
  const Tags = p.tags();

  const cfg: Cfg = {};
  if (protocol === 'tcp') {
    cfg.HealthCheck = p.oneOf('HealthCheckSwitch', ON_OFF, { alt: ['HealthCheck'] }) ?? 'on';
    cfg.HealthCheckType = p.oneOf('HealthCheckType', ['tcp', 'http'] as const) ?? 'tcp';
    healthCommon(p, cfg, 'HealthCheckConnectTimeout');
    httpCheckFields(p, cfg);
    cfg.EstablishedTimeout = p.int('EstablishedTimeout', 10, 900) ?? 900;
    tcpUdpCommon(p, cfg);
    cfg.SynProxy = 'disable';
  } else if (protocol === 'udp') {
    cfg.HealthCheck = p.oneOf('HealthCheckSwitch', ON_OFF, { alt: ['HealthCheck'] }) ?? 'on';
    healthCommon(p, cfg, 'HealthCheckConnectTimeout');
    set(cfg, 'HealthCheckReq', p.str('healthCheckReq', { alt: ['HealthCheckReq'], max: 500 }));
    set(cfg, 'HealthCheckExp', p.str('healthCheckExp', { alt: ['HealthCheckExp'], max: 500 }));
    tcpUdpCommon(p, cfg);
  } else {
    httpCommon(p, cfg, protocol === 'https');
    if (protocol === 'https') {
      const certId = p.str('ServerCertificateId', { required: true })!;
      if (!ctx.certificateExists(certId)) {
        throw new ApiError(400, 'InvalidParameter.ServerCertificateId', `The specified ServerCertificateId "${certId}" does not exist in this region.`);
      }
      cfg.ServerCertificateId = certId;
      const ca = p.str('CACertificateId');
      if (ca !== undefined) throw new ApiError(400, 'InvalidParameter.CACertificateId', `The specified CACertificateId "${ca}" does not exist.`);
      cfg.EnableHttp2 = p.oneOf('EnableHttp2', ON_OFF) ?? 'on';
      cfg.TLSCipherPolicy =
        p.oneOf('TLSCipherPolicy', ['tls_cipher_policy_1_0', 'tls_cipher_policy_1_1', 'tls_cipher_policy_1_2', 'tls_cipher_policy_1_2_strict', 'tls_cipher_policy_1_2_strict_with_1_3'] as const) ??
        'tls_cipher_policy_1_0';
    }
  }
  return { LoadBalancerId: loadBalancerId, ListenerPort, ListenerProtocol: protocol, BackendServerPort, VServerGroupId: vsg, Status: 'stopped', Description, Bandwidth, Scheduler, AclStatus, AclType, AclId, Tags, cfg };
}

/**
 * Set<Proto>ListenerAttribute, the part the CCM uses when it takes a listener over: Description,
 * Scheduler, and `VServerGroup` on|off with `VServerGroupId`. Other attributes are refused as not
 * supported (so a caller relying on them learns it, instead of a silent no-op).
 */
export function setListenerAttributes(l: Listener, p: Params, ctx: BuildContext): void {
  const known = new Set(['LoadBalancerId', 'ListenerPort', 'RegionId', 'Description', 'Scheduler', 'VServerGroup', 'VServerGroupId', 'Bandwidth']);
  for (const name of p.map.keys()) if (!known.has(name)) throw invalid(name, 'Changing this attribute is not supported by the sandbox.');
  const description = p.str('Description', { min: 1, max: 256 });
  const schedulers = l.ListenerProtocol === 'tcp' ? ['wrr', 'rr', 'sch', 'tch'] : l.ListenerProtocol === 'udp' ? ['wrr', 'rr', 'sch', 'tch', 'qch'] : ['wrr', 'rr'];
  const scheduler = p.oneOf('Scheduler', schedulers);
  const toGroup = p.oneOf('VServerGroup', ON_OFF);
  const groupId = p.str('VServerGroupId');
  if (groupId !== undefined && toGroup !== 'on') throw invalid('VServerGroup', 'Set VServerGroup=on together with VServerGroupId.');
  if (toGroup === 'on' && groupId === undefined) throw missing('VServerGroupId');
  if (groupId !== undefined && !ctx.vServerGroupExists?.(groupId)) throw new ApiError(400, 'InvalidParameter.VServerGroupId', `The specified VServerGroupId "${groupId}" does not exist on load balancer ${l.LoadBalancerId}.`);
  if (toGroup === 'off' && l.BackendServerPort === 0) throw invalid('VServerGroup', 'The listener has no BackendServerPort to fall back to.');
  const bandwidth = p.int('Bandwidth', -1, 5120);
  if (description !== undefined) l.Description = description;
  if (scheduler !== undefined) l.Scheduler = scheduler;
  if (bandwidth !== undefined && bandwidth !== 0) l.Bandwidth = bandwidth;
  if (toGroup === 'on') l.VServerGroupId = groupId;
  if (toGroup === 'off') l.VServerGroupId = undefined;
}

const CONFIG_NAME: Record<ListenerProtocol, string> = {
  tcp: 'TCPListenerConfig',
  udp: 'UDPListenerConfig',
  http: 'HTTPListenerConfig',
  https: 'HTTPSListenerConfig',
};

function core(l: Listener) {
  const out: Record<string, unknown> = {
    LoadBalancerId: l.LoadBalancerId,
    ListenerPort: l.ListenerPort,
    ListenerProtocol: l.ListenerProtocol,
    Status: l.Status,
    Description: l.Description,
    Bandwidth: l.Bandwidth,
    Scheduler: l.Scheduler,
    AclStatus: l.AclStatus,
  };
  // Absent when a vServer group is used without a port of its own (facts sheet §7.5).
  if (l.BackendServerPort > 0) out.BackendServerPort = l.BackendServerPort;
  if (l.VServerGroupId) out.VServerGroupId = l.VServerGroupId;
  if (l.AclType) out.AclType = l.AclType;
  if (l.AclId) out.AclId = l.AclId;
  return out;
}

/** One item of DescribeLoadBalancerListeners.Listeners (config nested; ProxyProtocolV2Enabled as a string). */
export function renderListenerItem(l: Listener): Record<string, unknown> {
  const cfg: Cfg = { ...l.cfg };
  if ('ProxyProtocolV2Enabled' in cfg) cfg.ProxyProtocolV2Enabled = String(cfg.ProxyProtocolV2Enabled);
  delete cfg.SynProxy;
  return {
    ...core(l),
    AclIds: l.AclId ? [l.AclId] : [],
    Tags: l.Tags.map((t) => ({ ...t })),
    [CONFIG_NAME[l.ListenerProtocol]]: cfg,
  };
}

/** Flat body of Describe<Proto>ListenerAttribute (without RequestId). */
export function renderListenerAttribute(l: Listener): Record<string, unknown> {
  const out: Record<string, unknown> = { ...core(l), ...l.cfg };
  delete out.ListenerProtocol;
  out.AclIds = { AclId: l.AclId ? [l.AclId] : [] };
  out.Tags = { Tag: l.Tags.map((t) => ({ ...t })) };
  if (l.ListenerProtocol === 'https') out.DomainExtensions = { DomainExtension: [] };
  if (l.ListenerProtocol === 'http' || l.ListenerProtocol === 'https') out.Rules = { Rule: [] };
  return out;
}
