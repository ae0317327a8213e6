// Front-port completion (`scheme://<slb>:|`) with the account's listeners, on a fixed catalog
// snapshot: the real SlbCatalog filled by a fake client, read through CloudSession.cloudListeners
// (what server.ts passes to complete()). No network.
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import type { Connection } from 'vscode-languageserver/node';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import type { CatalogClient } from '../../server/src/engine/cloud/catalog';
import type { ListenerSummary, LoadBalancerSummary } from '../../server/src/engine/cloud/slbTypes';
import { CloudListener, complete } from '../../server/src/engine/features/completion';
import { setLocale } from '../../server/src/engine/i18n';
import type { SlbSummary } from '../../server/src/engine/workspaceIndex';
import { CloudSession } from '../../server/src/lsp/cloudSession';
import { withCursor, yaml } from '../unit/helpers';

const REDIS = 'lb-bp1redis000000000001';
const LBS: LoadBalancerSummary[] = [
  { LoadBalancerId: REDIS, LoadBalancerName: 'redis_app', RegionId: 'cn-hangzhou', LoadBalancerStatus: 'active', Address: '47.1.2.3', AddressType: 'internet' },
  { LoadBalancerId: 'lb-bp1web00000000000001', LoadBalancerName: 'web', RegionId: 'cn-hangzhou', LoadBalancerStatus: 'active', Address: '47.1.2.4', AddressType: 'internet' },
  { LoadBalancerId: 'lb-bp1twin0000000000001', LoadBalancerName: 'twin', RegionId: 'cn-hangzhou', LoadBalancerStatus: 'active' },
  { LoadBalancerId: 'lb-bp1twin0000000000002', LoadBalancerName: 'twin', RegionId: 'cn-hangzhou', LoadBalancerStatus: 'active' },
  { LoadBalancerId: 'lb-bp1empty000000000001', LoadBalancerName: 'empty', RegionId: 'cn-hangzhou', LoadBalancerStatus: 'active' },
] as LoadBalancerSummary[];
const LISTENERS: ListenerSummary[] = [
  { LoadBalancerId: REDIS, ListenerPort: 6379, ListenerProtocol: 'tcp', BackendServerPort: 6379, Status: 'running' },
  { LoadBalancerId: REDIS, ListenerPort: 8080, ListenerProtocol: 'http', BackendServerPort: 8080, Status: 'stopped' },
  { LoadBalancerId: REDIS, ListenerPort: 53, ListenerProtocol: 'udp', BackendServerPort: 53, Status: 'running' },
  { LoadBalancerId: 'lb-bp1web00000000000001', ListenerPort: 80, ListenerProtocol: 'http', BackendServerPort: 8080, Status: 'running' },
  { LoadBalancerId: 'lb-bp1web00000000000001', ListenerPort: 8080, ListenerProtocol: 'tcp', BackendServerPort: 9999, Status: 'running' },
  { LoadBalancerId: 'lb-bp1web00000000000001', ListenerPort: 8081, ListenerProtocol: 'tcp', BackendServerPort: 8081, Status: 'running' },
  { LoadBalancerId: 'lb-bp1twin0000000000001', ListenerPort: 6379, ListenerProtocol: 'tcp', BackendServerPort: 6379, Status: 'running' },
];

const fakeClient = {
  describeAllLoadBalancers: async () => LBS,
  describeAllLoadBalancerListeners: async (req: { LoadBalancerId?: string[] | string }) => LISTENERS.filter((l) => ([] as string[]).concat(req.LoadBalancerId ?? []).includes(l.LoadBalancerId)),
} as unknown as CatalogClient;

const noop = () => undefined;
const fakeConnection = { onNotification: noop, onRequest: noop, sendNotification: noop } as unknown as Connection;

let session: CloudSession;

before(async () => {
  setLocale('en');
  session = new CloudSession(fakeConnection, noop, {});
  session.catalog.configure({ clientFor: () => fakeClient, region: 'cn-hangzhou', refreshMinutes: 0 });
  await session.catalog.refresh();
  assert.equal(session.catalog.snapshot()?.slbs.length, 5);
});

interface Opts {
  workspaceSlbs?: SlbSummary[];
  cloudListeners?: ((slb: string) => CloudListener[] | undefined) | null;
}

function portItems(ports: string, value: string, opts: Opts = {}): CompletionItem[] {
  const key = /port_(\d+)/.exec(value)?.[1];
  const { doc, position } = withCursor(yaml('services:', '  app:', '    image: x', '    ports:', `      - "${ports}"`, '    labels:', `      aliyun.lb.port_${key}: ${value.replace(/^aliyun\.lb\.port_\d+: /, '')}|`));
  const items = complete(doc, position, {
    analyzer: new ComposeAnalyzer(),
    workspaceSlbs: opts.workspaceSlbs ?? [],
    cloudListeners: opts.cloudListeners === null ? undefined : opts.cloudListeners ?? session.cloudListeners,
    snippetSupport: true,
  });
  return [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
}

const rows = (items: CompletionItem[]) => items.map((i) => `${i.label} | ${i.detail}`);

describe('CloudSession.cloudListeners (from the cached snapshot)', () => {
  it('by name and by ID, with protocol, backend port and status', () => {
    const byName = session.cloudListeners('redis_app');
    assert.deepEqual(byName, [
      { port: 53, protocol: 'udp', backendPort: 53, status: 'running' },
      { port: 6379, protocol: 'tcp', backendPort: 6379, status: 'running' },
      { port: 8080, protocol: 'http', backendPort: 8080, status: 'stopped' },
    ]);
    assert.deepEqual(session.cloudListeners(REDIS), byName);
    assert.deepEqual(session.cloudListeners('empty'), []);
  });

  it('undefined for an unknown SLB and for a name shared by two SLBs', () => {
    assert.equal(session.cloudListeners('nowhere'), undefined);
    assert.equal(session.cloudListeners('twin'), undefined);
  });
});

describe('front ports at scheme://<slb>:|', () => {
  it('a matching existing listener first, taken ports marked and last', () => {
    const items = portItems('6379:6379', 'aliyun.lb.port_6379: tcp://redis_app:');
    assert.deepEqual(rows(items), [
      '6379 | existing listener: matches this label',
    ]);
    assert.equal(items[0].documentation, 'TCP 6379 → 6379, running');
    assert.equal(items[0].preselect, true);
    assert.equal((items[0].textEdit as { newText: string }).newText, '6379');
  });

  it('taken: the detail says by what; the free ports come first', () => {
    // host port 8080 is taken by a stopped HTTP listener, the container port 6380 is free
    const items = portItems('8080:6380', 'aliyun.lb.port_6380: tcp://redis_app:');
    assert.deepEqual(rows(items), [
      '6380 | same as the container port',
      '8080 | taken: HTTP 8080 → 8080, stopped',
    ]);
    assert.equal(items[1].documentation, 'same as the host (backend) port');
  });

  it('the same protocol on the port but another backend port is taken, not a match', () => {
    const items = portItems('16379:6379', 'aliyun.lb.port_6379: tcp://redis_app:');
    assert.deepEqual(rows(items), [
      '16379 | same as the host (backend) port',
      '6379 | taken: TCP 6379 → 6379, running',
    ]);
  });

  it('a listener with another port that forwards to the host port is offered first', () => {
    // web: TCP 8081 → 8081; label publishes host 8081 from container 81
    const items = portItems('8081:81', 'aliyun.lb.port_81: tcp://web:');
    assert.equal(rows(items)[0], '8081 | existing listener: matches this label');
    assert.deepEqual(rows(items).slice(1), ['81 | same as the container port']);
  });

  it('another protocol with the right backend port is not a match (HTTP 80 → 8080 for a tcp label)', () => {
    const items = portItems('8080:80', 'aliyun.lb.port_80: tcp://web:');
    // 8080 is taken by TCP 8080 → 9999, 80 by HTTP 80 → 8080 (same TCP port space): both taken, next free offered
    assert.deepEqual(rows(items), [
      '8082 | free on this SLB (the usual ports are taken)',
      '8080 | taken: TCP 8080 → 9999, running',
      '80 | taken: HTTP 80 → 8080, running',
    ]);
  });

  it('http labels: the HTTP listener that forwards to the host port matches', () => {
    const items = portItems('8080:80', 'aliyun.lb.port_80: http://web:');
    assert.deepEqual(rows(items), [
      '80 | existing listener: matches this label',
      '8080 | taken: TCP 8080 → 9999, running',
    ]);
  });

  it('udp and tcp port spaces are separate', () => {
    // redis_app has UDP 53: a tcp label on 53 is free, a udp label on 53 matches
    assert.deepEqual(rows(portItems('53:53', 'aliyun.lb.port_53: tcp://redis_app:')), ['53 | same as the host (backend) port']);
    assert.deepEqual(rows(portItems('53:53/udp', 'aliyun.lb.port_53: udp://redis_app:')), ['53 | existing listener: matches this label']);
    // and TCP 6379 does not take udp 6379
    assert.deepEqual(rows(portItems('6379:6379/udp', 'aliyun.lb.port_6379: udp://redis_app:')), ['6379 | same as the host (backend) port']);
  });

  it('workspace use and account use together: free, then used in the workspace, then taken', () => {
    const items = portItems('8080:6380', 'aliyun.lb.port_6380: https://redis_app:', { workspaceSlbs: [{ slb: 'redis_app', files: 1, frontPorts: new Set([443]) }] });
    assert.deepEqual(rows(items), [
      '6380 | same as the container port',
      '443 | the usual HTTPS port; already used on this SLB in the workspace',
      '8080 | taken: HTTP 8080 → 8080, stopped',
    ]);
  });

  it('an SLB without listeners, an unknown or ambiguous one, or no catalog: the offline items', () => {
    const offline = rows(portItems('7777:6379', 'aliyun.lb.port_6379: tcp://nowhere:', { cloudListeners: null }));
    assert.deepEqual(offline, ['7777 | same as the host (backend) port', '6379 | same as the container port']);
    for (const slb of ['empty', 'nowhere', 'twin']) {
      assert.deepEqual(rows(portItems('7777:6379', `aliyun.lb.port_6379: tcp://${slb}:`)), offline, slb);
    }
    // an empty catalog (no credentials): undefined for every SLB
    assert.deepEqual(rows(portItems('7777:6379', 'aliyun.lb.port_6379: tcp://redis_app:', { cloudListeners: () => undefined })), offline);
  });

  it('an SLB reference with a variable is not looked up', () => {
    let asked = 0;
    const items = portItems('6379:6379', 'aliyun.lb.port_6379: tcp://${SLB}:', { cloudListeners: () => (asked++, []) });
    assert.equal(asked, 0);
    assert.deepEqual(rows(items), ['6379 | same as the host (backend) port']);
  });
});
