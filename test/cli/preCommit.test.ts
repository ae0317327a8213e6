// The pre-commit hook definition (.pre-commit-hooks.yaml): its `files` pattern selects what the
// editor's composeFiles globs select, and its command line, run the way pre-commit runs it (entry +
// the matching staged file names), fails a commit with a label mistake and passes a clean one.
// The package that puts `slb-labels` on PATH (npm pack) carries the bundle the bin runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_COMPOSE_GLOBS, globToRegExp } from '../../server/src/lsp/settings';
import { REPO_ROOT } from '../helpers/repo';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
let tree: string;

/** What pre-commit does: `entry` split on spaces, then the staged files that match `files`. */
function runHook(hook: Hook, staged: string[]) {
  const [command, ...args] = hook.entry.split(' ');
  const bin = manifest.bin[command];
  assert.ok(bin, `${command} is a bin of the package`);
  const files = staged.filter((f) => new RegExp(hook.files).test(f));
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, bin), ...args, ...(hook.pass_filenames === false ? [] : files)], {
    cwd: tree,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tree, LANG: 'C' },
    timeout: 30_000,
  });
  return { files, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-pre-commit-'));
  const fixtures = path.join(REPO_ROOT, 'test/fixtures/cli');
  fs.mkdirSync(path.join(tree, 'deploy'));
  fs.copyFileSync(path.join(fixtures, 'errors.yml'), path.join(tree, 'deploy', 'docker-compose.prod.yml'));
  fs.copyFileSync(path.join(fixtures, 'valid.yml'), path.join(tree, 'compose.yaml'));
  fs.copyFileSync(path.join(fixtures, 'errors.yml'), path.join(tree, 'values.yml')); // not a compose file: not passed
  fs.writeFileSync(path.join(tree, 'README.md'), '# app\n');
});
after(() => fs.rmSync(tree, { recursive: true, force: true }));

describe('.pre-commit-hooks.yaml', () => {
  const hook = hooks.find((h) => h.id === 'slb-labels')!;

  it('declares the slb-labels hook: system (slb-labels on PATH), slb-labels lint', () => {
    assert.ok(hook, 'hook slb-labels');
    assert.equal(hooks.length, 1);
    for (const key of ['id', 'name', 'entry', 'language']) assert.ok((hook as unknown as Record<string, unknown>)[key], `required key ${key}`);
    assert.equal(hook.language, 'system');
    assert.equal(hook.entry, 'slb-labels lint');
  });

  it('its files pattern selects what the composeFiles globs select', () => {
    const names = [
      'docker-compose.yml', 'docker-compose.yaml', 'docker-compose.prod.yml', 'deploy/docker-compose.override.yaml', 'compose.yml', 'compose.yaml',
      'a/b/compose.dev.yml', 'app.compose.yml', 'x/app.compose.yaml', 'values.yml', 'docker-compose.yml.bak', 'compose.json', 'mycompose.yml', '.github/workflows/ci.yml', 'kustomization.yaml',
    ];
    const globs = DEFAULT_COMPOSE_GLOBS.map(globToRegExp);
    for (const name of names) assert.equal(new RegExp(hook.files).test(name), globs.some((g) => g.test(name)), name);
  });

  it('run as pre-commit runs it: exit 1 with file:line:col findings on a bad compose file, only compose files passed', () => {
    const r = runHook(hook, ['README.md', 'compose.yaml', 'deploy/docker-compose.prod.yml', 'values.yml']);
    assert.deepEqual(r.files, ['compose.yaml', 'deploy/docker-compose.prod.yml']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^deploy\/docker-compose\.prod\.yml:9:26: error .*\[lb-scheme-unknown\]$/m);
    assert.equal(r.stderr, '');
  });

  it('run on clean compose files: exit 0', () => {
    const r = runHook(hook, ['compose.yaml', 'README.md']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  it('real pre-commit (try-repo on this repository, when pre-commit is installed) fails the bad file and passes only compose files', { skip: preCommit.status !== 0 && 'pre-commit is not installed' }, () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-pre-commit-run-'));
    try {
      // The hook is `language: system`: put slb-labels on PATH as `npm install --global` would.
      const bin = path.join(work, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'slb-labels'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO_ROOT, manifest.bin['slb-labels'])}" "$@"\n`, { mode: 0o755 });
      const project = path.join(work, 'project');
      fs.cpSync(tree, project, { recursive: true });
      const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: work, PRE_COMMIT_HOME: path.join(work, 'cache'), LANG: 'C.UTF-8', GIT_CONFIG_NOSYSTEM: '1' };
      const git = (...args: string[]) => spawnSync('git', args, { cwd: project, env, encoding: 'utf8' });
      git('init', '-q', '.');
      git('add', '-A');
      const r = spawnSync('pre-commit', ['try-repo', REPO_ROOT, 'slb-labels', '--all-files'], { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^deploy\/docker-compose\.prod\.yml:9:26: error .*\[lb-scheme-unknown\]$/m);
      assert.match(r.stdout, /in 2 file\(s\)/, 'compose.yaml and deploy/docker-compose.prod.yml, not values.yml or README.md');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('the packed package (what `npm install --global` installs) contains the bundle the bin runs, built by prepack', () => {
    assert.equal(manifest.scripts.prepack, 'node esbuild.mjs');
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
    const files = pack.files.map((f) => f.path);
    for (const bin of Object.values(manifest.bin)) assert.ok(files.includes(bin.replace(/^\.\//, '')), `${bin} in the package`);
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('out/') || f.startsWith('node_modules/')), 'no tests, build output or modules');
  });
});
