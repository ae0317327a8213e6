// Prints the README's SARIF sample: `slb-labels lint . --format sarif` on the errors fixture
// (test/fixtures/cli/errors.yml as deploy/docker-compose.yml), one result and its rule kept.
// test/cli/readme.test.ts checks that the README shows exactly this. Run after `npm run build`:
//   node scripts/readme-sarif-sample.mjs
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-sarif-sample-'));
try {
  fs.mkdirSync(path.join(dir, 'deploy'));
  fs.copyFileSync(path.join(root, 'test/fixtures/cli/errors.yml'), path.join(dir, 'deploy/docker-compose.yml'));
  const r = spawnSync(process.execPath, [path.join(root, 'dist/cli/slb-labels.js'), 'lint', '.', '--format', 'sarif'], { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' } });
  const log = JSON.parse(r.stdout);
  const run = log.runs[0];
  const result = run.results.find((x) => x.ruleId === 'lb-scheme-unknown');
  run.tool.driver.rules = [run.tool.driver.rules[result.ruleIndex]];
  run.results = [{ ...result, ruleIndex: 0 }];
  run.originalUriBaseIds['%SRCROOT%'].uri = 'file:///home/runner/work/app/app/';
  process.stdout.write(JSON.stringify(log, null, 2) + '\n');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
