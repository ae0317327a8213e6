// VS Code client: starts the bundled language server and forwards settings. UI only; every
// decision about what to report (and what to leave to the Red Hat YAML / Docker extensions)
// is taken by the server.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import {
  CLIENT_ID,
  COMMANDS,
  CONFIG_SECTION,
  DOCUMENT_SELECTOR,
  OUTPUT_CHANNEL_NAME,
  SERVER_COMMANDS,
  SERVER_MODULE,
  WATCHED_FILES_GLOB,
  initializationOptions,
  YAML_VALIDATOR_EXTENSIONS,
  serverExecArgv,
} from './clientOptions';
import { clearAccessKey, refreshCatalog, selectProfile, selectRegion, sendCredentials, setAccessKey } from './credentials';
import { CloudStatusBar, markWalkthrough, showCloudMenu } from './statusBar';
import { CloudCommands } from './cloudCommands';
import { VerdictStore } from './cloudFormat';
import { LbLabelCodeLensProvider } from './codeLens';
import { CLOUD_METHODS, LabelStatesResult } from '../../common/protocol';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel | undefined;
let watcher: vscode.FileSystemWatcher | undefined;
let cloudStatusBar: CloudStatusBar | undefined;
let lensRefresh: (() => void) | undefined;
let cloudCommands: CloudCommands | undefined;

function currentSettings(): Record<string, unknown> {
  // A plain JSON copy of the section (WorkspaceConfiguration objects do not serialize cleanly).
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(CONFIG_SECTION))) as Record<string, unknown>;
}

/**
 * The language client writes `[Info  - 9:34:19 PM] message` lines; into a LogOutputChannel that
 * adds its own timestamp and level, they read `[info] [Info  - 9:34:19 PM] message`. This channel
 * hands each line to the log channel at its level without the client's prefix.
 */
export function levelledChannel(log: vscode.LogOutputChannel): vscode.OutputChannel {
  const prefix = /^\[(Info|Warn|Error|Debug|Trace|LSP)\s*- [^\]]*\] ?/;
  return {
    name: log.name,
    append: (value: string) => log.append(value),
    appendLine: (line: string) => {
      const m = prefix.exec(line);
      if (!m) return log.appendLine(line);
      const text = line.slice(m[0].length);
      if (m[1] === 'Error') log.error(text);
      else if (m[1] === 'Warn') log.warn(text);
      else log.info(text);
    },
    replace: (value: string) => log.replace(value),
    clear: () => log.clear(),
    show: (a?: unknown, b?: boolean) => (typeof a === 'boolean' ? log.show(a) : log.show(b)),
    hide: () => log.hide(),
    dispose: () => undefined, // the extension owns (and disposes) the log channel
  } as vscode.OutputChannel;
}

function createClient(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(SERVER_MODULE);
  // stdio, as other editors and the benchmark start it: over stdio the server writes messages with
  // its own encoder, which reuses each diagnostic's JSON (server/src/lsp/diagnosticWire.ts); node's
  // IPC channel would serialize every publish of a file with 15k findings anew.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options: { execArgv: serverExecArgv(false) } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: serverExecArgv(true) } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // One timestamp and level per line: the log channel's own, not the language client's "[Info - time]" as well.
    outputChannel: levelledChannel(channel),
    // Evaluated on every (re)start, so a restart picks up new settings and workspace trust.
    initializationOptions: () =>
      initializationOptions(
        vscode.env.language,
        currentSettings(),
        vscode.workspace.isTrusted,
        { name: vscode.env.appName, version: vscode.version },
        YAML_VALIDATOR_EXTENSIONS.some((id) => vscode.extensions.getExtension(id) !== undefined),
      ),
    synchronize: {
      configurationSection: CONFIG_SECTION,
      fileEvents: watcher,
    },
    middleware: {
      // The quick fix runs aliyunSlbLabels.provision: give it the modal and the certificate picker.
      executeCommand: (command, args, next) => (cloudCommands ? cloudCommands.middleware(command, args, next) : next(command, args)),
    },
  };
  return new LanguageClient(CLIENT_ID, OUTPUT_CHANNEL_NAME, serverOptions, clientOptions);
}

/** Starts the server; resolves to true when it is running. */
async function startClient(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Promise<boolean> {
  const module = context.asAbsolutePath(SERVER_MODULE);
  if (!fs.existsSync(module)) {
    channel.error(`Language server not found at ${module}`);
    void showError(vscode.l10n.t('Aliyun SLB Labels: the language server is missing ({0}). Reinstall the extension, or run `npm run build` in a development checkout.', module));
    return false;
  }
  client = createClient(context, channel);
  client.onDidChangeState((e) => {
    if (e.newState === State.Stopped && e.oldState === State.Running) channel.warn('Language server stopped.');
  });
  try {
    await client.start();
    channel.info(`Language server started (${module}, locale ${vscode.env.language}).`);
    // Cloud: status bar follows the server; the AccessKey from SecretStorage goes to the server.
    if (cloudStatusBar) context.subscriptions.push(cloudStatusBar.attach(client));
    // The CodeLens states follow the catalog (refreshed after provisioning, or on its timer).
    context.subscriptions.push(client.onNotification(CLOUD_METHODS.labelStatesChanged, () => lensRefresh?.()));
    await sendCredentials(client, context.secrets).catch((err) => channel.warn(`Could not send the stored AccessKey: ${errorText(err)}`));
    return true;
  } catch (err) {
    channel.error(`Language server failed to start: ${errorText(err)}`);
    void showError(vscode.l10n.t('Aliyun SLB Labels: the language server could not start: {0}', errorText(err)));
    return false;
  }
}

async function showError(message: string): Promise<void> {
  const showOutput = vscode.l10n.t('Show Output');
  const picked = await vscode.window.showErrorMessage(message, showOutput);
  if (picked === showOutput) log?.show(true);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function restart(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Promise<void> {
  channel.info('Restarting the language server.');
  if (client) {
    try {
      await client.stop(2000);
    } catch (err) {
      channel.warn(`Stopping the language server failed: ${errorText(err)}`);
    }
    client = undefined;
  }
  if (await startClient(context, channel)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Aliyun SLB Labels: the language server was restarted.'));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  if (vscode.workspace.textDocuments.some((d) => d.languageId === 'dockercompose')) markWalkthrough('composeOpened');
  log = channel;
  watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES_GLOB);
  context.subscriptions.push(channel, watcher);

  // Provision / reachability (client/src/cloudCommands.ts) and their CodeLens (client/src/codeLens.ts).
  const verdicts = new VerdictStore();
  const codeLens = new LbLabelCodeLensProvider(verdicts, async (uri) => (client?.isRunning() ? client.sendRequest<LabelStatesResult>(CLOUD_METHODS.labelStates, { uri }) : undefined));
  lensRefresh = () => codeLens.refresh();
  cloudCommands = new CloudCommands(() => client, channel, verdicts, () => codeLens.refresh());
  const cloud = cloudCommands;
  context.subscriptions.push(
    codeLens,
    codeLens.register(),
    vscode.commands.registerCommand(COMMANDS.provisionLabel, (arg?: unknown) => cloud.provisionLabel(arg)),
    vscode.commands.registerCommand(COMMANDS.provisionFile, (arg?: unknown) => cloud.provisionFile(arg)),
    vscode.commands.registerCommand(COMMANDS.checkReachabilityLabel, (arg?: unknown) => cloud.checkReachabilityLabel(arg)),
    vscode.commands.registerCommand(COMMANDS.checkReachabilityFile, (arg?: unknown) => cloud.checkReachabilityFile(arg)),
    // The server writes the manifests (server/src/lsp/migrateCommand.ts); the client names the file.
    vscode.commands.registerCommand(COMMANDS.migrateFileToKubernetes, () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      return uri ? vscode.commands.executeCommand(SERVER_COMMANDS.migrateToKubernetes, { uri }) : undefined;
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showOutput, () => channel.show(true)),
    vscode.commands.registerCommand(COMMANDS.openWalkthrough, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false)),
    // The walkthrough's first step: a compose file was opened (now or before the extension started).
    vscode.workspace.onDidOpenTextDocument((d) => d.languageId === 'dockercompose' && markWalkthrough('composeOpened')),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => restart(context, channel)),
    // Cloud commands (client/src/credentials.ts, client/src/statusBar.ts).
    (cloudStatusBar = new CloudStatusBar()),
    vscode.commands.registerCommand(COMMANDS.setAccessKey, () => setAccessKey(context, client, channel)),
    vscode.commands.registerCommand(COMMANDS.clearAccessKey, () => clearAccessKey(context, client, channel)),
    vscode.commands.registerCommand(COMMANDS.selectRegion, () => selectRegion(client)),
    vscode.commands.registerCommand(COMMANDS.selectProfile, () => selectProfile()),
    vscode.commands.registerCommand(COMMANDS.refreshCatalog, () => refreshCatalog(client)),
    vscode.commands.registerCommand(COMMANDS.cloudMenu, () => showCloudMenu(cloudStatusBar?.status)),
    context.secrets.onDidChange((e) => {
      if (e.key === 'aliyunSlbLabels.accessKey') void sendCredentials(client, context.secrets);
    }),
    // The server reads .env and other compose files only in a trusted workspace: tell it when that changes.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      channel.info('Workspace trusted: restarting the language server so it may read workspace files.');
      void restart(context, channel);
    }),
  );

  await startClient(context, channel);
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
