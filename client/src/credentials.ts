// Credentials and region UI: the AccessKey in VS Code SecretStorage (sent to the server, never
// written to settings or logs), region and profile pickers, catalog refresh.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CONFIG_SECTION } from './clientOptions';
import { listProfiles } from './profiles';

/** SecretStorage key of the stored AccessKey (JSON {accessKeyId, accessKeySecret, securityToken?}). */
export const SECRET_KEY = 'aliyunSlbLabels.accessKey';

export { CLOUD_METHODS } from '../../common/protocol';
import { AccessKeyParams, CLOUD_METHODS } from '../../common/protocol';

export type StoredAccessKey = AccessKeyParams;

/** Used when the server cannot list regions (no credentials yet, or the API fails). */
export const FALLBACK_REGIONS: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'cn-hangzhou', name: 'China (Hangzhou)' },
  { id: 'cn-shanghai', name: 'China (Shanghai)' },
  { id: 'cn-beijing', name: 'China (Beijing)' },
  { id: 'cn-shenzhen', name: 'China (Shenzhen)' },
  { id: 'cn-qingdao', name: 'China (Qingdao)' },
  { id: 'cn-zhangjiakou', name: 'China (Zhangjiakou)' },
  { id: 'cn-huhehaote', name: 'China (Hohhot)' },
  { id: 'cn-wulanchabu', name: 'China (Ulanqab)' },
  { id: 'cn-chengdu', name: 'China (Chengdu)' },
  { id: 'cn-guangzhou', name: 'China (Guangzhou)' },
  { id: 'cn-hongkong', name: 'China (Hong Kong)' },
  { id: 'ap-southeast-1', name: 'Singapore' },
  { id: 'ap-southeast-3', name: 'Malaysia (Kuala Lumpur)' },
  { id: 'ap-southeast-5', name: 'Indonesia (Jakarta)' },
  { id: 'ap-northeast-1', name: 'Japan (Tokyo)' },
  { id: 'ap-south-1', name: 'India (Mumbai)' },
  { id: 'us-east-1', name: 'US (Virginia)' },
  { id: 'us-west-1', name: 'US (Silicon Valley)' },
  { id: 'eu-central-1', name: 'Germany (Frankfurt)' },
  { id: 'eu-west-1', name: 'UK (London)' },
  { id: 'me-east-1', name: 'UAE (Dubai)' },
];

export async function readStoredAccessKey(secrets: vscode.SecretStorage): Promise<StoredAccessKey | undefined> {
  try {
    const raw = await secrets.get(SECRET_KEY);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<StoredAccessKey>;
    if (typeof v.accessKeyId === 'string' && typeof v.accessKeySecret === 'string' && v.accessKeyId && v.accessKeySecret) {
      return { accessKeyId: v.accessKeyId, accessKeySecret: v.accessKeySecret, securityToken: typeof v.securityToken === 'string' && v.securityToken ? v.securityToken : undefined };
    }
  } catch {
    // unreadable entry: treat as absent
  }
  return undefined;
}

/** Sends the stored AccessKey (or null) to a running server. */
export async function sendCredentials(client: LanguageClient | undefined, secrets: vscode.SecretStorage): Promise<void> {
  if (!client || !client.isRunning()) return;
  const stored = await readStoredAccessKey(secrets);
  await client.sendNotification(CLOUD_METHODS.credentials, stored ?? null);
}

export function maskKeyId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}****${id.slice(-4)}`;
}

/** Command "Set AccessKey": two input boxes (the secret as a password), stored in SecretStorage. */
export async function setAccessKey(context: vscode.ExtensionContext, client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<void> {
  const accessKeyId = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set Alibaba Cloud AccessKey (1/2)'),
    prompt: vscode.l10n.t('AccessKey ID (stored in the editor\'s secret storage, not in settings)'),
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9]{8,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('An AccessKey ID is 8-64 letters and digits.')),
  });
  if (!accessKeyId) return;
  const accessKeySecret = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set Alibaba Cloud AccessKey (2/2)'),
    prompt: vscode.l10n.t('AccessKey secret'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length >= 8 ? undefined : vscode.l10n.t('The AccessKey secret is too short.')),
  });
  if (!accessKeySecret) return;
  const value: StoredAccessKey = { accessKeyId: accessKeyId.trim(), accessKeySecret: accessKeySecret.trim() };
  await context.secrets.store(SECRET_KEY, JSON.stringify(value));
  log.info(`AccessKey ${maskKeyId(value.accessKeyId)} stored in the editor's secret storage.`);
  await sendCredentials(client, context.secrets);
  void vscode.window.showInformationMessage(vscode.l10n.t('AccessKey {0} saved in the editor\'s secret storage.', maskKeyId(value.accessKeyId)));
}

export async function clearAccessKey(context: vscode.ExtensionContext, client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<void> {
  await context.secrets.delete(SECRET_KEY);
  log.info('AccessKey removed from the editor\'s secret storage.');
  await sendCredentials(client, context.secrets);
  void vscode.window.showInformationMessage(vscode.l10n.t('AccessKey removed. Other credential sources (environment, aliyun CLI profile) still apply.'));
}

async function updateSetting(key: string, value: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const inspected = config.inspect(key);
  const target = inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/** Command "Select region": regions from the server (DescribeRegions), else a static list. */
export async function selectRegion(client: LanguageClient | undefined): Promise<void> {
  const current = vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>('region') ?? '';
  let regions: Array<{ id: string; name: string }> = [];
  if (client?.isRunning()) {
    try {
      const answer = await Promise.race([
        client.sendRequest<{ regions: Array<{ id: string; name: string }> }>(CLOUD_METHODS.regions),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000)),
      ]);
      regions = answer?.regions ?? [];
    } catch {
      regions = [];
    }
  }
  const fromApi = regions.length > 0;
  if (!fromApi) regions = [...FALLBACK_REGIONS];
  const items: Array<vscode.QuickPickItem & { id?: string }> = regions.map((r) => ({
    label: r.id,
    description: r.name !== r.id ? r.name : undefined,
    detail: r.id === current ? vscode.l10n.t('current') : undefined,
    id: r.id,
  }));
  items.push({ label: vscode.l10n.t('Use the profile\'s region'), description: vscode.l10n.t('clear the setting'), id: '' });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Alibaba Cloud region of your SLBs'),
    placeHolder: fromApi ? vscode.l10n.t('Regions of your account') : vscode.l10n.t('Common regions (the account\'s list is not available)'),
    matchOnDescription: true,
  });
  if (!picked || picked.id === undefined) return;
  await updateSetting('region', picked.id || undefined);
}

export async function selectProfile(): Promise<void> {
  const current = vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>('profile') ?? '';
  const items: Array<vscode.QuickPickItem & { value?: string }> = listProfiles().map((p) => ({ label: p, detail: p === current ? vscode.l10n.t('current') : undefined, value: p }));
  items.unshift({ label: vscode.l10n.t('Default lookup'), description: vscode.l10n.t('the CLI\'s current profile, or the environment'), value: '' });
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('aliyun CLI profile') });
  if (!picked || picked.value === undefined) return;
  await updateSetting('profile', picked.value || undefined);
}

export async function refreshCatalog(client: LanguageClient | undefined): Promise<void> {
  if (!client?.isRunning()) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Refreshing the SLB catalog…') }, async () => {
    try {
      await client.sendRequest(CLOUD_METHODS.refreshCatalog);
    } catch {
      // the status bar shows the outcome
    }
  });
}
