// Realistic valid files through the real server, on real folders on disk: nothing wrong may be said
// about them. Compose: extends (same file, other file), log-pilot and other agents' labels, .env,
// a trailing '---'. Kubernetes: Deployment + LoadBalancer Service with the common CLB annotations,
// Ingress and ConfigMap mixed in, an NLB Service. Other YAML (a GitHub workflow, an OpenAPI file)
// is not a manifest.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from './lspClient';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-false-positives-'));
const lines = (...l: string[]) => l.join('\n') + '\n';
const codes = (d: { diagnostics: { code?: unknown }[] }) => d.diagnostics.map((x) => String(x.code));
/** Errors and warnings only: information may explain, but must not be a claim of a mistake. */
const complaints = (d: { diagnostics: { code?: unknown; severity?: number; message: string }[] }) => d.diagnostics.filter((x) => (x.severity ?? 1) <= 2).map((x) => `${String(x.code)}: ${x.message}`);

function write(rel: string, text: string): string {
  const file = path.join(DIR, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
}

describe('no false positives on realistic valid files (LSP, on disk)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ workspaceFolder: DIR, workspaceTrusted: true });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  it('compose: extends another file, .env variables, log-pilot and other agents\' labels: silent', async () => {
    write('shop/common.yml', lines('version: "2"', 'services:', '  api-base:', '    image: myorg/api:1.4', '    ports:', '      - "${API_PORT}:8080"', '  tomcat-base:', '    image: tomcat:8', '    ports:', '      - "18080:8080"'));
    write('shop/.env', 'API_PORT=18081\nSLB_NAME=slb_tomcat\n');
    const text = lines(
      'version: "2"',
      'services:',
      '  api:',
      '    extends:',
      '      file: common.yml',
      '      service: api-base',
      '    labels:',
      '      aliyun.lb.port_8080: tcp://lb-2ze0e2wlvf9l1hfv9m1lv:8080',
      '  tomcat:',
      '    extends:',
      '      file: ./common.yml',
      '      service: tomcat-base',
      '    labels:',
      '      aliyun.lb.port_8080: http://${SLB_NAME}:80',
      '      aliyun.logs.catalina: stdout',
      '      aliyun.logs.access: /usr/local/tomcat/logs/localhost_access_log.*.txt',
      '      aliyun.logs.catalina.tags: app=tomcat',
      '      aliyun.logs.access.format: regexp',
      '      aliyun.logs.access.target: tomcat-access',
      '      aliyun.monitoring.addon.prometheus: "http://container:8080/metrics"',
      '      aliyun.routing.port_8080: "tomcat;https://www.example.com"',
      '      aliyun.probe.url: http://container:8080/health',
      '  proxy:',
      '    image: nginx',
      '    network_mode: host',
      '    labels:',
      '      aliyun.global: "true"',
    );
    const uri = write('shop/docker-compose.yml', text);
    const d = await client.open(uri, text);
    assert.deepEqual(complaints(d), []);
    // Not vacuous: without the extended file the port claims are withdrawn, and said so.
    fs.renameSync(path.join(DIR, 'shop/common.yml'), path.join(DIR, 'shop/common.yml.bak'));
    const again = await client.replace(uri, text + '\n');
    assert.deepEqual(codes(again), ['compose-extends-unresolved', 'compose-extends-unresolved']);
  });

  it('compose: a port a service gets through extends is not said to come through an alias or << merge', async () => {
    const text = lines('services:', '  app-base:', '    image: app', '    ports:', '      - "9000:80"', '  web:', '    extends:', '      service: app-base', '    labels:', '      aliyun.lb.port_80: http://slb_web:80');
    const uri = write('same/docker-compose.yml', text);
    const d = await client.open(uri, text);
    // Both services run and publish 9000: that warning is true; the way the port arrives must be too.
    assert.deepEqual(codes(d), ['host-port-shared'], JSON.stringify(d.diagnostics));
    assert.equal(d.diagnostics[0].range.start.line, 6, 'at the extends key of web');
    assert.doesNotMatch(d.diagnostics[0].message, /alias|<</);
    assert.ok(!(d.diagnostics[0].relatedInformation ?? []).some((r) => /alias|<</.test(r.message)), JSON.stringify(d.diagnostics[0].relatedInformation));
  });

  it('compose: a trailing --- is named as an empty document, not as services that are lost', async () => {
    const text = lines('services:', '  web:', '    image: nginx', '    ports:', '      - "8080:80"', '    labels:', '      aliyun.lb.port_80: http://slb_web:80', '---');
    const uri = write('trailing/docker-compose.yml', text);
    const d = await client.open(uri, text);
    assert.deepEqual(codes(d), ['compose-multiple-documents']);
    assert.doesNotMatch(d.diagnostics[0].message, /services below/);
    assert.match(d.diagnostics[0].message, /empty/);
  });

  it('Kubernetes: Deployment + LoadBalancer Service with the common CLB annotations, Ingress and ConfigMap: silent', async () => {
    const P = '    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
    const text = lines(
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: shop-config', 'data:', '  APP_ENV: production', '  nginx.conf: |', '    server { listen 8080; }',
      '---',
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: shop-web', 'spec:', '  replicas: 3', '  selector:', '    matchLabels: {app: shop-web}', '  template:', '    metadata:', '      labels: {app: shop-web}', '    spec:', '      containers:', '        - name: web', '          image: registry.cn-hangzhou.aliyuncs.com/shop/web:1.2.3', '          ports:', '            - {containerPort: 8080, name: http}', '            - {containerPort: 8443, name: https}',
      '---',
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: shop-web', '  annotations:',
      `${P}id: "lb-2ze0e2wlvf9l1hfv9m1lv"`,
      `${P}force-override-listeners: "true"`,
      `${P}protocol-port: "http:80,https:443"`,
      `${P}cert-id: "1234567890123456_17a1b2c3d4e_1234567890_-1234567890"`,
      `${P}scheduler: "wrr"`,
      `${P}health-check-flag: "on"`,
      `${P}health-check-type: "http"`,
      `${P}health-check-uri: "/healthz"`,
      `${P}health-check-connect-port: "-520"`,
      `${P}healthy-threshold: "4"`,
      `${P}health-check-interval: "3"`,
      `${P}health-check-httpcode: "http_2xx,http_3xx"`,
      `${P}sticky-session: "on"`,
      `${P}sticky-session-type: "insert"`,
      `${P}cookie-timeout: "1800"`,
      `${P}forward-port: "80:443"`,
      `${P}additional-resource-tags: "team=shop,KeyNoVal"`,
      `${P}acl-status: "on"`,
      `${P}acl-id: "acl-wz9ag0xxr2l0lnfb3fr1p"`,
      `${P}acl-type: "white"`,
      '    service.beta.kubernetes.io/backend-type: "eni"',
      'spec:', '  type: LoadBalancer', '  externalTrafficPolicy: Local', '  selector: {app: shop-web}', '  ports:', '    - {name: http, port: 80, targetPort: http, protocol: TCP}', '    - {name: https, port: 443, targetPort: 8443, protocol: TCP}',
      '---',
      'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: admin', 'spec:', '  ingressClassName: nginx', '  rules:', '    - host: admin.example.com', '      http:', '        paths:', '          - {path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}',
      '---',
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: canary', '  annotations:',
      `${P}id: "lb-2ze0e2wlvf9l1hfv9m1lv"`,
      `${P}protocol-port: "https:443"`,
      'spec:', '  type: LoadBalancer', '  selector: {app: canary}', '  ports:', '    - {port: 443, targetPort: 8443}',
      '---',
      'apiVersion: v1', 'kind: Service', 'metadata:', '  name: nlb', '  annotations:',
      `${P}id: "nlb-wb7r6dlwetvt5j0001"`,
      `${P}protocol-port: "TCPSSL:8443"`,
      'spec:', '  type: LoadBalancer', '  loadBalancerClass: alibabacloud.com/nlb', '  ports:', '    - {port: 8443}',
    );
    const uri = write('k8s/shop.yaml', text);
    const d = await client.open(uri, text, 'yaml');
    assert.deepEqual(complaints(d), []);
    assert.deepEqual(codes(d), ['k8s-annotations-other-controller'], 'the NLB Service gets its note, nothing else');
    // Not vacuous: the same file with the NLB class removed is judged as CLB annotations.
    const clb = await client.replace(uri, text.replace('  loadBalancerClass: alibabacloud.com/nlb\n', ''));
    assert.ok(codes(clb).includes('k8s-clb-id-not-id'), JSON.stringify(codes(clb)));
  });

  it('other YAML: a GitHub workflow that mentions aliyun., an OpenAPI file with apiVersion/kind properties: silent', async () => {
    const workflow = lines('name: CI', 'on:', '  push:', '    branches: [main]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    services:', '      redis:', '        image: redis:7', '        ports:', '          - 6379:6379', '    steps:', '      - run: sed -i s/deb.debian.org/mirrors.aliyun.com/ /etc/apt/sources.list', '      - run: npm ci && npm test');
    const wf = await client.open(write('.github/workflows/ci.yml', workflow), workflow, 'yaml');
    assert.deepEqual(codes(wf), []);
    const openapi = lines('openapi: 3.0.3', 'info: {title: Cluster API, version: 1.0.0}', 'paths: {}', 'components:', '  schemas:', '    Service:', '      type: object', '      properties:', '        apiVersion: {type: string, example: v1}', '        kind: {type: string, example: Service}', '        metadata:', '          type: object', '          example:', '            annotations:', '              service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: my-clb');
    const api = await client.open(write('openapi.yaml', openapi), openapi, 'yaml');
    assert.deepEqual(codes(api), []);
  });
});
