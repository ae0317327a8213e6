/**
 * One typed error for everything that can go wrong when calling the SLB API, with a message a
 * person can act on (English, or Simplified Chinese through the l10n bundle), and with NO secret
 * anywhere in it.
 *
 * Input errors come from `@alicloud/openapi-core` 1.0.8 (`ClientError` / `ServerError` /
 * `ThrottlingError`, all with `code`, `statusCode`, `requestId`, `data`), from the HTTP layer
 * (`ECONNREFUSED`, `RequestTimeoutError`, ...) or are a bare `SyntaxError` when the body was not
 * JSON (an HTML page from a proxy, say). Nothing from the original error is kept verbatim: the
 * fields we keep are copied as plain strings and scrubbed of every known secret.
 *
 * Transport-free: no vscode import.
 */
import * as l10n from '@vscode/l10n';

/** `l10n.t`-compatible translate function: English message with `{0}` placeholders. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export const defaultTranslate: Translate = (message, ...args) => l10n.t(message, ...args);

export type SlbErrorKind =
  /** The API answered with an error body (has `code`, usually `httpStatus` and `requestId`). */
  | 'api'
  /** The endpoint could not be reached (refused, DNS, reset, TLS). */
  | 'network'
  /** Connect or read timeout. */
  | 'timeout'
  /** The endpoint answered with something that is not the API (HTML, non-JSON). */
  | 'bad-response'
  /** No usable credentials. */
  | 'credentials'
  /** Invalid client configuration (endpoint setting, missing region). */
  | 'config';

/** Codes for errors that are not API codes (the API's own codes are kept as they are). */
export const LocalErrorCodes = {
  ConnectionRefused: 'Network.ConnectionRefused',
  HostNotFound: 'Network.HostNotFound',
  ConnectionReset: 'Network.ConnectionReset',
  Tls: 'Network.Tls',
  Network: 'Network.Error',
  ReadTimeout: 'Timeout.Read',
  ConnectTimeout: 'Timeout.Connect',
  HtmlResponse: 'BadResponse.Html',
  NonJsonResponse: 'BadResponse.NotJson',
  NoCredentials: 'InvalidCredentials',
  InvalidEndpoint: 'Config.InvalidEndpoint',
  MissingRegion: 'Config.MissingRegion',
  Unknown: 'Unknown',
} as const;

export interface SlbApiErrorInit {
  code: string;
  kind: SlbErrorKind;
  action: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  /** The API's own `Message` (scrubbed). */
  apiMessage?: string;
  /** `host[:port]` the call went to. */
  endpoint?: string;
  /** Whether retrying later can help (throttling, 5xx, busy). */
  retryable?: boolean;
  /** Number of HTTP attempts made. */
  attempts?: number;
}

export class SlbApiError extends Error {
  /** API `Code` (e.g. `InvalidAccessKeyId.NotFound`) or one of {@link LocalErrorCodes}. */
  readonly code: string;
  readonly kind: SlbErrorKind;
  /** SLB action name, e.g. `DescribeLoadBalancers`. */
  readonly action: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly apiMessage?: string;
  readonly endpoint?: string;
  readonly retryable: boolean;
  readonly attempts: number;

  constructor(init: SlbApiErrorInit) {
    super(init.message);
    // `name` non-enumerable like Error's own, the rest are plain enumerable data.
    Object.defineProperty(this, 'name', { value: 'SlbApiError', enumerable: false, configurable: true, writable: true });
    this.code = init.code;
    this.kind = init.kind;
    this.action = init.action;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.apiMessage !== undefined) this.apiMessage = init.apiMessage;
    if (init.endpoint !== undefined) this.endpoint = init.endpoint;
    this.retryable = init.retryable ?? false;
    this.attempts = init.attempts ?? 1;
  }

  /** One line for an output channel: `message [Code, Action, HTTP 404, request id …]`. */
  toLogString(): string {
    const parts = [this.code, this.action];
    if (this.httpStatus !== undefined) parts.push(`HTTP ${this.httpStatus}`);
    if (this.requestId) parts.push(`request id ${this.requestId}`);
    if (this.attempts > 1) parts.push(`${this.attempts} attempts`);
    return `${this.message} [${parts.join(', ')}]`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: 'SlbApiError',
      code: this.code,
      kind: this.kind,
      action: this.action,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      message: this.message,
      apiMessage: this.apiMessage,
      endpoint: this.endpoint,
      retryable: this.retryable,
      attempts: this.attempts,
    };
  }
}

export function isSlbApiError(e: unknown): e is SlbApiError {
  return e instanceof SlbApiError;
}

// ---------------------------------------------------------------------------------------------
// Redaction

/** Replace every occurrence of every secret (≥ 4 chars) in text with `***`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('***');
    // Also the URL-encoded form (a token can travel percent-encoded).
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('***');
  }
  return out;
}

/** `SAND****0001`: first 4 and last 4 characters, the rest hidden; short IDs fully hidden. */
export function maskKeyId(id: string | undefined): string {
  if (!id) return '';
  if (id.length <= 8) return '****';
  return `${id.slice(0, 4)}****${id.slice(-4)}`;
}

// ---------------------------------------------------------------------------------------------
// Mapping

export interface ErrorContext {
  action: string;
  /** `host[:port]` */
  endpoint: string;
  regionId?: string;
  /** The request (wire names), used for IDs/ports in messages. Never contains secrets. */
  request?: Record<string, unknown>;
  readTimeoutMs: number;
  connectTimeoutMs: number;
  /** Every secret that must not leak: AccessKey secret, STS token. */
  secrets: ReadonlyArray<string | undefined>;
  t?: Translate;
  /** Observed on the wire when the SDK could not tell (non-JSON bodies). */
  observedStatus?: number;
  observedContentType?: string;
  /** Whether the request's socket had connected (from the client's watchdog), to name the timeout's phase. */
  connected?: boolean;
  /** Set when the client's watchdog cut the request. */
  timedOut?: 'connect' | 'read';
  attempts?: number;
}

interface RawErr {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  data?: unknown;
  retryAfter?: unknown;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v);
  return s === '' || s === 'undefined' || s === 'null' ? undefined : s;
}

const PERMISSION_CODES = new Set(['Forbidden.RAM', 'Forbidden', 'NoPermission', 'Forbbiden.SubUser', 'Forbidden.SubUser', 'Forbidden.NoPermission']);
const BUSY_CODES = new Set(['OperationBusy', 'ServiceIsConfiguring', 'BackendServer.configuring', 'SystemBusy']);

export function isThrottlingCode(code: string | undefined): boolean {
  return !!code && code.includes('Throttling');
}

/**
 * Map any error thrown by an openapi-core call into an {@link SlbApiError}.
 * Never throws; never copies the original error object.
 */
export function toSlbApiError(err: unknown, ctx: ErrorContext): SlbApiError {
  if (err instanceof SlbApiError) return err;
  const t = ctx.t ?? defaultTranslate;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawErr;
  const scrub = (s: string | undefined) => (s === undefined ? undefined : redact(s, ctx.secrets));
  const name = str(e.name) ?? '';
  const rawCode = str(e.code);
  const attempts = ctx.attempts ?? 1;
  const base = { action: ctx.action, endpoint: ctx.endpoint, attempts };
  const host = ctx.endpoint;

  // --- Bodies that are not the API (openapi-core surfaces a bare SyntaxError from JSON.parse)
  if (name === 'SyntaxError' || err instanceof SyntaxError) {
    const msg = str(e.message) ?? '';
    const ct = (ctx.observedContentType ?? '').toLowerCase();
    const looksHtml = ct.includes('html') || /["'\s]<(!doctype|html|head|body|\?xml|h1|title)/i.test(msg) || /token '<'/.test(msg);
    const status = ctx.observedStatus;
    const statusText = status !== undefined ? String(status) : '?';
    if (looksHtml) {
      return new SlbApiError({
        ...base,
        kind: 'bad-response',
        code: LocalErrorCodes.HtmlResponse,
        httpStatus: status,
        retryable: false,
        message: t('The SLB endpoint answered with an HTML page (HTTP {0}), not the API: check the endpoint {1}.', statusText, host),
      });
    }
    return new SlbApiError({
      ...base,
      kind: 'bad-response',
      code: LocalErrorCodes.NonJsonResponse,
      httpStatus: status,
      retryable: false,
      message: t('The SLB endpoint {0} answered with something that is not JSON (HTTP {1}): check the endpoint.', host, statusText),
    });
  }

  // --- Timeouts. The phase comes from the client's watchdog when it knows it: httpx names a
  // server that accepts and never answers "ConnectTimeout" (its connect timeout is an idle timeout).
  if (ctx.timedOut || name === 'RequestTimeoutError' || rawCode === 'ETIMEDOUT' || rawCode === 'ESOCKETTIMEDOUT') {
    const msg = str(e.message) ?? '';
    const connectPhase = ctx.timedOut
      ? ctx.timedOut === 'connect'
      : ctx.connected !== undefined
        ? !ctx.connected
        : /ConnectTimeout|connect/i.test(msg) && !/ReadTimeout/.test(msg) && rawCode !== 'ESOCKETTIMEDOUT';
    if (connectPhase) {
      return new SlbApiError({
        ...base,
        kind: 'timeout',
        code: LocalErrorCodes.ConnectTimeout,
        retryable: true,
        message: t('Could not connect to the SLB endpoint {0} within {1} s: check the endpoint setting and the network.', host, seconds(ctx.connectTimeoutMs)),
      });
    }
    return new SlbApiError({
      ...base,
      kind: 'timeout',
      code: LocalErrorCodes.ReadTimeout,
      retryable: true,
      message: t('Connected to the SLB endpoint {1}, but the API did not answer within {0} s (read timeout): try again later, or check the endpoint and any proxy in between.', seconds(ctx.readTimeoutMs), host),
    });
  }

  // --- Socket-level errors
  if (rawCode && /^(E[A-Z]+|ERR_[A-Z_]+|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_[A-Z_]+|HPE_[A-Z_]+)$/.test(rawCode)
      && !('statusCode' in e && e.statusCode !== undefined)) {
    if (rawCode === 'ECONNREFUSED') {
      return new SlbApiError({ ...base, kind: 'network', code: LocalErrorCodes.ConnectionRefused, retryable: false,
        message: t('Cannot reach the SLB endpoint {0}: check the endpoint setting.', host) });
    }
    if (rawCode === 'ENOTFOUND' || rawCode === 'EAI_AGAIN') {
      return new SlbApiError({ ...base, kind: 'network', code: LocalErrorCodes.HostNotFound, retryable: false,
        message: t('Cannot resolve the SLB endpoint host {0}: check the endpoint setting and the network.', host) });
    }
    if (rawCode === 'ECONNRESET' || rawCode === 'EPIPE' || rawCode.startsWith('HPE_')) {
      return new SlbApiError({ ...base, kind: 'network', code: LocalErrorCodes.ConnectionReset, retryable: false,
        message: t('The connection to the SLB endpoint {0} was closed unexpectedly: check the endpoint setting and any proxy.', host) });
    }
    if (rawCode === 'EPROTO' || rawCode.startsWith('ERR_TLS') || rawCode.startsWith('ERR_SSL') || rawCode.startsWith('CERT_')
        || rawCode.includes('SELF_SIGNED') || rawCode.startsWith('UNABLE_TO_')) {
      return new SlbApiError({ ...base, kind: 'network', code: LocalErrorCodes.Tls, retryable: false,
        message: t('The TLS handshake with the SLB endpoint {0} failed ({1}): check the endpoint setting (use http:// for a local sandbox).', host, rawCode) });
    }
    return new SlbApiError({ ...base, kind: 'network', code: LocalErrorCodes.Network, retryable: false,
      message: t('Network error talking to the SLB endpoint {0} ({1}).', host, rawCode) });
  }

  // --- API errors (ClientError / ServerError / ThrottlingError, or anything with a code + status)
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  const code = str(data.Code) ?? str(data.code) ?? rawCode ?? LocalErrorCodes.Unknown;
  const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : (Number(e.statusCode) || undefined);
  const requestId = str(data.RequestId) ?? str(data.requestId) ?? str(e.requestId);
  const apiMessage = scrub(str(data.Message) ?? str(data.message));
  const apiBase = { ...base, kind: 'api' as const, code, httpStatus, requestId, apiMessage };
  const req = ctx.request ?? {};
  const lbId = str(req.LoadBalancerId) ?? str((req as Record<string, unknown>)['LoadBalancerId.1']) ?? '?';
  const port = str(req.ListenerPort) ?? '?';
  const region = str(req.RegionId) ?? ctx.regionId ?? '?';

  if (code === 'InvalidCredentials') {
    return new SlbApiError({ ...apiBase, kind: 'credentials', retryable: false, apiMessage: undefined,
      message: t('No Alibaba Cloud credentials are configured: set an AccessKey or choose a profile.') });
  }
  const msg = ((): { message: string; retryable?: boolean } => {
    switch (code) {
      case 'InvalidAccessKeyId.NotFound':
      case 'InvalidAccessKeyId':
        return { message: t('The AccessKey ID is not known to Alibaba Cloud: check the profile.') };
      case 'InvalidAccessKeyId.Inactive':
        return { message: t('The AccessKey is disabled: enable it in the RAM console or use another profile.') };
      case 'SignatureDoesNotMatch':
        return { message: t('The AccessKey secret does not match the ID: check the secret stored for this profile.') };
      case 'IncompleteSignature':
        return { message: t('The request signature was rejected as incomplete: check the endpoint setting (a proxy may be altering requests).') };
      case 'InvalidTimeStamp.Expired':
      case 'InvalidTimeStamp.Format':
        return { message: t('The request time was rejected: check the system clock (it must be within 15 minutes of the real time).') };
      case 'SignatureNonceUsed':
        return { message: t('The request was rejected as a replay: try again.'), retryable: true };
      case 'InvalidSecurityToken.Expired':
        return { message: t('The STS security token has expired: refresh the credentials of the profile.') };
      case 'InvalidSecurityToken.Malformed':
      case 'InvalidSecurityToken.MismatchWithAccessKey':
        return { message: t('The STS security token is invalid: check the credentials of the profile.') };
      case 'InvalidLoadBalancerId.NotFound':
        return { message: t('The SLB instance {0} does not exist in region {1}: check the ID and the region.', lbId, region) };
      case 'InvalidRegionId':
      case 'InvalidRegionId.NotFound':
      case 'InvalidRegionId.Malformed':
        return { message: t('The region {0} is not valid for SLB: choose another region.', region) };
      case 'IncorrectLoadBalancerStatus':
      case 'IncorrectStatus.LoadBalancer':
      case 'IncorrectStatus':
        return { message: t('The SLB instance {0} is not in a state that allows {1} (it may be inactive or locked).', lbId, ctx.action) };
      case 'ListenerAlreadyExists':
        return { message: t('A listener already exists on port {0} of SLB {1}.', port, lbId) };
      case 'ListenerNumberOverLimit':
        return { message: t('The SLB instance {0} has reached its listener limit.', lbId) };
      case 'CheckedListenerNotFound':
        return { message: t('There is no health-checked listener on port {0} of SLB {1}.', port, lbId) };
      case 'InvalidAction.NotFound':
        return { message: t('The endpoint {0} does not know the action {1}: check the endpoint setting (is it an SLB endpoint?).', host, ctx.action) };
      case 'ServiceUnavailable':
        return { message: t('The SLB API is temporarily unavailable: try again later.'), retryable: true };
      case 'InternalError':
      case 'InternalInvokeError':
      case 'UnknownError':
        return { message: t('The SLB API had an internal error: try again later.'), retryable: true };
    }
    if (PERMISSION_CODES.has(code) || code.startsWith('Forbidden')) {
      return { message: t('The RAM user lacks permission slb:{0}: ask an administrator to grant it, or use another profile.', ctx.action) };
    }
    if (isThrottlingCode(code)) {
      return { message: t('The SLB API is throttling requests ({0}): try again in a moment.', code), retryable: true };
    }
    if (BUSY_CODES.has(code)) {
      return { message: t('The SLB instance {0} is busy configuring: try again in a few seconds.', lbId), retryable: true };
    }
    if (code.startsWith('MissingParameter')) {
      const p = code.includes('.') ? code.slice(code.indexOf('.') + 1) : (apiMessage ?? '?');
      return { message: t('A required parameter is missing for {0}: {1}.', ctx.action, p) };
    }
    if (code.startsWith('InvalidParameter')) {
      if (apiMessage && /specified resource does not exist/i.test(apiMessage)) {
        return { message: t('There is no listener on port {0} of SLB {1}.', port, lbId) };
      }
      const p = code.includes('.') ? code.slice(code.indexOf('.') + 1) : '';
      return { message: p
        ? t('Invalid parameter {0} for {1}: {2}', p, ctx.action, apiMessage ?? '')
        : t('Invalid parameter for {0}: {1}', ctx.action, apiMessage ?? '') };
    }
    if (httpStatus !== undefined && httpStatus >= 500) {
      return { message: t('The SLB API failed with {0} (HTTP {1}): try again later.', code, String(httpStatus)), retryable: true };
    }
    return { message: t('SLB {0} failed with {1}: {2}', ctx.action, code, apiMessage ?? str(e.message) ?? '') };
  })();
  return new SlbApiError({ ...apiBase, message: redact(msg.message, ctx.secrets), retryable: msg.retryable ?? false });
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

