// Shared helpers of the reachability tests: real local backends on 127.0.0.1 (TCP, Redis protocol,
// HTTP, UDP), free ports, listeners created through the API. Every server is closed by its `close()`.
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { reachTargets } from '../../server/src/engine/reach';
import type { SandboxHandle } from '../../sandbox/src/index';
export { CERT_ID, INTERNAL_API_ID as INTERNAL_ID, KEY_ID, REDIS_APP_ID, SECRET, sandboxClient as clientFor } from '../helpers/sandbox';
import type { SlbClient } from '../../server/src/engine/cloud/slbClient';



export function targetsOf(text: string, env?: Map<string, string>) {
  return reachTargets(new ComposeAnalyzer().analyze(text, { env }), { env });
}

/** A TCP port free on `host` right now (bound with port 0, then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Backend {
  port: number;
  close(): Promise<void>;
}

async function listenTcp(server: net.Server, sockets: Set<net.Socket>): Promise<Backend> {
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain TCP service that accepts and keeps connections open (says nothing). */
export function tcpBackend(): Promise<Backend> {
  return listenTcp(net.createServer(() => undefined), new Set());
}

/** A tiny Redis-protocol server: +PONG to PING (optionally after `delayMs`), -ERR otherwise. */
export function redisBackend(options: { delayMs?: number; reply?: string } = {}): Promise<Backend & { pings: number }> {
  const state = { pings: 0 };
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let index: number;
      while ((index = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const answer = /^PING$/i.test(line.trim()) ? (state.pings++, options.reply ?? '+PONG\r\n') : '-ERR unknown command\r\n';
        const send = () => socket.writable && socket.write(answer);
        if (options.delayMs) setTimeout(send, options.delayMs).unref();
        else send();
      }
    });
  });
  return listenTcp(server, new Set()).then((b) => ({ port: b.port, close: b.close, get pings() { return state.pings; } }));
}

/** An HTTP server answering 200 "ok" on every path (HEAD/GET health checks included). */
export async function httpBackend(): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A UDP service: echoes datagrams back (`echo`), or swallows them silently. */
export async function udpBackend(mode: 'echo' | 'silent'): Promise<Backend> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (mode === 'echo') socket.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

export type Protocol = 'tcp' | 'udp' | 'http' | 'https';

/** Creates and (unless `start: false`) starts a listener through the API. */
export async function createListener(
  client: SlbClient,
  lbId: string,
  protocol: Protocol,
  frontPort: number,
  backendPort: number,
  options: { start?: boolean; healthCheck?: boolean; certificateId?: string } = {},
): Promise<void> {
  const base = { LoadBalancerId: lbId, ListenerPort: frontPort, BackendServerPort: backendPort };
  const hc = options.healthCheck === false ? 'off' : 'on';
  if (protocol === 'tcp') await client.createLoadBalancerTCPListener({ ...base, Bandwidth: -1, HealthCheckSwitch: hc });
  else if (protocol === 'udp') await client.createLoadBalancerUDPListener({ ...base, Bandwidth: -1, HealthCheckSwitch: hc });
  else if (protocol === 'http') await client.createLoadBalancerHTTPListener({ ...base, Bandwidth: -1, HealthCheck: hc, StickySession: 'off' });
  else await client.createLoadBalancerHTTPSListener({ ...base, Bandwidth: -1, HealthCheck: hc, StickySession: 'off', ServerCertificateId: options.certificateId! });
  if (options.start !== false) await client.startLoadBalancerListener({ LoadBalancerId: lbId, ListenerPort: frontPort, ListenerProtocol: protocol });
}

