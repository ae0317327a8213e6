// The credential modes people use (issue 9): aliyun CLI profiles in mode RamRoleArn,
// ChainableRamRoleArn, EcsRamRole and CredentialsURI (and the INI equivalents), end to end against
// the sandbox: profile -> STS AssumeRole / metadata / URI -> SLB call signed with the STS key and
// token. Errors come with the real codes and a message that says what to do; nothing is probed
// unless a profile asks; the secrets and tokens never appear anywhere.
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import {
  CredentialLookupResult, CredentialsFound, describeCredentialSource, resolveCredentials, toCredential,
} from '../../server/src/engine/cloud/credentials';
import { clearRoleCredentialCache } from '../../server/src/engine/cloud/roleCredentials';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { isSlbApiError } from '../../server/src/engine/cloud/slbErrors';
import {
  DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ECS_ROLE_NAME, DEFAULT_ROLE_ARN, NO_ROLE_ACCESS_KEY_ID, NO_ROLE_ACCESS_KEY_SECRET, startSandbox,
} from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { REDIS_APP_ID } from '../helpers/sandbox';

const CLI = path.resolve(__dirname, '../../../dist/cli/slb-labels.js');
let sb: SandboxHandle;
let shortLived: SandboxHandle;
let uriServer: http.Server;
let uriBase = '';
const homes: string[] = [];
/** Every text a test produced (messages, descriptions, CLI output): checked for secrets at the end. */
const texts: string[] = [];

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false });
  // Issued credentials live 1 s: less than the 3-minute refresh margin, so reused only for half their life.
  shortLived = await startSandbox({ port: 0, dataPlane: false, issuedCredentialsTtlMs: 1_000 });
  // A credentials URI that answers without the token (and with a secret that must not leak).
  uriServer = http.createServer((req, res) => {
    if (req.url === '/no-token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'Success', AccessKeyId: 'URIKEYID000000009', AccessKeySecret: 'uri-secret-must-not-leak' }));
    } else if (req.url === '/html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>bad gateway uri-secret-must-not-leak</body></html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => uriServer.listen(0, '127.0.0.1', r));
  uriBase = `http://127.0.0.1:${(uriServer.address() as import('node:net').AddressInfo).port}`;
});
beforeEach(async () => {
  clearRoleCredentialCache();
  await sb.reset();
});
after(async () => {
  const secrets = [DEFAULT_ACCESS_KEY_SECRET, NO_ROLE_ACCESS_KEY_SECRET, 'uri-secret-must-not-leak', 'wrong-secret-value'];
  for (const s of [sb, shortLived]) for (const c of s.issuedCredentials()) secrets.push(c.accessKeySecret, c.securityToken);
  await sb?.close();
  await shortLived?.close();
  await new Promise<void>((r) => uriServer.close(() => r()));
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  const all = texts.join('\n');
  for (const s of secrets) assert.ok(!all.includes(s), `a secret or token leaked: ${s.slice(0, 6)}…`);
});

function home(profiles: object[], current?: string): string {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-role-'));
  homes.push(h);
  fs.mkdirSync(path.join(h, '.aliyun'));
  fs.writeFileSync(path.join(h, '.aliyun', 'config.json'), JSON.stringify({ current: current ?? (profiles[0] as { name: string }).name, profiles }, null, 2));
  return h;
}

function roleProfile(extra: Record<string, unknown> = {}, s: SandboxHandle = sb) {
  return { name: 'role', mode: 'RamRoleArn', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: DEFAULT_ACCESS_KEY_SECRET, ram_role_arn: DEFAULT_ROLE_ARN, ram_session_name: 'ci-run', region_id: 'cn-hangzhou', sts_endpoint: s.url, ...extra };
}

/** Records everything a result can show, and checks no secret of it is there. */
function record(r: CredentialLookupResult): void {
  texts.push(JSON.stringify(r), util.inspect(r, { depth: 10 }), describeCredentialSource(r, undefined, '/nonexistent'));
  for (const p of r.problems) texts.push(p.message);
  if (!r.ok) texts.push(r.message);
  if (r.ok) {
    for (const text of [JSON.stringify(r), util.inspect(r, { depth: 10 }), describeCredentialSource(r)]) {
      assert.ok(!text.includes(r.credentials.accessKeySecret), 'assumed secret shown');
      if (r.credentials.securityToken) assert.ok(!text.includes(r.credentials.securityToken), 'token shown');
    }
  }
}

function found(r: CredentialLookupResult): CredentialsFound {
  record(r);
  assert.equal(r.ok, true, r.ok ? '' : r.message);
  return r as CredentialsFound;
}

function failed(r: CredentialLookupResult): string {
  record(r);
  assert.ok(!r.ok, 'expected no credentials');
  return r.message;
}

function slb(f: CredentialsFound, s: SandboxHandle = sb): SlbClient {
  return new SlbClient({ credentials: toCredential(f), regionId: f.region ?? 'cn-hangzhou', endpoint: s.url, connectTimeoutMs: 2000, readTimeoutMs: 5000, retry: { maxAttempts: 1 } });
}

const requests = (s: SandboxHandle, action: string) => s.state().requests.filter((r) => r.action === action);

test('RamRoleArn: AssumeRole with the profile AccessKey, then the SLB call is signed with the STS key and token', async () => {
  const f = found(await resolveCredentials({ env: {}, homeDir: home([roleProfile()]) }));
  assert.equal(f.source, 'aliyun-cli');
  assert.equal(f.mode, 'RamRoleArn');
  assert.equal(f.kind, 'sts');
  assert.equal(f.role, DEFAULT_ROLE_ARN);
  assert.match(f.credentials.accessKeyId, /^STS\./);
  assert.ok(f.credentials.securityToken);
  assert.ok(f.expiresAt && f.expiresAt > Date.now() + 50 * 60_000, 'expires in about an hour');
  assert.match(describeCredentialSource(f, undefined, '/nonexistent'), /^STS token STS\.\*\*\*\*\w{4} from aliyun CLI profile "role" .* \(assumed role acs:ram::1234567890123456:role\/slb-sandbox-operator\), region cn-hangzhou$/);
  const body = await slb(f).describeLoadBalancers({ LoadBalancerId: REDIS_APP_ID });
  assert.equal(body.LoadBalancers.LoadBalancer.length, 1);
  const assume = requests(sb, 'AssumeRole');
  assert.equal(assume.length, 1);
  assert.equal(assume[0].accessKeyId, DEFAULT_ACCESS_KEY_ID);
  assert.equal(requests(sb, 'DescribeLoadBalancers')[0].accessKeyId, f.credentials.accessKeyId);
});

test('RamRoleArn: credentials are cached until shortly before they expire', async () => {
  const h = home([roleProfile()]);
  const f1 = found(await resolveCredentials({ env: {}, homeDir: h }));
  const f2 = found(await resolveCredentials({ env: {}, homeDir: h })); // e.g. the next editor command
  const client = slb(f2);
  await client.describeRegions();
  await client.describeRegions();
  assert.equal(requests(sb, 'AssumeRole').length, 1, 'one AssumeRole for two lookups and two calls');
  assert.equal(f1.credentials.accessKeyId, f2.credentials.accessKeyId);

  // Near expiry they are fetched again: these live 1 s, so after 0.7 s the next call refreshes.
  const g = found(await resolveCredentials({ env: {}, homeDir: home([roleProfile({}, shortLived)]) }));
  const c2 = slb(g, shortLived);
  await c2.describeRegions();
  await new Promise((r) => setTimeout(r, 700));
  await c2.describeRegions();
  const keys = shortLived.state().requests.filter((r) => r.action === 'DescribeRegions').map((r) => r.accessKeyId);
  assert.equal(shortLived.state().requests.filter((r) => r.action === 'AssumeRole').length, 2);
  assert.equal(new Set(keys).size, 2, 'the second call signed with refreshed credentials');
});

test('RamRoleArn errors: NoPermission, EntityNotExist.Role, unknown key, wrong secret: real codes, what to do, no secret', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ access_key_id: NO_ROLE_ACCESS_KEY_ID, access_key_secret: NO_ROLE_ACCESS_KEY_SECRET }, /AccessKey SAND\*\*\*\*0002 may not assume role acs:ram::1234567890123456:role\/slb-sandbox-operator \(NoPermission\): the role's trust policy must allow/],
    [{ ram_role_arn: 'acs:ram::1234567890123456:role/does-not-exist' }, /The role acs:ram::1234567890123456:role\/does-not-exist does not exist \(EntityNotExist\.Role\): check ram_role_arn of the profile/],
    [{ access_key_id: 'UNKNOWNKEYID0000099' }, /STS does not know the AccessKey UNKN\*\*\*\*0099 .*check access_key_id of the profile/],
    [{ access_key_secret: 'wrong-secret-value' }, /STS refused the signature of AccessKey SAND\*\*\*\*0001: its secret in the profile does not match the ID/],
  ];
  for (const [extra, re] of cases) {
    clearRoleCredentialCache();
    const r = await resolveCredentials({ env: {}, homeDir: home([roleProfile(extra)]) });
    const message = failed(r);
    assert.ok(!r.ok && r.reason === 'fetch-failed');
    assert.match(message, /^Profile "role" \(RamRoleArn\): /);
    assert.match(message, re);
  }
  const codes = requests(sb, 'AssumeRole').map((x) => x.code);
  assert.deepEqual(codes, ['NoPermission', 'EntityNotExist.Role', 'InvalidAccessKeyId.NotFound', 'SignatureDoesNotMatch']);
});

test('RamRoleArn: a hung STS endpoint costs the read timeout, with the phase named', async () => {
  sb.injectFault({ action: 'AssumeRole', kind: 'hang' });
  const t0 = Date.now();
  const message = failed(await resolveCredentials({ env: {}, homeDir: home([roleProfile()]), fetch: { readTimeoutMs: 700 } }));
  assert.ok(Date.now() - t0 < 2500, 'bounded');
  assert.match(message, /Connected to the STS endpoint 127\.0\.0\.1:\d+, but it did not answer AssumeRole within 0\.7 s \(read timeout\)/);
});

test('STS endpoint: the setting and ALIBABA_CLOUD_STS_ENDPOINT win over the profile (pointing a profile at the sandbox)', async () => {
  const h = home([roleProfile({ sts_endpoint: undefined, sts_region: 'cn-hangzhou' })]);
  found(await resolveCredentials({ env: {}, homeDir: h, stsEndpoint: sb.url }));
  clearRoleCredentialCache();
  found(await resolveCredentials({ env: { ALIBABA_CLOUD_STS_ENDPOINT: sb.url }, homeDir: h }));
  assert.equal(requests(sb, 'AssumeRole').length, 2);
});

test('ChainableRamRoleArn and the INI type ram_role_arn', async () => {
  const h = home([
    { name: 'base', mode: 'AK', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: DEFAULT_ACCESS_KEY_SECRET },
    { name: 'chain', mode: 'ChainableRamRoleArn', source_profile: 'base', ram_role_arn: DEFAULT_ROLE_ARN, region_id: 'cn-hangzhou', sts_endpoint: sb.url },
  ], 'chain');
  const f = found(await resolveCredentials({ env: {}, homeDir: h }));
  assert.equal(f.mode, 'ChainableRamRoleArn');
  await slb(f).describeRegions();

  const ini = path.join(h, 'creds.ini');
  fs.writeFileSync(ini, `[ci]\ntype = ram_role_arn\naccess_key_id = ${DEFAULT_ACCESS_KEY_ID}\naccess_key_secret = ${DEFAULT_ACCESS_KEY_SECRET}\nrole_arn = ${DEFAULT_ROLE_ARN}\nregion_id = cn-hangzhou\n`);
  const g = found(await resolveCredentials({ env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_CREDENTIALS_FILE: ini }, homeDir: h, profile: 'ci', stsEndpoint: sb.url }));
  assert.equal(g.source, 'credentials-file');
  assert.equal(g.mode, 'RamRoleArn');
  await slb(g).describeRegions();
});

test('INI types ecs_ram_role and credentials_uri', async () => {
  const h = home([{ name: 'unused', mode: 'AK', access_key_id: 'X', access_key_secret: 'Y' }]);
  const ini = path.join(h, 'creds.ini');
  fs.writeFileSync(ini, `[ecs]\ntype = ecs_ram_role\nrole_name = ${DEFAULT_ECS_ROLE_NAME}\n\n[uri]\ntype = credentials_uri\ncredentials_uri = ${sb.url}/__sandbox/credentials\n`);
  const env = { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_CREDENTIALS_FILE: ini, ALIBABA_CLOUD_ECS_METADATA_ENDPOINT: sb.url };
  const e = found(await resolveCredentials({ env, homeDir: h, profile: 'ecs', region: 'cn-hangzhou' }));
  assert.deepEqual([e.source, e.mode, e.role], ['credentials-file', 'EcsRamRole', DEFAULT_ECS_ROLE_NAME]);
  await slb(e).describeRegions();
  const u = found(await resolveCredentials({ env, homeDir: h, profile: 'uri', region: 'cn-hangzhou' }));
  assert.deepEqual([u.source, u.mode], ['credentials-file', 'CredentialsURI']);
  await slb(u).describeRegions();
});

test('EcsRamRole: the metadata service (IMDSv2 token, role name discovered or given), only when configured', async () => {
  const h = home([{ name: 'ecs', mode: 'EcsRamRole', region_id: 'cn-hangzhou' }, { name: 'named', mode: 'EcsRamRole', ram_role_name: DEFAULT_ECS_ROLE_NAME }, { name: 'wrong', mode: 'EcsRamRole', ram_role_name: 'no-such-role' }]);
  const f = found(await resolveCredentials({ env: {}, homeDir: h, metadataEndpoint: sb.url }));
  assert.equal(f.mode, 'EcsRamRole');
  assert.equal(f.kind, 'sts');
  await slb(f).describeRegions();
  const meta = sb.state().requests.filter((r) => r.action.startsWith('Metadata'));
  assert.deepEqual(meta.map((r) => r.action), ['Metadata PUT /latest/api/token', 'Metadata GET /latest/meta-data/ram/security-credentials/…', 'Metadata GET /latest/meta-data/ram/security-credentials/…']);

  const named = found(await resolveCredentials({ env: { ALIBABA_CLOUD_ECS_METADATA_ENDPOINT: sb.url }, homeDir: h, profile: 'named', region: 'cn-hangzhou' }));
  assert.equal(named.role, DEFAULT_ECS_ROLE_NAME);
  assert.match(failed(await resolveCredentials({ env: {}, homeDir: h, profile: 'wrong', metadataEndpoint: sb.url })), /The ECS instance has no RAM role named "no-such-role": attach it to the instance, or fix ram_role_name/);

  // Not on ECS (the service hangs): bounded by the short metadata timeouts, phase named, what to do said.
  clearRoleCredentialCache();
  sb.injectFault({ action: 'Metadata', kind: 'hang' });
  const t0 = Date.now();
  const m = failed(await resolveCredentials({ env: {}, homeDir: h, metadataEndpoint: sb.url, fetch: { metadataReadTimeoutMs: 400 } }));
  assert.ok(Date.now() - t0 < 2000, 'short timeout');
  assert.match(m, /Connected to the ECS metadata service http:\/\/127\.0\.0\.1:\d+, but it did not answer within 0\.4 s/);
});

test('nothing is probed by default: an AK profile and an empty setup make no metadata or STS request', async () => {
  const env = { ALIBABA_CLOUD_ECS_METADATA_ENDPOINT: sb.url, ALIBABA_CLOUD_STS_ENDPOINT: sb.url };
  found(await resolveCredentials({ env, homeDir: home([{ name: 'ak', mode: 'AK', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: DEFAULT_ACCESS_KEY_SECRET }]) }));
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-role-empty-'));
  homes.push(empty);
  failed(await resolveCredentials({ env, homeDir: empty }));
  assert.deepEqual(sb.state().requests, []);
});

test('CredentialsURI: credentials from an HTTP URL; an incomplete or non-JSON answer is refused without echoing it', async () => {
  const h = home([
    { name: 'uri', mode: 'CredentialsURI', credentials_uri: `${sb.url}/__sandbox/credentials?token=query-is-not-shown`, region_id: 'cn-hangzhou' },
    { name: 'notoken', mode: 'CredentialsURI', credentials_uri: `${uriBase}/no-token` },
    { name: 'html', mode: 'CredentialsURI', credentials_uri: `${uriBase}/html` },
    { name: 'ftp', mode: 'CredentialsURI', credentials_uri: 'ftp://example.invalid/creds' },
  ]);
  const f = found(await resolveCredentials({ env: {}, homeDir: h }));
  assert.equal(f.mode, 'CredentialsURI');
  assert.match(describeCredentialSource(f), /\(from http:\/\/127\.0\.0\.1:\d+\/__sandbox\/credentials\?…\)/);
  assert.doesNotMatch(describeCredentialSource(f), /query-is-not-shown/);
  await slb(f).describeRegions();
  assert.match(failed(await resolveCredentials({ env: {}, homeDir: h, profile: 'notoken' })), /the credentials URI http:\/\/127\.0\.0\.1:\d+\/no-token answered without SecurityToken: it is not used/);
  assert.match(failed(await resolveCredentials({ env: {}, homeDir: h, profile: 'html' })), /answered HTTP 502: check credentials_uri of the profile/);
  assert.match(failed(await resolveCredentials({ env: {}, homeDir: h, profile: 'ftp' })), /not an http\(s\) URL/);
});

test('the SLB API checks the STS token: wrong, missing or expired tokens are refused with the real codes', async () => {
  const f = found(await resolveCredentials({ env: {}, homeDir: home([roleProfile()]) }));
  const { accessKeyId, accessKeySecret } = f.credentials;
  const call = async (securityToken?: string) => {
    try {
      await new SlbClient({ credentials: { accessKeyId, accessKeySecret, securityToken }, regionId: 'cn-hangzhou', endpoint: sb.url, retry: { maxAttempts: 1 } }).describeRegions();
      return 'ok';
    } catch (e) {
      assert.ok(isSlbApiError(e));
      texts.push(e.message, JSON.stringify(e));
      return e.code;
    }
  };
  assert.equal(await call(f.credentials.securityToken), 'ok');
  assert.equal(await call('CAISnot-the-token'), 'InvalidSecurityToken.Malformed');
  assert.equal(await call(undefined), 'InvalidSecurityToken.Malformed');
  const expired = await startSandbox({ port: 0, dataPlane: false, issuedCredentialsTtlMs: 1 });
  try {
    clearRoleCredentialCache();
    const g = found(await resolveCredentials({ env: {}, homeDir: home([roleProfile({}, expired)]) }));
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(
      new SlbClient({ credentials: { ...g.credentials }, regionId: 'cn-hangzhou', endpoint: expired.url, retry: { maxAttempts: 1 } }).describeRegions(),
      (e: unknown) => isSlbApiError(e) && e.code === 'InvalidSecurityToken.Expired' && /has expired/.test(e.message),
    );
    for (const c of expired.issuedCredentials()) for (const text of texts) assert.ok(!text.includes(c.securityToken));
  } finally {
    await expired.close();
  }
});

test('the real CLI with a RamRoleArn profile: plan works end to end; no secret or token in its output', async () => {
  const h = home([roleProfile({ sts_endpoint: undefined })]);
  fs.writeFileSync(path.join(h, 'docker-compose.yml'), 'services:\n  app:\n    image: example/app\n    ports:\n      - "7001:7000"\n    labels:\n      aliyun.lb.port_7000: tcp://slb_redis_app:7000\n');
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'plan', path.join(h, 'docker-compose.yml'), '--endpoint', sb.url], {
      env: { PATH: process.env.PATH ?? '', HOME: h, LANG: 'C', ALIBABA_CLOUD_STS_ENDPOINT: sb.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
  texts.push(r.out);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Using STS token STS\.\*\*\*\*\w{4} from aliyun CLI profile "role" \(~\/\.aliyun\/config\.json\) \(assumed role acs:ram::1234567890123456:role\/slb-sandbox-operator\), region cn-hangzhou\./);
  assert.match(r.out, /\[create\] aliyun\.lb\.port_7000/);
  const issued = sb.issuedCredentials();
  assert.equal(issued.length, 1);
  assert.equal(requests(sb, 'DescribeLoadBalancers')[0].accessKeyId, issued[0].accessKeyId);
});
