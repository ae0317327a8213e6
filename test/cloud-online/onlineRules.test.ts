// onlineRules on fixed catalog snapshots (no network): codes, severities, exact spans, messages, fixes.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { slbCard, toCloudSlbs } from '../../server/src/engine/cloud/card';
import type { CatalogSlb, CatalogSnapshot } from '../../server/src/engine/cloud/catalog';
import { checkOnline, OnlineInputs } from '../../server/src/engine/cloud/onlineRules';
import { setLocale } from '../../server/src/engine/i18n';

function slb(id: string, name: string, over: Partial<CatalogSlb> = {}): CatalogSlb {
  return { id, name, regionId: 'cn-hangzhou', status: 'active', address: '47.1.2.3', addressType: 'internet', networkType: 'vpc', listeners: [], listenersKnown: true, ...over };
}

function snapshot(slbs: CatalogSlb[]): CatalogSnapshot {
  const byName = new Map<string, CatalogSlb[]>();
  for (const s of slbs) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return { region: 'cn-hangzhou', fetchedAt: 0, slbs, byId: new Map(slbs.map((s) => [s.id, s])), byName };
}

const SNAP = snapshot([
  slb('lb-bp1redis000000000001', 'redis_app', { listeners: [{ port: 6379, protocol: 'tcp', backendPort: 6379, status: 'running' }, { port: 443, protocol: 'https', backendPort: 8443, status: 'running' }] }),
  slb('lb-bp1web00000000000001', 'web', { listeners: [{ port: 80, protocol: 'http', backendPort: 8080, status: 'running' }] }),
  slb('lb-bp1twin0000000000001', 'twin', { address: '10.0.0.1', addressType: 'intranet' }),
  slb('lb-bp1twin0000000000002', 'twin'),
  slb('lb-bp1off00000000000001', 'off_lb', { status: 'inactive' }),
  slb('lb-bp1lock0000000000001', 'locked_lb', { status: 'locked' }),
  slb('lb-bp1vpc00000000000001', 'inner', { address: '10.0.0.9', addressType: 'intranet' }),
  slb('lb-bp1unk00000000000001', 'unknown_listeners', { listenersKnown: false }),
]);

function run(labels: string, ports = '"6379:6379"', inputs: Partial<OnlineInputs> = {}) {
  const text = `services:\n  app:\n    image: x\n    ports:\n      - ${ports}\n    labels:\n${labels.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
  const analysis = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' });
  const r = checkOnline(analysis.bindings, { snapshot: SNAP, ...inputs });
  const at = (f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end);
  return { ...r, text, at, codes: r.findings.map((f) => f.code) };
}

describe('checkOnline', () => {
  setLocale('en');

  it('says nothing without a snapshot (no credentials, not loaded, or stale with an error)', () => {
    const r = run('aliyun.lb.port_6379: tcp://nowhere:6379', undefined, { snapshot: undefined });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.missing, []);
  });

  it('says nothing for a label that matches a running listener, by name or by ID', () => {
    assert.deepEqual(run('aliyun.lb.port_6379: tcp://redis_app:6379').findings, []);
    assert.deepEqual(run('aliyun.lb.port_6379: tcp://lb-bp1redis000000000001:6379').findings, []);
  });

  describe('slb-not-found', () => {
    it('slb-not-found on the SLB span, with the region, and the other region when known', () => {
      const r = run('aliyun.lb.port_6379: tcp://ghost:6379');
      assert.deepEqual(r.codes, ['slb-not-found']);
      assert.equal(r.at(r.findings[0]), 'ghost');
      assert.equal(r.findings[0].severity, 'warning');
      assert.match(r.findings[0].message, /No SLB named 'ghost' in region cn-hangzhou/);
      assert.deepEqual(r.missing, ['ghost']);
      const elsewhere = run('aliyun.lb.port_6379: tcp://ghost:6379', undefined, { elsewhereOf: (ref) => (ref === 'ghost' ? { regions: ['cn-beijing'] } : undefined) });
      assert.match(elsewhere.findings[0].message, /one exists in cn-beijing/);
    });
  });

  describe('slb-not-found', () => {
    it('slb-not-found for an old-style ID names the region encoded in it', () => {
      const r = run('aliyun.lb.port_6379: tcp://14a7ba06d3b-cn-shanghai-dg-a01:6379');
      assert.deepEqual(r.codes, ['slb-not-found']);
      assert.match(r.findings[0].message, /is not in region cn-hangzhou: it is in cn-shanghai/);
    });
  });

  describe('slb-not-found', () => {
    it('slb-not-found is skipped for names with variables', () => {
      assert.deepEqual(run('aliyun.lb.port_6379: tcp://${SLB}:6379').findings, []);
    });
  });

  describe('slb-name-ambiguous', () => {
    it('slb-name-ambiguous lists the IDs and offers one fix per ID on the SLB span', () => {
      const r = run('aliyun.lb.port_6379: tcp://twin:6379');
      assert.deepEqual(r.codes, ['slb-name-ambiguous']);
      const f = r.findings[0];
      assert.equal(r.at(f), 'twin');
      assert.match(f.message, /lb-bp1twin0000000000001, lb-bp1twin0000000000002/);
      assert.deepEqual(f.fixes!.map((x) => x.edits[0].newText), ['lb-bp1twin0000000000001', 'lb-bp1twin0000000000002']);
      assert.ok(f.fixes!.every((x) => r.text.slice(x.edits[0].span.start, x.edits[0].span.end) === 'twin'));
    });
  });

  describe('slb-inactive', () => {
    it('slb-inactive for inactive and locked SLBs', () => {
      const off = run('aliyun.lb.port_6379: tcp://off_lb:6379');
      assert.ok(off.codes.includes('slb-inactive'));
      assert.match(off.findings.find((f) => f.code === 'slb-inactive')!.message, /is inactive/);
      const locked = run('aliyun.lb.port_6379: tcp://locked_lb:6379');
      assert.match(locked.findings.find((f) => f.code === 'slb-inactive')!.message, /locked/);
    });
  });

  describe('slb-listener-missing', () => {
    it('slb-listener-missing is information on the front port span', () => {
      const r = run('aliyun.lb.port_6379: tcp://redis_app:16379');
      assert.deepEqual(r.codes, ['slb-listener-missing']);
      assert.equal(r.findings[0].severity, 'information');
      assert.equal(r.at(r.findings[0]), '16379');
      assert.match(r.findings[0].message, /No listener on front port 16379 of SLB 'redis_app' yet: run 'Provision listener'/);
    });
  });

  describe('slb-listener-mismatch', () => {
    it('slb-listener-mismatch: another protocol on the port, or another backend port', () => {
      const proto = run('aliyun.lb.port_6379: http://redis_app:6379');
      assert.deepEqual(proto.codes, ['slb-listener-mismatch']);
      assert.equal(proto.at(proto.findings[0]), '6379');
      assert.match(proto.findings[0].message, /already has a TCP listener, but this label needs HTTP/);
      const backend = run('aliyun.lb.port_6379: tcp://redis_app:6379', '"16379:6379"');
      assert.deepEqual(backend.codes, ['slb-listener-mismatch']);
      assert.match(backend.findings[0].message, /forwards to backend port 6379, but this service publishes host port 16379/);
    });
  });

  it('a UDP label does not clash with a TCP listener on the same port number', () => {
    const r = run('aliyun.lb.port_6379: udp://redis_app:6379', '"6379:6379/udp"');
    assert.deepEqual(r.codes, ['slb-listener-missing']);
  });

  describe('slb-https-no-certificate', () => {
    it('an https listener without a certificate: warning on the front port', () => {
      const https = run('aliyun.lb.port_8443: https://redis_app:443', '"8443:8443"');
      assert.deepEqual(https.codes, ['slb-https-no-certificate']);
      assert.equal(https.findings[0].severity, 'warning');
      assert.equal(https.at(https.findings[0]), '443');
    });
  });

  describe('slb-intranet', () => {
    it('intranet information, once, on the SLB', () => {
      const inner = run('aliyun.lb.port_6379: tcp://inner:6379');
      assert.deepEqual(inner.codes, ['slb-intranet', 'slb-listener-missing']);
      assert.equal(inner.findings[0].severity, 'information');
      assert.equal(inner.at(inner.findings[0]), 'inner');
    });
  });

  it('https without a certificate, intranet information, unknown listeners', () => {
    const https = run('aliyun.lb.port_8443: https://redis_app:443', '"8443:8443"');
    assert.deepEqual(https.codes, ['slb-https-no-certificate']);
    const inner = run('aliyun.lb.port_6379: tcp://inner:6379');
    assert.deepEqual(inner.codes, ['slb-intranet', 'slb-listener-missing']);
    assert.equal(inner.findings[0].severity, 'information');
    assert.deepEqual(run('aliyun.lb.port_6379: tcp://unknown_listeners:6379').findings, [], 'no listener checks when listeners are unknown');
  });

  it('messages are translated in zh-cn', () => {
    setLocale('zh-cn');
    try {
      const r = run('aliyun.lb.port_6379: tcp://ghost:6379');
      assert.match(r.findings[0].message, /[\u4e00-\u9fff]/);
    } finally {
      setLocale('en');
    }
  });
});

describe('card and completion items', () => {
  it('builds a card with address, type, status, network type and listeners', () => {
    const card = slbCard(SNAP, 'redis_app')!;
    assert.match(card, /lb-bp1redis000000000001/);
    // Compact: the facts on one line.
    assert.match(card, /`lb-bp1redis000000000001` · 47\.1\.2\.3 \(internet\) · Status: active · cn-hangzhou · vpc/);
    assert.match(card, /\| 6379 \| TCP \| 6379 \| running \|/);
    assert.match(slbCard(SNAP, 'twin')!, /2 SLBs share the name 'twin'/);
    assert.match(slbCard(SNAP, 'ghost')!, /No SLB 'ghost' in region cn-hangzhou/);
    assert.equal(slbCard(undefined, 'redis_app'), undefined);
  });

  it('maps the snapshot to completion items', () => {
    const items = toCloudSlbs(SNAP)!;
    const redis = items.find((i) => i.name === 'redis_app')!;
    assert.deepEqual(redis, { id: 'lb-bp1redis000000000001', name: 'redis_app', address: '47.1.2.3', addressType: 'internet', status: 'active', listeners: ['TCP 6379 → 6379 (running)', 'HTTPS 443 → 8443 (running)'] });
    assert.equal(toCloudSlbs(undefined), undefined);
  });
});

describe('slb-listener-stopped', () => {
  it('a warning with the provisioning quick fix on an active SLB; nothing more on an inactive one (slb-inactive says it)', () => {
    const stoppedOn = (status: string) => snapshot([slb('lb-bp1stop0000000000001', 'stopper', { status, listeners: [{ port: 6379, protocol: 'tcp', backendPort: 6379, status: 'stopped' }] })]);
    const text = 'services:\n  app:\n    ports: ["6379:6379"]\n    labels:\n      aliyun.lb.port_6379: tcp://stopper:6379\n';
    const bindings = new ComposeAnalyzer().analyze(text).bindings;
    const active = checkOnline(bindings, { snapshot: stoppedOn('active') }).findings;
    assert.deepEqual(active.map((f) => [f.code, f.severity]), [['slb-listener-stopped', 'warning']]);
    assert.equal(active[0].fixes?.[0].command?.command, 'aliyunSlbLabels.provision');
    assert.deepEqual(checkOnline(bindings, { snapshot: stoppedOn('inactive') }).findings.map((f) => f.code), ['slb-inactive']);
  });
});
