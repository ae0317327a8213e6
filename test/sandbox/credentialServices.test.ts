// The sandbox's credential services on the wire: STS AssumeRole signed V1 by the real
// @alicloud/pop-core (the signature the official credential providers use), the metadata service's
// IMDSv2 rules, the credentials URI, issued credentials accepted by the SLB API, and the
// slow-response fault (the action runs at once, the answer comes late).
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import RPCClient = require('@alicloud/pop-core');
import {
  DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ECS_ROLE_NAME, DEFAULT_ROLE_ARN, NO_ROLE_ACCESS_KEY_ID, NO_ROLE_ACCESS_KEY_SECRET, startSandbox,
} from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { REDIS_APP_ID, sandboxClient } from '../helpers/sandbox';

let sb: SandboxHandle;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
});
beforeEach(async () => {
  await sb.reset();
});
after(async () => {
  await sb?.close();
});

function sts(id = DEFAULT_ACCESS_KEY_ID, secret = DEFAULT_ACCESS_KEY_SECRET): RPCClient {
  return new RPCClient({ accessKeyId: id, accessKeySecret: secret, endpoint: sb.url, apiVersion: '2015-04-01' });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { data?: { Code?: string } }).data?.Code ?? String(e);
  }
  return 'ok';
}

test('AssumeRole (V1 signature, pop-core): the real response shape; the issued key signs SLB calls with its token', async () => {
  const body = (await sts().request('AssumeRole', { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci', DurationSeconds: 900 }, { method: 'POST' })) as Body;
  assert.match(body.RequestId, /^[0-9A-F-]{36}$/);
  assert.equal(body.AssumedRoleUser.Arn, `${DEFAULT_ROLE_ARN}/ci`);
  const c = body.Credentials;
  assert.match(c.AccessKeyId, /^STS\./);
  assert.match(c.SecurityToken, /^CAIS/);
  const ttl = Date.parse(c.Expiration) - Date.now();
  assert.ok(ttl > 800_000 && ttl <= 900_000, `Expiration in 15 min: ${c.Expiration}`);
  assert.equal(sb.state().stsIssued, 1);
  assert.ok(!JSON.stringify(sb.state()).includes(c.AccessKeySecret), 'state() never shows an issued secret');
  assert.ok(!JSON.stringify(sb.state()).includes(c.SecurityToken), 'state() never shows an issued token');

  const slb = new RPCClient({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken, endpoint: sb.url, apiVersion: '2014-05-15' });
  const lbs = (await slb.request('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerId: REDIS_APP_ID })) as Body;
  assert.equal(lbs.LoadBalancers.LoadBalancer.length, 1);
  assert.equal(sb.state().requests.at(-1)!.accessKeyId, c.AccessKeyId);
  const noToken = new RPCClient({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, endpoint: sb.url, apiVersion: '2014-05-15' });
  assert.equal(await code(noToken.request('DescribeRegions', {})), 'InvalidSecurityToken.Malformed');
});

test('AssumeRole errors: the real codes and statuses', async () => {
  const cases: Array<[RPCClient, Record<string, unknown>, string]> = [
    [sts(NO_ROLE_ACCESS_KEY_ID, NO_ROLE_ACCESS_KEY_SECRET), { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci' }, 'NoPermission'],
    [sts(), { RoleArn: 'acs:ram::1234567890123456:role/nope', RoleSessionName: 'ci' }, 'EntityNotExist.Role'],
    [sts('UNKNOWNKEY00000001', 'x'), { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci' }, 'InvalidAccessKeyId.NotFound'],
    [sts(DEFAULT_ACCESS_KEY_ID, 'wrong'), { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci' }, 'SignatureDoesNotMatch'],
    [sts(), { RoleSessionName: 'ci' }, 'MissingParameter.RoleArn'],
    [sts(), { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'a b' }, 'InvalidParameter.RoleSessionName'],
    [sts(), { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci', DurationSeconds: 7200 }, 'InvalidParameter.DurationSeconds'],
  ];
  for (const [client, params, expected] of cases) assert.equal(await code(client.request('AssumeRole', params, { method: 'POST' })), expected, JSON.stringify(params));
  const statuses = sb.state().requests.map((r) => `${r.code}:${r.status}`);
  assert.deepEqual(statuses.slice(0, 3), ['NoPermission:403', 'EntityNotExist.Role:404', 'InvalidAccessKeyId.NotFound:404']);
});

test('metadata service: IMDSv2 token rules, the role list and its credentials; credentials URI', async () => {
  const tokenRes = await fetch(`${sb.url}/latest/api/token`, { method: 'PUT', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' } });
  assert.equal(tokenRes.status, 200);
  const token = await tokenRes.text();
  assert.equal((await fetch(`${sb.url}/latest/api/token`, { method: 'PUT' })).status, 400, 'ttl header required');
  assert.equal((await fetch(`${sb.url}/latest/meta-data/ram/security-credentials/`, { headers: { 'x-aliyun-ecs-metadata-token': 'forged' } })).status, 401);
  const list = await fetch(`${sb.url}/latest/meta-data/ram/security-credentials/`, { headers: { 'x-aliyun-ecs-metadata-token': token } });
  assert.equal(await list.text(), DEFAULT_ECS_ROLE_NAME);
  const creds = (await (await fetch(`${sb.url}/latest/meta-data/ram/security-credentials/${DEFAULT_ECS_ROLE_NAME}`)).json()) as Body;
  assert.equal(creds.Code, 'Success');
  for (const k of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration', 'LastUpdated']) assert.ok(creds[k], k);
  assert.equal((await fetch(`${sb.url}/latest/meta-data/ram/security-credentials/other-role`)).status, 404);
  const uri = (await (await fetch(`${sb.url}/__sandbox/credentials`)).json()) as Body;
  assert.equal(uri.Code, 'Success');
  assert.match(uri.AccessKeyId, /^STS\./);
  assert.equal(sb.state().stsIssued, 2);
});

test('slow-response: the action is done at once, its answer comes after the delay', async () => {
  sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'slow-response', delayMs: 800 });
  const client = sandboxClient(sb);
  const t0 = Date.now();
  const pending = client.createLoadBalancerTCPListener({ LoadBalancerId: REDIS_APP_ID, ListenerPort: 7100, BackendServerPort: 7100, Bandwidth: -1 });
  await new Promise((r) => setTimeout(r, 300));
  const lb = sb.state().loadBalancers.find((l) => l.LoadBalancerId === REDIS_APP_ID)!;
  assert.ok(lb.Listeners.some((l) => l.ListenerPort === 7100), 'created before the answer');
  await pending;
  assert.ok(Date.now() - t0 >= 750, 'answered after the delay');
});
