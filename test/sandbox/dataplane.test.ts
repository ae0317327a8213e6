// The SLB sandbox's real data plane: TCP/HTTP/HTTPS/UDP listeners forwarding to backends on
// 127.0.0.1, real health checks, and nothing left running after close().
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { startSandbox, SandboxHandle, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_SEED } from '../../sandbox/src/index';

// Addresses of this file (127.0.77.x) differ from the default 127.0.0.x so parallel test files never clash.
const BASE = '127.0.77.2';
const REDIS = 'lb-bp1rtfnodmywb43ecu4sf'; // 127.0.77.2, seeded running tcp 6379
const INACTIVE = 'lb-bp1hv944r69al4j9j7lmn'; // 127.0.77.4
const SHARED_B = 'lb-bp1n3cm1gkdnt2vuhrv6f'; // 127.0.77.6, no listeners
const ADDR = '127.0.77.6';
const CERT = '1231579085529123_16a8f3b2c41_1714763408_709691807';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function sdk(sb: SandboxHandle) {
  const client = new OpenApi(
    new $OpenApiUtil.Config({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, regionId: 'cn-hangzhou', endpoint: sb.endpoint, protocol: 'HTTP' }),
  );
  return async (action: string, query: Record<string, unknown> = {}): Promise<Body> => {
    const params = new $OpenApiUtil.Params({ action, version: '2014-05-15', protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
    const res = await client.callApi(params, new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ RegionId: 'cn-hangzhou', ...query }) }), new $dara.RuntimeOptions({}));
    return res.body as Body;
  };
}

/** A port that is free on `host` right now. */
async function freePort(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function tcpEcho(port = 0): Promise<{ port: number; server: net.Server; first: Promise<Buffer>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let gotFirst!: (b: Buffer) => void;
  const first = new Promise<Buffer>((r) => (gotFirst = r));
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.once('data', (d) => gotFirst(d));
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    server,
    first,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function connectAndEcho(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let got = '';
    s.on('connect', () => s.write(text));
    s.on('data', (d) => {
      got += d;
      if (got.length >= text.length) {
        s.end();
        resolve(got);
      }
    });
    s.on('error', reject);
  });
}

function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

function get(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; cn?: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { agent: false, ...opts }, (res) => {
      let body = '';
      const cn = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.()?.subject?.CN;
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, cn: typeof cn === 'string' ? cn : undefined }));
    });
    req.on('error', reject);
  });
}

async function httpBackend(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200).end('ok');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ url: req.url, method: req.method, headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function health(call: ReturnType<typeof sdk>, lb: string, port: number): Promise<string[]> {
  const r = await call('DescribeHealthStatus', { LoadBalancerId: lb, ListenerPort: port });
  return r.BackendServers.BackendServer.map((b: Body) => b.ServerHealthStatus);
}

describe('SLB sandbox data plane', () => {
  let sb: SandboxHandle;
  let call: ReturnType<typeof sdk>;
  const logs: string[] = [];

  before(async () => {
    sb = await startSandbox({ addressBase: BASE, healthCheckIntervalMs: 30, log: (l) => logs.push(l) });
    call = sdk(sb);
  });
  after(() => sb.close());

  test('every load balancer has its own loopback Address; seeded running listeners are bound', async () => {
    const r = await call('DescribeLoadBalancers', { PageSize: 100 });
    assert.deepEqual(
      r.LoadBalancers.LoadBalancer.map((x: Body) => x.Address),
      ['127.0.77.2', '127.0.77.3', '127.0.77.4', '127.0.77.5', '127.0.77.6', '127.0.77.7'],
    );
    const redis = sb.state().loadBalancers.find((x) => x.LoadBalancerId === REDIS)!;
    const tcp = redis.Listeners.find((l) => l.ListenerPort === 6379)!;
    assert.deepEqual(tcp.dataPlane, { listening: true, address: '127.0.77.2', port: 6379 });
    assert.equal(redis.Listeners.find((l) => l.ListenerPort === 8080)!.dataPlane.listening, false); // stopped
  });

  test('TCP: create + start, traffic flows to 127.0.0.1:backend, health follows the backend, stop closes', async () => {
    const backend = await tcpEcho();
    const port = await freePort(ADDR);
    await call('CreateLoadBalancerTCPListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: backend.port, Bandwidth: -1, HealthyThreshold: 2, UnhealthyThreshold: 2 });
    assert.equal(await connectError(ADDR, port), 'ECONNREFUSED'); // created = stopped
    await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    assert.equal(await connectAndEcho(ADDR, port, 'hello through the SLB'), 'hello through the SLB');

    assert.ok(await sb.waitForHealth(SHARED_B, port, 'normal', 3000));
    assert.deepEqual(await health(call, SHARED_B, port), ['normal']);
    await backend.close();
    assert.ok(await sb.waitForHealth(SHARED_B, port, 'abnormal', 3000), 'health should turn abnormal when the backend is down');
    assert.deepEqual(await health(call, SHARED_B, port), ['abnormal']);
    const again = await tcpEcho(backend.port);
    try {
      assert.ok(await sb.waitForHealth(SHARED_B, port, 'normal', 3000), 'health should recover');
    } finally {
      await again.close();
    }

    await call('StopLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    assert.equal(await connectError(ADDR, port), 'ECONNREFUSED');
    assert.deepEqual(await health(call, SHARED_B, port), ['unavailable']);
    await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
  });

  test('TCP with ProxyProtocolV2Enabled sends a PROXY v2 header first; delete closes the socket', async () => {
    const backend = await tcpEcho();
    const port = await freePort(ADDR);
    try {
      await call('CreateLoadBalancerTCPListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: backend.port, Bandwidth: -1, ProxyProtocolV2Enabled: true, HealthCheckSwitch: 'off' });
      await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
      const s = net.connect({ host: ADDR, port });
      s.on('error', () => undefined);
      s.write('x');
      const first = await backend.first;
      s.destroy();
      assert.deepEqual([...first.subarray(0, 12)], [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
      assert.equal(first[12], 0x21);
      assert.deepEqual([...first.subarray(20, 24)], [127, 0, 77, 6]);
      assert.equal(first.readUInt16BE(26), port);
      await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
      assert.equal(await connectError(ADDR, port), 'ECONNREFUSED');
    } finally {
      await backend.close();
    }
  });

  test('HTTP: reverse proxy with X-Forwarded-For, HTTP health check, 502 when the backend is down', async () => {
    const backend = await httpBackend();
    const port = await freePort(ADDR);
    await call('CreateLoadBalancerHTTPListener', {
      LoadBalancerId: SHARED_B,
      ListenerPort: port,
      BackendServerPort: backend.port,
      HealthCheck: 'on',
      HealthCheckURI: '/health',
      HealthCheckMethod: 'get',
      HealthyThreshold: 2,
      UnhealthyThreshold: 2,
      StickySession: 'off',
      XForwardedFor_proto: 'on',
      XForwardedFor_SLBID: 'on',
    });
    await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    const r = await get(`http://${ADDR}:${port}/app?q=1`);
    assert.equal(r.status, 200);
    const seen = JSON.parse(r.body);
    assert.equal(seen.url, '/app?q=1');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['slb-id'], SHARED_B);
    assert.ok(await sb.waitForHealth(SHARED_B, port, 'normal', 3000));

    await backend.close();
    const down = await get(`http://${ADDR}:${port}/app`);
    assert.equal(down.status, 502);
    assert.match(down.body, /502 Bad Gateway/);
    assert.ok(await sb.waitForHealth(SHARED_B, port, 'abnormal', 3000));
    await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    assert.equal(await connectError(ADDR, port), 'ECONNREFUSED');
  });

  test('HTTPS: TLS terminated with the listener certificate, plain HTTP to the backend', async () => {
    const backend = await httpBackend();
    const port = await freePort(ADDR);
    try {
      await call('CreateLoadBalancerHTTPSListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: backend.port, HealthCheck: 'off', StickySession: 'off', ServerCertificateId: CERT, XForwardedFor_proto: 'on' });
      await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port, ListenerProtocol: 'https' });
      const ca = DEFAULT_SEED.serverCertificates![0].Certificate;
      const r = await get(`https://${ADDR}:${port}/secure`, { ca, servername: 'demo.slb-sandbox.test', checkServerIdentity: () => undefined });
      assert.equal(r.status, 200);
      assert.equal(r.cn, 'demo.slb-sandbox.test');
      const seen = JSON.parse(r.body);
      assert.equal(seen.url, '/secure');
      assert.equal(seen.headers['x-forwarded-proto'], 'https');
      assert.deepEqual(await health(call, SHARED_B, port), ['unavailable']); // health check off
      await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    } finally {
      await backend.close();
    }
  });

  test('UDP: datagrams are relayed both ways; health follows the backend', async () => {
    const backend = dgram.createSocket('udp4');
    backend.on('message', (m, r) => backend.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
    await new Promise<void>((r) => backend.bind(0, '127.0.0.1', r));
    const backendPort = backend.address().port;
    const port = await freePort(ADDR);
    const client = dgram.createSocket('udp4');
    try {
      await call('CreateLoadBalancerUDPListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: backendPort, Bandwidth: -1, HealthyThreshold: 2, UnhealthyThreshold: 2, healthCheckExp: 'echo' });
      await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port, ListenerProtocol: 'udp' });
      const reply = new Promise<string>((resolve) => client.once('message', (m) => resolve(m.toString())));
      client.send('ping', port, ADDR);
      assert.equal(await reply, 'echo:ping');
      assert.ok(await sb.waitForHealth(SHARED_B, port, 'normal', 3000, 'udp'));
      await new Promise<void>((r) => backend.close(() => r()));
      assert.ok(await sb.waitForHealth(SHARED_B, port, 'abnormal', 3000, 'udp'));
      await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port, ListenerProtocol: 'udp' });
      assert.equal(sb.state().loadBalancers.find((x) => x.LoadBalancerId === SHARED_B)!.Listeners.length, 0);
    } finally {
      client.close();
      try {
        backend.close();
      } catch {
        /* already closed */
      }
    }
  });

  test('an inactive SLB carries no traffic; a port in use is reported clearly, the API keeps working', async () => {
    await call('StartLoadBalancerListener', { LoadBalancerId: INACTIVE, ListenerPort: 8081 });
    const inactive = sb.state().loadBalancers.find((x) => x.LoadBalancerId === INACTIVE)!.Listeners[0];
    assert.equal(inactive.Status, 'running');
    assert.equal(inactive.dataPlane.listening, false);
    await call('StopLoadBalancerListener', { LoadBalancerId: INACTIVE, ListenerPort: 8081 });

    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, ADDR, r));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      await call('CreateLoadBalancerTCPListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: 1, Bandwidth: -1, HealthCheckSwitch: 'off' });
      await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
      const l = sb.state().loadBalancers.find((x) => x.LoadBalancerId === SHARED_B)!.Listeners[0];
      assert.equal(l.Status, 'running');
      assert.equal(l.dataPlane.listening, false);
      assert.match(l.dataPlane.error!, /EADDRINUSE/);
      assert.ok(logs.some((x) => x.includes(`${ADDR}:${port}`) && x.includes('already in use')));
      await call('DeleteLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});

describe('SLB sandbox close()', () => {
  test('closes the API, every listener, open connections and health checks', async () => {
    const sb = await startSandbox({ addressBase: '127.0.78.2', healthCheckIntervalMs: 20 });
    const call = sdk(sb);
    const backend = await tcpEcho();
    const port = await freePort('127.0.78.6');
    try {
      await call('CreateLoadBalancerTCPListener', { LoadBalancerId: SHARED_B, ListenerPort: port, BackendServerPort: backend.port, Bandwidth: -1 });
      await call('StartLoadBalancerListener', { LoadBalancerId: SHARED_B, ListenerPort: port });
      const open = net.connect({ host: '127.0.78.6', port });
      await new Promise((r) => open.once('connect', r));
      const closedByPeer = new Promise((r) => open.once('close', r));
      open.on('error', () => undefined);
      assert.ok(await sb.waitForHealth(SHARED_B, port, 'normal', 3000));
      const checksBefore = sb.state().loadBalancers[4].Listeners[0].health.checks;
      assert.ok(checksBefore > 0);

      await sb.close();
      await closedByPeer;
      assert.equal(await connectError('127.0.78.6', port), 'ECONNREFUSED');
      assert.equal(await connectError('127.0.78.2', 6379), 'ECONNREFUSED');
      assert.equal(await connectError('127.0.0.1', sb.port), 'ECONNREFUSED');
      assert.equal(sb.state().loadBalancers[4].Listeners[0].health.checks, 0); // probes gone
      await sb.close(); // idempotent
    } finally {
      await sb.close();
      await backend.close();
    }
  });
});
