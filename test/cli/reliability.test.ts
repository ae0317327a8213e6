// `slb-labels lint` on the inputs of issue 9, in child processes with a timeout: a regression
// (an endless loop) fails the test instead of hanging the suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli/slb-labels.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-reliability-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function lint(args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [...nodeFlags, CLI, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', ...env }, timeout: 20000 });
  assert.equal(r.signal, null, `lint ${args.join(' ')} did not finish within 20 s (killed by ${r.signal})`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('slb-labels lint: reliability', () => {
  it('finishes on a file that starts with an empty line and an indented label line (defect 1)', () => {
    const r = lint([file('h.yml', '\n  aliyun.lb.port_80: tcp://slb_web:')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /1 error\(s\)/);
  });

  it('stops a file over the size limit with one finding and exit 1, without reading it', () => {
    const big = file('big.yml', 'services:\n' + Array.from({ length: 200 }, (_, i) => `  s${i}:\n    image: nginx\n`).join(''));
    const r = lint(['--format', 'json', big], { SLB_LABELS_MAX_FILE_MB: '0.001' });
    assert.equal(r.code, 1, r.stderr);
    const [result] = JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string; line: number; message: string }[] }[];
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.severity, d.line]), [['file-too-large', 'error', 1]]);
    assert.match(result.diagnostics[0].message, /This file is 4\.\d kB; files over 1\.0 kB are not checked/);
    assert.equal(lint([big]).code, 0, 'under the default limit the same file is fine');
  });

  it('stops an analysis past its time budget with one finding at the line it reached and exit 1 (a deliberately slow rule)', () => {
    const services = Array.from({ length: 20 }, (_, i) => `  slow_rule_probe_${i}:\n    image: nginx\n`).join('');
    const slow = file('slow.yml', `services:\n${services}`);
    const r = lint([slow], { SLB_LABELS_TEST_SLOW_RULE_MS: '300', SLB_LABELS_ANALYSIS_BUDGET_MS: '1000' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const m = /slow\.yml:(\d+):\d+: error Analysis stopped after 1 s at line (\d+):.*\[analysis-stopped\]/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.equal(m[1], m[2]);
    // The line holds the slow service it had reached: not the first (it ran 300 ms), not the last.
    const line = Number(m[1]);
    assert.ok(line > 2 && line < 41 && line % 2 === 0, `line ${line}`);
    assert.ok(r.ms < 10000, `${r.ms} ms`);
  });

  it('stops a rule that never ends: the file gets the finding at its line, the next file is still linted, exit 1', () => {
    const stuck = file('stuck.yml', 'services:\n  a:\n    image: x\n  slow_rule_probe:\n    image: y\n');
    const other = file('other.yml', 'services:\n  web:\n    image: nginx\n    labels:\n      aliyun.scale: 2\n');
    const r = lint([stuck, other], { SLB_LABELS_TEST_SLOW_RULE_MS: '3600000', SLB_LABELS_ANALYSIS_BUDGET_MS: '1000' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /stuck\.yml:4:3: error Analysis stopped after \d+(\.\d)? s at line 4: .*\[analysis-stopped\]/);
    assert.match(r.stdout, /other\.yml:5:21: warning .*\[label-value-not-string\]/);
    assert.ok(r.ms < 15000, `${r.ms} ms`);
  });

  it('reports yaml-too-deep at the same place in fresh processes, whatever their stack size (defect 7)', () => {
    const deep = file('deep.yml', 'services:\n  web:\n    labels: ' + '['.repeat(20000) + '\n  db:\n    image: x\n');
    const places = new Set<string>();
    for (const flags of [[], [], ['--stack-size=400'], ['--stack-size=2000']]) {
      const r = lint(['--format', 'json', deep], {}, flags);
      assert.equal(r.code, 1, r.stderr);
      const [result] = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number }[] }[];
      const tooDeep = result.diagnostics.filter((d) => d.code === 'yaml-too-deep');
      assert.equal(tooDeep.length, 1, r.stdout);
      places.add(`${tooDeep[0].line}:${tooDeep[0].column}`);
    }
    assert.deepEqual([...places], [`3:${'    labels: '.length + 199}`]);
  });
});
