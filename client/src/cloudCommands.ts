// The cloud commands of the client: provision the SLB listeners of lb labels and check their
// reachability. The work is done by the server (`aliyunSlbLabels.plan` / `.provision` /
// `.checkReachability`, see server/src/engine/provision/README.md and server/src/lsp/reachCommands.ts);
// the client adds the modal confirmation, the certificate picker, progress and notifications. The
// reports (plan, steps, result, reachability) reach the output channel once, as the server's log.
// The texts of plans, outcomes and verdicts come rendered from the server (in the user's locale);
// cloudFormat.ts only lays them out (no vscode import, unit-tested).
//
// The language client registers the server's command ids as VS Code commands itself, so this file
// never registers them: it sends `workspace/executeCommand` directly, and `provisionMiddleware`
// intercepts `aliyunSlbLabels.provision` coming from the quick fix so it gets the same UI.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { markWalkthrough } from './statusBar';
import { ExecuteCommandRequest, WorkDoneProgress } from 'vscode-languageclient/node';
import type { LanguageClient, Middleware, WorkDoneProgressBegin, WorkDoneProgressReport } from 'vscode-languageclient/node';
import { SERVER_COMMANDS } from './clientOptions';
import {
  CertificateLike,
  certificateItems,
  linesNeedingCertificate,
  modalDetail,
  planHasChanges,
  PlanLike,
  PlanResultLike,
  ProvisionResultLike,
  ReachCommandResultLike,
  unbrokenRegion,
  Severity,
  VerdictStore,
} from './cloudFormat';

export interface Target {
  uri: string;
  position?: { line: number; character: number };
  all?: boolean;
  /** From a quick fix or script: only these label keys (`aliyun.lb.port_80` or `service/aliyun.lb.port_80`). */
  labelKeys?: string[];
}

/** What the CodeLens passes to the label commands. */
export interface LensArgument {
  uri: string;
  line: number;
  character: number;
}

class NotRunning extends Error {}

let progressSeq = 0;

export class CloudCommands {
  constructor(
    private readonly client: () => LanguageClient | undefined,
    private readonly channel: vscode.LogOutputChannel,
    readonly verdicts: VerdictStore,
    /** Fired when verdicts change (the CodeLens provider refreshes). */
    private readonly onVerdictsChanged: () => void,
  ) {}

  // -- entry points --------------------------------------------------------------------------------

  provisionLabel = async (arg?: unknown): Promise<ProvisionResultLike | undefined> => {
    if (!this.trusted()) return undefined;
    const target = this.labelTarget(arg);
    return target ? this.provision(target) : undefined;
  };

  provisionFile = async (arg?: unknown): Promise<ProvisionResultLike | undefined> => {
    if (!this.trusted()) return undefined;
    const target = this.fileTarget(arg);
    return target ? this.provision(target) : undefined;
  };

  checkReachabilityLabel = async (arg?: unknown): Promise<ReachCommandResultLike | undefined> => {
    if (!this.trusted()) return undefined;
    const target = this.labelTarget(arg);
    return target ? this.checkReachability(target) : undefined;
  };

  checkReachabilityFile = async (arg?: unknown): Promise<ReachCommandResultLike | undefined> => {
    if (!this.trusted()) return undefined;
    const target = this.fileTarget(arg);
    return target ? this.checkReachability(target) : undefined;
  };

  /**
   * `middleware.executeCommand`: the quick fix runs `aliyunSlbLabels.provision` with `[{uri, position}]`;
   * without `confirmed: true` it goes through the client's flow (plan, certificate picker, modal).
   * Calls that already carry `confirmed: true` (scripts, tests) go straight to the server.
   */
  readonly middleware: NonNullable<Middleware['executeCommand']> = (command, args, next) => {
    const a = args?.[0] as Partial<Target & { confirmed: boolean }> | undefined;
    if (command === SERVER_COMMANDS.provision && a && typeof a === 'object' && typeof a.uri === 'string' && a.confirmed !== true) {
      if (!this.trusted()) return undefined;
      const labelKeys = Array.isArray(a.labelKeys) ? a.labelKeys.filter((k): k is string => typeof k === 'string') : undefined;
      return this.provision({ uri: a.uri, position: a.position, labelKeys, all: a.all || (!a.position && !labelKeys ? true : undefined) });
    }
    return next(command, args);
  };

  // -- targets ---------------------------------------------------------------------------------------

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Cloud commands are disabled in an untrusted workspace: trust the workspace to provision SLB listeners or check reachability.'), manage)
      .then((picked) => {
        if (picked === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }

  private labelTarget(arg: unknown): Target | undefined {
    if (isLensArgument(arg)) return { uri: arg.uri, position: { line: arg.line, character: arg.character } };
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a compose file and put the cursor on an aliyun.lb.port_* label first.'));
      return undefined;
    }
    const p = editor.selection.active;
    return { uri: editor.document.uri.toString(), position: { line: p.line, character: p.character } };
  }

  private fileTarget(arg: unknown): Target | undefined {
    if (arg instanceof vscode.Uri) return { uri: arg.toString(), all: true };
    if (isLensArgument(arg)) return { uri: arg.uri, all: true };
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a compose file first.'));
      return undefined;
    }
    return { uri: editor.document.uri.toString(), all: true };
  }

  // -- server calls ----------------------------------------------------------------------------------

  private async execute<T>(command: string, args: object, token?: vscode.CancellationToken, onProgress?: (message: string | undefined, percentage: number | undefined) => void): Promise<T> {
    const client = this.client();
    if (!client || !client.isRunning()) throw new NotRunning();
    const workDoneToken = `aliyunSlbLabels/${command}/${++progressSeq}/${Date.now()}`;
    const sub = onProgress
      ? client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
          if (v.kind === 'begin' || v.kind === 'report') onProgress((v as WorkDoneProgressBegin | WorkDoneProgressReport).message, (v as WorkDoneProgressReport).percentage);
        })
      : undefined;
    try {
      return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args], workDoneToken }, token)) as T;
    } finally {
      sub?.dispose();
    }
  }

  /** Runs `execute` inside a cancellable notification progress. */
  private withProgress<T>(title: string, command: string, args: object): Promise<{ value?: T; cancelled: boolean; error?: unknown }> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        let last = 0;
        try {
          const value = await this.execute<T>(command, args, token, (message, percentage) => {
            const increment = percentage !== undefined && percentage > last ? percentage - last : undefined;
            if (percentage !== undefined && percentage > last) last = percentage;
            progress.report({ message, increment });
          });
          return { value, cancelled: token.isCancellationRequested };
        } catch (error) {
          return { error, cancelled: token.isCancellationRequested };
        }
      }),
    );
  }

  /** `text` makes the notification from the error message. */
  private fail(error: unknown, text: (message: string) => string): void {
    if (error instanceof NotRunning) {
      void this.notify('error', vscode.l10n.t('The Aliyun SLB Labels language server is not running: run "Aliyun SLB Labels: Restart Language Server".'));
      return;
    }
    const message = text(error instanceof Error ? error.message : String(error));
    this.channel.error(message);
    void this.notify('error', message);
  }

  private async notify(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined> {
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const showOutput = vscode.l10n.t('Show Output');
    const picked = await show(message, ...actions, showOutput);
    if (picked === showOutput) this.channel.show(true);
    return picked;
  }

  // -- provision -------------------------------------------------------------------------------------

  /** plan → output + certificate picker + modal → provision (confirmed) with progress → outcome. */
  async provision(target: Target): Promise<ProvisionResultLike | undefined> {
    const file = displayName(target.uri);
    const selection = target.all ? { all: true } : target.labelKeys ? { labelKeys: target.labelKeys } : { position: target.position };

    const planned = await this.withProgress<PlanResultLike>(vscode.l10n.t('Reading the SLB listeners…'), SERVER_COMMANDS.plan, { uri: target.uri, ...selection });
    if (planned.error) return void this.fail(planned.error, (m) => vscode.l10n.t('Planning failed: {0}', m));
    if (planned.cancelled || !planned.value) return undefined;
    const answer = planned.value;
    if (answer.status !== 'ok' || !answer.plan) {
      this.channel.info(`Provision plan for ${file}: ${answer.status}: ${answer.message}`);
      void this.notify(answer.status === 'nothing' ? 'info' : answer.status === 'refused' ? 'warning' : 'error', answer.message);
      return { ...answer, ok: false };
    }
    const plan = answer.plan;
    const texts = answer.texts;
    // The server already wrote the plan report to this channel (its log): printed once, not again here.

    if (!planHasChanges(plan)) {
      const blocked = (plan.summary.conflict ?? 0) + (plan.summary.blocked ?? 0) > 0;
      void this.notify(blocked ? 'warning' : 'info', vscode.l10n.t('Nothing to provision. {0}', answer.message || ''));
      return { ...answer, ok: !blocked };
    }

    // Certificates for the https listeners to create, chosen before the confirmation so the modal shows them.
    const chosen = await this.pickCertificates(plan);
    if (!chosen) {
      this.channel.info(`Provision of ${file} cancelled (no certificate chosen): nothing changed.`);
      return { ...answer, status: 'cancelled', ok: false };
    }

    // The safe choice is the default: VS Code focuses the first button (Escape is its own Cancel),
    // so the first one changes nothing and shows the plan (already written to the output) instead.
    const apply: vscode.MessageItem = { title: vscode.l10n.t('Apply') };
    const review: vscode.MessageItem = { title: vscode.l10n.t('Review the plan') };
    const message = unbrokenRegion(texts?.modal.message ?? answer.message, plan.region);
    const detail = texts ? modalDetail(texts, plan.region, chosen, vscode.l10n) : undefined;
    const picked = await vscode.window.showWarningMessage(message, { modal: true, detail }, review, apply);
    if (picked === review) this.channel.show(true);
    if (picked !== apply) {
      this.channel.info(`Provision of ${file} cancelled: nothing changed.`);
      return { ...answer, status: 'cancelled', ok: false };
    }

    const certificateIds: Record<string, string> = {};
    for (const [id, c] of Object.entries(chosen)) if (c) certificateIds[id] = c.id;
    const args = { uri: target.uri, ...selection, confirmed: true, certificatePicker: true, certificateIds };
    const ran = await this.withProgress<ProvisionResultLike>(vscode.l10n.t('Provisioning SLB listeners'), SERVER_COMMANDS.provision, args);
    if (ran.error) {
      if (ran.cancelled) {
        void this.notify('warning', vscode.l10n.t('Provisioning was cancelled. Listeners created before the cancel stay; run the command again to finish.'));
        return undefined;
      }
      return void this.fail(ran.error, (m) => vscode.l10n.t('Provisioning failed: {0}', m));
    }
    const res = ran.value;
    if (!res) return undefined;
    this.verdicts.clear(target.uri);
    this.onVerdictsChanged();
    return this.showProvisionResult(res, target, file);
  }

  private async showProvisionResult(res: ProvisionResultLike, target: Target, file: string): Promise<ProvisionResultLike> {
    if (res.status === 'needs-certificate') {
      // The live state changed between plan and apply (a new https line): start over.
      this.channel.info(`Provision of ${file}: ${res.message}`);
      const again = vscode.l10n.t('Run again');
      if ((await this.notify('warning', res.message, again)) === again) void this.provision(target);
      return res;
    }
    if (res.status !== 'ok' || !res.result || !res.outcome) {
      this.channel.info(`Provision of ${file}: ${res.status}: ${res.message}`);
      void this.notify(res.status === 'cancelled' ? 'info' : res.status === 'refused' ? 'warning' : 'error', res.message);
      return res;
    }
    const outcome = res.outcome;
    // The walkthrough step checks off only when a listener really was provisioned (not on a click that failed).
    if (res.result.lines?.some((l) => l.created || l.started)) markWalkthrough('provisioned');
    // The steps and the result report are in the server's log, in this channel: not printed again.
    const actions = outcome.runAgain || outcome.partial ? [vscode.l10n.t('Run again')] : [];
    void this.notify(outcome.severity, outcome.message, ...actions).then((picked) => {
      if (picked && picked === actions[0]) void this.provision(target);
    });
    return res;
  }

  /** One QuickPick per https line to create. undefined = the user backed out. */
  private async pickCertificates(plan: PlanLike): Promise<Record<string, CertificateLike | undefined> | undefined> {
    const lines = linesNeedingCertificate(plan);
    const chosen: Record<string, CertificateLike | undefined> = {};
    if (lines.length === 0) return chosen;
    const certificates = plan.certificates ?? [];
    if (certificates.length === 0) {
      const why = plan.certificatesError ? ` (${plan.certificatesError})` : '';
      void this.notify('error', vscode.l10n.t('No server certificate in region {0}: upload one to SLB (Certificate Management) and run the command again.', plan.region) + why);
      return undefined;
    }
    let useForAll: CertificateLike | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (useForAll) {
        chosen[line.id] = useForAll;
        continue;
      }
      const items: Array<vscode.QuickPickItem & { id?: string; all?: boolean }> = certificateItems(certificates, Date.now(), vscode.l10n).map((c) => ({
        label: `${c.expired ? '$(warning)' : '$(lock)'} ${c.label}`,
        description: c.description,
        detail: c.detail,
        id: c.id,
      }));
      const picked = await vscode.window.showQuickPick(items, {
        title: lines.length > 1
          ? vscode.l10n.t('Server certificate for the HTTPS listener of {0} ({1}/{2})', `${line.label} (${line.service}) https://${line.slb}:${line.frontPort ?? '?'}`, i + 1, lines.length)
          : vscode.l10n.t('Server certificate for the HTTPS listener of {0}', `${line.label} (${line.service}) https://${line.slb}:${line.frontPort ?? '?'}`),
        placeHolder: vscode.l10n.t('Choose a server certificate of your account (name, ID, CommonName, expiry)'),
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!picked?.id) return undefined;
      const cert = certificates.find((c) => c.id === picked.id);
      chosen[line.id] = cert;
      if (i === 0 && lines.length > 1 && cert) {
        const same = vscode.l10n.t('Use it for all');
        const each = vscode.l10n.t('Choose for each');
        const how = await vscode.window.showQuickPick([same, each], { title: vscode.l10n.t('{0} more HTTPS listener(s) need a certificate', lines.length - 1), ignoreFocusOut: true });
        if (!how) return undefined;
        if (how === same) useForAll = cert;
      }
    }
    return chosen;
  }

  // -- reachability -------------------------------------------------------------------------------

  async checkReachability(target: Target): Promise<ReachCommandResultLike | undefined> {
    const file = displayName(target.uri);
    // The server checks open documents only: open a file passed from the explorer.
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === target.uri)) {
      try {
        await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
      } catch (error) {
        return void this.fail(error, (m) => vscode.l10n.t('Could not open {0}: {1}', file, m));
      }
    }
    const args = target.all ? { uri: target.uri, all: true } : { uri: target.uri, position: target.position };
    const ran = await this.withProgress<ReachCommandResultLike>(vscode.l10n.t('Checking SLB reachability'), SERVER_COMMANDS.checkReachability, args);
    if (ran.error) return ran.cancelled ? undefined : void this.fail(ran.error, (m) => vscode.l10n.t('Reachability check failed: {0}', m));
    const res = ran.value;
    if (!res) return undefined;
    // The server already wrote the report (its checklist) to this channel: printed once, not again here.
    if (res.error) {
      this.channel.info(vscode.l10n.t('Reachability of {0}:', file));
      this.channel.info(`  ${res.error}`);
    } else if (res.results?.length) markWalkthrough('reachabilityChecked');
    if (!res.error) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri);
      if (target.all) this.verdicts.clear(target.uri);
      this.verdicts.record(target.uri, res.results, (line) => (doc && line < doc.lineCount ? doc.lineAt(line).text : undefined));
      this.onVerdictsChanged();
    }
    const note: { severity: Severity; message: string } = res.notification ?? { severity: 'warning', message: res.error ?? res.summary };
    const showReport = vscode.l10n.t('Show report');
    const show = note.severity === 'error' ? vscode.window.showErrorMessage : note.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(show(note.message, showReport)).then((picked) => {
      if (picked === showReport) this.channel.show(true);
    });
    return res;
  }
}

function isLensArgument(arg: unknown): arg is LensArgument {
  const a = arg as Partial<LensArgument> | undefined;
  return !!a && typeof a === 'object' && typeof a.uri === 'string' && typeof a.line === 'number' && typeof a.character === 'number';
}

function displayName(uri: string): string {
  try {
    const u = vscode.Uri.parse(uri);
    return vscode.workspace.asRelativePath(u, false) || path.basename(u.path);
  } catch {
    return uri;
  }
}
