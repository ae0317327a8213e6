// The k8s engine on its own: edge cases of the model and the rules (no false positives where the
// file does not tell enough), and detection that never mistakes a compose file for a manifest.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ManifestAnalyzer } from '../../server/src/engine/k8s/analyze';
import { closestKey, K8S_RULES, K8S_SUB_CODES } from '../../server/src/engine/k8s/rules';
import { checkManifestOnline, K8S_ONLINE_CODES } from '../../server/src/engine/k8s/onlineRules';
import type { CatalogSlb, CatalogSnapshot } from '../../server/src/engine/cloud/catalog';
import { K8S_RULE_SPECS } from '../../server/src/engine/k8s/ruleSpecs';
import { looksLikeKubernetes, parseManifest } from '../../server/src/engine/k8s/parse';
import { portChains } from '../../server/src/engine/k8s/chain';
import { migrateCompose } from '../../server/src/engine/k8s/migrate';
import { k8sHover } from '../../server/src/engine/k8s/hover';
import { textOf } from '../../server/src/engine/text';
import { CORPUS_DIR, REPO_ROOT } from '../lsp/lspClient';

const A = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const codes = (text: string) => new ManifestAnalyzer().analyze(text).findings.map((f) => f.code);
const svc = (annotations: string, ports = '  - port: 80\n', type = 'LoadBalancer') =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n${annotations}spec:\n  type: ${type}\n  ports:\n${ports}`;

describe('k8s engine', () => {
  it('every code the k8s checks emit is declared once in ruleSpecs.ts (registry shape), and nothing else', () => {
    const emitted = new Set<string>([...K8S_RULES.map((r) => r.code), ...Object.values(K8S_SUB_CODES).flat(), ...Object.values(K8S_ONLINE_CODES)]);
    emitted.delete('k8s-protocol-port'); // the unit's name; it emits its three sub-codes
    const declared = K8S_RULE_SPECS.map((r) => r.code);
    assert.equal(new Set(declared).size, declared.length, 'a code is declared twice');
    assert.deepEqual([...emitted].sort(), [...declared].sort());
    for (const rule of K8S_RULES) {
      const spec = K8S_RULE_SPECS.find((s) => s.code === rule.code);
      if (spec) assert.equal(spec.severity, rule.severity, rule.code);
    }
    for (const s of K8S_RULE_SPECS) for (const d of [s.docs.en, s.docs['zh-cn']]) assert.ok(d.short && d.full && d.help, s.code);
  });

  it('never takes a corpus compose file for a manifest', () => {
    const files = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yml')) : [];
    for (const f of files) assert.equal(looksLikeKubernetes(fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8')), false, f);
  });

  it('says nothing about Helm templates or manifests without CLB annotations, even when they do not parse', () => {
    assert.deepEqual(codes('{{- if .Values.lb }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  annotations:\n    ' + A + 'id: {{ .Values.id }}\n{{- end }}\n'), []);
    assert.deepEqual(codes('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: [\n'), []);
  });

  it('reports YAML errors in a manifest that carries CLB annotations', () => {
    assert.ok(codes(svc(`    ${A}id: "lb-bp1rtfnodmywb43ecu4sf"\n    bad: [\n`)).some((c) => c.startsWith('yaml-')));
  });

  it('a template variable in a value is not judged', () => {
    assert.deepEqual(codes(svc(`    ${A}id: "\${CLB_ID}"\n    ${A}protocol-port: "\${PP}"\n    ${A}bandwidth: "\${BW}"\n`)), []);
  });

  it('protocol-port is read as the CCM reads it: exact strings, no trimming', () => {
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "tcp:080"\n`)), ['k8s-protocol-port-unmatched']);
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "tcp:8o"\n`)), ['k8s-protocol-port-syntax']);
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "tcp:80, http:81"\n`, '  - port: 80\n  - port: 81\n')), ['k8s-protocol-port-scheme']);
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "udp:53"\n`, '  - {port: 53, protocol: UDP}\n')), []);
  });

  it('CRLF files: spans point at the text', () => {
    const text = svc(`    ${A}scheduler: "RR"\n`).replace(/\n/g, '\r\n');
    const [f] = new ManifestAnalyzer().analyze(text).findings;
    assert.equal(text.slice(f.span.start, f.span.end), 'RR');
  });

  it('NLB-only keys, the class annotation and -520 are known, not typos', () => {
    assert.deepEqual(codes(svc(`    ${A}zone-maps: "cn-hangzhou-h:vsw-1"\n    ${A}health-check-connect-port: "-520"\n`)), []);
    assert.equal(closestKey(`${A}helth-check-flag`), `${A}health-check-flag`);
    assert.equal(closestKey(`service.beta.kubernetes.io/alicloud-loadbalancer-idd`), 'service.beta.kubernetes.io/alicloud-loadbalancer-id');
    assert.equal(closestKey('service.beta.kubernetes.io/something-else-entirely'), undefined);
    // The CCM's usage docs show network-type; every CCM version reads slb-network-type.
    assert.equal(closestKey('service.beta.kubernetes.io/alicloud-loadbalancer-network-type'), 'service.beta.kubernetes.io/alicloud-loadbalancer-slb-network-type');
  });

  it('the legacy spelling alone is read; with the new one too, the legacy one is reported as ignored', () => {
    assert.deepEqual(codes(svc(`    service.beta.kubernetes.io/alicloud-loadbalancer-protocol-port: "http:80"\n`)), []);
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "http:80"\n    service.beta.kubernetes.io/alicloud-loadbalancer-protocol-port: "tcp:80"\n`)), ['k8s-annotation-legacy-shadowed']);
  });

  it('a Service without annotations, or of another type without CLB annotations, is left alone', () => {
    assert.deepEqual(codes('apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n'), []);
    assert.deepEqual(codes(svc('    prometheus.io/scrape: "true"\n', '  - port: 80\n', 'ClusterIP')), []);
  });

  it('k8s-forward-port: only http listeners redirect; the target must be a port of the Service; bad entries are errors', () => {
    const ports = '  - {name: a, port: 80}\n  - {name: b, port: 443}\n';
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "http:80,https:443"\n    ${A}cert-id: "c"\n    ${A}forward-port: "80:443"\n`, ports)), []);
    const tcp = new ManifestAnalyzer().analyze(svc(`    ${A}forward-port: "80:443"\n`, ports)).findings;
    assert.deepEqual(tcp.map((f) => `${f.code}/${f.severity}`), ['k8s-forward-port/warning']);
    assert.match(tcp[0].message, /only on http listeners, and port 80 is tcp/);
    assert.deepEqual(new ManifestAnalyzer().analyze(svc(`    ${A}protocol-port: "http:80"\n    ${A}forward-port: "80-443"\n`, ports)).findings.map((f) => `${f.code}/${f.severity}`), ['k8s-forward-port/error']);
    assert.deepEqual(codes(svc(`    ${A}protocol-port: "http:80"\n    ${A}forward-port: "80:8443"\n`, ports)), ['k8s-forward-port']);
  });

  it('k8s-annotation-requires: sticky-session on needs its type, acl-status on needs id and type, vgroup-port needs id', () => {
    assert.deepEqual(codes(svc(`    ${A}sticky-session: "on"\n`)), ['k8s-annotation-requires']);
    assert.deepEqual(codes(svc(`    ${A}sticky-session: "on"\n    ${A}sticky-session-type: "insert"\n`)), []);
    const acl = new ManifestAnalyzer().analyze(svc(`    ${A}acl-status: "on"\n    ${A}acl-type: "white"\n`)).findings;
    assert.deepEqual(acl.map((f) => f.code), ['k8s-annotation-requires']);
    assert.match(acl[0].message, /needs acl-id as well/);
    assert.deepEqual(codes(svc(`    ${A}vgroup-port: "rsp-1:80"\n`)), ['k8s-annotation-requires']);
  });

  it('k8s-annotations-other-controller: the NLB class is the NLB controller (a hint); another class or the class annotation another controller (information)', () => {
    const text = svc(`    ${A}address-type: "intranet"\n`).replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  loadBalancerClass: alibabacloud.com/nlb\n');
    const findings = new ManifestAnalyzer().analyze(text).findings;
    assert.deepEqual(findings.map((f) => `${f.code}/${f.severity}`), ['k8s-annotations-other-controller/hint']);
    assert.match(findings[0].message, /NLB controller/);
    const metallb = new ManifestAnalyzer().analyze(text.replace('alibabacloud.com/nlb', 'metallb.io/metallb')).findings;
    assert.deepEqual(metallb.map((f) => `${f.code}/${f.severity}`), ['k8s-annotations-other-controller/information']);
    assert.match(metallb[0].message, /another load balancer controller \(spec\.loadBalancerClass: metallb\.io\/metallb\)/);
    assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'alibabacloud.com/nlb');
    assert.deepEqual(codes(svc(`    ${A}address-type: "intranet"\n    service.beta.kubernetes.io/class: "alibabacloud.com/nlb"\n`)), ['k8s-annotations-other-controller']);
  });

  it('the R10/R13/R4 and cross-file codes find nothing on the k8s fixtures and on the migration of every corpus file', () => {
    const NEW = /^k8s-(backend-port-unresolved|weight-ignored|clb-ingress-mismatch|clb-immutable-mismatch)$/;
    const texts = fs.readdirSync(path.join(REPO_ROOT, 'test/k8s/fixtures')).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(CORPUS_DIR, '../../../k8s/fixtures', f), 'utf8'));
    const corpus = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yml')) : [];
    for (const f of corpus) for (const s of migrateCompose(fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8')).services) texts.push(s.yaml);
    assert.ok(texts.length >= 14, `only ${texts.length} manifests: the check is vacuous`);
    const found = texts.flatMap((text) => new ManifestAnalyzer().analyze(text).findings.filter((f) => NEW.test(f.code)).map((f) => `${f.code}: ${f.message}`));
    assert.deepEqual(found, []);
  });

  describe('R4 and R10 on a hand-made catalog snapshot (cases the sandbox seed does not have)', () => {
    const clb = (id: string, extra: Partial<CatalogSlb>): CatalogSlb => ({ id, name: id, regionId: 'cn-hangzhou', address: '47.0.0.1', addressType: 'internet', addressIPVersion: 'ipv4', listeners: [], listenersKnown: false, tags: {}, ...extra });
    const snapshotOf = (...slbs: CatalogSlb[]): CatalogSnapshot => ({ region: 'cn-hangzhou', fetchedAt: 0, slbs, byId: new Map(slbs.map((x) => [x.id, x])), byName: new Map() });
    const online = (text: string, ...slbs: CatalogSlb[]) => checkManifestOnline(parseManifest(text), { snapshot: snapshotOf(...slbs) }).map((f) => `${f.code}/${f.severity}`);
    const ID = 'lb-bp1rtfnodmywb43ecu4sf';
    const statusOf = (entry: string) => `status:\n  loadBalancer:\n    ingress:\n    - ${entry}\n`;

    it('ip-version is compared even when unset (empty means ipv4): a reused ipv6 CLB without the annotation is an error on the id', () => {
      const text = svc(`    ${A}id: "${ID}"\n`);
      const findings = checkManifestOnline(parseManifest(text), { snapshot: snapshotOf(clb(ID, { addressIPVersion: 'ipv6' })) });
      assert.deepEqual(findings.map((f) => `${f.code}/${f.severity}`), ['k8s-clb-immutable-mismatch/error']);
      assert.equal(text.slice(findings[0].span.start, findings[0].span.end), ID);
      assert.deepEqual(online(text, clb(ID, {})), []);
      // A CLB whose attributes the API did not return is not judged.
      assert.deepEqual(online(svc(`    ${A}id: "${ID}"\n    ${A}master-zoneid: "cn-hangzhou-k"\n`), clb(ID, {})), []);
    });

    it('R4: a hostname-only ingress passes; an IP that is not the CLB address warns; no status says nothing', () => {
      assert.deepEqual(online(svc(`    ${A}id: "${ID}"\n`) + statusOf('hostname: a.example.com'), clb(ID, {})), []);
      assert.deepEqual(online(svc(`    ${A}id: "${ID}"\n`) + statusOf('ip: 47.0.0.9'), clb(ID, {})), ['k8s-clb-ingress-mismatch/warning']);
      assert.deepEqual(online(svc(`    ${A}id: "${ID}"\n`) + statusOf('ip: 47.0.0.1'), clb(ID, {})), []);
    });

    it('the CLB the CCM created is found by status IP and its own tag only when exactly one matches; NLB Services are not judged', () => {
      const made = (id: string) => clb(id, { masterZoneId: 'cn-hangzhou-h', tags: { 'kubernetes.do.not.delete': 'a1' } });
      const text = svc(`    ${A}master-zoneid: "cn-hangzhou-k"\n`) + statusOf('ip: 47.0.0.1');
      assert.deepEqual(online(text, made('lb-bp1made000000000000001')), ['k8s-clb-immutable-mismatch/warning']);
      assert.deepEqual(online(text, made('lb-bp1made000000000000001'), made('lb-bp1made000000000000002')), []);
      assert.deepEqual(online(text, clb('lb-bp1made000000000000001', { masterZoneId: 'cn-hangzhou-h' })), [], 'no CCM tag: not known to be this Service\'s CLB');
      assert.deepEqual(online(text.replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  loadBalancerClass: alibabacloud.com/nlb\n'), made('lb-bp1made000000000000001')), []);
    });
  });

  describe('R13 backends', () => {
    const deployment = (ports: string, labels = '{app: web}') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: ${labels}\n    spec:\n      containers:\n      - name: web\n        ports:\n${ports}---\n`;
    const service = (targetPort: string, annotations = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    ${A}scheduler: "wrr"\n${annotations}spec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - {port: 80, targetPort: ${targetPort}}\n`;

    it('k8s-backend-port-unresolved: a named targetPort no selected container of this file declares; the fix offers the declared names', () => {
      const text = deployment('        - {name: http, containerPort: 8080}\n') + service('web');
      const findings = new ManifestAnalyzer().analyze(text).findings;
      assert.deepEqual(findings.map((f) => `${f.code}/${f.severity}`), ['k8s-backend-port-unresolved/warning']);
      assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'web');
      assert.match(findings[0].message, /names no container port of Deployment web \(named ports: http\)/);
      assert.deepEqual(findings[0].fixes?.map((f) => f.edits[0].newText), ['http']);
    });

    it('no k8s-backend-port-unresolved when the name is declared, the target is a number, or no selected workload is in this file', () => {
      assert.deepEqual(codes(deployment('        - {name: web, containerPort: 8080}\n') + service('web')), []);
      assert.deepEqual(codes(deployment('        - {name: http, containerPort: 8080}\n') + service('9090')), []);
      assert.deepEqual(codes(deployment('        - {name: http, containerPort: 8080}\n', '{app: other}') + service('web')), []);
      assert.deepEqual(codes(service('web')), []);
    });

    it('port hover names the backends: ENI pods with targetPort, Local nodes by pod count, and a weight that is read', () => {
      const eni = svc(`    service.beta.kubernetes.io/backend-type: eni\n    ${A}id: "lb-bp1rtfnodmywb43ecu4sf"\n    ${A}vgroup-port: "rsp-bp1h2ssn8v6g1:80"\n    ${A}weight: "60"\n`, '  - {port: 80, targetPort: 8080}\n');
      const hoverText = (text: string) => {
        const doc = textOf(text);
        const h = k8sHover(doc, doc.positionAt(text.indexOf('port: 80') + 2), { manifest: parseManifest(text) });
        return (h!.contents as { value: string }).value;
      };
      assert.match(hoverText(eni), /Backends \(ENI\): the ready pods this Service selects, port targetPort 8080, weight 100 each\. With weight 60, the backends share that total instead\./);
      const local = svc('', '  - {port: 80}\n').replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n');
      assert.match(hoverText(local), /Backends \(externalTrafficPolicy Local\): the nodes that run a ready pod of this Service, port NodePort, weight = the number of such pods/);
      assert.doesNotMatch(hoverText(local), /share that total/);
    });

    it('k8s-weight-ignored: weight without id and vgroup-port', () => {
      assert.deepEqual(codes(svc(`    ${A}weight: "50"\n`)), ['k8s-weight-ignored']);
      assert.deepEqual(codes(svc(`    ${A}id: "lb-bp1rtfnodmywb43ecu4sf"\n    ${A}weight: "50"\n`)), ['k8s-weight-ignored']);
      assert.deepEqual(codes(svc(`    ${A}id: "lb-bp1rtfnodmywb43ecu4sf"\n    ${A}vgroup-port: "rsp-bp1h2ssn8v6g1:80"\n    ${A}weight: "50"\n`)), []);
    });
  });

  it('port chain: named targetPort, NodePort given, eni backends', () => {
    const text = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: data\nspec:\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: pg\n        ports:\n        - {name: sql, containerPort: 5432}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: data\n  annotations:\n    service.beta.kubernetes.io/backend-type: eni\nspec:\n  type: LoadBalancer\n  selector: {app: db}\n  ports:\n  - {port: 15432, targetPort: sql, nodePort: 31432}\n`;
    const manifest = parseManifest(text);
    const [chain] = portChains(manifest.services[0], manifest);
    assert.equal(chain.text, 'CLB (new CLB the CCM creates) tcp 15432 -> targetPort sql (ENI backends: the pods) -> containerPort 5432 (StatefulSet db, container pg)');
    // another namespace does not match the selector
    const other = parseManifest(text.replace('namespace: data\nspec:\n  template', 'namespace: other\nspec:\n  template'));
    assert.match(portChains(other.services[0], other)[0].text, /-> targetPort sql \(ENI backends: the pods\)$/);
  });
});
