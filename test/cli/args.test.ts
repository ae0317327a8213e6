// The one parser of every `slb-labels` subcommand (server/src/cli/args.ts): help, version, usage
// errors with exit 2, and secrets that never echo. Most cases run `main` in process (fast); a few
// spawn the bundled CLI to prove the real process behaves the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, REFUSED_CREDENTIAL_FLAGS } from '../../server/src/cli/args';
import { main } from '../../server/src/cli/slbLabels';
import { REPO_ROOT } from '../helpers/repo';

const CLI = path.join(REPO_ROOT, 'dist/cli/slb-labels.js');
const VALID = path.join(REPO_ROOT, 'test/fixtures/cli/valid.yml');
const ENV = { LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };

async function runIn(argv: string[], env: Record<string, string> = ENV): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s), env });
  return { code, stdout, stderr };
}

function spawnCli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...ENV }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SUBCOMMANDS = Object.keys(COMMANDS);

describe('slb-labels: one parser for every subcommand', () => {
  it('knows every subcommand the CLI dispatches', () => {
    for (const name of ['lint', 'plan', 'provision', 'reach', 'migrate', 'sandbox']) assert.ok(SUBCOMMANDS.includes(name), name);
  });

  it('--help of every subcommand: usage, every visible option, the exit codes; on stdout, exit 0', async () => {
    for (const name of SUBCOMMANDS) {
      for (const argv of [[name, '--help'], [name, '-h'], ['help', name], [name, 'some-file.yml', '--bogus', '--help']]) {
        const r = await runIn(argv);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^Usage: slb-labels ${name} \\[options\\]`));
        for (const [flag, o] of Object.entries(COMMANDS[name].options)) {
          if (!o.hidden) assert.ok(r.stdout.includes(`--${flag}`), `${name} --help lists --${flag}`);
        }
        assert.match(r.stdout, /Exit codes:\n {2}0 {2}.+\n {2}1 {2}.+\n {2}2 {2}.+/);
      }
    }
  });

  it('top-level help lists every subcommand and the exit-code convention', async () => {
    const r = await runIn(['--help']);
    assert.equal(r.code, 0);
    for (const name of SUBCOMMANDS) assert.match(r.stdout, new RegExp(`^ {2}${name} `, 'm'));
    assert.match(r.stdout, /0 all good; 1 findings, blocked or failed; 2 bad usage/);
    const none = await runIn([]);
    assert.equal(none.code, 2, 'no command is bad usage');
    assert.match(none.stderr, /Usage: slb-labels <command>/);
  });

  it('--version at the top and after any subcommand', async () => {
    for (const argv of [['--version'], ...SUBCOMMANDS.map((n) => [n, '--version'])]) {
      const r = await runIn(argv);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^slb-labels \d+\.\d+\.\d+\n$/);
    }
  });

  it('unknown options and bad values fail alike: one line naming the problem, a pointer to --help, exit 2', async () => {
    const cases: [string[], RegExp][] = [];
    for (const name of SUBCOMMANDS) {
      const operand = COMMANDS[name].operandCount.min > 0 ? [VALID] : [];
      cases.push([[name, ...operand, '--bogus'], /unknown option --bogus/]);
      cases.push([[name, ...operand, '--locale', 'fr'], /--locale must be one of en, zh-cn \(not 'fr'\)/]);
      cases.push([[name, ...operand, '--locale'], /--locale needs a value/]);
      if (COMMANDS[name].options.format) cases.push([[name, ...operand, '--format', 'xml'], /--format must be one of text, json.* \(not 'xml'\)/]);
      if (COMMANDS[name].options.timeout) cases.push([[name, ...operand, '--timeout', 'soon'], /--timeout must be a whole number from \d+ to \d+ \(not 'soon'\)/]);
    }
    cases.push([['lint', '--locale', 'fr', VALID], /--locale must be one of/]); // issue 9, defect 8
    cases.push([['provision', VALID, '--yes=please'], /--yes takes no value/]);
    cases.push([['reach', VALID, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/]);
    cases.push([['reach', VALID, '--format', '--locale', 'en'], /--format needs a value/]);
    cases.push([['sandbox', '--port', '99999'], /--port must be a whole number from 0 to 65535/]);
    cases.push([['sandbox', 'extra'], /takes no operands/]);
    cases.push([['plan'], /name one compose file/]);
    cases.push([['plan', VALID, VALID], /name one compose file/]);
    cases.push([['lint'], /name/]);
    cases.push([['lint', '--list-rules', VALID], /--list-rules takes no paths/]);
    for (const [argv, message] of cases) {
      const r = await runIn(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} -> ${r.code}: ${r.stderr}`);
      assert.equal(r.stdout, '', argv.join(' '));
      const [first, second] = r.stderr.split('\n');
      assert.match(first, new RegExp(`^slb-labels ${argv[0]}: `), argv.join(' '));
      assert.match(first, message, argv.join(' '));
      assert.equal(second, `Run 'slb-labels ${argv[0]} --help' for usage.`);
    }
    const unknown = await runIn(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });

  it('secrets given as flags never echo back, in any form, for any subcommand', async () => {
    const secret = 'argv-Secret-Value-7f3a';
    const outputs: string[] = [];
    for (const name of SUBCOMMANDS.filter((n) => n !== 'sandbox')) {
      const operand = COMMANDS[name].operandCount.min > 0 ? [VALID] : [];
      for (const flag of REFUSED_CREDENTIAL_FLAGS) {
        for (const argv of [[name, ...operand, `--${flag}`, secret], [name, ...operand, `--${flag}=${secret}`], [name, `--${flag}`, secret, ...operand, '--bogus']]) {
          const r = await runIn(argv);
          assert.equal(r.code, 2, argv.join(' '));
          assert.match(r.stderr, new RegExp(`--${flag} is not accepted: secrets on the command line leak`));
          outputs.push(r.stdout, r.stderr);
        }
      }
      // An option we do not know, with a value that may be a secret: only its name is shown.
      for (const argv of [[name, ...operand, `--my-token=${secret}`], [`--aliyun-secret=${secret}`]]) {
        const r = await runIn(argv);
        assert.equal(r.code, 2);
        outputs.push(r.stdout, r.stderr);
      }
    }
    // The sandbox takes a secret on purpose: a usage error next to it does not print it either.
    for (const argv of [['sandbox', '--access-key-secret', secret, '--port', 'x'], ['sandbox', `--access-key-secret=${secret}`, '--bogus'], ['sandbox', '--access-key-secret', secret]]) {
      const r = await runIn(argv);
      assert.equal(r.code, 2, argv.join(' '));
      outputs.push(r.stdout, r.stderr);
    }
    for (const o of outputs) assert.ok(!o.includes(secret), `secret echoed: ${o}`);
  });

  it('speaks Chinese with --locale zh-cn (help and errors) and reads zh_CN from LANG', async () => {
    const help = await runIn(['lint', '--locale', 'zh-cn', '--help']);
    assert.match(help.stdout, /用法/);
    assert.match(help.stdout, /退出码/);
    const bad = await runIn(['plan', VALID, '--format', 'xml'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /[\u4e00-\u9fff]/);
    const upper = await runIn(['lint', '--locale=ZH_CN', '--help']);
    assert.match(upper.stdout, /用法/, 'locale values are read case-insensitively, _ as -');
  });

  it('the bundled CLI behaves the same as a real process', () => {
    const help = spawnCli(['reach', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: slb-labels reach/);
    const bad = spawnCli(['lint', '--locale', 'fr', VALID]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--locale must be one of en, zh-cn \(not 'fr'\)/);
    const secret = spawnCli(['plan', VALID, '--access-key-secret', 'spawned-secret-99']);
    assert.equal(secret.code, 2);
    assert.ok(!(secret.stdout + secret.stderr).includes('spawned-secret-99'));
    const version = spawnCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^slb-labels /);
  });
});
