// aliyunSlbLabels.checkReachability over LSP: the bundled server (stdio) against the sandbox, with a
// real Redis-protocol backend behind a listener created through the API.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { CloudLspClient, positionOf } from '../cloud-online/lspCloudClient';
import { Backend, clientFor, createListener, freePort, KEY_ID, redisBackend, REDIS_APP_ID, SECRET } from './helpers';

const ADDRESS = '127.0.23.2';
const URI = 'file:///reach-test/docker-compose.yml';

let sb: SandboxHandle;
let home: string;
let redis: Backend;
let front: number;
let text: string;
const clients: CloudLspClient[] = [];

interface CommandResult {
  uri: string;
  region?: string;
  summary: string;
  error?: string;
  notification: { severity: string; message: string };
  results: Array<{ verdict: string; lens: string; label: string; service: string; reachable: boolean; blocker: string | null; latencyMs: number | null; steps: { name: string; ok: boolean; detail: string }[]; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
}

const reachMarks = (p: PublishDiagnosticsParams | undefined): Diagnostic[] => (p?.diagnostics ?? []).filter((d) => d.source === 'aliyun-slb-reach');

async function startServer(trusted = true): Promise<CloudLspClient> {
  const c = await CloudLspClient.start({
    env: { PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET },
    settings: { region: 'cn-hangzhou', endpoint: sb.url, yamlSyntaxErrors: 'all' },
    workspaceTrusted: trusted,
  });
  clients.push(c);
  return c;
}

function execute(c: CloudLspClient, args: unknown, workDoneToken?: string): Promise<CommandResult> {
  return c.request<CommandResult>('workspace/executeCommand', { command: 'aliyunSlbLabels.checkReachability', arguments: [args], ...(workDoneToken ? { workDoneToken } : {}) });
}

before(async () => {
  sb = await startSandbox({ port: 0, addressBase: ADDRESS, healthCheckIntervalMs: 30 });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-reach-lsp-'));
  redis = await redisBackend();
  front = await freePort(ADDRESS);
  await createListener(clientFor(sb), REDIS_APP_ID, 'tcp', front, redis.port);
  await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000, 'tcp');
  text = `services:
  redis:
    image: redis:7-alpine
    ports:
      - "${redis.port}:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:${front}
  web:
    image: nginx
    ports:
      - "8080:8080"
    labels:
      aliyun.lb.port_8080: http://slb_web_stopped_or_missing:8080
`;
});

after(async () => {
  for (const c of clients) await c.stop();
  await redis.close();
  await sb.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('workspace/executeCommand aliyunSlbLabels.checkReachability', () => {
  it('answers for a document that is not open with an error, not a failure', async () => {
    const c = await startServer();
    const r = await execute(c, { uri: 'file:///not-open.yml', all: true });
    assert.match(r.error ?? '', /not open/);
    assert.deepEqual(r.notification, { severity: 'warning', message: r.error });
  });

  it('the label at the cursor: results, the output report, progress, and an information mark on the key', async () => {
    const c = await startServer();
    await c.open(URI, text);
    await c.diagnosticsWhere(URI, () => true);
    const position = positionOf(text, 'aliyun.lb.port_6379', 3);
    const progress: string[] = [];
    const sub = c.connection.onProgress(WorkDoneProgress.type, 'reach-progress-1', (v) => progress.push(v.kind));
    const result = await execute(c, { uri: URI, position }, 'reach-progress-1');
    assert.equal(result.error, undefined);
    assert.equal(result.region, 'cn-hangzhou');
    assert.equal(result.results.length, 1);
    const r = result.results[0];
    assert.equal(r.label, 'aliyun.lb.port_6379');
    assert.equal(r.service, 'redis');
    assert.equal(r.reachable, true, JSON.stringify(r, null, 2));
    assert.equal(r.blocker, null);
    assert.equal(typeof r.latencyMs, 'number');
    assert.deepEqual(r.range.start, positionOf(text, 'aliyun.lb.port_6379'));
    assert.equal(r.steps.at(-1)!.name, 'app');
    assert.match(result.summary, /All 1 label\(s\) reachable\./);
    // The texts an editor shows, rendered by the server.
    assert.match(r.verdict, /^Reachable: tcp:\/\/slb_redis_app:\d+ in [0-9.]+ ms$/);
    assert.match(r.lens, /^reachable, [0-9.]+ ms$/);
    assert.deepEqual(result.notification, { severity: 'info', message: r.verdict });

    const published = await c.diagnosticsWhere(URI, (p) => reachMarks(p).length === 1);
    const mark = reachMarks(published)[0];
    assert.equal(mark.severity, 3, 'information');
    assert.equal(mark.code, 'REACHABLE');
    assert.match(mark.message, /^reachable, [0-9.]+ ms$/);
    assert.deepEqual(mark.range, r.range);
    // The offline diagnostics are still there alongside the mark.
    assert.ok(published.diagnostics.some((d) => d.source !== 'aliyun-slb-reach'), 'other diagnostics kept');

    await c.waitFor('report in the output', () => c.logs.find((l) => l.includes('SLB reachability of') && l.includes('Redis answered +PONG')));
    await c.waitFor('progress end', () => progress.includes('end'));
    sub.dispose();
    assert.equal(progress[0], 'begin');
    assert.ok(progress.includes('report'), 'progress reported per label');
  });

  it('all labels at once; the mark disappears when its label line is edited, others stay and follow line shifts', async () => {
    const c = await startServer();
    await c.open(URI, text);
    await c.diagnosticsWhere(URI, () => true);
    const result = await execute(c, { uri: URI, all: true });
    assert.deepEqual(result.results.map((r) => [r.label, r.blocker]), [['aliyun.lb.port_6379', null], ['aliyun.lb.port_8080', 'SLB_NOT_FOUND']]);
    assert.match(result.summary, /1 of 2 label\(s\) blocked, 1 reachable\./);
    const missingSlb = result.results[1];
    assert.match(missingSlb.verdict, /^Blocked: SLB not found\. Check the name/);
    assert.equal(missingSlb.lens, 'blocked: SLB not found');
    assert.equal(result.notification.severity, 'warning');
    assert.equal(result.notification.message, `1 of 2 label(s) blocked, 1 reachable. aliyun.lb.port_8080 (web) http://slb_web_stopped_or_missing:8080: ${missingSlb.verdict}`);
    const published = await c.diagnosticsWhere(URI, (p) => reachMarks(p).length === 2);
    const blocked = reachMarks(published).find((d) => d.code === 'SLB_NOT_FOUND')!;
    // Words in the message; the stable code stays in diagnostic.code.
    assert.match(blocked.message, /^blocked: SLB not found — Check the name/);
    assert.equal(blocked.severity, 3);

    // Edit the Redis label's line (its front port): its mark goes, the other stays.
    const line = positionOf(text, 'aliyun.lb.port_6379').line;
    const portAt = positionOf(text, `slb_redis_app:${front}`, 'slb_redis_app:'.length);
    await c.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: portAt, end: { line, character: portAt.character + String(front).length } }, text: '6390' }],
    });
    const afterEdit = await c.waitFor('diagnostics of version 2', () => {
      const p = c.latestDiagnostics(URI);
      return p && p.version === 2 ? p : undefined;
    });
    assert.deepEqual(reachMarks(afterEdit).map((d) => d.code), ['SLB_NOT_FOUND']);

    // Insert a line at the top: the remaining mark moves down with its label.
    await c.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# comment\n' }],
    });
    const shifted = await c.waitFor('diagnostics of version 3', () => {
      const p = c.latestDiagnostics(URI);
      return p && p.version === 3 ? p : undefined;
    });
    const moved = reachMarks(shifted);
    assert.equal(moved.length, 1);
    assert.equal(moved[0].range.start.line, blocked.range.start.line + 1);

    // Edit that line too: no marks left.
    const webLine = blocked.range.start.line + 1;
    await c.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 4 },
      contentChanges: [{ range: { start: { line: webLine, character: 6 }, end: { line: webLine, character: 6 } }, text: ' ' }],
    });
    const cleared = await c.waitFor('diagnostics of version 4', () => {
      const p = c.latestDiagnostics(URI);
      return p && p.version === 4 ? p : undefined;
    });
    assert.equal(reachMarks(cleared).length, 0);
  });

  it('no label at the position: an error, no marks', async () => {
    const c = await startServer();
    await c.open(URI, text);
    const result = await execute(c, { uri: URI, position: { line: 0, character: 0 } });
    assert.match(result.error ?? '', /No aliyun\.lb label at the cursor/);
    assert.deepEqual(result.results, []);
  });

  it('refused in an untrusted workspace (nothing probed)', async () => {
    const c = await startServer(false);
    await c.open(URI, text);
    const result = await execute(c, { uri: URI, all: true });
    assert.match(result.error ?? '', /untrusted workspace/);
    assert.deepEqual(result.results, []);
    await c.waitFor('refusal logged', () => c.logs.find((l) => /untrusted workspace/.test(l)));
  });

  it('the AccessKey secret never appears in anything the servers sent', () => {
    for (const c of clients) {
      const all = [...c.notifications, ...c.logs, ...c.stderr].join('\n');
      assert.ok(!all.includes(SECRET), 'secret leaked');
    }
  });
});
