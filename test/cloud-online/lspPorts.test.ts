// Front-port completion over LSP: the real bundled server (stdio) against the real local SLB
// sandbox (default seed: slb_redis_app has TCP 6379 → 6379 running and HTTP 8080 → 8080 stopped).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { CloudLspClient, positionOf } from './lspCloudClient';
import { useSandboxServers } from './sandboxServers';

const COMPOSE = `services:
  redis:
    image: redis
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:
  web:
    image: nginx
    ports:
      - "8080:80"
    labels:
      aliyun.lb.port_80: tcp://slb_redis_app:
  admin:
    image: nginx
    ports:
      - "8080:8080"
    labels:
      aliyun.lb.port_8080: http://lb-bp1rtfnodmywb43ecu4sf:
`;

const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : r?.items ?? []);
const sorted = (list: CompletionItem[]) => [...list].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
const rows = (list: CompletionItem[]) => sorted(list).map((i) => `${i.label} | ${i.detail}`);

const fixture = useSandboxServers('slb-ports-home-');
const { baseEnv, credentialsEnv, startServer } = fixture;

async function portsAt(client: CloudLspClient, uri: string, needle: string): Promise<CompletionItem[]> {
  return items(await client.request('textDocument/completion', { textDocument: { uri }, position: positionOf(COMPOSE, needle, needle.length) }));
}

describe('front ports from the account (credentials in the environment)', () => {
  let client: CloudLspClient;
  const uri = 'file:///ws/ports/docker-compose.yml';

  before(async () => {
    client = await startServer(credentialsEnv());
    await client.open(uri, COMPOSE);
    await client.waitFor('catalog ready', () => client.statuses.some((s) => s.state === 'ready' && !s.refreshing));
  });

  it('the running TCP listener that forwards to the host port is offered first as matching', async () => {
    const list = await portsAt(client, uri, 'port_6379: tcp://slb_redis_app:');
    assert.deepEqual(rows(list), ['6379 | existing listener: matches this label']);
    assert.equal(list[0].documentation, 'TCP 6379 → 6379, running');
  });

  it('a port taken by the stopped HTTP listener is marked and sorted last; the free one first', async () => {
    const list = await portsAt(client, uri, 'port_80: tcp://slb_redis_app:');
    assert.deepEqual(rows(list), ['80 | same as the container port', '8080 | taken: HTTP 8080 → 8080, stopped']);
  });

  it('by ID, for an http label: the stopped HTTP 8080 → 8080 listener matches', async () => {
    const list = await portsAt(client, uri, 'port_8080: http://lb-bp1rtfnodmywb43ecu4sf:');
    assert.deepEqual(rows(list), ['8080 | existing listener: matches this label', '80 | the usual HTTP port']);
  });

  it('answers from the cached catalog: no API request per completion', async () => {
    const before = fixture.sandbox().state().requests.length;
    for (let i = 0; i < 3; i++) await portsAt(client, uri, 'port_6379: tcp://slb_redis_app:');
    assert.equal(fixture.sandbox().state().requests.length, before);
  });
});

describe('front ports without credentials', () => {
  it('the offline items: host port, container port', async () => {
    const client = await startServer(baseEnv());
    const uri = 'file:///ws/ports-offline/docker-compose.yml';
    await client.open(uri, COMPOSE);
    await client.waitFor('no-credentials status', () => client.statuses.some((s) => s.state === 'no-credentials'));
    assert.deepEqual(rows(await portsAt(client, uri, 'port_6379: tcp://slb_redis_app:')), ['6379 | same as the host (backend) port']);
    assert.deepEqual(rows(await portsAt(client, uri, 'port_80: tcp://slb_redis_app:')), ['8080 | same as the host (backend) port', '80 | same as the container port']);
  });
});
