// `slb-labels lint` takes paths as linters do: directories (walked with the editor's compose-file
// globs, .gitignore respected, nested .gitignore files and negations included), files the shell
// expanded from a glob, a quoted glob, and `-` with --stdin-filename. The bundled CLI, spawned in a
// temporary working tree.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_COMPOSE_GLOBS } from '../../server/src/lsp/settings';
import { REPO_ROOT } from '../helpers/repo';

const CLI = path.join(REPO_ROOT, 'dist/cli/slb-labels.js');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/cli');
let tree: string;

function run(args: string[], options: { input?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? tree, input: options.input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tree, LANG: 'C', ...options.env }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The files a JSON run checked, in order. */
function filesOf(stdout: string): string[] {
  return (JSON.parse(stdout) as { file: string }[]).map((r) => r.file);
}

function write(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
  fs.writeFileSync(path.join(tree, rel), text);
}

const ERRORS = fs.readFileSync(path.join(FIXTURES, 'errors.yml'), 'utf8');
const VALID = fs.readFileSync(path.join(FIXTURES, 'valid.yml'), 'utf8');
const K8S_BROKEN = fs.readFileSync(path.join(REPO_ROOT, 'test/k8s/fixtures/broken.yaml'), 'utf8');

before(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-lint-paths-'));
  fs.mkdirSync(path.join(tree, '.git')); // a working tree: .gitignore files apply from here down
  write('.gitignore', 'ignored/\ndocker-compose.local.yml\n');
  write('compose.yaml', VALID);
  write('deploy/docker-compose.yml', ERRORS);
  write('deploy/notes.yml', ERRORS); // not a compose file name: only checked when named
  write('deploy/app.compose.yaml', VALID);
  write('ignored/docker-compose.yml', ERRORS);
  write('docker-compose.local.yml', ERRORS); // ignored by the root .gitignore
  write('sub/.gitignore', '!docker-compose.local.yml\n*.prod.yml\n');
  write('sub/docker-compose.local.yml', VALID); // re-included by the deeper .gitignore
  write('sub/docker-compose.prod.yml', ERRORS); // ignored by the deeper .gitignore
  write('node_modules/pkg/docker-compose.yml', ERRORS); // never walked
  write('.git/docker-compose.yml', ERRORS); // never walked
  write('.devcontainer/docker-compose.yml', VALID); // dot folders are walked, as the editor matches them
  write('k8s/web.yaml', K8S_BROKEN); // a Kubernetes manifest: found by content
  write('.github/workflows/ci.yml', 'on: push\njobs: {}\n'); // other YAML: not checked, not reported
});
after(() => fs.rmSync(tree, { recursive: true, force: true }));

describe('slb-labels lint: paths', () => {
  it('walks the editor\'s composeFiles globs (the CLI reads the same list as the server)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(DEFAULT_COMPOSE_GLOBS, manifest.contributes.configuration.find((g: { properties: Record<string, unknown> }) => 'aliyunSlbLabels.composeFiles' in g.properties).properties['aliyunSlbLabels.composeFiles'].default);
  });

  it('lint . : compose files under the working tree, .gitignore respected (nested files, negations), sorted, relative', () => {
    const r = run(['lint', '.', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(filesOf(r.stdout), ['.devcontainer/docker-compose.yml', 'compose.yaml', 'deploy/app.compose.yaml', 'deploy/docker-compose.yml', 'k8s/web.yaml', 'sub/docker-compose.local.yml']);
  });

  it('Kubernetes manifests in a walked directory get the k8s checks; other YAML is left alone', () => {
    const r = run(['lint', 'k8s', '.github', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const [manifest] = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
    assert.equal(manifest.file, 'k8s/web.yaml');
    assert.ok(manifest.diagnostics.some((d) => d.code === 'k8s-annotation-int'), JSON.stringify(manifest.diagnostics));
    assert.equal(JSON.parse(r.stdout).length, 1, '.github/workflows/ci.yml is not a manifest');
    const onlyOther = run(['lint', '.github']);
    assert.equal(onlyOther.code, 2);
    assert.match(onlyOther.stderr, /nothing to check: no compose file or Kubernetes manifest among \.github/);
  });

  it('--no-gitignore also checks what .gitignore excludes (never .git or node_modules)', () => {
    const r = run(['lint', '.', '--no-gitignore', '--format', 'json']);
    const files = filesOf(r.stdout);
    for (const f of ['ignored/docker-compose.yml', 'docker-compose.local.yml', 'sub/docker-compose.prod.yml']) assert.ok(files.includes(f), f);
    assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.startsWith('.git/')), files.join(', '));
  });

  it('lint deploy/ walks one directory; from another working directory paths stay as typed', () => {
    assert.deepEqual(filesOf(run(['lint', 'deploy/', '--format', 'json']).stdout), ['deploy/app.compose.yaml', 'deploy/docker-compose.yml']);
    const fromSub = run(['lint', '../deploy', '--format', 'json'], { cwd: path.join(tree, 'sub') });
    assert.deepEqual(filesOf(fromSub.stdout), ['../deploy/app.compose.yaml', '../deploy/docker-compose.yml']);
    const absolute = run(['lint', path.join(tree, 'deploy'), '--format', 'json']);
    assert.deepEqual(filesOf(absolute.stdout), [path.join(tree, 'deploy/app.compose.yaml'), path.join(tree, 'deploy/docker-compose.yml')]);
  });

  it('a .gitignore above the walked directory applies too', () => {
    write('ignored/compose.yaml', VALID);
    const r = run(['lint', 'ignored', '--format', 'json']);
    assert.equal(r.code, 2, 'nothing left to check in an ignored directory');
    assert.match(r.stderr, /ignored: no compose files in this directory/);
  });

  it('files the shell expanded from a glob are all checked, whatever their names; a quoted glob is expanded', () => {
    const shell = run(['lint', 'deploy/docker-compose.yml', 'deploy/notes.yml', '--format', 'json']);
    assert.deepEqual(filesOf(shell.stdout), ['deploy/docker-compose.yml', 'deploy/notes.yml']);
    const quoted = run(['lint', 'deploy/*.yml', '--format', 'json']);
    assert.deepEqual(filesOf(quoted.stdout), ['deploy/docker-compose.yml', 'deploy/notes.yml']);
    const none = run(['lint', 'deploy/*.json']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /deploy\/\*\.json: no file matches this pattern/);
  });

  it('--compose-files replaces the globs for directories (repeatable)', () => {
    const r = run(['lint', 'deploy', '--compose-files', '**/notes.yml', '--compose-files', '**/*.compose.yaml', '--format', 'json']);
    assert.deepEqual(filesOf(r.stdout), ['deploy/app.compose.yaml', 'deploy/notes.yml']);
  });

  it('a file named twice (directly and through its directory) is checked once', () => {
    assert.deepEqual(filesOf(run(['lint', 'deploy/docker-compose.yml', 'deploy', '--format', 'json']).stdout), ['deploy/docker-compose.yml', 'deploy/app.compose.yaml']);
  });

  it('- reads stdin; --stdin-filename names it (and its folder, for the .env beside it)', () => {
    const anonymous = run(['lint', '-'], { input: ERRORS });
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stdout, /^<stdin>:9:26: error .*\[lb-scheme-unknown\]$/m);
    const named = run(['lint', '-', '--stdin-filename', 'deploy/docker-compose.yml', '--format', 'json'], { input: ERRORS });
    assert.equal(named.code, 1);
    assert.deepEqual(filesOf(named.stdout), ['deploy/docker-compose.yml']);
    // The .env beside the named path gives ${WEB_PORT} a value that publishes no host port: an error there only.
    write('envdir/.env', 'WEB_PORT=80\n');
    const withVar = 'services:\n  web:\n    image: nginx\n    ports:\n      - "${WEB_PORT}"\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n';
    const besideEnv = run(['lint', '-', '--stdin-filename', 'envdir/docker-compose.yml'], { input: withVar });
    assert.equal(besideEnv.code, 1);
    assert.match(besideEnv.stdout, /^envdir\/docker-compose\.yml:7:7: error .*\[lb-port-random-host\]$/m);
    const elsewhere = run(['lint', '-', '--stdin-filename', 'docker-compose.yml'], { input: withVar });
    assert.equal(elsewhere.code, 0, elsewhere.stdout);
    const both = run(['lint', '-', 'compose.yaml', '--format', 'json'], { input: VALID });
    assert.deepEqual(filesOf(both.stdout), ['<stdin>', 'compose.yaml']);
  });

  it('usage and unreadable inputs exit 2 with a clear message, after checking what can be read', () => {
    const twice = run(['lint', '-', '-'], { input: VALID });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /- \(stdin\) can be named only once/);
    const nameOnly = run(['lint', 'compose.yaml', '--stdin-filename', 'x.yml']);
    assert.equal(nameOnly.code, 2);
    assert.match(nameOnly.stderr, /--stdin-filename names what - reads: add - to the paths/);
    const missing = run(['lint', 'compose.yaml', 'nope/', '--format', 'json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\/: no such file/);
    assert.deepEqual(filesOf(missing.stdout), ['compose.yaml'], 'what could be read is still reported');
    write('empty/README.md', 'nothing here\n');
    const empty = run(['lint', 'empty']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /empty: no compose files in this directory \(looked for \*\*\/docker-compose\*\.yml/);
  });

  it('the size limit (issue 9) holds for walked files and stdin: one finding, exit 1', () => {
    const big = VALID + '#'.repeat(3000) + '\n';
    write('big/docker-compose.yml', big);
    const env = { SLB_LABELS_MAX_FILE_MB: '0.002' };
    for (const r of [run(['lint', 'big', '--format', 'json'], { env }), run(['lint', '-', '--format', 'json'], { env, input: big })]) {
      assert.equal(r.code, 1, r.stderr);
      const [file] = JSON.parse(r.stdout) as { diagnostics: { code: string; line: number }[] }[];
      assert.deepEqual(file.diagnostics.map((d) => [d.code, d.line]), [['file-too-large', 1]]);
    }
  });

  it('a FIFO is refused at once instead of blocking the run', { skip: process.platform === 'win32' }, () => {
    const fifo = path.join(tree, 'fifo-compose.yml');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) return;
    const started = Date.now();
    const r = run(['lint', 'fifo-compose.yml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /fifo-compose\.yml is a named pipe \(FIFO\), not a compose file: it is not read/);
    assert.ok(Date.now() - started < 10_000);
    fs.rmSync(fifo);
  });
});
