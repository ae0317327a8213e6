// Service manifests through the real language server over stdio (offline): detection by content,
// diagnostics with stable codes and quick fixes, completion of annotation keys and values, hover
// with the port chain. No change for compose files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf, REPO_ROOT } from '../lsp/lspClient';
import { applyEdits } from './helpers';

const FIXTURES = path.join(REPO_ROOT, 'test/k8s/fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

describe('Kubernetes manifests over LSP', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ snippetSupport: true });
  });
  after(async () => {
    await client.stop();
  });

  for (const name of ['redis-worked-example.yaml', 'web-https-new-clb.yaml', 'dns-udp-intranet.yaml']) {
    it(`finds nothing in the valid manifest ${name}`, async () => {
      const { diagnostics } = await client.open(`file:///ws/k8s/${name}`, fixture(name), 'yaml');
      assert.deepEqual(diagnostics, []);
    });
  }

  it('reports each mistake of broken.yaml with its stable code, on its exact span', async () => {
    const text = fixture('broken.yaml');
    const { diagnostics } = await client.open('file:///ws/k8s/broken.yaml', text, 'yaml');
    assert.deepEqual(codes(diagnostics), [
      'k8s-annotation-int', 'k8s-annotation-not-string', 'k8s-annotation-unknown', 'k8s-annotation-value', 'k8s-annotations-not-loadbalancer',
      'k8s-clb-id-not-id', 'k8s-protocol-port-scheme', 'k8s-protocol-port-syntax', 'k8s-protocol-port-unmatched',
    ]);
    const scheme = diagnostics.find((d) => d.code === 'k8s-protocol-port-scheme')!;
    assert.deepEqual(scheme.range.start, positionOf(text, 'HTTPS:443'));
    assert.equal(scheme.range.end.character - scheme.range.start.character, 'HTTPS'.length);
    const unmatched = diagnostics.find((d) => d.code === 'k8s-protocol-port-unmatched')!;
    assert.deepEqual(unmatched.range.start, positionOf(text, '8080,tcp'));
    assert.match(unmatched.message, /spec\.ports: 443/);
    const id = diagnostics.find((d) => d.code === 'k8s-clb-id-not-id')!;
    assert.deepEqual(id.range.start, positionOf(text, 'slb_redis_app'));
    assert.equal(id.severity, 1);
  });

  it('quick fixes: lowercase scheme, did-you-mean key, quote a boolean, set type LoadBalancer', async () => {
    const uri = 'file:///ws/k8s/broken-fixes.yaml';
    const text = fixture('broken.yaml');
    const { diagnostics } = await client.open(uri, text, 'yaml');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } }, context: { diagnostics } });
    const byTitle = (re: RegExp) => actions.find((a) => re.test(a.title))!;
    const apply = (a: CodeAction) => applyEdits(text, a.edit!.changes![uri]);
    assert.match(apply(byTitle(/Change to https$/)), /"https:443,http:8080,tcp"/);
    assert.match(apply(byTitle(/force-override-listeners$/)), /alibaba-cloud-loadbalancer-force-override-listeners: "true"/);
    assert.match(apply(byTitle(/Quote the value/)), /health-check-flag: "true"/);
    const typed = apply(byTitle(/Set spec.type to LoadBalancer/));
    assert.match(typed, /^spec:\n  type: LoadBalancer\n  selector:/m);
    // The fixed text no longer has the R1 finding.
    const again = await client.replace(uri, typed);
    assert.ok(!again.diagnostics.some((d) => d.code === 'k8s-annotations-not-loadbalancer'), JSON.stringify(again.diagnostics));
  });

  it('https without cert-id: an error with a fix that adds the annotation line', async () => {
    const uri = 'file:///ws/k8s/https.yaml';
    const text = fixture('web-https-new-clb.yaml').replace(/^ +service\.beta\.kubernetes\.io\/alibaba-cloud-loadbalancer-cert-id:.*\n/m, '');
    const { diagnostics } = await client.open(uri, text, 'yaml');
    const d = diagnostics.find((x) => x.code === 'k8s-https-without-cert')!;
    assert.ok(d, JSON.stringify(diagnostics));
    assert.deepEqual(d.range.start, positionOf(text, 'https:443'));
    const [action] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fixed = applyEdits(text, action.edit!.changes![uri]);
    assert.match(fixed, /\n    service\.beta\.kubernetes\.io\/alibaba-cloud-loadbalancer-cert-id: "<server certificate ID>"\nspec:/);
  });

  it('two Services on one CLB port: an error on the second with the first as related information', async () => {
    const one = fixture('redis-worked-example.yaml');
    const service = one.slice(one.indexOf('apiVersion: v1'));
    const text = `${one}---\n${service.replace('name: redis\n', 'name: redis-copy\n')}`;
    const { diagnostics } = await client.open('file:///ws/k8s/shared.yaml', text, 'yaml');
    assert.deepEqual(codes(diagnostics), ['k8s-clb-port-shared']);
    assert.equal(diagnostics[0].relatedInformation?.length, 1);
    assert.match(diagnostics[0].message, /'redis' and 'redis-copy'/);
  });

  it('a compose file is still validated as compose (no k8s codes), and a manifest never gets compose checks', async () => {
    const compose = fs.readFileSync(path.join(REPO_ROOT, 'examples/demo/docker-compose.yml'), 'utf8');
    const { diagnostics } = await client.open('file:///ws/k8s/docker-compose.yml', compose);
    assert.ok(!diagnostics.some((d) => String(d.code).startsWith('k8s-')));
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    aliyun.lb.port_80: "tcp://x:80"\ndata: {}\n`;
    const result = await client.open('file:///ws/k8s/docker-compose.k8s.yml', manifest, 'dockercompose');
    assert.deepEqual(result.diagnostics, []);
  });

  it('detection follows ranged edits: a YAML file becomes a manifest when apiVersion/kind lines are typed, and stops being one', async () => {
    const uri = 'file:///ws/k8s/grow.yaml';
    const first = await client.open(uri, 'note: x\n', 'yaml');
    assert.deepEqual(first.diagnostics, []);
    const broken = fixture('broken.yaml');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: broken }] });
    const grown = await client.nextDiagnostics(uri, 2);
    assert.ok(grown.diagnostics.some((d) => d.code === 'k8s-clb-id-not-id'), JSON.stringify(grown.diagnostics));
    // "kind: Service" is line 1 of the fixture, line 2 of the document now: "kind" becomes "sort".
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } }, text: 'sort' }] });
    const shrunk = await client.nextDiagnostics(uri, 3);
    assert.deepEqual(shrunk.diagnostics, []);
  });

  it('completes annotation keys, new spelling first and legacy last, without keys already present', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: "lb-bp1rtfnodmywb43ecu4sf"\n    serv\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n';
    const uri = 'file:///ws/k8s/keys.yaml';
    await client.open(uri, text, 'yaml');
    const list = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, '    serv\n', 8) }));
    const labels = list.slice().sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
    assert.ok(labels.includes('service.beta.kubernetes.io/alibaba-cloud-loadbalancer-protocol-port'));
    assert.ok(!labels.includes('service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id'), 'id is already present');
    const firstLegacy = labels.findIndex((l) => l.includes('/alicloud-'));
    const lastNew = labels.map((l) => l.includes('/alibaba-cloud-')).lastIndexOf(true);
    assert.ok(firstLegacy > lastNew, 'legacy keys sort after every new key');
    const item = list.find((i) => i.label === 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners')!;
    assert.equal((item.textEdit as TextEdit).newText, 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners: "$1"');
    assert.deepEqual((item.textEdit as TextEdit).range, { start: { line: 6, character: 4 }, end: { line: 6, character: 8 } });
  });

  it('completes protocol-port entries from spec.ports, and enum values quoted', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-protocol-port: "https:443,"\n    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-scheduler: \nspec:\n  type: LoadBalancer\n  ports:\n  - {name: https, port: 443, targetPort: 8443}\n  - {name: http, port: 80, targetPort: 8080}\n';
    const uri = 'file:///ws/k8s/values.yaml';
    await client.open(uri, text, 'yaml');
    const pp = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'https:443,"', 10) }));
    const labels = pp.map((i) => i.label);
    assert.ok(labels.includes('http:80') && labels.includes('tcp:80') && labels.includes('https:443'), labels.join(' '));
    const http80 = pp.find((i) => i.label === 'http:80')!;
    assert.equal((http80.textEdit as TextEdit).range.start.character, positionOf(text, 'https:443,"', 10).character);
    const sched = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'scheduler: ', 11) }));
    assert.deepEqual(sched.map((i) => i.label), ['rr', 'wrr', 'wlc']);
    assert.equal((sched[0].textEdit as TextEdit).newText, '"rr"');
  });

  it('hover on an annotation explains it and shows the port chain down to the containerPort', async () => {
    const text = fixture('redis-worked-example.yaml');
    const uri = 'file:///ws/k8s/hover.yaml';
    await client.open(uri, text, 'yaml');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'alibaba-cloud-loadbalancer-id', 5) });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /looks it up by ID only/);
    assert.match(value, /CLB lb-bp1rtfnodmywb43ecu4sf tcp 6379 -> NodePort \(assigned by Kubernetes\) \(ECS backends\) \/ targetPort 6379 \(ENI backends\) -> containerPort 6379 \(Deployment redis, container redis\)/);
    const portHover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'port: 6379', 2) });
    assert.match((portHover.contents as MarkupContent).value, /CLB lb-bp1rtfnodmywb43ecu4sf tcp 6379/);
    // R13: which backends stand behind the listener (no externalTrafficPolicy, no backend-type: Cluster, unless ENI by default).
    assert.match((portHover.contents as MarkupContent).value, /Backends \(externalTrafficPolicy Cluster\): all Ready nodes except masters .* port NodePort, weight 100 each\. Unless the cluster uses ENI backends/);
  });

  describe('NLB Services (spec.loadBalancerClass: alibabacloud.com/nlb)', () => {
    const nlb = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        ports: [{containerPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: "nlb-wb7r6dlwetvt5j7b0u"\n    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-protocol-port: "tcpssl:443"\n    \nspec:\n  type: LoadBalancer\n  loadBalancerClass: alibabacloud.com/nlb\n  selector: {app: web}\n  ports:\n  - {port: 443, targetPort: 8080}\n';

    it('validation: only a hint that the NLB controller handles it (no CLB findings on nlb- IDs or NLB protocols)', async () => {
      const { diagnostics } = await client.open('file:///ws/k8s/nlb-validate.yaml', nlb, 'yaml');
      assert.deepEqual(diagnostics.map((d) => `${d.code}/${d.severity}`), ['k8s-annotations-other-controller/4']);
      assert.match(diagnostics[0].message, /NLB controller/);
    });

    it('hover on an annotation or a port: the NLB controller, no CLB doc and no CLB chain', async () => {
      const uri = 'file:///ws/k8s/nlb-hover.yaml';
      await client.open(uri, nlb, 'yaml');
      for (const [needle, at] of [['alibaba-cloud-loadbalancer-id', 5], ['port: 443', 2], ['alibabacloud.com/nlb', 3]] as const) {
        const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(nlb, needle, at) });
        const value = (hover.contents as MarkupContent).value;
        assert.match(value, /handled by the CCM's NLB controller \(spec\.loadBalancerClass: alibabacloud\.com\/nlb\)/, needle);
        assert.match(value, /CLB annotations, listeners and the CLB chain do not apply/, needle);
        assert.doesNotMatch(value, /->|looks it up by ID only|CLB \(new CLB/, needle);
      }
    });

    it('completion: NLB-only keys instead of the CLB catalogue, and no CLB values', async () => {
      const uri = 'file:///ws/k8s/nlb-complete.yaml';
      await client.open(uri, nlb, 'yaml');
      const keys = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(nlb, '    \nspec:', 4) })).map((i) => i.label);
      assert.ok(keys.includes('service.beta.kubernetes.io/alibaba-cloud-loadbalancer-zone-maps'), keys.join(' '));
      assert.ok(!keys.some((k) => /-(scheduler|force-override-listeners|sticky-session)$/.test(k)), keys.join(' '));
      assert.ok(!keys.some((k) => k.includes('/alicloud-')), 'no legacy CLB spellings');
      const values = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(nlb, 'tcpssl:443', 0) }));
      assert.deepEqual(values, []);
      // The same Service without the class gets the CLB catalogue back.
      const clb = nlb.replace('  loadBalancerClass: alibabacloud.com/nlb\n', '');
      await client.replace(uri, clb);
      const clbKeys = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(clb, '    \nspec:', 4) })).map((i) => i.label);
      assert.ok(clbKeys.includes('service.beta.kubernetes.io/alibaba-cloud-loadbalancer-scheduler'));
    });
  });

  it('speaks Chinese when the client does', async () => {
    const zh = await LspTestClient.start({ locale: 'zh-cn' });
    try {
      const { diagnostics } = await zh.open('file:///ws/k8s/zh.yaml', fixture('broken.yaml'), 'yaml');
      const id = diagnostics.find((d) => d.code === 'k8s-clb-id-not-id')!;
      assert.match(id.message, /CLB ID/);
      assert.match(id.message, /[\u4e00-\u9fff]/);
    } finally {
      await zh.stop();
    }
  });
});
