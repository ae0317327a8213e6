// What a user sees in the real editor (code-server = VS Code 1.100.3, headless chromium), with
// the packaged .vsix installed and the extension pointed at the local SLB sandbox.
// Screenshots go to test-output/e2e/ui/; logs are kept there when a test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startSession, sessionTest } from '../lib/session.mjs';
import * as wb from '../lib/workbench.mjs';
import * as h from '../lib/host.mjs';

let s;
const it = sessionTest(test, () => s);
const shot = (name) => wb.screenshot(s.page, path.join(s.outDir, name));

before(async () => {
  // No LSP trace in the output channel: the reachability report is shown there as a user sees it.
  // The old key of validation.syntaxErrors, as a user's settings.json may still have it (shown as deprecated).
  s = await startSession('ui', { settings: { 'aliyunSlbLabels.trace.server': 'off', 'aliyunSlbLabels.yamlSyntaxErrors': 'all' } });
}, { timeout: 120_000 });

after(async () => {
  await s?.stop();
}, { timeout: 60_000 });

it('a broken label shows a squiggle, its message in the hover and in the Problems panel', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.broken.yml');
  await wb.waitForCodeLenses(page); // they shift the lines down: measure the squiggle after them
  const sq = await wb.squiggleOnLine(page, 'aliyun.lb.port_8081:', 'error', 45_000);
  const hover = await wb.hoverAt(page, sq.x + Math.min(sq.width / 2, 40), sq.y + sq.height / 2, 'Container port 8081 is not published');
  assert.match(hover, /Add '8081:8081' under ports/);
  await shot('diagnostic-hover.png');
  await wb.escape(page);

  const rows = await wb.problems(page, (rows) => rows.some((r) => r.includes('Unknown Container Service label')) && rows.some((r) => r.includes('is inactive')));
  const row = (re) => assert.ok(rows.some((r) => re.test(r)), `no Problems row matching ${re} in:\n${rows.join('\n')}`);
  row(/^Error: No space after ':' in 'aliyun\.lb\.port_80:http:\/\/slb_internal_api:9000'.* at line 11 and character 24\./);
  row(/^Error: Container port 8081 is not published.* at line 19 /);
  row(/^Error: tcp SLB binding on container port 53, but the port is published as udp\. .* at line 27 /);
  row(/^Warning: Unknown Container Service label 'aliyun\.lb\.ports_80'\. Did you mean 'aliyun\.lb\.port_80'\? at line 33 /);
  // Online (from the sandbox): the SLB of line 19 exists but is inactive.
  row(/^Warning: SLB 'slb_legacy_inactive' is inactive.* at line 19 /);
  await shot('problems-panel.png');
  await wb.closePanel(page);
});

it('the Redis example shows no problem; hovering the SLB name shows the live card from the sandbox', { timeout: 60_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.yml');
  const p = await wb.pointOfText(page, 'aliyun.lb.port_6379', 'slb_redis_app');
  const card = await wb.hoverAt(page, p.x, p.y, 'lb-bp1rtfnodmywb43ecu4sf', 30_000);
  assert.match(card, /SLB slb_redis_app/);
  assert.match(card, /live/);
  assert.match(card, /cn-hangzhou/);
  assert.match(card, /active/);
  // The card sits below the label's docs: scroll the hover down to it for the screenshot.
  await wb.scrollHoverTo(page, 'live');
  await shot('slb-live-card.png');
  await wb.escape(page);
  // The server has this document and the live catalog (the card came from both): no squiggle,
  // and the Problems panel lists only the broken file.
  for (const sev of ['error', 'warning', 'info']) assert.deepEqual(await wb.squiggles(page, sev), [], `${sev} squiggle in docker-compose.yml`);
  // (Both files are open, so the Problems panel lists the broken one, and only that one.)
  const rows = await wb.problems(page, (rows) => rows.some((r) => r.includes('docker-compose.broken.yml')));
  assert.ok(!rows.some((r) => /in file docker-compose\.yml /.test(r)), `docker-compose.yml has problems:\n${rows.join('\n')}`);
  await wb.closePanel(page);
});

it('typing a new label line offers aliyun.lb.port_6379, accepting inserts the snippet, and the value offers SLB names from the sandbox', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.yml');
  // Remove the existing label, then start a new line under `labels:` as a user would.
  await wb.clickText(page, 'aliyun.lb.port_6379', 'aliyun.lb.port_6379', { at: 'end' });
  await page.keyboard.press('Control+Shift+K');
  await wb.waitGone(page, 'aliyun.lb.port_6379');
  await wb.clickText(page, 'labels:', 'labels:', { at: 'end' });
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await wb.setCurrentLineText(page, '      aliyun.lb');
  await page.keyboard.press('Control+Space');
  const labels = await wb.suggestions(page, (l) => l.includes('aliyun.lb.port_6379'));
  assert.equal(labels[0], 'aliyun.lb.port_6379', `first suggestion: ${labels.join(', ')}`);
  await wb.waitForSuggestDetails(page, 'container port 6379');
  await shot('completion-label.png');
  await wb.acceptSuggestion(page, 'aliyun.lb.port_6379');
  // The snippet: key, scheme choice, the first SLB of the live catalog as placeholder, the host port.
  const inserted = await wb.lineWith(page, 'aliyun.lb.port_6379:');
  assert.match(inserted.text, /^ {6}aliyun\.lb\.port_6379: tcp:\/\/slb_[a-z_]+:6379$/);
  await wb.escape(page, 2);

  // At the value: SLB names come from the sandbox (slb_overdue_locked is in no demo file).
  await wb.setCurrentLineText(page, '      aliyun.lb.port_6379: tcp://slb');
  await page.keyboard.press('Control+Space');
  const names = await wb.suggestions(page, (l) => l.includes('slb_overdue_locked') && l.includes('slb_redis_app'));
  assert.ok(names.includes('slb_internal_api'), names.join(', '));
  await wb.focusSuggestion(page, 'slb_redis_app');
  await wb.waitForSuggestDetails(page, 'lb-bp1rtfnodmywb43ecu4sf');
  await shot('completion-slb-names.png');
  await wb.acceptSuggestion(page, 'slb_redis_app');
  await wb.lineWith(page, 'aliyun.lb.port_6379: tcp://slb_redis_app');
  await wb.escape(page, 2);
});

it('the quick fix for the missing space after the colon repairs the line', { timeout: 60_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.broken.yml');
  await wb.squiggleOnLine(page, 'aliyun.lb.port_80:http', 'error', 30_000);
  await wb.clickText(page, 'aliyun.lb.port_80:http', 'aliyun.lb.port_80');
  const titles = await wb.codeActions(page, "Insert a space after ':'");
  await shot('quick-fix.png');
  await wb.applyCodeAction(page, "Insert a space after ':'");
  await wb.lineWith(page, 'aliyun.lb.port_80: http://slb_internal_api:9000');
  // The error squiggle on that line goes away once the server re-checks the edited text.
  await wb.waitUntilNoSquiggleOnLine(page, 'aliyun.lb.port_80: http', 'error');
  const rows = await wb.problems(page, (rows) => !rows.some((r) => r.includes("No space after ':'")) && rows.some((r) => r.includes('docker-compose.broken.yml')));
  assert.ok(!rows.some((r) => r.includes("No space after ':'")), titles.join(', '));
  await wb.closePanel(page);
});

// The provisioning and reachability UI (client/src/cloudCommands.ts, codeLens.ts; texts in
// docs/client-cloud.md). docker-compose.new-listener.yml has a label whose listener does not
// exist in the sandbox yet: TCP front port 7000 of slb_redis_app, backend port 7000.
const NEW_LABEL = 'aliyun.lb.port_7000';
const LISTENER_MISSING = 'No listener on front port 7000';

/** The sandbox's listener `port` of the SLB named `name` (undefined when there is none). */
async function sandboxListener(name, port) {
  const state = await h.sandboxState(s.sandbox.url);
  const lb = state.loadBalancers.find((l) => l.LoadBalancerName === name && l.RegionId === 'cn-hangzhou');
  assert.ok(lb, `no SLB ${name} in the sandbox`);
  return lb.Listeners.find((l) => l.ListenerPort === port && l.ListenerProtocol === 'tcp');
}

it('CodeLens "Provision listener": the plan in the modal, Apply, the listener exists in the sandbox and the diagnostic goes away', { timeout: 120_000 }, async () => {
  const { page } = s;
  assert.equal(await sandboxListener('slb_redis_app', 7000), undefined, 'the sandbox already has a TCP 7000 listener on slb_redis_app');
  await wb.openFile(page, 'docker-compose.new-listener.yml');
  // First the online diagnostic slb-listener-missing (information): squiggle and Problems row.
  await wb.squiggleOnLine(page, `${NEW_LABEL}:`, 'info', 45_000);
  // (Other files' problems are listed too and the list only renders what fits: filter it.)
  await wb.filterProblems(page, LISTENER_MISSING);
  const before = await wb.problems(page, (rows) => rows.some((r) => r.includes(LISTENER_MISSING)));
  assert.ok(before.some((r) => /^Info: No listener on front port 7000 of SLB 'slb_redis_app' yet: run 'Provision listener' to create a TCP listener forwarding to backend port 7000\..* at line 11 /.test(r)), before.join('\n'));
  await wb.filterProblems(page, '');
  await wb.closePanel(page);
  await wb.clearNotifications(page);

  // The lens says what provisioning would do (the catalog knows there is no listener yet).
  const createLens = await wb.codeLens(page, 'Create listener TCP 7000 → 7000');
  await shot('lens-create.png');
  await createLens.click();
  const dialog = await wb.modalDialog(page, 30_000);
  // The region keeps its hyphen unbroken (U+2011), so it never wraps as "cn-/hangzhou".
  assert.equal(dialog.message, 'Provision SLB listeners in region cn\u2011hangzhou? This changes cloud resources and may cost money.');
  assert.match(dialog.detail, /\[create\] aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000 → backend 7000: /);
  // The summary is a sentence, not a row of zero counts.
  assert.match(dialog.detail, /1 listener will be created in cn\u2011hangzhou\./);
  assert.doesNotMatch(dialog.detail, /0 conflict\(s\)/);
  assert.ok(dialog.buttons.some((b) => b.includes('Apply')) && dialog.buttons.some((b) => b.includes('Cancel')), dialog.buttons.join(', '));
  // The safe choice is the default: the focused button (Enter) changes nothing.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent ?? ''), 'Review the plan');
  await shot('provision-plan.png');
  await wb.clickDialogButton(page, 'Apply');

  await wb.waitForToast(page, 'SLB listeners provisioned: aliyun.lb.port_7000 (app) created.', 60_000);
  // The sandbox (its admin API) now has the listener, running, forwarding to backend port 7000.
  const listener = await h.waitUntil(() => sandboxListener('slb_redis_app', 7000), 10_000, 'the TCP 7000 listener in the sandbox');
  assert.equal(listener.Status, 'running');
  assert.equal(listener.BackendServerPort, 7000);
  assert.equal(listener.dataPlane?.listening, true, JSON.stringify(listener.dataPlane));
  await wb.waitToastGone(page, 'Provisioning SLB listeners');
  // The lens follows the new state without a reload: nothing left to provision.
  await wb.waitForCodeLens(page, /Listener up to date: TCP 7000 → 7000/, 30_000);
  await shot('provision-done.png');
  // The output channel: the plan, each step and the result once (the server's log; the client adds
  // no copy), one timestamp and level per line (no "[info] [Info - 9:34:19 PM]").
  // Counted in the channel's file: what the Output view shows, without the view's line wrapping.
  // (Opening the view here would leave it scrolled where the next test's report does not show.)
  const channelLog = h.extensionHostLogs(s.tmp).find((f) => f.endsWith('Aliyun SLB Labels.log'));
  assert.ok(channelLog, 'the output channel has a log file');
  const out = await h.waitUntil(() => {
    const text = fs.readFileSync(channelLog, 'utf8');
    return text.includes('Provisioning result for') ? text : undefined;
  }, 10_000, 'the provisioning result in the output channel');
  const times = (re) => out.match(new RegExp(re.source, 'g'))?.length ?? 0;
  assert.equal(times(/Provisioning plan for \S*docker-compose\.new-listener\.yml/), 1, out);
  assert.equal(times(/\[create\] aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000 → backend 7000/), 1, out);
  assert.equal(times(/Plan for region cn-hangzhou: 1 to create/), 1, out);
  assert.equal(times(/create \[CreateLoadBalancerTCPListener\] ok/), 1, out);
  assert.equal(times(/Provisioning result for/), 1, out);
  assert.equal(times(/\[created\] aliyun\.lb\.port_7000/), 1, out);
  assert.equal(times(/1 created, 0 started/), 1, out);
  assert.doesNotMatch(out, /\[(info|warning|error)\] \[(Info|Warn|Error)\s*- /);
  // VS Code's language client pulls diagnostics (server/src/lsp/pullDiagnostics.ts): the server says which way it talks.
  assert.equal(times(/Diagnostics are pulled by the client/), 1, out);
  assert.doesNotMatch(out, /\d{1,2}:\d\d:\d\d (AM|PM)/);
  // The server refreshed its catalog and re-checked the file: the information squiggle and the Problems row go away.
  await wb.waitUntilNoSquiggleOnLine(page, `${NEW_LABEL}:`, 'info', 30_000);
  await wb.filterProblems(page, LISTENER_MISSING);
  await h.waitUntil(async () => (await page.$$('.markers-panel .monaco-list-row')).length === 0, 30_000, `no Problems row with ${JSON.stringify(LISTENER_MISSING)}`);
  await wb.filterProblems(page, '');
  await wb.closePanel(page);
  await wb.clearNotifications(page);
});

/** Resolves when nothing accepts connections on 127.0.0.1:`port` (so a label there really has no backend). */
async function assertNothingListens(port) {
  const taken = await new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setTimeout(2000);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
  });
  assert.equal(taken, false, `something listens on 127.0.0.1:${port}: the "no backend" check needs that port free`);
}

it('CodeLens "Check reachability": reachable for the Redis label through the sandbox; the blocker is named for a label with no backend', { timeout: 150_000 }, async () => {
  const { page } = s;
  // The same Redis as npm start's demo: Debian's redis-server (the stand-in only when it is not installed).
  const backend = await h.startDemoRedis(6379, { stateDir: s.tmp });
  if (fs.existsSync(h.REDIS_SERVER)) assert.notEqual(backend.kind, 'stand-in', backend.detail);
  try {
    // The sandbox health-checks the 6379 listener every 2 s and needs 3 good probes: wait for "normal".
    await h.waitUntil(async () => (await sandboxListener('slb_redis_app', 6379))?.health?.status === 'normal', 30_000, 'the sandbox to see the 6379 backend healthy');

    await wb.openFile(page, 'docker-compose.yml');
    // An earlier test edited the Redis label: back to the file on disk (the product guide's example).
    if (await page.$('.tabs-container .tab.active.dirty')) {
      await wb.runCommand(page, 'File: Revert File');
      await page.waitForSelector('.tabs-container .tab.active:not(.dirty)', { timeout: 10_000 });
    }
    await wb.lineWith(page, 'aliyun.lb.port_6379: tcp://slb_redis_app:6379');
    await wb.clearNotifications(page);
    await (await wb.codeLens(page, 'Check reachability')).click();
    const note = await wb.waitForToast(page, /Reachable: tcp:\/\/slb_redis_app:6379 in (\d+(?:\.\d+)?) ms/, 60_000);
    const lens = await wb.waitForCodeLens(page, /reachable, (\d+(?:\.\d+)?) ms/);
    assert.ok(Number(note[1]) >= 0 && Number(lens[1]) >= 0);
    // "Show report" reveals the output channel with the server's checklist and the client's summary.
    await wb.clickToastButton(page, 'Reachable: tcp://slb_redis_app:6379', 'Show report');
    // Room for the report under the label and its verdict.
    await wb.resizePanel(page, 308);
    const report = await wb.outputText(page, (t) => /SLB reachability of \S*docker-compose\.yml/.test(t) && t.includes('All 1 label(s) reachable.'));
    // The server's checklist, printed once (no second copy from the client), one timestamp per line.
    assert.match(report, /✓ backend health\s+2 of 2 backends healthy\./);
    assert.match(report, /\[✓\] aliyun\.lb\.port_6379\s+tcp:\/\/slb_redis_app:6379\s+\(service redis\)/);
    assert.match(report, /✓ application\s+Redis answered \+PONG to PING in [\d.]+ ms\./);
    assert.equal(report.match(/All 1 label\(s\) reachable\./g)?.length, 1, report);
    assert.doesNotMatch(report, /\[(info|warning|error)\] \[(Info|Warn|Error)\s*- /);
    await wb.escape(page);
    await shot('reachability-report.png');
    await wb.closePanel(page);
    await wb.clearNotifications(page);

    // A label with no backend: the 7000 listener provisioned above forwards to 127.0.0.1:7000,
    // where nothing listens. Once the sandbox's health check has marked it, the check names the blocker.
    await assertNothingListens(7000);
    const l7000 = await sandboxListener('slb_redis_app', 7000);
    if (l7000?.config?.HealthCheck === 'on') {
      await h.waitUntil(async () => (await sandboxListener('slb_redis_app', 7000))?.health?.status === 'abnormal', 30_000, 'the sandbox to mark the 7000 backend unhealthy');
    }
    await wb.openFile(page, 'docker-compose.new-listener.yml');
    await (await wb.codeLens(page, 'Check reachability')).click();
    // Words, not codes: the toast and the lens say what blocks; the backend servers are named.
    const blocked = await wb.waitForToast(page, /aliyun\.lb\.port_7000 \(app\) tcp:\/\/slb_redis_app:7000: Blocked: ([a-z][^.]*)\. (.+)/, 60_000);
    const words = blocked[1];
    assert.doesNotMatch(blocked[0], /[A-Z]+_[A-Z]+/);
    assert.ok(['backends fail the health check', 'connection refused', 'the service did not answer as expected', 'no listener on the front port'].includes(words), `unexpected blocker ${words}`);
    if (l7000?.config?.HealthCheck === 'on') {
      assert.equal(words, 'backends fail the health check');
      assert.match(blocked[2], /on i-[a-z0-9]+ \([\d.]+:7000\)/);
    }
    await wb.waitForCodeLens(page, new RegExp(`blocked: ${words}`));
    await wb.waitToastGone(page, 'Checking SLB reachability');
    await shot('reachability-blocked.png');
    await wb.clearNotifications(page);
  } finally {
    await backend.close();
  }
});

it('the "Getting started" walkthrough opens from Welcome: Open Walkthrough… with its five steps', { timeout: 60_000 }, async () => {
  const { page } = s;
  await wb.runCommand(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill('Get started with Aliyun SLB Labels');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with Aliyun SLB Labels' }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  const titles = await h.waitUntil(
    async () => {
      const t = (await page.$$eval('.gettingStartedContainer .getting-started-step .step-title', (els) => els.map((e) => (e.textContent ?? '').trim()))).filter(Boolean);
      return t.length >= 5 ? t : undefined;
    },
    20_000,
    'the walkthrough steps',
  );
  assert.deepEqual(titles, ['Open a compose file', 'Set an AccessKey and the region', 'Provision the first listener', 'Check reachability', 'Try it on the local sandbox']);
  // The credentials step's buttons run the extension's commands.
  await page.locator('.gettingStartedContainer .getting-started-step', { hasText: 'Set an AccessKey and the region' }).first().click();
  await page.locator('.gettingStartedContainer .getting-started-step.expanded .monaco-button', { hasText: 'Set AccessKey' }).first().waitFor({ state: 'visible' });
  await page.locator('.gettingStartedContainer .getting-started-step.expanded .monaco-button', { hasText: 'Select Region' }).first().waitFor({ state: 'visible' });
  await shot('walkthrough.png');
  await page.keyboard.press('Control+W');
});

it('the Settings editor: browsing, the settings read as words under "Editor" and "Alibaba Cloud"; searching, the labels do too; the old key shows as deprecated', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openSettingsEditor(page);
  // Searching (what the extension page's "Settings" opens): VS Code 1.100 keeps the section name as the category there.
  await wb.searchSettings(page, '@ext:slb-labels.aliyun-slb-labels');
  // (Wait for the filter: until then the list still shows the commonly used settings.)
  await h.waitUntil(async () => (await wb.collectSettings(page, () => true)).titles.every((t) => t.startsWith('Aliyun Slb Labels')), 10_000, 'the search results');
  const found = await wb.collectSettings(page, (t) => ['Online: Refresh Minutes', 'Code Lens: Enable', 'Yaml Syntax Errors'].every((x) => t.some((y) => y.endsWith(x))));
  for (const t of ['Aliyun Slb Labels: Compose Files', 'Aliyun Slb Labels › Validation: Syntax Errors', 'Aliyun Slb Labels › Online: Refresh Minutes']) {
    assert.ok(found.titles.includes(t), `no setting titled ${JSON.stringify(t)} in: ${found.titles.join(' | ')}`);
  }
  // The old key is set in this profile's settings.json: listed (only because it is set), deprecated, pointing at the new one.
  assert.match(found.deprecations['Aliyun Slb Labels: Yaml Syntax Errors'] ?? '', /validation\.syntaxErrors/, JSON.stringify(found.deprecations));
  assert.deepEqual(Object.keys(found.deprecations), ['Aliyun Slb Labels: Yaml Syntax Errors'], found.titles.join(' | '));
  await shot('settings-search.png');

  // Browsing the table of contents: each section trims the prefix (test/client/manifest.test.ts derives the same titles).
  await wb.searchSettings(page, '');
  // Back to browsing, then jump to the extension's entry in the table of contents.
  await h.waitUntil(async () => !(await wb.collectSettings(page, () => true)).titles.some((t) => t.startsWith('Aliyun Slb Labels')), 10_000, 'the settings list without a search');
  await page.waitForTimeout(500);
  await wb.settingsTocEntry(page, ['Extensions'], 'Aliyun SLB Labels for Compose');
  await h.waitUntil(async () => (await wb.collectSettings(page, () => true)).titles.includes('Compose Files'), 10_000, 'the list at the extension\'s settings');
  const editor = await wb.collectSettings(page, (t) => t.includes('Validation: Syntax Errors') && t.includes('Diagnostic Delay'));
  for (const t of ['Compose Files', 'Completion: Enable', 'Validation: Enable', 'Validation: Syntax Errors', 'Diagnostic Delay']) {
    assert.ok(editor.titles.includes(t), `no setting titled ${JSON.stringify(t)} under Editor in: ${editor.titles.join(' | ')}`);
  }
  await shot('settings-editor.png');
  await wb.settingsTocEntry(page, ['Aliyun SLB Labels for Compose'], 'Alibaba Cloud');
  const cloud = await wb.collectSettings(page, (t) => t.includes('Online: Refresh Minutes') && t.includes('Code Lens: Enable'));
  for (const t of ['Region', 'Online: Enable', 'Online: Refresh Minutes', 'Code Lens: Enable']) {
    assert.ok(cloud.titles.includes(t), `no setting titled ${JSON.stringify(t)} under Alibaba Cloud in: ${cloud.titles.join(' | ')}`);
  }
  // (The old key is listed too, being set: "Yaml Syntax Errors", the deprecated one checked above.)
  const ours = [...editor.titles, ...cloud.titles].filter((t) => t !== 'Yaml Syntax Errors' && /Syntax Errors|Compose Files|Completion|Validation|Diagnostic Delay|Region|Online|Code Lens/.test(t));
  assert.ok(!ours.some((t) => /Aliyun Slb Labels|Yaml/.test(t)), ours.join(' | '));
  await page.keyboard.press('Control+W');
});
