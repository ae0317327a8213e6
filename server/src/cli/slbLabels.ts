// The `slb-labels` command line: a thin face on the engine.
import * as fs from 'fs';
import * as path from 'path';
import { normaliseLocale, setLocale, t } from '../engine/i18n';
import { runLint } from './lint';
import { runReachCli } from './reach';
import { runPlanCli, runProvisionCli } from './provision';
import { runMigrateCli } from './migrate';

const USAGE = `Usage:
  slb-labels lint <files...> [--format text|json] [--locale en|zh-cn]
  slb-labels plan <file> [--format text|json] [--region R] [--endpoint E] [--profile P] [--locale en|zh-cn]
  slb-labels provision <file> [--yes] [--certificate-id ID] [--region R] [--endpoint E] [--profile P] [--locale en|zh-cn]
  slb-labels reach <file> [--format text|json] [--timeout ms] [--region R] [--endpoint E] [--profile P] [--locale en|zh-cn]
  slb-labels migrate <compose file> [--out dir] [--service name] [--offline] [--region R] [--endpoint E] [--profile P] [--locale en|zh-cn]
  slb-labels sandbox [--port N] [--host 127.0.0.1] [--seed file.json] [--access-key-id ID --access-key-secret SECRET]
  slb-labels --version | --help
`;

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[], valueFlags: Set<string>): Parsed | string {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (valueFlags.has(name)) {
        const value = inline ?? argv[++i];
        if (value === undefined) return t('--{0} needs a value', name);
        flags.set(name, value);
      } else flags.set(name, true);
    } else positional.push(arg);
  }
  return { positional, flags };
}

/** The sandbox ships as its own bundle next to the CLI's (dist/sandbox), or as compiled sources (out/). */
async function loadSandbox(): Promise<typeof import('../../../sandbox/src')> {
  const candidates = [path.join(__dirname, '../sandbox/index.js'), path.join(__dirname, '../../../sandbox/src/index.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(t('the SLB sandbox is not part of this installation (it ships with the npm package, not the .vsix)'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(found);
}

export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const [command, ...rest] = argv;
  if (command === '--version') {
    out('slb-labels 0.1.0\n');
    return 0;
  }
  if (!command || command === '--help' || command === 'help') {
    (command ? out : err)(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'sandbox') {
    return (await loadSandbox()).runSandboxCli(rest);
  }
  if (command === 'plan') return runPlanCli(rest, { out, err });
  if (command === 'provision') return runProvisionCli(rest, { out, err });
  if (command === 'migrate') {
    const parsed = parseArgs(rest, new Set(['out', 'service', 'region', 'endpoint', 'profile', 'locale']));
    const unknown = typeof parsed === 'string' ? [] : [...parsed.flags.keys()].filter((k) => !['out', 'service', 'region', 'endpoint', 'profile', 'locale', 'offline'].includes(k));
    if (typeof parsed === 'string' || unknown.length > 0 || parsed.positional.length > 1) {
      err(`slb-labels migrate: ${typeof parsed === 'string' ? parsed : unknown.length ? t('unknown option --{0}', unknown[0]) : t('one compose file at a time')}\n${USAGE}`);
      return 2;
    }
    const flag = (name: string) => (typeof parsed.flags.get(name) === 'string' ? (parsed.flags.get(name) as string) : undefined);
    return runMigrateCli({ file: parsed.positional[0], out: flag('out'), service: flag('service'), offline: parsed.flags.has('offline'), region: flag('region'), endpoint: flag('endpoint'), profile: flag('profile'), locale: flag('locale') }, { out, err });
  }
  if (command === 'reach') {
    return runReachCli(rest, { out, err });
  }
  if (command === 'lint') {
    const parsed = parseArgs(rest, new Set(['format', 'locale']));
    if (typeof parsed === 'string') {
      err(`slb-labels lint: ${parsed}\n${USAGE}`);
      return 2;
    }
    const locale = parsed.flags.get('locale');
    setLocale(normaliseLocale(typeof locale === 'string' ? locale : process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG));
    const format = parsed.flags.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') {
      err(t("slb-labels lint: --format must be 'text' or 'json'") + '\n');
      return 2;
    }
    const unknown = [...parsed.flags.keys()].filter((k) => !['format', 'locale'].includes(k));
    if (unknown.length > 0) {
      err(t('slb-labels lint: unknown option --{0}', unknown[0]) + `\n${USAGE}`);
      return 2;
    }
    return runLint(parsed.positional, format, { out, err });
  }
  err(t("slb-labels: unknown command '{0}'", command) + `\n${USAGE}`);
  return 2;
}

if (require.main === module) {
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
