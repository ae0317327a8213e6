// Provisioning over LSP (any editor): `workspace/executeCommand` commands
//
//   aliyunSlbLabels.plan       args [PlanCommandArgs]      -> PlanCommandResult       (changes nothing)
//   aliyunSlbLabels.provision  args [ProvisionCommandArgs] -> ProvisionCommandResult
//
// provision: plan (live state) -> certificate for https lines -> confirmation through
// `window/showMessageRequest` (actions "Apply"/"Cancel", localised) unless `confirmed: true` ->
// apply with work-done progress (the request's workDoneToken, else `window/workDoneProgress/create`
// when the client supports it) -> every step logged (connection.console) as it happens, then the
// result report -> SLB catalog refreshed and open documents re-validated (so `slb-listener-missing`
// goes away). The plan and result reports are logged once, here; clients show that log, no copy.
// Refused in an untrusted workspace. Shapes are documented in server/src/engine/provision/README.md.
import * as fs from 'fs';
import { fileURLToPath } from 'url';
import type { CancellationToken, ClientCapabilities, Connection, MessageActionItem, Range, WorkDoneProgressReporter, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ComposeAnalyzer } from '../engine/analysis';
import { t } from '../engine/i18n';
import {
  applyPlan, ApplyResult, CertificateInfo, confirmationText, formatEvent, formatResultText, Plan, PlanLine, planListeners, planHasChanges, planSummaryText, planTexts, ProvisionEvent, provisionOutcome,
  provisionTargets, resultSummaryText,
} from '../engine/provision';
import type { PlanTexts, ProvisionOutcome } from '../engine/provision';
import { rangeOf } from '../engine/text';
import { applyCcmPlan } from '../engine/k8s/ccmApply';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { planK8sDocument } from './k8sCloudCommands';
import type { CloudSession } from './cloudSession';
import { COMMANDS, CommandDispatcher } from './commands';

// -- shapes (the VS Code client and other editors rely on these) ------------------------------------

export interface Position {
  line: number;
  character: number;
}

export interface PlanCommandArgs {
  /** The compose file (open in the editor, or a file: URI read from disk). */
  uri: string;
  /** Only the label on this line (the label under the cursor). */
  position?: Position;
  /** Only these label keys (`aliyun.lb.port_6379`, or `service/aliyun.lb.port_6379`). */
  labelKeys?: string[];
  /** Every label of the file (the default when neither position nor labelKeys is given). */
  all?: boolean;
  /** Kubernetes manifests: the cluster ID (else the setting aliyunSlbLabels.kubernetes.clusterId). */
  clusterId?: string;
  /** Kubernetes manifests: ECS node backends `i-…` / `i-…:port` (else the setting aliyunSlbLabels.kubernetes.backends). */
  backends?: string[];
}

export interface ProvisionCommandArgs extends PlanCommandArgs {
  /** ServerCertificateId for every https listener to create. */
  certificateId?: string;
  /** Per plan line id: ServerCertificateId (wins over certificateId). */
  certificateIds?: Record<string, string>;
  /**
   * The client shows its own certificate picker: when an https listener is to be created and no
   * certificate was given, the command changes nothing and answers `needs-certificate` with the
   * list. Without it, such lines are blocked with a reason (clients without UI).
   */
  certificatePicker?: boolean;
  /** The client already showed its own confirmation (modal): no `window/showMessageRequest`. */
  confirmed?: boolean;
}

/** A plan line plus where the label is in the document. */
export type PlanLineWithRange = PlanLine & { range?: Range };
export type PlanWithRanges = Omit<Plan, 'lines'> & { lines: PlanLineWithRange[] };

export type CommandStatus =
  | 'ok' // plan computed / provisioning applied (see result.ok)
  | 'refused' // untrusted workspace
  | 'error' // no credentials, no region, unreadable document, API failure before planning
  | 'nothing' // no lb label selected
  | 'needs-certificate' // provision: pick a certificate (certificatePicker) and call again
  | 'cancelled'; // provision: the user answered Cancel (nothing changed)

export interface PlanCommandResult {
  status: CommandStatus;
  /** One sentence for a notification (localised; never a secret). */
  message: string;
  uri: string;
  plan?: PlanWithRanges;
  /** The plan's texts in the user's locale (output lines, summary, confirmation modal): with `plan`. */
  texts?: PlanTexts;
}

export interface ProvisionCommandResult extends PlanCommandResult {
  /** The apply result: per-label outcome, created/started flags, steps (status 'ok' only). */
  result?: ApplyResult;
  /** status 'ok': the notification (severity, message, run-again offer) and output lines, localised. */
  outcome?: ProvisionOutcome;
  /** 'needs-certificate': the region's server certificates (DescribeServerCertificates). */
  certificates?: CertificateInfo[];
  /** 'needs-certificate': the plan lines that need one. */
  needsCertificate?: string[];
  /** true when every selected label ended created/started/unchanged. */
  ok: boolean;
}

// -- wiring ----------------------------------------------------------------------------------------

export interface ProvisionDeps {
  connection: Connection;
  cloud: CloudSession;
  /** The open document, if any. */
  document: (uri: string) => TextDocument | undefined;
  analyzerFor: (uri: string) => ComposeAnalyzer;
  envFor: (uri: string) => Map<string, string> | undefined;
  clientCapabilities: () => ClientCapabilities | undefined;
  /** Re-publish diagnostics of every open document. */
  revalidateAll: () => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export function registerProvisionCommands(dispatcher: CommandDispatcher, deps: ProvisionDeps): void {
  dispatcher.register(COMMANDS.plan, (args) => planCommand(firstArg<PlanCommandArgs>(args), deps));
  dispatcher.register(COMMANDS.provision, (args, token, workDone) =>
    provisionCommand(firstArg<ProvisionCommandArgs>(args), deps, token, hasToken(workDone) ? workDone : undefined),
  );
}

/**
 * Did the request carry a workDoneToken? vscode-languageserver removes it from the params and
 * passes a reporter bound to it (or a no-op reporter without one); only the bound one has a token.
 */
function hasToken(workDone: WorkDoneProgressReporter | undefined): workDone is WorkDoneProgressReporter {
  return !!workDone && (workDone as unknown as { _token?: unknown })._token !== undefined;
}

function firstArg<T>(args: unknown[]): T {
  const a = args[0];
  return (a && typeof a === 'object' ? a : {}) as T;
}

function loadDocument(uri: string, deps: ProvisionDeps): TextDocument | undefined {
  const open = deps.document(uri);
  if (open) return open;
  if (!uri.startsWith('file:')) return undefined;
  try {
    const file = fileURLToPath(uri);
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 8 * 1024 * 1024) return undefined;
    return TextDocument.create(uri, 'dockercompose', 0, fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

interface Prepared {
  plan: Plan;
  doc: TextDocument;
  client: Awaited<ReturnType<CloudSession['commandClient']>> & { ok: true };
}

async function prepare(args: PlanCommandArgs, deps: ProvisionDeps, signal?: AbortSignal): Promise<Prepared | PlanCommandResult> {
  const uri = typeof args.uri === 'string' ? args.uri : '';
  const fail = (status: CommandStatus, message: string): PlanCommandResult => ({ status, message, uri });
  if (!deps.cloud.isTrusted()) return fail('refused', t('Provisioning SLB listeners is disabled in an untrusted workspace: trust the workspace first.'));
  if (!uri) return fail('error', t('No document given: pass the uri of a compose file.'));
  const doc = loadDocument(uri, deps);
  if (!doc) return fail('error', t('The document {0} is not open and cannot be read.', uri));
  const client = await deps.cloud.commandClient();
  if (!client.ok) return fail('error', client.message);
  const text = doc.getText();
  // A Kubernetes manifest: the CCM's groups and listeners for its Services (lsp/k8sCloudCommands.ts).
  if (looksLikeKubernetes(text)) {
    const planned = await planK8sDocument(args, doc, client.client, deps.cloud.kubernetes(), signal);
    return 'plan' in planned ? { plan: planned.plan, doc, client } : fail(planned.status, planned.message);
  }
  // A fresh analyzer for files that are not open (the per-document ones hold open documents' state).
  const analyzer = deps.document(uri) ? deps.analyzerFor(uri) : new ComposeAnalyzer();
  const analysis = analyzer.analyze(text, { env: deps.envFor(uri) });
  const offset = args.position && !args.all ? doc.offsetAt(args.position) : undefined;
  const labelKeys = !args.all && Array.isArray(args.labelKeys) ? args.labelKeys.filter((k) => typeof k === 'string') : undefined;
  const targets = provisionTargets(analysis, text, { offset, labelKeys });
  if (targets.length === 0) {
    return fail('nothing', offset !== undefined ? t('There is no aliyun.lb label on this line.') : t('There are no aliyun.lb labels to provision in this file.'));
  }
  const plan = await planListeners(targets, client.client, { signal });
  return { plan, doc, client };
}

function withRanges(plan: Plan, doc: TextDocument): PlanWithRanges {
  return { ...plan, lines: plan.lines.map((l) => ({ ...l, range: l.keySpan ? rangeOf(doc, l.keySpan) : undefined })) };
}

export async function planCommand(args: PlanCommandArgs, deps: ProvisionDeps): Promise<PlanCommandResult> {
  const prepared = await prepare(args, deps).catch((e: unknown) => ({ status: 'error' as const, message: errorMessage(e), uri: args.uri }));
  if (!('plan' in prepared) || !prepared.plan || !('doc' in prepared)) return prepared as PlanCommandResult;
  const { plan, doc } = prepared;
  const texts = planTexts(plan);
  // The plan report, once: the editor shows it from this log (the VS Code client prints no copy).
  deps.log('info', [t('Provisioning plan for {0}:', args.uri), ...texts.lines.map((l) => `  ${l}`), `  ${texts.summary}`].join('\n'));
  return { status: 'ok', message: planSummaryText(plan), uri: args.uri, plan: withRanges(plan, doc), texts };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function provisionCommand(args: ProvisionCommandArgs, deps: ProvisionDeps, token?: CancellationToken, requestProgress?: WorkDoneProgressReporter): Promise<ProvisionCommandResult> {
  const abort = new AbortController();
  token?.onCancellationRequested(() => abort.abort());
  const prepared = await prepare(args, deps, abort.signal).catch((e: unknown) => ({ status: 'error' as const, message: errorMessage(e), uri: args.uri }));
  if (!('doc' in prepared)) return { ...(prepared as PlanCommandResult), ok: false };
  const { plan, doc, client } = prepared;
  const uri = args.uri;
  const planOut = withRanges(plan, doc);

  // Certificates for https listeners to create.
  const httpsLines = plan.lines.filter((l) => l.needsCertificate && l.action === 'create');
  const certFor = (line: PlanLine) => args.certificateIds?.[line.id] || args.certificateId || undefined;
  const missingCert = httpsLines.filter((l) => !certFor(l));
  if (missingCert.length > 0 && args.certificatePicker) {
    return {
      status: 'needs-certificate',
      ok: false,
      uri,
      plan: planOut,
      certificates: plan.certificates ?? [],
      needsCertificate: missingCert.map((l) => l.id),
      message: plan.certificates && plan.certificates.length > 0
        ? t('Choose a server certificate for the HTTPS listener(s): {0}.', missingCert.map((l) => `${l.label} (${l.service})`).join(', '))
        : t('No server certificate in region {0}: upload one to SLB first ({1}).', plan.region, plan.certificatesError ?? 'DescribeServerCertificates'),
    };
  }

  // Confirmation (cloud resources cost money) unless the client already asked.
  if (planHasChanges(plan) && args.confirmed !== true) {
    const apply: MessageActionItem = { title: t('Apply') };
    const cancel: MessageActionItem = { title: t('Cancel') };
    let answer: MessageActionItem | undefined;
    try {
      answer = await deps.connection.window.showWarningMessage(confirmationText(plan), apply, cancel);
    } catch (e) {
      deps.log('warn', `Provision: the confirmation request failed: ${errorMessage(e)}`);
    }
    if (!answer || answer.title !== apply.title) {
      deps.log('info', `Provision of ${uri} cancelled: nothing changed.`);
      return { status: 'cancelled', ok: false, uri, plan: planOut, message: t('Provisioning cancelled: nothing was changed.') };
    }
  }

  // Progress: the request's token, else one created by the server when the client supports it.
  let progress: WorkDoneProgressReporter | WorkDoneProgressServerReporter | undefined = requestProgress;
  if (!progress && deps.clientCapabilities()?.window?.workDoneProgress) {
    try {
      progress = await deps.connection.window.createWorkDoneProgress();
    } catch {
      progress = undefined;
    }
  }
  const work = plan.lines.filter((l) => l.action === 'create' || l.action === 'start').length;
  let done = 0;
  progress?.begin(t('Provisioning SLB listeners'), 0, planSummaryText(plan), true);
  const serverProgress = progress as WorkDoneProgressServerReporter | undefined;
  serverProgress?.token?.onCancellationRequested?.(() => abort.abort());

  const onStep = (e: ProvisionEvent) => {
    const line = formatEvent(e);
    if (line) deps.log(e.type === 'step' && e.status === 'failed' ? 'warn' : 'info', `Provision: ${line}`);
    if (e.type === 'step' && e.status === 'started') progress?.report(work > 0 ? Math.min(99, Math.round((done / work) * 100)) : 0, e.message);
    if (e.type === 'done') {
      done++;
      progress?.report(work > 0 ? Math.min(99, Math.round((done / work) * 100)) : 0, e.message);
    }
    if (e.type === 'wait') progress?.report(e.message);
  };
  let result: ApplyResult;
  try {
    // Service ports (lines with `ccm`) are applied the CCM's way; the lock, re-reads and texts are shared.
    result = plan.lines.some((l) => l.ccm)
      ? await applyCcmPlan(plan, client.client, { onStep, signal: abort.signal })
      : await applyPlan(plan, client.client, { onStep, certificateFor: certFor, signal: abort.signal });
  } finally {
    progress?.done();
  }
  // The steps were logged as they happened; the result report (per label, then the counts), once.
  deps.log(result.ok ? 'info' : 'warn', [t('Provisioning result for {0}:', uri), ...formatResultText(result).trimEnd().split('\n').map((l) => `  ${l}`)].join('\n'));

  // The catalog and the diagnostics of open documents follow the new state.
  if (result.lines.some((l) => l.created || l.started)) await refreshCatalog(deps);
  deps.revalidateAll();
  return { status: 'ok', ok: result.ok, uri, plan: planOut, texts: planTexts(plan), result, outcome: provisionOutcome(result, plan.lines.some((l) => l.ccm)), message: resultSummaryText(result) };
}

async function refreshCatalog(deps: ProvisionDeps): Promise<void> {
  try {
    const catalog = deps.cloud.catalog;
    // A refresh already running started before the change: wait for it, then read again.
    if (catalog.status().refreshing) await catalog.refresh();
    await catalog.refresh();
  } catch (e) {
    deps.log('warn', `Provision: catalog refresh failed: ${errorMessage(e)}`);
  }
}
