// One end-to-end session: a copy of examples/demo in a temp dir, the SLB sandbox (default
// seed), code-server with the packaged .vsix installed and the extension pointed at the
// sandbox (endpoint + region in user settings, the demo AccessKey pair in code-server's
// environment), and a headless chromium page on the editor. stop() tears everything down
// (process groups) and keeps the logs in test-output/e2e/<name>/ when something failed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as h from './host.mjs';
import { openWorkbench } from './workbench.mjs';

export const OUTPUT_ROOT = path.join(h.ROOT, 'test-output', 'e2e');

/**
 * Options: locale ('zh-cn' also installs the stub language pack e2e/fixtures/zh-cn-language-pack,
 * without which code-server ignores --locale), settings (user settings), installVsix (false for
 * the extension-development mode), openFolder, url (s => the URL to open).
 */
export async function startSession(name, { locale, settings = {}, installVsix = true, openFolder = true, url: makeUrl } = {}) {
  h.assertHostInstalled();
  const outDir = path.join(OUTPUT_ROOT, name);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `slb-e2e-${name}-`));
  const ws = path.join(tmp, 'demo');
  fs.cpSync(h.DEMO_DIR, ws, { recursive: true });
  const s = { name, tmp, ws, outDir, failed: false, consoleErrors: [] };
  s.stop = () => stopSession(s);
  try {
    s.sandbox = await h.startSandbox({ logFile: path.join(tmp, 'sandbox.log') });
    h.writeUserSettings(tmp, {
      'aliyunSlbLabels.endpoint': s.sandbox.url,
      'aliyunSlbLabels.region': 'cn-hangzhou',
      'aliyunSlbLabels.trace.server': 'messages',
      ...settings,
    });
    if (installVsix) h.installVsix(tmp);
    if (locale === 'zh-cn') {
      h.installVsix(tmp, h.packFolder(path.join(h.ROOT, 'e2e', 'fixtures', 'zh-cn-language-pack'), path.join(tmp, 'zh-cn-language-pack.vsix')));
      h.registerLanguagePack(tmp, 'zh-cn', 'slb-labels-e2e.e2e-zh-cn-language-pack', '1.0.0', '中文(简体)');
    }
    s.codeServer = await h.startCodeServer(tmp, {
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: h.SANDBOX_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: h.SANDBOX_KEY_SECRET },
      locale,
      logFile: path.join(tmp, 'code-server.log'),
    });
    s.browser = await h.launchBrowser(path.join(tmp, 'chromium-profile'));
    s.page = s.browser.pages()[0] ?? (await s.browser.newPage());
    s.page.setDefaultTimeout(20_000);
    s.page.on('pageerror', (err) => s.consoleErrors.push(String(err)));
    if (openFolder) {
      const url = makeUrl ? makeUrl(s) : h.folderUrl(s.codeServer.url, ws);
      await openWorkbench(s.page, url);
    }
    return s;
  } catch (err) {
    s.failed = true;
    await stopSession(s);
    throw err;
  }
}

async function stopSession(s) {
  if (s.stopped) return;
  s.stopped = true;
  if (s.failed && s.page) await s.page.screenshot({ path: path.join(s.outDir, 'failure.png') }).catch(() => {});
  await s.browser?.close().catch(() => {});
  const groups = [s.codeServer?.child.pid, s.sandbox?.child.pid].filter(Boolean);
  await h.killGroup(s.codeServer?.child);
  await h.killGroup(s.sandbox?.child);
  if (s.failed) keepLogs(s);
  const left = h.processesInGroups(groups);
  fs.rmSync(s.tmp, { recursive: true, force: true, maxRetries: 3 });
  if (left.length) throw new Error(`processes left running after the session: ${left.map((p) => `${p.pid} ${p.args}`).join('; ')}`);
}

/** Copies the extension host log, the language client's channel, code-server's and the sandbox's logs. */
function keepLogs(s) {
  const dest = path.join(s.outDir, 'logs');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of h.extensionHostLogs(s.tmp)) {
    const rel = path.relative(path.join(s.tmp, 'user-data', 'logs'), f).replace(/[\\/]/g, '__');
    fs.copyFileSync(f, path.join(dest, rel));
  }
  for (const f of ['code-server.log', 'sandbox.log']) {
    if (fs.existsSync(path.join(s.tmp, f))) fs.copyFileSync(path.join(s.tmp, f), path.join(dest, f));
  }
  if (s.consoleErrors.length) fs.writeFileSync(path.join(dest, 'page-errors.txt'), s.consoleErrors.join('\n'));
  console.error(`# e2e ${s.name}: logs kept in ${path.relative(h.ROOT, dest)}`);
}

/**
 * `test()` for a session: a failing test marks the session failed (so stop() keeps the logs) and
 * leaves a screenshot test-output/e2e/<session>/failed-<test>.png.
 */
export function sessionTest(test, getSession) {
  return (name, opts, fn) =>
    test(name, opts, async (t) => {
      try {
        await fn(t);
      } catch (err) {
        const s = getSession();
        if (s) {
          s.failed = true;
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          await s.page?.screenshot({ path: path.join(s.outDir, `failed-${slug}.png`) }).catch(() => {});
        }
        throw err;
      }
    });
}
