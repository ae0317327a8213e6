// `workspace/executeCommand` aliyunSlbLabels.checkReachability, and the inline marks it leaves.
//
//   arguments: [{ uri: string, position?: {line, character} }]   the label(s) at the position
//              [{ uri: string, all: true }]                        every lb label of the file
//              optional: timeoutMs (default 3000), concurrency (default 16)
//   result:    ReachCommandResult = { uri, region?, results: ReachLspResult[], summary, error? }
//              ReachLspResult = engine ReachResult (label, service, slb, frontPort, protocol,
//              backendPort, binding, reachable, confirmed, blocker, fix, steps[{name, ok, detail}],
//              latencyMs, slbId, address, durationMs) + range (of the label key, LSP positions)
//              + verdict (sentence) and lens (short CodeLens text), in the user's locale.
//              notification: { severity, message }: what an editor shows after the check.
//              `error` (and no results) when it could not run: untrusted workspace, no credentials,
//              no region, unknown document, no lb label at the position.
//
// Progress: work-done progress (the request's token, else a server-created one when the client
// supports window.workDoneProgress), cancellable. The checklist report goes to the output
// (connection.console). Each checked label gets an information diagnostic (source
// 'aliyun-slb-reach', code = blocker or 'REACHABLE') on its key, merged into the published
// diagnostics by server.ts's validate() through marksFor(), and dropped when the label's line changes.
import type { ClientCapabilities, Connection, Diagnostic, TextDocumentContentChangeEvent, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { LineDocument } from '../engine/lineDocument';
import { ComposeAnalyzer } from '../engine/analysis';
import { t } from '../engine/i18n';
import { checkReachability, formatReport, inlineMessage, lensVerdict, reachNotification, reachTargets, reachVerdict, summaryLine, targetAt } from '../engine/reach';
import type { ReachNotification, ReachResult, ReachTarget } from '../engine/reach';
import type { CloudSession } from './cloudSession';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { reachK8sDocument, type K8sReachLspResult } from './k8sCloudCommands';
import { COMMANDS, CommandDispatcher } from './commands';

export const REACH_DIAGNOSTIC_SOURCE = 'aliyun-slb-reach';

export interface ReachCommandArgs {
  uri: string;
  position?: { line: number; character: number };
  all?: boolean;
  timeoutMs?: number;
  concurrency?: number;
}

export interface ReachLspResult extends ReachResult {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** "Reachable: tcp://slb_redis_app:6379 in 12 ms" / "Blocked: …. <fix>" (user's locale). */
  verdict: string;
  /** The short CodeLens text: "reachable, 12 ms" / "blocked: …". */
  lens: string;
}

export interface ReachCommandResult {
  uri: string;
  region?: string;
  /** Compose labels, or the ports of Kubernetes Services (lsp/k8sCloudCommands.ts). */
  results: Array<ReachLspResult | K8sReachLspResult>;
  /** One line: "All 2 label(s) reachable." / "1 of 2 label(s) blocked, 1 reachable." */
  summary: string;
  /** What an editor shows after the check (the error, the verdict, or the summary and first blocker). */
  notification: ReachNotification;
  error?: string;
}

export interface ReachServerDeps {
  connection: Connection;
  cloud: Pick<CloudSession, 'commandClient' | 'isTrusted'>;
  documents: { get(uri: string): LineDocument | undefined };
  env: (uri: string) => ReadonlyMap<string, string> | undefined;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Re-publish the document's diagnostics (they merge marksFor()). */
  revalidate: (uri: string) => void;
}

interface Mark {
  line: number;
  /** The label line's text when it was checked: any change of it drops the mark. */
  lineText: string;
  diagnostic: Diagnostic;
}

export class ReachCommands {
  private readonly marks = new Map<string, Mark[]>();
  private capabilities: ClientCapabilities | undefined;

  constructor(private readonly deps: ReachServerDeps) {}

  register(dispatcher: CommandDispatcher): void {
    dispatcher.register(COMMANDS.checkReachability, (args, token, workDone) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      return this.run((args[0] ?? {}) as ReachCommandArgs, workDone, controller).finally(() => sub.dispose());
    });
  }

  setClientCapabilities(capabilities: ClientCapabilities): void {
    this.capabilities = capabilities;
  }

  async run(args: ReachCommandArgs, workDone: WorkDoneProgressReporter | undefined, controller = new AbortController()): Promise<ReachCommandResult> {
    const uri = typeof args?.uri === 'string' ? args.uri : '';
    const fail = (error: string): ReachCommandResult => {
      this.deps.log('warn', t('Reachability check: {0}', error));
      return { uri, results: [], summary: error, notification: { severity: 'warning', message: error }, error };
    };
    if (!this.deps.cloud.isTrusted()) return fail(t('Cloud commands are disabled in an untrusted workspace.'));
    const doc = this.deps.documents.get(uri);
    if (!doc) return fail(t('The document {0} is not open.', uri || '?'));
    const text = doc.getText();
    if (looksLikeKubernetes(text)) return this.runK8s(args, doc, workDone, fail);
    const env = this.deps.env(uri);
    const analysis = new ComposeAnalyzer().analyze(text, { env, yamlSyntaxErrors: 'all' });
    const all = reachTargets(analysis, { env });
    let targets: ReachTarget[];
    if (args.all) targets = all;
    else if (args.position && Number.isInteger(args.position.line)) targets = targetAt(all, text, doc.offsetAt(args.position));
    else return fail(t('Give a position or all: true.'));
    if (targets.length === 0) return fail(args.all ? t('No aliyun.lb labels to check.') : t('No aliyun.lb label at the cursor.'));
    const timeoutMs = clamp(args.timeoutMs, 100, 120_000, 3000);
    const session = await this.deps.cloud.commandClient({ readTimeoutMs: Math.max(timeoutMs, 5_000) });
    if (!session.ok) return fail(session.message);

    const progress = await this.progress(workDone);
    const cancel = (progress as Partial<{ token: { onCancellationRequested(l: () => void): unknown } }>).token;
    cancel?.onCancellationRequested(() => controller.abort());
    progress.begin(t('Checking SLB reachability'), 0, t('{0} label(s)', targets.length), true);
    const results = await checkReachability(targets, {
      client: session.client,
      region: session.region,
      timeoutMs,
      concurrency: clamp(args.concurrency, 1, 64, 16),
      signal: controller.signal,
      onResult: (r, done, total) => progress.report(Math.round((done / total) * 100), `${done}/${total} ${r.label}: ${r.reachable ? t('reachable') : r.blocker}`),
    }).finally(() => progress.done());

    const current = this.deps.documents.get(uri);
    const lspResults = results.map((r, i) => ({
      ...r,
      range: { start: doc.positionAt(targets[i].keySpan.start), end: doc.positionAt(targets[i].keySpan.end) },
      verdict: reachVerdict(r),
      lens: lensVerdict(r),
    }));
    const summary = summaryLine(results);
    this.deps.log('info', formatReport(results, { title: t('SLB reachability of {0} ({1}, region {2}):', uri, session.sourceDescription, session.region) }).trimEnd());
    // Inline marks, only if the document did not change while the probes ran.
    if (current && current.version === doc.version) {
      this.setMarks(doc, targets, results, !!args.all);
      this.deps.revalidate(uri);
    }
    return { uri, region: session.region, results: lspResults, summary, notification: reachNotification(results) };
  }

  /** A manifest: every Service port at the position (or all) through its CLB. */
  private async runK8s(args: ReachCommandArgs, doc: LineDocument, workDone: WorkDoneProgressReporter | undefined, fail: (error: string) => ReachCommandResult): Promise<ReachCommandResult> {
    if (!args.all && !(args.position && Number.isInteger(args.position.line))) return fail(t('Give a position or all: true.'));
    const timeoutMs = clamp(args.timeoutMs, 100, 120_000, 3000);
    const session = await this.deps.cloud.commandClient({ readTimeoutMs: Math.max(timeoutMs, 5_000) });
    if (!session.ok) return fail(session.message);
    const progress = await this.progress(workDone);
    progress.begin(t('Checking SLB reachability'), 0, undefined, false);
    const out = await reachK8sDocument(args, doc, session.client, timeoutMs).finally(() => progress.done());
    if ('error' in out) return fail(out.error);
    this.deps.log('info', [t('SLB reachability of {0} ({1}, region {2}):', doc.uri, session.sourceDescription, session.region), ...out.results.map((r) => `  ${r.reachable ? '✓' : '✗'} ${r.label} (${r.service}) ${r.binding}: ${r.verdict}`)].join('\n'));
    return { uri: doc.uri, region: session.region, results: out.results, summary: out.summary, notification: out.notification };
  }

  private async progress(workDone: WorkDoneProgressReporter | undefined): Promise<WorkDoneProgressReporter> {
    // The request's own reporter when the client sent a workDoneToken (a null reporter has no token).
    if (workDone && (workDone as unknown as { _token?: unknown })._token !== undefined) return workDone;
    if (this.capabilities?.window?.workDoneProgress) {
      try {
        return await this.deps.connection.window.createWorkDoneProgress();
      } catch {
        // fall through: no progress
      }
    }
    return workDone ?? { begin: () => undefined, report: () => undefined, done: () => undefined };
  }

  private setMarks(doc: LineDocument, targets: ReachTarget[], results: ReachResult[], replaceAll: boolean): void {
    const checkedLines = new Set(targets.map((tg) => doc.positionAt(tg.keySpan.start).line));
    const kept = replaceAll ? [] : (this.marks.get(doc.uri) ?? []).filter((m) => !checkedLines.has(m.line));
    const perLabel = new Map<number, number>();
    for (const tg of targets) perLabel.set(tg.keySpan.start, (perLabel.get(tg.keySpan.start) ?? 0) + 1);
    results.forEach((r, i) => {
      const tg = targets[i];
      const start = doc.positionAt(tg.keySpan.start);
      const message = (perLabel.get(tg.keySpan.start)! > 1 ? `${r.binding}: ` : '') + inlineMessage(r);
      kept.push({
        line: start.line,
        lineText: doc.lineText(start.line),
        diagnostic: {
          range: { start, end: doc.positionAt(tg.keySpan.end) },
          severity: DiagnosticSeverity.Information,
          source: REACH_DIAGNOSTIC_SOURCE,
          code: r.blocker ?? 'REACHABLE',
          message,
        },
      });
    });
    this.marks.set(doc.uri, kept);
  }

  /** Reachability marks of the document still valid for its current text (for validate()). */
  marksFor(doc: LineDocument): Diagnostic[] {
    const marks = this.marks.get(doc.uri);
    if (!marks || marks.length === 0) return [];
    const valid = marks.filter((m) => m.line < doc.lineCount && doc.lineText(m.line) === m.lineText);
    if (valid.length !== marks.length) this.marks.set(doc.uri, valid);
    return valid.map((m) => ({ ...m.diagnostic, range: { start: { line: m.line, character: m.diagnostic.range.start.character }, end: { line: m.line, character: m.diagnostic.range.end.character } } }));
  }

  /** Keeps marks on their lines through edits; a mark whose line is touched is dropped. */
  changed(uri: string, changes: TextDocumentContentChangeEvent[]): void {
    let marks = this.marks.get(uri);
    if (!marks || marks.length === 0) return;
    for (const change of changes) {
      if (!('range' in change) || !change.range) continue; // whole-text change: marksFor() compares lines
      const { start, end } = change.range;
      const delta = (change.text.match(/\n/g)?.length ?? 0) - (end.line - start.line);
      marks = marks.filter((m) => m.line < start.line || m.line > end.line);
      for (const m of marks) if (m.line > end.line) m.line += delta;
    }
    this.marks.set(uri, marks);
  }

  closed(uri: string): void {
    this.marks.delete(uri);
  }
}

function clamp(value: unknown, min: number, max: number, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && value !== undefined && value !== null ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
}
