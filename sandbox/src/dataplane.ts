// The real data plane: every started listener of an active load balancer listens on the load
// balancer's loopback Address and forwards to 127.0.0.1:<backend port> (this machine stands in for
// every backend node). A listener bound to a vServer group forwards to the group's backend ports
// (rr / weighted rr over the backends of weight > 0, read per connection so group changes apply at
// once; an empty group refuses the connection). Backends are health-checked for real. Nothing ever
// forwards elsewhere.
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { DataPlaneStatus, HealthStatus } from './types';
import type { Listener } from './listeners';
import type { LoadBalancer, ServerCertificate } from './store';
import { BAD_GATEWAY_HTML, GATEWAY_TIMEOUT_HTML, SERVICE_UNAVAILABLE_HTML } from './wire';

/** The only host the data plane ever connects to. */
const BACKEND_HOST = '127.0.0.1';
const UDP_SESSION_IDLE_MS = 60_000;

export interface HealthState {
  status: HealthStatus;
  checks: number;
  lastCheckedAt?: number;
  lastError?: string;
}

interface Front {
  status: DataPlaneStatus;
  close(): Promise<void>;
}

/** One backend a listener forwards to: always on 127.0.0.1, at `Port`. */
export interface BackendTarget {
  ServerId: string;
  Port: number;
  Weight: number;
}

export interface DataPlaneOptions {
  enabled: boolean;
  log: (line: string) => void;
  healthCheckIntervalMs?: number;
  certificate(id: string): ServerCertificate | undefined;
  /**
   * The backends of a listener bound to a vServer group (VServerGroupId); undefined = not bound,
   * it forwards to its BackendServerPort. Asked per connection (group changes apply at once).
   */
  groupBackends?(lb: LoadBalancer, l: Listener): BackendTarget[] | undefined;
}

/**
 * Picks the backend port of each new connection/request/UDP session: rr, or smooth weighted rr
 * (nginx's: interleaved, in proportion to the weights); undefined = no backend of weight > 0.
 */
class BackendPicker {
  private turn = 0;
  private readonly current = new Map<string, number>();
  constructor(private readonly backends: () => BackendTarget[] | undefined, private readonly fixedPort: number, private readonly weighted: boolean) {}

  next(): number | undefined {
    const group = this.backends();
    if (!group) return this.fixedPort;
    const usable = group.filter((b) => b.Weight > 0);
    if (usable.length === 0) return undefined;
    if (!this.weighted) return usable[this.turn++ % usable.length].Port;
    const id = (b: BackendTarget) => `${b.ServerId}:${b.Port}`;
    for (const k of [...this.current.keys()]) if (!usable.some((b) => id(b) === k)) this.current.delete(k);
    let best = usable[0];
    let total = 0;
    for (const b of usable) {
      total += b.Weight;
      this.current.set(id(b), (this.current.get(id(b)) ?? 0) + b.Weight);
      if (this.current.get(id(b))! > this.current.get(id(best))!) best = b;
    }
    this.current.set(id(best), this.current.get(id(best))! - total);
    return best.Port;
  }
}

function key(lbId: string, l: Pick<Listener, 'ListenerProtocol' | 'ListenerPort'>): string {
  return `${lbId}|${l.ListenerProtocol}|${l.ListenerPort}`;
}

export function bindErrorText(address: string, port: number, proto: string, err: NodeJS.ErrnoException): string {
  const base = `SLB sandbox data plane: cannot bind ${proto} ${address}:${port} (${err.code ?? err.message})`;
  switch (err.code) {
    case 'EADDRNOTAVAIL':
      return `${base}: the loopback address ${address} does not exist on this machine. Linux has all of 127.0.0.0/8; on macOS add it with "sudo ifconfig lo0 alias ${address} up". The API keeps working; this listener carries no traffic.`;
    case 'EACCES':
      return `${base}: ports below 1024 need elevated privileges here. The API keeps working; this listener carries no traffic.`;
    case 'EADDRINUSE':
      return `${base}: the port is already in use (another sandbox or program). The API keeps working; this listener carries no traffic.`;
    default:
      return `${base}. The API keeps working; this listener carries no traffic.`;
  }
}

/** PROXY protocol v2 header (TCP over IPv4) for ProxyProtocolV2Enabled listeners. */
function proxyV2Header(client: net.Socket, address: string, port: number): Buffer {
  const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const b = Buffer.alloc(28);
  sig.copy(b, 0);
  b[12] = 0x21; // v2, PROXY
  b[13] = 0x11; // TCP over IPv4
  b.writeUInt16BE(12, 14);
  const ip4 = (s: string | undefined) => (s ?? '0.0.0.0').replace(/^::ffff:/, '').split('.').map(Number);
  Buffer.from(ip4(client.remoteAddress)).copy(b, 16);
  Buffer.from(ip4(address)).copy(b, 20);
  b.writeUInt16BE(client.remotePort ?? 0, 24);
  b.writeUInt16BE(port, 26);
  return b;
}

function listenTcp(server: net.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (!server.listening) return resolve();
    server.close(() => resolve());
    (server as http.Server).closeAllConnections?.();
  });
}

export class DataPlane {
  private readonly fronts = new Map<string, Front>();
  private readonly probes = new Map<string, HealthProbe>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly opts: DataPlaneOptions) {}

  status(lbId: string, l: Listener): DataPlaneStatus {
    return { ...(this.fronts.get(key(lbId, l))?.status ?? { listening: false }) };
  }

  health(lbId: string, l: Listener): HealthState {
    const p = this.probes.get(key(lbId, l));
    return p ? { ...p.state } : { status: 'unavailable', checks: 0 };
  }

  /** The health of one backend port of the listener (vServer group backends). */
  portHealth(lbId: string, l: Listener, port: number): HealthState {
    const p = this.probes.get(key(lbId, l));
    return p ? p.portState(port) : { status: 'unavailable', checks: 0 };
  }

  private picker(lb: LoadBalancer, l: Listener): BackendPicker {
    return new BackendPicker(() => this.opts.groupBackends?.(lb, l), l.BackendServerPort, l.Scheduler !== 'rr');
  }

  private backendPorts(lb: LoadBalancer, l: Listener): number[] {
    const group = this.opts.groupBackends?.(lb, l);
    return group ? group.filter((b) => b.Weight > 0).map((b) => b.Port) : [l.BackendServerPort];
  }

  /** Brings the listener's socket and health check in line with its state. Serialised per listener. */
  sync(lb: LoadBalancer, l: Listener): Promise<void> {
    const k = key(lb.LoadBalancerId, l);
    const prev = this.pending.get(k) ?? Promise.resolve();
    const next = prev.then(() => this.doSync(lb, l)).catch((e) => this.opts.log(`SLB sandbox data plane: ${(e as Error).message}`));
    this.pending.set(k, next);
    void next.then(() => {
      if (this.pending.get(k) === next) this.pending.delete(k);
    });
    return next;
  }

  /** Closes the listener's socket and health check (listener deleted). */
  remove(lb: LoadBalancer, l: Listener): Promise<void> {
    return this.sync(lb, { ...l, Status: 'stopped' });
  }

  private shut = false;

  /** Final close: nothing opens after this. */
  async shutdown(): Promise<void> {
    this.shut = true;
    await this.closeAll();
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
    for (const p of this.probes.values()) p.stop();
    this.probes.clear();
    const fronts = [...this.fronts.values()];
    this.fronts.clear();
    await Promise.allSettled(fronts.map((f) => f.close()));
  }

  private async doSync(lb: LoadBalancer, l: Listener): Promise<void> {
    if (this.shut) return;
    const k = key(lb.LoadBalancerId, l);
    const active = lb.LoadBalancerStatus === 'active' && l.Status === 'running';

    // health check
    const wantProbe = active && l.cfg.HealthCheck === 'on';
    const probe = this.probes.get(k);
    if (probe && (!wantProbe || probe.listener !== l)) {
      probe.stop();
      this.probes.delete(k);
    }
    if (wantProbe && !this.probes.has(k)) {
      const p = new HealthProbe(l, () => this.backendPorts(lb, l), this.opts.healthCheckIntervalMs);
      this.probes.set(k, p);
      p.start();
    }

    // front socket
    const front = this.fronts.get(k);
    const wantFront = this.opts.enabled && active;
    if (front && !wantFront) {
      this.fronts.delete(k);
      await front.close();
      this.opts.log(`SLB sandbox data plane: closed ${l.ListenerProtocol} ${lb.Address}:${l.ListenerPort}`);
    }
    if (wantFront && !this.fronts.has(k)) {
      const f = await this.open(lb, l);
      this.fronts.set(k, f);
      if (f.status.listening) {
        const to = this.opts.groupBackends?.(lb, l) ? `vServer group ${l.VServerGroupId}` : `${BACKEND_HOST}:${l.BackendServerPort}`;
        this.opts.log(`SLB sandbox data plane: ${l.ListenerProtocol} ${lb.Address}:${l.ListenerPort} -> ${to}`);
      } else {
        this.opts.log(f.status.error ?? `SLB sandbox data plane: cannot bind ${lb.Address}:${l.ListenerPort}`);
      }
    }
  }

  private async open(lb: LoadBalancer, l: Listener): Promise<Front> {
    const address = lb.Address;
    const port = l.ListenerPort;
    try {
      const picker = this.picker(lb, l);
      if (l.ListenerProtocol === 'udp') return await this.openUdp(address, l, picker);
      if (l.ListenerProtocol === 'tcp') return await this.openTcp(address, l, picker);
      return await this.openHttp(lb, l, picker);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return { status: { listening: false, address, port, error: bindErrorText(address, port, l.ListenerProtocol, err) }, close: async () => undefined };
    }
  }

  private async openTcp(address: string, l: Listener, picker: BackendPicker): Promise<Front> {
    const sockets = new Set<net.Socket>();
    const track = (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    };
    const establishedMs = Number(l.cfg.EstablishedTimeout ?? 900) * 1000;
    const server = net.createServer((client) => {
      track(client);
      const port = picker.next();
      if (port === undefined) {
        client.destroy(); // a vServer group without backends: nowhere to go
        return;
      }
      const upstream = net.connect({ host: BACKEND_HOST, port });
      track(upstream);
      if (l.cfg.ProxyProtocolV2Enabled === true) upstream.write(proxyV2Header(client, address, l.ListenerPort));
      client.setTimeout(establishedMs, () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.end());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await listenTcp(server, address, l.ListenerPort);
    return { status: { listening: true, address, port: l.ListenerPort }, close: () => closeServer(server, sockets) };
  }

  private async openHttp(lb: LoadBalancer, l: Listener, picker: BackendPicker): Promise<Front> {
    const address = lb.Address;
    const sockets = new Set<net.Socket>();
    const upstreams = new Set<http.ClientRequest>();
    const isHttps = l.ListenerProtocol === 'https';
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const hostHeader = (req.headers.host ?? `${address}:${l.ListenerPort}`).replace(/:\d+$/, '');
      if (!isHttps && l.cfg.ListenerForward === 'on') {
        res.writeHead(301, { location: `https://${hostHeader}:${l.cfg.ForwardPort}${req.url ?? '/'}`, 'content-length': 0 });
        res.end();
        return;
      }
      const headers: http.OutgoingHttpHeaders = { ...req.headers };
      for (const h of ['connection', 'keep-alive', 'proxy-connection', 'upgrade']) delete headers[h];
      const clientIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (l.cfg.XForwardedFor === 'on') {
        const prev = req.headers['x-forwarded-for'];
        headers['x-forwarded-for'] = prev ? `${prev}, ${clientIp}` : clientIp;
      }
      if (l.cfg.XForwardedFor_proto === 'on') headers['x-forwarded-proto'] = isHttps ? 'https' : 'http';
      if (l.cfg.XForwardedFor_SLBIP === 'on') headers['slb-ip'] = address;
      if (l.cfg.XForwardedFor_SLBID === 'on') headers['slb-id'] = lb.LoadBalancerId;
      if (l.cfg.XForwardedFor_SLBPORT === 'on') headers['x-forwarded-port'] = String(l.ListenerPort);
      if (l.cfg.XForwardedFor_ClientSrcPort === 'on') headers['x-forwarded-client-srcport'] = String(req.socket.remotePort ?? '');
      const port = picker.next();
      if (port === undefined) {
        res.writeHead(503, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(SERVICE_UNAVAILABLE_HTML), server: 'Tengine' });
        res.end(SERVICE_UNAVAILABLE_HTML);
        return;
      }
      const up = http.request({ host: BACKEND_HOST, port, method: req.method, path: req.url, headers, agent: false });
      upstreams.add(up);
      up.on('close', () => upstreams.delete(up));
      const fail = (status: number, html: string) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html), server: 'Tengine' });
        res.end(html);
      };
      up.setTimeout(Number(l.cfg.RequestTimeout ?? 60) * 1000, () => {
        fail(504, GATEWAY_TIMEOUT_HTML);
        up.destroy();
      });
      up.on('error', () => fail(502, BAD_GATEWAY_HTML));
      up.on('response', (r) => {
        const h = { ...r.headers };
        delete h.connection;
        delete h['keep-alive'];
        res.writeHead(r.statusCode ?? 502, h);
        r.pipe(res);
      });
      req.pipe(up);
      res.on('close', () => up.destroy());
    };
    let server: http.Server;
    if (isHttps) {
      const cert = this.opts.certificate(String(l.cfg.ServerCertificateId));
      if (!cert) throw new Error(`server certificate ${l.cfg.ServerCertificateId} not found`);
      server = https.createServer({ cert: cert.certificatePem, key: cert.privateKeyPem }, handler);
    } else {
      server = http.createServer(handler);
    }
    server.keepAliveTimeout = Number(l.cfg.IdleTimeout ?? 15) * 1000;
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    await listenTcp(server, address, l.ListenerPort);
    return {
      status: { listening: true, address, port: l.ListenerPort },
      close: () => {
        for (const u of upstreams) u.destroy();
        upstreams.clear();
        return closeServer(server, sockets);
      },
    };
  }

  private async openUdp(address: string, l: Listener, picker: BackendPicker): Promise<Front> {
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    const sessions = new Map<string, { up: dgram.Socket; timer: NodeJS.Timeout }>();
    const idleMs = Math.max(Number(l.cfg.PersistenceTimeout ?? 0) * 1000, UDP_SESSION_IDLE_MS);
    const endSession = (id: string) => {
      const s = sessions.get(id);
      if (!s) return;
      sessions.delete(id);
      clearTimeout(s.timer);
      try {
        s.up.close();
      } catch {
        /* already closed */
      }
    };
    sock.on('message', (msg, rinfo) => {
      const id = `${rinfo.address}:${rinfo.port}`;
      let s = sessions.get(id);
      if (!s) {
        const port = picker.next();
        if (port === undefined) return; // a vServer group without backends: the datagram is dropped
        const up = dgram.createSocket('udp4');
        up.on('error', () => endSession(id));
        up.on('message', (reply) => {
          sock.send(reply, rinfo.port, rinfo.address, () => undefined);
          const cur = sessions.get(id);
          if (cur) cur.timer.refresh();
        });
        const timer = setTimeout(() => endSession(id), idleMs);
        timer.unref();
        s = { up, timer };
        sessions.set(id, s);
        up.connect(port, BACKEND_HOST, () => up.send(msg, () => undefined));
        return;
      }
      s.timer.refresh();
      try {
        s.up.send(msg, () => undefined);
      } catch {
        endSession(id); // not connected yet or closed; the datagram is dropped, as UDP may do
      }
    });
    sock.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind({ address, port: l.ListenerPort, exclusive: true }, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    return {
      status: { listening: true, address, port: l.ListenerPort },
      close: () =>
        new Promise<void>((resolve) => {
          for (const id of [...sessions.keys()]) endSession(id);
          sock.close(() => resolve());
        }),
    };
  }
}

/** One health-checked backend port (all backends live on 127.0.0.1). */
interface PortHealth {
  state: HealthState;
  okStreak: number;
  failStreak: number;
}

/**
 * Periodic real health check of a listener's backend ports on 127.0.0.1: the BackendServerPort, or
 * every port of its vServer group (read each round, so group changes show at the next check).
 */
class HealthProbe {
  private readonly perPort = new Map<number, PortHealth>();
  private timer?: NodeJS.Timeout;
  private readonly aborts = new Set<() => void>();
  private stopped = false;

  constructor(
    readonly listener: Listener,
    private readonly ports: () => number[],
    private readonly intervalOverrideMs?: number,
  ) {}

  /** The listener's health: normal when some backend port is normal, unavailable before the first check or without backends. */
  get state(): HealthState {
    const states = [...this.perPort.values()].map((p) => p.state);
    if (states.length === 0) return { status: 'unavailable', checks: 0 };
    const normal = states.find((s) => s.status === 'normal');
    const pick = normal ?? states.find((s) => s.status === 'abnormal') ?? states[0];
    return { ...pick, checks: Math.max(...states.map((s) => s.checks)) };
  }

  /** The health of one backend port (vServer group rows of DescribeHealthStatus). */
  portState(port: number): HealthState {
    const p = this.perPort.get(port);
    return p ? { ...p.state } : { status: 'unavailable', checks: 0 };
  }

  private get intervalMs(): number {
    return this.intervalOverrideMs ?? Number(this.listener.cfg.HealthCheckInterval ?? 2) * 1000;
  }

  private get timeoutMs(): number {
    const cfgMs = Number(this.listener.cfg.HealthCheckConnectTimeout ?? this.listener.cfg.HealthCheckTimeout ?? 5) * 1000;
    return this.intervalOverrideMs !== undefined ? Math.min(cfgMs, Math.max(this.intervalOverrideMs * 4, 500)) : cfgMs;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const abort of [...this.aborts]) abort();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    const connectPort = this.listener.cfg.HealthCheckConnectPort;
    const ports = [...new Set(connectPort !== undefined ? [Number(connectPort)] : this.ports())].slice(0, 64);
    for (const port of [...this.perPort.keys()]) if (!ports.includes(port)) this.perPort.delete(port);
    const outcomes = await Promise.all(ports.map((port) => this.probe(port).then(() => undefined, (e: Error) => e.message || String(e))));
    if (this.stopped) return;
    ports.forEach((port, i) => this.record(port, outcomes[i]));
    this.schedule(this.intervalMs);
  }

  private record(port: number, error: string | undefined): void {
    const l = this.listener;
    let p = this.perPort.get(port);
    if (!p) this.perPort.set(port, (p = { state: { status: 'unavailable', checks: 0 }, okStreak: 0, failStreak: 0 }));
    p.state.checks++;
    p.state.lastCheckedAt = Date.now();
    p.state.lastError = error;
    if (error === undefined) {
      p.okStreak++;
      p.failStreak = 0;
    } else {
      p.failStreak++;
      p.okStreak = 0;
    }
    if (p.state.status === 'unavailable') {
      p.state.status = error === undefined ? 'normal' : 'abnormal'; // first result decides
    } else if (p.state.status === 'abnormal' && p.okStreak >= Number(l.cfg.HealthyThreshold ?? 3)) {
      p.state.status = 'normal';
    } else if (p.state.status === 'normal' && p.failStreak >= Number(l.cfg.UnhealthyThreshold ?? 3)) {
      p.state.status = 'abnormal';
    }
  }

  private probe(port: number): Promise<void> {
    const l = this.listener;
    const httpCheck = l.ListenerProtocol === 'http' || l.ListenerProtocol === 'https' || (l.ListenerProtocol === 'tcp' && l.cfg.HealthCheckType === 'http');
    if (l.ListenerProtocol === 'udp') return this.probeUdp(port);
    if (httpCheck) return this.probeHttp(port);
    return this.probeTcp(port);
  }

  private probeTcp(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: BACKEND_HOST, port });
      const done = (err?: Error) => {
        clearTimeout(t);
        this.aborts.delete(abort);
        s.destroy();
        if (err) reject(err);
        else resolve();
      };
      const abort = () => done(new Error('stopped'));
      const t = setTimeout(() => done(new Error('connect timeout')), this.timeoutMs);
      this.aborts.add(abort);
      s.once('connect', () => done());
      s.once('error', (e) => done(e));
    });
  }

  private probeHttp(port: number): Promise<void> {
    const l = this.listener;
    const domain = l.cfg.HealthCheckDomain && l.cfg.HealthCheckDomain !== '$_ip' ? String(l.cfg.HealthCheckDomain) : BACKEND_HOST;
    const codes = String(l.cfg.HealthCheckHttpCode ?? 'http_2xx').split(',').map((c) => c.trim());
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: BACKEND_HOST,
        port,
        method: String(l.cfg.HealthCheckMethod ?? 'head').toUpperCase(),
        path: String(l.cfg.HealthCheckURI ?? '/'),
        headers: { host: domain, 'user-agent': 'slb-sandbox-healthcheck' },
        agent: false,
        timeout: this.timeoutMs,
      });
      const abort = () => req.destroy(new Error('stopped'));
      this.aborts.add(abort);
      req.on('timeout', () => req.destroy(new Error('http timeout')));
      req.on('error', (e) => {
        this.aborts.delete(abort);
        reject(e);
      });
      req.on('response', (res) => {
        res.resume();
        this.aborts.delete(abort);
        const cls = `http_${Math.floor((res.statusCode ?? 0) / 100)}xx`;
        if (codes.includes(cls)) resolve();
        else reject(new Error(`HTTP ${res.statusCode} is not in ${codes.join(',')}`));
        req.destroy();
      });
      req.end();
    });
  }

  private probeUdp(port: number): Promise<void> {
    const l = this.listener;
    const payload = Buffer.from(String(l.cfg.HealthCheckReq ?? 'slb-sandbox-healthcheck'));
    const expect = l.cfg.HealthCheckExp !== undefined ? String(l.cfg.HealthCheckExp) : undefined;
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket('udp4');
      let finished = false;
      const done = (err?: Error) => {
        if (finished) return;
        finished = true;
        clearTimeout(t);
        this.aborts.delete(abort);
        try {
          s.close();
        } catch {
          /* closed */
        }
        if (err) reject(err);
        else resolve();
      };
      const abort = () => done(new Error('stopped'));
      // Without an expected reply, silence until the timeout counts as healthy (no ICMP port unreachable).
      const t = setTimeout(() => done(expect === undefined ? undefined : new Error('no UDP reply')), Math.min(this.timeoutMs, 1000));
      this.aborts.add(abort);
      s.on('error', (e) => done(e));
      s.on('message', (m) => {
        if (expect === undefined || m.toString().includes(expect)) done();
        else done(new Error('unexpected UDP reply'));
      });
      s.connect(port, BACKEND_HOST, () => {
        s.send(payload, (e) => {
          if (e) done(e);
        });
        // a second datagram surfaces a pending ICMP port-unreachable as ECONNREFUSED
        setTimeout(() => {
          if (!finished) s.send(payload, () => undefined);
        }, 20).unref();
      });
    });
  }
}
