/**
 * Watching our own HTTP requests (made by openapi-core/httpx) without touching them: their status
 * and content type, and a connect/read watchdog that names the phase of a timeout.
 *
 * Transport-free: no vscode import.
 */
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import * as $dara from '@darabonba/typescript';

export interface WireObservation {
  status?: number;
  contentType?: string;
  /** The request's socket connected (or was a kept-alive one): a timeout after this is a read timeout. */
  connected?: boolean;
  /** Set when the watchdog below cut the request, and in which phase. */
  timedOut?: 'connect' | 'read';
  /** Watchdog bounds (ms); unset = no watchdog for that phase. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}
const observation = new AsyncLocalStorage<WireObservation>();
let observing = false;

/**
 * openapi-core turns a non-JSON body (e.g. a proxy's 502 HTML page) into a bare SyntaxError and
 * forgets the status. Node's `http.client.request.start` diagnostics channel lets us see the
 * response status and content type of requests made inside our own async context.
 *
 * It also runs the timeout watchdog of our own requests, because the HTTP layer under
 * openapi-core (httpx) gets both phases wrong: its "connect" timeout is a socket idle timeout, so
 * a server that accepts and never answers is reported as "ConnectTimeout"; and on a kept-alive
 * socket the previous request's stale read timer cancels the next request's one, so a slow answer
 * is waited for without any bound. The watchdog times the connect phase (request start → socket
 * connected) and the read phase (connected → response complete) itself, and destroys the request
 * when one runs out; `timedOut` says which.
 */
export function ensureObserving(): void {
  if (observing) return;
  observing = true;
  diagnosticsChannel.subscribe('http.client.request.start', (message: unknown) => {
    const store = observation.getStore();
    if (!store) return;
    const request = (message as { request?: ClientRequest }).request;
    if (!request) return;
    let timer: NodeJS.Timeout | undefined;
    const clear = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    const cut = (phase: 'connect' | 'read') => {
      timer = undefined;
      store.timedOut = phase;
      request.destroy(Object.assign(new Error(phase === 'connect' ? 'ConnectTimeout (watchdog)' : 'ReadTimeout (watchdog)'), { name: 'RequestTimeoutError' }));
    };
    const arm = (phase: 'connect' | 'read', ms: number | undefined) => {
      clear();
      if (ms === undefined || !(ms > 0)) return;
      timer = setTimeout(() => cut(phase), ms);
      timer.unref();
    };
    arm('connect', store.connectTimeoutMs);
    const onSocket = (socket: Socket) => {
      const connected = () => {
        store.connected = true;
        arm('read', store.readTimeoutMs);
      };
      if (socket.connecting) socket.once('connect', connected);
      else connected();
    };
    // Node publishes this channel once the request has its socket (new or kept-alive); be ready for either order.
    if (request.socket) onSocket(request.socket);
    else request.once('socket', onSocket);
    request.once('response', (res: IncomingMessage) => {
      store.status = res.statusCode;
      const ct = res.headers['content-type'];
      store.contentType = Array.isArray(ct) ? ct.join(',') : ct;
      res.once('end', clear);
    });
    request.once('close', clear);
  });
}

/**
 * Run `fn` (which makes HTTP requests through openapi-core) with status observation and the
 * connect/read watchdog. `obs` receives what was seen.
 */
export function observeRequests<R>(obs: WireObservation, fn: () => Promise<R>): Promise<R> {
  ensureObserving();
  return observation.run(obs, fn);
}

/**
 * Runtime options for openapi-core when the watchdog enforces the bounds: httpx's own timers are
 * set later than ours (a backstop only), so the phase is always named by the watchdog.
 */
export function watchdogRuntime(connectTimeoutMs: number, readTimeoutMs: number): $dara.RuntimeOptions {
  return new $dara.RuntimeOptions({ readTimeout: readTimeoutMs + 1_000, connectTimeout: connectTimeoutMs + readTimeoutMs + 1_000 });
}

/**
 * Run `fn` outside any observation: requests made for other purposes while an SLB call is in
 * progress (fetching fresh credentials from the metadata service or a credentials URI) must not
 * be taken for the call's own request by the watchdog.
 */
export function unobserved<R>(fn: () => R): R {
  return observation.exit(fn);
}
