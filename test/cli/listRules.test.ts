// `slb-labels lint --list-rules`: every code of the rule registry, from the bundled CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/engine/rules/registry';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli/slb-labels.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '' }, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('slb-labels lint --list-rules', () => {
  it('text: one line per registered code, exit 0', () => {
    const r = run(['lint', '--list-rules']);
    assert.equal(r.code, 0, r.stderr);
    const codes = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(codes, RULES.map((x) => x.code));
  });
  it('json in Chinese: the registry documentation (short, full, help) per code', () => {
    const r = run(['lint', '--list-rules', '--format', 'json', '--locale', 'zh-cn']);
    assert.equal(r.code, 0, r.stderr);
    const rules = JSON.parse(r.stdout) as { code: string; short: string; full: string; help: string; severity: string; category: string }[];
    assert.equal(rules.length, RULES.length);
    for (const rule of rules) assert.match(rule.short + rule.full + rule.help, /[\u4e00-\u9fff]/, rule.code);
  });
  it('takes no files', () => {
    const r = run(['lint', '--list-rules', 'docker-compose.yml']);
    assert.equal(r.code, 2);
  });
});
