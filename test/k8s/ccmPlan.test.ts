// What the CCM would do on a Service's CLB, planned against the real sandbox over the signed API,
// and the sandbox's vServer-group calls the CCM uses.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { loadSeed } from '../../sandbox/src/store';
import type { SlbAction } from '../../server/src/engine/cloud/slbClient';
import { planManifest } from '../../server/src/engine/k8s/ccmPlan';
import { parseManifest } from '../../server/src/engine/k8s/parse';
import { LOCKED_ID, REDIS_APP_ID, sandboxClient } from '../helpers/sandbox';
import { REPO_ROOT } from '../lsp/lspClient';
import { runCli } from '../helpers/cli';

const CLUSTER_MADE_ID = 'lb-bp1k8sclustermade0001';

function service(name: string, annotations: Record<string, string>, ports: string): string {
  const lines = Object.entries(annotations).map(([k, v]) => `    service.beta.kubernetes.io/alibaba-cloud-loadbalancer-${k}: ${JSON.stringify(v)}`);
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n${lines.join('\n')}${lines.length ? '\n' : ''}spec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n${ports}`;
}

describe('CCM plan and vServer groups against the sandbox', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    const seed = loadSeed(undefined);
    const template = seed.loadBalancers.find((lb) => lb.LoadBalancerId === REDIS_APP_ID)!;
    seed.loadBalancers.push({ ...structuredClone(template), LoadBalancerId: CLUSTER_MADE_ID, LoadBalancerName: 'a1b2c3', Tags: [{ TagKey: 'ack.aliyun.com', TagValue: 'c0ffee' }], Listeners: [] } as typeof template);
    sandbox = await startSandbox({ port: 0, dataPlane: false, seed });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('vServer groups: create empty, add in batches of at most 20, set weight, remove, delete; a locked CLB refuses', async () => {
    const client = sandboxClient(sandbox);
    const call = <B>(action: string, request: object) => client.call<B>(action as SlbAction, request);
    const { VServerGroupId: id } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'k8s/30080/redis/default/c1' });
    assert.match(id, /^rsp-/);
    const nodes = Array.from({ length: 21 }, (_, i) => ({ ServerId: `i-node${i}`, Port: 30080, Weight: 100, Type: 'ecs', Description: 'k8s/30080/redis/default/c1' }));
    await assert.rejects(call('AddVServerGroupBackendServers', { VServerGroupId: id, BackendServers: JSON.stringify(nodes) }), /20/);
    await call('AddVServerGroupBackendServers', { VServerGroupId: id, BackendServers: JSON.stringify(nodes.slice(0, 20)) });
    await call('AddVServerGroupBackendServers', { VServerGroupId: id, BackendServers: JSON.stringify(nodes.slice(20)) });
    await call('SetVServerGroupAttribute', { VServerGroupId: id, BackendServers: JSON.stringify([{ ...nodes[0], Weight: 0 }]) });
    await call('RemoveVServerGroupBackendServers', { VServerGroupId: id, BackendServers: JSON.stringify([nodes[1]]) });
    const attr = await call<{ VServerGroupName: string; BackendServers: { BackendServer: { ServerId: string; Weight: number }[] } }>('DescribeVServerGroupAttribute', { VServerGroupId: id });
    assert.equal(attr.VServerGroupName, 'k8s/30080/redis/default/c1');
    assert.equal(attr.BackendServers.BackendServer.length, 20);
    assert.equal(attr.BackendServers.BackendServer.find((b) => b.ServerId === 'i-node0')!.Weight, 0);
    const list = await call<{ VServerGroups: { VServerGroup: { VServerGroupId: string }[] } }>('DescribeVServerGroups', { LoadBalancerId: REDIS_APP_ID });
    assert.deepEqual(list.VServerGroups.VServerGroup.map((g) => g.VServerGroupId), [id]);
    await call('DeleteVServerGroup', { VServerGroupId: id });
    await assert.rejects(call('DescribeVServerGroupAttribute', { VServerGroupId: id }), /VServerGroupId/);
    await assert.rejects(call('CreateVServerGroup', { LoadBalancerId: LOCKED_ID, VServerGroupName: 'x' }), /locked/);
  });

  it('the worked example with override: the existing tcp 6379 listener is taken over, the vServer group is new, then kept once it exists', async () => {
    const client = sandboxClient(sandbox);
    const manifest = parseManifest(service('redis', { id: REDIS_APP_ID, 'force-override-listeners': 'true', 'protocol-port': 'tcp:6379' }, '  - {port: 6379, targetPort: 6379, nodePort: 30079}\n'));
    const [plan] = await planManifest(manifest, client, { clusterId: 'c1' });
    assert.deepEqual(plan.lines.map((l) => `${l.action} ${l.kind} ${l.name}`), [
      `keep clb ${REDIS_APP_ID}`,
      'create vserver-group k8s/30079/redis/default/c1',
      'take-over listener k8s/6379/redis/default/c1',
    ]);
    const { VServerGroupId } = await client.call<{ VServerGroupId: string }>('CreateVServerGroup' as SlbAction, { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'k8s/30079/redis/default/c1' });
    const [again] = await planManifest(manifest, client, { clusterId: 'c1' });
    assert.equal(again.lines[1].action, 'keep');
    assert.match(again.lines[1].detail, new RegExp(VServerGroupId));
    await client.call('DeleteVServerGroup' as SlbAction, { VServerGroupId });
  });

  it('without override nothing is managed; with it another protocol on the port is a conflict; a cluster-made CLB is blocked; no id means a new CLB', async () => {
    const client = sandboxClient(sandbox);
    const text = [
      service('plain', { id: REDIS_APP_ID }, '  - {port: 6379}\n  - {port: 7000}\n'),
      service('clash', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, '  - {port: 8080}\n'),
      service('made', { id: CLUSTER_MADE_ID }, '  - {port: 80}\n'),
      service('fresh', {}, '  - {port: 80, targetPort: 8080}\n'),
    ].join('---\n');
    const plans = await planManifest(parseManifest(text), client, {});
    const actions = plans.map((p) => `${p.service}: ${p.lines.map((l) => `${l.action}/${l.kind}`).join(' ')}`);
    assert.deepEqual(actions, [
      'plain: keep/clb create/vserver-group not-managed/listener create/vserver-group not-managed/listener',
      'clash: keep/clb create/vserver-group conflict/listener',
      'made: blocked/clb',
      'fresh: create/clb create/vserver-group create/listener',
    ]);
    assert.equal(plans[0].lines[1].name, 'k8s/<NodePort>/plain/default/<clusterId>');
  });

  it('a listener another Service owns (the CCM\'s description) is a conflict, not a take-over', async () => {
    const client = sandboxClient(sandbox);
    await client.createLoadBalancerTCPListener({ LoadBalancerId: REDIS_APP_ID, ListenerPort: 9100, BackendServerPort: 9100, Bandwidth: -1, Description: 'k8s/9100/other/prod/c1' } as never);
    const [plan] = await planManifest(parseManifest(service('mine', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, '  - {port: 9100, nodePort: 30100}\n')), client, { clusterId: 'c1' });
    assert.equal(plan.lines.at(-1)!.action, 'conflict');
    assert.match(plan.lines.at(-1)!.detail, /belongs to Service prod\/other of cluster c1/);
    await client.deleteLoadBalancerListener({ LoadBalancerId: REDIS_APP_ID, ListenerPort: 9100 } as never);
  });

  it('CLI: slb-labels plan on a manifest prints the CCM plan and exits 1 on a conflict', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-plan-'));
    try {
      const file = path.join(dir, 'svc.yaml');
      fs.writeFileSync(file, service('clash', { id: REDIS_APP_ID, 'force-override-listeners': 'true' }, '  - {port: 8080}\n'));
      const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
      const run = await runCli(['plan', file, '--region', 'cn-hangzhou', '--endpoint', sandbox.url, '--cluster-id', 'c1'], { env, timeoutMs: 30_000 });
      const result = { status: run.code, stdout: run.stdout, stderr: run.stderr };
      assert.equal(result.status, 1, result.stderr + result.stdout);
      assert.match(result.stdout, /Service default\/clash on lb-bp1rtfnodmywb43ecu4sf:/);
      assert.match(result.stdout, /conflict\s+listener\s+k8s\/8080\/clash\/default\/c1 \(tcp:8080\)/);
      assert.ok(!result.stdout.includes(DEFAULT_ACCESS_KEY_SECRET) && !result.stderr.includes(DEFAULT_ACCESS_KEY_SECRET));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
