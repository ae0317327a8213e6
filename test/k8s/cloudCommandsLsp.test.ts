// The editor's cloud commands on a Service manifest, over LSP stdio against the sandbox (API and
// data plane on 127.0.47.x): aliyunSlbLabels.plan / .provision (with the server's confirmation) /
// .checkReachability on the Service under the cursor, with the cluster ID and backends from the
// settings. The secret never appears on the wire, in logs or on stderr.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { positionOf, ProvisionLspClient } from '../provision/provisionLspClient';
import { freePort, REDIS_APP_ID, tcpBackend, type Backend } from '../reach/helpers';

const BASE = '127.0.47.2';
const CLUSTER = 'c0ffee47';

function manifest(front: number, nodePort: number, override = true): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: "${REDIS_APP_ID}"
    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners: "${override}"
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: ${front}, targetPort: 8080, nodePort: ${nodePort}}
`;
}

describe('cloud commands on a Service manifest over LSP', () => {
  let sb: SandboxHandle;
  let home: string;
  let backend: Backend;
  const clients: ProvisionLspClient[] = [];
  const env = () => ({ PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET, SLB_LABELS_CACHE_DIR: path.join(home, 'cache') });
  const start = async (answer?: string, kubernetes: Record<string, unknown> = { clusterId: CLUSTER, backends: ['i-node000001'] }) => {
    const c = await ProvisionLspClient.start({ env: env(), answer, settings: { region: 'cn-hangzhou', endpoint: sb.url, online: { refreshMinutes: 0 }, kubernetes } });
    clients.push(c);
    return c;
  };
  before(async () => {
    sb = await startSandbox({ port: 0, addressBase: BASE, healthCheckIntervalMs: 30 });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-lsp-cloud-'));
    backend = await tcpBackend();
  });
  after(async () => {
    for (const c of clients) await c.stop();
    for (const c of clients) assert.ok(![...c.wire, ...c.logs, ...c.stderr].join('\n').includes(DEFAULT_ACCESS_KEY_SECRET), 'the AccessKey secret appears in server output');
    await backend?.close();
    await sb?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('plan on the Service, a dismissed confirmation changes nothing, Apply provisions, reach connects through the vServer group, and again is up to date', async () => {
    const front = await freePort(BASE);
    const text = manifest(front, backend.port);
    const uri = 'file:///ws/k8s/web.yaml';
    const dismiss = await start(undefined);
    await dismiss.open(uri, text);
    const at = positionOf(text, 'kind: Service', 2);
    const planned = await dismiss.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, position: at }]);
    assert.equal(planned.status, 'ok', planned.message);
    assert.equal(planned.plan.lines.length, 1);
    assert.equal(planned.plan.lines[0].action, 'create');
    assert.equal(planned.plan.lines[0].ccm.groupName, `k8s/${backend.port}/web/default/${CLUSTER}`);
    assert.equal(planned.plan.lines[0].range.start.line, text.split('\n').findIndex((l) => l.includes('- {name: http')));
    assert.match(planned.texts.modal.message, /Provision SLB listeners in region cn-hangzhou\?/);
    assert.equal(planned.texts.modal.summary, '1 vServer group(s) will be created in cn-hangzhou. 1 backend(s) will be added. 1 listener(s) will be created and started.');
    assert.match(planned.texts.lines[0], /^\[create\] port http \(default\/web\) tcp:\/\/lb-bp1rtfnodmywb43ecu4sf:\d+ → backend \d+: Create vServer group/);

    const cancelled = await dismiss.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position: at }]);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(sb.state().loadBalancers[0].Listeners.some((l) => l.ListenerPort === front), false, 'nothing was created');

    const apply = await start('Apply');
    await apply.open(uri, text);
    const done = await apply.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position: at }]);
    assert.equal(done.status, 'ok', done.message);
    assert.equal(done.ok, true, JSON.stringify(done.result, null, 2));
    assert.equal(done.result.lines[0].outcome, 'created');
    assert.equal(done.outcome.severity, 'info');
    assert.match(done.outcome.message, /Service ports provisioned: port http \(default\/web\) created/);

    assert.ok(await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000));
    const reach = await apply.executeCommand<any>('aliyunSlbLabels.checkReachability', [{ uri, position: at }]);
    assert.equal(reach.error, undefined, reach.error);
    assert.equal(reach.results.length, 1);
    assert.equal(reach.results[0].reachable, true, JSON.stringify(reach.results[0], null, 2));
    assert.equal(reach.results[0].lens, 'reachable');
    assert.equal(reach.notification.severity, 'info');
    // A real client through the CLB address too.
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: BASE, port: front }, () => {
        s.destroy();
        resolve();
      });
      s.on('error', reject);
    });

    const again = await apply.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true }]);
    assert.equal(again.plan.lines[0].action, 'unchanged', again.plan.lines[0].reason);
  });

  it('what the settings do not give is a clear answer, not a guess: no cluster ID blocks the line, a bad backend is an error', async () => {
    const text = manifest(await freePort(BASE), backend.port);
    const uri = 'file:///ws/k8s/nosettings.yaml';
    const c = await start(undefined, {});
    await c.open(uri, text);
    const planned = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true }]);
    assert.equal(planned.status, 'ok');
    assert.equal(planned.plan.lines[0].blockedCode, 'CLUSTER_ID_MISSING');
    assert.match(planned.plan.lines[0].reason, /aliyunSlbLabels\.kubernetes\.clusterId/);
    const bad = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true, clusterId: CLUSTER, backends: ['node-a'] }]);
    assert.equal(bad.status, 'error');
    assert.match(bad.message, /'node-a' is not a backend/);
    const deployment = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, position: positionOf(text, 'kind: Deployment', 2) }]);
    assert.equal(deployment.status, 'nothing');

    // Reach on one spec.ports entry checks that port only; on the Service, every port.
    const twoPorts = text.replace(/(  - \{name: http.*\n)/, '$1  - {name: redis, port: 6379, targetPort: 6379, nodePort: 30379}\n');
    const uri2 = 'file:///ws/k8s/twoports.yaml';
    await c.open(uri2, twoPorts);
    const one = await c.executeCommand<any>('aliyunSlbLabels.checkReachability', [{ uri: uri2, position: positionOf(twoPorts, '- {name: redis', 4), timeoutMs: 1000 }]);
    assert.deepEqual(one.results.map((r: any) => r.label), ['port redis']);
    assert.equal(one.results[0].range.start.line, twoPorts.split('\n').findIndex((l) => l.includes('- {name: redis')));
    const both = await c.executeCommand<any>('aliyunSlbLabels.checkReachability', [{ uri: uri2, position: positionOf(twoPorts, 'kind: Service', 2), timeoutMs: 1000 }]);
    assert.deepEqual(both.results.map((r: any) => r.label), ['port http', 'port redis']);
  });
});
