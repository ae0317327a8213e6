// Kubernetes Service manifests in the real editor (code-server + the SLB sandbox): a broken
// manifest gets its squiggles and Problems rows, the quick fix lowercases the protocol (and the
// reused CLB without force-override asks for no certificate), the migration code action writes a manifest, and the
// Redis manifest's hover shows the CLB -> NodePort -> containerPort chain with the live card, and a
// LoadBalancer Service is provisioned (CodeLens -> plan in the modal -> Apply) and reached through
// its vServer group with a real connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startSession, sessionTest } from '../lib/session.mjs';
import * as wb from '../lib/workbench.mjs';
import * as h from '../lib/host.mjs';

const CLUSTER_ID = 'c1e2e0001';

let s;
const it = sessionTest(test, () => s);
const shot = (name) => wb.screenshot(s.page, path.join(s.outDir, name));

before(async () => {
  s = await startSession('k8s', {
    settings: { 'aliyunSlbLabels.trace.server': 'off', 'aliyunSlbLabels.kubernetes.clusterId': CLUSTER_ID, 'aliyunSlbLabels.kubernetes.backends': ['i-bp1h9s6tcdgnd2z8w3fq'] },
  });
}, { timeout: 120_000 });

after(async () => {
  await s?.stop();
}, { timeout: 60_000 });

it('a broken Service manifest: squiggles, Problems rows with k8s codes, the protocol quick fix', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'web.k8s.broken.yaml');
  // The "Provision Service | Check reachability" lenses push the lines down: measure after them.
  await wb.waitForCodeLenses(page, 30_000);
  const sq = await wb.squiggleOnLine(page, 'loadbalancer-id: slb_redis_app', 'error', 45_000);
  const hover = await wb.hoverAt(page, sq.x + Math.min(sq.width / 2, 30), sq.y + sq.height / 2, 'is not a CLB ID');
  assert.match(hover, /looks the CLB up by ID only/);
  await wb.escape(page);
  const rows = await wb.problems(page, (rows) => rows.some((r) => r.includes('not a listener protocol')) && rows.some((r) => r.includes('is the name of CLB')));
  const row = (re) => assert.ok(rows.some((r) => re.test(r)), `no Problems row matching ${re} in:\n${rows.join('\n')}`);
  row(/^Error: 'slb_redis_app' is not a CLB ID/);
  row(/^Error: 'HTTPS' is not a listener protocol the CCM accepts/);
  row(/^Warning: Port 8080 is not a port of this Service/);
  // Online (from the sandbox): the name resolves to the ID.
  row(/'slb_redis_app' is the name of CLB lb-bp1rtfnodmywb43ecu4sf/);
  await shot('k8s-problems.png');
  await wb.closePanel(page);

  const p = await wb.pointOfText(page, 'protocol-port', 'HTTPS');
  await page.mouse.click(p.x, p.y);
  await wb.codeActions(page, 'Change to https');
  await wb.applyCodeAction(page, 'Change to https');
  await wb.lineWith(page, '"https:443,http:8080"');
  // The protocol error is gone. No certificate is asked for: this reused CLB has no
  // force-override-listeners, so the CCM makes no listener, and a claim about one would be wrong.
  const after = await wb.problems(page, (rows) => rows.some((r) => r.includes('is not a CLB ID')) && !rows.some((r) => r.includes("'HTTPS' is not a listener protocol")), 30_000);
  assert.ok(!after.some((r) => r.includes('needs a server certificate')), after.join('\n'));
  await wb.closePanel(page);
});

it('the Redis manifest: hover on the id shows the port chain and the live CLB card', { timeout: 60_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'redis.k8s.yaml');
  await wb.waitForCodeLenses(page, 30_000);
  const p = await wb.pointOfText(page, 'loadbalancer-id:', 'loadbalancer-id');
  const text = await wb.hoverAt(page, p.x, p.y, 'CLB lb-bp1rtfnodmywb43ecu4sf tcp 6379', 30_000);
  assert.match(text, /containerPort 6379 \(Deployment redis, container redis\)/);
  assert.match(text, /slb_redis_app/);
  await shot('k8s-hover-chain.png');
  await wb.escape(page);
  assert.deepEqual(await wb.squiggles(page, 'error'), [], 'no error squiggle in redis.k8s.yaml');
});

it('the migration code action on the Redis compose service writes a manifest next to it (never over redis.k8s.yaml), with the ID resolved from the sandbox', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.yml');
  const p = await wb.pointOfText(page, 'aliyun.lb.port_6379', 'aliyun.lb.port_6379');
  await page.mouse.click(p.x, p.y);
  await wb.codeActions(page, "Migrate service 'redis' to Kubernetes manifests (ACK)");
  await wb.applyCodeAction(page, "Migrate service 'redis'");
  // The server creates redis.k8s-2.yaml (redis.k8s.yaml exists) and shows it.
  await page.waitForSelector('.tabs-container .tab.active[aria-label^="redis.k8s-2.yaml"]', { timeout: 30_000 });
  await wb.lineWith(page, 'lb-bp1rtfnodmywb43ecu4sf', 20_000);
  await shot('k8s-migrated.png');
});

/** A TCP server on 127.0.0.1 in the NodePort range (the group's backend), greeting each connection. */
async function nodePortBackend() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 30000 + Math.floor(Math.random() * 2768);
    const sockets = new Set();
    const server = net.createServer((c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
      c.on('error', () => undefined);
      c.write('hello from the node\n');
    });
    const ok = await new Promise((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return { port, close: () => new Promise((resolve) => { for (const c of sockets) c.destroy(); server.close(() => resolve()); }) };
  }
  throw new Error('no free port in 30000-32767 for the NodePort backend');
}

it('a LoadBalancer Service: the CodeLens plans the CCM\'s vServer group and listener, the modal defaults to the harmless button, Apply creates them, reach connects through the group', { timeout: 150_000 }, async () => {
  const { page } = s;
  const backend = await nodePortBackend();
  try {
    const front = 7301;
    const file = 'web-lb.k8s.yaml';
    fs.writeFileSync(path.join(s.ws, file), [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      '  annotations:',
      '    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id: "lb-bp1rtfnodmywb43ecu4sf"',
      '    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners: "true"',
      'spec:',
      '  type: LoadBalancer',
      '  selector: {app: web}',
      '  ports:',
      `  - {name: http, port: ${front}, targetPort: 8080, nodePort: ${backend.port}}`,
      '',
    ].join('\n'));
    await wb.openFile(page, file, 30_000);
    await wb.clearNotifications(page);
    await (await wb.codeLens(page, 'Provision Service', 30_000)).click();
    const dialog = await wb.modalDialog(page, 30_000);
    assert.equal(dialog.message, 'Provision SLB listeners in region cn\u2011hangzhou? This changes cloud resources and may cost money.');
    assert.match(dialog.detail, new RegExp(`\\[create\\] port http \\(default/web\\) tcp://lb-bp1rtfnodmywb43ecu4sf:${front} → backend ${backend.port}: Create vServer group k8s/${backend.port}/web/default/${CLUSTER_ID} with 1 backend\\(s\\)`));
    // The summary counts what changes: a group, its backend, a listener (the region's hyphen unbroken).
    assert.match(dialog.detail, /1 vServer group\(s\) will be created in cn\u2011hangzhou\. 1 backend\(s\) will be added\. 1 listener\(s\) will be created and started\./);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''), 'Review the plan');
    await shot('k8s-provision-plan.png');
    await wb.clickDialogButton(page, 'Apply');
    await wb.waitForToast(page, 'Service ports provisioned: port http (default/web) created.', 60_000);
    const state = await h.sandboxState(s.sandbox.url);
    const listener = state.loadBalancers.find((lb) => lb.LoadBalancerId === 'lb-bp1rtfnodmywb43ecu4sf').Listeners.find((l) => l.ListenerPort === front);
    assert.equal(listener?.Status, 'running', JSON.stringify(listener));
    assert.match(listener.VServerGroupId ?? '', /^rsp-/);
    assert.equal(listener.Description, `k8s/${front}/web/default/${CLUSTER_ID}`);
    await wb.clearNotifications(page);

    await (await wb.codeLens(page, 'Check reachability')).click();
    const note = await wb.waitForToast(page, new RegExp(`port http \\(default/web\\): Reachable: tcp://lb-bp1rtfnodmywb43ecu4sf:${front} through (127(?:\\.\\d+){3})`), 60_000);
    await wb.waitForCodeLens(page, /(?:^|\s)reachable$/, 30_000);
    // The same path from outside the editor: a real connection to the CLB address reaches the node.
    const greeting = await new Promise((resolve, reject) => {
      const c = net.connect({ host: note[1], port: front });
      c.once('data', (d) => (c.destroy(), resolve(String(d))));
      c.once('error', reject);
      c.setTimeout(5000, () => (c.destroy(), reject(new Error('no greeting'))));
    });
    assert.equal(greeting, 'hello from the node\n');
    await shot('k8s-provision-reach.png');
  } finally {
    await backend.close();
  }
});
