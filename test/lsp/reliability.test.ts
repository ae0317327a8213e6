// Issue 9 over the real server (LSP over stdio): a text that used to send the validation worker
// into an endless loop, and a deliberately slow rule, must not stop diagnostics for anybody.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from './lspClient';

const SLOW_DOC = ['services:', '  fine:', '    image: nginx', '  slow_rule_probe:', '    image: nginx', '  after:', '    image: nginx', ''].join('\n');
/** A normal document with one known finding (a label value YAML reads as a number). */
const OTHER_DOC = ['services:', '  web:', '    image: nginx', '    labels:', '      aliyun.scale: 2', ''].join('\n');

describe('LSP reliability: the scan that looped (defect 1)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('answers a document that starts with an empty line and an indented label line, and goes on serving others', async () => {
    const looped = await client.open('file:///rel/h.yml', '\n  aliyun.lb.port_80: tcp://slb_web:');
    assert.ok(looped.diagnostics.length > 0);
    const other = await client.open('file:///rel/other.yml', OTHER_DOC);
    assert.deepEqual(other.diagnostics.map((d) => d.code), ['label-value-not-string']);
    // Typing the label into such a file (the way users hit it) keeps working too.
    const typed = await client.replace('file:///rel/h.yml', '\n  aliyun.lb.port_80: tcp://slb_web:80\n');
    assert.ok(Array.isArray(typed.diagnostics));
  });
});

describe('LSP reliability: time budget with a rule that never ends (defect 2)', () => {
  let client: LspTestClient;
  before(async () => {
    // Test-only hook: every service named slow_rule_probe* costs an hour in the rules.
    client = await LspTestClient.start({ env: { ...process.env, SLB_LABELS_TEST_SLOW_RULE_MS: '3600000', SLB_LABELS_ANALYSIS_BUDGET_MS: '1500' } as Record<string, string> });
  });
  after(async () => {
    await client.stop();
  });

  it('gives the slow document one finding, and a document opened at the same time its diagnostics', async () => {
    const started = Date.now();
    const [slow, other] = await Promise.all([client.open('file:///rel/slow.yml', SLOW_DOC), client.open('file:///rel/other.yml', OTHER_DOC)]);
    const elapsed = Date.now() - started;
    assert.deepEqual(other.diagnostics.map((d) => d.code), ['label-value-not-string']);
    assert.equal(slow.diagnostics.length, 1, JSON.stringify(slow.diagnostics));
    const [stopped] = slow.diagnostics;
    assert.equal(stopped.code, 'analysis-stopped');
    // Line 4 (0-based 3) is where the slow service starts.
    assert.equal(stopped.range.start.line, 3);
    assert.match(stopped.message, /^Analysis stopped after \d+(\.\d)? s at line 4:/);
    assert.ok(elapsed < 8000, `${elapsed} ms`);
    assert.ok(client.logs.some((l) => /restarting the validation worker/.test(l)), client.logs.join('\n'));
  });

  it('goes on validating after the stuck worker was replaced', async () => {
    const edited = await client.replace('file:///rel/other.yml', OTHER_DOC.replace('aliyun.scale: 2', 'aliyun.scale: "2"'));
    assert.deepEqual(edited.diagnostics, []);
    const started = Date.now();
    const fixed = await client.replace('file:///rel/slow.yml', SLOW_DOC.replace('slow_rule_probe', 'quick'));
    assert.deepEqual(fixed.diagnostics, []);
    assert.ok(Date.now() - started < 3000);
  });
});

describe('LSP reliability: a slow analysis stops itself within its budget, in Chinese too', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ locale: 'zh-cn', env: { ...process.env, SLB_LABELS_TEST_SLOW_RULE_MS: '400', SLB_LABELS_ANALYSIS_BUDGET_MS: '1000' } as Record<string, string> });
  });
  after(async () => {
    await client.stop();
  });

  it('reports where it stopped, without replacing the worker', async () => {
    const services = Array.from({ length: 10 }, (_, i) => `  slow_rule_probe_${i}:\n    image: nginx\n`).join('');
    const { diagnostics } = await client.open('file:///rel/slow10.yml', `services:\n${services}`);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'analysis-stopped');
    const line = diagnostics[0].range.start.line;
    assert.ok(line >= 2 && line <= 19, `line ${line}`);
    assert.match(diagnostics[0].message, new RegExp(`^分析在 1 秒后于第 ${line + 1} 行停止`));
    assert.ok(!client.logs.some((l) => /restarting the validation worker/.test(l)), client.logs.join('\n'));
  });
});
