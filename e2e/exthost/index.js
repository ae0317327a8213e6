// Runs INSIDE the VS Code extension host (code-server's remote Node extension host), loaded as
// extensionTestsPath by e2e/tests/exthost.test.mjs; the extension under test is the checkout
// itself (extensionDevelopmentPath = repository root, its dist/ bundles). Precise API-level
// checks: diagnostic ranges, codes and severities (vscode.languages.getDiagnostics), completion
// items (vscode.executeCompletionItemProvider), hover (vscode.executeHoverProvider).
// run() resolves = pass; a throw = fail (the workbench reports it through codeAutomationExit(1)).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'slb-labels.aliyun-slb-labels';

async function waitFor(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ': ' + last.message : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d) => (typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code));
const where = (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
const show = (ds) => ds.map((d) => `${codeOf(d)} @${where(d)} sev${d.severity} ${d.message}`).join('\n');

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok - ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    console.error(`not ok - ${name}: ${err && err.stack ? err.stack : err}`);
    throw err;
  }
}

async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const broken = vscode.Uri.joinPath(folder, 'docker-compose.broken.yml');
  const valid = vscode.Uri.joinPath(folder, 'docker-compose.yml');

  await test('the extension activates on a Compose file', async () => {
    const doc = await vscode.workspace.openTextDocument(broken);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dockercompose');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await waitFor('activation', () => ext.isActive, 30000);
  });

  await test('diagnostics: codes, ranges and severities of the broken labels (offline and online)', async () => {
    const ds = await waitFor('the online slb-inactive diagnostic', () => {
      const d = vscode.languages.getDiagnostics(broken);
      return d.some((x) => codeOf(x) === 'slb-inactive') && d.some((x) => codeOf(x) === 'aliyun-label-unknown') ? d : undefined;
    });
    const one = (code) => {
      const found = ds.filter((d) => codeOf(d) === code);
      assert.equal(found.length, 1, `${code}: expected 1 diagnostic, got:\n${show(ds)}`);
      assert.equal(found[0].source, 'aliyun-slb');
      return found[0];
    };
    const E = vscode.DiagnosticSeverity.Error;
    const W = vscode.DiagnosticSeverity.Warning;
    let d = one('yaml-missing-space-after-colon');
    assert.equal(d.severity, E);
    assert.equal(d.range.start.line, 10);
    assert.equal(d.range.start.character, 23); // the ':' after aliyun.lb.port_80
    d = one('lb-port-not-published');
    assert.equal(d.severity, E);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [18, 6, 18, 25]); // the key aliyun.lb.port_8081
    d = one('lb-protocol-mismatch');
    assert.equal(d.severity, E);
    assert.equal(d.range.start.line, 26);
    assert.equal(d.range.start.character, 25); // the scheme tcp
    assert.ok(d.relatedInformation && d.relatedInformation.some((r) => r.location.range.start.line === 23), 'related: the udp mapping on line 24');
    d = one('aliyun-label-unknown');
    assert.equal(d.severity, W);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [32, 6, 32, 24]);
    assert.match(d.message, /Did you mean 'aliyun\.lb\.port_80'\?/);
    d = one('slb-inactive'); // from the sandbox: slb_legacy_inactive is inactive
    assert.equal(d.severity, W);
    assert.equal(d.range.start.line, 18);
    assert.equal(vscode.languages.getDiagnostics(broken).length, 6, show(ds));
  });

  await test('the Redis example has no diagnostics; hover over the SLB shows the live card', async () => {
    const doc = await vscode.workspace.openTextDocument(valid);
    await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(9).text;
    const pos = new vscode.Position(9, line.indexOf('slb_redis_app') + 3);
    const hover = await waitFor('the live card', async () => {
      const hs = await vscode.commands.executeCommand('vscode.executeHoverProvider', valid, pos);
      const text = (hs || []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return text.includes('lb-bp1rtfnodmywb43ecu4sf') ? text : undefined;
    });
    assert.match(hover, /live/);
    assert.deepEqual(show(vscode.languages.getDiagnostics(valid)), '');
  });

  await test('completion: aliyun.lb.port_6379 snippet for a new label line, SLB names from the sandbox at the value', async () => {
    const doc = await vscode.workspace.openTextDocument(valid);
    const editor = await vscode.window.showTextDocument(doc);
    // Replace the existing label with a half-typed one (unsaved edit, as a user would type).
    await editor.edit((e) => e.replace(doc.lineAt(9).range, '      aliyun.lb'));
    let list = await waitFor('key completion', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', valid, new vscode.Position(9, 15));
      return l.items.some((i) => (i.label.label || i.label) === 'aliyun.lb.port_6379') ? l : undefined;
    });
    const key = list.items.find((i) => (i.label.label || i.label) === 'aliyun.lb.port_6379');
    assert.equal(key.kind, vscode.CompletionItemKind.Property);
    assert.ok(key.insertText instanceof vscode.SnippetString, 'insertText is a snippet');
    assert.match(key.insertText.value, /^aliyun\.lb\.port_6379: \$\{1\|tcp,http,https\|\}:\/\/\$\{2:slb_[a-z_]+\}:\$\{3:6379\}\$0$/);
    assert.match(String(key.detail), /container port 6379 \(published on host port 6379\/tcp\)/);

    await editor.edit((e) => e.replace(doc.lineAt(9).range, '      aliyun.lb.port_6379: tcp://slb'));
    list = await waitFor('SLB name completion', async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', valid, new vscode.Position(9, 37));
      return l.items.some((i) => (i.label.label || i.label) === 'slb_overdue_locked') ? l : undefined;
    });
    const names = list.items.map((i) => i.label.label || i.label);
    for (const n of ['slb_redis_app', 'slb_internal_api', 'slb_legacy_inactive', 'slb_overdue_locked']) assert.ok(names.includes(n), `${n} not offered: ${names.join(', ')}`);
    assert.ok(!names.includes('slb_beijing_web'), 'an SLB of another region is offered');
    const redis = list.items.find((i) => (i.label.label || i.label) === 'slb_redis_app');
    const detail = [redis.detail, redis.label.description, redis.label.detail].filter(Boolean).join(' ');
    assert.match(detail, /lb-bp1rtfnodmywb43ecu4sf/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  await test('the quick fix for the missing space is offered as a preferred code action with the right edit', async () => {
    const doc = await vscode.workspace.openTextDocument(broken);
    await vscode.window.showTextDocument(doc);
    const range = new vscode.Range(10, 23, 10, 24);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', broken, range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === "Insert a space after ':'");
    assert.ok(fix, `no fix: ${actions.map((a) => a.title).join(', ')}`);
    const edits = fix.edit.get(broken);
    assert.equal(edits.length, 1);
    assert.equal(edits[0].newText.trim(), '');
    assert.equal(edits[0].range.start.line, 10);
  });
}

module.exports = { run };
