/**
 * Where the SLB API lives.
 *
 * Mirrors the endpoint resolution of the generated `@alicloud/slb20140515` client
 * (facts sheet §1): an explicit endpoint wins; else the product's built-in map (most
 * historical regions use the central host `slb.aliyuncs.com`); else the regional rule
 * `slb.<regionId>.aliyuncs.com`.
 *
 * The explicit endpoint comes from a user setting and may be written as
 * `http://127.0.0.1:1234` (sandbox; sets protocol HTTP), `https://slb-vpc.cn-hangzhou.aliyuncs.com`,
 * `127.0.0.1:1234` or a bare host. openapi-core wants a bare `host[:port]` and a separate
 * protocol, which is what {@link parseEndpointSetting} returns.
 *
 * Transport-free: no vscode import, no network.
 */

export const SLB_PRODUCT = 'slb';
export const SLB_CENTRAL_HOST = 'slb.aliyuncs.com';

/**
 * The endpoint map of the generated SLB SDK (region → host), limited to the entries the facts
 * sheet confirms. Regions not listed fall through to the regional rule, which is what the
 * public DescribeRegions `RegionEndpoint` answers for them anyway.
 */
export const SLB_ENDPOINT_MAP: Readonly<Record<string, string>> = Object.freeze({
  'cn-qingdao': SLB_CENTRAL_HOST,
  'cn-beijing': SLB_CENTRAL_HOST,
  'cn-hangzhou': SLB_CENTRAL_HOST,
  'cn-shanghai': SLB_CENTRAL_HOST,
  'cn-shenzhen': SLB_CENTRAL_HOST,
  'cn-hongkong': SLB_CENTRAL_HOST,
  'ap-southeast-1': SLB_CENTRAL_HOST,
  'us-east-1': SLB_CENTRAL_HOST,
  'us-west-1': SLB_CENTRAL_HOST,
  'cn-shanghai-finance-1': SLB_CENTRAL_HOST,
  'cn-shenzhen-finance-1': SLB_CENTRAL_HOST,
  'cn-north-2-gov-1': SLB_CENTRAL_HOST,
  'cn-beijing-gov-1': SLB_CENTRAL_HOST,
  'cn-hangzhou-finance': SLB_CENTRAL_HOST,
  'cn-zhangbei': SLB_CENTRAL_HOST,
  'cn-huhehaote-nebula-1': 'slb-api.cn-qingdao-nebula.aliyuncs.com',
});

export type EndpointProtocol = 'HTTP' | 'HTTPS';

export interface ParsedEndpoint {
  /** Bare `host[:port]`, as openapi-core's `Config.endpoint` wants it. */
  host: string;
  /** Set when the setting carried a scheme; undefined means "keep the SDK default" (HTTPS). */
  protocol?: EndpointProtocol;
}

export interface ResolvedEndpoint {
  host: string;
  protocol: EndpointProtocol;
  /** How it was chosen, for logs and the status bar. */
  source: 'setting' | 'map' | 'rule';
}

/** Thrown for an endpoint setting that cannot be a host. The message is English; callers localise. */
export class EndpointSettingError extends Error {
  constructor(readonly setting: string, reason: string) {
    super(`invalid SLB endpoint setting "${setting}": ${reason}`);
    this.name = 'EndpointSettingError';
  }
}

/**
 * Parse the endpoint setting. Accepts `http://h:p`, `https://h[:p][/]`, `h:p`, `h`,
 * `[::1]:p`. Returns undefined for an empty / whitespace setting (= use the regional default).
 */
export function parseEndpointSetting(setting: string | undefined | null): ParsedEndpoint | undefined {
  if (setting === undefined || setting === null) return undefined;
  const raw = String(setting).trim();
  if (raw === '') return undefined;
  let protocol: EndpointProtocol | undefined;
  let rest = raw;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    if (s === 'http') protocol = 'HTTP';
    else if (s === 'https') protocol = 'HTTPS';
    else throw new EndpointSettingError(raw, `unsupported scheme "${s}" (use http:// or https://)`);
    rest = raw.slice(scheme[0].length);
  }
  // Drop a trailing path of just "/" (the RPC API lives at "/"); any other path is an error.
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const path = rest.slice(slash);
    if (path !== '/' ) throw new EndpointSettingError(raw, 'the SLB API lives at "/"; remove the path');
    rest = rest.slice(0, slash);
  }
  if (rest.includes('@')) throw new EndpointSettingError(raw, 'user info is not allowed in the endpoint');
  if (rest === '') throw new EndpointSettingError(raw, 'no host');
  // host[:port] validation
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(rest);
  if (!m) throw new EndpointSettingError(raw, 'not a host or host:port');
  if (m[2] !== undefined) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new EndpointSettingError(raw, `port ${m[2]} out of range`);
  }
  return { host: rest.toLowerCase(), protocol };
}

/** Host for a region following the generated SDK (map, else `slb.<region>.aliyuncs.com`). */
export function regionalSlbHost(regionId: string, network?: string, suffix?: string): string {
  if (!regionId) throw new Error('RegionId is empty, please set a valid RegionId');
  const hasNetwork = !!network && network !== 'public';
  if (!hasNetwork && !suffix) {
    const mapped = SLB_ENDPOINT_MAP[regionId];
    if (mapped) return mapped;
  }
  const n = hasNetwork ? `-${network}` : '';
  const s = suffix ? `-${suffix}` : '';
  return `${SLB_PRODUCT}${s}${n}.${regionId}.aliyuncs.com`;
}

/**
 * Resolve the endpoint for a call: the setting if given (its scheme decides the protocol,
 * default HTTPS), else the SDK's map/rule for the region with HTTPS.
 */
export function resolveSlbEndpoint(regionId: string, setting?: string | null): ResolvedEndpoint {
  const parsed = parseEndpointSetting(setting);
  if (parsed) return { host: parsed.host, protocol: parsed.protocol ?? 'HTTPS', source: 'setting' };
  const host = regionalSlbHost(regionId);
  return { host, protocol: 'HTTPS', source: SLB_ENDPOINT_MAP[regionId] ? 'map' : 'rule' };
}
