// Files the user names are read without ever blocking (issue 9, defects 3 and 8): a FIFO or a
// directory at ~/.aliyun/config.json, or a FIFO / device given to `lint`, gives a clear message and
// the real CLI process exits (before: "took longer than 1000 ms; skipped", then the pending read
// kept the process alive forever; a directory was reported as "ETOOBIG").
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCredentials } from '../../server/src/engine/cloud/credentials';
import { readUserFile, readUserFileSync } from '../../server/src/engine/userFile';
import { CliRun, runCli as runBundledCli } from '../helpers/cli';

const unix = process.platform !== 'win32';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-bounded-'));
  dirs.push(d);
  return d;
}

/** A home whose ~/.aliyun/config.json is a FIFO nobody writes to. */
function homeWithFifoConfig(): string {
  const home = tempDir();
  fs.mkdirSync(path.join(home, '.aliyun'));
  execFileSync('mkfifo', [path.join(home, '.aliyun', 'config.json')]);
  return home;
}

/** Runs the bundled CLI; kills it after `limitMs` (then `timedOut` is true). */
function runCli(args: string[], env: Record<string, string>, limitMs = 8000): Promise<CliRun> {
  return runBundledCli(args, { env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env }, timeoutMs: limitMs });
}

test('a FIFO as ~/.aliyun/config.json: refused at once with a clear message, no timeout needed', { skip: !unix }, async () => {
  const home = homeWithFifoConfig();
  const t0 = Date.now();
  const r = await resolveCredentials({ env: {}, homeDir: home });
  const ms = Date.now() - t0;
  assert.ok(!r.ok);
  assert.ok(ms < 900, `took ${ms} ms (the 1000 ms file timeout must not be what ends it)`);
  assert.equal(r.problems[0].code, 'unreadable');
  assert.match(r.message, /~\/\.aliyun\/config\.json is a named pipe \(FIFO\), not the aliyun CLI configuration .*not read.*Replace it with a regular file, or remove it/);
  assert.doesNotMatch(r.message, /took longer/);
});

test('a directory at ~/.aliyun/config.json is named as a directory, not "ETOOBIG"', async () => {
  const home = tempDir();
  fs.mkdirSync(path.join(home, '.aliyun', 'config.json'), { recursive: true });
  const r = await resolveCredentials({ env: {}, homeDir: home });
  assert.ok(!r.ok);
  assert.match(r.message, /~\/\.aliyun\/config\.json is a directory, not the aliyun CLI configuration \(a JSON file\)\. Replace it with a regular file, or remove it\./);
  assert.doesNotMatch(r.message, /ETOOBIG/);
  // The same for the INI credentials file.
  const home2 = tempDir();
  fs.mkdirSync(path.join(home2, '.alibabacloud', 'credentials'), { recursive: true });
  const r2 = await resolveCredentials({ env: {}, homeDir: home2 });
  assert.ok(!r2.ok);
  assert.match(r2.message, /~\/\.alibabacloud\/credentials is a directory, not a credentials file \(INI\)/);
});

test('the real CLI exits (exit 2, clear message) when ~/.aliyun/config.json is a FIFO', { skip: !unix }, async () => {
  const home = homeWithFifoConfig();
  const compose = path.join(home, 'docker-compose.yml');
  fs.writeFileSync(compose, 'services:\n  app:\n    image: x\n    ports: ["7001:7000"]\n    labels:\n      aliyun.lb.port_7000: tcp://slb_redis_app:7000\n');
  for (const command of ['plan', 'reach']) {
    const r = await runCli([command, compose, '--region', 'cn-hangzhou', '--endpoint', 'http://127.0.0.1:9'], { HOME: home });
    assert.equal(r.timedOut, false, `${command} did not exit within 8 s: ${r.stderr}`);
    assert.ok(r.ms < 5000, `${command} took ${r.ms} ms`);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /config\.json is a named pipe \(FIFO\)/);
  }
});

test('lint on a FIFO and on a character device: exit 2 at once with a clear message; other files are still linted', { skip: !unix }, async () => {
  const dir = tempDir();
  const fifo = path.join(dir, 'compose.yml');
  execFileSync('mkfifo', [fifo]);
  const good = path.join(dir, 'good.yml');
  fs.writeFileSync(good, 'services:\n  app:\n    image: x\n');
  const r = await runCli(['lint', fifo, '/dev/zero', good], { HOME: dir });
  assert.equal(r.timedOut, false, 'lint did not exit within 8 s');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /compose\.yml is a named pipe \(FIFO\), not a compose file: it is not read \(reading it could wait forever\)\. Use a regular file\./);
  assert.match(r.stderr, /\/dev\/zero is a character device, not a compose file/);
  assert.match(r.stdout, /in 1 file\(s\)/);
});

test('readUserFile: regular files read whole; size limit and missing files named; sync and async agree', async () => {
  const dir = tempDir();
  const f = path.join(dir, 'a.yml');
  fs.writeFileSync(f, 'x'.repeat(3000));
  for (const read of [(o = {}) => readUserFileSync(f, o), async (o = {}) => readUserFile(f, o)]) {
    const ok = await read();
    assert.ok(ok.ok);
    assert.equal(ok.text.length, 3000);
    const big = await read({ maxBytes: 1024 });
    assert.ok(!big.ok);
    assert.equal(big.problem, 'too-big');
    assert.match(big.message, /larger than the limit of 1\.0 KB \(2\.9 KB\): it is not read/);
  }
  const missing = readUserFileSync(path.join(dir, 'nope.yml'));
  assert.ok(!missing.ok);
  assert.equal(missing.problem, 'missing');
  assert.match(missing.message, /no such file/);
});

test('the workspace scan of the language server skips a FIFO named docker-compose.yml instead of hanging on it', { skip: !unix }, async () => {
  const { scanWorkspaceComposeFiles } = await import('../../server/src/lsp/workspaceScan');
  const { pathToFileURL } = await import('node:url');
  const dir = tempDir();
  execFileSync('mkfifo', [path.join(dir, 'docker-compose.yml')]);
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'docker-compose.yml'), 'services:\n  a:\n    labels:\n      aliyun.lb.port_80: tcp://slb_x:80\n');
  const seen: string[] = [];
  const scan = scanWorkspaceComposeFiles(pathToFileURL(dir).toString(), [/(^|\/)docker-compose\.ya?ml$/], (uri) => seen.push(uri));
  const outcome = await Promise.race([scan.then(() => 'done'), new Promise((r) => setTimeout(() => r('hung'), 3000).unref())]);
  assert.equal(outcome, 'done');
  assert.deepEqual(seen.map((u) => u.slice(u.lastIndexOf('/', u.length - 20))), ['/app/docker-compose.yml']);
});
