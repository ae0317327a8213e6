// Signature verification of the sandbox: its own implementation of the recipe in the facts sheet (§4),
// deliberately independent of the engine's SLB client and of openapi-core.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, canonicalQuery, missing, rfc3986 } from './wire';

export interface SandboxCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface SignedRequest {
  method: string;
  /** Raw path of the request URL (without the query). */
  path: string;
  /** Decoded query parameters. */
  query: Map<string, string>;
  /** Decoded form-body parameters (empty when there is no form body). */
  form: Map<string, string>;
  body: Buffer;
  headers: IncomingHttpHeaders;
}

export interface Verified {
  signatureVersion: 'v3' | 'v1';
  /** The AccessKey ID the request was signed with. */
  accessKeyId: string;
  /** Action parameters (query + form), without the V1 common signing parameters. */
  params: Map<string, string>;
  action?: string;
  version?: string;
}

const V1_COMMON = ['Action', 'Version', 'Format', 'Timestamp', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion', 'AccessKeyId', 'Signature', 'SecurityToken'];
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** Remembers nonces for the length of the timestamp window. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs: number) {}

  has(key: string, now: number): boolean {
    this.prune(now);
    return this.seen.has(key);
  }

  add(key: string, now: number): void {
    this.seen.set(key, now + this.ttlMs);
  }

  clear(): void {
    this.seen.clear();
  }

  private prune(now: number): void {
    for (const [k, exp] of this.seen) {
      if (exp > now) break; // insertion order ≈ expiry order
      this.seen.delete(k);
    }
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : String(v);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An AccessKey the sandbox accepts; `expiresAt` for issued STS credentials. */
export interface AcceptedKey extends SandboxCredentials {
  expiresAt?: number;
}

export class SignatureVerifier {
  private readonly lookup: (id: string) => AcceptedKey | undefined;

  constructor(
    keys: SandboxCredentials | ((id: string) => AcceptedKey | undefined),
    private readonly nonces: NonceCache,
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {
    this.lookup = typeof keys === 'function' ? keys : (id) => (id === keys.accessKeyId ? keys : undefined);
  }

  verify(req: SignedRequest): Verified {
    const auth = header(req.headers, 'authorization');
    if (auth !== undefined && auth.trim() !== '') return this.verifyV3(req, auth.trim());
    if (req.query.has('Signature') || req.form.has('Signature')) return this.verifyV1(req);
    throw new ApiError(400, 'IncompleteSignature', 'The request is not signed: send an ACS3-HMAC-SHA256 Authorization header or the RPC Signature parameter.');
  }

  private checkTimestamp(text: string): void {
    const m = TIMESTAMP_RE.exec(text);
    const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
    if (!m || Number.isNaN(t)) {
      throw new ApiError(400, 'InvalidTimeStamp.Format', `The specified timestamp "${text}" is not in the format YYYY-MM-DDThh:mm:ssZ (UTC).`);
    }
    if (Math.abs(this.now() - t) > this.windowMs) {
      throw new ApiError(400, 'InvalidTimeStamp.Expired', `The specified timestamp "${text}" is out of the allowed window of ${Math.round(this.windowMs / 60000)} minutes around the server time ${new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')}.`);
    }
  }

  private checkNonce(keyId: string, nonce: string): void {
    const key = `${keyId}\n${nonce}`;
    if (this.nonces.has(key, this.now())) {
      throw new ApiError(400, 'SignatureNonceUsed', `The request signature nonce "${nonce}" has been used.`);
    }
    this.nonces.add(key, this.now());
  }

  private checkToken(creds: AcceptedKey, token: string | undefined): void {
    const expected = creds.securityToken;
    if (token === undefined || token === '') {
      if (expected) throw new ApiError(400, 'InvalidSecurityToken.Malformed', 'This AccessKey is an STS key: the SecurityToken is required.');
      return;
    }
    if (!expected) throw new ApiError(400, 'InvalidSecurityToken.Malformed', 'A SecurityToken was sent, but this AccessKey is not an STS key.');
    if (!sameText(token, expected)) throw new ApiError(400, 'InvalidSecurityToken.Malformed', 'The specified SecurityToken is not valid.');
    if (creds.expiresAt !== undefined && this.now() >= creds.expiresAt) throw new ApiError(400, 'InvalidSecurityToken.Expired', 'The specified SecurityToken is expired.');
  }

  private unknownKey(): ApiError {
    return new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }

  // ---- V3: ACS3-HMAC-SHA256 in the Authorization header -------------------------------------
  private verifyV3(req: SignedRequest, auth: string): Verified {
    const sp = auth.indexOf(' ');
    const algorithm = sp < 0 ? auth : auth.slice(0, sp);
    if (algorithm !== 'ACS3-HMAC-SHA256') {
      throw new ApiError(400, 'IncompleteSignature', `The signature algorithm "${algorithm}" is not supported by the sandbox (ACS3-HMAC-SHA256 only).`);
    }
    const fields = new Map<string, string>();
    for (const part of auth.slice(sp + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeadersText = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeadersText || !signature) {
      throw new ApiError(400, 'IncompleteSignature', 'The Authorization header must carry Credential, SignedHeaders and Signature.');
    }
    const creds = this.lookup(credential);
    if (!creds) throw this.unknownKey();

    const signedHeaders = signedHeadersText.split(';').map((h) => h.trim().toLowerCase());
    if (!signedHeaders.includes('host')) {
      throw new ApiError(400, 'IncompleteSignature', 'The host header must be signed.');
    }
    for (const name of Object.keys(req.headers)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('x-acs-') && !signedHeaders.includes(lower)) {
        throw new ApiError(400, 'IncompleteSignature', `The header "${lower}" must be listed in SignedHeaders.`);
      }
    }
    for (const name of signedHeaders) {
      if (header(req.headers, name) === undefined) {
        throw new ApiError(400, 'IncompleteSignature', `The signed header "${name}" is missing from the request.`);
      }
    }
    const date = header(req.headers, 'x-acs-date');
    if (!date) throw new ApiError(400, 'IncompleteSignature', 'The x-acs-date header is required.');
    const nonce = header(req.headers, 'x-acs-signature-nonce');
    if (!nonce) throw new ApiError(400, 'IncompleteSignature', 'The x-acs-signature-nonce header is required.');
    this.checkTimestamp(date);

    const bodyHash = req.body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(req.body).digest('hex');
    const claimedHash = header(req.headers, 'x-acs-content-sha256');
    if (claimedHash !== undefined && claimedHash !== bodyHash) {
      throw new ApiError(400, 'SignatureDoesNotMatch', 'The x-acs-content-sha256 header does not match the sha256 of the request body.');
    }

    const canonicalHeaders = signedHeaders.map((name) => `${name}:${(header(req.headers, name) ?? '').trim()}\n`).join('');
    const canonicalRequest = [
      req.method.toUpperCase(),
      req.path || '/',
      canonicalQuery(req.query),
      canonicalHeaders,
      signedHeaders.join(';'),
      claimedHash ?? bodyHash,
    ].join('\n');
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const expected = createHmac('sha256', creds.accessKeySecret).update(stringToSign).digest('hex');
    if (!sameText(signature.toLowerCase(), expected)) {
      throw new ApiError(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    this.checkToken(creds, header(req.headers, 'x-acs-security-token'));
    this.checkNonce(creds.accessKeyId, nonce);

    const params = new Map(req.query);
    for (const [k, v] of req.form) params.set(k, v);
    return {
      signatureVersion: 'v3',
      accessKeyId: creds.accessKeyId,
      params,
      action: header(req.headers, 'x-acs-action') ?? req.query.get('Action'),
      version: header(req.headers, 'x-acs-version') ?? req.query.get('Version'),
    };
  }

  // ---- V1: RPC HMAC-SHA1 in the query string / form body -----------------------------------
  private verifyV1(req: SignedRequest): Verified {
    const all = new Map(req.query);
    for (const [k, v] of req.form) all.set(k, v);
    const signature = all.get('Signature') ?? '';
    all.delete('Signature');
    for (const name of ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
      if (!all.get(name)) throw missing(name);
    }
    const creds = this.lookup(all.get('AccessKeyId')!);
    if (!creds) throw this.unknownKey();
    if (all.get('SignatureMethod') !== 'HMAC-SHA1') {
      throw new ApiError(400, 'InvalidParameter.SignatureMethod', `The signature method "${all.get('SignatureMethod')}" is not supported (HMAC-SHA1 only).`);
    }
    if (all.get('SignatureVersion') !== '1.0') {
      throw new ApiError(400, 'InvalidParameter.SignatureVersion', `The signature version "${all.get('SignatureVersion')}" is not supported (1.0 only).`);
    }
    this.checkTimestamp(all.get('Timestamp')!);

    const stringToSign = `${req.method.toUpperCase()}&${rfc3986('/')}&${rfc3986(canonicalQuery(all))}`;
    const expected = createHmac('sha1', `${creds.accessKeySecret}&`).update(stringToSign).digest('base64');
    if (!sameText(signature, expected)) {
      // quote the string to sign like the real API, but never echo an STS token
      const shown = new Map(all);
      if (shown.has('SecurityToken')) shown.set('SecurityToken', '***');
      const quoted = `${req.method.toUpperCase()}&${rfc3986('/')}&${rfc3986(canonicalQuery(shown))}`;
      throw new ApiError(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${quoted}`);
    }
    this.checkToken(creds, all.get('SecurityToken'));
    this.checkNonce(creds.accessKeyId, all.get('SignatureNonce')!);

    const params = new Map(all);
    for (const k of V1_COMMON) params.delete(k);
    return { signatureVersion: 'v1', accessKeyId: creds.accessKeyId, params, action: all.get('Action'), version: all.get('Version') };
  }
}
