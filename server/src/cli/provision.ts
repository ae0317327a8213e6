// `slb-labels plan <file>` and `slb-labels provision <file>`: the provisioning engine from the
// command line. Credentials are read like the extension does (resolveCredentials: environment,
// ~/.aliyun/config.json, ~/.alibabacloud/credentials); an AccessKey is never taken from argv.
//
// Options and exit codes are declared in args.ts (COMMANDS.plan, COMMANDS.provision).
import * as readline from 'readline';
import { ComposeAnalyzer } from '../engine/analysis';
import { loadEnvBeside } from '../engine/compose/dotEnv';
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { t } from '../engine/i18n';
import {
  applyPlan, formatEvent, lineTitle, Plan, ProvisionEvent, planHasChanges, planListeners, planSummaryText, provisionTargets, resultSummaryText, ApplyResult,
} from '../engine/provision';
import { textOf } from '../engine/text';
import { COMMANDS, numberValue, parseCommand, stringValue, Values } from './args';
import { readUserFileSync } from '../engine/userFile';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { runK8sPlanCli } from './k8sPlan';
import { runK8sProvisionCli } from './k8sProvision';

export interface ProvisionCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Environment for credentials (default process.env). */
  env?: Record<string, string | undefined>;
  /** Home directory for ~/.aliyun and ~/.alibabacloud (default os.homedir()). */
  homeDir?: string;
  /** Is stdin a terminal (default process.stdin.isTTY)? */
  isTTY?: boolean;
  /** Ask a question on the terminal, resolve with the answer (default: readline on stdin/stderr). */
  prompt?: (question: string) => Promise<string>;
}

interface Parsed {
  file: string;
  flags: Values;
}

function parse(argv: string[], command: 'plan' | 'provision', io: ProvisionCliIo): Parsed | number {
  const parsed = parseCommand(COMMANDS[command], argv, io);
  return typeof parsed === 'number' ? parsed : { file: parsed.operands[0], flags: parsed.values };
}

const str = stringValue;

interface Prepared {
  plan: Plan;
  client: SlbClient;
  file: string;
  text: string;
}

async function prepare(parsed: Parsed, command: string, io: ProvisionCliIo): Promise<Prepared | number> {
  const flags = parsed.flags;
  const env = io.env ?? process.env;
  const file = parsed.file;
  const read = readUserFileSync(file, { expected: t('a compose file') });
  if (!read.ok) {
    io.err(read.message + '\n');
    return 2;
  }
  const text = read.text;
  const found = await resolveCredentials({ env, homeDir: io.homeDir, profile: str(flags, 'profile'), region: str(flags, 'region'), t });
  if (!found.ok) {
    io.err(`slb-labels ${command}: ${found.message}\n`);
    return 2;
  }
  if (!found.region) {
    io.err(t('slb-labels {0}: no region: pass --region (e.g. --region cn-hangzhou) or set the profile\'s region.', command) + '\n');
    return 2;
  }
  const timeout = numberValue(flags, 'timeout', 10_000);
  let client: SlbClient;
  try {
    client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: str(flags, 'endpoint'), connectTimeoutMs: 5_000, readTimeoutMs: timeout, t });
  } catch (e) {
    io.err(`slb-labels ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  io.err(t('Using {0}.', describeCredentialSource(found, t)) + '\n');
  const env2 = loadEnvBeside(file);
  const analysis = new ComposeAnalyzer().analyze(text, { env: env2 });
  const targets = provisionTargets(analysis, text);
  try {
    const plan = await planListeners(targets, client);
    return { plan, client, file, text };
  } catch (e) {
    // The account could not be read: a failure, not bad usage.
    io.err(`slb-labels ${command}: ${isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

/** The JSON form of a plan: one object per label binding. */
export function planJson(plan: Plan, file: string, text: string): Array<Record<string, unknown>> {
  const doc = textOf(text);
  return plan.lines.map((l) => {
    const pos = l.keySpan ? doc.positionAt(l.keySpan.start) : undefined;
    return {
      file,
      line: pos ? pos.line + 1 : undefined,
      column: pos ? pos.character + 1 : undefined,
      label: l.label,
      service: l.service,
      slb: l.slb,
      slbId: l.slbId ?? null,
      region: l.regionId ?? plan.region,
      frontPort: l.frontPort ?? null,
      protocol: l.protocol ?? null,
      backendPort: l.backendPort ?? null,
      action: l.action,
      reason: l.reason,
      blockedCode: l.blockedCode ?? null,
      existing: l.existing ?? null,
      listener: l.listener ?? null,
      needsCertificate: l.needsCertificate ?? false,
      // Kubernetes Service ports only (absent for compose labels).
      ccm: l.ccm,
    };
  });
}

export function planText(plan: Plan, file: string, text: string): string {
  const doc = textOf(text);
  const out: string[] = [];
  for (const l of plan.lines) {
    const pos = l.keySpan ? doc.positionAt(l.keySpan.start) : undefined;
    out.push(`${file}:${pos ? `${pos.line + 1}:${pos.character + 1}` : '1:1'}: [${l.action}] ${lineTitle(l)}: ${l.reason}`);
  }
  out.push(planSummaryText(plan));
  if (plan.certificates && plan.lines.some((l) => l.needsCertificate)) {
    out.push(t('Server certificates in {0} (use one with --certificate-id):', plan.region));
    for (const c of plan.certificates) out.push(`  ${c.id}  ${c.name ?? ''}${c.commonName ? ` CN=${c.commonName}` : ''}${c.expireTime ? ` ${t('expires {0}', c.expireTime)}` : ''}`);
    if (plan.certificates.length === 0) out.push('  ' + t('(none: upload a certificate to SLB first)'));
  }
  return out.join('\n') + '\n';
}

/** 0 when every label is provisioned or can be; 1 when one is blocked (API down, wrong secret, locked SLB...) or in conflict. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.lines.some((l) => l.action === 'blocked' || l.action === 'conflict') ? 1 : 0;
}

export async function runPlanCli(argv: string[], io: ProvisionCliIo): Promise<number> {
  const parsed = parse(argv, 'plan', io);
  if (typeof parsed === 'number') return parsed;
  // A Kubernetes manifest (by content): what the CCM would do on its CLBs (cli/k8sPlan.ts).
  const manifest = readUserFileSync(parsed.file, { expected: t('a compose file') });
  if (manifest.ok && looksLikeKubernetes(manifest.text)) return runK8sPlanCli(manifest.text, parsed.flags, io);
  const prepared = await prepare(parsed, 'plan', io);
  if (typeof prepared === 'number') return prepared;
  const { plan, file, text } = prepared;
  if (str(parsed.flags, 'format') === 'json') io.out(JSON.stringify(planJson(plan, file, text), null, 2) + '\n');
  else io.out(planText(plan, file, text));
  return planExitCode(plan);
}

export function defaultPrompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => resolve(''));
  });
}

/**
 * Asks before a plan with changes is applied (compose labels and Service manifests alike): the
 * exit code when the user (or a non-terminal stdin without --yes) says no, undefined to go on.
 */
export async function confirmPlan(plan: Plan, yes: boolean, io: ProvisionCliIo): Promise<number | undefined> {
  if (!planHasChanges(plan) || yes) return undefined;
  const tty = io.isTTY ?? process.stdin.isTTY === true;
  if (!tty) {
    io.err(t('slb-labels provision: this changes cloud resources and needs a confirmation, but stdin is not a terminal: pass --yes to apply the plan above.') + '\n');
    return 2;
  }
  const answer = await (io.prompt ?? defaultPrompt)(t('Apply this plan to region {0}? [y/N] ', plan.region));
  if (!/^(y|yes|是|好)$/i.test(answer.trim())) {
    io.err(t('Provisioning cancelled: nothing was changed.') + '\n');
    return 2;
  }
  return undefined;
}

export async function runProvisionCli(argv: string[], io: ProvisionCliIo): Promise<number> {
  const parsed = parse(argv, 'provision', io);
  if (typeof parsed === 'number') return parsed;
  // A Kubernetes manifest (by content): the CCM's vServer groups and listeners (cli/k8sProvision.ts).
  const manifest = readUserFileSync(parsed.file, { expected: t('a compose file') });
  if (manifest.ok && looksLikeKubernetes(manifest.text)) return runK8sProvisionCli(parsed.file, manifest.text, parsed.flags, io);
  const prepared = await prepare(parsed, 'provision', io);
  if (typeof prepared === 'number') return prepared;
  const { plan, client, file, text } = prepared;
  const json = str(parsed.flags, 'format') === 'json';
  if (!json) io.out(planText(plan, file, text));
  const refused = await confirmPlan(plan, parsed.flags.yes === true, io);
  if (refused !== undefined) return refused;
  const certificateId = str(parsed.flags, 'certificate-id');
  const result: ApplyResult = await applyPlan(plan, client, { certificateFor: () => certificateId, onStep: printStep(io) });
  return reportApplied(io, json, plan, result, file, text);
}

/** Each step as it happens, on stderr (stdout carries the result, or the JSON). Compose labels and Service manifests alike. */
export function printStep(io: ProvisionCliIo): (e: ProvisionEvent) => void {
  return (e) => {
    const line = formatEvent(e);
    if (line) io.err(line + '\n');
  };
}

/** The result on stdout (text, or the plan and result as JSON), and the exit code: 0 when every line applied. */
export function reportApplied(io: ProvisionCliIo, json: boolean, plan: Plan, result: ApplyResult, file: string, text: string): number {
  if (json) io.out(JSON.stringify({ plan: planJson(plan, file, text), result }, null, 2) + '\n');
  else io.out(resultText(plan, result, file, text));
  return result.ok ? 0 : 1;
}

/** `file:line:col: [outcome] title: message` per line, then the summary. */
export function resultText(plan: Plan, result: ApplyResult, file: string, text: string): string {
  const doc = textOf(text);
  const out: string[] = [];
  for (const r of result.lines) {
    const line = plan.lines.find((l) => l.id === r.id);
    const pos = line?.keySpan ? doc.positionAt(line.keySpan.start) : undefined;
    out.push(`${file}:${pos ? `${pos.line + 1}:${pos.character + 1}` : '1:1'}: [${r.outcome}] ${lineTitle(r)}: ${r.message}`);
  }
  out.push(resultSummaryText(result));
  return out.join('\n') + '\n';
}
