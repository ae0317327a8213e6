// Provisioning a Service manifest the CCM's way against the real sandbox: signed API calls, the
// data plane on 127.0.46.x, real TCP backends on 127.0.0.1. Plan -> apply -> reach through the
// vServer group with a real connect; a second apply changes nothing; without force-override no
// listener is touched; another protocol on the port is a conflict; a cloud error half-way says what
// exists and a second run finishes the job. Secrets never appear in results, events or CLI output.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { applyCcmPlan, parseBackendSpecs, planServicePorts } from '../../server/src/engine/k8s/ccmApply';
import { parseManifest } from '../../server/src/engine/k8s/parse';
import { checkServiceReachability } from '../../server/src/engine/k8s/reach';
import { modalSummary, provisionOutcome, slbLockKey, withSlbLock, type ProvisionEvent } from '../../server/src/engine/provision';
import { runCli } from '../helpers/cli';
import { runProvisionCli } from '../../server/src/cli/provision';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { clientFor, freePort, KEY_ID, REDIS_APP_ID, SECRET } from '../reach/helpers';

const BASE = '127.0.46.2';
const CLUSTER = 'c0ffee42';
const NO_FILE_LOCK = { fileLock: { dir: false as const } };

function service(name: string, annotations: Record<string, string>, ports: string): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n${lines.join('\n')}\nspec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n${ports}`;
}

/** A backend on 127.0.0.1 that greets every connection with its name (so a test sees which one answered) and keeps it open. */
async function greeter(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.write(`hello from ${name}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Connects to host:port and returns the far end's first line (bounded). */
function readGreeting(host: string, port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} in ${timeoutMs} ms (got '${data}')`));
    }, timeoutMs);
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

function requestsSince(sb: SandboxHandle, from: number): string[] {
  return sb.state().requests.slice(from).map((r) => r.action);
}

describe('provisioning a Service manifest (vServer groups and listeners the CCM way)', () => {
  let sb: SandboxHandle;
  let web: Awaited<ReturnType<typeof greeter>>;
  before(async () => {
    sb = await startSandbox({ port: 0, addressBase: BASE, healthCheckIntervalMs: 30 });
    web = await greeter('web');
  });
  after(async () => {
    await web?.close();
    await sb?.close();
  });

  it('plan -> apply -> reach: a new tcp listener bound to a new group routes a real connection to the group backend; a second run is up to date', async () => {
    const client = clientFor(sb);
    const front = await freePort(BASE);
    const manifest = parseManifest(service('web', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {name: main, port: ${front}, targetPort: 8080, nodePort: ${web.port}}\n`));
    const backends = parseBackendSpecs(['i-node000001', 'i-node000002']);
    assert.ok('specs' in backends);
    const plan = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: backends.specs });
    assert.equal(plan.lines.length, 1);
    const [line] = plan.lines;
    assert.equal(line.action, 'create', line.reason);
    assert.equal(line.ccm?.listenerAction, 'create');
    assert.equal(line.ccm?.groupName, `k8s/${web.port}/web/default/${CLUSTER}`);
    assert.match(line.reason, /Create vServer group k8s\/\d+\/web\/default\/c0ffee42 with 2 backend\(s\); create the tcp listener on port \d+ \(k8s\/\d+\/web\/default\/c0ffee42, scheduler rr\)/);

    const events: ProvisionEvent[] = [];
    const result = await applyCcmPlan(plan, client, { onStep: (e) => events.push(e), ...NO_FILE_LOCK });
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    assert.equal(result.lines[0].outcome, 'created');
    assert.deepEqual(result.lines[0].steps.map((s) => `${s.step}:${s.status}`), ['vserver-group:ok', 'backends:ok', 'create:ok', 'start:ok']);
    const listener = sb.state().loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!.Listeners.find((l) => l.ListenerPort === front)!;
    assert.match(listener.VServerGroupId ?? '', /^rsp-/);
    assert.equal(listener.BackendServerPort, 0, 'no port of its own: the traffic can only go through the group');
    assert.equal(listener.Description, `k8s/${front}/web/default/${CLUSTER}`);
    assert.equal(listener.Status, 'running');

    // A real connection through the CLB address reaches the group's backend.
    assert.equal(await readGreeting(BASE, front), 'hello from web\n');
    assert.ok(await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000), 'the group backend becomes healthy');
    const [reach] = await checkServiceReachability(manifest, { client, timeoutMs: 1500 });
    assert.equal(reach.reachable, true, JSON.stringify(reach, null, 2));
    assert.deepEqual(reach.steps.map((s) => `${s.name}:${s.ok}`), ['clb:true', 'listener:true', 'health:true', 'connect:true']);
    assert.match(reach.steps[2].detail, /2 of 2 backend\(s\) healthy/);

    // Again: nothing to do, and no change is even attempted.
    const again = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: backends.specs });
    assert.equal(again.lines[0].action, 'unchanged', again.lines[0].reason);
    const from = sb.state().requests.length;
    const second = await applyCcmPlan(again, client, NO_FILE_LOCK);
    assert.equal(second.ok, true);
    assert.equal(second.lines[0].outcome, 'unchanged');
    assert.deepEqual(requestsSince(sb, from).filter((a) => !a.startsWith('Describe')), []);
    assert.ok(!JSON.stringify({ plan, result, events, second }).includes(SECRET));
  });

  it('the worked example with override: the running tcp 6379 listener is taken over and then forwards to the group backend', async () => {
    const client = clientFor(sb);
    const redis = await greeter('redis-via-group');
    try {
      const manifest = parseManifest(service('redis', { id: REDIS_APP_ID, 'force-override-listeners': 'true', 'protocol-port': 'tcp:6379' }, `  - {name: redis, port: 6379, targetPort: 6379, nodePort: ${redis.port}}\n`));
      const plan = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] });
      assert.equal(plan.lines[0].ccm?.listenerAction, 'take-over', plan.lines[0].reason);
      assert.match(plan.lines[0].reason, /take over the tcp listener on port 6379 .*its current backends stop receiving traffic/);
      const result = await applyCcmPlan(plan, client, NO_FILE_LOCK);
      assert.equal(result.ok, true, JSON.stringify(result, null, 2));
      assert.deepEqual(result.lines[0].steps.map((s) => s.apiAction), ['CreateVServerGroup', 'AddVServerGroupBackendServers', 'SetLoadBalancerTCPListenerAttribute']);
      const l = sb.state().loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!.Listeners.find((x) => x.ListenerPort === 6379)!;
      assert.equal(l.Description, `k8s/6379/redis/default/${CLUSTER}`);
      assert.equal(await readGreeting(BASE, 6379), 'hello from redis-via-group\n');
    } finally {
      await redis.close();
    }
  });

  it('without force-override no listener is touched (only the group is set up); with it, another protocol on the port is a conflict and nothing changes', async () => {
    const client = clientFor(sb);
    // The seed has a stopped http listener on 8080 forwarding to backend port 8080.
    const before = sb.state().loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!.Listeners.find((x) => x.ListenerPort === 8080)!;
    const plain = parseManifest(service('plain', { id: REDIS_APP_ID }, `  - {port: 8080, nodePort: ${web.port}}\n`));
    const plan = await planServicePorts(plain, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] });
    assert.equal(plan.lines[0].ccm?.listenerAction, 'not-managed');
    assert.match(plan.lines[0].reason, /the existing tcp listener|no listener is created on port 8080/);
    // The confirmation counts what changes: a group and its backend, no listener.
    assert.equal(modalSummary(plan), '1 vServer group(s) will be created in cn-hangzhou. 1 backend(s) will be added.');
    const result = await applyCcmPlan(plan, client, NO_FILE_LOCK);
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    assert.deepEqual(result.lines[0].steps.map((s) => s.apiAction), ['CreateVServerGroup', 'AddVServerGroupBackendServers']);
    const after = sb.state().loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!.Listeners.find((x) => x.ListenerPort === 8080)!;
    assert.deepEqual(after, before, 'the http 8080 listener is exactly as it was');

    const clash = parseManifest(service('clash', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: 8080, nodePort: ${web.port}}\n`));
    const conflictPlan = await planServicePorts(clash, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] });
    assert.equal(conflictPlan.lines[0].action, 'conflict');
    assert.match(conflictPlan.lines[0].reason, /has a http listener on port 8080: the tcp listener of this Service port cannot be created/);
    const from = sb.state().requests.length;
    const refused = await applyCcmPlan(conflictPlan, client, NO_FILE_LOCK);
    assert.equal(refused.ok, false);
    assert.equal(refused.lines[0].outcome, 'conflict');
    assert.deepEqual(requestsSince(sb, from).filter((a) => !a.startsWith('Describe')), []);

    // A listener another Service manages (the CCM's description) is never taken over, even with the override.
    const port = await freePort(BASE);
    await client.createLoadBalancerTCPListener({ LoadBalancerId: REDIS_APP_ID, ListenerPort: port, BackendServerPort: web.port, Bandwidth: -1, Description: `k8s/${port}/other/prod/${CLUSTER}` } as never);
    const steal = parseManifest(service('thief', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${port}, nodePort: ${web.port}}\n`));
    const stealPlan = await planServicePorts(steal, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] });
    assert.equal(stealPlan.lines[0].action, 'conflict');
    assert.match(stealPlan.lines[0].reason, /belongs to Service prod\/other of cluster c0ffee42/);

    // Two Services of one file on the same CLB port: the first gets it, the second is a conflict already in the plan.
    const shared = await freePort(BASE);
    const two = parseManifest([
      service('first', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${shared}, nodePort: ${web.port}}\n`),
      service('second', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${shared}, nodePort: ${web.port}}\n`),
    ].join('---\n'));
    const twoPlan = await planServicePorts(two, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] });
    assert.deepEqual(twoPlan.lines.map((l) => l.action), ['create', 'conflict']);
    assert.match(twoPlan.lines[1].reason, /belongs to Service default\/first/);
  });

  it('a cloud error half-way: the message says what exists; a second run does only what is missing', async () => {
    const client = clientFor(sb);
    const front = await freePort(BASE);
    const manifest = parseManifest(service('half', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${front}, nodePort: ${web.port}}\n`));
    const plan = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000003' }] });
    sb.injectFault({ action: 'CreateLoadBalancerTCPListener', kind: 'server-error-json', status: 500 });
    const failed = await applyCcmPlan(plan, client, { ...NO_FILE_LOCK, verifyDelaysMs: [0, 50] });
    assert.equal(failed.ok, false);
    const [line] = failed.lines;
    assert.equal(line.outcome, 'failed');
    assert.equal(line.created, true, 'the group was created by this run');
    assert.match(line.message, /It is not known whether the tcp \d+ → k8s\/\d+\/half\/default\/c0ffee42 listener was created/);
    assert.match(line.message, /Done before the failure: vServer group k8s\/\d+\/half\/default\/c0ffee42 \(rsp-[^)]+\) created; 1 backend\(s\) added\./);
    assert.match(line.message, /Run provision again: it does only what is missing\./);
    const note = provisionOutcome(failed, true);
    assert.equal(note.severity, 'warning');
    assert.match(note.message, /^No Service port was fully provisioned: port \d+ \(default\/half\) failed\. Some parts were created/);

    const replan = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000003' }] });
    assert.equal(replan.lines[0].ccm?.groupId !== undefined, true);
    assert.deepEqual(replan.lines[0].ccm?.missingBackends, []);
    const from = sb.state().requests.length;
    const finished = await applyCcmPlan(replan, client, NO_FILE_LOCK);
    assert.equal(finished.ok, true, JSON.stringify(finished, null, 2));
    assert.deepEqual(requestsSince(sb, from).filter((a) => !a.startsWith('Describe')), ['CreateLoadBalancerTCPListener', 'StartLoadBalancerListener']);
    assert.equal(await readGreeting(BASE, front), 'hello from web\n');
  });

  it('a group create whose answer comes too late: the re-read finds the group, no second one is made, the run goes on', async () => {
    const slow = new SlbClient({ credentials: { accessKeyId: KEY_ID, accessKeySecret: SECRET }, regionId: 'cn-hangzhou', endpoint: sb.url, connectTimeoutMs: 2000, readTimeoutMs: 400, retry: { maxAttempts: 1 } });
    const front = await freePort(BASE);
    const manifest = parseManifest(service('late', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${front}, nodePort: ${web.port}}\n`));
    const plan = await planServicePorts(manifest, slow, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000004' }] });
    sb.injectFault({ action: 'CreateVServerGroup', kind: 'slow-response', delayMs: 1200 });
    const result = await applyCcmPlan(plan, slow, { ...NO_FILE_LOCK, verifyDelaysMs: [0, 100] });
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    assert.deepEqual(result.lines[0].steps.map((x) => `${x.step}:${x.status}`), ['vserver-group:failed', 'verify:ok', 'backends:ok', 'create:ok', 'start:ok']);
    assert.match(result.lines[0].steps[1].message, /Checked: the create failed .*but vServer group k8s\/\d+\/late\/default\/c0ffee42 exists now/);
    const groups = (await clientFor(sb).describeVServerGroups({ LoadBalancerId: REDIS_APP_ID })).VServerGroups.VServerGroup.filter((g) => g.VServerGroupName === `k8s/${web.port}/late/default/${CLUSTER}`);
    assert.equal(groups.length, 1);
    assert.equal(await readGreeting(BASE, front), 'hello from web\n');
  });

  it('the same per-CLB lock as the compose provisioning: a run waits (and says so) while another holds the CLB', async () => {
    const client = clientFor(sb);
    const front = await freePort(BASE);
    const manifest = parseManifest(service('queued', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${front}, nodePort: ${web.port}}\n`));
    const plan = await planServicePorts(manifest, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000005' }] });
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const held = withSlbLock(slbLockKey(client, REDIS_APP_ID), () => new Promise<void>((r) => { release = r; entered(); }));
    await inside;
    const events: ProvisionEvent[] = [];
    const from = sb.state().requests.length;
    const running = applyCcmPlan(plan, client, { onStep: (e) => events.push(e), ...NO_FILE_LOCK });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(events.some((e) => e.type === 'wait' && /Waiting for another provisioning run on SLB 'lb-bp1rtfnodmywb43ecu4sf'/.test(e.message)), JSON.stringify(events));
    assert.deepEqual(requestsSince(sb, from), [], 'nothing is read or changed while the lock is held');
    release();
    await held;
    const result = await running;
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
  });

  it('what the tool cannot know is never guessed: no cluster ID, no backend for a new group, no NodePort, no id, eni backends', async () => {
    const client = clientFor(sb);
    const text = [
      service('a', { id: REDIS_APP_ID }, '  - {port: 7101, nodePort: 30101}\n'),
      service('b', { id: REDIS_APP_ID }, '  - {port: 7102}\n'),
      service('c', {}, '  - {port: 7103, nodePort: 30103}\n').replace('  annotations:\n\n', ''),
    ].join('---\n');
    const noCluster = await planServicePorts(parseManifest(text), client, { backends: [{ serverId: 'i-node000001' }] });
    assert.deepEqual(noCluster.lines.map((l) => l.blockedCode), ['CLUSTER_ID_MISSING', 'CLUSTER_ID_MISSING', 'SLB_NOT_FOUND']);
    const noBackends = await planServicePorts(parseManifest(text), client, { clusterId: CLUSTER, backends: [] });
    assert.deepEqual(noBackends.lines.map((l) => l.blockedCode), ['NO_BACKENDS', 'NODE_PORT_UNKNOWN', 'SLB_NOT_FOUND']);
    assert.match(noBackends.lines[0].reason, /--backend <ECS instance ID>/);
    assert.match(noBackends.lines[1].reason, /Write spec\.ports\[\]\.nodePort/);
    const eni = parseManifest(service('e', { id: REDIS_APP_ID }, '  - {port: 7104, nodePort: 30104}\n').replace('  annotations:\n', '  annotations:\n    service.beta.kubernetes.io/backend-type: eni\n'));
    assert.equal((await planServicePorts(eni, client, { clusterId: CLUSTER, backends: [{ serverId: 'i-node000001' }] })).lines[0].blockedCode, 'ENI_BACKENDS');
    // A group that exists but is empty, and no backend given: blocked too (the listener would lead nowhere).
    const { VServerGroupId: emptyGroup } = await client.createVServerGroup({ LoadBalancerId: REDIS_APP_ID, VServerGroupName: `k8s/30105/hollow/default/${CLUSTER}` });
    const hollow = await planServicePorts(parseManifest(service('hollow', { id: REDIS_APP_ID }, '  - {port: 7105, nodePort: 30105}\n')), client, { clusterId: CLUSTER, backends: [] });
    assert.equal(hollow.lines[0].blockedCode, 'NO_BACKENDS');
    assert.match(hollow.lines[0].reason, /has no backend and none was given/);
    assert.ok(emptyGroup);
    assert.ok('error' in parseBackendSpecs(['lb-notanecs']));
    assert.ok('error' in parseBackendSpecs(['i-node000001:99999']));
    assert.deepEqual(parseBackendSpecs(['i-node000001:30080,i-node000002']), { specs: [{ serverId: 'i-node000001', port: 30080 }, { serverId: 'i-node000002', port: undefined }] });
  });

  it('CLI: slb-labels provision <manifest> asks for --yes when not a terminal, applies with it, then says up to date; never prints the secret', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-provision-'));
    try {
      const front = await freePort(BASE);
      const file = path.join(dir, 'svc.yaml');
      fs.writeFileSync(file, service('cli', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${front}, nodePort: ${web.port}}\n`));
      const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET, SLB_LABELS_CACHE_DIR: path.join(dir, 'cache') };
      const common = ['provision', file, '--region', 'cn-hangzhou', '--endpoint', sb.url, '--cluster-id', CLUSTER, '--backend', 'i-node000001'];
      const unconfirmed = await runCli(common, { env, timeoutMs: 30_000 });
      assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
      assert.match(unconfirmed.stdout, new RegExp(`svc\\.yaml:\\d+:\\d+: \\[create\\] port ${front} \\(default/cli\\) tcp://${REDIS_APP_ID}:${front} → backend ${web.port}`));
      assert.match(unconfirmed.stderr, /pass --yes/);
      const applied = await runCli([...common, '--yes'], { env, timeoutMs: 30_000 });
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      assert.match(applied.stdout, /\[created\] port \d+ \(default\/cli\)/);
      assert.match(applied.stderr, /CreateVServerGroup/);
      assert.equal(await readGreeting(BASE, front), 'hello from web\n');
      assert.ok(await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000));
      const reach = await runCli(['reach', file, '--region', 'cn-hangzhou', '--endpoint', sb.url, '--timeout', '1500'], { env, timeoutMs: 30_000 });
      assert.equal(reach.code, 0, reach.stdout + reach.stderr);
      assert.match(reach.stdout, new RegExp(`reachable  default/cli tcp:${front} \\(${REDIS_APP_ID}\\)`));
      const again = await runCli([...common, '--yes'], { env, timeoutMs: 30_000 });
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /\[unchanged\]/);
      const json = await runCli([...common, '--yes', '--format', 'json'], { env, timeoutMs: 30_000 });
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout);
      assert.equal(parsed.plan[0].ccm.groupName, `k8s/${web.port}/cli/default/${CLUSTER}`);
      assert.equal(parsed.result.lines[0].outcome, 'unchanged');
      const zh = await runCli([...common, '--yes', '--locale', 'zh-cn'], { env, timeoutMs: 30_000 });
      assert.equal(zh.code, 0, zh.stderr);
      assert.match(zh.stdout, /端口 \d+ 上的 tcp 监听属于此 Service 端口，转发到后端齐全的虚拟服务器组/);
      // On a terminal: the question, and anything but y/yes changes nothing (in-process, with the CLI's io).
      const front2 = await freePort(BASE);
      const file2 = path.join(dir, 'svc2.yaml');
      fs.writeFileSync(file2, service('ask', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, `  - {port: ${front2}, nodePort: ${web.port}}\n`));
      const asked: string[] = [];
      const io = (answer: string) => ({ out: (x: string) => asked.push(x), err: (x: string) => asked.push(x), env, homeDir: dir, isTTY: true, prompt: async (q: string) => (asked.push(q), answer) });
      const from = sb.state().requests.length;
      assert.equal(await runProvisionCli([file2, '--region', 'cn-hangzhou', '--endpoint', sb.url, '--cluster-id', CLUSTER, '--backend', 'i-node000001'], io('n')), 2);
      assert.ok(asked.some((x) => x.startsWith('Apply this plan to region cn-hangzhou? [y/N]')), asked.join(''));
      assert.ok(asked.some((x) => x.includes('Provisioning cancelled: nothing was changed.')));
      assert.deepEqual(requestsSince(sb, from).filter((x) => !x.startsWith('Describe')), []);
      assert.equal(await runProvisionCli([file2, '--region', 'cn-hangzhou', '--endpoint', sb.url, '--cluster-id', CLUSTER, '--backend', 'i-node000001'], io('y')), 0);
      assert.equal(await readGreeting(BASE, front2), 'hello from web\n');
      assert.ok(!asked.join('').includes(SECRET));
      const usage = await runCli([...common, '--backend', 'node-1'], { env, timeoutMs: 30_000 });
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /'node-1' is not a backend/);
      for (const run of [unconfirmed, applied, reach, again, json, zh, usage]) assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
