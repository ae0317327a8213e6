// Online features over LSP: the real bundled server (stdio) against the real local SLB sandbox.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ROLE_ARN } from '../../sandbox/src/index';
import { CloudLspClient, positionOf } from './lspCloudClient';
import { useSandboxServers } from './sandboxServers';

const COMPOSE = `services:
  redis:
    image: redis
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
  web:
    image: nginx
    ports:
      - "8080:80"
    labels:
      aliyun.lb.port_80: http://slb_does_not_exist:80
  dns:
    image: coredns
    ports:
      - "10053:53/udp"
    labels:
      aliyun.lb.port_53: udp://slb_shared_name:10053
  bj:
    image: nginx
    ports:
      - "8082:8082"
    labels:
      aliyun.lb.port_8082: tcp://slb_beijing_web:8082
`;

const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
const online = (d: Diagnostic) => typeof d.code === 'string' && d.code.startsWith('slb-');

const fixture = useSandboxServers('slb-online-home-');
const { baseEnv, credentialsEnv } = fixture;
/** Servers here report every YAML syntax error, so a test sees all that the server says. */
const startServer = (env: Record<string, string>, settings: Record<string, unknown> = {}, trusted = true) => fixture.startServer(env, { yamlSyntaxErrors: 'all', ...settings }, trusted);

describe('with credentials in the environment', () => {
  let client: CloudLspClient;
  const uri = 'file:///ws/online/docker-compose.yml';

  before(async () => {
    client = await startServer(credentialsEnv());
    await client.open(uri, COMPOSE);
    await client.diagnosticsWhere(uri, (p) => p.diagnostics.some(online));
  });

  it('reports an SLB that does not exist, on the SLB span', async () => {
    const p = await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.code === 'slb-not-found'));
    const d = p.diagnostics.find((x) => x.code === 'slb-not-found' && x.message.includes('slb_does_not_exist'))!;
    assert.ok(d, JSON.stringify(p.diagnostics));
    const start = positionOf(COMPOSE, 'slb_does_not_exist');
    assert.deepEqual(d.range, { start, end: { line: start.line, character: start.character + 'slb_does_not_exist'.length } });
    assert.match(d.message, /cn-hangzhou/);
  });

  it('says in which other region an SLB of that name exists', async () => {
    const p = await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.code === 'slb-not-found' && /cn-beijing/.test(d.message)), 15000);
    const d = p.diagnostics.find((x) => x.code === 'slb-not-found' && x.message.includes('slb_beijing_web'))!;
    assert.match(d.message, /exists in cn-beijing/);
    // and the other missing name gets no invented region
    const missing = p.diagnostics.find((x) => x.message.includes('slb_does_not_exist'))!;
    assert.doesNotMatch(missing.message, /cn-beijing|cn-shanghai/);
  });

  it('reports an ambiguous name with the IDs and one quick fix per ID', async () => {
    const p = await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.code === 'slb-name-ambiguous'));
    const d = p.diagnostics.find((x) => x.code === 'slb-name-ambiguous')!;
    assert.match(d.message, /lb-bp1c9yrcmqh4tq1ovsw5r/);
    assert.match(d.message, /lb-bp1n3cm1gkdnt2vuhrv6f/);
    assert.deepEqual(d.range.start, positionOf(COMPOSE, 'slb_shared_name'));
    const actions = await client.request<Array<{ title: string; edit: { changes: Record<string, Array<{ newText: string }>> } }>>('textDocument/codeAction', {
      textDocument: { uri }, range: d.range, context: { diagnostics: [d] },
    });
    const ids = actions.map((a) => a.edit.changes[uri][0].newText).sort();
    assert.deepEqual(ids, ['lb-bp1c9yrcmqh4tq1ovsw5r', 'lb-bp1n3cm1gkdnt2vuhrv6f']);
  });

  it('reports nothing online for a label that matches its running listener', async () => {
    const p = client.latestDiagnostics(uri)!;
    const onRedis = p.diagnostics.filter((d) => d.range.start.line === positionOf(COMPOSE, 'slb_redis_app').line);
    assert.deepEqual(onRedis, []);
  });

  it('completes SLBs of the account with address, type and status', async () => {
    const text = COMPOSE.replace('tcp://slb_redis_app:6379', 'tcp://');
    const u = 'file:///ws/online/complete/docker-compose.yml';
    await client.open(u, text);
    const at = positionOf(text, 'port_6379: tcp://', 'port_6379: tcp://'.length);
    const list = items(await client.request('textDocument/completion', { textDocument: { uri: u }, position: at }));
    const redis = list.find((i) => i.label === 'slb_redis_app');
    assert.ok(redis, list.map((i) => i.label).join(','));
    assert.match(redis.detail ?? '', /lb-bp1rtfnodmywb43ecu4sf/);
    assert.match(redis.detail ?? '', /127\.0\.0\.\d+/);
    assert.match(redis.detail ?? '', /internet/);
    assert.match(redis.detail ?? '', /active/);
    assert.match(String(redis.documentation), /TCP 6379/);
    // One row per SLB: the ID is in the detail (and the filter text), not a second row.
    assert.ok(!list.some((i) => i.label === 'lb-bp1rtfnodmywb43ecu4sf'), 'no second row for the ID');
    assert.match(redis.filterText ?? '', /lb-bp1rtfnodmywb43ecu4sf/);
    const account = list.filter((i) => (i.sortText ?? '').startsWith('0') || (i.sortText ?? '').startsWith('2'));
    const labels = account.map((i) => i.label);
    assert.equal(new Set(labels).size, labels.length, `one row each: ${labels.join(', ')}`);
    // Two SLBs share the name slb_shared_name: each is offered by its ID, the detail says why.
    const shared = list.filter((i) => /name shared by 2 SLBs/.test(i.detail ?? ''));
    assert.equal(shared.length, 2, JSON.stringify(list.map((i) => [i.label, i.detail])));
    assert.ok(shared.every((i) => /^lb-/.test(String(i.label))));
    assert.ok(!list.some((i) => i.label === 'slb_shared_name'), 'an ambiguous name is not offered as if it were one SLB');
    // Unusable SLBs last, with the reason.
    const sorted = [...account].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    const tail = sorted.slice(-2).map((i) => i.label).sort();
    assert.deepEqual(tail, ['slb_legacy_inactive', 'slb_overdue_locked']);
    assert.match(sorted.find((i) => i.label === 'slb_legacy_inactive')!.detail ?? '', /inactive: stopped/);
    assert.match(sorted.find((i) => i.label === 'slb_overdue_locked')!.detail ?? '', /locked: /);
  });

  it('answers the CodeLens states from the catalog: create, start, up to date, conflict', async () => {
    const text = `services:
  app:
    image: redis
    ports:
      - "6379:6379"
      - "7000:7000"
      - "8080:8080"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
      aliyun.lb.port_7000: tcp://slb_redis_app:7000
      aliyun.lb.port_8080: http://slb_redis_app:8080
  other:
    image: nginx
    ports:
      - "9000:9000"
    labels:
      aliyun.lb.port_9000: tcp://slb_does_not_exist:9000
`;
    const u = 'file:///ws/online/states/docker-compose.yml';
    await client.open(u, text);
    await client.diagnosticsWhere(u, (p) => p.diagnostics.some(online));
    const res = await client.request<{ known: boolean; items: Array<{ line: number; state: string; detail: string }> }>('aliyunSlbLabels/labelStates', { uri: u });
    assert.equal(res.known, true);
    const byLine = Object.fromEntries(res.items.map((i) => [i.line, `${i.state}: ${i.detail}`]));
    assert.deepEqual(byLine, {
      8: 'up-to-date: TCP 6379 → 6379',
      9: 'create: TCP 7000 → 7000',
      10: 'start: HTTP 8080 → 8080',
      16: "conflict: No SLB 'slb_does_not_exist' in region cn-hangzhou",
    });
  });

  it('hovers a live card of the SLB: address, type, status, listeners', async () => {
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(COMPOSE, 'slb_redis_app', 3) });
    const value = (h.contents as MarkupContent).value;
    assert.match(value, /lb-bp1rtfnodmywb43ecu4sf/);
    assert.match(value, /127\.0\.0\.\d+ \(internet\) · Status: active/);
    // The chain and the live verdict lead; the card follows.
    assert.match(value.split('\n')[0], /^\*\*SLB `slb_redis_app` TCP 6379 -> host 6379 \(backend port\) -> container 6379\*\*$/);
    assert.match(value.split('\n')[2], /^✓ The TCP listener 6379 → 6379 is running: this label is ready\./);
    assert.match(value, /\| 6379 \| TCP \| 6379 \| running \|/);
    assert.match(value, /\| 8080 \| HTTP \| 8080 \| stopped \|/);
  });

  it('reports a missing listener (information) and a listener with another protocol or backend port', async () => {
    const text = `services:
  api:
    image: nginx
    ports:
      - "9000:9000"
      - "7000:7000"
    labels:
      aliyun.lb.port_9000: tcp://slb_internal_api:9000
      aliyun.lb.port_7000: tcp://slb_internal_api:7001
  cache:
    image: redis
    ports:
      - "16379:6379"
    labels:
      aliyun.lb.port_6379: tcp://lb-bp1rtfnodmywb43ecu4sf:6379
  old:
    image: nginx
    ports:
      - "8081:8081"
    labels:
      aliyun.lb.port_8081: tcp://slb_legacy_inactive:8081
`;
    const u = 'file:///ws/online/listeners/docker-compose.yml';
    await client.open(u, text);
    const p = await client.diagnosticsWhere(u, (p) => p.diagnostics.some(online));
    const codes = (code: string) => p.diagnostics.filter((d) => d.code === code);
    const missing = codes('slb-listener-missing');
    assert.equal(missing.length, 1, JSON.stringify(missing));
    assert.equal(missing[0].severity, 3);
    assert.match(missing[0].message, /front port 7001/);
    assert.match(missing[0].message, /Provision listener/);
    assert.deepEqual(missing[0].range.start, positionOf(text, '7001'));
    const mismatch = codes('slb-listener-mismatch').map((d) => d.message).join('\n');
    assert.match(mismatch, /already has a HTTP listener, but this label needs TCP/);
    assert.match(mismatch, /forwards to backend port 6379, but this service publishes host port 16379/);
    assert.equal(codes('slb-inactive').length, 1);
    assert.equal(codes('slb-intranet').length, 1);
  });

  it('answers cloudStatus and regions requests', async () => {
    const status = await client.request<Record<string, unknown>>('aliyunSlbLabels/cloudStatus');
    assert.equal(status.state, 'ready');
    assert.equal(status.region, 'cn-hangzhou');
    assert.equal(status.source, 'env');
    const regions = await client.request<{ regions: Array<{ id: string }> }>('aliyunSlbLabels/regions');
    assert.ok(regions.regions.some((r) => r.id === 'cn-beijing'));
    const refreshed = await client.request<Record<string, unknown>>('aliyunSlbLabels/refreshCatalog');
    assert.equal(refreshed.state, 'ready');
  });
});

describe('credentials sent by the editor (SecretStorage)', () => {
  it('uses explicit credentials from the notification, and drops online findings when they are cleared', async () => {
    const client = await startServer(baseEnv());
    const uri = 'file:///ws/explicit/docker-compose.yml';
    await client.open(uri, COMPOSE);
    await client.waitFor('no-credentials status', () => client.statuses.some((s) => s.state === 'no-credentials'));
    await client.notify('aliyunSlbLabels/credentials', { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET });
    await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.code === 'slb-not-found'));
    const status = await client.request<Record<string, unknown>>('aliyunSlbLabels/cloudStatus');
    assert.equal(status.source, 'explicit');
    await client.notify('aliyunSlbLabels/credentials', null);
    await client.diagnosticsWhere(uri, (p) => !p.diagnostics.some(online));
  });

  it('a wrong secret is one status message, not a diagnostic on every label', async () => {
    const client = await startServer({ ...baseEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-0123456789' });
    const uri = 'file:///ws/wrong/docker-compose.yml';
    await client.open(uri, COMPOSE);
    const s = await client.waitFor('error status', () => client.statuses.find((x) => x.state === 'error'));
    assert.match(String(s.message), /signature|secret/i);
    const p = await client.diagnosticsWhere(uri, () => true);
    assert.equal(p.diagnostics.filter(online).length, 0);
    assert.equal(client.logs.filter((l) => l.includes('SLB catalog refresh failed')).length, 1);
    assert.ok(!client.notifications.join('\n').includes('wrong-secret-0123456789'));
    assert.ok(!client.stderr.join('').includes('wrong-secret-0123456789'));
  });
});

describe('without credentials', () => {
  it('completion answers quickly with the offline items and no online diagnostics appear', async () => {
    const client = await startServer(baseEnv());
    const uri = 'file:///ws/offline/docker-compose.yml';
    const text = COMPOSE.replace('tcp://slb_redis_app:6379', 'tcp://');
    await client.open(uri, text);
    await client.diagnosticsWhere(uri, () => true);
    const startedAt = Date.now();
    const list = items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(text, 'port_6379: tcp://', 'port_6379: tcp://'.length) }));
    const elapsed = Date.now() - startedAt;
    // Generous bound: the point is that it does not wait on the network (a credential probe or API call would take seconds).
    assert.ok(elapsed < 3000, `completion took ${elapsed} ms`);
    assert.ok(!list.some((i) => i.label === 'slb_redis_app'), 'no account SLBs without credentials');
    assert.ok(list.some((i) => i.label === 'slb_does_not_exist'), 'workspace SLB names are still offered');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.latestDiagnostics(uri)!.diagnostics.filter(online).length, 0);
    const status = await client.request<Record<string, unknown>>('aliyunSlbLabels/cloudStatus');
    assert.equal(status.state, 'no-credentials');
  });

  it('cloud features stay off in an untrusted workspace even with credentials', async () => {
    const requestsBefore = fixture.sandbox().state().requests.length;
    const client = await startServer(credentialsEnv(), {}, false);
    const uri = 'file:///ws/untrusted/docker-compose.yml';
    await client.open(uri, COMPOSE);
    await client.diagnosticsWhere(uri, () => true);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.latestDiagnostics(uri)!.diagnostics.filter(online).length, 0);
    const status = await client.request<Record<string, unknown>>('aliyunSlbLabels/cloudStatus');
    assert.equal(status.state, 'off');
    // Untrusted: not one call to the SLB API.
    assert.equal(fixture.sandbox().state().requests.length, requestsBefore);
  });
});

describe('with an aliyun CLI profile in mode RamRoleArn (STS endpoint from the setting)', () => {
  it('assumes the role through the sandbox STS and runs the online checks with the STS credentials', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-online-role-'));
    try {
      fs.mkdirSync(path.join(home, '.aliyun'));
      fs.writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify({ current: 'ops', profiles: [
        { name: 'ops', mode: 'RamRoleArn', access_key_id: DEFAULT_ACCESS_KEY_ID, access_key_secret: DEFAULT_ACCESS_KEY_SECRET, ram_role_arn: DEFAULT_ROLE_ARN, ram_session_name: 'editor' },
      ] }));
      const client = await startServer({ PATH: process.env.PATH ?? '', HOME: home }, { stsEndpoint: fixture.sandbox().url });
      const uri = 'file:///ws/role/docker-compose.yml';
      await client.open(uri, COMPOSE);
      const p = await client.diagnosticsWhere(uri, (p) => p.diagnostics.some((d) => d.code === 'slb-not-found'), 15000);
      assert.ok(p.diagnostics.some((d) => d.message.includes('slb_does_not_exist')));
      const status = await client.request<Record<string, unknown>>('aliyunSlbLabels/cloudStatus');
      assert.equal(status.source, 'aliyun-cli');
      assert.match(String(status.sourceDescription), /^STS token STS\.\*\*\*\*\w{4} from aliyun CLI profile "ops" .*\(assumed role acs:ram::1234567890123456:role\/slb-sandbox-operator\)/);
      const requests = fixture.sandbox().state().requests;
      const assumed = requests.filter((r) => r.action === 'AssumeRole');
      assert.ok(assumed.length >= 1 && assumed.every((r) => r.accessKeyId === DEFAULT_ACCESS_KEY_ID && r.status === 200));
      const issued = new Set(fixture.sandbox().issuedCredentials().map((c) => c.accessKeyId));
      assert.ok(requests.some((r) => r.action === 'DescribeLoadBalancers' && issued.has(r.accessKeyId ?? '')), 'SLB calls signed with the assumed credentials');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('secret leak check', () => {
  it('no server stderr, log message, notification or diagnostic contains the AccessKey secret, an assumed secret or an STS token', () => {
    assert.ok(fixture.clients().length >= 5);
    const secrets = [DEFAULT_ACCESS_KEY_SECRET];
    for (const c of fixture.sandbox().issuedCredentials()) secrets.push(c.accessKeySecret, c.securityToken);
    assert.ok(secrets.length >= 3, 'the RamRoleArn server assumed a role');
    for (const c of fixture.clients()) {
      const all = [c.stderr.join(''), c.logs.join('\n'), c.notifications.join('\n')].join('\n');
      assert.ok(all.length > 0);
      for (const secret of secrets) {
        assert.ok(!all.includes(secret), 'a secret or token leaked');
        assert.ok(!all.includes(encodeURIComponent(secret)));
      }
    }
  });
});
