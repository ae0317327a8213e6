/**
 * One small HTTP(S) request with both phases bounded and named: the connect phase (until the
 * socket is connected) and the read phase (until the whole answer is in), plus a size limit on
 * the answer. Used for the ECS metadata service and a credentials URI, where a wrong guess must
 * cost about a second, not the minutes of an OS connect timeout.
 *
 * No keep-alive agent (`agent: false`): nothing is left open that could keep the process alive.
 * Transport-free: no vscode import.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { unobserved } from './wireWatch';

export interface BoundedRequest {
  method?: 'GET' | 'PUT';
  headers?: Record<string, string>;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  /** Answers longer than this are cut and refused (default 64 KiB: credentials are small). */
  maxBytes?: number;
}

export interface BoundedResponse {
  status: number;
  contentType?: string;
  body: string;
}

/** Why a request failed. `code` is the socket error code for `network` (never a URL or a body). */
export class BoundedHttpError extends Error {
  constructor(
    readonly phase: 'connect' | 'read' | 'network' | 'too-big',
    readonly code: string,
  ) {
    super(`${phase}: ${code}`);
    this.name = 'BoundedHttpError';
  }
}

export function boundedRequest(url: URL, options: BoundedRequest): Promise<BoundedResponse> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return new Promise<BoundedResponse>((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    let settled = false;
    let connected = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: BoundedHttpError | undefined, value?: BoundedResponse) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      req.destroy();
      if (error) reject(error);
      else resolve(value!);
    };
    const arm = (phase: 'connect' | 'read', ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(new BoundedHttpError(phase, phase === 'connect' ? 'ConnectTimeout' : 'ReadTimeout')), ms);
    };
    // Outside the SLB call's observation (this may run inside one, refreshing its credentials).
    const req = unobserved(() => lib.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }));
    arm('connect', options.connectTimeoutMs);
    req.once('socket', (socket) => {
      const onConnect = () => {
        connected = true;
        arm('read', options.readTimeoutMs);
      };
      if (socket.connecting) socket.once('connect', onConnect);
      else onConnect();
    });
    // (agent: false: the socket comes with the 'socket' event, always a new one.)
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) return finish(new BoundedHttpError('too-big', String(maxBytes)));
        chunks.push(c);
      });
      res.once('end', () => {
        const ct = res.headers['content-type'];
        finish(undefined, { status: res.statusCode ?? 0, contentType: Array.isArray(ct) ? ct.join(',') : ct, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.once('error', (e: NodeJS.ErrnoException) => finish(new BoundedHttpError(connected ? 'network' : 'connect', e.code ?? 'error')));
    });
    req.once('error', (e: NodeJS.ErrnoException) => finish(new BoundedHttpError('network', e.code ?? 'error')));
    req.end();
  });
}
