// What a user sees in the real editor (code-server = VS Code 1.100.3, headless chromium), with
// the packaged .vsix installed and the extension pointed at the local SLB sandbox.
// Screenshots go to test-output/e2e/ui/; logs are kept there when a test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startSession, sessionTest } from '../lib/session.mjs';
import * as wb from '../lib/workbench.mjs';

let s;
const it = sessionTest(test, () => s);
const shot = (name) => wb.screenshot(s.page, path.join(s.outDir, name));

before(async () => {
  s = await startSession('ui');
}, { timeout: 120_000 });

after(async () => {
  await s?.stop();
}, { timeout: 60_000 });

it('a broken label shows a squiggle, its message in the hover and in the Problems panel', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.broken.yml');
  const sq = await wb.squiggleOnLine(page, 'aliyun.lb.port_8081:', 'error', 45_000);
  const hover = await wb.hoverAt(page, sq.x + Math.min(sq.width / 2, 40), sq.y + sq.height / 2, 'Container port 8081 is not published');
  assert.match(hover, /Add '8081:8081' under ports/);
  await shot('diagnostic-hover.png');
  await wb.escape(page);

  const rows = await wb.problems(page, (rows) => rows.some((r) => r.includes('Unknown Container Service label')) && rows.some((r) => r.includes('is inactive')));
  const row = (re) => assert.ok(rows.some((r) => re.test(r)), `no Problems row matching ${re} in:\n${rows.join('\n')}`);
  row(/^Error: No space after ':' in 'aliyun\.lb\.port_80:http:\/\/slb_internal_api:9000'.* at line 11 and character 24\./);
  row(/^Error: Container port 8081 is not published.* at line 19 /);
  row(/^Error: tcp SLB binding on container port 53, but the port is published only as udp.* at line 27 /);
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

// The provisioning and reachability UI (CodeLens "Provision listener" / "Check reachability",
// commands aliyunSlbLabels.provisionLabel / checkReachabilityLabel) landed at the very end of
// the task that wrote this file: their tests are still to be written.
test.todo('CodeLens "Provision listener": plan, confirmation modal, listener created in the sandbox (API), diagnostics update');
test.todo('CodeLens "Check reachability": reachable for the Redis label (Redis-protocol backend through the sandbox), blocker named for a label with no backend');
