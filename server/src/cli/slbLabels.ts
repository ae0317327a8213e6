// The `slb-labels` command line: a thin face on the engine. Every subcommand's options are declared
// and parsed in one place (args.ts); this file only dispatches.
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread } from 'worker_threads';
import { t } from '../engine/i18n';
import { applyTopLevelLocale, ArgsIo, COMMANDS, commandHelp, mainHelp, numberValue, parseCommand, stringValue, VERSION } from './args';
import { runLintCli } from './lint';
import { runReachCli } from './reach';
import { runPlanCli, runProvisionCli } from './provision';
import { runMigrateCommand } from './migrate';

/** The sandbox ships as its own bundle next to the CLI's (dist/sandbox), or as compiled sources (out/). */
async function loadSandbox(): Promise<typeof import('../../../sandbox/src')> {
  const candidates = [path.join(__dirname, '../sandbox/index.js'), path.join(__dirname, '../../../sandbox/src/index.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(t('the SLB sandbox is not part of this installation (it ships with the npm package, not the .vsix)'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(found);
}

async function runSandbox(argv: string[], io: ArgsIo): Promise<number> {
  const parsed = parseCommand(COMMANDS.sandbox, argv, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const sandbox = await loadSandbox();
  return sandbox.serveSandbox({
    port: numberValue(v, 'port', sandbox.DEFAULT_CLI_PORT),
    host: stringValue(v, 'host'),
    seed: stringValue(v, 'seed'),
    accessKeyId: stringValue(v, 'access-key-id'),
    accessKeySecret: stringValue(v, 'access-key-secret'),
    addressBase: stringValue(v, 'address-base'),
    dataPlane: v['no-data-plane'] === true ? false : undefined,
    healthCheckIntervalMs: v['health-check-interval-ms'] !== undefined ? numberValue(v, 'health-check-interval-ms', 0) : undefined,
  });
}

const RUNNERS: Record<string, (argv: string[], io: ArgsIo) => Promise<number> | number> = {
  lint: runLintCli,
  plan: runPlanCli,
  provision: runProvisionCli,
  reach: runReachCli,
  migrate: runMigrateCommand,
  sandbox: runSandbox,
};

export async function main(argv: string[], io: ArgsIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [command, ...rest] = argv;
  applyTopLevelLocale(argv, io.env ?? process.env);
  if (command === '--version' || command === '-V') {
    io.out(`slb-labels ${VERSION}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h') {
    io.out(mainHelp());
    return 0;
  }
  if (command === 'help') {
    const about = rest.find((a) => !a.startsWith('-'));
    if (about && COMMANDS[about]) io.out(commandHelp(COMMANDS[about]));
    else if (about) {
      io.err(t("slb-labels: unknown command '{0}'", about) + '\n' + mainHelp());
      return 2;
    } else io.out(mainHelp());
    return 0;
  }
  if (!command) {
    io.err(mainHelp());
    return 2;
  }
  const runner = RUNNERS[command];
  if (!runner) {
    // A command name is not a secret, but an option in its place might be: name options only by their flag.
    const shown = command.startsWith('-') ? command.split('=')[0] : command;
    io.err(t("slb-labels: unknown command '{0}'", shown) + '\n' + mainHelp());
    return 2;
  }
  return runner(rest, io);
}

// (Not on the lint worker thread, which loads this same bundle: lint/lintThread.ts.)
if (require.main === module && isMainThread) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`slb-labels: ${(error as Error)?.message ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
