// The extension in Simplified Chinese: code-server started with `--locale zh-cn` (VS Code's own
// UI stays English: no language pack can be installed here; the extension's strings follow
// vscode.env.language). Diagnostics, hovers, the Problems panel and the command titles must be Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startSession, sessionTest } from '../lib/session.mjs';
import * as wb from '../lib/workbench.mjs';

let s;
const it = sessionTest(test, () => s);
const shot = (name) => wb.screenshot(s.page, path.join(s.outDir, name));

before(async () => {
  s = await startSession('zh-cn', { locale: 'zh-cn' });
}, { timeout: 120_000 });

after(async () => {
  await s?.stop();
}, { timeout: 60_000 });

it('diagnostics, hover and Problems panel are in Chinese with --locale zh-cn', { timeout: 90_000 }, async () => {
  const { page } = s;
  await wb.openFile(page, 'docker-compose.broken.yml');
  await wb.waitForCodeLenses(page); // they shift the lines down: measure the squiggle after them
  const sq = await wb.squiggleOnLine(page, 'aliyun.lb.port_8081:', 'error', 45_000);
  const hover = await wb.hoverAt(page, sq.x + Math.min(sq.width / 2, 40), sq.y + sq.height / 2, '容器端口 8081 没有发布');
  assert.match(hover, /请在 ports 下添加 '8081:8081'/);
  await shot('zh-cn-hover.png');
  await wb.escape(page);
  const rows = await wb.problems(page, (rows) => rows.some((r) => r.includes('未知的') || r.includes('aliyun.lb.ports_80')) && rows.length >= 6);
  assert.ok(rows.some((r) => r.includes('容器端口 8081 没有发布')), rows.join('\n'));
  assert.ok(rows.some((r) => r.includes("':' 后面缺少空格")), rows.join('\n'));
  // No English message left among the extension's rows.
  const ours = rows.filter((r) => r.includes('aliyun-slb'));
  assert.ok(ours.length >= 5, rows.join('\n'));
  for (const r of ours) assert.ok(/[\u4e00-\u9fff]/.test(r.replace(/ at line .*$/, '')), `not Chinese: ${r}`);
  await shot('zh-cn-problems.png');
  await wb.closePanel(page);
});

it('the command titles are in Chinese in the Command Palette', { timeout: 30_000 }, async () => {
  const { page } = s;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>阿里云 SLB 标签');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: '阿里云 SLB 标签: 显示输出' }).or(page.locator('.quick-input-widget .monaco-list-row', { hasText: '阿里云 SLB 标签：显示输出' }));
  await row.first().waitFor({ state: 'visible' });
  await shot('zh-cn-commands.png');
  await wb.escape(page);
});
