// One command-line parser for every `slb-labels` subcommand, on node's util.parseArgs. Each command
// declares its options once (CommandSpec); parsing, validation, error messages, --help and the
// exit-code table all come from that declaration, so subcommands cannot drift apart.
//
// Rules every command gets:
//   - unknown options, missing values, values outside a choice list or a number range, and a wrong
//     number of operands all fail the same way: one clear line on stderr, a pointer to --help, exit 2;
//   - a value given to a `secret` or `refused` option is never printed (errors name the flag only);
//   - credentials on the command line are refused by the cloud commands (REFUSED_CREDENTIAL_FLAGS);
//   - -h/--help prints the command's help on stdout (exit 0), --version the version (exit 0).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { normaliseLocale, setLocale, t } from '../engine/i18n';

/** The package's version, from the package.json above this file (dist/cli or out/server/src/cli). */
function readVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'aliyun-slb-labels' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

export const VERSION: string = readVersion();

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  /** Placeholder shown in help: `--format FORMAT`. */
  valueName?: string;
  /** English help text (translated when shown); hidden options have none. */
  description?: string;
  /** Accepted values (compared case-insensitively, `_` read as `-`). */
  choices?: readonly string[];
  /** Accepted integers. */
  range?: { min: number; max: number };
  /** Never echo the value (it may be a secret). */
  secret?: boolean;
  /** Declared only so its value is consumed (and never echoed), then refused: credentials on argv. */
  refused?: boolean;
  /** Not listed in help (aliases kept for compatibility, refused credential flags). */
  hidden?: boolean;
}

export interface ExitCode {
  code: 0 | 1 | 2;
  meaning: string;
}

export interface CommandSpec {
  name: string;
  /** Operands in the usage line: `<paths...>`. */
  operands: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** How many operands the command takes. */
  operandCount: { min: number; max: number };
  /** English message when the operand count is wrong. */
  operandMessage: string;
  /** Options that make the command take no operands (`lint --list-rules`). */
  standalone?: readonly string[];
  exitCodes: ExitCode[];
  examples?: string[];
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface ParsedCommand {
  values: Values;
  operands: string[];
}

export interface ArgsIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
}

/** Credentials are refused on the command line: they would stay in shell history and the process list. */
export const REFUSED_CREDENTIAL_FLAGS = ['access-key-id', 'access-key-secret', 'accesskey', 'secret', 'security-token', 'sts-token'] as const;

const refusedCredentials: Record<string, OptionSpec> = Object.fromEntries(
  REFUSED_CREDENTIAL_FLAGS.map((name) => [name, { type: 'string', refused: true, secret: true, hidden: true } satisfies OptionSpec]),
);

const LOCALES = ['en', 'zh-cn'] as const;

const common: Record<string, OptionSpec> = {
  locale: { type: 'string', valueName: 'LOCALE', choices: LOCALES, description: 'language of messages: en or zh-cn (default: from LANG)' },
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  version: { type: 'boolean', description: 'print the version and exit' },
};

const cloud: Record<string, OptionSpec> = {
  region: { type: 'string', valueName: 'REGION', description: 'region ID, e.g. cn-hangzhou (default: ALIBABA_CLOUD_REGION_ID or the profile\'s region)' },
  endpoint: { type: 'string', valueName: 'URL', description: 'SLB API endpoint (default: the regional one), e.g. a VPC endpoint or the local sandbox' },
  profile: { type: 'string', valueName: 'NAME', description: 'aliyun CLI profile for credentials (default: the current one or the environment)' },
  ...refusedCredentials,
};

const USAGE_EXIT: ExitCode = { code: 2, meaning: 'bad usage (unknown option, bad value), an input that cannot be read, or no credentials/region' };

export const COMMANDS: Record<string, CommandSpec> = {
  lint: {
    name: 'lint',
    operands: '<paths...>',
    summary: 'Check compose files for aliyun.* label mistakes, as the editor does. Paths may be files, directories (walked with the compose-file globs, skipping what .gitignore excludes) or - for stdin.',
    operandCount: { min: 1, max: Infinity },
    operandMessage: 'name files or directories to check, e.g. slb-labels lint . (or - to read stdin)',
    standalone: ['list-rules'],
    options: {
      format: { type: 'string', valueName: 'FORMAT', choices: ['text', 'json', 'sarif', 'github'], description: 'output: text (default), json, sarif (SARIF 2.1.0, for code scanning) or github (workflow annotations)' },
      'stdin-filename': { type: 'string', valueName: 'PATH', description: 'name (and folder, for its .env) of the text read from - on stdin' },
      'compose-files': { type: 'string', multiple: true, valueName: 'GLOB', description: 'glob of compose files inside a directory (repeatable; default: the editor\'s aliyunSlbLabels.composeFiles)' },
      'no-gitignore': { type: 'boolean', description: 'also check files that .gitignore excludes' },
      online: { type: 'boolean', description: 'also run the online checks against the account (SLB exists, active, listeners); needs credentials' },
      timeout: { type: 'string', valueName: 'MS', range: { min: 1000, max: 600_000 }, description: 'time budget of the online checks in milliseconds (default 60000)' },
      'list-rules': { type: 'boolean', description: 'list every rule (code, severity, category, summary) from the rule registry, and exit' },
      ...cloud,
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'no errors (warnings and information only)' },
      { code: 1, meaning: 'errors found; with --online also online warnings, or online checks that could not run (no credentials, API down, out of time)' },
      USAGE_EXIT,
    ],
    examples: ['slb-labels lint .', 'slb-labels lint deploy/ --format sarif > slb-labels.sarif', 'slb-labels lint - --stdin-filename deploy/docker-compose.yml < docker-compose.yml', 'slb-labels lint . --online --region cn-hangzhou', 'slb-labels lint --list-rules --format json'],
  },
  plan: {
    name: 'plan',
    operands: '<file>',
    summary: 'Show the SLB listeners the labels of a compose file need, and what provisioning would do. Changes nothing.',
    operandCount: { min: 1, max: 1 },
    operandMessage: 'name one compose file, e.g. slb-labels plan docker-compose.yml',
    options: {
      format: { type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output: text (default) or json' },
      'cluster-id': { type: 'string', valueName: 'ID', description: 'Kubernetes manifests: the cluster ID the CCM names vServer groups and listeners with' },
      timeout: { type: 'string', valueName: 'MS', range: { min: 100, max: 120_000 }, description: 'read timeout of each API call in milliseconds (default 10000)' },
      ...cloud,
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'every label is provisioned or can be (create, start, unchanged)' },
      { code: 1, meaning: 'some label is blocked or in conflict, or the account could not be read' },
      USAGE_EXIT,
    ],
  },
  provision: {
    name: 'provision',
    operands: '<file>',
    summary: 'Create and start the SLB listeners the labels need: shows the plan, asks for confirmation, then applies it.',
    operandCount: { min: 1, max: 1 },
    operandMessage: 'name one compose file or Kubernetes manifest, e.g. slb-labels provision docker-compose.yml',
    options: {
      yes: { type: 'boolean', short: 'y', description: 'apply without asking (needed when stdin is not a terminal)' },
      'certificate-id': { type: 'string', valueName: 'ID', description: 'server certificate for https listeners' },
      backend: { type: 'string', multiple: true, valueName: 'ECS[:PORT]', description: 'Kubernetes manifests: an ECS instance ID of a cluster node for the vServer groups (repeatable); with :PORT only the group of that NodePort' },
      'cluster-id': { type: 'string', valueName: 'ID', description: 'Kubernetes manifests: the cluster ID the CCM names vServer groups and listeners with (required to apply)' },
      format: { type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output: text (default) or json' },
      timeout: { type: 'string', valueName: 'MS', range: { min: 100, max: 120_000 }, description: 'read timeout of each API call in milliseconds (default 10000)' },
      ...cloud,
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'every label is provisioned' },
      { code: 1, meaning: 'some label could not be provisioned (conflict, blocked, failed)' },
      { code: 2, meaning: 'bad usage, an input that cannot be read, no credentials/region, or not confirmed' },
    ],
  },
  reach: {
    name: 'reach',
    operands: '<file>',
    summary: 'Check that every labelled port is reachable: label, SLB, address, listener, backend health, a real connection and an application probe.',
    operandCount: { min: 1, max: 1 },
    operandMessage: 'name one compose file, e.g. slb-labels reach docker-compose.yml',
    options: {
      format: { type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output: text (default) or json' },
      timeout: { type: 'string', valueName: 'MS', range: { min: 100, max: 120_000 }, description: 'timeout of each probe in milliseconds (default 3000)' },
      concurrency: { type: 'string', valueName: 'N', range: { min: 1, max: 64 }, description: 'labels checked at once (default 16)' },
      ...cloud,
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'every label is reachable (or there is none to check)' },
      { code: 1, meaning: 'some label is blocked' },
      USAGE_EXIT,
    ],
  },
  migrate: {
    name: 'migrate',
    operands: '<file>',
    summary: 'Write Kubernetes manifests (Deployment + LoadBalancer Service with CLB annotations) for the compose services with aliyun.lb.port_* labels.',
    operandCount: { min: 1, max: 1 },
    operandMessage: 'name one compose file, e.g. slb-labels migrate docker-compose.yml --out k8s/',
    options: {
      out: { type: 'string', valueName: 'DIR', description: 'write one <service>.yaml per compose service into DIR (default: print to stdout)' },
      service: { type: 'string', valueName: 'NAME', description: 'migrate only this compose service' },
      offline: { type: 'boolean', description: 'do not read the account: SLB names stay marked placeholders' },
      ...cloud,
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'manifests written (placeholders, if any, are listed on stderr)' },
      { code: 1, meaning: 'no service with an aliyun.lb.port_* label to migrate' },
      USAGE_EXIT,
    ],
    examples: ['slb-labels migrate docker-compose.yml --out k8s/', 'slb-labels migrate docker-compose.yml --offline > app.yaml'],
  },
  sandbox: {
    name: 'sandbox',
    operands: '',
    summary: 'Start a local stand-in for the Alibaba Cloud SLB API (signed requests, real sockets) on loopback, until Ctrl+C.',
    operandCount: { min: 0, max: 0 },
    operandMessage: 'takes no operands',
    options: {
      port: { type: 'string', valueName: 'N', range: { min: 0, max: 65_535 }, description: 'API port (default 8765; 0 = any free port)' },
      host: { type: 'string', valueName: 'HOST', description: 'loopback address to bind (default 127.0.0.1; anything else is refused)' },
      seed: { type: 'string', valueName: 'FILE', description: 'seed JSON (default: the built-in demo account)' },
      'access-key-id': { type: 'string', valueName: 'ID', description: 'AccessKey ID the sandbox accepts (default: the demo key)' },
      'access-key-secret': { type: 'string', valueName: 'SECRET', secret: true, description: 'its secret (default: the demo secret; never printed)' },
      'address-base': { type: 'string', valueName: 'ADDRESS', description: 'first load balancer address (default 127.0.0.2)' },
      'no-data-plane': { type: 'boolean', description: 'answer the API only; do not bind listeners' },
      'health-check-interval-ms': { type: 'string', valueName: 'MS', range: { min: 10, max: 3_600_000 }, description: 'override every listener\'s health-check interval' },
      ...common,
    },
    exitCodes: [
      { code: 0, meaning: 'stopped by Ctrl+C or SIGTERM' },
      { code: 1, meaning: 'could not start (port taken, address not loopback, bad seed)' },
      { code: 2, meaning: 'bad usage' },
    ],
  },
};

/** Picks the locale before anything is printed: a valid --locale, else LC_ALL/LC_MESSAGES/LANG. */
function applyLocale(argv: readonly string[], env: Record<string, string | undefined>): void {
  let flag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--locale') flag = argv[i + 1];
    else if (argv[i].startsWith('--locale=')) flag = argv[i].slice('--locale='.length);
  }
  const chosen = flag !== undefined ? normaliseChoice(flag) : undefined;
  setLocale(chosen === 'zh-cn' ? 'zh-cn' : chosen === 'en' ? 'en' : normaliseLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG));
}

function normaliseChoice(value: string): string {
  return value.trim().toLowerCase().replace(/_/g, '-');
}

function helpHint(command: string): string {
  return t("Run 'slb-labels {0} --help' for usage.", command);
}

/** `--name` in usage errors; the value of a secret option is never part of a message. */
function fail(io: ArgsIo, command: string, message: string): 2 {
  io.err(`slb-labels ${command}: ${message}\n${helpHint(command)}\n`);
  return 2;
}

/**
 * Parses argv (the arguments after the subcommand) against the command's spec. Returns the values,
 * or the exit code when the process should stop (help/version printed: 0; usage error printed: 2).
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], io: ArgsIo): ParsedCommand | number {
  const env = io.env ?? process.env;
  applyLocale(argv, env);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type };
    if (o.short) options[name].short = o.short;
    if (o.multiple) options[name].multiple = true;
  }
  // Help and version win over every other problem, as in other tools.
  const beforeTerminator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeTerminator.some((a) => a === '--help' || a === '-h')) {
    io.out(commandHelp(spec));
    return 0;
  }
  if (beforeTerminator.includes('--version')) {
    io.out(`slb-labels ${VERSION}\n`);
    return 0;
  }
  let tokens;
  try {
    // Not strict: unknown options and missing values are reported below, in our words and language,
    // and without echoing a value.
    tokens = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens;
  } catch {
    return fail(io, spec.name, t('the command line cannot be read'));
  }
  const values: Values = {};
  const operands: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      operands.push(token.value);
      continue;
    }
    const o = spec.options[token.name];
    const shown = token.rawName.startsWith('--') ? `--${token.name}` : token.rawName;
    if (!o) {
      // The option's name only: an inline value (`--x=...`) may be a secret.
      return fail(io, spec.name, t('unknown option {0}', shown));
    }
    if (o.refused) {
      io.err(
        t('slb-labels {0}: --{1} is not accepted: secrets on the command line leak (shell history, process list). Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or use an aliyun CLI profile (--profile).', spec.name, token.name) + '\n',
      );
      return 2;
    }
    if (o.type === 'boolean') {
      if (token.inlineValue) return fail(io, spec.name, t('{0} takes no value', shown));
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    // `--format --locale en`: parseArgs would take `--locale` as the value.
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('--'))) {
      return fail(io, spec.name, t('{0} needs a value', shown));
    }
    if (o.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), value];
    else values[token.name] = value;
  }
  for (const [name, o] of Object.entries(spec.options)) {
    const raw = values[name];
    if (typeof raw !== 'string') continue;
    if (o.choices) {
      const v = normaliseChoice(raw);
      if (!o.choices.includes(v)) {
        return fail(io, spec.name, o.secret ? t('--{0} has a value that is not accepted', name) : t("--{0} must be one of {1} (not '{2}')", name, o.choices.join(', '), raw));
      }
      values[name] = v;
    }
    if (o.range) {
      const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isSafeInteger(n) || n < o.range.min || n > o.range.max) {
        return fail(io, spec.name, o.secret ? t('--{0} has a value that is not accepted', name) : t("--{0} must be a whole number from {1} to {2} (not '{3}')", name, o.range.min, o.range.max, raw));
      }
      values[name] = String(n);
    }
  }
  const alone = spec.standalone?.find((name) => values[name] === true);
  if (alone && operands.length > 0) return fail(io, spec.name, t('--{0} takes no paths', alone));
  if (!alone && (operands.length < spec.operandCount.min || operands.length > spec.operandCount.max)) {
    return fail(io, spec.name, t(spec.operandMessage));
  }
  return { values, operands };
}

/** A string option's value (trimmed; undefined when absent or blank). */
export function stringValue(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A ranged option's value as a number, or the default. */
export function numberValue(values: Values, name: string, fallback: number): number {
  const v = stringValue(values, name);
  return v === undefined ? fallback : Number(v);
}

function optionLines(spec: CommandSpec): string[] {
  const rows: [string, string][] = [];
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.hidden) continue;
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    if (o.description) rows.push([flag, t(o.description)]);
  }
  const width = Math.min(32, Math.max(...rows.map(([f]) => f.length)) + 2);
  return rows.map(([f, d]) => (f.length + 2 > width ? `  ${f}\n  ${' '.repeat(width)}${d}` : `  ${f.padEnd(width)}${d}`));
}

export function exitCodeLines(spec: CommandSpec): string[] {
  return spec.exitCodes.map((e) => `  ${e.code}  ${t(e.meaning)}`);
}

/** The help of one subcommand, in the current locale. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [
    `${t('Usage:')} slb-labels ${spec.name} [${t('options')}]${spec.operands ? ' ' + spec.operands : ''}`,
    '',
    t(spec.summary),
    '',
    t('Options:'),
    ...optionLines(spec),
    '',
    t('Exit codes:'),
    ...exitCodeLines(spec),
  ];
  if (spec.examples?.length) lines.push('', t('Examples:'), ...spec.examples.map((e) => `  ${e}`));
  if (Object.keys(spec.options).some((n) => spec.options[n].refused)) {
    lines.push('', t('Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN), an aliyun CLI profile or ~/.alibabacloud/credentials, never from the command line.'));
  }
  return lines.join('\n') + '\n';
}

/** `slb-labels --help`: every command, one line each. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    `${t('Usage:')} slb-labels <${t('command')}> [${t('options')}]`,
    '',
    t('Commands:'),
    ...names.map((n) => `  ${n.padEnd(width)}${t(COMMANDS[n].summary)}`),
    '',
    t("Run 'slb-labels <command> --help' for a command's options and exit codes."),
    t('Exit codes of every command: 0 all good; 1 findings, blocked or failed; 2 bad usage or an input that cannot be read.'),
    '',
    `  slb-labels --version`,
  ].join('\n') + '\n';
}

/** Parses the arguments of the top level (no subcommand yet): locale only. */
export function applyTopLevelLocale(argv: readonly string[], env: Record<string, string | undefined> = process.env): void {
  applyLocale(argv, env);
}
