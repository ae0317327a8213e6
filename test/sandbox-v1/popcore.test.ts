// V1 signatures (RPC, HMAC-SHA1) proven with the real @alicloud/pop-core RPCClient against the
// local SLB sandbox: GET with everything in the query string (pop-core's default) and POST with a
// form body. The sandbox's request log records which signature version it verified.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import RPCClient = require('@alicloud/pop-core');
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';

const REDIS = 'lb-bp1rtfnodmywb43ecu4sf';
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pop-core's error: Error with name `<Code>Error`, `code`, and the API's error body in `data`. */
interface PopError extends Error {
  code: string;
  data: { RequestId?: string; HostId?: string; Code?: string; Message?: string; Recommend?: string };
}

let sandbox: SandboxHandle;

function client(secret = DEFAULT_ACCESS_KEY_SECRET, id = DEFAULT_ACCESS_KEY_ID): RPCClient {
  return new RPCClient({ accessKeyId: id, accessKeySecret: secret, endpoint: sandbox.url, apiVersion: '2014-05-15' });
}

async function rejection(p: Promise<unknown>): Promise<PopError> {
  try {
    await p;
  } catch (e) {
    return e as PopError;
  }
  assert.fail('expected the call to fail');
}

/** Request-log entries added while `fn` ran. */
async function logged<T>(fn: () => Promise<T>): Promise<{ value: T; records: ReturnType<SandboxHandle['state']>['requests'] }> {
  const before = sandbox.state().requests.length;
  const value = await fn();
  return { value, records: sandbox.state().requests.slice(before) };
}

before(async () => {
  sandbox = await startSandbox({ port: 0, dataPlane: false });
});

after(async () => {
  await sandbox?.close();
});

for (const method of ['GET', 'POST'] as const) {
  describe(`pop-core RPCClient, ${method}${method === 'GET' ? ' (default, query string)' : ' (form body)'}`, () => {
    const opts = method === 'POST' ? { method: 'POST' } : {};

    it('DescribeRegions: V1 signature accepted, JSON with the Regions wrapper', async () => {
      const { value, records } = await logged(() => client().request<Body>('DescribeRegions', {}, opts));
      assert.match(value.RequestId, /^[0-9A-F-]{36}$/);
      const ids = (value.Regions.Region as Array<{ RegionId: string }>).map((r) => r.RegionId);
      assert.ok(ids.includes('cn-hangzhou') && ids.includes('cn-beijing'), ids.join(','));
      assert.deepEqual(records.map((r) => [r.action, r.signatureVersion, r.status]), [['DescribeRegions', 'v1', 200]]);
    });

    it('DescribeLoadBalancers with RegionId (and a lower-case-first parameter name pop-core capitalises)', async () => {
      const { value, records } = await logged(() => client().request<Body>('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', loadBalancerName: 'slb_redis_app' }, opts));
      assert.equal(value.TotalCount, 1);
      const lb = value.LoadBalancers.LoadBalancer[0];
      assert.equal(lb.LoadBalancerId, REDIS);
      assert.equal(lb.LoadBalancerName, 'slb_redis_app');
      assert.equal(lb.RegionId, 'cn-hangzhou');
      const all = await client().request<Body>('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageSize: 50 }, opts);
      assert.ok(all.TotalCount >= 6, String(all.TotalCount));
      assert.deepEqual(records.map((r) => [r.action, r.signatureVersion, r.status]), [['DescribeLoadBalancers', 'v1', 200]]);
    });

    it('an array parameter is flattened (LoadBalancerId.1..N) and still signs', async () => {
      const body = await client().request<Body>('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', LoadBalancerId: [REDIS] }, opts);
      const ports = (body.Listeners as Array<{ ListenerPort: number; ListenerProtocol: string }>).map((l) => `${l.ListenerProtocol} ${l.ListenerPort}`).sort();
      assert.deepEqual(ports, ['http 8080', 'tcp 6379']);
    });

    it('a wrong secret: SignatureDoesNotMatch with the sandbox error body, logged as V1', async () => {
      const { value: e, records } = await logged(() => rejection(client('not-the-secret').request('DescribeRegions', {}, opts)));
      assert.equal(e.code, 'SignatureDoesNotMatch');
      assert.equal(e.name, 'SignatureDoesNotMatchError');
      assert.equal(e.data.Code, 'SignatureDoesNotMatch');
      assert.match(e.data.RequestId ?? '', /^[0-9A-F-]{36}$/);
      assert.equal(typeof e.data.HostId, 'string');
      assert.match(e.data.Recommend ?? '', /^https:\/\/api\.aliyun\.com\/troubleshoot\?q=SignatureDoesNotMatch/);
      assert.match(e.data.Message ?? '', /server string to sign is:/);
      assert.match(e.data.Message ?? '', new RegExp(`^Specified signature is not matched.*${method}&%2F&`));
      assert.ok(!JSON.stringify(e.data).includes(DEFAULT_ACCESS_KEY_SECRET), 'the secret is never echoed');
      assert.deepEqual(records.map((r) => [r.action, r.signatureVersion, r.status, r.code]), [['DescribeRegions', 'v1', 400, 'SignatureDoesNotMatch']]);
    });

    it('an unknown AccessKey ID: InvalidAccessKeyId.NotFound', async () => {
      const e = await rejection(client(DEFAULT_ACCESS_KEY_SECRET, 'NOSUCHKEYID000000000').request('DescribeRegions', {}, opts));
      assert.equal(e.code, 'InvalidAccessKeyId.NotFound');
    });

    it('an unknown load balancer: InvalidLoadBalancerId.NotFound (a correctly signed V1 request)', async () => {
      const { value: e, records } = await logged(() => rejection(client().request('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1doesnotexist00000' }, opts)));
      assert.equal(e.code, 'InvalidLoadBalancerId.NotFound');
      assert.equal(e.data.Code, 'InvalidLoadBalancerId.NotFound');
      assert.match(e.data.RequestId ?? '', /^[0-9A-F-]{36}$/);
      assert.deepEqual(records.map((r) => [r.action, r.signatureVersion, r.status, r.code]), [['DescribeLoadBalancerAttribute', 'v1', 404, 'InvalidLoadBalancerId.NotFound']]);
    });

    it('a missing required parameter: MissingParameter.LoadBalancerId', async () => {
      const e = await rejection(client().request('DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou' }, opts));
      assert.equal(e.code, 'MissingParameter.LoadBalancerId');
    });
  });
}

describe('pop-core V1 replay', () => {
  it('the same signed URL sent twice: the second is SignatureNonceUsed', async () => {
    // pop-core makes a fresh nonce per call; its verbose mode returns the signed URL to replay.
    const Verbose = RPCClient as unknown as new (config: RPCClient.Config, verbose: boolean) => { request<T>(action: string, params: object): Promise<T> };
    const verbose = new Verbose({ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET, endpoint: sandbox.url, apiVersion: '2014-05-15' }, true);
    const [first, entry] = await verbose.request<[Body, { url: string }]>('DescribeRegions', {});
    assert.ok(first.Regions);
    const res = await fetch(entry.url);
    const body = (await res.json()) as Body;
    assert.equal(res.status, 400);
    assert.equal(body.Code, 'SignatureNonceUsed');
  });
});
