// `slb-labels reach <file>`: the reachability walk from the command line.
//   --format text|json   checklist report (default) or a JSON list of results
//   --timeout ms         per-probe timeout (default 3000)
//   --concurrency n      labels checked at once (default 16)
//   --region --endpoint --profile   as the extension's settings; credentials as the extension reads them
//                        (env ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, aliyun CLI config, credentials file) —
//                        never from the command line.
//   --locale en|zh-cn
// Exit code: 0 every label reachable (or none to check), 1 any label blocked, 2 usage/configuration errors.
import * as path from 'path';
import { ComposeAnalyzer } from '../engine/analysis';
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { readDotEnv } from '../engine/compose/dotEnv';
import { normaliseLocale, setLocale, t } from '../engine/i18n';
import { checkReachability, formatReport, reachTargets } from '../engine/reach';
import { readUserFileSync } from '../engine/userFile';

export interface ReachCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
}

const VALUE_FLAGS = new Set(['format', 'timeout', 'concurrency', 'region', 'endpoint', 'profile', 'locale']);
const SECRET_FLAGS = new Set(['access-key-id', 'access-key-secret', 'accesskey', 'secret', 'security-token', 'sts-token']);
const REACH_USAGE = 'Usage: slb-labels reach <file> [--format text|json] [--timeout ms] [--concurrency n] [--region R] [--endpoint E] [--profile P] [--locale en|zh-cn]\n';

export async function runReachCli(argv: string[], io: ReachCliIo): Promise<number> {
  const env = io.env ?? process.env;
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (SECRET_FLAGS.has(name)) {
      io.err(t('slb-labels reach: credentials are not taken on the command line (they would end up in the shell history and the process list). Use ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, an aliyun CLI profile (--profile) or ~/.alibabacloud/credentials.') + '\n');
      return 2;
    }
    if (!VALUE_FLAGS.has(name)) {
      io.err(t('slb-labels reach: unknown option --{0}', name) + '\n' + REACH_USAGE);
      return 2;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') {
      io.err(t('slb-labels reach: --{0} needs a value', name) + '\n' + REACH_USAGE);
      return 2;
    }
    flags.set(name, value);
  }
  setLocale(normaliseLocale(flags.get('locale') ?? (env.LC_ALL || env.LC_MESSAGES || env.LANG)));
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') {
    io.err(t("slb-labels reach: --format must be 'text' or 'json'") + '\n');
    return 2;
  }
  const timeoutMs = flags.has('timeout') ? Number(flags.get('timeout')) : 3000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    io.err(t('slb-labels reach: --timeout must be a number of milliseconds between 100 and 120000') + '\n');
    return 2;
  }
  const concurrency = flags.has('concurrency') ? Number(flags.get('concurrency')) : 16;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    io.err(t('slb-labels reach: --concurrency must be between 1 and 64') + '\n');
    return 2;
  }
  if (positional.length !== 1) {
    io.err(t('slb-labels reach: name one compose file, e.g. slb-labels reach docker-compose.yml') + '\n' + REACH_USAGE);
    return 2;
  }
  const file = positional[0];
  const read = readUserFileSync(file, { expected: t('a compose file') });
  if (!read.ok) {
    io.err(read.message + '\n');
    return 2;
  }
  const text = read.text;
  let dotEnv: Map<string, string> | undefined;
  try {
    const envPath = path.join(path.dirname(file), '.env');
    const envRead = readUserFileSync(envPath, { maxBytes: 1024 * 1024 });
    if (envRead.ok) dotEnv = readDotEnv(envRead.text);
  } catch {
    dotEnv = undefined;
  }
  const analysis = new ComposeAnalyzer().analyze(text, { env: dotEnv, yamlSyntaxErrors: 'all' });
  const targets = reachTargets(analysis, { env: dotEnv });
  if (targets.length === 0) {
    if (format === 'json') io.out('[]\n');
    else io.out(t('No aliyun.lb labels to check.') + '\n');
    return 0;
  }

  const found = await resolveCredentials({ env, profile: flags.get('profile'), region: flags.get('region'), t });
  if (!found.ok) {
    io.err(t('slb-labels reach: {0}', found.message) + '\n');
    return 2;
  }
  if (!found.region) {
    io.err(t('slb-labels reach: no region: pass --region (or set ALIBABA_CLOUD_REGION_ID, or the profile\'s region).') + '\n');
    return 2;
  }
  let client: SlbClient;
  try {
    client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: flags.get('endpoint'), connectTimeoutMs: 4_000, readTimeoutMs: Math.max(timeoutMs, 5_000), retry: { maxAttempts: 2 }, t });
  } catch (e) {
    io.err(t('slb-labels reach: {0}', isSlbApiError(e) || e instanceof Error ? e.message : String(e)) + '\n');
    return 2;
  }
  if (format === 'text') {
    io.out(t('Checking {0} label(s) of {1}: {2}; probe timeout {3} ms.', targets.length, file, describeCredentialSource(found, t), timeoutMs) + '\n\n');
  }
  const results = await checkReachability(targets, { client, region: found.region, timeoutMs, concurrency });
  if (format === 'json') {
    const list = results.map((r) => ({
      label: r.label,
      service: r.service,
      slb: r.slb,
      frontPort: r.frontPort,
      protocol: r.protocol,
      backendPort: r.backendPort,
      reachable: r.reachable,
      confirmed: r.confirmed,
      blocker: r.blocker,
      fix: r.fix,
      steps: r.steps,
      latencyMs: r.latencyMs,
      slbId: r.slbId,
      address: r.address,
    }));
    io.out(JSON.stringify(list, null, 2) + '\n');
  } else {
    io.out(formatReport(results));
  }
  return results.every((r) => r.reachable) ? 0 : 1;
}
