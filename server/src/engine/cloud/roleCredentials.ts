/**
 * Credentials that have to be fetched: an assumed RAM role (STS AssumeRole with the profile's
 * AccessKey), the RAM role of an ECS instance (metadata service) and a credentials URI. Only when
 * a profile says so: nothing here is probed by default.
 *
 * Why not the providers of @alicloud/credentials 2.4.7 (RAMRoleARNCredentialsProvider,
 * ECSRAMRoleCredentialsProvider, URICredentialsProvider): the STS one always uses https (no
 * local sandbox, no http proxy endpoint), the ECS one has 100.100.100.200 built in, and all three
 * put the server's answer into their error messages (`error retrieving credentials from
 * credentialsURI result: {...}` carries an AccessKey secret when the answer lacks only the
 * token). Here: STS goes through @alicloud/openapi-core like the SLB calls (same signing, same
 * watchdog that names the connect/read phase), metadata and URI through `boundedRequest`, and no
 * message ever contains an answer body. What we do use of the library: its `Credential` class
 * with our provider, so openapi-core asks for fresh credentials before every request.
 *
 * Cache: one provider per profile spec, kept for the process (the language server reuses it for
 * every command); its credentials are reused until 3 minutes before their Expiration.
 *
 * Transport-free: no vscode import.
 */
import { createHash } from 'node:crypto';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import Credential from '@alicloud/credentials';
import { BoundedHttpError, boundedRequest } from './boundedHttp';
import { parseEndpointSetting } from './endpoint';
import { observeRequests, watchdogRuntime, WireObservation } from './wireWatch';
import { defaultTranslate, maskKeyId, redact, SlbApiError, toSlbApiError, Translate } from './slbErrors';
import type { StaticCredentials } from './credentials';

export const STS_API_VERSION = '2015-04-01';
export const DEFAULT_STS_HOST = 'sts.aliyuncs.com';
export const DEFAULT_METADATA_ENDPOINT = 'http://100.100.100.200';
/** Refresh this long before Expiration. */
export const REFRESH_MARGIN_MS = 3 * 60_000;
/** Credentials without an Expiration are fetched again after this. */
const NO_EXPIRATION_TTL_MS = 5 * 60_000;

export interface FetchedCredentials extends StaticCredentials {
  /** Epoch ms; undefined when the source gave none. */
  expiresAt?: number;
}

export type RoleSpec =
  | {
      kind: 'ram-role-arn';
      /** The AccessKey that assumes the role (a source profile's credentials for ChainableRamRoleArn). */
      base: StaticCredentials;
      roleArn: string;
      sessionName: string;
      durationSeconds: number;
      policy?: string;
      externalId?: string;
      /** Endpoint setting form: `sts.aliyuncs.com`, `http://127.0.0.1:8765`. */
      stsEndpoint: string;
    }
  | { kind: 'ecs-ram-role'; roleName?: string; metadataEndpoint: string; imdsV1Disabled?: boolean }
  | { kind: 'credentials-uri'; uri: string };

export interface FetchOptions {
  t?: Translate;
  /** STS / credentials URI: connect and read bounds (default 5 s / 10 s). */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** ECS metadata: connect and read bounds (default 1 s / 2 s: it answers at once on ECS). */
  metadataConnectTimeoutMs?: number;
  metadataReadTimeoutMs?: number;
}

function credentialsError(code: string, message: string, secrets: ReadonlyArray<string | undefined>, extra: Partial<ConstructorParameters<typeof SlbApiError>[0]> = {}): SlbApiError {
  return new SlbApiError({ code, kind: 'credentials', action: extra.action ?? '', message: redact(message, secrets), ...extra, retryable: extra.retryable ?? false });
}

function parseExpiration(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const ms = Date.parse(v.trim());
  return Number.isFinite(ms) ? ms : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A URL for messages: no user info, no query (a credentials URI may carry a token there). */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '?';
  }
}

// -- STS AssumeRole ----------------------------------------------------------------------------------

/** What the generated `@alicloud/sts20150401` client sends for AssumeRole. */
function assumeRoleParams(): $OpenApiUtil.Params {
  return new $OpenApiUtil.Params({
    action: 'AssumeRole', version: STS_API_VERSION, protocol: 'HTTPS', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
}

export async function assumeRole(spec: Extract<RoleSpec, { kind: 'ram-role-arn' }>, options: FetchOptions = {}): Promise<FetchedCredentials> {
  const t = options.t ?? defaultTranslate;
  const secrets = [spec.base.accessKeySecret, spec.base.securityToken];
  const parsed = parseEndpointSetting(spec.stsEndpoint) ?? { host: DEFAULT_STS_HOST, protocol: 'HTTPS' as const };
  const host = parsed.host;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const readTimeoutMs = options.readTimeoutMs ?? 10_000;
  const base = new Credential(null as never, {
    getCredentials: async () => ({ ...spec.base, providerName: 'static' }),
    getProviderName: () => 'static',
  } as never);
  // The endpoint is explicit, so openapi-core's region only fills its config (STS is global).
  const client = new OpenApi(new $OpenApiUtil.Config({ credential: base, endpoint: host, protocol: parsed.protocol ?? 'HTTPS', regionId: 'cn-hangzhou' }));
  const query: Record<string, string> = { RoleArn: spec.roleArn, RoleSessionName: spec.sessionName, DurationSeconds: String(spec.durationSeconds) };
  if (spec.policy) query.Policy = spec.policy;
  if (spec.externalId) query.ExternalId = spec.externalId;
  const obs: WireObservation = { connectTimeoutMs, readTimeoutMs };
  let body: unknown;
  try {
    const res = await observeRequests(obs, () =>
      client.callApi(assumeRoleParams(), new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }), watchdogRuntime(connectTimeoutMs, readTimeoutMs)));
    body = (res as { body?: unknown }).body;
  } catch (err) {
    const e = toSlbApiError(err, {
      action: 'AssumeRole', endpoint: host, readTimeoutMs, connectTimeoutMs, secrets, t,
      observedStatus: obs.status, observedContentType: obs.contentType, connected: obs.connected, timedOut: obs.timedOut,
    });
    throw stsError(e, spec, host, connectTimeoutMs, readTimeoutMs, t, secrets);
  }
  const c = (body as { Credentials?: Record<string, unknown> } | undefined)?.Credentials;
  const id = str(c?.AccessKeyId);
  const secret = str(c?.AccessKeySecret);
  const token = str(c?.SecurityToken);
  if (!id || !secret || !token) {
    throw credentialsError('Sts.BadResponse', t('The STS endpoint {0} answered AssumeRole without complete credentials: check the STS endpoint.', host), secrets, { action: 'AssumeRole', endpoint: host });
  }
  return { accessKeyId: id, accessKeySecret: secret, securityToken: token, expiresAt: parseExpiration(c?.Expiration) };
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

function stsError(e: SlbApiError, spec: Extract<RoleSpec, { kind: 'ram-role-arn' }>, host: string, connectMs: number, readMs: number, t: Translate, secrets: ReadonlyArray<string | undefined>): SlbApiError {
  const key = maskKeyId(spec.base.accessKeyId);
  const role = spec.roleArn;
  const extra = { action: 'AssumeRole', endpoint: host, httpStatus: e.httpStatus, requestId: e.requestId, apiMessage: e.apiMessage, attempts: e.attempts };
  const fail = (message: string, retryable = false) => credentialsError(e.code, message, secrets, { ...extra, retryable });
  switch (e.kind) {
    case 'timeout':
      return fail(e.code === 'Timeout.Connect'
        ? t('Could not connect to the STS endpoint {0} within {1} s to assume role {2}: check the network, or the STS endpoint (aliyunSlbLabels.stsEndpoint, ALIBABA_CLOUD_STS_ENDPOINT, or sts_endpoint in the profile).', host, seconds(connectMs), role)
        : t('Connected to the STS endpoint {0}, but it did not answer AssumeRole within {1} s (read timeout): try again later.', host, seconds(readMs)), true);
    case 'network':
      return fail(t('Cannot reach the STS endpoint {0} ({1}) to assume role {2}: check the network, or the STS endpoint (aliyunSlbLabels.stsEndpoint, ALIBABA_CLOUD_STS_ENDPOINT, or sts_endpoint in the profile).', host, e.code, role));
    case 'bad-response':
      return fail(t('The STS endpoint {0} answered with something that is not the STS API (HTTP {1}): check the STS endpoint.', host, String(e.httpStatus ?? '?')));
    case 'credentials':
    case 'config':
      return fail(e.message);
  }
  switch (e.code) {
    case 'InvalidAccessKeyId.NotFound':
    case 'InvalidAccessKeyId':
      return fail(t('STS does not know the AccessKey {0} that should assume role {1}: check access_key_id of the profile.', key, role));
    case 'InvalidAccessKeyId.Inactive':
      return fail(t('The AccessKey {0} that should assume role {1} is disabled: enable it in the RAM console, or use another one.', key, role));
    case 'SignatureDoesNotMatch':
      return fail(t('STS refused the signature of AccessKey {0}: its secret in the profile does not match the ID.', key));
    case 'EntityNotExist.Role':
      return fail(t('The role {0} does not exist (EntityNotExist.Role): check ram_role_arn of the profile.', role));
    case 'NoPermission':
    case 'Forbidden':
    case 'Forbidden.RAM':
      return fail(t('AccessKey {0} may not assume role {1} ({2}): the role\'s trust policy must allow this account or RAM user, and the user needs the permission sts:AssumeRole.', key, role, e.code));
    case 'InvalidSecurityToken.Expired':
      return fail(t('The STS token of the source credentials has expired: refresh the source profile.'));
  }
  if (e.code.startsWith('InvalidParameter') || e.code.startsWith('MissingParameter')) {
    return fail(t('STS refused AssumeRole for role {0} ({1}: {2}): check ram_role_arn, ram_session_name and expired_seconds of the profile.', role, e.code, e.apiMessage ?? ''));
  }
  return fail(t('STS AssumeRole for role {0} failed with {1}: {2}', role, e.code, e.apiMessage ?? ''), e.retryable);
}

// -- ECS metadata and credentials URI ----------------------------------------------------------------

function httpFailure(e: unknown, what: string, connectMs: number, readMs: number, t: Translate, advice: string): SlbApiError {
  if (e instanceof BoundedHttpError) {
    switch (e.phase) {
      case 'connect':
        return credentialsError('Timeout.Connect', t('Could not connect to {0} within {1} s: {2}', what, seconds(connectMs), advice), [], { retryable: true });
      case 'read':
        return credentialsError('Timeout.Read', t('Connected to {0}, but it did not answer within {1} s (read timeout).', what, seconds(readMs)), [], { retryable: true });
      case 'too-big':
        return credentialsError('BadResponse.TooBig', t('{0} answered with more data than credentials can be: it is not used.', what), []);
      default:
        return credentialsError('Network.Error', t('Cannot reach {0} ({1}): {2}', what, e.code, advice), []);
    }
  }
  return credentialsError('Unknown', t('Cannot reach {0}: {1}', what, advice), []);
}

/** Reads `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` from an answer; never echoes it. */
function credentialsFromJson(text: string, what: string, t: Translate, requireCodeSuccess: boolean): FetchedCredentials {
  let data: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(text) as unknown;
    data = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    data = undefined;
  }
  if (!data) throw credentialsError('BadResponse.NotJson', t('{0} did not answer with a JSON object.', what), []);
  const id = str(data.AccessKeyId);
  const secret = str(data.AccessKeySecret);
  const token = str(data.SecurityToken);
  const secrets = [secret, token];
  if (requireCodeSuccess && data.Code !== undefined && data.Code !== 'Success') {
    throw credentialsError('BadResponse.Code', t('{0} answered with Code "{1}" instead of Success.', what, String(data.Code).slice(0, 60)), secrets);
  }
  if (!id || !secret || !token) {
    const lacking = [!id && 'AccessKeyId', !secret && 'AccessKeySecret', !token && 'SecurityToken'].filter(Boolean).join(', ');
    throw credentialsError('BadResponse.Incomplete', t('{0} answered without {1}: it is not used.', what, lacking), secrets);
  }
  return { accessKeyId: id, accessKeySecret: secret, securityToken: token, expiresAt: parseExpiration(data.Expiration) };
}

export async function fetchEcsRoleCredentials(spec: Extract<RoleSpec, { kind: 'ecs-ram-role' }>, options: FetchOptions = {}): Promise<FetchedCredentials> {
  const t = options.t ?? defaultTranslate;
  const connectTimeoutMs = options.metadataConnectTimeoutMs ?? 1_000;
  const readTimeoutMs = options.metadataReadTimeoutMs ?? 2_000;
  const base = spec.metadataEndpoint.replace(/\/+$/, '');
  const what = t('the ECS metadata service {0}', displayUrl(base));
  const advice = t('mode EcsRamRole works only on an ECS instance with a RAM role (elsewhere use an AccessKey or RamRoleArn profile).');
  const bounds = { connectTimeoutMs, readTimeoutMs };
  const get = async (path: string, headers: Record<string, string>) => {
    try {
      return await boundedRequest(new URL(base + path), { ...bounds, headers });
    } catch (e) {
      throw httpFailure(e, what, connectTimeoutMs, readTimeoutMs, t, advice);
    }
  };
  // IMDSv2 (hardened mode) first: a session token, then v1 as the official SDKs do unless disabled.
  let headers: Record<string, string> = {};
  const tokenRes = await (async () => {
    try {
      return await boundedRequest(new URL(base + '/latest/api/token'), { ...bounds, method: 'PUT', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '21600' } });
    } catch (e) {
      throw httpFailure(e, what, connectTimeoutMs, readTimeoutMs, t, advice);
    }
  })();
  if (tokenRes.status === 200 && tokenRes.body.trim()) headers = { 'x-aliyun-ecs-metadata-token': tokenRes.body.trim() };
  else if (spec.imdsV1Disabled) {
    throw credentialsError('Metadata.NoToken', t('{0} gave no session token (HTTP {1}) and IMDSv1 is disabled (ALIBABA_CLOUD_IMDSV1_DISABLED).', what, tokenRes.status), []);
  }
  let role = spec.roleName;
  if (!role) {
    const list = await get('/latest/meta-data/ram/security-credentials/', headers);
    role = list.status === 200 ? list.body.split(/\r?\n/).map((s) => s.trim()).find(Boolean) : undefined;
    if (!role) throw credentialsError('Metadata.NoRole', t('{0} reports no RAM role for this instance (HTTP {1}): attach a RAM role to the ECS instance, or name it with ram_role_name.', what, list.status), []);
  }
  const res = await get(`/latest/meta-data/ram/security-credentials/${encodeURIComponent(role)}`, headers);
  if (res.status === 404) throw credentialsError('Metadata.RoleNotFound', t('The ECS instance has no RAM role named "{0}": attach it to the instance, or fix ram_role_name of the profile.', role), []);
  if (res.status !== 200) throw credentialsError('Metadata.Http', t('{0} answered HTTP {1} for the credentials of role "{2}".', what, res.status, role), []);
  return credentialsFromJson(res.body, what, t, true);
}

export async function fetchUriCredentials(spec: Extract<RoleSpec, { kind: 'credentials-uri' }>, options: FetchOptions = {}): Promise<FetchedCredentials> {
  const t = options.t ?? defaultTranslate;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const readTimeoutMs = options.readTimeoutMs ?? 10_000;
  const what = t('the credentials URI {0}', displayUrl(spec.uri));
  let url: URL;
  try {
    url = new URL(spec.uri);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw credentialsError('Config.InvalidUri', t('The credentials URI of the profile is not an http(s) URL: check credentials_uri.'), []);
  }
  let res;
  try {
    res = await boundedRequest(url, { connectTimeoutMs, readTimeoutMs });
  } catch (e) {
    throw httpFailure(e, what, connectTimeoutMs, readTimeoutMs, t, t('check credentials_uri of the profile, and that the service behind it runs.'));
  }
  if (res.status !== 200) throw credentialsError('CredentialsUri.Http', t('{0} answered HTTP {1}: check credentials_uri of the profile, and the service behind it.', what, res.status), []);
  return credentialsFromJson(res.body, what, t, true);
}

// -- the refreshing provider ---------------------------------------------------------------------------

/** A `@alicloud/credentials` CredentialsProvider: cached credentials, fetched again shortly before expiry. */
export class RefreshingCredentials {
  private current?: FetchedCredentials;
  private validUntil = 0;
  private inflight?: Promise<FetchedCredentials>;

  constructor(
    private readonly fetcher: () => Promise<FetchedCredentials>,
    private readonly providerName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Fresh credentials: the cached ones while more than 3 minutes remain, else one fetch (shared by concurrent callers). */
  async get(): Promise<FetchedCredentials> {
    if (this.current && this.now() < this.validUntil) return this.current;
    this.inflight ??= this.fetcher().then(
      (c) => {
        this.current = c;
        const now = this.now();
        // Refresh 3 minutes before expiry; credentials that live shorter than that are still
        // reused for half their life (at most 30 s), so one request does not fetch twice.
        this.validUntil = c.expiresAt !== undefined
          ? Math.max(c.expiresAt - REFRESH_MARGIN_MS, now + Math.min(30_000, Math.max(0, (c.expiresAt - now) / 2)))
          : now + NO_EXPIRATION_TTL_MS;
        this.inflight = undefined;
        return c;
      },
      (e) => {
        this.inflight = undefined;
        throw e;
      },
    );
    return this.inflight;
  }

  // CredentialsProvider (what `new Credential(null, provider)` calls before every request).
  async getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken?: string; providerName: string }> {
    const c = await this.get();
    return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken, providerName: this.providerName };
  }

  getProviderName(): string {
    return this.providerName;
  }

  /** The library Credential that openapi-core signs with. */
  toCredential(): Credential {
    return new Credential(null as never, this as never);
  }
}

const providers = new Map<string, RefreshingCredentials>();

function specKey(spec: RoleSpec): string {
  const h = (s: string | undefined) => (s ? createHash('sha256').update(s).digest('hex').slice(0, 16) : '');
  switch (spec.kind) {
    case 'ram-role-arn':
      return JSON.stringify([spec.kind, spec.base.accessKeyId, h(spec.base.accessKeySecret), h(spec.base.securityToken), spec.roleArn, spec.sessionName, spec.durationSeconds, spec.policy, spec.externalId, spec.stsEndpoint]);
    case 'ecs-ram-role':
      return JSON.stringify([spec.kind, spec.roleName, spec.metadataEndpoint, spec.imdsV1Disabled]);
    case 'credentials-uri':
      return JSON.stringify([spec.kind, h(spec.uri)]);
  }
}

/** The process-wide provider for a spec (so the cache outlives one lookup). */
export function providerFor(spec: RoleSpec, options: FetchOptions = {}): RefreshingCredentials {
  const key = specKey(spec);
  let p = providers.get(key);
  if (!p) {
    const fetcher = spec.kind === 'ram-role-arn' ? () => assumeRole(spec, options)
      : spec.kind === 'ecs-ram-role' ? () => fetchEcsRoleCredentials(spec, options)
        : () => fetchUriCredentials(spec, options);
    p = new RefreshingCredentials(fetcher, spec.kind);
    // Bounded: a long-running server meeting many specs keeps the newest few.
    if (providers.size >= 32) providers.delete(providers.keys().next().value as string);
    providers.set(key, p);
  }
  return p;
}

/** Tests: forget every cached provider. */
export function clearRoleCredentialCache(): void {
  providers.clear();
}
