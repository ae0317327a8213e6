// The cache of fetched credentials (RamRoleArn, EcsRamRole, CredentialsURI): reused until 3 minutes
// before Expiration, one fetch for concurrent callers, failures not cached. A fake clock.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { REFRESH_MARGIN_MS, RefreshingCredentials } from '../../server/src/engine/cloud/roleCredentials';

function setup(lifetimeMs: number | undefined) {
  let now = 1_000_000;
  let fetches = 0;
  let fail = false;
  const p = new RefreshingCredentials(async () => {
    fetches++;
    await new Promise((r) => setTimeout(r, 5));
    if (fail) throw new Error('STS down');
    return { accessKeyId: `STS.${fetches}`, accessKeySecret: 's', securityToken: 't', expiresAt: lifetimeMs === undefined ? undefined : now + lifetimeMs };
  }, 'ram-role-arn', () => now);
  return { p, fetches: () => fetches, advance: (ms: number) => (now += ms), failNext: (v: boolean) => (fail = v) };
}

test('reused until shortly before expiry, then fetched again', async () => {
  const s = setup(3600_000);
  assert.equal((await s.p.get()).accessKeyId, 'STS.1');
  s.advance(3600_000 - REFRESH_MARGIN_MS - 1_000);
  assert.equal((await s.p.get()).accessKeyId, 'STS.1');
  s.advance(2_000); // now within 3 minutes of Expiration
  assert.equal((await s.p.get()).accessKeyId, 'STS.2');
  assert.equal(s.fetches(), 2);
});

test('concurrent callers share one fetch; a failure is not cached', async () => {
  const s = setup(3600_000);
  const all = await Promise.all([s.p.get(), s.p.get(), s.p.get()]);
  assert.deepEqual(all.map((c) => c.accessKeyId), ['STS.1', 'STS.1', 'STS.1']);
  assert.equal(s.fetches(), 1);
  s.advance(3600_000);
  s.failNext(true);
  await assert.rejects(s.p.get(), /STS down/);
  s.failNext(false);
  assert.equal((await s.p.get()).accessKeyId, 'STS.3');
});

test('short-lived credentials are still reused for half their life (one request never fetches twice); no Expiration = 5 minutes', async () => {
  const s = setup(60_000);
  await s.p.get();
  s.advance(20_000);
  await s.p.get();
  assert.equal(s.fetches(), 1);
  s.advance(15_000);
  await s.p.get();
  assert.equal(s.fetches(), 2);
  const n = setup(undefined);
  await n.p.get();
  n.advance(4 * 60_000);
  await n.p.get();
  assert.equal(n.fetches(), 1);
  n.advance(2 * 60_000);
  await n.p.get();
  assert.equal(n.fetches(), 2);
});

test('it is a CredentialsProvider for @alicloud/credentials: getCredential() of its Credential answers from the cache', async () => {
  const s = setup(3600_000);
  const credential = s.p.toCredential();
  const a = await credential.getCredential();
  const b = await credential.getCredential();
  assert.equal(a.accessKeyId, 'STS.1');
  assert.equal(b.securityToken, 't');
  assert.equal(s.fetches(), 1);
});
