// SlbCatalog against the real local SLB sandbox: paging, listener batches, error status (kept,
// logged once), no overlapping refreshes, bounded timeouts, other-region lookups, health.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_SEED, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle, SeedObject } from '../../sandbox/src/index';
import { SlbCatalog, SlbCatalogOptions } from '../../server/src/engine/cloud/catalog';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';

const EXTRA = 22;
function pagingSeed(): SeedObject {
  const seed = JSON.parse(JSON.stringify(DEFAULT_SEED)) as SeedObject;
  for (let i = 0; i < EXTRA; i++) {
    seed.loadBalancers.push({
      LoadBalancerId: `lb-bp1page${String(i).padStart(4, '0')}xyzabcdef`,
      LoadBalancerName: `page_lb_${i}`,
      RegionId: 'cn-hangzhou',
      AddressType: 'internet',
      Listeners: [{ ListenerProtocol: 'tcp', ListenerPort: 2000 + i, BackendServerPort: 3000 + i, Bandwidth: -1 }],
    });
  }
  return seed;
}

let sb: SandboxHandle;
const logs: string[] = [];

function catalog(over: Partial<SlbCatalogOptions> = {}, secret = DEFAULT_ACCESS_KEY_SECRET): SlbCatalog {
  const clients = new Map<string, SlbClient>();
  return new SlbCatalog({
    region: 'cn-hangzhou',
    refreshMinutes: 0,
    log: (level, message) => logs.push(`${level} ${message}`),
    clientFor: (region) => {
      let c = clients.get(region);
      if (!c) {
        c = new SlbClient({ credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: secret }, regionId: region, endpoint: sb.url, connectTimeoutMs: 1000, readTimeoutMs: 2000, retry: { maxAttempts: 1 } });
        clients.set(region, c);
      }
      return c;
    },
    ...over,
  });
}

const calls = (action: string) => sb.state().requests.filter((r) => r.action === action).length;

before(async () => {
  sb = await startSandbox({ port: 0, dataPlane: false, seed: pagingSeed() });
});
after(async () => {
  await sb?.close();
});
beforeEach(async () => {
  await sb.reset();
  logs.length = 0;
});

describe('SlbCatalog refresh', () => {
  it('walks every page of DescribeLoadBalancers and batches listener calls by 10 SLBs', async () => {
    const c = catalog({ pageSize: 10 });
    assert.equal(c.status().state, 'idle');
    assert.equal(c.snapshot(), undefined);
    await c.refresh();
    const snap = c.trustedSnapshot()!;
    const inRegion = DEFAULT_SEED.loadBalancers.filter((lb) => lb.RegionId === 'cn-hangzhou').length + EXTRA;
    assert.equal(snap.slbs.length, inRegion);
    assert.equal(calls('DescribeLoadBalancers'), Math.ceil(inRegion / 10));
    assert.equal(calls('DescribeLoadBalancerListeners'), Math.ceil(inRegion / 10));
    const redis = snap.byName.get('slb_redis_app')![0];
    assert.deepEqual(redis.listeners.map((l) => [l.protocol, l.port, l.backendPort, l.status]), [['tcp', 6379, 6379, 'running'], ['http', 8080, 8080, 'stopped']]);
    assert.equal(snap.byId.get('lb-bp1page0021xyzabcdef')!.listeners[0].backendPort, 3021);
    assert.equal(snap.byName.get('slb_shared_name')!.length, 2);
    assert.ok(snap.slbs.every((s) => s.listenersKnown));
    assert.ok(!snap.byName.has('slb_beijing_web'), 'only the chosen region');
    const s = c.status();
    assert.equal(s.state, 'ready');
    assert.equal(s.count, inRegion);
    c.dispose();
  });

  it('never overlaps: concurrent refreshes join the running one', async () => {
    sb.injectFault({ action: 'DescribeLoadBalancers', kind: 'slow', delayMs: 400, times: 1 });
    const c = catalog();
    let changes = 0;
    c.onDidChange(() => changes++);
    const all = [c.refresh(), c.refresh(), c.refresh(), c.refresh()];
    assert.equal(c.status().refreshing, true);
    assert.equal(c.status().state, 'loading');
    await Promise.all(all);
    assert.equal(calls('DescribeLoadBalancers'), 1);
    assert.equal(c.stats.refreshes, 1);
    assert.equal(c.stats.overlapsAvoided, 3);
    assert.ok(changes >= 2);
    assert.equal(c.status().state, 'ready');
    c.dispose();
  });

  it('keeps an API error as a status (logged once), keeps the old snapshot for completion but not for checks', async () => {
    const c = catalog();
    await c.refresh();
    const good = c.snapshot();
    assert.ok(good);
    sb.injectFault({ action: 'DescribeLoadBalancers', kind: 'server-error-html', times: -1 });
    await c.refresh();
    await c.refresh();
    await c.refresh();
    const s = c.status();
    assert.equal(s.state, 'error');
    assert.match(s.error!.code, /BadResponse/);
    assert.match(s.error!.message, /HTML/);
    assert.equal(c.snapshot(), good, 'completion keeps the last good snapshot');
    assert.equal(c.trustedSnapshot(), undefined, 'no online findings while stale with an error');
    assert.equal(logs.filter((l) => l.includes('refresh failed')).length, 1, logs.join('\n'));
    sb.clearFaults();
    await c.refresh();
    assert.equal(c.status().state, 'ready');
    assert.ok(c.trustedSnapshot());
    c.dispose();
  });

  it('a wrong secret is a typed error status that never contains the secret', async () => {
    const secret = 'catalog-wrong-secret-must-not-leak';
    const c = catalog({}, secret);
    await c.refresh();
    const s = c.status();
    assert.equal(s.state, 'error');
    assert.equal(s.error!.code, 'SignatureDoesNotMatch');
    assert.ok(!JSON.stringify(s).includes(secret));
    assert.ok(!logs.join('\n').includes(secret));
    assert.equal(c.snapshot(), undefined);
    c.dispose();
  });

  it('a hung API is bounded by the read timeout and the refresh deadline', async () => {
    sb.injectFault({ action: 'DescribeLoadBalancers', kind: 'hang', times: 1 });
    const c = catalog({ readTimeoutMs: 300, refreshTimeoutMs: 2000 });
    const t0 = Date.now();
    await c.refresh();
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
    assert.equal(c.status().state, 'error');
    assert.equal(c.status().error!.kind, 'timeout');
    c.dispose();
  });

  it('with no client (no credentials) there is nothing, immediately', async () => {
    const c = new SlbCatalog({ region: 'cn-hangzhou' });
    await c.refresh();
    assert.equal(c.status().state, 'off');
    assert.equal(c.snapshot(), undefined);
    assert.equal(sb.state().requests.length, 0);
    c.dispose();
  });

  it('a region change drops the snapshot and ignores the answer of the old refresh', async () => {
    sb.injectFault({ action: 'DescribeLoadBalancers', kind: 'slow', delayMs: 300, times: 1 });
    const c = catalog();
    const first = c.refresh();
    c.configure({ region: 'cn-beijing' });
    await first;
    assert.equal(c.snapshot(), undefined);
    await c.refresh();
    assert.deepEqual(c.snapshot()!.slbs.map((s) => s.name), ['slb_beijing_web']);
    c.dispose();
  });
});

describe('SlbCatalog other regions and health', () => {
  it('finds a name or an ID in another region, in the background, once', async () => {
    const c = catalog();
    await c.refresh();
    let changes = 0;
    c.onDidChange(() => changes++);
    c.locateElsewhere(['slb_beijing_web', 'nope_nowhere', 'lb-2zeh8lgvz3l7ax1k9vyb3']);
    assert.equal(c.elsewhereOf('slb_beijing_web'), undefined, 'not known synchronously');
    await c.idle();
    assert.deepEqual(c.elsewhereOf('slb_beijing_web'), { regions: ['cn-beijing'] });
    assert.deepEqual(c.elsewhereOf('nope_nowhere'), { regions: [] });
    assert.deepEqual(c.elsewhereOf('lb-2zeh8lgvz3l7ax1k9vyb3'), { regions: ['cn-beijing'] });
    assert.equal(changes, 1);
    const before = sb.state().requests.length;
    c.locateElsewhere(['slb_beijing_web', 'nope_nowhere']);
    await c.idle();
    assert.equal(sb.state().requests.length, before, 'cached: no new calls');
    c.dispose();
  });

  it('fetches backend health for the hover card in the background and caches it', async () => {
    const c = catalog();
    await c.refresh();
    const id = c.snapshot()!.byName.get('slb_redis_app')![0].id;
    assert.equal(c.healthOf(id), undefined);
    await new Promise((r) => setTimeout(r, 300));
    const h = c.healthOf(id)!;
    assert.ok(h && Array.isArray(h.servers));
    assert.equal(calls('DescribeHealthStatus'), 1);
    c.dispose();
  });
});
