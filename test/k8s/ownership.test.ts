// Findings that depend on who makes the listeners: a Service another controller owns (NLB through
// spec.loadBalancerClass, or the class annotation) is not judged by the CLB rules, and on a reused
// CLB without force-override-listeners the CCM makes no listener (R5), so neither a missing
// cert-id nor two Services on one port is a failure there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogSlb, CatalogSnapshot } from '../../server/src/engine/cloud/catalog';
import { checkManifestOnline } from '../../server/src/engine/k8s/onlineRules';
import { parseManifest } from '../../server/src/engine/k8s/parse';
import { checkManifest } from '../../server/src/engine/k8s/rules';

const P = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const CLB = 'lb-bp1hfycf315bn6zfzc0hi';

function service(name: string, annotations: Record<string, string>, ports: string, extraSpec = ''): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    ${k.includes('/') ? k : P + k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n${lines.join('\n')}\nspec:\n  type: LoadBalancer\n${extraSpec}  selector: {app: ${name}}\n  ports:\n${ports}`;
}

const codes = (text: string) => checkManifest(parseManifest(text)).map((f) => f.code);

function snapshot(slb: Partial<CatalogSlb> & { id: string }): CatalogSnapshot {
  const full: CatalogSlb = { name: 'web', regionId: 'cn-hangzhou', listeners: [], listenersKnown: true, addressType: 'internet', ...slb };
  return { region: 'cn-hangzhou', fetchedAt: Date.now(), slbs: [full], byId: new Map([[full.id, full]]), byName: new Map([[full.name, [full]]]) };
}

describe('Services another controller owns (NLB)', () => {
  const nlb = service('nlb', { id: 'nlb-wb7r6dlwetvt5j0001', 'force-override-listeners': 'true', 'protocol-port': 'TCPSSL:443,TCP:80', 'cert-id': '1234-cn-hangzhou', scheduler: 'sch' }, '  - {name: https, port: 443, targetPort: 443}\n  - {name: http, port: 80, targetPort: 80}\n', '  loadBalancerClass: "alibabacloud.com/nlb"\n');

  it('an NLB Service: only the note that the CLB controller skips it, no CLB value judged', () => {
    assert.deepEqual(codes(nlb), ['k8s-annotations-other-controller']);
  });

  it('the same annotations without loadBalancerClass are still judged as CLB annotations (not vacuous)', () => {
    const clb = codes(nlb.replace('  loadBalancerClass: "alibabacloud.com/nlb"\n', ''));
    assert.ok(clb.includes('k8s-clb-id-not-id'), clb.join());
    assert.ok(clb.includes('k8s-protocol-port-scheme'), clb.join());
  });

  it('the class annotation works the same way; unquoted values are still an API-server error', () => {
    const text = service('metallb', { 'service.beta.kubernetes.io/class': 'metallb', id: 'pool-a', 'protocol-port': 'TCP:80' }, '  - {port: 80}\n').replace('"TCP:80"', '"TCP:80"\n    ' + P + 'bandwidth: 100');
    assert.deepEqual(codes(text).sort(), ['k8s-annotation-not-string', 'k8s-annotations-other-controller']);
  });

  it('two NLB Services on one port of one id: no CLB port clash', () => {
    const two = nlb + '---\n' + nlb.replace('name: nlb', 'name: nlb2');
    assert.ok(!codes(two).includes('k8s-clb-port-shared'));
  });

  it('online: an NLB Service gets no CLB findings from the catalog', () => {
    const text = service('nlb', { id: CLB, 'force-override-listeners': 'true' }, '  - {port: 6379}\n', '  loadBalancerClass: "alibabacloud.com/nlb"\n');
    const snap = snapshot({ id: CLB, tags: { 'ack.aliyun.com': 'c0ffee' } });
    assert.deepEqual(checkManifestOnline(parseManifest(text), { snapshot: snap }), []);
    // Without the class the same manifest is judged: the CLB was made by a cluster.
    assert.deepEqual(checkManifestOnline(parseManifest(text.replace('  loadBalancerClass: "alibabacloud.com/nlb"\n', '')), { snapshot: snap }).map((f) => f.code), ['k8s-clb-not-reusable']);
  });
});

describe('a reused CLB without force-override-listeners: the CCM makes no listener', () => {
  const https = (override: boolean) => service('web', { id: CLB, 'protocol-port': 'https:443', ...(override ? { 'force-override-listeners': 'true' } : {}) }, '  - {port: 443, targetPort: 8080}\n');

  it('https without cert-id is not an error there; with override it is', () => {
    assert.ok(!codes(https(false)).includes('k8s-https-without-cert'));
    assert.ok(codes(https(true)).includes('k8s-https-without-cert'));
  });

  it('https without cert-id on a CLB the CCM creates is still an error', () => {
    assert.ok(codes(service('web', { 'protocol-port': 'https:443' }, '  - {port: 443}\n')).includes('k8s-https-without-cert'));
  });

  it('two Services on one port: a clash only when the CCM manages the listeners of both', () => {
    const pair = (a: boolean, b: boolean) => service('a', { id: CLB, ...(a ? { 'force-override-listeners': 'true' } : {}) }, '  - {port: 443}\n') + '\n---\n' + service('b', { id: CLB, ...(b ? { 'force-override-listeners': 'true' } : {}) }, '  - {port: 443}\n');
    assert.ok(!codes(pair(false, false)).includes('k8s-clb-port-shared'));
    assert.ok(!codes(pair(true, false)).includes('k8s-clb-port-shared'));
    assert.ok(codes(pair(true, true)).includes('k8s-clb-port-shared'));
  });

  it('online: a missing certificate is reported only when the CCM would make the https listener', () => {
    const snap = snapshot({ id: CLB, listeners: [{ port: 443, protocol: 'https', status: 'running' }] });
    const text = (override: boolean) => service('web', { id: CLB, 'protocol-port': 'https:443', 'cert-id': 'no-such-cert', ...(override ? { 'force-override-listeners': 'true' } : {}) }, '  - {port: 443}\n');
    const certCodes = (override: boolean) => checkManifestOnline(parseManifest(text(override)), { snapshot: snap, certificates: [] }).map((f) => f.code).filter((c) => c.startsWith('k8s-cert-'));
    assert.deepEqual(certCodes(false), []);
    assert.deepEqual(certCodes(true), ['k8s-cert-not-found']);
  });
});
