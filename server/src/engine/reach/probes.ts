// Data-plane probes from this machine. Each one talks to exactly the host:port it is given (the
// SLB address the API returned: the walk checks it is an IP literal, so no DNS either), is bounded
// by its timeout, and closes every socket it opens.
import * as dgram from 'dgram';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import type { TLSSocket } from 'tls';

export type ProbeFailure = 'refused' | 'timeout' | 'closed' | 'unreachable' | 'tls' | 'error';

const elapsed = (start: bigint) => Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;

export interface TcpProbeOptions {
  timeoutMs: number;
  /** After connecting, wait this long for an immediate close/reset (a front that has no backend to hand the connection to). */
  settleMs?: number;
  /** Bytes to send once connected, and how to read the answer. */
  send?: Buffer;
  /** Decides on the bytes so far: true = complete, false = need more. */
  complete?: (data: Buffer) => boolean;
  signal?: AbortSignal;
}

export interface TcpProbeResult {
  connected: boolean;
  connectMs?: number;
  failure?: ProbeFailure;
  error?: string;
  reply?: Buffer;
  replyMs?: number;
}

export function tcpProbe(host: string, port: number, options: TcpProbeOptions): Promise<TcpProbeResult> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const socket = new net.Socket();
    let connected = false;
    let connectMs: number | undefined;
    let sentAt: bigint | undefined;
    let data = Buffer.alloc(0);
    let settle: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (r: Omit<TcpProbeResult, 'connected' | 'connectMs'>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (settle) clearTimeout(settle);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ connected, connectMs, ...r });
    };
    const onAbort = () => finish({ failure: 'error', error: 'cancelled' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish({ failure: 'timeout', reply: data.length > 0 ? data : undefined }), options.timeoutMs);
    socket.once('connect', () => {
      connected = true;
      connectMs = elapsed(start);
      if (options.send) {
        sentAt = process.hrtime.bigint();
        socket.write(options.send);
      } else {
        settle = setTimeout(() => finish({}), options.settleMs ?? 0);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]).subarray(0, 64 * 1024);
      if (!options.send) return;
      if (!options.complete || options.complete(data)) finish({ reply: data, replyMs: sentAt ? elapsed(sentAt) : undefined });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => finish({ failure: failureOf(e, connected), error: e.code ?? e.message, reply: data.length > 0 ? data : undefined }));
    socket.on('close', () => finish({ failure: 'closed', reply: data.length > 0 ? data : undefined, replyMs: sentAt && data.length > 0 ? elapsed(sentAt) : undefined }));
    socket.connect({ host, port });
  });
}

function failureOf(e: NodeJS.ErrnoException, connected: boolean): ProbeFailure {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return connected ? 'closed' : 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    default:
      return 'error';
  }
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validTo: string;
  /** ISO date of validTo. */
  expires?: string;
  expired: boolean;
  selfSigned: boolean;
  /** Trusted by this machine's CA store? (authorizationError otherwise) */
  trusted: boolean;
  trustError?: string;
}

export interface HttpProbeResult {
  connected: boolean;
  status?: number;
  statusText?: string;
  server?: string;
  responseMs?: number;
  failure?: ProbeFailure;
  error?: string;
  certificate?: CertificateInfo;
  handshakeDone?: boolean;
}

/** GET / over HTTP or HTTPS (certificate captured, never required to be trusted). */
export function httpProbe(host: string, port: number, secure: boolean, options: { timeoutMs: number; signal?: AbortSignal }): Promise<HttpProbeResult> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let connected = false;
    let handshakeDone = false;
    let certificate: CertificateInfo | undefined;
    let finished = false;
    const requestOptions: https.RequestOptions = {
      host,
      port,
      method: 'GET',
      path: '/',
      agent: false,
      headers: { host: `${net.isIPv6(host) ? `[${host}]` : host}:${port}`, 'user-agent': 'slb-labels-reach/0.1', accept: '*/*', connection: 'close' },
    };
    if (secure) requestOptions.rejectUnauthorized = false;
    const req = (secure ? https : http).request(requestOptions);
    const finish = (r: Omit<HttpProbeResult, 'connected' | 'certificate' | 'handshakeDone'>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ connected, certificate, handshakeDone, ...r });
    };
    const onAbort = () => finish({ failure: 'error', error: 'cancelled' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish({ failure: 'timeout' }), options.timeoutMs);
    req.on('socket', (socket: net.Socket) => {
      socket.once('connect', () => (connected = true));
      if (secure) {
        socket.once('secureConnect', () => {
          handshakeDone = true;
          certificate = certificateOf(socket as TLSSocket);
        });
      }
    });
    req.on('response', (res) => {
      const responseMs = elapsed(start);
      res.resume();
      finish({ status: res.statusCode, statusText: res.statusMessage, server: typeof res.headers.server === 'string' ? res.headers.server : undefined, responseMs });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (secure && connected && !handshakeDone) finish({ failure: 'tls', error: e.code ?? e.message });
      else finish({ failure: failureOf(e, connected), error: e.code ?? e.message });
    });
    req.end();
  });
}

function certificateOf(socket: TLSSocket): CertificateInfo | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const name = (n: Record<string, unknown> | undefined) =>
    n ? Object.entries(n).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : '';
  const subject = name(cert.subject as unknown as Record<string, unknown>);
  const issuer = name(cert.issuer as unknown as Record<string, unknown>);
  const to = Date.parse(cert.valid_to);
  const authError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  return {
    subject,
    issuer,
    validTo: cert.valid_to,
    expires: Number.isFinite(to) ? new Date(to).toISOString().slice(0, 10) : undefined,
    expired: Number.isFinite(to) && to < Date.now(),
    selfSigned: subject === issuer || authError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || authError === 'SELF_SIGNED_CERT_IN_CHAIN',
    trusted: socket.authorized,
    trustError: authError,
  };
}

export interface UdpProbeResult {
  answered: boolean;
  bytes?: number;
  replyMs?: number;
  failure?: ProbeFailure;
  error?: string;
}

/** One datagram (sent twice, 20 ms apart, so a pending ICMP port-unreachable surfaces); waits for any reply. */
export function udpProbe(host: string, port: number, options: { timeoutMs: number; payload?: Buffer; signal?: AbortSignal }): Promise<UdpProbeResult> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    const payload = options.payload ?? Buffer.from('slb-labels reachability probe\n');
    let sentAt: bigint | undefined;
    let finished = false;
    const finish = (r: UdpProbeResult) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(again);
      options.signal?.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {
        // already closed
      }
      resolve(r);
    };
    const onAbort = () => finish({ answered: false, failure: 'error', error: 'cancelled' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish({ answered: false, failure: 'timeout' }), options.timeoutMs);
    let again: NodeJS.Timeout | undefined;
    socket.on('message', (msg) => finish({ answered: true, bytes: msg.length, replyMs: sentAt ? elapsed(sentAt) : undefined }));
    socket.on('error', (e: NodeJS.ErrnoException) => finish({ answered: false, failure: failureOf(e, false), error: e.code ?? e.message }));
    socket.connect(port, host, () => {
      sentAt = process.hrtime.bigint();
      socket.send(payload, () => undefined);
      again = setTimeout(() => {
        if (!finished) socket.send(payload, () => undefined);
      }, 20);
    });
  });
}

/** Images whose service speaks the Redis protocol (official, bitnami, registry mirrors, forks). */
export function isRedisImage(image: string | undefined): boolean {
  if (!image) return false;
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.split('/').pop() ?? '';
  const name = lastSegment.split(':')[0].toLowerCase();
  return /^(redis|redis-stack|redis-stack-server|redis-cluster|redis-sentinel|valkey|keydb)$/.test(name);
}

/** A complete RESP reply line? */
export function respLineComplete(data: Buffer): boolean {
  return data.includes('\r\n');
}
