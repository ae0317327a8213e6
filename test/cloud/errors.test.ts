import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import {
  toSlbApiError, SlbApiError, ErrorContext, redact, maskKeyId, Translate,
} from '../../server/src/engine/cloud/slbErrors';
import { parseEndpointSetting, resolveSlbEndpoint, regionalSlbHost } from '../../server/src/engine/cloud/endpoint';
import { toWireRequest } from '../../server/src/engine/cloud/slbClient';

const SECRET = 'sandbox-demo-secret-not-real';
const TOKEN = 'the-sts-token-value';
const ctx = (over: Partial<ErrorContext> = {}): ErrorContext => ({
  action: 'DescribeLoadBalancers', endpoint: '127.0.0.1:9', regionId: 'cn-hangzhou', readTimeoutMs: 10_000,
  connectTimeoutMs: 5_000, secrets: [SECRET, TOKEN], ...over,
});

function apiErr(Cls: typeof ClientError, status: number, code: string, message: string): Error {
  return new Cls({ statusCode: status, code, message: `code: ${status}, ${message} request id: RID-1`, data: { RequestId: 'RID-1', HostId: 'slb.aliyuncs.com', Code: code, Message: message }, requestId: 'RID-1', description: 'undefined', detail: 'undefined' });
}

test('API codes map to actionable messages with code, status, request id, action', () => {
  const cases: Array<[string, number, RegExp, Partial<ErrorContext>?]> = [
    ['InvalidAccessKeyId.NotFound', 404, /AccessKey ID is not known to Alibaba Cloud: check the profile/],
    ['SignatureDoesNotMatch', 400, /AccessKey secret does not match the ID/],
    ['Forbidden.RAM', 403, /lacks permission slb:DescribeLoadBalancers/],
    ['NoPermission', 403, /lacks permission slb:DescribeLoadBalancers/],
    ['InvalidLoadBalancerId.NotFound', 404, /lb-nope does not exist in region cn-hangzhou/, { request: { LoadBalancerId: 'lb-nope', RegionId: 'cn-hangzhou' } }],
    ['ServiceUnavailable', 503, /temporarily unavailable/],
    ['InvalidRegionId', 400, /region cn-nowhere is not valid/, { request: { RegionId: 'cn-nowhere' } }],
    ['IncorrectLoadBalancerStatus', 400, /not in a state that allows/],
    ['ListenerAlreadyExists', 400, /already exists on port 80 of SLB lb-x/, { request: { LoadBalancerId: 'lb-x', ListenerPort: '80' } }],
    ['MissingParameter.LoadBalancerId', 400, /missing for DescribeLoadBalancers: LoadBalancerId/],
    ['InvalidTimeStamp.Expired', 400, /system clock/],
  ];
  for (const [code, status, re, over] of cases) {
    const Cls = status >= 500 ? ServerError : ClientError;
    const e = toSlbApiError(apiErr(Cls, status, code, 'server says no'), ctx(over));
    assert.ok(e instanceof SlbApiError);
    assert.equal(e.code, code);
    assert.equal(e.httpStatus, status);
    assert.equal(e.requestId, 'RID-1');
    assert.equal(e.action, 'DescribeLoadBalancers');
    assert.equal(e.kind, 'api');
    assert.match(e.message, re, code);
  }
});

test('listener "resource does not exist" InvalidParameter reads as a missing listener', () => {
  const e = toSlbApiError(apiErr(ClientError, 400, 'InvalidParameter', 'The specified resource does not exist.'),
    ctx({ action: 'StartLoadBalancerListener', request: { LoadBalancerId: 'lb-1', ListenerPort: '81' } }));
  assert.match(e.message, /no listener on port 81 of SLB lb-1/);
});

test('throttling maps to a retryable error', () => {
  const e = toSlbApiError(new ThrottlingError({ statusCode: 400, code: 'Throttling.User', message: 'x', data: { Code: 'Throttling.User', RequestId: 'R' }, retryAfter: 1500, requestId: 'R' }), ctx());
  assert.equal(e.code, 'Throttling.User');
  assert.equal(e.retryable, true);
  assert.match(e.message, /throttling/);
});

test('network errors and timeouts', () => {
  const refused = toSlbApiError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '127.0.0.1', port: 9 }), ctx());
  assert.equal(refused.kind, 'network');
  assert.match(refused.message, /Cannot reach the SLB endpoint 127\.0\.0\.1:9: check the endpoint setting/);
  const read = toSlbApiError(Object.assign(new Error('ReadTimeout(700). POST HTTP://127.0.0.1:9/?RegionId=cn-hangzhou failed.'), { name: 'RequestTimeoutError' }), ctx({ readTimeoutMs: 700 }));
  assert.equal(read.kind, 'timeout');
  assert.match(read.message, /did not answer within 0\.7 s/);
  const conn = toSlbApiError(Object.assign(new Error('ConnectTimeout: Connect HTTP://10.255.255.1/ failed.'), { name: 'RequestTimeoutError' }), ctx({ connectTimeoutMs: 2000 }));
  assert.match(conn.message, /Could not connect to the SLB endpoint 127\.0\.0\.1:9 within 2 s/);
  const dns = toSlbApiError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), ctx());
  assert.match(dns.message, /Cannot resolve/);
});

test('non-JSON bodies: HTML page with the observed status, other text', () => {
  let syntax: unknown;
  try { JSON.parse('<html><head><title>502 Bad Gateway</title></head></html>'); } catch (e) { syntax = e; }
  const html = toSlbApiError(syntax, ctx({ observedStatus: 502, observedContentType: 'text/html' }));
  assert.equal(html.kind, 'bad-response');
  assert.equal(html.httpStatus, 502);
  assert.match(html.message, /answered with an HTML page \(HTTP 502\), not the API: check the endpoint/);
  try { JSON.parse('hello'); } catch (e) { syntax = e; }
  const text = toSlbApiError(syntax, ctx({ observedStatus: 200, observedContentType: 'text/plain' }));
  assert.match(text.message, /not JSON \(HTTP 200\)/);
});

test('no secret survives: server messages quoting the secret or token are scrubbed', () => {
  const leaky = apiErr(ClientError, 400, 'SignatureDoesNotMatch', `string to sign was ... key=${SECRET} token=${encodeURIComponent(TOKEN)}`);
  const unknown = apiErr(ClientError, 400, 'Weird.Code', `echo ${SECRET} and ${TOKEN}`);
  for (const raw of [leaky, unknown]) {
    const e = toSlbApiError(raw, ctx());
    for (const s of [e.message, String(e), JSON.stringify(e), e.stack ?? '', e.toLogString(), JSON.stringify(Object.entries(e))]) {
      assert.ok(!s.includes(SECRET), s);
      assert.ok(!s.includes(TOKEN), s);
      assert.ok(!s.includes(encodeURIComponent(TOKEN)), s);
    }
  }
  assert.equal(redact(`a ${SECRET} b`, [SECRET]), 'a *** b');
  assert.equal(maskKeyId('SANDBOXDEMOKEYID0001'), 'SAND****0001');
  assert.equal(maskKeyId('short'), '****');
});

test('endpoint: setting forms and regional defaults', () => {
  assert.deepEqual(parseEndpointSetting('http://127.0.0.1:1234'), { host: '127.0.0.1:1234', protocol: 'HTTP' });
  assert.deepEqual(parseEndpointSetting('http://127.0.0.1:1234/'), { host: '127.0.0.1:1234', protocol: 'HTTP' });
  assert.deepEqual(parseEndpointSetting('127.0.0.1:1234'), { host: '127.0.0.1:1234', protocol: undefined });
  assert.deepEqual(parseEndpointSetting('slb-vpc.cn-hangzhou.aliyuncs.com'), { host: 'slb-vpc.cn-hangzhou.aliyuncs.com', protocol: undefined });
  assert.deepEqual(parseEndpointSetting('https://slb.aliyuncs.com'), { host: 'slb.aliyuncs.com', protocol: 'HTTPS' });
  assert.equal(parseEndpointSetting('  '), undefined);
  assert.throws(() => parseEndpointSetting('ftp://x'));
  assert.throws(() => parseEndpointSetting('http://x/api'));
  assert.throws(() => parseEndpointSetting('x:99999'));
  assert.deepEqual(resolveSlbEndpoint('cn-hangzhou'), { host: 'slb.aliyuncs.com', protocol: 'HTTPS', source: 'map' });
  assert.deepEqual(resolveSlbEndpoint('cn-zhangjiakou'), { host: 'slb.cn-zhangjiakou.aliyuncs.com', protocol: 'HTTPS', source: 'rule' });
  assert.deepEqual(resolveSlbEndpoint('cn-zhangjiakou', 'http://127.0.0.1:5'), { host: '127.0.0.1:5', protocol: 'HTTP', source: 'setting' });
  assert.equal(regionalSlbHost('cn-huhehaote-nebula-1'), 'slb-api.cn-qingdao-nebula.aliyuncs.com');
  assert.equal(regionalSlbHost('eu-central-1'), 'slb.eu-central-1.aliyuncs.com');
});

test('wire request quirks', () => {
  assert.deepEqual(toWireRequest('CreateLoadBalancerTCPListener', { LoadBalancerId: 'lb-1', ListenerPort: 80, Bandwidth: -1, BackendServerPort: 8080, HealthCheckInterval: 3 }, 'cn-hangzhou'),
    { LoadBalancerId: 'lb-1', ListenerPort: 80, Bandwidth: -1, BackendServerPort: 8080, healthCheckInterval: 3, RegionId: 'cn-hangzhou' });
  const udp = toWireRequest('CreateLoadBalancerUDPListener', { LoadBalancerId: 'lb-1', ListenerPort: 53, Bandwidth: -1, BackendServerPort: 53, HealthCheckInterval: 3, HealthCheckReq: 'ping', HealthCheckExp: 'pong' }, 'cn-hangzhou');
  assert.equal(udp.healthCheckInterval, 3);
  assert.equal(udp.healthCheckReq, 'ping');
  assert.equal(udp.healthCheckExp, 'pong');
  assert.equal(udp.HealthCheckInterval, undefined);
  const http = toWireRequest('CreateLoadBalancerHTTPListener', { LoadBalancerId: 'lb-1', ListenerPort: 80, HealthCheck: 'on', HealthCheckInterval: 3 }, 'r');
  assert.equal(http.HealthCheckInterval, 3);
  assert.equal(http.StickySession, 'off');
  assert.equal(toWireRequest('DescribeLoadBalancers', { LoadBalancerId: ['a', 'b'] }, 'r').LoadBalancerId, 'a,b');
  assert.deepEqual(toWireRequest('DescribeLoadBalancerListeners', { LoadBalancerId: 'a' }, 'r').LoadBalancerId, ['a']);
});

// ---- l10n: every English message used by the cloud layer has a zh-cn translation

function messageKeys(): string[] {
  const dir = path.join(__dirname, '..', '..', '..', 'server', 'src', 'engine', 'cloud');
  const keys = new Set<string>();
  for (const f of ['slbErrors.ts', 'slbClient.ts', 'credentials.ts']) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) keys.add(m[1].replace(/\\'/g, "'"));
  }
  return [...keys];
}

test('zh-cn bundle has every cloud message, with the same placeholders', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const keys = messageKeys();
  assert.ok(keys.length > 30, `found ${keys.length} keys`);
  for (const k of keys) {
    assert.ok(typeof bundle[k] === 'string', `missing zh-cn for: ${k}`);
    const ph = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
    assert.equal(ph(bundle[k]), ph(k), `placeholders differ for: ${k}`);
  }
  const t: Translate = (m, ...a) => (bundle[m] ?? m).replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));
  const e = toSlbApiError(apiErr(ClientError, 404, 'InvalidAccessKeyId.NotFound', 'x'), ctx({ t }));
  assert.match(e.message, /AccessKey ID/);
  assert.match(e.message, /[\u4e00-\u9fff]/);
});

test('client construction: bad endpoint setting, missing region, empty credentials → SlbApiError', async () => {
  const { SlbClient } = await import('../../server/src/engine/cloud/slbClient');
  const creds = { accessKeyId: 'SANDBOXDEMOKEYID0001', accessKeySecret: SECRET };
  const bad = (f: () => unknown, code: string) => assert.throws(f, (e: unknown) => e instanceof SlbApiError && e.code === code && !e.message.includes(SECRET));
  bad(() => new SlbClient({ credentials: creds, regionId: 'cn-hangzhou', endpoint: 'ftp://x' }), 'Config.InvalidEndpoint');
  bad(() => new SlbClient({ credentials: creds, regionId: '' }), 'Config.MissingRegion');
  bad(() => new SlbClient({ credentials: { accessKeyId: '', accessKeySecret: '' }, regionId: 'cn-hangzhou' }), 'InvalidCredentials');
  const c = new SlbClient({ credentials: creds, regionId: 'cn-zhangjiakou' });
  assert.deepEqual(c.endpoint, { host: 'slb.cn-zhangjiakou.aliyuncs.com', protocol: 'HTTPS', source: 'rule' });
  assert.equal(c.connectTimeoutMs, 5000);
  assert.equal(c.readTimeoutMs, 10000);
});

test('an aborted call fails before any I/O', async () => {
  const { SlbClient } = await import('../../server/src/engine/cloud/slbClient');
  const c = new SlbClient({ credentials: { accessKeyId: 'SANDBOXDEMOKEYID0001', accessKeySecret: SECRET }, regionId: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9' });
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(c.describeRegions({}, { signal: ac.signal }), (e: unknown) => e instanceof SlbApiError && e.code === 'Aborted');
});
