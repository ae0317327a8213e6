// The SLB sandbox's API, driven through the real SDK (@alicloud/openapi-core): V3 signatures by
// default, V1 with signatureAlgorithm 'v2', and a pop-core style V1 form body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import OpenApi, { $OpenApiUtil, OpenApiUtil, ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { startSandbox, SandboxHandle, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, SandboxOptions } from '../../sandbox/src/index';

const REDIS = 'lb-bp1rtfnodmywb43ecu4sf';
const INTRANET = 'lb-bp1o94dp5i6earr9g4mlx';
const INACTIVE = 'lb-bp1hv944r69al4j9j7lmn';
const SHARED_A = 'lb-bp1c9yrcmqh4tq1ovsw5r';
const SHARED_B = 'lb-bp1n3cm1gkdnt2vuhrv6f';
const LOCKED = 'lb-bp1l0ckedq2w3e4r5t6yu';
const BEIJING = 'lb-2zeh8lgvz3l7ax1k9vyb3';
const CERT = '1231579085529123_16a8f3b2c41_1714763408_709691807';

type Q = Record<string, unknown>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ClientOpts {
  id?: string;
  secret?: string;
  v1?: boolean;
  readTimeout?: number;
  endpoint?: string;
}

function sdk(sb: SandboxHandle, o: ClientOpts = {}) {
  const config = new $OpenApiUtil.Config({
    accessKeyId: o.id ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: o.secret ?? DEFAULT_ACCESS_KEY_SECRET,
    regionId: 'cn-hangzhou',
    endpoint: o.endpoint ?? sb.endpoint,
    protocol: 'HTTP',
    readTimeout: o.readTimeout ?? 3000,
    connectTimeout: 3000,
  });
  if (o.v1) config.signatureAlgorithm = 'v2';
  const client = new OpenApi(config);
  return async (action: string, query: Q = {}): Promise<Body> => {
    const params = new $OpenApiUtil.Params({
      action,
      version: '2014-05-15',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    const res = await client.callApi(params, req, new $dara.RuntimeOptions({}));
    return res.body as Body;
  };
}

/** Expects the call to fail with an SDK error carrying `code` and `status`. */
async function rejects(p: Promise<unknown>, code: string, status: number, cls: Function = ClientError): Promise<Body> {
  try {
    await p;
  } catch (e) {
    const err = e as Body;
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${err.name}: ${err.message}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, status);
    assert.match(err.data.RequestId, /^[0-9A-F-]{36}$/);
    assert.equal(err.data.HostId, 'slb.aliyuncs.com');
    assert.equal(err.data.Code, code);
    assert.ok(err.data.Recommend.includes(encodeURIComponent(code)));
    return err;
  }
  assert.fail(`expected ${code}, the call succeeded`);
}

/** pop-core style V1: POST / with everything (incl. Signature) in a form body. Signed here, independently. */
function popCoreCall(sb: SandboxHandle, action: string, params: Record<string, string>, secret = DEFAULT_ACCESS_KEY_SECRET): Promise<{ status: number; body: Body }> {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const all: Record<string, string> = {
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomBytes(16).toString('hex'),
    SignatureVersion: '1.0',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    AccessKeyId: DEFAULT_ACCESS_KEY_ID,
    Version: '2014-05-15',
    Action: action,
    ...params,
  };
  const canon = Object.keys(all).sort().map((k) => `${enc(k)}=${enc(all[k])}`).join('&');
  const sig = createHmac('sha1', secret + '&').update(`POST&${enc('/')}&${enc(canon)}`).digest('base64');
  const form = `${canon}&Signature=${enc(sig)}`;
  return new Promise((resolve, reject) => {
    const req = http.request(`${sb.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(form);
  });
}

interface Captured {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Forwards to the sandbox and remembers the last request as sent by the SDK. */
async function captureProxy(sb: SandboxHandle): Promise<{ endpoint: string; last: () => Captured; close: () => Promise<void> }> {
  let last: Captured | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      last = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      const up = http.request(`${sb.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      up.end(last.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `127.0.0.1:${port}`,
    last: () => last!,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function send(sb: SandboxHandle, c: Captured, mutateUrl?: (u: string) => string): Promise<{ status: number; body: Body }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${sb.url}${mutateUrl ? mutateUrl(c.url) : c.url}`, { method: c.method, headers: c.headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

async function withSandbox<T>(opts: SandboxOptions, fn: (sb: SandboxHandle) => Promise<T>): Promise<T> {
  const sb = await startSandbox({ dataPlane: false, ...opts });
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

describe('SLB sandbox API', () => {
  let sb: SandboxHandle;
  let call: ReturnType<typeof sdk>;
  let callV1: ReturnType<typeof sdk>;

  before(async () => {
    sb = await startSandbox({ dataPlane: false });
    call = sdk(sb);
    callV1 = sdk(sb, { v1: true });
  });
  after(() => sb.close());

  describe('signatures', () => {
    test('V3 (ACS3-HMAC-SHA256, the SDK default) is accepted', async () => {
      const body = await call('DescribeRegions');
      assert.match(body.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      assert.ok(body.Regions.Region.some((r: Body) => r.RegionId === 'cn-hangzhou' && r.LocalName === '华东1（杭州）' && r.RegionEndpoint === 'slb.aliyuncs.com'));
      const en = await call('DescribeRegions', { AcceptLanguage: 'en-US' });
      assert.ok(en.Regions.Region.some((r: Body) => r.LocalName === 'China (Hangzhou)'));
      assert.equal(sb.state().requests.at(-1)?.signatureVersion, 'v3');
    });

    test('V1 (HMAC-SHA1) from openapi-core with signatureAlgorithm v2 is accepted', async () => {
      const body = await callV1('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', Tag: [{ Key: 'env', Value: 'demo' }] });
      assert.equal(body.TotalCount, 2);
      assert.equal(sb.state().requests.at(-1)?.signatureVersion, 'v1');
    });

    test('V1 the pop-core way (form body, Format=JSON) is accepted; a wrong secret is not', async () => {
      const ok = await popCoreCall(sb, 'DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.LoadBalancerName, 'slb_redis_app');
      const bad = await popCoreCall(sb, 'DescribeRegions', {}, 'wrong-secret');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.Code, 'SignatureDoesNotMatch');
    });

    test('a wrong secret gives SignatureDoesNotMatch (V3 and V1), and the secret is not echoed', async () => {
      const e3 = await rejects(sdk(sb, { secret: 'not-the-secret' })('DescribeRegions'), 'SignatureDoesNotMatch', 400);
      assert.ok(!String(e3.message).includes(DEFAULT_ACCESS_KEY_SECRET));
      await rejects(sdk(sb, { secret: 'not-the-secret', v1: true })('DescribeRegions'), 'SignatureDoesNotMatch', 400);
    });

    test('an unknown AccessKey ID gives 404 InvalidAccessKeyId.NotFound (V3 and V1)', async () => {
      await rejects(sdk(sb, { id: 'LTAIunknownkey00000000' })('DescribeRegions'), 'InvalidAccessKeyId.NotFound', 404);
      await rejects(sdk(sb, { id: 'LTAIunknownkey00000000', v1: true })('DescribeRegions'), 'InvalidAccessKeyId.NotFound', 404);
    });

    test('a replayed request gives SignatureNonceUsed; a tampered one SignatureDoesNotMatch', async () => {
      const proxy = await captureProxy(sb);
      try {
        for (const v1 of [false, true]) {
          await sdk(sb, { endpoint: proxy.endpoint, v1 })('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageSize: 5 });
          const captured = proxy.last();
          const tampered = await send(sb, captured, (u) => u.replace('PageSize=5', 'PageSize=6'));
          assert.equal(tampered.body.Code, 'SignatureDoesNotMatch');
          const replay = await send(sb, captured);
          assert.equal(replay.status, 400);
          assert.equal(replay.body.Code, 'SignatureNonceUsed', `v1=${v1}`);
        }
      } finally {
        await proxy.close();
      }
    });

    test('a timestamp outside ±15 min gives InvalidTimeStamp.Expired (V3 and V1)', async () => {
      await withSandbox({ now: () => Date.now() + 20 * 60_000 }, async (skewed) => {
        await rejects(sdk(skewed)('DescribeRegions'), 'InvalidTimeStamp.Expired', 400);
        await rejects(sdk(skewed, { v1: true })('DescribeRegions'), 'InvalidTimeStamp.Expired', 400);
      });
    });

    test('unsigned requests, unknown actions and other versions are refused', async () => {
      const unsigned = await new Promise<{ status: number; body: Body }>((resolve, reject) => {
        http
          .request(`${sb.url}/?RegionId=cn-hangzhou`, { method: 'POST', headers: { 'x-acs-action': 'DescribeRegions', 'x-acs-version': '2014-05-15' } }, (res) => {
            let t = '';
            res.on('data', (d) => (t += d));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(t) }));
          })
          .on('error', reject)
          .end();
      });
      assert.equal(unsigned.status, 400);
      assert.equal(unsigned.body.Code, 'IncompleteSignature');
      await rejects(call('DescribeNothing'), 'InvalidAction.NotFound', 404);
      const other = new OpenApi(new $OpenApiUtil.Config({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, endpoint: sb.endpoint, protocol: 'HTTP' }));
      const p = other.callApi(
        new $OpenApiUtil.Params({ action: 'DescribeRegions', version: '2099-01-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' }),
        new $OpenApiUtil.OpenApiRequest({ query: {} }),
        new $dara.RuntimeOptions({}),
      );
      await rejects(p, 'InvalidAction.NotFound', 404);
    });
  });

  describe('DescribeLoadBalancers', () => {
    test('pages with wrapper objects and the instance fields', async () => {
      const p1 = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageNumber: 1, PageSize: 4 });
      assert.equal(p1.TotalCount, 6);
      assert.equal(p1.PageNumber, 1);
      assert.equal(p1.PageSize, 4);
      assert.equal(p1.LoadBalancers.LoadBalancer.length, 4);
      const p2 = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageNumber: 2, PageSize: 4 });
      assert.equal(p2.LoadBalancers.LoadBalancer.length, 2);
      const ids = [...p1.LoadBalancers.LoadBalancer, ...p2.LoadBalancers.LoadBalancer].map((x: Body) => x.LoadBalancerId);
      assert.deepEqual(ids, [REDIS, INTRANET, INACTIVE, SHARED_A, SHARED_B, LOCKED]);
      const redis = p1.LoadBalancers.LoadBalancer[0];
      assert.equal(redis.LoadBalancerName, 'slb_redis_app');
      assert.equal(redis.Address, '127.0.0.2');
      assert.equal(redis.AddressType, 'internet');
      assert.equal(redis.LoadBalancerStatus, 'active');
      assert.equal(redis.RegionId, 'cn-hangzhou');
      assert.equal(typeof redis.CreateTimeStamp, 'number');
      assert.match(redis.CreateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.deepEqual(redis.Tags.Tag[0], { TagKey: 'app', TagValue: 'redis' });
      const defaults = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou' });
      assert.equal(defaults.PageSize, 10);
    });

    test('filters: LoadBalancerId list, LoadBalancerName, AddressType, status, region, backend', async () => {
      const byIds = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerId: `${REDIS},${INACTIVE},${BEIJING}` });
      assert.deepEqual(byIds.LoadBalancers.LoadBalancer.map((x: Body) => x.LoadBalancerId), [REDIS, INACTIVE]);
      const shared = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerName: 'slb_shared_name' });
      assert.deepEqual(shared.LoadBalancers.LoadBalancer.map((x: Body) => x.LoadBalancerId), [SHARED_A, SHARED_B]);
      const intranet = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', AddressType: 'intranet' });
      assert.deepEqual(intranet.LoadBalancers.LoadBalancer.map((x: Body) => x.LoadBalancerId), [INTRANET, SHARED_B]);
      const inactive = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerStatus: 'inactive' });
      assert.deepEqual(inactive.LoadBalancers.LoadBalancer.map((x: Body) => x.LoadBalancerId), [INACTIVE]);
      const bj = await call('DescribeLoadBalancers', { RegionId: 'cn-beijing' });
      assert.deepEqual(bj.LoadBalancers.LoadBalancer.map((x: Body) => [x.LoadBalancerId, x.LoadBalancerName, x.Address]), [[BEIJING, 'slb_beijing_web', '127.0.0.8']]);
      const byServer = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', ServerId: 'i-bp1a4t8ctkaz5yjzk7uq' });
      assert.equal(byServer.TotalCount, 2);
      const none = await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerName: 'no_such_slb' });
      assert.deepEqual(none.LoadBalancers, { LoadBalancer: [] });
      assert.equal(none.TotalCount, 0);
    });

    test('errors: RegionId missing or unknown, PageSize out of range, bad enum', async () => {
      await rejects(call('DescribeLoadBalancers'), 'MissingParameter.RegionId', 400);
      await rejects(call('DescribeLoadBalancers', { RegionId: 'mars-north-1' }), 'InvalidParameter.RegionId', 400);
      await rejects(call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageSize: 101 }), 'InvalidParameter.PageSize', 400);
      await rejects(call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', AddressType: 'public' }), 'InvalidParameter.AddressType', 400);
    });
  });

  describe('DescribeLoadBalancerAttribute', () => {
    test('has both listener port fields (legacy misspelt and correct) and backend servers', async () => {
      const a = await call('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS });
      assert.equal(a.LoadBalancerId, REDIS);
      assert.equal(a.LoadBalancerName, 'slb_redis_app');
      assert.deepEqual(a.ListenerPorts, { ListenerPort: [6379, 8080] });
      assert.deepEqual(a.ListenerPortsAndProtocal, {
        ListenerPortAndProtocal: [
          { ListenerPort: 6379, ListenerProtocal: 'tcp' },
          { ListenerPort: 8080, ListenerProtocal: 'http' },
        ],
      });
      assert.deepEqual(a.ListenerPortsAndProtocol.ListenerPortAndProtocol[0], { ListenerPort: 6379, ListenerProtocol: 'tcp', Description: 'tcp_6379' });
      assert.equal(a.ListenerPortsAndProtocol.ListenerPortAndProtocol[1].ListenerForward, 'off');
      assert.deepEqual(a.BackendServers.BackendServer[0], { ServerId: 'i-bp1h9s6tcdgnd2z8w3fq', ServerIp: '172.16.1.11', Weight: 100, Type: 'ecs', Description: 'redis-node-a' });
      assert.equal(typeof a.EndTimeStamp, 'number');
    });

    test('errors: unknown id, id in another region, missing id', async () => {
      await rejects(call('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1doesnotexist000000' }), 'InvalidLoadBalancerId.NotFound', 404);
      await rejects(call('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: BEIJING }), 'InvalidLoadBalancerId.NotFound', 404);
      await rejects(call('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou' }), 'MissingParameter.LoadBalancerId', 400);
    });
  });

  describe('listeners', () => {
    test('DescribeLoadBalancerListeners: LoadBalancerId.N array, bare Listeners array, configs, paging', async () => {
      const r = await call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [REDIS, INTRANET] });
      assert.equal(r.TotalCount, 4);
      assert.ok(Array.isArray(r.Listeners));
      assert.deepEqual(r.Listeners.map((l: Body) => `${l.LoadBalancerId}/${l.ListenerProtocol}/${l.ListenerPort}/${l.Status}`), [
        `${REDIS}/tcp/6379/running`,
        `${REDIS}/http/8080/stopped`,
        `${INTRANET}/http/9000/running`,
        `${INTRANET}/https/9443/stopped`,
      ]);
      const tcp = r.Listeners[0];
      assert.equal(tcp.BackendServerPort, 6379);
      assert.equal(tcp.TCPListenerConfig.ProxyProtocolV2Enabled, 'false');
      assert.equal(tcp.TCPListenerConfig.HealthCheck, 'on');
      assert.equal(tcp.TCPListenerConfig.HealthCheckInterval, 2);
      assert.deepEqual(tcp.Tags, []);
      assert.equal(r.Listeners[3].HTTPSListenerConfig.ServerCertificateId, CERT);
      const page = await call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [REDIS, INTRANET], MaxResults: 3 });
      assert.equal(page.Listeners.length, 3);
      assert.equal(page.NextToken, '3');
      const rest = await call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [REDIS, INTRANET], MaxResults: 3, NextToken: page.NextToken });
      assert.equal(rest.Listeners.length, 1);
      assert.equal(rest.NextToken, undefined);
      const httpOnly = await call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [REDIS], ListenerProtocol: 'http' });
      assert.equal(httpOnly.Listeners.length, 1);
      const none = await call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [SHARED_B] });
      assert.equal(none.TotalCount, 0);
      assert.ok(!('Listeners' in none));
      await rejects(call('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: Array.from({ length: 11 }, (_, i) => `lb-x${i}`) }), 'InvalidParameter.LoadBalancerId', 400);
    });

    test('Describe{TCP,UDP,HTTP,HTTPS}ListenerAttribute are flat; protocol mismatch is "resource does not exist"', async () => {
      const tcp = await call('DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 6379 });
      assert.equal(tcp.ListenerPort, 6379);
      assert.equal(tcp.BackendServerPort, 6379);
      assert.equal(tcp.Status, 'running');
      assert.equal(tcp.ProxyProtocolV2Enabled, false);
      assert.equal(tcp.SynProxy, 'disable');
      assert.equal(tcp.HealthCheck, 'on');
      assert.deepEqual(tcp.AclIds, { AclId: [] });
      assert.deepEqual(tcp.Tags, { Tag: [] });
      const udp = await call('DescribeLoadBalancerUDPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_A, ListenerPort: 10053 });
      assert.equal(udp.Status, 'running');
      const h = await call('DescribeLoadBalancerHTTPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 8080 });
      assert.equal(h.HealthCheckURI, '/health');
      assert.equal(h.StickySession, 'off');
      assert.equal(h.XForwardedFor, 'on');
      const s = await call('DescribeLoadBalancerHTTPSListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: INTRANET, ListenerPort: 9443 });
      assert.equal(s.ServerCertificateId, CERT);
      assert.equal(s.BackendServerPort, 9000);
      const mismatch = await rejects(call('DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 8080 }), 'InvalidParameter', 400);
      assert.match(mismatch.data.Message, /The specified resource does not exist/);
      await rejects(call('DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS }), 'MissingParameter.ListenerPort', 400);
    });

    test('CreateLoadBalancerTCPListener: required params, ranges, both healthCheckInterval spellings, conflicts', async () => {
      const base = { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B };
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001 }), 'MissingParameter.Bandwidth', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, Bandwidth: -1, BackendServerPort: 7001 }), 'MissingParameter.ListenerPort', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, Bandwidth: -1 }), 'MissingParameter.BackendServerPort', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 70000, BackendServerPort: 1, Bandwidth: -1 }), 'InvalidParameter.ListenerPort', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: 6000 }), 'InvalidParameter.Bandwidth', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1, healthCheckInterval: 51 }), 'InvalidParameter.HealthCheckInterval', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1, Scheduler: 'qch' }), 'InvalidParameter.Scheduler', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1, EstablishedTimeout: 5 }), 'InvalidParameter.EstablishedTimeout', 400);
      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1, HealthyThreshold: 11 }), 'InvalidParameter.HealthyThreshold', 400);

      const ok = await call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7002, Bandwidth: -1, healthCheckInterval: 7, ProxyProtocolV2Enabled: true, Tag: [{ Key: 'k', Value: 'v' }] });
      assert.deepEqual(Object.keys(ok), ['RequestId']);
      const a = await call('DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, ListenerPort: 7001 });
      assert.equal(a.Status, 'stopped');
      assert.equal(a.HealthCheckInterval, 7);
      assert.equal(a.ProxyProtocolV2Enabled, true);
      assert.deepEqual(a.Tags, { Tag: [{ TagKey: 'k', TagValue: 'v' }] });
      await call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7003, BackendServerPort: 7003, Bandwidth: 10, HealthCheckInterval: 9 });
      const b = await call('DescribeLoadBalancerTCPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, ListenerPort: 7003 });
      assert.equal(b.HealthCheckInterval, 9);

      await rejects(call('CreateLoadBalancerTCPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1 }), 'ListenerAlreadyExists', 400);
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, HealthCheck: 'off' }), 'ListenerAlreadyExists', 400);
      // UDP may share the port with a TCP-family listener
      await call('CreateLoadBalancerUDPListener', { ...base, ListenerPort: 7001, BackendServerPort: 7001, Bandwidth: -1, healthCheckReq: 'ping', healthCheckExp: 'pong', healthCheckInterval: 3 });
      const u = await call('DescribeLoadBalancerUDPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, ListenerPort: 7001 });
      assert.equal(u.HealthCheckReq, 'ping');
      assert.equal(u.HealthCheckExp, 'pong');
      assert.equal(u.HealthCheckInterval, 3);
      await rejects(call('CreateLoadBalancerTCPListener', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1nope0000000000000', ListenerPort: 1, BackendServerPort: 1, Bandwidth: -1 }), 'InvalidLoadBalancerId.NotFound', 404);
      await rejects(call('CreateLoadBalancerTCPListener', { RegionId: 'cn-hangzhou', LoadBalancerId: LOCKED, ListenerPort: 1, BackendServerPort: 1, Bandwidth: -1 }), 'IncorrectStatus.LoadBalancer', 400);
    });

    test('CreateLoadBalancerHTTPListener and HTTPSListener validate and need an existing certificate', async () => {
      const base = { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, BackendServerPort: 8000 };
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000 }), 'MissingParameter.HealthCheck', 400);
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000, HealthCheck: 'on', StickySession: 'on', StickySessionType: 'insert' }), 'MissingParameter.CookieTimeout', 400);
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000, HealthCheck: 'on', Bandwidth: 10 }), 'InvalidParameter.Bandwidth', 400);
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000, HealthCheck: 'on', HealthCheckURI: 'health' }), 'InvalidParameter.HealthCheckURI', 400);
      await rejects(call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000, HealthCheck: 'on', HealthCheckInterval: 0 }), 'InvalidParameter.HealthCheckInterval', 400);
      await call('CreateLoadBalancerHTTPListener', { ...base, ListenerPort: 8000, HealthCheck: 'on', StickySession: 'off', HealthCheckURI: '/ping', HealthCheckInterval: 4 });
      const h = await call('DescribeLoadBalancerHTTPListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, ListenerPort: 8000 });
      assert.equal(h.HealthCheckInterval, 4);
      assert.equal(h.Bandwidth, -1);

      await rejects(call('CreateLoadBalancerHTTPSListener', { ...base, ListenerPort: 8443, HealthCheck: 'off' }), 'MissingParameter.ServerCertificateId', 400);
      await rejects(call('CreateLoadBalancerHTTPSListener', { ...base, ListenerPort: 8443, HealthCheck: 'off', ServerCertificateId: '1231579085529123_0000_0_0' }), 'InvalidParameter.ServerCertificateId', 400);
      await rejects(call('CreateLoadBalancerHTTPSListener', { ...base, ListenerPort: 8443, HealthCheck: 'off', ServerCertificateId: CERT, TLSCipherPolicy: 'tls_none' }), 'InvalidParameter.TLSCipherPolicy', 400);
      await call('CreateLoadBalancerHTTPSListener', { ...base, ListenerPort: 8443, HealthCheck: 'off', StickySession: 'off', ServerCertificateId: CERT });
      const s = await call('DescribeLoadBalancerHTTPSListenerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: SHARED_B, ListenerPort: 8443 });
      assert.equal(s.ServerCertificateId, CERT);
      assert.equal(s.EnableHttp2, 'on');
      // the certificate lives in cn-hangzhou only
      await rejects(
        call('CreateLoadBalancerHTTPSListener', { RegionId: 'cn-beijing', LoadBalancerId: BEIJING, ListenerPort: 8443, BackendServerPort: 80, HealthCheck: 'off', ServerCertificateId: CERT }),
        'InvalidParameter.ServerCertificateId',
        400,
      );
    });

    test('Start, Stop and Delete move the listener; missing listeners and locked SLBs are errors', async () => {
      const id = { RegionId: 'cn-hangzhou', LoadBalancerId: INACTIVE };
      await call('StartLoadBalancerListener', { ...id, ListenerPort: 8081 });
      let a = await call('DescribeLoadBalancerTCPListenerAttribute', { ...id, ListenerPort: 8081 });
      assert.equal(a.Status, 'running');
      await call('StopLoadBalancerListener', { ...id, ListenerPort: 8081, ListenerProtocol: 'tcp' });
      a = await call('DescribeLoadBalancerTCPListenerAttribute', { ...id, ListenerPort: 8081 });
      assert.equal(a.Status, 'stopped');
      await call('DeleteLoadBalancerListener', { ...id, ListenerPort: 8081 });
      const err = await rejects(call('DescribeLoadBalancerTCPListenerAttribute', { ...id, ListenerPort: 8081 }), 'InvalidParameter', 400);
      assert.match(err.data.Message, /The specified resource does not exist/);
      await rejects(call('StartLoadBalancerListener', { ...id, ListenerPort: 8081 }), 'InvalidParameter', 400);
      await rejects(call('StopLoadBalancerListener', { ...id }), 'MissingParameter.ListenerPort', 400);
      await rejects(call('DeleteLoadBalancerListener', { RegionId: 'cn-hangzhou', LoadBalancerId: LOCKED, ListenerPort: 80 }), 'IncorrectStatus.LoadBalancer', 400);
      await rejects(call('StartLoadBalancerListener', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1nope0000000000000', ListenerPort: 80 }), 'InvalidLoadBalancerId.NotFound', 404);
    });

    test('DescribeHealthStatus reports per backend server and port', async () => {
      const r = await call('DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS });
      const rows = r.BackendServers.BackendServer;
      assert.equal(rows.length, 4); // 2 servers × 2 listeners
      assert.deepEqual(Object.keys(rows[0]).sort(), ['ListenerPort', 'Port', 'Protocol', 'ServerHealthStatus', 'ServerId', 'ServerIp']);
      const stopped = rows.filter((x: Body) => x.ListenerPort === 8080);
      assert.ok(stopped.every((x: Body) => x.ServerHealthStatus === 'unavailable'));
      const one = await call('DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 6379 });
      assert.deepEqual(one.BackendServers.BackendServer.map((x: Body) => [x.ServerId, x.Port, x.Protocol]), [
        ['i-bp1h9s6tcdgnd2z8w3fq', 6379, 'tcp'],
        ['i-bp1d6tdp3rlm5ep3n2ys', 6379, 'tcp'],
      ]);
      assert.ok(['normal', 'abnormal', 'unavailable'].includes(one.BackendServers.BackendServer[0].ServerHealthStatus));
      await rejects(call('DescribeHealthStatus', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 1234 }), 'CheckedListenerNotFound', 404);
      await rejects(call('DescribeHealthStatus', { RegionId: 'cn-hangzhou' }), 'MissingParameter.LoadBalancerId', 400);
    });

    test('DescribeServerCertificates', async () => {
      const r = await call('DescribeServerCertificates', { RegionId: 'cn-hangzhou' });
      const [c] = r.ServerCertificates.ServerCertificate;
      assert.equal(c.ServerCertificateId, CERT);
      assert.equal(c.CommonName, 'demo.slb-sandbox.test');
      assert.deepEqual(c.SubjectAlternativeNames.SubjectAlternativeName, ['demo.slb-sandbox.test', 'localhost']);
      assert.match(c.Fingerprint, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
      assert.equal(typeof c.ExpireTimeStamp, 'number');
      assert.ok(c.ExpireTimeStamp > Date.now());
      assert.equal(c.IsAliCloudCertificate, 0);
      const bj = await call('DescribeServerCertificates', { RegionId: 'cn-beijing' });
      assert.deepEqual(bj.ServerCertificates.ServerCertificate, []);
      const byId = await call('DescribeServerCertificates', { RegionId: 'cn-hangzhou', ServerCertificateId: 'nope' });
      assert.equal(byId.ServerCertificates.ServerCertificate.length, 0);
      await rejects(call('DescribeServerCertificates'), 'MissingParameter.RegionId', 400);
    });
  });
});

describe('SLB sandbox faults', () => {
  test('throttle: 400 Throttling.User with x-acs-retry-after → ThrottlingError', async () => {
    await withSandbox({ faults: [{ kind: 'throttle', action: 'DescribeRegions', retryAfterMs: 250 }] }, async (sb) => {
      const call = sdk(sb);
      await call('DescribeLoadBalancers', { RegionId: 'cn-hangzhou' }); // other actions unaffected
      const err = await rejects(call('DescribeRegions'), 'Throttling.User', 400, ThrottlingError);
      assert.equal(err.retryAfter, 250);
      await call('DescribeRegions'); // times defaults to 1
      assert.deepEqual(
        sb.state().requests.map((r) => [r.action, r.status, r.fault ?? '']),
        [
          ['DescribeLoadBalancers', 200, ''],
          ['DescribeRegions', 400, 'throttle'],
          ['DescribeRegions', 200, ''],
        ],
      );
    });
  });

  test('server-error-json (503 and 500) → ServerError; times is honoured', async () => {
    await withSandbox({}, async (sb) => {
      const call = sdk(sb);
      sb.injectFault({ kind: 'server-error-json', times: 2 });
      await rejects(call('DescribeRegions'), 'ServiceUnavailable', 503, ServerError);
      await rejects(call('DescribeRegions'), 'ServiceUnavailable', 503, ServerError);
      await call('DescribeRegions');
      sb.injectFault({ kind: 'server-error-json', status: 500 });
      await rejects(call('DescribeRegions'), 'InternalError', 500, ServerError);
    });
  });

  test('server-error-html → the SDK surfaces a SyntaxError', async () => {
    await withSandbox({ faults: [{ kind: 'server-error-html' }] }, async (sb) => {
      await assert.rejects(sdk(sb)('DescribeRegions'), (e: Error) => e instanceof SyntaxError);
    });
  });

  test('slow delays the answer; hang never answers (client timeout) and close() still returns', async () => {
    await withSandbox({}, async (sb) => {
      sb.injectFault({ kind: 'slow', delayMs: 300 });
      const t0 = Date.now();
      await sdk(sb)('DescribeRegions');
      assert.ok(Date.now() - t0 >= 280, `took ${Date.now() - t0} ms`);
      sb.injectFault({ kind: 'hang', times: -1 });
      const t1 = Date.now();
      await assert.rejects(sdk(sb, { readTimeout: 300 })('DescribeRegions'), (e: Error) => e.name === 'RequestTimeoutError');
      assert.ok(Date.now() - t1 < 2000);
      // leave one request hanging on purpose: close() must not wait for it
      const hanging = sdk(sb, { readTimeout: 2500 })('DescribeRegions').catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 50));
      await sb.close();
      const e = await hanging;
      assert.ok(e instanceof Error);
    });
  });

  test('admin endpoint: POST/GET/DELETE /__sandbox/faults, GET /__sandbox/state, POST /__sandbox/reset', async () => {
    await withSandbox({}, async (sb) => {
      const admin = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${sb.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        return { status: res.status, json: (await res.json()) as Body };
      };
      assert.equal((await admin('POST', '/__sandbox/faults', { kind: 'explode' })).status, 400);
      const armed = await admin('POST', '/__sandbox/faults', [{ kind: 'throttle', action: 'DescribeRegions', times: 1 }, { kind: 'slow', delayMs: 10 }]);
      assert.equal(armed.status, 200);
      assert.equal(armed.json.faults.length, 2);
      assert.equal((await admin('GET', '/__sandbox/faults')).json.faults.length, 2);
      await rejects(sdk(sb)('DescribeRegions'), 'Throttling.User', 400, ThrottlingError);
      assert.equal((await admin('DELETE', '/__sandbox/faults')).json.faults.length, 0);
      await sdk(sb)('DescribeRegions');

      await sdk(sb)('DeleteLoadBalancerListener', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS, ListenerPort: 8080 });
      const state = (await admin('GET', '/__sandbox/state')).json;
      assert.equal(state.accessKeyId, DEFAULT_ACCESS_KEY_ID);
      assert.ok(!JSON.stringify(state).includes(DEFAULT_ACCESS_KEY_SECRET));
      assert.deepEqual(state.loadBalancers[0].Listeners.map((l: Body) => l.ListenerPort), [6379]);
      assert.equal((await admin('POST', '/__sandbox/reset')).status, 200);
      assert.deepEqual(sb.state().loadBalancers[0].Listeners.map((l) => l.ListenerPort), [6379, 8080]);
      assert.deepEqual(sb.state().requests, []);
      assert.equal((await admin('GET', '/__sandbox/nothing')).status, 404);
    });
  });
});

describe('SLB sandbox options', () => {
  test('refuses a non-loopback host', async () => {
    await assert.rejects(startSandbox({ host: '0.0.0.0' }), /loopback only/);
    await assert.rejects(startSandbox({ host: '192.168.1.10' }), /loopback only/);
  });

  test('custom credentials and an inline seed object', async () => {
    await withSandbox(
      {
        accessKeyId: 'CUSTOMKEYID',
        accessKeySecret: 'custom-secret',
        seed: {
          regions: [{ RegionId: 'cn-shenzhen', LocalName: '华南1（深圳）' }],
          loadBalancers: [{ LoadBalancerId: 'lb-wz9custom00000000000', LoadBalancerName: 'only_one', RegionId: 'cn-shenzhen' }],
        },
      },
      async (sb) => {
        await rejects(sdk(sb)('DescribeRegions'), 'InvalidAccessKeyId.NotFound', 404);
        const r = await sdk(sb, { id: 'CUSTOMKEYID', secret: 'custom-secret' })('DescribeLoadBalancers', { RegionId: 'cn-shenzhen' });
        assert.deepEqual(r.LoadBalancers.LoadBalancer.map((x: Body) => [x.LoadBalancerName, x.Address]), [['only_one', '127.0.0.2']]);
      },
    );
  });

  test('securityToken: STS requests must carry exactly that token (V3 and V1); it is never echoed', async () => {
    const token = 'sts-token-for-sandbox-test';
    await withSandbox({ securityToken: token }, async (sb) => {
      const sts = (t: string | undefined, v1 = false) => {
        const config = new $OpenApiUtil.Config({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, securityToken: t, endpoint: sb.endpoint, protocol: 'HTTP' });
        if (v1) config.signatureAlgorithm = 'v2';
        return new OpenApi(config).callApi(
          new $OpenApiUtil.Params({ action: 'DescribeRegions', version: '2014-05-15', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' }),
          new $OpenApiUtil.OpenApiRequest({ query: {} }),
          new $dara.RuntimeOptions({}),
        );
      };
      assert.equal((await sts(token)).statusCode, 200);
      assert.equal((await sts(token, true)).statusCode, 200);
      const bad = await rejects(sts(token + 'x'), 'InvalidSecurityToken.Malformed', 400);
      assert.ok(!JSON.stringify(bad.data).includes(token));
      await rejects(sts(undefined), 'InvalidSecurityToken.Malformed', 400);
      const v1 = new OpenApi(new $OpenApiUtil.Config({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: 'wrong', securityToken: token, endpoint: sb.endpoint, protocol: 'HTTP', signatureAlgorithm: 'v2' }));
      const mismatch = await rejects(
        v1.callApi(
          new $OpenApiUtil.Params({ action: 'DescribeRegions', version: '2014-05-15', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' }),
          new $OpenApiUtil.OpenApiRequest({ query: {} }),
          new $dara.RuntimeOptions({}),
        ),
        'SignatureDoesNotMatch',
        400,
      );
      assert.ok(!JSON.stringify(mismatch.data).includes(token));
    });
    await withSandbox({}, async (sb) => {
      const config = new $OpenApiUtil.Config({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, securityToken: 'unexpected', endpoint: sb.endpoint, protocol: 'HTTP' });
      const p = new OpenApi(config).callApi(
        new $OpenApiUtil.Params({ action: 'DescribeRegions', version: '2014-05-15', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' }),
        new $OpenApiUtil.OpenApiRequest({ query: {} }),
        new $dara.RuntimeOptions({}),
      );
      await rejects(p, 'InvalidSecurityToken.Malformed', 400);
    });
  });

  test('an invalid seed fails with a clear message', async () => {
    await assert.rejects(
      startSandbox({
        dataPlane: false,
        seed: { regions: [{ RegionId: 'cn-hangzhou', LocalName: 'x' }], loadBalancers: [{ LoadBalancerId: 'lb-1', LoadBalancerName: 'a', RegionId: 'cn-hangzhou', Listeners: [{ ListenerProtocol: 'tcp', ListenerPort: 99999, BackendServerPort: 1 }] }] },
      }),
      /lb-1, listener tcp\/99999: InvalidParameter.ListenerPort/,
    );
  });
});
