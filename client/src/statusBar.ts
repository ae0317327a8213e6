// Status bar item of the cloud features: active credential source and region (from the server's
// `aliyunSlbLabels/cloudStatus` notifications). Clicking it opens the cloud menu.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './clientOptions';
import { CLOUD_METHODS, CloudStatus } from '../../common/protocol';

export type { CloudStatus } from '../../common/protocol';

/** Where the AccessKey comes from, in words (tooltip and accessibility label). */
export function sourceWords(s: CloudStatus): string {
  switch (s.source) {
    case 'explicit': return vscode.l10n.t('AccessKey stored in the editor');
    case 'env': return vscode.l10n.t('AccessKey from environment variables');
    case 'aliyun-cli': return vscode.l10n.t('aliyun CLI profile {0}', s.profile ?? 'default');
    case 'credentials-file': return vscode.l10n.t('credentials file profile {0}', s.profile ?? 'default');
    default: return '';
  }
}

/** Walkthrough steps check off through these context keys (package.json completionEvents onContext:). */
export function markWalkthrough(step: 'composeOpened' | 'connected' | 'provisioned' | 'reachabilityChecked' | 'sandbox'): void {
  void vscode.commands.executeCommand('setContext', `aliyunSlbLabels.walkthrough.${step}`, true);
}

/** Short name of the credential source for the status bar. */
export function sourceLabel(s: CloudStatus): string {
  switch (s.source) {
    case 'explicit': return vscode.l10n.t('editor');
    case 'env': return 'env';
    case 'aliyun-cli': return s.profile ?? 'aliyun';
    case 'credentials-file': return `[${s.profile ?? 'default'}]`;
    default: return '';
  }
}

export class CloudStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: CloudStatus | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem('aliyunSlbLabels.cloud', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Aliyun SLB');
    this.item.command = COMMANDS.cloudMenu;
  }

  /** Listen to a (re)started client and ask for the current status. */
  attach(client: LanguageClient): vscode.Disposable {
    const sub = client.onNotification(CLOUD_METHODS.cloudStatus, (s: CloudStatus) => this.update(s));
    client.sendRequest<CloudStatus>(CLOUD_METHODS.cloudStatus).then((s) => this.update(s), () => undefined);
    return sub;
  }

  get status(): CloudStatus | undefined {
    return this.last;
  }

  update(s: CloudStatus): void {
    this.last = s;
    const item = this.item;
    item.backgroundColor = undefined;
    if (s.state === 'off') {
      if (!s.trusted) {
        item.text = `$(circle-slash) ${vscode.l10n.t('SLB: off')}`;
        item.tooltip = s.message;
        item.show();
      } else item.hide();
      return;
    }
    const who = sourceWords(s);
    const region = s.region ?? vscode.l10n.t('no region');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    // The accessibility label is plain words (a screen reader would read a tooltip's markdown escapes).
    let spoken: string;
    if (s.state === 'no-credentials') {
      item.text = `$(cloud) ${vscode.l10n.t('Aliyun SLB: offline')}`;
      spoken = vscode.l10n.t('No Alibaba Cloud credentials: completion and checks work offline. Click to set an AccessKey or choose a profile.');
      tooltip.appendText(spoken);
    } else if (s.state === 'no-region') {
      item.text = `$(cloud) ${vscode.l10n.t('Aliyun SLB: choose a region')}`;
      spoken = `${vscode.l10n.t('Click to choose the region of your SLBs.')} ${who}`;
      tooltip.appendText(vscode.l10n.t('Click to choose the region of your SLBs.'));
    } else {
      const icon = s.state === 'error' ? '$(warning)' : s.refreshing || s.state === 'loading' ? '$(sync~spin)' : '$(cloud)';
      item.text = `${icon} ${vscode.l10n.t('Aliyun SLB: {0}', region)}`;
      spoken = vscode.l10n.t('Aliyun SLB, region {0}', region);
      if (s.state === 'error') {
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        tooltip.appendText(vscode.l10n.t('The SLB API failed: {0}', s.message ?? ''));
        tooltip.appendText('\n\n');
        spoken += `. ${vscode.l10n.t('The SLB API failed: {0}', s.message ?? '')}`;
      } else if (s.state === 'ready') {
        const ready = vscode.l10n.t('{0} SLB(s) in {1}, updated {2}.', s.count ?? 0, region, s.fetchedAt ? new Date(s.fetchedAt).toLocaleTimeString() : '-');
        tooltip.appendText(ready);
        tooltip.appendText('\n\n');
        spoken += `. ${ready}`;
        markWalkthrough('connected');
        if (s.endpoint && /^https?:\/\/(127\.|localhost)/.test(s.endpoint)) markWalkthrough('sandbox');
      }
    }
    if (who) {
      tooltip.appendText(`${who}\n\n`);
      spoken += `. ${who}`;
    }
    if (s.endpoint) tooltip.appendText(`${vscode.l10n.t('Endpoint: {0}', s.endpoint)}\n\n`);
    tooltip.appendText(vscode.l10n.t('Click to switch region or profile.'));
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: spoken, role: 'button' };
    item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** The menu behind the status bar item. */
export async function showCloudMenu(status: CloudStatus | undefined): Promise<void> {
  const entries: Array<vscode.QuickPickItem & { command: string }> = [
    { label: `$(globe) ${vscode.l10n.t('Select region')}`, description: status?.region, command: COMMANDS.selectRegion },
    { label: `$(account) ${vscode.l10n.t('Select aliyun CLI profile')}`, description: status?.profile, command: COMMANDS.selectProfile },
    { label: `$(key) ${vscode.l10n.t('Set AccessKey')}`, command: COMMANDS.setAccessKey },
  ];
  // Only a key stored in the editor can be cleared here; one from the environment or a file cannot.
  if (status?.source === 'explicit') entries.push({ label: `$(trash) ${vscode.l10n.t('Clear AccessKey')}`, command: COMMANDS.clearAccessKey });
  entries.push(
    { label: `$(refresh) ${vscode.l10n.t('Refresh SLB catalog')}`, command: COMMANDS.refreshCatalog },
    { label: `$(output) ${vscode.l10n.t('Show output')}`, command: COMMANDS.showOutput },
  );
  const picked = await vscode.window.showQuickPick(entries, { title: status?.sourceDescription ?? vscode.l10n.t('Aliyun SLB') });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
