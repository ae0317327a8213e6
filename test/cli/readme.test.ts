// The README's command-line and "In CI" sections stay true: every `slb-labels …` command line they
// show parses with the CLI's own parser, the CI recipes are valid YAML with the steps they promise,
// and the SARIF sample is what the CLI prints today (scripts/readme-sarif-sample.mjs regenerates it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { COMMANDS, parseCommand } from '../../server/src/cli/args';
import { REPO_ROOT } from '../helpers/repo';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## Command line'), README.indexOf('## With your Alibaba Cloud account'));

function codeBlocks(lang: string): string[] {
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

describe('README: command line and In CI', () => {
  it('has the In CI recipes: GitHub Actions with upload-sarif, GitLab CI, pre-commit, a SARIF sample', () => {
    assert.match(section, /### In CI/);
    const yamls = codeBlocks('yaml').map((y) => parse(y));
    const github = yamls.find((y) => y?.jobs?.['slb-labels']);
    assert.ok(github, 'GitHub Actions workflow');
    const steps = github.jobs['slb-labels'].steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    assert.equal(upload?.with?.sarif_file, 'slb-labels.sarif');
    assert.ok(steps.some((s) => s.run?.includes('--format sarif > slb-labels.sarif')));
    assert.equal(github.jobs['slb-labels'].permissions['security-events'], 'write');
    const gitlab = yamls.find((y) => y?.['slb-labels']?.script);
    assert.ok(gitlab, 'GitLab CI job');
    const preCommit = yamls.find((y) => y?.repos?.[0]?.hooks?.[0]?.id === 'slb-labels');
    assert.ok(preCommit, 'pre-commit config');
    const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string }[];
    assert.ok(hooks.some((h) => h.id === preCommit.repos[0].hooks[0].id), 'the config names a hook the repository defines');
  });

  it('every slb-labels command line shown parses with the CLI\'s parser', () => {
    const code = [...codeBlocks('sh'), ...codeBlocks('yaml')].join('\n');
    // `slb-labels <command> <args>` up to a comment, a redirection or a pipe; skip the <placeholder> synopsis.
    const lines = [...code.matchAll(/slb-labels ([a-z]+[^\n#<>|]*)/g)].map((m) => m[1].trim()).filter((l) => !l.startsWith('lint\n'));
    assert.ok(lines.length >= 6, lines.join('\n'));
    for (const line of lines) {
      const [command, ...args] = line.split(/\s+/).filter(Boolean).map((a) => a.replace(/^"|"$/g, ''));
      const spec = COMMANDS[command];
      assert.ok(spec, `${line}: known command`);
      let err = '';
      const parsed = parseCommand(spec, args, { out: () => undefined, err: (s) => (err += s), env: { LANG: 'C' } });
      assert.notEqual(parsed, 2, `${line}: ${err}`);
    }
  });

  it('the SARIF sample is valid SARIF 2.1.0 and what the CLI prints for the errors fixture', () => {
    const block = section.slice(section.indexOf('A SARIF sample')).match(/```json\n([\s\S]*?)```/);
    assert.ok(block, 'a json block after "A SARIF sample"');
    const sample = JSON.parse(block[1]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = JSON.parse(fs.readFileSync(path.join(path.dirname(require('@microsoft/sarif-multitool') as string), 'sarif-2.1.0.json'), 'utf8'));
    const check = new Ajv2020({ strict: false, validateFormats: false }).compile(schema);
    assert.ok(check(sample), JSON.stringify(check.errors));
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/readme-sarif-sample.mjs')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(sample, JSON.parse(r.stdout), 'README sample out of date: node scripts/readme-sarif-sample.mjs');
  });
});
