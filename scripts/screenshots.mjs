#!/usr/bin/env node
// `npm run screenshots`: refreshes docs/screenshots/*.png (shown in README) from a real run of
// the end-to-end UI tests (code-server + the SLB sandbox + headless chromium, 1280x800).
// The tests save every moment in test-output/e2e/; the ones listed here are copied, made
// smaller with pngquant when it is installed (apt-get install pngquant), and committed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../e2e/lib/host.mjs';

/** test-output/e2e/<from> -> docs/screenshots/<to>: what a new user sees first. */
const PICKS = [
  ['ui/diagnostic-hover.png', 'diagnostic-hover.png'],
  ['ui/problems-panel.png', 'problems-panel.png'],
  ['ui/completion-slb-names.png', 'completion-slb-names.png'],
  ['ui/slb-live-card.png', 'slb-live-card.png'],
  ['ui/quick-fix.png', 'quick-fix.png'],
  ['zh-cn/zh-cn-problems.png', 'zh-cn-problems.png'],
  ['ui/provision-plan.png', 'provision-plan.png'],
  ['ui/lens-create.png', 'lens-create.png'],
  ['ui/provision-done.png', 'lens-up-to-date.png'],
  ['ui/reachability-report.png', 'reachability-report.png'],
  ['k8s/k8s-hover-chain.png', 'k8s-hover-chain.png'],
  ['k8s/k8s-problems.png', 'k8s-problems.png'],
  ['k8s/k8s-provision-plan.png', 'k8s-provision-plan.png'],
];

const run = (cmd, args) => spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' }).status;
if (!process.argv.includes('--no-run')) {
  if (run('npm', ['run', '--silent', 'package']) !== 0) process.exit(1);
  if (run(process.execPath, ['e2e/run.mjs', 'ui', 'zh-cn', 'k8s']) !== 0) {
    console.error('screenshots: the UI tests failed; docs/screenshots/ left as it was.');
    process.exit(1);
  }
}
const out = path.join(ROOT, 'docs', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const hasPngquant = spawnSync('pngquant', ['--version'], { stdio: 'ignore' }).status === 0;
for (const [from, to, opts = {}] of PICKS) {
  const src = path.join(ROOT, 'test-output', 'e2e', from);
  if (!fs.existsSync(src)) {
    if (opts.optional) continue;
    console.error(`screenshots: ${from} was not produced`);
    process.exit(1);
  }
  const dest = path.join(out, to);
  if (hasPngquant) {
    const r = spawnSync('pngquant', ['--quality=70-95', '--speed=1', '--strip', '--force', '--output', dest, src], { stdio: 'inherit' });
    if (r.status !== 0) fs.copyFileSync(src, dest);
  } else {
    fs.copyFileSync(src, dest);
  }
  console.log(`screenshots: docs/screenshots/${to} (${Math.round(fs.statSync(dest).size / 1024)} KB)`);
}
