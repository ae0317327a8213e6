// `slb-labels reach <file>`: the reachability walk from the command line. Options and exit codes
// are declared in args.ts (COMMANDS.reach); credentials as the extension reads them, never from argv.
import { ComposeAnalyzer } from '../engine/analysis';
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { loadEnvBeside } from '../engine/compose/dotEnv';
import { t } from '../engine/i18n';
import { checkReachability, formatReport, reachTargets } from '../engine/reach';
import { COMMANDS, numberValue, parseCommand, stringValue } from './args';
import { readUserFileSync } from '../engine/userFile';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { runK8sReachCli } from './k8sPlan';

export interface ReachCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
}

export async function runReachCli(argv: string[], io: ReachCliIo): Promise<number> {
  const env = io.env ?? process.env;
  const parsed = parseCommand(COMMANDS.reach, argv, io);
  if (typeof parsed === 'number') return parsed;
  const flags = parsed.values;
  const format = stringValue(flags, 'format') ?? 'text';
  const timeoutMs = numberValue(flags, 'timeout', 3000);
  const concurrency = numberValue(flags, 'concurrency', 16);
  const file = parsed.operands[0];
  const read = readUserFileSync(file, { expected: t('a compose file') });
  if (!read.ok) {
    io.err(read.message + '\n');
    return 2;
  }
  const text = read.text;
  // A Kubernetes manifest (by content): every Service port through its CLB (cli/k8sPlan.ts).
  if (looksLikeKubernetes(text)) return runK8sReachCli(text, flags, io);
  const dotEnv = loadEnvBeside(file);
  const analysis = new ComposeAnalyzer().analyze(text, { env: dotEnv, yamlSyntaxErrors: 'all' });
  const targets = reachTargets(analysis, { env: dotEnv });
  if (targets.length === 0) {
    if (format === 'json') io.out('[]\n');
    else io.out(t('No aliyun.lb labels to check.') + '\n');
    return 0;
  }

  const found = await resolveCredentials({ env, profile: stringValue(flags, 'profile'), region: stringValue(flags, 'region'), t });
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
    client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: stringValue(flags, 'endpoint'), connectTimeoutMs: 4_000, readTimeoutMs: Math.max(timeoutMs, 5_000), retry: { maxAttempts: 2 }, t });
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
