// Online findings over LSP against the local sandbox, on a real folder: a stopped listener is a
// warning whose quick fix starts it through the provisioning path (plan -> confirm -> apply), and
// one SLB named by name in one service and by ID in another is reported (X2).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { clientFor, REDIS_ID } from './helpers';
import { ProvisionLspClient } from './provisionLspClient';

let sandbox: SandboxHandle;
let home: string;
let dir: string;
const clients: ProvisionLspClient[] = [];

async function start(answer?: string): Promise<ProvisionLspClient> {
  const env = { PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
  const c = await ProvisionLspClient.start({ env, settings: { region: 'cn-hangzhou', endpoint: sandbox.url, online: { refreshMinutes: 0 } }, answer });
  clients.push(c);
  return c;
}

function onDisk(name: string, text: string): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'docker-compose.yml');
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
}

before(async () => {
  sandbox = await startSandbox({ port: 0, dataPlane: false });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-stopped-home-'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-stopped-ws-'));
});
after(async () => {
  for (const c of clients) await c.stop();
  for (const c of clients) assert.ok(![...c.wire, ...c.logs, ...c.stderr].join('\n').includes(DEFAULT_ACCESS_KEY_SECRET), 'the AccessKey secret appears in server output');
  await sandbox?.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

const REDIS = `services:
  redis:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
`;

describe('slb-listener-stopped', () => {
  it('a stopped listener: a warning on the front port; its quick fix plans the start, asks, applies it, and the warning goes', async () => {
    await sandbox.reset();
    await clientFor(sandbox).stopLoadBalancerListener({ LoadBalancerId: REDIS_ID, ListenerPort: 6379 });
    const c = await start('Apply');
    const uri = onDisk('stopped', REDIS);
    await c.open(uri, REDIS);
    const stopped = (d: Diagnostic) => d.code === 'slb-listener-stopped';
    const before = await c.diagnosticsWhere(uri, (p) => p.diagnostics.some(stopped));
    const d = before.diagnostics.find(stopped)!;
    assert.equal(d.severity, 2);
    assert.equal(REDIS.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), '6379');
    assert.match(d.message, /exists but is stopped/);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.command?.command === 'aliyunSlbLabels.provision');
    assert.ok(fix, JSON.stringify(actions));
    assert.match(fix!.title, /Start the TCP listener on front port 6379/);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', fix!.command!.arguments!);
    assert.equal(res.status, 'ok', JSON.stringify(res));
    assert.deepEqual(res.result.lines[0].steps.map((s: any) => `${s.step}:${s.status}`), ['start:ok']);
    assert.equal(c.messageRequests.length, 1, 'asked before applying');
    const attr = await clientFor(sandbox).describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 6379 });
    assert.equal(attr.Status, 'running');
    await c.diagnosticsWhere(uri, (p) => !p.diagnostics.some(stopped));
  });
});

describe('slb-same-by-name-and-id', () => {
  it('one SLB by name in one service and by ID in another: information on the second, related to the first', async () => {
    await sandbox.reset();
    const text = `${REDIS}  cache:
    image: redis:7
    ports:
      - "6380:6380"
    labels:
      aliyun.lb.port_6380: tcp://${REDIS_ID}:6380
`;
    const c = await start();
    const uri = onDisk('name-and-id', text);
    await c.open(uri, text);
    const same = (d: Diagnostic) => d.code === 'slb-same-by-name-and-id';
    const got = await c.diagnosticsWhere(uri, (p) => p.diagnostics.some(same));
    const d = got.diagnostics.find(same)!;
    assert.equal(d.severity, 3);
    assert.equal(text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character), REDIS_ID);
    assert.match(d.message, /'slb_redis_app' \(service 'redis'\) are the same SLB/);
    // Offline the two texts are two SLBs: no cross-service error is claimed.
    assert.ok(!got.diagnostics.some((x) => x.code === 'lb-slb-shared'));
  });
});
