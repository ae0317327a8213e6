/**
 * A small typed SLB (CLB, API version 2014-05-15) client on `@alicloud/openapi-core`.
 *
 * `@alicloud/slb20140515` is not installable here. This file is the ONE place that stands in
 * for it: {@link SlbOpenApiClient} does exactly what the generated SDK does (same Params, same
 * query flattening, same endpoint rule, ACS3-HMAC-SHA256 signing by openapi-core), and
 * {@link SlbClient} adds what the SDK does not: typed errors with actionable messages
 * ({@link SlbApiError}), bounded timeouts, bounded throttling retries, recognition of non-JSON
 * bodies, parameter quirks and secret redaction. To adopt the official package later, replace
 * `SlbOpenApiClient` by its `Client` (its `<action>WithOptions(request, runtime)` methods return
 * the same `{ headers, statusCode, body }`), keep `SlbClient` as is.
 *
 * Transport-free engine code: no vscode import, no LSP.
 */
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import Credential from '@alicloud/credentials';
import { makeStaticCredential, StaticCredentials } from './credentials';
import { ensureObserving, observeRequests, watchdogRuntime, WireObservation } from './wireWatch';

import { resolveSlbEndpoint, EndpointSettingError, ResolvedEndpoint, SLB_ENDPOINT_MAP } from './endpoint';
import {
  SlbApiError, toSlbApiError, Translate, defaultTranslate, LocalErrorCodes, isThrottlingCode, redact,
} from './slbErrors';
import type * as T from './slbTypes';

export * from './slbTypes';

export const SLB_API_VERSION = '2014-05-15';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/** Every SLB action the client knows (wire names). */
export type SlbAction =
  | 'DescribeRegions'
  | 'DescribeLoadBalancers'
  | 'DescribeLoadBalancerAttribute'
  | 'DescribeLoadBalancerListeners'
  | 'DescribeLoadBalancerTCPListenerAttribute'
  | 'DescribeLoadBalancerUDPListenerAttribute'
  | 'DescribeLoadBalancerHTTPListenerAttribute'
  | 'DescribeLoadBalancerHTTPSListenerAttribute'
  | 'CreateLoadBalancerTCPListener'
  | 'CreateLoadBalancerUDPListener'
  | 'CreateLoadBalancerHTTPListener'
  | 'CreateLoadBalancerHTTPSListener'
  | 'StartLoadBalancerListener'
  | 'StopLoadBalancerListener'
  | 'DeleteLoadBalancerListener'
  | 'DescribeHealthStatus'
  | 'DescribeServerCertificates'
  // vServer groups and listener attributes: what the Kubernetes CCM uses (engine/k8s/ccmApply.ts)
  | 'CreateVServerGroup'
  | 'DescribeVServerGroups'
  | 'DescribeVServerGroupAttribute'
  | 'AddVServerGroupBackendServers'
  | 'SetLoadBalancerTCPListenerAttribute'
  | 'SetLoadBalancerUDPListenerAttribute'
  | 'SetLoadBalancerHTTPListenerAttribute'
  | 'SetLoadBalancerHTTPSListenerAttribute';

export { makeStaticCredential };
export type { StaticCredentials };

// ---------------------------------------------------------------------------------------------
// The generated-SDK stand-in

/** The Params every generated SLB call passes to `callApi`. */
export function slbParams(action: SlbAction | string): $OpenApiUtil.Params {
  return new $OpenApiUtil.Params({
    action,
    version: SLB_API_VERSION,
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
}

export interface SlbOpenApiConfig {
  credential: Credential;
  regionId: string;
  /** `host[:port]`; when unset, computed from the region like the generated SDK. */
  endpoint?: string;
  /** 'HTTP' or 'HTTPS' (default: the Params' HTTPS). */
  protocol?: string;
  connectTimeout?: number;
  readTimeout?: number;
  userAgent?: string;
}

/**
 * Mirrors the generated `@alicloud/slb20140515` Client: an openapi-core subclass with the
 * regional endpoint rule and map; every action goes through {@link callAction}, which is what
 * each generated `<action>WithOptions` does after copying the model into a wire-named object.
 */
export class SlbOpenApiClient extends OpenApi {
  constructor(config: SlbOpenApiConfig) {
    const endpoint = config.endpoint ?? resolveSlbEndpoint(config.regionId).host;
    super(new $OpenApiUtil.Config({
      credential: config.credential,
      regionId: config.regionId,
      endpoint,
      protocol: config.protocol,
      connectTimeout: config.connectTimeout,
      readTimeout: config.readTimeout,
      userAgent: config.userAgent,
    }));
    this._endpointRule = 'regional';
    this._endpointMap = { ...SLB_ENDPOINT_MAP };
    this._endpoint = endpoint;
  }

  /** Flattened wire query → `callApi` with the SDK's Params. Returns `{ headers, statusCode, body }`. */
  async callAction<B>(action: SlbAction | string, wireRequest: Record<string, unknown>, runtime: $dara.RuntimeOptions): Promise<T.SlbRawResponse<B>> {
    const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(wireRequest) });
    const res = await this.callApi(slbParams(action), req, runtime);
    return res as T.SlbRawResponse<B>;
  }
}

// ---------------------------------------------------------------------------------------------
// Request → wire object (the quirks of the facts sheet §2)

/** Renames applied on the wire per action (SDK model wire names). */
const WIRE_RENAMES: Partial<Record<SlbAction, Record<string, string>>> = {
  CreateLoadBalancerTCPListener: { HealthCheckInterval: 'healthCheckInterval' },
  CreateLoadBalancerUDPListener: {
    HealthCheckInterval: 'healthCheckInterval',
    HealthCheckReq: 'healthCheckReq',
    HealthCheckExp: 'healthCheckExp',
  },
};

/** Build the wire-named object (before flattening) exactly as the generated SDK would send it. */
export function toWireRequest(action: SlbAction, request: object, defaultRegionId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const renames = WIRE_RENAMES[action] ?? {};
  for (const [k, v] of Object.entries(request)) {
    if (v === undefined || v === null) continue;
    const wire = renames[k] ?? k;
    // An explicit lower-case spelling wins over nothing, but not over the PascalCase one.
    if (wire !== k || !(k in out)) out[wire] = v;
  }
  if (out.RegionId === undefined && defaultRegionId) out.RegionId = defaultRegionId;
  switch (action) {
    case 'DescribeLoadBalancers':
      // One comma-separated string on the wire.
      for (const f of ['LoadBalancerId', 'LoadBalancerName']) {
        if (Array.isArray(out[f])) out[f] = (out[f] as unknown[]).join(',');
      }
      break;
    case 'DescribeLoadBalancerListeners':
      // An array on the wire: LoadBalancerId.1, LoadBalancerId.2, …
      if (typeof out.LoadBalancerId === 'string') {
        out.LoadBalancerId = (out.LoadBalancerId as string).split(',').map((s) => s.trim()).filter(Boolean);
      }
      break;
    case 'CreateLoadBalancerHTTPListener':
    case 'CreateLoadBalancerHTTPSListener':
      if (out.StickySession === undefined) out.StickySession = 'off';
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The typed client

export interface RetryPolicy {
  /** Total attempts including the first (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** First backoff step in ms (default 300); doubles per attempt, equal jitter. */
  baseDelayMs?: number;
  /** Cap of one backoff step (default 3000). */
  maxDelayMs?: number;
  /** Cap applied to `x-acs-retry-after` (ms) (default 5000). */
  maxRetryAfterMs?: number;
  /** Retry idempotent Describe* calls on 5xx / ServiceUnavailable / busy codes (default true). */
  retryServerErrors?: boolean;
  /** Retry idempotent Describe* calls after a timeout (default false: a hung API stays one timeout long). */
  retryTimeouts?: boolean;
}

export interface SlbClientOptions {
  /** Static credentials, or a ready `@alicloud/credentials` Credential (static kinds only: no network). */
  credentials: StaticCredentials | Credential;
  /** Region of the calls (sent as RegionId, and used for the endpoint when none is set). */
  regionId: string;
  /** Endpoint setting: `http://127.0.0.1:1234`, `127.0.0.1:1234`, a bare host, or empty for the regional default. */
  endpoint?: string;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Translate function for messages (default `l10n.t`). */
  t?: Translate;
  userAgent?: string;
  /** Extra strings to keep out of errors (the client already knows the secret and token of static credentials). */
  redact?: string[];
  /** Called before each retry (safe to log: no secret). */
  onRetry?: (info: { action: string; attempt: number; delayMs: number; code: string }) => void;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface CallOptions {
  /** Checked before each attempt and during backoff; an aborted call throws. */
  signal?: AbortSignal;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface PageAllOptions extends CallOptions {
  /** Page size used for the walk (default 100, the API's max). */
  pageSize?: number;
  /** Safety bound on the number of pages (default 100). */
  maxPages?: number;
}

/** Actions the API guarantees to be side-effect free. */
export function isIdempotentAction(action: string): boolean {
  return action.startsWith('Describe');
}

export class SlbClient {
  readonly regionId: string;
  readonly endpoint: ResolvedEndpoint;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  private readonly raw: SlbOpenApiClient;
  private readonly t: Translate;
  private readonly retry: Required<RetryPolicy>;
  private readonly secrets: string[];
  private secretsLoaded: boolean;
  private readonly credential: Credential;
  private readonly onRetry?: SlbClientOptions['onRetry'];
  private readonly sleepFn: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: SlbClientOptions) {
    this.t = options.t ?? defaultTranslate;
    if (!options.regionId) {
      throw new SlbApiError({ code: LocalErrorCodes.MissingRegion, kind: 'config', action: '', message: this.t('No region is set for the SLB client: choose a region.') });
    }
    this.regionId = options.regionId;
    try {
      this.endpoint = resolveSlbEndpoint(options.regionId, options.endpoint);
    } catch (e) {
      const setting = e instanceof EndpointSettingError ? e.setting : String(options.endpoint);
      throw new SlbApiError({ code: LocalErrorCodes.InvalidEndpoint, kind: 'config', action: '',
        message: this.t('The SLB endpoint setting "{0}" is not valid: use a host, host:port or http(s)://host:port.', setting) });
    }
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.retry = {
      maxAttempts: Math.max(1, Math.min(options.retry?.maxAttempts ?? 3, 10)),
      baseDelayMs: options.retry?.baseDelayMs ?? 300,
      maxDelayMs: options.retry?.maxDelayMs ?? 3_000,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 5_000,
      retryServerErrors: options.retry?.retryServerErrors ?? true,
      retryTimeouts: options.retry?.retryTimeouts ?? false,
    };
    this.secrets = [...(options.redact ?? [])];
    if (options.credentials instanceof Credential) {
      this.credential = options.credentials;
      this.secretsLoaded = false;
    } else {
      const c = options.credentials;
      if (!c || !c.accessKeyId || !c.accessKeySecret) {
        throw new SlbApiError({ code: LocalErrorCodes.NoCredentials, kind: 'credentials', action: '',
          message: this.t('No Alibaba Cloud credentials are configured: set an AccessKey or choose a profile.') });
      }
      this.secrets.push(c.accessKeySecret);
      if (c.securityToken) this.secrets.push(c.securityToken);
      this.credential = makeStaticCredential(c);
      this.secretsLoaded = true;
    }
    this.onRetry = options.onRetry;
    this.sleepFn = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.raw = new SlbOpenApiClient({
      credential: this.credential,
      regionId: this.regionId,
      endpoint: this.endpoint.host,
      protocol: this.endpoint.protocol,
      connectTimeout: this.connectTimeoutMs,
      readTimeout: this.readTimeoutMs,
      userAgent: options.userAgent,
    });
    ensureObserving();
  }

  /** The stand-in for the generated SDK client, for callers that need raw `{headers, statusCode, body}`. */
  get openApiClient(): SlbOpenApiClient {
    return this.raw;
  }

  // -- SDK-named methods ----------------------------------------------------------------------

  describeRegions(request: T.DescribeRegionsRequest = {}, opts?: CallOptions): Promise<T.DescribeRegionsResponseBody> {
    return this.call<T.DescribeRegionsResponseBody>('DescribeRegions', request, opts).then((b) => {
      b.Regions = { Region: b.Regions?.Region ?? [] };
      return b;
    });
  }

  describeLoadBalancers(request: T.DescribeLoadBalancersRequest = {}, opts?: CallOptions): Promise<T.DescribeLoadBalancersResponseBody> {
    return this.call<T.DescribeLoadBalancersResponseBody>('DescribeLoadBalancers', request, opts).then((b) => {
      b.LoadBalancers = { LoadBalancer: b.LoadBalancers?.LoadBalancer ?? [] };
      return b;
    });
  }

  /** Every load balancer matching the filter, walking PageNumber until TotalCount is reached. */
  async describeAllLoadBalancers(request: Omit<T.DescribeLoadBalancersRequest, 'PageNumber' | 'PageSize'> = {}, opts: PageAllOptions = {}): Promise<T.LoadBalancerSummary[]> {
    const pageSize = Math.max(1, Math.min(opts.pageSize ?? 100, 100));
    const maxPages = opts.maxPages ?? 100;
    const all: T.LoadBalancerSummary[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const body = await this.describeLoadBalancers({ ...request, PageNumber: page, PageSize: pageSize }, opts);
      const items = body.LoadBalancers.LoadBalancer;
      all.push(...items);
      const total = Number(body.TotalCount);
      if (items.length === 0 || items.length < pageSize || (Number.isFinite(total) && all.length >= total)) break;
    }
    return all;
  }

  describeLoadBalancerAttribute(request: T.DescribeLoadBalancerAttributeRequest, opts?: CallOptions): Promise<T.DescribeLoadBalancerAttributeResponseBody> {
    return this.call('DescribeLoadBalancerAttribute', request, opts);
  }

  describeLoadBalancerListeners(request: T.DescribeLoadBalancerListenersRequest = {}, opts?: CallOptions): Promise<T.DescribeLoadBalancerListenersResponseBody> {
    return this.call<T.DescribeLoadBalancerListenersResponseBody>('DescribeLoadBalancerListeners', request, opts).then((b) => {
      if (!Array.isArray(b.Listeners)) b.Listeners = [];
      return b;
    });
  }

  /** Every listener matching the filter, following NextToken. */
  async describeAllLoadBalancerListeners(request: Omit<T.DescribeLoadBalancerListenersRequest, 'NextToken' | 'MaxResults'> = {}, opts: PageAllOptions = {}): Promise<T.ListenerSummary[]> {
    const maxResults = Math.max(1, Math.min(opts.pageSize ?? 100, 100));
    const maxPages = opts.maxPages ?? 100;
    const all: T.ListenerSummary[] = [];
    let token: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const body = await this.describeLoadBalancerListeners({ ...request, MaxResults: maxResults, NextToken: token }, opts);
      all.push(...(body.Listeners ?? []));
      token = body.NextToken || undefined;
      if (!token) break;
    }
    return all;
  }

  describeLoadBalancerTCPListenerAttribute(request: T.DescribeLoadBalancerTCPListenerAttributeRequest, opts?: CallOptions): Promise<T.DescribeLoadBalancerTCPListenerAttributeResponseBody> {
    return this.call('DescribeLoadBalancerTCPListenerAttribute', request, opts);
  }
  describeLoadBalancerUDPListenerAttribute(request: T.DescribeLoadBalancerUDPListenerAttributeRequest, opts?: CallOptions): Promise<T.DescribeLoadBalancerUDPListenerAttributeResponseBody> {
    return this.call('DescribeLoadBalancerUDPListenerAttribute', request, opts);
  }
  describeLoadBalancerHTTPListenerAttribute(request: T.DescribeLoadBalancerHTTPListenerAttributeRequest, opts?: CallOptions): Promise<T.DescribeLoadBalancerHTTPListenerAttributeResponseBody> {
    return this.call('DescribeLoadBalancerHTTPListenerAttribute', request, opts);
  }
  describeLoadBalancerHTTPSListenerAttribute(request: T.DescribeLoadBalancerHTTPSListenerAttributeRequest, opts?: CallOptions): Promise<T.DescribeLoadBalancerHTTPSListenerAttributeResponseBody> {
    return this.call('DescribeLoadBalancerHTTPSListenerAttribute', request, opts);
  }

  createLoadBalancerTCPListener(request: T.CreateLoadBalancerTCPListenerRequest, opts?: CallOptions): Promise<T.CreateLoadBalancerTCPListenerResponseBody> {
    return this.call('CreateLoadBalancerTCPListener', request, opts);
  }
  createLoadBalancerUDPListener(request: T.CreateLoadBalancerUDPListenerRequest, opts?: CallOptions): Promise<T.CreateLoadBalancerUDPListenerResponseBody> {
    return this.call('CreateLoadBalancerUDPListener', request, opts);
  }
  createLoadBalancerHTTPListener(request: T.CreateLoadBalancerHTTPListenerRequest, opts?: CallOptions): Promise<T.CreateLoadBalancerHTTPListenerResponseBody> {
    return this.call('CreateLoadBalancerHTTPListener', request, opts);
  }
  createLoadBalancerHTTPSListener(request: T.CreateLoadBalancerHTTPSListenerRequest, opts?: CallOptions): Promise<T.CreateLoadBalancerHTTPSListenerResponseBody> {
    return this.call('CreateLoadBalancerHTTPSListener', request, opts);
  }

  startLoadBalancerListener(request: T.StartLoadBalancerListenerRequest, opts?: CallOptions): Promise<T.StartLoadBalancerListenerResponseBody> {
    return this.call('StartLoadBalancerListener', request, opts);
  }
  stopLoadBalancerListener(request: T.StopLoadBalancerListenerRequest, opts?: CallOptions): Promise<T.StopLoadBalancerListenerResponseBody> {
    return this.call('StopLoadBalancerListener', request, opts);
  }
  deleteLoadBalancerListener(request: T.DeleteLoadBalancerListenerRequest, opts?: CallOptions): Promise<T.DeleteLoadBalancerListenerResponseBody> {
    return this.call('DeleteLoadBalancerListener', request, opts);
  }

  describeHealthStatus(request: T.DescribeHealthStatusRequest, opts?: CallOptions): Promise<T.DescribeHealthStatusResponseBody> {
    return this.call<T.DescribeHealthStatusResponseBody>('DescribeHealthStatus', request, opts).then((b) => {
      b.BackendServers = { BackendServer: b.BackendServers?.BackendServer ?? [] };
      return b;
    });
  }

  // -- vServer groups (BackendServers is a JSON string on the wire) ----------------------------

  createVServerGroup(request: { LoadBalancerId: string; VServerGroupName: string; BackendServers?: string }, opts?: CallOptions): Promise<{ VServerGroupId: string }> {
    return this.call('CreateVServerGroup', request, opts);
  }
  describeVServerGroups(request: { LoadBalancerId: string; IncludeListener?: boolean }, opts?: CallOptions): Promise<{ VServerGroups: { VServerGroup: T.VServerGroupSummary[] } }> {
    return this.call<{ VServerGroups?: { VServerGroup?: T.VServerGroupSummary[] } }>('DescribeVServerGroups', request, opts).then((b) => ({ ...b, VServerGroups: { VServerGroup: b.VServerGroups?.VServerGroup ?? [] } }));
  }
  describeVServerGroupAttribute(request: { VServerGroupId: string }, opts?: CallOptions): Promise<{ VServerGroupId: string; VServerGroupName?: string; BackendServers: { BackendServer: T.VServerGroupBackend[] } }> {
    return this.call<{ VServerGroupId: string; VServerGroupName?: string; BackendServers?: { BackendServer?: T.VServerGroupBackend[] } }>('DescribeVServerGroupAttribute', request, opts).then((b) => ({ ...b, BackendServers: { BackendServer: b.BackendServers?.BackendServer ?? [] } }));
  }
  addVServerGroupBackendServers(request: { VServerGroupId: string; BackendServers: string }, opts?: CallOptions): Promise<unknown> {
    return this.call('AddVServerGroupBackendServers', request, opts);
  }
  /** Set<Protocol>ListenerAttribute (Description, Scheduler, VServerGroup on + VServerGroupId). */
  setListenerAttribute(protocol: 'tcp' | 'udp' | 'http' | 'https', request: { LoadBalancerId: string; ListenerPort: number; Description?: string; Scheduler?: string; VServerGroup?: 'on' | 'off'; VServerGroupId?: string }, opts?: CallOptions): Promise<unknown> {
    const action = `SetLoadBalancer${protocol.toUpperCase()}ListenerAttribute` as SlbAction;
    return this.call(action, request, opts);
  }

  describeServerCertificates(request: T.DescribeServerCertificatesRequest = {}, opts?: CallOptions): Promise<T.DescribeServerCertificatesResponseBody> {
    return this.call<T.DescribeServerCertificatesResponseBody>('DescribeServerCertificates', request, opts).then((b) => {
      b.ServerCertificates = { ServerCertificate: b.ServerCertificates?.ServerCertificate ?? [] };
      return b;
    });
  }

  // -- the one call path ---------------------------------------------------------------------

  /**
   * Call an action: wire-name the request, sign and send through openapi-core, map every
   * failure to SlbApiError, retry within the policy. Returns the parsed JSON body.
   */
  async call<B>(action: SlbAction, request: object, opts: CallOptions = {}): Promise<B> {
    await this.loadSecrets();
    const wire = toWireRequest(action, request, this.regionId);
    const readTimeoutMs = opts.readTimeoutMs ?? this.readTimeoutMs;
    const connectTimeoutMs = opts.connectTimeoutMs ?? this.connectTimeoutMs;
    const runtime = watchdogRuntime(connectTimeoutMs, readTimeoutMs);
    const idempotent = isIdempotentAction(action);

    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted(action, opts.signal, attempt - 1);
      const obs: WireObservation = { connectTimeoutMs, readTimeoutMs };
      let failure: SlbApiError;
      let retryAfterMs: number | undefined;
      try {
        const res = await observeRequests(obs, () => this.raw.callAction<B>(action, wire, runtime));
        const body = res.body as unknown;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) {
          // 2xx but not the API's JSON object (e.g. a proxy answering "OK" as JSON string).
          throw new SyntaxError('response body is not a JSON object');
        }
        return body as B;
      } catch (err) {
        const ra = (err as { retryAfter?: unknown } | null)?.retryAfter;
        retryAfterMs = typeof ra === 'number' && Number.isFinite(ra) && ra >= 0 ? ra : undefined;
        failure = toSlbApiError(err, {
          action,
          endpoint: this.endpoint.host,
          regionId: this.regionId,
          request: wire,
          readTimeoutMs,
          connectTimeoutMs,
          secrets: this.secrets,
          t: this.t,
          observedStatus: obs.status,
          observedContentType: obs.contentType,
          connected: obs.connected,
          timedOut: obs.timedOut,
          attempts: attempt,
        });
      }
      if (!this.shouldRetry(failure, idempotent, attempt)) throw failure;
      const delayMs = this.backoff(attempt, retryAfterMs);
      this.onRetry?.({ action, attempt, delayMs, code: failure.code });
      await this.sleepAbortable(delayMs, opts.signal);
    }
  }

  /**
   * Retry decision (documented in README.md):
   * - Throttling* on ANY action: the gateway rejects a throttled request before the action runs,
   *   so retrying even a Create/Start/Stop/Delete cannot do it twice.
   * - 5xx / ServiceUnavailable / InternalError / busy codes: only idempotent Describe* calls
   *   (a create that failed with 500 may or may not have happened).
   * - timeouts: only Describe*, and only if `retryTimeouts` (off by default).
   * - never: auth/permission/validation errors, non-JSON/HTML bodies, refused connections.
   */
  private shouldRetry(e: SlbApiError, idempotent: boolean, attempt: number): boolean {
    if (attempt >= this.retry.maxAttempts) return false;
    if (e.kind === 'api' && isThrottlingCode(e.code)) return true;
    if (!idempotent) return false;
    if (e.kind === 'api' && e.retryable) return this.retry.retryServerErrors;
    if (e.kind === 'timeout') return this.retry.retryTimeouts;
    return false;
  }

  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retry.maxRetryAfterMs);
    const step = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + this.random() * (step / 2)); // equal jitter
  }

  /**
   * The secrets to keep out of errors. Static credentials are known from the start; a Credential
   * (an assumed role, ECS role, credentials URI) can change its secret and token on refresh, so it
   * is asked before every call (cheap: it answers from its cache until shortly before expiry).
   */
  private async loadSecrets(): Promise<void> {
    if (this.secretsLoaded) return;
    try {
      const m = await this.credential.getCredential();
      for (const s of [m.accessKeySecret, m.securityToken]) if (s && !this.secrets.includes(s)) this.secrets.push(s);
    } catch {
      // openapi-core will fail the call with the same error; nothing new to redact.
    }
  }

  private throwIfAborted(action: string, signal: AbortSignal | undefined, attempts: number): void {
    if (signal?.aborted) {
      throw new SlbApiError({ code: 'Aborted', kind: 'network', action, attempts, endpoint: this.endpoint.host,
        message: redact(this.t('The SLB call {0} was cancelled.', action), this.secrets) });
    }
  }

  private sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
    if (!signal) return this.sleepFn(ms);
    return new Promise<void>((resolve) => {
      const done = () => { signal.removeEventListener('abort', done); resolve(); };
      signal.addEventListener('abort', done, { once: true });
      this.sleepFn(ms).then(done, done);
    });
  }
}
