// CodeLens above each `aliyun.lb.port_<n>` label: "Provision listener | Check reachability", plus
// the last reachability verdict of that label while its line is unchanged. Client-side and cheap:
// a regex per line (cloudFormat.scanLbLabelLines), no server round trip. Hidden in untrusted
// workspaces and when `aliyunSlbLabels.codeLens.enable` is false.
import * as vscode from 'vscode';
import type { LabelStateItem, LabelStatesResult } from '../../common/protocol';
import { CODELENS_SETTING, COMMANDS, CONFIG_SECTION, DOCUMENT_SELECTOR } from './clientOptions';
import { scanLbLabelLines, scanServiceLines, VerdictStore } from './cloudFormat';
import type { LensArgument } from './cloudCommands';

export class LbLabelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  /**
   * `states(uri)`: what provisioning would do per label, from the server's cached catalog
   * (`aliyunSlbLabels/labelStates`); undefined while the server is not running.
   */
  constructor(
    private readonly verdicts: VerdictStore,
    private readonly states: (uri: string) => Promise<LabelStatesResult | undefined> = async () => undefined,
  ) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.${CODELENS_SETTING}`)) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((d) => verdicts.clear(d.uri.toString())),
    );
  }

  /** Registers the provider for the documents the server gets (dockercompose and yaml). */
  register(): vscode.Disposable {
    return vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, this);
  }

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted) return [];
    if (!vscode.workspace.getConfiguration(CONFIG_SECTION, document.uri).get<boolean>(CODELENS_SETTING, true)) return [];
    if (document.lineCount > 20_000) return [];
    const lines: string[] = [];
    for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
    const uri = document.uri.toString();
    // A Kubernetes manifest: "Provision Service | Check reachability" on each LoadBalancer Service.
    if (lines.some((l) => /^apiVersion[ \t]*:/.test(l))) return this.serviceLenses(uri, lines);
    const labelLines = scanLbLabelLines(lines);
    const known = labelLines.length ? await this.states(uri).catch(() => undefined) : undefined;
    const lenses: vscode.CodeLens[] = [];
    for (const l of labelLines) {
      const range = new vscode.Range(l.line, l.start, l.line, l.end);
      const arg: LensArgument = { uri, line: l.line, character: l.start };
      lenses.push(
        new vscode.CodeLens(range, provisionLens(l.key, arg, known?.known ? known.items.filter((i) => i.line === l.line || (i.labelKey === l.key && !known.items.some((j) => j.line === l.line))) : [])),
        new vscode.CodeLens(range, {
          title: `$(debug-start) ${vscode.l10n.t('Check reachability')}`,
          tooltip: vscode.l10n.t('Walk the path SLB → listener → backends → service for {0}', l.key),
          command: COMMANDS.checkReachabilityLabel,
          arguments: [arg],
        }),
      );
      const verdict = this.verdicts.get(uri, l.line, lines[l.line]);
      if (verdict) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `${verdict.reachable ? '$(pass)' : '$(error)'} ${verdict.text}`,
            tooltip: vscode.l10n.t('Last reachability check; click to check again'),
            command: COMMANDS.checkReachabilityLabel,
            arguments: [arg],
          }),
        );
      }
    }
    return lenses;
  }

  private serviceLenses(uri: string, lines: string[]): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const s of scanServiceLines(lines)) {
      const range = new vscode.Range(s.line, s.start, s.line, s.end);
      const arg: LensArgument = { uri, line: s.line, character: s.start };
      const who = s.name || vscode.l10n.t('this Service');
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(cloud-upload) ${vscode.l10n.t('Provision Service')}`,
          tooltip: vscode.l10n.t('Plan the vServer groups and listeners the CCM would set up on the CLB for {0}, confirm, then apply', who),
          command: COMMANDS.provisionLabel,
          arguments: [arg],
        }),
        new vscode.CodeLens(range, {
          title: `$(debug-start) ${vscode.l10n.t('Check reachability')}`,
          tooltip: vscode.l10n.t('Walk CLB → listener → backends → connect for each port of {0}', who),
          command: COMMANDS.checkReachabilityLabel,
          arguments: [arg],
        }),
      );
      // The verdicts are recorded on the lines of the Service's ports.
      for (let line = s.line + 1; line < lines.length && !/^---/.test(lines[line]); line++) {
        const verdict = this.verdicts.get(uri, line, lines[line]);
        if (!verdict) continue;
        const portRange = new vscode.Range(line, 0, line, lines[line].length);
        lenses.push(new vscode.CodeLens(portRange, { title: `${verdict.reachable ? '$(pass)' : '$(error)'} ${verdict.text}`, tooltip: vscode.l10n.t('Last reachability check; click to check again'), command: COMMANDS.checkReachabilityLabel, arguments: [arg] }));
      }
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/**
 * The first lens of a label, after what provisioning would do (the server's cached catalog):
 * create / start the listener, "up to date" (nothing to do: not a button), or the conflict in
 * words. Without a catalog (no credentials, offline) the plain "Provision listener".
 */
export function provisionLens(key: string, arg: LensArgument, items: LabelStateItem[]): vscode.Command {
  const provision = { command: COMMANDS.provisionLabel, arguments: [arg] };
  const create = items.filter((i) => i.state === 'create');
  const start = items.filter((i) => i.state === 'start');
  const conflict = items.filter((i) => i.state === 'conflict');
  const details = (list: LabelStateItem[]) => list.map((i) => i.detail).join(', ');
  if (create.length) return { ...provision, title: `$(cloud-upload) ${vscode.l10n.t('Create listener {0}', details(create))}`, tooltip: vscode.l10n.t('Plan the SLB listener for {0}, confirm, then create it', key) };
  if (start.length) return { ...provision, title: `$(play) ${vscode.l10n.t('Start listener {0}', details(start))}`, tooltip: vscode.l10n.t('The listener exists but is stopped: plan, confirm, then start it') };
  if (conflict.length) return { ...provision, title: `$(warning) ${vscode.l10n.t('Listener conflict: {0}', details(conflict))}`, tooltip: vscode.l10n.t('Provisioning cannot fix this label as it is: open the plan for the details') };
  if (items.length && items.every((i) => i.state === 'up-to-date')) return { command: '', title: `$(check) ${vscode.l10n.t('Listener up to date: {0}', details(items))}`, tooltip: vscode.l10n.t('The SLB already has this listener, running: nothing to provision') };
  return { ...provision, title: `$(cloud-upload) ${vscode.l10n.t('Provision listener')}`, tooltip: vscode.l10n.t('Plan the SLB listener for {0}, confirm, then create or start it', key) };
}
