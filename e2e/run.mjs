#!/usr/bin/env node
// `npm run test:e2e` (after `npm run package`): runs e2e/tests/*.test.mjs one file at a time
// (each starts its own code-server + sandbox + chromium; two at once would only fight over 2 cores).
// Fails at once, with what to do, when the editor host is not installed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, missingHostParts } from './lib/host.mjs';

const missing = missingHostParts();
if (missing.length) {
  console.error(`e2e: the editor host is not installed: ${missing.join('; ')}.`);
  console.error('e2e: run `bash e2e/setup.sh` (chromium, ripgrep, libkrb5-dev, code-server 4.100.3 + playwright-core in e2e/host); `npm test` and `npm run test:e2e` run it first.');
  process.exit(1);
}
const dir = path.join(ROOT, 'e2e', 'tests');
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort()
  .map((f) => path.join('e2e', 'tests', f));
const t0 = Date.now();
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { cwd: ROOT, stdio: 'inherit' });
console.log(`# e2e: ${files.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots and (on failure) logs in test-output/e2e/`);
process.exit(r.status ?? 1);
