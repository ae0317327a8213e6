// `slb-labels lint` as a user runs it: the bundled CLI in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli/slb-labels.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/cli');

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...env }, timeout: 30000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('slb-labels lint', () => {
  it('exits 0 and says so on a clean file', () => {
    const r = run(['lint', path.join(FIXTURES, 'valid.yml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 error\(s\), 0 warning\(s\) in 1 file\(s\)/);
  });

  it('prints file:line:col lines and exits 1 on errors', () => {
    const file = path.join(FIXTURES, 'errors.yml');
    const r = run(['lint', file]);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith(`${file}:9:26: error `) && l.endsWith('[lb-scheme-unknown]')), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${file}:10:7: error `) && l.includes('[lb-port-random-host]')), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${file}:11:21: warning `) && l.includes('[label-value-not-string]')), r.stdout);
  });

  it('exits 0 with warnings only', () => {
    const r = run(['lint', path.join(FIXTURES, 'warnings.yml')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Did you mean 'aliyun\.rolling_updates'\?/);
  });

  it('writes JSON with positions, codes and messages', () => {
    const r = run(['lint', '--format', 'json', path.join(FIXTURES, 'errors.yml'), path.join(FIXTURES, 'valid.yml')]);
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout) as { file: string; diagnostics: { line: number; column: number; code: string; severity: string; message: string }[] }[];
    assert.equal(parsed.length, 2);
    assert.deepEqual(parsed[1].diagnostics, []);
    const scheme = parsed[0].diagnostics.find((d) => d.code === 'lb-scheme-unknown')!;
    assert.deepEqual([scheme.line, scheme.column, scheme.severity], [9, 26, 'error']);
    assert.match(scheme.message, /Scheme 'tls' is not supported/);
  });

  it('speaks Chinese with --locale zh-cn and from LANG', () => {
    const file = path.join(FIXTURES, 'errors.yml');
    for (const r of [run(['lint', '--locale', 'zh-cn', file]), run(['lint', file], { LANG: 'zh_CN.UTF-8' })]) {
      assert.equal(r.code, 1);
      assert.match(r.stdout, /[\u4e00-\u9fff]/);
    }
  });

  it('exits 2 with a clear message, no stack trace, on bad usage or an unreadable file', () => {
    const cases: [string[], RegExp][] = [
      [['lint'], /name files or directories to check/],
      [['lint', '/nonexistent/compose.yml'], /no such file/],
      [['lint', fs.mkdtempSync(path.join(os.tmpdir(), 'slb-lint-empty-'))], /no compose files in this directory/],
      [['lint', '--format', 'xml', path.join(FIXTURES, 'valid.yml')], /--format must be one of text, json/],
      [['lint', '--locale', 'fr', path.join(FIXTURES, 'valid.yml')], /--locale must be one of en, zh-cn \(not 'fr'\)/],
      [['lint', '--bogus', path.join(FIXTURES, 'valid.yml')], /unknown option --bogus/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [[], /Usage: slb-labels <command>/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    }
  });

  it('lints every real-world corpus file without crashing', () => {
    const dir = path.join(ROOT, 'test/fixtures/corpus/real-world');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => path.join(dir, f));
    const r = run(['lint', '--format', 'json', ...files]);
    assert.equal(r.code, 1, 'the corpus has syntax errors');
    const parsed = JSON.parse(r.stdout) as { diagnostics: { code: string }[] }[];
    assert.equal(parsed.length, files.length);
    assert.equal(r.stderr, '');
  });
});
