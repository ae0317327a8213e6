import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import {
  resolveCredentials, describeCredentialSource, toCredential, CredentialLookupResult, CredentialsFound,
} from '../../server/src/engine/cloud/credentials';

const ID = 'SANDBOXDEMOKEYID0001';
const SECRET = 'sandbox-demo-secret-not-real';
const TOKEN = 'sts-token-very-secret-value-123';

function tempHome(files: { aliyun?: unknown; ini?: string } = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-cred-'));
  if (files.aliyun !== undefined) {
    fs.mkdirSync(path.join(home, '.aliyun'));
    fs.writeFileSync(path.join(home, '.aliyun', 'config.json'),
      typeof files.aliyun === 'string' ? files.aliyun : JSON.stringify(files.aliyun, null, 2));
  }
  if (files.ini !== undefined) {
    fs.mkdirSync(path.join(home, '.alibabacloud'));
    fs.writeFileSync(path.join(home, '.alibabacloud', 'credentials'), files.ini);
  }
  return home;
}

function found(r: CredentialLookupResult): CredentialsFound {
  assert.equal(r.ok, true, r.ok ? '' : r.message);
  return r as CredentialsFound;
}

function assertNoSecret(r: CredentialLookupResult, ...secrets: string[]): void {
  const texts = [JSON.stringify(r), util.inspect(r, { depth: 10 }), String(r), describeCredentialSource(r, undefined, '/nonexistent')];
  for (const p of r.problems) texts.push(p.message);
  if (!r.ok) texts.push(r.message);
  for (const s of secrets) for (const text of texts) assert.ok(!text.includes(s), `secret leaked into: ${text}`);
}

const cliConfig = {
  current: 'work',
  profiles: [
    { name: 'default', mode: 'AK', access_key_id: 'CLIDEFAULTKEYID00002', access_key_secret: 'cli-default-secret', region_id: 'cn-shanghai' },
    { name: 'work', mode: 'AK', access_key_id: ID, access_key_secret: SECRET, region_id: 'cn-hangzhou' },
    { name: 'sts', mode: 'StsToken', access_key_id: 'STS.KEYID0000000003', access_key_secret: 'sts-secret-xyz', sts_token: TOKEN, region_id: 'cn-beijing' },
    { name: 'role', mode: 'RamRoleArn', access_key_id: 'ROLEKEYID00000004', access_key_secret: 'role-secret', ram_role_arn: 'acs:ram::1:role/x', region_id: 'cn-qingdao' },
    { name: 'ecs', mode: 'EcsRamRole', ram_role_name: 'r' },
    { name: 'sso', mode: 'CloudSSO', access_key_id: 'SSOKEYID000000008', access_key_secret: 'sso-secret' },
    { name: 'oidc', mode: 'OIDC', ram_role_arn: 'acs:ram::1:role/x' },
  ],
};
const iniText = `[default]
type = access_key
access_key_id = INIDEFAULTKEYID00005
access_key_secret = ini-default-secret

[project]
type = access_key
access_key_id = INIPROJECTKEYID00006
access_key_secret = ini-project-secret

[ecs]
type = ecs_ram_role
role_name = foo

[rsa]
type = rsa_key_pair
public_key_id = x
`;

test('explicit credentials win over env and files', async () => {
  const home = tempHome({ aliyun: cliConfig, ini: iniText });
  const r = found(await resolveCredentials({
    explicit: { accessKeyId: ID, accessKeySecret: SECRET },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'ENVKEY', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'envsecret' },
    homeDir: home,
  }));
  assert.equal(r.source, 'explicit');
  assert.equal(r.kind, 'access_key');
  assert.equal(r.credentials.accessKeySecret, SECRET);
  assert.equal(r.region, undefined);
  assert.equal(r.maskedAccessKeyId, 'SAND****0001');
  assertNoSecret(r, SECRET);
});

test('explicit with empty strings counts as absent; env comes next (STS, env region)', async () => {
  const home = tempHome({ aliyun: cliConfig });
  const r = found(await resolveCredentials({
    explicit: { accessKeyId: '', accessKeySecret: '' },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN, ALIBABA_CLOUD_REGION_ID: 'cn-shenzhen' },
    homeDir: home,
  }));
  assert.equal(r.source, 'env');
  assert.equal(r.kind, 'sts');
  assert.equal(r.credentials.securityToken, TOKEN);
  assert.equal(r.region, 'cn-shenzhen');
  assert.equal(r.regionSource, 'env');
  assertNoSecret(r, SECRET, TOKEN);
  const desc = describeCredentialSource(r, undefined, home);
  assert.match(desc, /SAND\*\*\*\*0001/);
  assert.match(desc, /environment/);
});

test('env with only the key id is reported, lookup continues to the aliyun CLI config', async () => {
  const home = tempHome({ aliyun: cliConfig });
  const r = found(await resolveCredentials({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: ID }, homeDir: home }));
  assert.equal(r.source, 'aliyun-cli');
  assert.equal(r.problems[0].source, 'env');
  assert.equal(r.problems[0].code, 'incomplete');
});

test('aliyun CLI: current profile (AK), region from the profile; setting region wins', async () => {
  const home = tempHome({ aliyun: cliConfig, ini: iniText });
  const r = found(await resolveCredentials({ env: {}, homeDir: home }));
  assert.equal(r.source, 'aliyun-cli');
  assert.equal(r.profile, 'work');
  assert.equal(r.kind, 'access_key');
  assert.equal(r.credentials.accessKeyId, ID);
  assert.equal(r.region, 'cn-hangzhou');
  assert.equal(r.regionSource, 'profile');
  assert.equal(r.file, path.join(home, '.aliyun', 'config.json'));
  const desc = describeCredentialSource(r, undefined, home);
  assert.equal(desc, 'AccessKey SAND****0001 from aliyun CLI profile "work" (~/.aliyun/config.json), region cn-hangzhou');
  assertNoSecret(r, SECRET);

  const r2 = found(await resolveCredentials({ env: {}, homeDir: home, region: 'cn-beijing' }));
  assert.equal(r2.region, 'cn-beijing');
  assert.equal(r2.regionSource, 'setting');
});

test('aliyun CLI: chosen profile in StsToken mode; ALIBABA_CLOUD_PROFILE also chooses', async () => {
  const home = tempHome({ aliyun: cliConfig });
  const r = found(await resolveCredentials({ env: {}, homeDir: home, profile: 'sts' }));
  assert.equal(r.profile, 'sts');
  assert.equal(r.kind, 'sts');
  assert.equal(r.credentials.securityToken, TOKEN);
  assert.equal(r.region, 'cn-beijing');
  assertNoSecret(r, 'sts-secret-xyz', TOKEN);
  const model = await toCredential(r).getCredential();
  assert.equal(model.type, 'sts');
  assert.equal(model.accessKeyId, 'STS.KEYID0000000003');
  assert.equal(model.securityToken, TOKEN);

  const r2 = found(await resolveCredentials({ env: { ALIBABA_CLOUD_PROFILE: 'default' }, homeDir: home }));
  assert.equal(r2.profile, 'default');
  assert.equal(r2.region, 'cn-shanghai');
});

test('aliyun CLI: unsupported modes (CloudSSO, OIDC) give a clear result that says what to do, quickly, without network', async () => {
  const home = tempHome({ aliyun: cliConfig });
  const t0 = Date.now();
  const r = await resolveCredentials({ env: {}, homeDir: home, profile: 'sso' });
  assert.ok(Date.now() - t0 < 200);
  assert.equal(r.ok, false);
  assert.ok(!r.ok);
  assert.equal(r.reason, 'unsupported-mode');
  assert.match(r.message, /mode CloudSSO, which is not supported: .*export the temporary credentials as ALIBABA_CLOUD_ACCESS_KEY_ID/);
  assertNoSecret(r, 'sso-secret');

  const r2 = await resolveCredentials({ env: {}, homeDir: home, profile: 'oidc' });
  assert.ok(!r2.ok);
  assert.match(r2.message, /mode OIDC, which is not supported: .*RamRoleArn/);
});

test('aliyun CLI unsupported mode falls through to ~/.alibabacloud/credentials, keeping the problem', async () => {
  const home = tempHome({ aliyun: { current: 'sso', profiles: cliConfig.profiles }, ini: iniText });
  const r = found(await resolveCredentials({ env: {}, homeDir: home }));
  assert.equal(r.source, 'credentials-file');
  assert.equal(r.profile, 'default');
  assert.equal(r.credentials.accessKeyId, 'INIDEFAULTKEYID00005');
  assert.equal(r.region, undefined);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].code, 'unsupported-mode');
  const desc = describeCredentialSource(r, undefined, home);
  assert.equal(desc, 'AccessKey INID****0005 from [default] in ~/.alibabacloud/credentials, no region');
  assertNoSecret(r, 'ini-default-secret', 'sso-secret');
});

test('credentials file: chosen section, unsupported type, ALIBABA_CLOUD_CREDENTIALS_FILE, CLI disabled', async () => {
  const home = tempHome({ aliyun: cliConfig, ini: iniText });
  // CLI config wins over the ini file, like the official chain…
  assert.equal(found(await resolveCredentials({ env: {}, homeDir: home })).source, 'aliyun-cli');
  // …unless disabled.
  const r = found(await resolveCredentials({ env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }, homeDir: home, profile: 'project' }));
  assert.equal(r.source, 'credentials-file');
  assert.equal(r.profile, 'project');
  assert.equal(r.credentials.accessKeySecret, 'ini-project-secret');

  const r2 = await resolveCredentials({ env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' }, homeDir: home, profile: 'rsa' });
  assert.ok(!r2.ok);
  assert.equal(r2.reason, 'unsupported-mode');
  assert.match(r2.message, /rsa_key_pair .*use access_key, ram_role_arn, ecs_ram_role or credentials_uri/);

  const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slb-ini-')), 'creds.ini');
  fs.writeFileSync(other, '[default]\ntype = access_key\naccess_key_id = OTHERINIKEYID0007\naccess_key_secret = other-secret\n');
  const r3 = found(await resolveCredentials({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: other }, homeDir: tempHome() }));
  assert.equal(r3.source, 'credentials-file');
  assert.equal(r3.file, other);
});

test('chosen profile missing everywhere is reported, not silently replaced', async () => {
  const home = tempHome({ aliyun: cliConfig, ini: iniText });
  const r = await resolveCredentials({ env: {}, homeDir: home, profile: 'nope' });
  assert.ok(!r.ok);
  assert.equal(r.reason, 'profile-not-found');
  assert.equal(r.problems.length, 2);
});

test('broken files are reported, not thrown', async () => {
  const home = tempHome({ aliyun: '{ not json', ini: '[default]\ntype = access_key\naccess_key_id = X1234567890\n' });
  const r = await resolveCredentials({ env: {}, homeDir: home });
  assert.ok(!r.ok);
  assert.deepEqual(r.problems.map((p) => p.code), ['invalid-json', 'incomplete']);
});

test('nothing configured: quick, clear "no credentials" result', async () => {
  const home = tempHome();
  const t0 = performance.now();
  const r = await resolveCredentials({ env: {}, homeDir: home });
  const ms = performance.now() - t0;
  assert.ok(ms < 1500, `took ${ms} ms`); // no network probe (the stock chain waits 5 s); generous for a loaded CI machine
  assert.ok(!r.ok);
  assert.equal(r.reason, 'none');
  assert.match(r.message, /No Alibaba Cloud credentials found/);
  assert.deepEqual(r.problems, []);
  assert.equal(describeCredentialSource(r), r.message);
});

test('nothing configured with a home that does not exist', async () => {
  const r = await resolveCredentials({ env: {}, homeDir: path.join(os.tmpdir(), 'does-not-exist-' + process.pid) });
  assert.ok(!r.ok);
  assert.equal(r.reason, 'none');
});

test('access_key credential for openapi-core is static (no provider chain)', async () => {
  const r = found(await resolveCredentials({ explicit: { accessKeyId: ID, accessKeySecret: SECRET }, env: {} }));
  const model = await toCredential(r).getCredential();
  assert.equal(model.type, 'access_key');
  assert.equal(model.accessKeyId, ID);
  assert.equal(model.accessKeySecret, SECRET);
  assert.equal(model.providerName, 'static_ak');
});
