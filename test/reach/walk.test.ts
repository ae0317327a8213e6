// The reachability walk (engine) against the real local SLB sandbox, with real sockets: real
// backends on 127.0.0.1, listeners created through the API, the SLB data plane on 127.0.20.x.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkReachability, formatReport, inlineMessage } from '../../server/src/engine/reach';
import type { ReachResult } from '../../server/src/engine/reach';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { Backend, CERT_ID, clientFor, createListener, freePort, httpBackend, INTERNAL_ID, Protocol, redisBackend, REDIS_APP_ID, SECRET, targetsOf, tcpBackend, udpBackend } from './helpers';

const BASE = '127.0.20.2'; // slb_redis_app = 127.0.20.2, slb_internal_api = 127.0.20.3, ...
const REDIS_APP_ADDRESS = '127.0.20.2';

let sb: SandboxHandle;
const backends: Backend[] = [];
const client = () => clientFor(sb);

async function check(text: string, timeoutMs = 1500): Promise<ReachResult[]> {
  return checkReachability(targetsOf(text), { client: client(), region: 'cn-hangzhou', timeoutMs });
}

function only(results: ReachResult[]): ReachResult {
  assert.equal(results.length, 1, JSON.stringify(results, null, 2));
  return results[0];
}

const step = (r: ReachResult, name: string) => r.steps.find((s) => s.name === name);
const names = (r: ReachResult) => r.steps.map((s) => `${s.name}:${s.ok ? 'ok' : 'x'}`).join(' ');

/** A listener on the SLB forwarding to `backendPort`, once its health check reports `health`; returns the front port. */
async function healthyListener(
  protocol: Protocol,
  backendPort: number,
  options: { lbId?: string; address?: string; health?: 'normal' | 'abnormal'; certificateId?: string } = {},
): Promise<number> {
  const lbId = options.lbId ?? REDIS_APP_ID;
  const front = await freePort(options.address ?? REDIS_APP_ADDRESS);
  await createListener(client(), lbId, protocol, front, backendPort, options.certificateId ? { certificateId: options.certificateId } : {});
  await sb.waitForHealth(lbId, front, options.health ?? 'normal', 5000, protocol);
  return front;
}

async function backend<T extends Backend>(b: Promise<T>): Promise<T> {
  const x = await b;
  backends.push(x);
  return x;
}

before(async () => {
  sb = await startSandbox({ port: 0, addressBase: BASE, healthCheckIntervalMs: 30 });
});

after(async () => {
  for (const b of backends) await b.close();
  await sb.close();
});

describe('reachable paths', () => {
  it('a tcp label with a live backend (a real local TCP server) is reachable, with latency', async () => {
    const be = await backend(tcpBackend());
    const front = await healthyListener('tcp', be.port);
    const r = only(await check(`services:
  app:
    image: example/app:1.0
    ports:
      - "${be.port}:7000"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.equal(r.blocker, null);
    assert.equal(r.confirmed, true);
    assert.equal(names(r), 'label:ok slb:ok address:ok listener:ok health:ok connect:ok');
    assert.equal(r.slbId, REDIS_APP_ID);
    assert.equal(r.address, REDIS_APP_ADDRESS);
    assert.equal(r.backendPort, be.port);
    assert.equal(typeof r.latencyMs, 'number');
    assert.ok(r.latencyMs! >= 0 && r.latencyMs! < 1500);
    assert.match(step(r, 'connect')!.detail, new RegExp(`Connected to ${REDIS_APP_ADDRESS.replace(/\./g, '\\.')}:${front} in [0-9.]+ ms`));
    assert.match(inlineMessage(r), /^reachable, [0-9.]+ ms$/);
  });

  it("the product guide's Redis example: a Redis image gets PING and answers +PONG through the SLB", async () => {
    const redis = await backend(redisBackend());
    const front = await healthyListener('tcp', redis.port);
    const r = only(await check(`services:
  redis:
    image: redis:7-alpine
    ports:
      - "${redis.port}:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.equal(names(r), 'label:ok slb:ok address:ok listener:ok health:ok connect:ok app:ok');
    assert.match(step(r, 'app')!.detail, /^Redis answered \+PONG to PING in [0-9.]+ ms\.$/);
    assert.ok(redis.pings >= 1, 'the PING reached the local Redis server through the SLB');
    assert.equal(typeof r.latencyMs, 'number');
  });

  it('a Redis image whose backend does not speak Redis: APP_PROBE_FAILED', async () => {
    const be = await backend(redisBackend({ reply: 'HTTP/1.1 400 Bad Request\r\n' }));
    const front = await healthyListener('tcp', be.port);
    const r = only(await check(`services:
  cache:
    image: bitnami/redis:7.2
    ports:
      - "${be.port}:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:${front}
`));
    assert.equal(r.blocker, 'APP_PROBE_FAILED', formatReport([r]));
    assert.equal(r.reachable, false);
    assert.match(step(r, 'app')!.detail, /instead of \+PONG/);
  });

  it('http: an HTTP request and its status', async () => {
    const web = await backend(httpBackend());
    const front = await healthyListener('http', web.port);
    const r = only(await check(`services:
  web:
    image: nginx
    ports:
      - "${web.port}:80"
    labels:
      aliyun.lb.port_80: http://slb_redis_app:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.match(step(r, 'http')!.detail, /^GET \/ answered HTTP 200 OK in [0-9.]+ ms\.$/);
  });

  it('https: TLS handshake (self-signed certificate reported, not failed) and a request', async () => {
    const web = await backend(httpBackend());
    const front = await healthyListener('https', web.port, { certificateId: CERT_ID });
    const r = only(await check(`services:
  web:
    image: nginx
    ports:
      - "${web.port}:443"
    labels:
      aliyun.lb.port_443: https://slb_redis_app:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    const detail = step(r, 'https')!.detail;
    assert.match(detail, /CN=demo\.slb-sandbox\.test/);
    assert.match(detail, /expires 20\d\d-\d\d-\d\d/);
    assert.match(detail, /self-signed/);
    assert.match(detail, /answered HTTP 200/);
  });
});

describe('blocked paths', () => {
  it('no backend listening (health check on): BACKENDS_UNHEALTHY, naming the backends that are down', async () => {
    const dead = await freePort();
    const front = await healthyListener('tcp', dead, { health: 'abnormal' });
    const r = only(await check(`services:
  app:
    image: example/app
    ports:
      - "${dead}:7000"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:${front}
`));
    assert.equal(r.blocker, 'BACKENDS_UNHEALTHY', formatReport([r]));
    assert.equal(names(r), 'label:ok slb:ok address:ok listener:ok health:x');
    assert.match(step(r, 'health')!.detail, /All 2 backends fail the health check: i-bp1\w+ \(172\.16\.\d+\.\d+:\d+\), i-bp1\w+/);
    assert.ok(r.fix);
  });

  it('no backend listening, health check off: the SLB closes the connection at once -> CONNECT_REFUSED', async () => {
    const dead = await freePort();
    const front = await freePort(REDIS_APP_ADDRESS);
    await createListener(client(), REDIS_APP_ID, 'tcp', front, dead, { healthCheck: false });
    const r = only(await check(`services:
  app:
    image: example/app
    ports:
      - "${dead}:7000"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:${front}
`));
    assert.equal(r.blocker, 'CONNECT_REFUSED', formatReport([r]));
    assert.match(step(r, 'health')!.detail, /unavailable/);
    assert.match(step(r, 'connect')!.detail, /closed the connection at once/);
  });

  it('an http backend that accepts and never answers: "connected, but no answer", not "nothing accepts connections"', async () => {
    const silent = await backend(tcpBackend());
    const front = await freePort(REDIS_APP_ADDRESS);
    await createListener(client(), REDIS_APP_ID, 'http', front, silent.port, { healthCheck: false });
    const r = only(await check(`services:
  web:
    image: example/web
    ports:
      - "${silent.port}:80"
    labels:
      aliyun.lb.port_80: http://slb_redis_app:${front}
`, 800));
    assert.equal(r.blocker, 'HTTP_ERROR', formatReport([r]));
    assert.match(step(r, 'http')!.detail, new RegExp(`Connected to ${REDIS_APP_ADDRESS.replace(/\./g, '\\.')}:${front}, but no answer came within 800 ms\\.`));
    assert.match(r.fix!, /The SLB accepted the connection, but nothing answered: make service web answer HTTP on host port \d+ promptly/);
    assert.doesNotMatch(r.fix!, /Nothing accepts connections/);
  });

  it('a stopped listener: LISTENER_STOPPED (seed: slb_redis_app http 8080 stopped)', async () => {
    const r = only(await check(`services:
  web:
    image: nginx
    ports:
      - "8080:8080"
    labels:
      aliyun.lb.port_8080: http://slb_redis_app:8080
`));
    assert.equal(r.blocker, 'LISTENER_STOPPED', formatReport([r]));
    assert.match(step(r, 'listener')!.detail, /The HTTP listener on 8080 is stopped\./);
    assert.match(r.fix!, /Start the listener/);
    assert.match(inlineMessage(r), /^blocked: the listener is stopped — Start the listener/);
  });

  it('a missing listener: LISTENER_MISSING', async () => {
    const front = await freePort(REDIS_APP_ADDRESS);
    const r = only(await check(`services:
  app:
    image: example/app
    ports:
      - "17000:7000"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:${front}
`));
    assert.equal(r.blocker, 'LISTENER_MISSING', formatReport([r]));
    assert.match(r.fix!, new RegExp(`TCP ${front} -> backend port 17000`));
  });

  it('protocol and backend-port mismatches on the seeded TCP 6379 listener', async () => {
    const results = await check(`services:
  web:
    image: nginx
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: http://slb_redis_app:6379
  redis:
    image: redis
    ports:
      - "6380:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_internal_api:9000
`);
    // slb_redis_app has TCP on 6379 (label wants HTTP); slb_internal_api has HTTP on 9000 (label wants TCP).
    assert.deepEqual(results.map((r) => r.blocker), ['LISTENER_PROTOCOL_MISMATCH', 'LISTENER_PROTOCOL_MISMATCH']);
    const mismatch = await check(`services:
  redis:
    image: redis
    ports:
      - "6380:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`);
    assert.equal(only(mismatch).blocker, 'LISTENER_BACKEND_PORT_MISMATCH');
    assert.match(step(mismatch[0], 'listener')!.detail, /forwards to backend port 6379; the service publishes 6380/);
  });

  it('an intranet SLB: the address step says so, and the check still runs (reachable here: loopback)', async () => {
    const be = await backend(tcpBackend());
    const address = '127.0.20.3';
    const front = await healthyListener('tcp', be.port, { lbId: INTERNAL_ID, address });
    const r = only(await check(`services:
  api:
    image: example/api
    ports:
      - "${be.port}:9100"
    labels:
      aliyun.lb.port_9100: tcp://slb_internal_api:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.match(step(r, 'address')!.detail, /127\.0\.20\.3 is an intranet address: reachable only from inside VPC vpc-\w+\. Trying anyway with a 1500 ms timeout\./);
  });

  it('a missing SLB: SLB_NOT_FOUND; an inactive SLB: SLB_INACTIVE; a shared name: SLB_AMBIGUOUS', async () => {
    const results = await check(`services:
  a:
    image: nginx
    ports:
      - "8101:80"
    labels:
      aliyun.lb.port_80: http://slb_does_not_exist:80
  b:
    image: nginx
    ports:
      - "8081:8081"
    labels:
      aliyun.lb.port_8081: tcp://slb_legacy_inactive:8081
  c:
    image: coredns
    ports:
      - "10053:53/udp"
    labels:
      aliyun.lb.port_53: udp://slb_shared_name:10053
`);
    assert.deepEqual(results.map((r) => r.blocker), ['SLB_NOT_FOUND', 'SLB_INACTIVE', 'SLB_AMBIGUOUS']);
    assert.match(step(results[0], 'slb')!.detail, /No SLB named or with the ID 'slb_does_not_exist' in region cn-hangzhou/);
    assert.match(step(results[1], 'slb')!.detail, /is inactive, not active/);
    assert.match(results[2].fix!, /Use the SLB ID instead of the name in the label, e\.g\. udp:\/\/lb-/);
  });

  it('labels that do not resolve stop at step 1: LABEL_INVALID, LABEL_UNRESOLVED', async () => {
    const results = await check(`services:
  a:
    image: nginx
    ports:
      - "2121:21"
    labels:
      aliyun.lb.port_21: ftp://slb_redis_app:21
  b:
    image: nginx
    ports:
      - "8102:80"
    labels:
      aliyun.lb.port_80: tcp://\${SLB_NAME}:80
`);
    assert.deepEqual(results.map((r) => r.blocker), ['LABEL_INVALID', 'LABEL_UNRESOLVED']);
    assert.match(step(results[0], 'label')!.detail, /\[lb-scheme-unknown\]/);
    assert.match(step(results[1], 'label')!.detail, /\$\{SLB_NAME\}/);
    assert.equal(results[0].steps.length, 1);
  });

  it('wrong credentials: API_ERROR, and the secret appears nowhere', async () => {
    const { SlbClient } = await import('../../server/src/engine/cloud/slbClient');
    const bad = new SlbClient({ credentials: { accessKeyId: 'SANDBOXDEMOKEYID0001', accessKeySecret: 'wrong-secret-value-x' }, regionId: 'cn-hangzhou', endpoint: sb.url, retry: { maxAttempts: 1 } });
    const results = await checkReachability(targetsOf(`services:
  redis:
    image: redis
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`), { client: bad, region: 'cn-hangzhou', timeoutMs: 1000 });
    assert.equal(only(results).blocker, 'API_ERROR');
    const text = JSON.stringify(results) + formatReport(results);
    assert.ok(!text.includes('wrong-secret-value-x'));
    assert.ok(!text.includes(SECRET));
  });
});

describe('udp', () => {
  it('a silent UDP backend: reachable but not confirmed, with the honest wording', async () => {
    const be = await backend(udpBackend('silent'));
    const front = await healthyListener('udp', be.port);
    const started = Date.now();
    const r = only(await check(`services:
  dns:
    image: example/dns
    ports:
      - "${be.port}:53/udp"
    labels:
      aliyun.lb.port_53: udp://slb_redis_app:${front}
`, 600));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.equal(r.confirmed, false);
    assert.equal(r.latencyMs, null);
    assert.match(step(r, 'udp')!.detail, /no answer within 600 ms\. No answer is not proof of failure/);
    assert.match(inlineMessage(r), /UDP: no answer/);
    assert.ok(Date.now() - started < 3000);
  });

  it('an echoing UDP backend: answered through the SLB, confirmed, latency', async () => {
    const be = await backend(udpBackend('echo'));
    const front = await healthyListener('udp', be.port);
    const r = only(await check(`services:
  dns:
    image: example/dns
    ports:
      - "${be.port}:53/udp"
    labels:
      aliyun.lb.port_53: udp://slb_redis_app:${front}
`));
    assert.equal(r.reachable, true, formatReport([r]));
    assert.equal(r.confirmed, true);
    assert.match(step(r, 'udp')!.detail, /answered the probe datagram \(\d+ bytes\) in [0-9.]+ ms/);
  });
});

describe('many labels at once', () => {
  it('12 labels whose Redis answers after 400 ms finish in about one probe, not twelve', async () => {
    const DELAY = 400;
    const TIMEOUT = 2000;
    const ports: { front: number; backend: number; container: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const be = await backend(redisBackend({ delayMs: DELAY }));
      const front = await freePort(REDIS_APP_ADDRESS);
      await createListener(client(), REDIS_APP_ID, 'tcp', front, be.port);
      ports.push({ front, backend: be.port, container: 7100 + i });
    }
    for (const p of ports) await sb.waitForHealth(REDIS_APP_ID, p.front, 'normal', 5000, 'tcp');
    const text = `services:
  cache:
    image: redis:7
    ports:
${ports.map((p) => `      - "${p.backend}:${p.container}"`).join('\n')}
    labels:
${ports.map((p) => `      aliyun.lb.port_${p.container}: tcp://slb_redis_app:${p.front}`).join('\n')}
`;
    const targets = targetsOf(text);
    assert.equal(targets.length, 12);
    const started = Date.now();
    const results = await checkReachability(targets, { client: client(), region: 'cn-hangzhou', timeoutMs: TIMEOUT });
    const elapsed = Date.now() - started;
    assert.deepEqual(results.map((r) => r.blocker), new Array(12).fill(null), formatReport(results));
    assert.ok(results.every((r) => r.latencyMs! >= DELAY - 50), 'each PING waited for the slow answer');
    const sum = results.reduce((s, r) => s + r.durationMs, 0);
    assert.ok(sum >= 12 * DELAY, `sequential would take ${sum} ms`);
    // One probe timeout (+ API calls), far below the 12 x 400 ms = 4.8 s a sequential walk would need.
    assert.ok(elapsed < TIMEOUT, `12 labels took ${elapsed} ms`);
  });
});

describe('nothing listens at the SLB address (API-only sandbox: listeners "running", no data plane)', () => {
  let apiOnly: SandboxHandle;
  before(async () => {
    apiOnly = await startSandbox({ port: 0, addressBase: '127.0.21.2', dataPlane: false });
  });
  after(async () => {
    await apiOnly.close();
  });

  it('internet SLB: CONNECT_REFUSED; intranet SLB: ADDRESS_INTRANET (the short try failed), after the note', async () => {
    // Health checks off: DescribeHealthStatus says "unavailable", so the walk goes on to the data plane.
    await createListener(clientFor(apiOnly), REDIS_APP_ID, 'tcp', 7700, 7700, { healthCheck: false });
    await createListener(clientFor(apiOnly), INTERNAL_ID, 'http', 7701, 7701, { healthCheck: false });
    const results = await checkReachability(targetsOf(`services:
  app:
    image: example/app
    ports:
      - "7700:7700"
    labels:
      aliyun.lb.port_7700: tcp://slb_redis_app:7700
  api:
    image: example/api
    ports:
      - "7701:7701"
    labels:
      aliyun.lb.port_7701: http://slb_internal_api:7701
`), { client: clientFor(apiOnly), region: 'cn-hangzhou', timeoutMs: 1000 });
    assert.deepEqual(results.map((r) => r.blocker), ['CONNECT_REFUSED', 'ADDRESS_INTRANET'], formatReport(results));
    assert.match(step(results[0], 'connect')!.detail, /Connection to 127\.0\.21\.2:7700 refused\./);
    assert.equal(step(results[1], 'address')!.ok, true);
    assert.match(step(results[1], 'address')!.detail, /intranet address/);
    assert.equal(step(results[1], 'http')!.ok, false);
    assert.match(results[1].fix!, /not in the SLB's VPC/);
  });
});
