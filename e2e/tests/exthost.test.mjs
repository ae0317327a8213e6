// Integration tests INSIDE the VS Code extension host (the @vscode/test-electron style, run on
// code-server): the workbench loads the checkout as a development extension and runs
// e2e/exthost/index.js with the real `vscode` API. The result comes back through
// window.codeAutomationExit / codeAutomationLog, which the workbench calls in test mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSession } from '../lib/session.mjs';
import { ROOT, folderUrl, waitUntil } from '../lib/host.mjs';

let s;
const log = [];
let exitCode;

before(async () => {
  s = await startSession('exthost', { installVsix: false, openFolder: false });
}, { timeout: 120_000 });

after(async () => {
  fs.writeFileSync(path.join(s?.outDir ?? '.', 'exthost-tests.log'), log.join('\n') + '\n');
  await s?.stop();
}, { timeout: 60_000 });

test('extension-host API tests (diagnostics, completion, hover, code actions) pass', { timeout: 120_000 }, async () => {
  const { page, codeServer } = s;
  const remote = (p) => `vscode-remote://127.0.0.1:${codeServer.port}${p}`;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = `[${type}] ${(args ?? []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
    log.push(line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = code;
  });
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(path.join(ROOT, 'e2e', 'exthost', 'index.js'))],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(folderUrl(codeServer.url, s.ws, `&payload=${encodeURIComponent(payload)}`));
  await waitUntil(() => exitCode !== undefined, 110_000, 'the extension-host tests to finish', 200);
  const ours = log.filter((l) => /(^|\] )(not )?ok - /.test(l) || /not ok/.test(l));
  console.log(ours.map((l) => `# ${l}`).join('\n'));
  if (exitCode !== 0) s.failed = true;
  assert.equal(exitCode, 0, `extension-host tests failed:\n${log.slice(-40).join('\n')}`);
  assert.equal(log.filter((l) => / ok - /.test(l) && !/not ok/.test(l)).length, 5, `expected 5 passing extension-host tests:\n${ours.join('\n')}`);
});
