// Provisioning over LSP: the bundled server (stdio) against the local SLB sandbox, through
// workspace/executeCommand with a client that answers the confirmation.
import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { CERT_ID, clientFor, REDIS_ID, requestsSince } from './helpers';
import { positionOf, ProvisionLspClient, ProvisionLspOptions } from './provisionLspClient';

const COMPOSE = `services:
  redis:
    image: redis:7
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
  app:
    image: example/app
    ports:
      - "7001:7000"
      - "8443:443"
    labels:
      aliyun.lb.port_7000: tcp://slb_redis_app:7000
      aliyun.lb.port_443: https://slb_redis_app:443
`;

let sandbox: SandboxHandle;
let home: string;
const clients: ProvisionLspClient[] = [];
const missing = (d: Diagnostic) => d.code === 'slb-listener-missing';

function env(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true', ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
}

async function start(options: Partial<ProvisionLspOptions> = {}): Promise<ProvisionLspClient> {
  const c = await ProvisionLspClient.start({ env: env(), settings: { region: 'cn-hangzhou', endpoint: sandbox.url, online: { refreshMinutes: 0 } }, ...options });
  clients.push(c);
  return c;
}

before(async () => {
  sandbox = await startSandbox({ port: 0, dataPlane: false });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-provision-home-'));
});
beforeEach(async () => {
  await sandbox.reset();
});
after(async () => {
  for (const c of clients) await c.stop();
  // The secret never left the server: not in any message, log line or stderr.
  for (const c of clients) {
    const all = [...c.wire, ...c.logs, ...c.stderr].join('\n');
    assert.ok(!all.includes(DEFAULT_ACCESS_KEY_SECRET), 'the AccessKey secret appears in server output');
  }
  await sandbox?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('executeCommand', () => {
  it('declares plan and provision in executeCommandProvider', async () => {
    const c = await start();
    const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes('aliyunSlbLabels.plan'));
    assert.ok(commands.includes('aliyunSlbLabels.provision'));
  });

  it('plan: the label under the cursor, as JSON with ranges, nothing changed', async () => {
    const c = await start();
    const uri = 'file:///ws/p1/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const res = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, position: positionOf(COMPOSE, 'aliyun.lb.port_7000', 3) }]);
    assert.equal(res.status, 'ok');
    assert.equal(res.plan.lines.length, 1);
    const line = res.plan.lines[0];
    assert.equal(line.label, 'aliyun.lb.port_7000');
    assert.equal(line.action, 'create');
    assert.equal(line.backendPort, 7001);
    assert.deepEqual(line.range.start, positionOf(COMPOSE, 'aliyun.lb.port_7000'));
    const all = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true }]);
    assert.deepEqual(all.plan.lines.map((l: any) => l.action), ['unchanged', 'create', 'create']);
    // The texts an editor shows, rendered by the server: one line per plan line, summary, modal.
    assert.equal(res.texts.lines.length, 1);
    assert.equal(res.texts.lines[0], `[create] aliyun.lb.port_7000 (app) tcp://slb_redis_app:7000 → backend 7001: ${line.reason}`);
    assert.equal(all.texts.summary, 'Plan for region cn-hangzhou: 2 to create, 0 to start, 1 unchanged, 0 conflict(s), 0 blocked.');
    assert.equal(all.texts.modal.message, 'Provision SLB listeners in region cn-hangzhou? This changes cloud resources and may cost money.');
    assert.deepEqual(all.texts.modal.lines.map((l: any) => [l.id, /^\[(\w+)\]/.exec(l.text)?.[1]]), [[all.plan.lines[1].id, 'create'], [all.plan.lines[2].id, 'create'], [all.plan.lines[0].id, 'unchanged']]);
    assert.equal(all.texts.modal.summary, '2 listeners will be created in cn-hangzhou. 1 label is already up to date.');
    assert.equal(requestsSince(sandbox, 0, 'Create').length, 0);
  });

  it('plan and provision texts in the user\'s locale (zh-cn)', async () => {
    const c = await start({ locale: 'zh-cn', answer: 'Apply' });
    const uri = 'file:///ws/p7/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const position = positionOf(COMPOSE, 'aliyun.lb.port_7000');
    const planned = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, position }]);
    assert.equal(planned.status, 'ok');
    for (const s of [planned.texts.lines[0], planned.texts.summary, planned.texts.modal.message, planned.texts.modal.summary]) assert.match(s, /[\u4e00-\u9fff]/, s);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position, confirmed: true }]);
    assert.equal(res.status, 'ok', JSON.stringify(res));
    assert.equal(res.outcome.severity, 'info');
    assert.match(res.outcome.message, /[\u4e00-\u9fff]/, res.outcome.message);
    assert.match(res.outcome.message, /aliyun\.lb\.port_7000 \(app\)/);
    assert.ok(res.outcome.outputLines.some((l: string) => /create \[CreateLoadBalancerTCPListener\] ok/.test(l)), res.outcome.outputLines.join('\n'));
  });

  it('provision answered "Cancel": nothing is created', async () => {
    const c = await start({ answer: 'Cancel' });
    const uri = 'file:///ws/p2/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position: positionOf(COMPOSE, 'aliyun.lb.port_7000') }]);
    assert.equal(res.status, 'cancelled');
    assert.equal(res.ok, false);
    assert.equal(c.messageRequests.length, 1);
    assert.deepEqual(c.messageRequests[0].actions?.map((a) => a.title), ['Apply', 'Cancel']);
    assert.match(c.messageRequests[0].message, /aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000/);
    assert.match(c.messageRequests[0].message, /1 to create/);
    assert.deepEqual(requestsSince(sandbox, 0, 'Create'), []);
    assert.deepEqual(requestsSince(sandbox, 0, 'Start'), []);
  });

  it('provision answered "Apply": created and started, progress reported, steps logged, diagnostics updated, quick fix offered before', async () => {
    const c = await start({ answer: 'Apply' });
    const uri = 'file:///ws/p3/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const before = await c.diagnosticsWhere(uri, (p) => p.diagnostics.some(missing));
    const d = before.diagnostics.find((x) => missing(x) && x.range.start.line === positionOf(COMPOSE, 'tcp://slb_redis_app:7000').line)!;
    assert.ok(d, 'slb-listener-missing on the 7000 label');
    // The quick fix runs the provision command for this label.
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.command?.command === 'aliyunSlbLabels.provision');
    assert.ok(fix, JSON.stringify(actions));
    assert.deepEqual(fix!.command!.arguments, [{ uri, position: d.range.start }]);

    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', fix!.command!.arguments!);
    assert.equal(res.status, 'ok', JSON.stringify(res));
    assert.equal(res.ok, true);
    assert.equal(res.result.lines.length, 1);
    assert.equal(res.result.lines[0].outcome, 'created');
    assert.deepEqual(res.result.lines[0].steps.map((s: any) => `${s.step}:${s.status}`), ['create:ok', 'start:ok']);
    // The notification and output lines, rendered by the server.
    assert.deepEqual({ ...res.outcome, outputLines: undefined }, { severity: 'info', message: 'SLB listeners provisioned: aliyun.lb.port_7000 (app) created.', partial: false, runAgain: false, outputLines: undefined });
    assert.equal(res.outcome.outputLines[0], '  [created] aliyun.lb.port_7000 (app) tcp://slb_redis_app:7000 → backend 7001: ' + res.result.lines[0].message);
    assert.equal(res.outcome.outputLines.at(-1), '  1 created, 0 started, 0 unchanged, 0 conflict(s), 0 blocked, 0 failed.');
    assert.equal(c.messageRequests.length, 1);
    const attr = await clientFor(sandbox).describeLoadBalancerTCPListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 7000 });
    assert.equal(attr.Status, 'running');
    assert.equal(attr.BackendServerPort, 7001);
    // Progress: created by the server, begin … report … end.
    assert.equal(c.progressCreated.length, 1);
    const kinds = c.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.ok(kinds.includes('report'));
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.match(c.progress[0].value.title ?? '', /Provisioning SLB listeners/);
    // Each step logged.
    assert.ok(c.logs.some((l) => /create \[CreateLoadBalancerTCPListener\] ok/.test(l)), c.logs.join('\n'));
    assert.ok(c.logs.some((l) => /start \[StartLoadBalancerListener\] ok/.test(l)));
    // The catalog was refreshed and the diagnostic is gone for that label.
    await c.diagnosticsWhere(uri, (p) => !p.diagnostics.some((x) => missing(x) && x.range.start.line === d.range.start.line) && p.diagnostics.some(missing));
  });

  it('the output reports appear once: plan (on plan), each step, then the result; one message each, no timestamps of its own', async () => {
    const c = await start({ answer: 'Apply' });
    const uri = 'file:///ws/p-once/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const at = positionOf(COMPOSE, 'tcp://slb_redis_app:7000');
    // The VS Code client's flow: plan (its modal), then provision with confirmed: true.
    const planned = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, position: at }]);
    assert.equal(planned.status, 'ok', JSON.stringify(planned));
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position: at, confirmed: true }]);
    assert.equal(res.result.lines[0].outcome, 'created', JSON.stringify(res));
    const logs = c.logs.join('\n');
    const count = (text: string) => logs.split(text).length - 1;
    // The plan report: its title, each plan line and the summary once, in one log message.
    const planLog = c.logs.filter((l) => l.includes('Provisioning plan for'));
    assert.equal(planLog.length, 1, logs);
    for (const line of [...planned.texts.lines, planned.texts.summary]) {
      assert.equal(count(line), 1, `${JSON.stringify(line)} in:\n${logs}`);
      assert.ok(planLog[0].includes(line));
    }
    // Each step once, as it happened.
    assert.equal(c.logs.filter((l) => /create \[CreateLoadBalancerTCPListener\] ok/.test(l)).length, 1, logs);
    assert.equal(c.logs.filter((l) => /start \[StartLoadBalancerListener\] ok/.test(l)).length, 1, logs);
    // The result report once: per label, then the counts.
    const resultLog = c.logs.filter((l) => l.includes('Provisioning result for'));
    assert.equal(resultLog.length, 1, logs);
    assert.equal(count('1 created, 0 started, 0 unchanged, 0 conflict(s), 0 blocked, 0 failed.'), 1, logs);
    assert.equal(count(`[created] aliyun.lb.port_7000 (app) tcp://slb_redis_app:7000 → backend 7001: ${res.result.lines[0].message}`), 1, logs);
    // The editor adds the time and level (VS Code's log channel): the server's messages carry none.
    for (const l of c.logs) assert.doesNotMatch(l, /^\[(Info|Warn|Error)\s*-|\d{1,2}:\d\d:\d\d/, l);
  });

  it('https: a client with a picker gets the certificate list first; with certificateId and confirmed it applies without asking', async () => {
    const c = await start({ answer: 'Apply' });
    const uri = 'file:///ws/p4/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const position = positionOf(COMPOSE, 'aliyun.lb.port_443');
    const ask = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position, certificatePicker: true }]);
    assert.equal(ask.status, 'needs-certificate');
    assert.ok(ask.certificates.some((x: any) => x.id === CERT_ID && x.commonName === 'demo.slb-sandbox.test'));
    assert.equal(ask.needsCertificate.length, 1);
    assert.equal(c.messageRequests.length, 0);
    assert.deepEqual(requestsSince(sandbox, 0, 'Create'), []);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, position, certificateId: CERT_ID, confirmed: true }], 'tok-1');
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(c.messageRequests.length, 0, 'no confirmation when confirmed: true');
    // The request's own workDoneToken is used (no window/workDoneProgress/create).
    assert.equal(c.progressCreated.length, 0);
    assert.ok(c.progress.every((p) => p.token === 'tok-1') && c.progress.length >= 2);
    const attr = await clientFor(sandbox).describeLoadBalancerHTTPSListenerAttribute({ LoadBalancerId: REDIS_ID, ListenerPort: 443 });
    assert.equal(attr.ServerCertificateId, CERT_ID);
    assert.equal(attr.Status, 'running');
  });

  it('https without a picker and without a certificate: that label is blocked with a reason', async () => {
    const c = await start({ answer: 'Apply' });
    const uri = 'file:///ws/p5/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, all: true }]);
    assert.equal(res.status, 'ok');
    assert.equal(res.ok, false);
    const https = res.result.lines.find((l: any) => l.label === 'aliyun.lb.port_443');
    assert.equal(https.outcome, 'blocked');
    assert.equal(https.blockedCode, 'CERTIFICATE_REQUIRED');
    assert.equal(res.result.lines.find((l: any) => l.label === 'aliyun.lb.port_7000').outcome, 'created');
    assert.equal(res.outcome.severity, 'warning');
    assert.equal(res.outcome.partial, true);
    assert.match(res.outcome.message, /^Partly provisioned\. Created or started: aliyun\.lb\.port_7000 \(app\) created\. Not provisioned: aliyun\.lb\.port_443 \(app\) blocked\.$/);
    // Again: nothing left to create except the blocked https line, no confirmation needed for unchanged lines.
    const again = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true }]);
    assert.deepEqual(again.plan.lines.map((l: any) => l.action), ['unchanged', 'unchanged', 'create']);
  });

  it('refuses in an untrusted workspace', async () => {
    const c = await start({ workspaceTrusted: false, answer: 'Apply' });
    const uri = 'file:///ws/p6/docker-compose.yml';
    await c.open(uri, COMPOSE);
    const res = await c.executeCommand<any>('aliyunSlbLabels.provision', [{ uri, all: true }]);
    assert.equal(res.status, 'refused');
    assert.match(res.message, /untrusted workspace/);
    const plan = await c.executeCommand<any>('aliyunSlbLabels.plan', [{ uri, all: true }]);
    assert.equal(plan.status, 'refused');
    assert.deepEqual(requestsSince(sandbox, 0, 'Describe'), []);
  });
});
