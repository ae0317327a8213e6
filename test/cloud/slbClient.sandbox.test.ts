// The typed SLB client against the real local SLB sandbox over HTTP (no fake server).
import { test, before, after, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as util from 'node:util';
import { startSandbox, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import {
  SlbClient, SlbClientOptions, listenerPortsAndProtocols, toBool,
} from '../../server/src/engine/cloud/slbClient';
import { SlbApiError } from '../../server/src/engine/cloud/slbErrors';
import { resolveCredentials, toCredential, CredentialsFound } from '../../server/src/engine/cloud/credentials';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REDIS = 'lb-bp1rtfnodmywb43ecu4sf';          // slb_redis_app: tcp 6379 running, http 8080 stopped
const INTERNAL = 'lb-bp1o94dp5i6earr9g4mlx';       // slb_internal_api: http 9000, https 9443
const SHARED_UDP = 'lb-bp1c9yrcmqh4tq1ovsw5r';     // slb_shared_name: udp 10053
const WRONG_SECRET = 'wrong-secret-that-must-not-leak-either';
const STS_TOKEN = 'sandbox-sts-token-must-not-leak';

let sb: SandboxHandle;
let stsSb: SandboxHandle;
/** Every error any test saw, for the leak test at the end. */
const seenErrors: unknown[] = [];

function client(over: Partial<SlbClientOptions> = {}, handle = sb): SlbClient {
  return new SlbClient({
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    regionId: 'cn-hangzhou',
    endpoint: handle.url,              // http://127.0.0.1:N → protocol HTTP
    connectTimeoutMs: 2000,
    readTimeoutMs: 5000,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    ...over,
  });
}

async function rejects(p: Promise<unknown>): Promise<SlbApiError> {
  try {
    await p;
  } catch (e) {
    seenErrors.push(e);
    assert.ok(e instanceof SlbApiError, `expected SlbApiError, got ${util.inspect(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

before(async () => {
  sb = await startSandbox({ dataPlane: false });
  stsSb = await startSandbox({ dataPlane: false, securityToken: STS_TOKEN });
});
after(async () => {
  await sb?.close();
  await stsSb?.close();
});
beforeEach(async () => {
  await sb.reset();
});

test('describeRegions', async () => {
  const r = await client().describeRegions({ AcceptLanguage: 'en-US' });
  assert.match(r.RequestId, /^[0-9A-F-]{36}$/);
  const ids = r.Regions.Region.map((x) => x.RegionId);
  assert.ok(ids.includes('cn-hangzhou'));
  // the sandbox saw a V3 signed request
  assert.equal(sb.state().requests.at(-1)?.signatureVersion, 'v3');
});

test('describeLoadBalancers: by name, by comma-joined IDs, empty result', async () => {
  const c = client();
  const byName = await c.describeLoadBalancers({ LoadBalancerName: 'slb_redis_app' });
  assert.equal(byName.LoadBalancers.LoadBalancer.length, 1);
  const lb = byName.LoadBalancers.LoadBalancer[0];
  assert.equal(lb.LoadBalancerId, REDIS);
  assert.equal(lb.AddressType, 'internet');
  assert.equal(lb.LoadBalancerStatus, 'active');
  const byIds = await c.describeLoadBalancers({ LoadBalancerId: [REDIS, INTERNAL] });
  assert.deepEqual(byIds.LoadBalancers.LoadBalancer.map((x) => x.LoadBalancerId).sort(), [INTERNAL, REDIS].sort());
  const none = await c.describeLoadBalancers({ LoadBalancerName: 'no_such_slb' });
  assert.deepEqual(none.LoadBalancers.LoadBalancer, []);
  assert.equal(none.TotalCount, 0);
});

test('describeLoadBalancers paging and describeAllLoadBalancers', async () => {
  const c = client();
  const p1 = await c.describeLoadBalancers({ PageNumber: 1, PageSize: 2 });
  assert.equal(p1.PageNumber, 1);
  assert.equal(p1.PageSize, 2);
  assert.equal(p1.LoadBalancers.LoadBalancer.length, 2);
  const total = p1.TotalCount;
  assert.ok(total > 2, `total ${total}`);
  const before = sb.state().requests.length;
  const all = await c.describeAllLoadBalancers({}, { pageSize: 2 });
  assert.equal(all.length, total);
  assert.equal(new Set(all.map((x) => x.LoadBalancerId)).size, total);
  assert.ok(all.every((x) => x.RegionId === 'cn-hangzhou'));
  assert.equal(sb.state().requests.length - before, Math.ceil(total / 2));
  const beijing = await client({ regionId: 'cn-beijing' }).describeAllLoadBalancers();
  assert.deepEqual(beijing.map((x) => x.LoadBalancerName), ['slb_beijing_web']);
});

test('describeLoadBalancerAttribute (both spellings of ListenerPortsAndProtocol)', async () => {
  const a = await client().describeLoadBalancerAttribute({ LoadBalancerId: REDIS });
  assert.equal(a.LoadBalancerName, 'slb_redis_app');
  const lp = listenerPortsAndProtocols(a).map((x) => `${x.ListenerProtocol}:${x.ListenerPort}`).sort();
  assert.deepEqual(lp, ['http:8080', 'tcp:6379']);
  assert.ok(a.ListenerPortsAndProtocal?.ListenerPortAndProtocal?.length);
  const legacyOnly = listenerPortsAndProtocols({ ListenerPortsAndProtocal: a.ListenerPortsAndProtocal });
  assert.deepEqual(legacyOnly.map((x) => `${x.ListenerProtocol}:${x.ListenerPort}`).sort(), lp);
});

test('describeLoadBalancerListeners: LoadBalancerId.N array, filters, all pages', async () => {
  const c = client();
  const r = await c.describeLoadBalancerListeners({ LoadBalancerId: [REDIS, INTERNAL] });
  const keys = r.Listeners!.map((l) => `${l.LoadBalancerId}/${l.ListenerProtocol}:${l.ListenerPort}`).sort();
  assert.deepEqual(keys, [`${INTERNAL}/http:9000`, `${INTERNAL}/https:9443`, `${REDIS}/http:8080`, `${REDIS}/tcp:6379`].sort());
  const tcp = r.Listeners!.find((l) => l.ListenerProtocol === 'tcp')!;
  assert.ok(tcp.TCPListenerConfig);
  assert.equal(typeof toBool(tcp.TCPListenerConfig.ProxyProtocolV2Enabled ?? 'false'), 'boolean');
  const onlyHttp = await c.describeLoadBalancerListeners({ LoadBalancerId: [REDIS], ListenerProtocol: 'http' });
  assert.deepEqual(onlyHttp.Listeners!.map((l) => l.ListenerPort), [8080]);
  const all = await c.describeAllLoadBalancerListeners({ LoadBalancerId: [REDIS, INTERNAL] }, { pageSize: 1 });
  assert.equal(all.length, 4);
});

test('describe{TCP,UDP,HTTP,HTTPS}ListenerAttribute', async () => {
  const c = client();
  const tcp = await c.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 6379 });
  assert.equal(tcp.ListenerPort, 6379);
  assert.equal(tcp.Status, 'running');
  assert.ok(tcp.BackendServerPort);
  const udp = await c.describeLoadBalancerUDPListenerAttribute({ LoadBalancerId: SHARED_UDP, ListenerPort: 10053 });
  assert.equal(udp.ListenerPort, 10053);
  const http = await c.describeLoadBalancerHTTPListenerAttribute({ LoadBalancerId: INTERNAL, ListenerPort: 9000 });
  assert.equal(http.ListenerPort, 9000);
  assert.ok(http.HealthCheck === 'on' || http.HealthCheck === 'off');
  const https = await c.describeLoadBalancerHTTPSListenerAttribute({ LoadBalancerId: INTERNAL, ListenerPort: 9443 });
  assert.equal(https.ListenerPort, 9443);
  assert.ok(https.ServerCertificateId);
});

test('create / start / stop / delete listeners of every protocol', async () => {
  const c = client();
  const certs = await c.describeServerCertificates();
  const certId = certs.ServerCertificates.ServerCertificate[0].ServerCertificateId;

  const t = await c.createLoadBalancerTCPListener({ LoadBalancerId: REDIS, ListenerPort: 16379, BackendServerPort: 6379, Bandwidth: -1, HealthCheckInterval: 7 });
  assert.ok(t.RequestId);
  const tcpAttr = await c.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 16379 });
  assert.equal(tcpAttr.Status, 'stopped');
  assert.equal(Number(tcpAttr.HealthCheckInterval), 7, 'lower-case healthCheckInterval reached the API');

  await c.createLoadBalancerUDPListener({ LoadBalancerId: REDIS, ListenerPort: 15353, BackendServerPort: 5353, Bandwidth: -1, HealthCheckInterval: 4, HealthCheckReq: 'ping', HealthCheckExp: 'pong' });
  const udpAttr = await c.describeLoadBalancerUDPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 15353 });
  assert.equal(Number(udpAttr.HealthCheckInterval), 4);
  assert.equal(udpAttr.HealthCheckReq, 'ping');
  assert.equal(udpAttr.HealthCheckExp, 'pong');

  await c.createLoadBalancerHTTPListener({ LoadBalancerId: REDIS, ListenerPort: 18080, BackendServerPort: 8080, HealthCheck: 'on', HealthCheckURI: '/health', HealthCheckInterval: 3 });
  const httpAttr = await c.describeLoadBalancerHTTPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 18080 });
  assert.equal(httpAttr.HealthCheckURI, '/health');
  assert.equal(httpAttr.StickySession, 'off');

  await c.createLoadBalancerHTTPSListener({ LoadBalancerId: REDIS, ListenerPort: 18443, BackendServerPort: 8443, HealthCheck: 'off', ServerCertificateId: certId });
  const httpsAttr = await c.describeLoadBalancerHTTPSListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 18443 });
  assert.equal(httpsAttr.ServerCertificateId, certId);

  await c.startLoadBalancerListener({ LoadBalancerId: REDIS, ListenerPort: 16379 });
  assert.equal((await c.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 16379 })).Status, 'running');
  await c.stopLoadBalancerListener({ LoadBalancerId: REDIS, ListenerPort: 16379, ListenerProtocol: 'tcp' });
  assert.equal((await c.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 16379 })).Status, 'stopped');
  await c.deleteLoadBalancerListener({ LoadBalancerId: REDIS, ListenerPort: 16379 });
  const gone = await rejects(c.describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS, ListenerPort: 16379 }));
  assert.equal(gone.kind, 'api');
  assert.match(gone.message, /no listener on port 16379/);

  const dup = await rejects(c.createLoadBalancerTCPListener({ LoadBalancerId: REDIS, ListenerPort: 6379, BackendServerPort: 6379, Bandwidth: -1 }));
  assert.equal(dup.code, 'ListenerAlreadyExists');
  assert.match(dup.message, /already exists on port 6379/);
  const missing = await rejects(c.createLoadBalancerTCPListener({ LoadBalancerId: REDIS, ListenerPort: 16380 } as never));
  assert.match(missing.code, /^MissingParameter/);
});

test('describeHealthStatus and describeServerCertificates', async () => {
  const c = client();
  const h = await c.describeHealthStatus({ LoadBalancerId: REDIS });
  assert.ok(Array.isArray(h.BackendServers.BackendServer));
  for (const s of h.BackendServers.BackendServer) assert.match(String(s.ServerHealthStatus), /^(normal|abnormal|unavailable)$/);
  const certs = await c.describeServerCertificates();
  assert.equal(certs.ServerCertificates.ServerCertificate.length, 1);
  assert.ok(certs.ServerCertificates.ServerCertificate[0].ServerCertificateName);
});

test('typed errors: unknown key id, wrong secret, unknown LB id', async () => {
  const badId = await rejects(client({ credentials: { accessKeyId: 'NOSUCHKEYID000000009', accessKeySecret: DEFAULT_ACCESS_KEY_SECRET } }).describeRegions());
  assert.equal(badId.code, 'InvalidAccessKeyId.NotFound');
  assert.equal(badId.httpStatus, 404);
  assert.equal(badId.action, 'DescribeRegions');
  assert.ok(badId.requestId);
  assert.match(badId.message, /AccessKey ID is not known to Alibaba Cloud: check the profile/);

  const badSecret = await rejects(client({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: WRONG_SECRET } }).describeLoadBalancers());
  assert.equal(badSecret.code, 'SignatureDoesNotMatch');
  assert.equal(badSecret.httpStatus, 400);
  assert.match(badSecret.message, /secret does not match the ID/);

  const noLb = await rejects(client().describeLoadBalancerAttribute({ LoadBalancerId: 'lb-bp1doesnotexist0000' }));
  assert.equal(noLb.code, 'InvalidLoadBalancerId.NotFound');
  assert.equal(noLb.kind, 'api');
  assert.ok(noLb.requestId);
  assert.match(noLb.message, /lb-bp1doesnotexist0000 does not exist in region cn-hangzhou/);
  assert.equal(noLb.attempts, 1, 'not retried');
});

test('HTML 5xx body from a "proxy" → bad-response with the HTTP status, not retried', async () => {
  sb.injectFault({ kind: 'server-error-html', action: 'DescribeRegions', times: 3 });
  const e = await rejects(client().describeRegions());
  assert.equal(e.kind, 'bad-response');
  assert.equal(e.code, 'BadResponse.Html');
  assert.equal(e.httpStatus, 502);
  assert.equal(e.attempts, 1);
  assert.match(e.message, /answered with an HTML page \(HTTP 502\), not the API: check the endpoint/);
});

test('5xx JSON on a Describe is retried and then succeeds; on a Create it is not retried', async () => {
  const retries: string[] = [];
  sb.injectFault({ kind: 'server-error-json', action: 'DescribeLoadBalancers', times: 1 });
  const r = await client({ onRetry: (i) => retries.push(i.code) }).describeLoadBalancers({ LoadBalancerName: 'slb_redis_app' });
  assert.equal(r.LoadBalancers.LoadBalancer.length, 1);
  assert.deepEqual(retries, ['ServiceUnavailable']);

  sb.injectFault({ kind: 'server-error-json', action: 'CreateLoadBalancerTCPListener', times: 1, status: 500 });
  const e = await rejects(client().createLoadBalancerTCPListener({ LoadBalancerId: REDIS, ListenerPort: 17000, BackendServerPort: 7000, Bandwidth: -1 }));
  assert.equal(e.code, 'InternalError');
  assert.equal(e.httpStatus, 500);
  assert.equal(e.attempts, 1);
});

test('throttling: retried honouring x-acs-retry-after, then succeeds; bounded; creates retried on throttling only', async () => {
  const delays: number[] = [];
  sb.injectFault({ kind: 'throttle', action: 'DescribeLoadBalancers', times: 2, retryAfterMs: 60 });
  const t0 = Date.now();
  const r = await client({ onRetry: (i) => delays.push(i.delayMs) }).describeLoadBalancers({ LoadBalancerName: 'slb_redis_app' });
  assert.equal(r.LoadBalancers.LoadBalancer.length, 1);
  assert.deepEqual(delays, [60, 60]);
  assert.ok(Date.now() - t0 >= 110);

  sb.injectFault({ kind: 'throttle', action: 'DescribeRegions', times: 10, retryAfterMs: 10 });
  const e = await rejects(client().describeRegions());
  assert.equal(e.code, 'Throttling.User');
  assert.equal(e.attempts, 3);
  assert.match(e.message, /throttling/);
  sb.clearFaults();

  sb.injectFault({ kind: 'throttle', action: 'CreateLoadBalancerTCPListener', times: 1, retryAfterMs: 10 });
  await client().createLoadBalancerTCPListener({ LoadBalancerId: REDIS, ListenerPort: 17001, BackendServerPort: 7001, Bandwidth: -1 });
  const ls = await client().describeLoadBalancerListeners({ LoadBalancerId: [REDIS], ListenerPort: 17001 });
  assert.equal(ls.Listeners!.length, 1);
});

test('a hanging API hits the bounded read timeout quickly (not retried)', async () => {
  sb.injectFault({ kind: 'hang', action: 'DescribeLoadBalancers', times: 5 });
  const t0 = Date.now();
  const e = await rejects(client({ readTimeoutMs: 300 }).describeLoadBalancers());
  const ms = Date.now() - t0;
  assert.equal(e.kind, 'timeout');
  assert.equal(e.code, 'Timeout.Read');
  assert.equal(e.attempts, 1);
  assert.ok(ms < 1500, `took ${ms} ms`);
  assert.match(e.message, /did not answer within 0\.3 s/);
});

test('a slow answer within the timeout succeeds', async () => {
  sb.injectFault({ kind: 'slow', action: 'DescribeRegions', times: 1, delayMs: 200 });
  const r = await client({ readTimeoutMs: 3000 }).describeRegions();
  assert.ok(r.Regions.Region.length > 0);
});

test('connection refused → cannot reach the endpoint', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  const e = await rejects(client({ endpoint: `127.0.0.1:${port}`, regionId: 'cn-hangzhou' }).describeRegions().catch((x) => { throw x; }));
  // bare host:port keeps the SDK's HTTPS; refused either way
  assert.equal(e.kind, 'network');
  assert.match(e.message, new RegExp(`Cannot reach the SLB endpoint 127\\.0\\.0\\.1:${port}: check the endpoint setting`));
});

test('STS credentials: token sent and accepted; wrong token rejected', async () => {
  const ok = await client({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, securityToken: STS_TOKEN } }, stsSb).describeRegions();
  assert.ok(ok.Regions.Region.length > 0);
  const e = await rejects(client({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, securityToken: STS_TOKEN + 'x' } }, stsSb).describeRegions());
  assert.equal(e.kind, 'api');
});

test('credentials from an aliyun CLI profile drive the client (Credential object path)', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-e2e-'));
  fs.mkdirSync(path.join(home, '.aliyun'));
  fs.writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify({ current: 'sandbox', profiles: [
    { name: 'sandbox', mode: 'AK', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: DEFAULT_ACCESS_KEY_SECRET, region_id: 'cn-hangzhou' },
    { name: 'broken', mode: 'AK', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: WRONG_SECRET, region_id: 'cn-hangzhou' },
  ] }));
  const found = (await resolveCredentials({ env: {}, homeDir: home })) as CredentialsFound;
  assert.equal(found.ok, true);
  const c = client({ credentials: toCredential(found), regionId: found.region! });
  const r = await c.describeLoadBalancers({ LoadBalancerName: 'slb_redis_app' });
  assert.equal(r.LoadBalancers.LoadBalancer[0].LoadBalancerId, REDIS);
  const broken = (await resolveCredentials({ env: {}, homeDir: home, profile: 'broken' })) as CredentialsFound;
  const e = await rejects(client({ credentials: toCredential(broken) }).describeRegions());
  assert.equal(e.code, 'SignatureDoesNotMatch');
});

test('no secret or token in any error: message, String(), JSON, inspect, stack, log line', () => {
  assert.ok(seenErrors.length >= 10, `only ${seenErrors.length} errors collected`);
  const secrets = [DEFAULT_ACCESS_KEY_SECRET, WRONG_SECRET, STS_TOKEN, STS_TOKEN + 'x'];
  for (const e of seenErrors) {
    const err = e as SlbApiError;
    const texts = [err.message, String(err), JSON.stringify(err), util.inspect(err, { depth: 10, showHidden: true }), err.stack ?? '', err.toLogString(),
      JSON.stringify(Object.getOwnPropertyNames(err).map((k) => (err as unknown as Record<string, unknown>)[k]))];
    for (const s of secrets) for (const text of texts) assert.ok(!text.includes(s), `secret leaked (${err.code}): ${text}`);
  }
});
