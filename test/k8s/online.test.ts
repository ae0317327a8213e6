// Online checks of Service manifests over LSP: the real server (stdio) against the real local
// sandbox, whose seed gains one CLB a cluster created (tags kubernetes.do.not.delete, ack.aliyun.com).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { loadSeed } from '../../sandbox/src/store';
import { checkManifestOnline } from '../../server/src/engine/k8s/onlineRules';
import { parseManifest } from '../../server/src/engine/k8s/parse';
import { SlbCatalog } from '../../server/src/engine/cloud/catalog';
import { CloudLspClient, positionOf } from '../cloud-online/lspCloudClient';
import { CERT_ID, REDIS_APP_ID, sandboxClient } from '../helpers/sandbox';
import { applyEdits } from './helpers';

const CLUSTER_MADE_ID = 'lb-bp1k8sclustermade0001';
const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
const online = (d: Diagnostic) => /^k8s-(clb-not-found|clb-id-is-name|clb-not-reusable|listener-|clb-address-type|clb-ingress-mismatch|clb-immutable-mismatch|cert-)/.test(String(d.code));

function seed() {
  const s = loadSeed(undefined);
  const template = s.loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!;
  s.loadBalancers.push({ ...structuredClone(template), LoadBalancerId: CLUSTER_MADE_ID, LoadBalancerName: 'a1b2c3d4e5f6', Tags: [{ TagKey: 'kubernetes.do.not.delete', TagValue: 'a1b2c3d4e5f6' }, { TagKey: 'ack.aliyun.com', TagValue: 'c0ffee' }], Listeners: [] } as typeof template);
  return s;
}

function service(name: string, annotations: Record<string, string>, ports: string): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n${lines.join('\n')}\nspec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n${ports}`;
}

describe('Kubernetes online checks against the sandbox', () => {
  let sandbox: SandboxHandle;
  let home = '';
  let client: CloudLspClient;
  before(async () => {
    sandbox = await startSandbox({ port: 0, dataPlane: false, seed: seed() });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-online-home-'));
    const env = { PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
    client = await CloudLspClient.start({ env, settings: { region: 'cn-hangzhou', endpoint: sandbox.url, yamlSyntaxErrors: 'all' }, workspaceTrusted: true });
  });
  after(async () => {
    await client?.stop();
    await sandbox?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('an id that is a name: offers the ID the catalog resolves it to, as a quick fix', async () => {
    const uri = 'file:///ws/k8s-online/name.yaml';
    const text = service('redis', { id: 'slb_redis_app', 'force-override-listeners': 'true' }, '  - {port: 6379, targetPort: 6379}\n');
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-clb-id-is-name'), 15000);
    assert.ok(p.diagnostics.some((d) => d.code === 'k8s-clb-id-not-id'), 'the offline R2 error stays');
    const d = p.diagnostics.find((x) => x.code === 'k8s-clb-id-is-name')!;
    assert.match(d.message, new RegExp(REDIS_APP_ID));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].isPreferred, true);
    const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
    assert.match(fixed, new RegExp(`loadbalancer-id: "${REDIS_APP_ID}"`));
    const after = await client.replace(uri, fixed);
    const settled = after.diagnostics.some(online) ? after : await client.diagnosticsWhere(uri, (x) => !x.diagnostics.some((y) => String(y.code).startsWith('k8s-clb-id')), 10000);
    assert.ok(!settled.diagnostics.some((y) => String(y.code).startsWith('k8s-clb-id')), JSON.stringify(settled.diagnostics));
  });

  it('a CLB that is not in the region, and one a cluster created (not reusable)', async () => {
    const uri = 'file:///ws/k8s-online/missing.yaml';
    const text = `${service('a', { id: 'lb-bp1doesnotexist0000000' }, '  - {port: 80}\n')}---\n${service('b', { id: CLUSTER_MADE_ID }, '  - {port: 81}\n')}`;
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-clb-not-reusable') && x.diagnostics.some((d) => d.code === 'k8s-clb-not-found'), 15000);
    const missing = p.diagnostics.find((d) => d.code === 'k8s-clb-not-found')!;
    assert.deepEqual(missing.range.start, positionOf(text, 'lb-bp1doesnotexist0000000'));
    assert.match(missing.message, /cn-hangzhou/);
    const reused = p.diagnostics.find((d) => d.code === 'k8s-clb-not-reusable')!;
    assert.match(reused.message, /kubernetes\.do\.not\.delete|ack\.aliyun\.com/);
  });

  it('listeners: without override nothing is created (warning) or changed (information); with override a protocol clash is an error and a takeover is said', async () => {
    const uri = 'file:///ws/k8s-online/listeners.yaml';
    // slb_redis_app has tcp 6379 and http 8080.
    const text = `${service('no-override', { id: REDIS_APP_ID }, '  - {name: a, port: 6379}\n  - {name: b, port: 7000}\n')}---\n${service('override', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, '  - {name: c, port: 8080}\n')}---\n${service('takeover', { id: REDIS_APP_ID, 'force-override-listeners': 'true', 'protocol-port': 'http:8080' }, '  - {name: d, port: 8080}\n')}`;
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-listener-protocol-conflict'), 15000);
    const at = (needle: string) => p.diagnostics.filter((d) => d.range.start.line === positionOf(text, needle).line).map((d) => `${d.code}/${d.severity}`);
    assert.deepEqual(at('{name: a, port: 6379}'), ['k8s-listener-not-managed/3']);
    assert.deepEqual(at('{name: b, port: 7000}'), ['k8s-listener-not-managed/2']);
    assert.deepEqual(at('{name: c, port: 8080}'), ['k8s-listener-protocol-conflict/1']);
    // the takeover Service also shares port 8080 with 'override' (R12) on the same CLB.
    assert.deepEqual(at('{name: d, port: 8080}').sort(), ['k8s-clb-port-shared/1', 'k8s-listener-takeover/3']);
  });

  it('k8s-clb-address-type: a reused internet CLB with address-type intranet', async () => {
    const uri = 'file:///ws/k8s-online/address.yaml';
    const text = service('redis', { id: REDIS_APP_ID, 'address-type': 'intranet' }, '  - {port: 6379}\n');
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-clb-address-type'), 15000);
    const d = p.diagnostics.find((x) => x.code === 'k8s-clb-address-type')!;
    assert.deepEqual(d.range.start, positionOf(text, 'intranet'));
    assert.match(d.message, /is internet, but address-type asks for intranet/);
  });

  /** The address the sandbox gave a CLB (the catalog reads it from DescribeLoadBalancers). */
  async function addressOf(id: string): Promise<string> {
    const catalog = new SlbCatalog({ clientFor: (region) => sandboxClient(sandbox, region), region: 'cn-hangzhou', refreshMinutes: 0 });
    try {
      await catalog.refresh();
      return catalog.trustedSnapshot()!.byId.get(id)!.address!;
    } finally {
      catalog.dispose();
    }
  }
  const status = (ingress: string) => `status:\n  loadBalancer:\n    ingress:\n${ingress}`;

  it('k8s-clb-ingress-mismatch (R4): a status IP other than the reused CLB address is a warning; the same IP or a hostname-only entry is fine', async () => {
    const address = await addressOf(REDIS_APP_ID);
    const uri = 'file:///ws/k8s-online/ingress.yaml';
    const base = service('redis', { id: REDIS_APP_ID }, '  - {port: 6379}\n');
    const text = `${base}${status('    - ip: 10.250.0.9\n')}`;
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-clb-ingress-mismatch'), 15000);
    const d = p.diagnostics.find((x) => x.code === 'k8s-clb-ingress-mismatch')!;
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range.start, positionOf(text, REDIS_APP_ID));
    assert.match(d.message, new RegExp(`10\\.250\\.0\\.9, but CLB ${REDIS_APP_ID} has address ${address.replace(/\./g, '\\.')}`));
    assert.deepEqual(d.relatedInformation?.[0].location.range.start, positionOf(text, '- ip: 10.250.0.9'));
    for (const fine of [`${base}${status(`    - ip: ${address}\n`)}`, `${base}${status('    - hostname: redis.example.com\n')}`, base]) {
      const again = await client.replace(uri, fine);
      const settled = again.diagnostics.some(online) ? again : await client.diagnosticsWhere(uri, (x) => x.diagnostics.some(online), 3000).catch(() => again);
      assert.ok(!settled.diagnostics.some((x) => x.code === 'k8s-clb-ingress-mismatch'), `${fine}\n${JSON.stringify(settled.diagnostics)}`);
    }
  });

  it('k8s-clb-immutable-mismatch (R10): creation-only annotations that differ from the reused CLB are errors with a fix; equal ones say nothing', async () => {
    const uri = 'file:///ws/k8s-online/immutable.yaml';
    const text = service('redis', { id: REDIS_APP_ID, 'master-zoneid': 'cn-hangzhou-k', 'slave-zoneid': 'cn-hangzhou-i', 'resource-group-id': 'rg-acfmxazb4ph6aiy', 'ip-version': 'ipv6' }, '  - {port: 6379}\n');
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.filter((d) => d.code === 'k8s-clb-immutable-mismatch').length === 2, 15000);
    const found = p.diagnostics.filter((d) => d.code === 'k8s-clb-immutable-mismatch');
    assert.deepEqual(found.map((d) => d.range.start), [positionOf(text, 'cn-hangzhou-k'), positionOf(text, 'ipv6')]);
    assert.ok(found.every((d) => d.severity === 1));
    assert.match(found[0].message, /master-zoneid is cn-hangzhou-k, but CLB lb-\w+ has cn-hangzhou-h/);
    const [action] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: found[0].range, context: { diagnostics: [found[0]] } });
    assert.match(applyEdits(text, action.edit!.changes![uri]), /master-zoneid: "cn-hangzhou-h"/);
  });

  it('k8s-clb-immutable-mismatch (R10) on the CLB the CCM created, found by the exported status IP: a warning', async () => {
    const address = await addressOf(CLUSTER_MADE_ID);
    const uri = 'file:///ws/k8s-online/immutable-created.yaml';
    const text = `${service('made', { 'master-zoneid': 'cn-hangzhou-k', 'address-type': 'intranet' }, '  - {port: 80}\n')}${status(`    - ip: ${address}\n`)}`;
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.filter((d) => d.code === 'k8s-clb-immutable-mismatch').length === 2, 15000);
    const found = p.diagnostics.filter((d) => d.code === 'k8s-clb-immutable-mismatch');
    assert.ok(found.every((d) => d.severity === 2), JSON.stringify(found));
    assert.match(found[0].message, new RegExp(`which the CCM created for this Service \\(its status IP ${address.replace(/\./g, '\\.')}\\)`));
  });

  it('completes CLB IDs with name, address and status, and certificate IDs for cert-id', async () => {
    const uri = 'file:///ws/k8s-online/complete.yaml';
    const text = service('web', { id: '', 'cert-id': '', 'protocol-port': 'https:443' }, '  - {port: 443}\n');
    await client.open(uri, text, 'yaml');
    await client.diagnosticsWhere(uri, () => true);
    const ids = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'loadbalancer-id: "', 18) }));
    const redis = ids.find((i) => i.label === REDIS_APP_ID)!;
    assert.ok(redis, ids.map((i) => i.label).join(' '));
    assert.match(redis.detail!, /slb_redis_app · 127\.0\.0\.\d+ · internet · active/);
    assert.equal((redis.textEdit as TextEdit).newText, REDIS_APP_ID);
    // Certificates are fetched in the background on first use: ask until they are there (bounded).
    let certs: CompletionItem[] = [];
    for (let i = 0; i < 50 && certs.length === 0; i++) {
      certs = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'cert-id: "', 10) }));
      if (certs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(certs.map((c) => c.label), [CERT_ID]);
    assert.match(certs[0].detail!, /demo-slb-sandbox-test · expires 20\d\d-/);
  });

  it('a certificate that does not exist is an error once the certificates are known', async () => {
    const uri = 'file:///ws/k8s-online/cert.yaml';
    const text = service('web', { 'protocol-port': 'https:443', 'cert-id': '1231579085529123_nope' }, '  - {port: 443}\n');
    await client.open(uri, text, 'yaml');
    const p = await client.diagnosticsWhere(uri, (x) => x.diagnostics.some((d) => d.code === 'k8s-cert-not-found'), 15000);
    assert.deepEqual(p.diagnostics.find((d) => d.code === 'k8s-cert-not-found')!.range.start, positionOf(text, '1231579085529123_nope'));
  });

  it('hover on the id shows the live CLB card', async () => {
    const uri = 'file:///ws/k8s-online/hover.yaml';
    const text = service('redis', { id: REDIS_APP_ID }, '  - {port: 6379}\n');
    await client.open(uri, text, 'yaml');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, REDIS_APP_ID, 3) });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /slb_redis_app/);
    assert.match(value, /live/);
  });

  it('engine: an expired certificate (real sandbox data, clock moved past its expiry)', async () => {
    const slb = sandboxClient(sandbox);
    const body = await slb.describeServerCertificates({ RegionId: 'cn-hangzhou' });
    const certificates = body.ServerCertificates.ServerCertificate.map((c) => ({ id: c.ServerCertificateId!, name: c.ServerCertificateName, expireTime: c.ExpireTimeStamp }));
    const catalog = new SlbCatalog({ clientFor: (region) => sandboxClient(sandbox, region), region: 'cn-hangzhou', refreshMinutes: 0 });
    await catalog.refresh();
    const manifest = parseManifest(service('web', { 'protocol-port': 'https:443', 'cert-id': CERT_ID }, '  - {port: 443}\n'));
    const inputs = { snapshot: catalog.trustedSnapshot(), certificates };
    assert.deepEqual(checkManifestOnline(manifest, { ...inputs, now: Date.now() }), []);
    const later = checkManifestOnline(manifest, { ...inputs, now: certificates[0].expireTime! + 1 });
    assert.deepEqual(later.map((f) => f.code), ['k8s-cert-expired']);
    catalog.dispose();
  });
});
