// CodeLens above each `aliyun.lb.port_<n>` label: "Provision listener | Check reachability", plus
// the last reachability verdict of that label while its line is unchanged. Client-side and cheap:
// a regex per line (cloudFormat.scanLbLabelLines), no server round trip. Hidden in untrusted
// workspaces and when `aliyunSlbLabels.codeLens.enable` is false.
import * as vscode from 'vscode';
import { CODELENS_SETTING, COMMANDS, CONFIG_SECTION, DOCUMENT_SELECTOR } from './clientOptions';
import { scanLbLabelLines, VerdictStore } from './cloudFormat';
import type { LensArgument } from './cloudCommands';

export class LbLabelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly verdicts: VerdictStore) {
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

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    if (!vscode.workspace.getConfiguration(CONFIG_SECTION, document.uri).get<boolean>(CODELENS_SETTING, true)) return [];
    if (document.lineCount > 20_000) return [];
    const lines: string[] = [];
    for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
    const uri = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const l of scanLbLabelLines(lines)) {
      const range = new vscode.Range(l.line, l.start, l.line, l.end);
      const arg: LensArgument = { uri, line: l.line, character: l.start };
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(cloud-upload) ${vscode.l10n.t('Provision listener')}`,
          tooltip: vscode.l10n.t('Plan the SLB listener for {0}, confirm, then create or start it', l.key),
          command: COMMANDS.provisionLabel,
          arguments: [arg],
        }),
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

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
