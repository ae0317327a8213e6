// HTTP wire helpers of the sandbox: parameter parsing, RFC 3986 encoding, API errors and JSON answers.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export const HOST_ID = 'slb.aliyuncs.com';
export const API_VERSION = '2014-05-15';

/** An API error answered with the facts-sheet error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const missing = (name: string) =>
  new ApiError(400, `MissingParameter.${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

export const invalid = (name: string, detail?: string) =>
  new ApiError(400, `InvalidParameter.${name}`, `The specified parameter "${name}" is not valid.${detail ? ' ' + detail : ''}`);

export const resourceNotFound = () => new ApiError(400, 'InvalidParameter', 'The specified resource does not exist.');

export const lbNotFound = (id: string) =>
  new ApiError(404, 'InvalidLoadBalancerId.NotFound', `The specified load balancer does not exist: ${id}.`);

/**
 * Decodes an `application/x-www-form-urlencoded` style string (URL query or form body) into a map.
 * `+` is read as a space; a later duplicate key wins. Throws ApiError on malformed escapes.
 */
export function parseParams(text: string, into: Map<string, string> = new Map()): Map<string, string> {
  if (!text) return into;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    try {
      into.set(decodeURIComponent(rawKey.replace(/\+/g, ' ')), decodeURIComponent(rawValue.replace(/\+/g, ' ')));
    } catch {
      throw new ApiError(400, 'InvalidParameter', `Malformed percent-encoding in parameter "${rawKey}".`);
    }
  }
  return into;
}

/** RFC 3986 percent-encoding as Alibaba's signers use it (unreserved: A-Z a-z 0-9 - _ . ~). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Sorted (byte order) `k=v&k=v` with both sides RFC 3986-encoded. */
export function canonicalQuery(params: Map<string, string>): string {
  const keys = [...params.keys()].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return keys.map((k) => `${rfc3986(k)}=${rfc3986(params.get(k) ?? '')}`).join('&');
}

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': (body as { RequestId?: string }).RequestId ?? '',
    ...headers,
  });
  res.end(text);
}

export function errorBody(requestId: string, code: string, message: string) {
  return {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Slb&requestId=${requestId}`,
  };
}

export function sendError(res: ServerResponse, requestId: string, err: ApiError): void {
  sendJson(res, err.status, errorBody(requestId, err.code, err.message), err.headers);
}

export const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

export const SERVICE_UNAVAILABLE_HTML =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n' +
  '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

export const GATEWAY_TIMEOUT_HTML =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n' +
  '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';
