// The language server: LSP wiring only. Every feature is a plain function of the engine; this file
// owns documents, settings, scheduling and error containment.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { CodeActionKind, createConnection, DiagnosticRefreshRequest, PublishDiagnosticsParams, DidChangeConfigurationNotification, InitializeParams, InitializeResult, ProposedFeatures, ResponseError, StreamMessageWriter, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { format } from 'util';
import { LineDocument } from './engine/lineDocument';
import { MessageFlow } from './lsp/messageFlow';
import { Analysis, ComposeAnalyzer } from './engine/analysis';
import { forgetEnvFiles, loadEnvBeside } from './engine/compose/dotEnv';
import { quickFixes } from './engine/features/codeActions';
import { complete } from './engine/features/completion';
import { toDiagnostics } from './engine/features/diagnostics';
import { hover } from './engine/features/hover';
import { lbDocumentLinks } from './engine/features/documentLinks';
import { getLocale, normaliseLocale, setLocale } from './engine/i18n';
import { WorkspaceSlbIndex } from './engine/workspaceIndex';
import { globToRegExp, readSettings, ServerSettings } from './lsp/settings';
import { scanWorkspaceComposeFiles } from './lsp/workspaceScan';
import { ValidationHost } from './lsp/validationHost';
import { DocumentStore } from './lsp/documentStore';
import { CloudSession } from './lsp/cloudSession';
import { ReachCommands } from './lsp/reachCommands';
import { allCommandNames, CommandDispatcher } from './lsp/commands';
import { registerProvisionCommands } from './lsp/provisionCommands';
import { QuietPublisher } from './lsp/typingQuiet';
import { DiagnosticReports } from './lsp/pullDiagnostics';
import { diagnosticsJsonEncoder, withFixes } from './lsp/diagnosticWire';
import { DiagnosticList } from './lsp/diagnosticList';
import { CurrentBindings, labelStates } from './lsp/labelStates';
import { CLOUD_METHODS, LabelStatesResult } from '../../common/protocol';
import { K8sFeatures } from './lsp/k8sFeatures';
import { migrationCodeActions, registerMigrateCommand } from './lsp/migrateCommand';

if (process.argv.includes('--version')) {
  process.stdout.write('slb-labels-language-server 0.1.0\n');
  process.exit(0);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('slb-labels-language-server: choose a transport: --stdio or --node-ipc (for example: slb-labels-language-server --stdio)\n');
  process.exit(2);
}

const messageFlow = new MessageFlow();
const connection = createStdioAwareConnection();

/**
 * Over stdio, messages are written with our JSON encoder (lsp/diagnosticWire.ts: a publish of 15k
 * diagnostics copies the bytes the list is held as, lsp/diagnosticList.ts). The library does the rest of what it does for `--stdio`:
 * exit when stdin ends, and console output to the client's log (stdout is the protocol).
 */
function createStdioAwareConnection() {
  const options = { messageStrategy: messageFlow.strategy };
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all, options);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: diagnosticsJsonEncoder });
  // (The stream + writer overload: stdin stays a stream, so the library exits when it closes.)
  const created = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream, options);
  console.log = (...args: unknown[]) => created.console.log(format(...args));
  console.info = (...args: unknown[]) => created.console.info(format(...args));
  console.warn = (...args: unknown[]) => created.console.warn(format(...args));
  console.error = (...args: unknown[]) => created.console.error(format(...args));
  return created;
}
const documents = new DocumentStore({
  opened: (document) => {
    // The SLB index learns this document's SLBs from its first validation (slbUses), not by a
    // second scan of the text here.
    validation.open(document.uri, document.version, document.getText());
    scheduleValidation(document);
  },
  changed: (document, changes) => {
    publisher.edited(document.uri, changes);
    validation.change(document.uri, document.version, changes);
    k8s.changed(document, changes);
    reach.changed(document.uri, changes);
    scheduleValidation(document);
  },
  closed: (uri) => {
    scheduled.delete(uri);
    analyzers.delete(uri);
    validation.close(uri);
    slbUsesVersions.delete(uri);
    lastBindings.delete(uri);
    reindexFromDisk(uri);
    reach.closed(uri);
    publisher.clear(uri, !pullDiagnostics);
    reports.forget(uri);
    k8s.closed(uri);
  },
});
// One analyzer per open document: it holds that document's parsed units and cross-service index.
const analyzers = new Map<string, ComposeAnalyzer>();
function analyzerFor(uri: string): ComposeAnalyzer {
  let analyzer = analyzers.get(uri);
  if (!analyzer) analyzers.set(uri, (analyzer = new ComposeAnalyzer()));
  return analyzer;
}
const validation = new ValidationHost((level, message) => log(level, message));
validation.currentText = (uri) => {
  const doc = documents.get(uri);
  return doc ? { version: doc.version, text: doc.getText() } : undefined;
};
/** initializationOptions.diagnosticDelay (benchmarks, tests) wins over the setting. */
let diagnosticDelayOverride: number | undefined;
// Quiet while typing (lsp/typingQuiet.ts): the typed line's diagnostics wait for a pause of
// `diagnosticDelay` ms; every other line is published at once.
const publisher = new QuietPublisher(
  (params, afterPause) => {
    // Pull: the list waits for the client's pull (or a refresh asks for one), lsp/pullDiagnostics.ts.
    if (pullDiagnostics) return reports.store(params, afterPause);
    traceDiagnostics(params.uri, params.version, `${params.diagnostics.length} sent${afterPause ? ' after the typing pause' : ''}`);
    // The held list as it is: the JSON encoder copies its bytes, other transports serialize it
    // through its toJSON. Fixes stay here; the client gets them through code actions (lsp/diagnosticWire.ts).
    void connection.sendDiagnostics(params as unknown as PublishDiagnosticsParams);
  },
  (uri) => documents.get(uri)?.version,
  () => diagnosticDelayOverride ?? settings.diagnosticDelay,
);
/**
 * LSP trace on (initialize `trace`, $/setTrace): when each list of diagnostics left, on the machine's
 * monotonic clock (process.hrtime), so a typing replay times the server, not its own reading.
 */
function traceDiagnostics(uri: string, version: number | undefined, answer: string): void {
  connection.tracer.log(`Diagnostics of ${uri} (version ${version ?? '-'}): ${answer}.`, `monotonicMs=${Number(process.hrtime.bigint()) / 1e6}`);
}
/** True when the client pulls diagnostics (LSP 3.17 textDocument/diagnostic with refresh), as VS Code does. */
let pullDiagnostics = false;
const reports = new DiagnosticReports({
  currentVersion: (uri) => documents.get(uri)?.version,
  validating: (uri) => scheduled.has(uri) || validation.isBusy(uri),
  refresh: () => void connection.sendRequest(DiagnosticRefreshRequest.type).catch((error: unknown) => log('warn', `diagnostics refresh failed: ${String(error)}`)),
  trace: traceDiagnostics,
});
/** Set by the VS Code client when Red Hat YAML or a Docker extension already reports YAML syntax errors. */
let otherYamlValidator = false;
function yamlSyntaxErrorMode(): 'all' | 'labels' | 'off' {
  return settings.yamlSyntaxErrors === 'auto' ? (otherYamlValidator ? 'labels' : 'all') : settings.yamlSyntaxErrors;
}
const slbIndex = new WorkspaceSlbIndex();
/** Which version of each open document's SLB uses the index holds (the worker sends them only when newer). */
const slbUsesVersions = new Map<string, number>();
let settings: ServerSettings = readSettings(undefined);
let composeMatchers: RegExp[] = settings.composeFiles.map(globToRegExp);
let clientLocale = 'en';
let snippetSupport = false;
let insertReplaceSupport = false;
let relatedInformation = true;
let configurationPull = false;
let workspaceTrusted = true;
let workspaceFolders: string[] = [];
/** Validations scheduled and not started yet, by document (the token of the latest one). */
const scheduled = new Map<string, object>();
// Cloud (credentials, SLB catalog, online findings): see lsp/cloudSession.ts.
const cloud = new CloudSession(connection, (level, message) => log(level, message));
/** Could the last validations see a catalog (the only thing of the cloud's that validation reads)? */
let validatedWithCatalog = false;
cloud.onDidChange(() => {
  // Without a catalog before and after (no credentials, cloud off, untrusted workspace) no
  // validation can change; at startup the catalog is configured while the first open file is
  // still being analysed, and validating again threw that analysis away.
  const withCatalog = cloud.trustedSnapshot() !== undefined;
  if (withCatalog || validatedWithCatalog) for (const doc of documents.all()) scheduleValidation(doc);
  validatedWithCatalog = withCatalog;
  // The CodeLens states (create / start / up to date / conflict) follow the catalog.
  void connection.sendNotification(CLOUD_METHODS.labelStatesChanged, {});
});
/** Bindings of each open document's last validation (only while the cloud layer wants them): the CodeLens states. */
const lastBindings = new CurrentBindings();
// Reachability (lsp/reachCommands.ts): aliyunSlbLabels.checkReachability and its inline marks, merged in validate().
// Kubernetes manifests (detected by content): lsp/k8sFeatures.ts.
const k8s = new K8sFeatures({ cloud, log: (level, message) => log(level, message), revalidate: () => { for (const d of documents.all()) if (k8s.isKubernetes(d)) scheduleValidation(d); } });
const reach = new ReachCommands({ connection, cloud, documents, env: envFor, log, revalidate: (uri) => { const d = documents.get(uri); if (d) scheduleValidation(d); } });

function log(level: 'info' | 'warn' | 'error', message: string): void {
  connection.console[level](message);
}

/** One wrapper for every request: errors are logged, never sent to the user as a stack. */
function guarded<P, R>(name: string, fallback: R, handler: (params: P) => R): (params: P) => R {
  return (params: P) => {
    try {
      return handler(params);
    } catch (error) {
      log('error', `${name} failed: ${(error as Error)?.stack ?? String(error)}`);
      return fallback;
    }
  };
}

function applyLocale(): void {
  setLocale(settings.locale === 'auto' ? normaliseLocale(clientLocale) : settings.locale);
  for (const analyzer of analyzers.values()) analyzer.clear();
}

function applySettings(raw: unknown): void {
  settings = readSettings(raw);
  cloud.applySettings(raw);
  composeMatchers = settings.composeFiles.map(globToRegExp);
  applyLocale();
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as { locale?: string; settings?: unknown; workspaceTrusted?: boolean; diagnosticDelay?: number; otherYamlValidator?: boolean };
  otherYamlValidator = options.otherYamlValidator === true;
  clientLocale = options.locale ?? params.locale ?? 'en';
  if (options.settings) applySettings(options.settings);
  if (typeof options.diagnosticDelay === 'number' && options.diagnosticDelay >= 0) diagnosticDelayOverride = options.diagnosticDelay;
  applyLocale();
  workspaceTrusted = options.workspaceTrusted !== false;
  const caps = params.capabilities;
  reach.setClientCapabilities(caps);
  clientCapabilities = caps;
  snippetSupport = caps.textDocument?.completion?.completionItem?.snippetSupport === true;
  insertReplaceSupport = caps.textDocument?.completion?.completionItem?.insertReplaceSupport === true;
  relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation !== false;
  configurationPull = caps.workspace?.configuration === true;
  // Pull needs the refresh request too: lists that change without an edit (the typed line after the
  // pause, cloud findings) reach the client only when the server can ask it to pull.
  pullDiagnostics = caps.textDocument?.diagnostic !== undefined && caps.workspace?.diagnostics?.refreshSupport === true;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.rootUri && !params.workspaceFolders ? [params.rootUri] : []);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '_', ':', '/', '=', ' '], resolveProvider: false },
      hoverProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      executeCommandProvider: { commands: allCommandNames() },
      // interFileDependencies false: when another file changes a document's list (a Service on the
      // same CLB port, an .env), the server asks for a refresh itself rather than have the client re-pull everything on every edit.
      ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'aliyunSlbLabels', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'slb-labels-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  log('info', pullDiagnostics ? 'Diagnostics are pulled by the client (LSP 3.17); a list that did not change is answered "unchanged".' : 'Diagnostics are pushed (the client does not pull them).');
  cloud.start(workspaceTrusted);
  if (configurationPull) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'aliyunSlbLabels' }).catch(() => undefined);
    // Files may already be open, validated with the settings of initializationOptions (or none: a
    // client that only answers workspace/configuration): validate them again if these differ.
    const before = JSON.stringify([settings, getLocale()]);
    await pullSettings();
    if (JSON.stringify([settings, getLocale()]) !== before) for (const doc of documents.all()) scheduleValidation(doc);
  }
  if (workspaceTrusted) {
    for (const folder of workspaceFolders) {
      scanWorkspaceComposeFiles(folder, composeMatchers, (uri, text) => {
        if (!documents.get(uri)) {
          slbIndex.update(uri, text);
          k8s.indexFile(uri, text);
        }
      }, (text) => text.includes('loadbalancer-id')).catch((error) => log('warn', `workspace scan of ${folder} stopped: ${String(error)}`));
    }
  }
});

async function pullSettings(): Promise<void> {
  try {
    const [section] = await connection.workspace.getConfiguration([{ section: 'aliyunSlbLabels' }]);
    if (section) applySettings(section);
  } catch (error) {
    log('warn', `could not read settings: ${String(error)}`);
  }
}

connection.onDidChangeConfiguration(async (change) => {
  if (configurationPull) await pullSettings();
  else applySettings((change.settings as Record<string, unknown> | undefined)?.aliyunSlbLabels ?? change.settings);
  for (const doc of documents.all()) scheduleValidation(doc);
});

function isComposeDocument(doc: LineDocument): boolean {
  if (doc.languageId === 'dockercompose') return true;
  if (doc.languageId !== 'yaml') return false;
  const uriPath = decodeURIComponent(doc.uri.replace(/^[a-z]+:\/\/[^/]*/, ''));
  if (composeMatchers.some((m) => m.test(uriPath))) return true;
  // A YAML file that carries aliyun.* labels is a compose template whatever its name. Asked on
  // every request, so answered once per version, line by line (no whole-text string).
  const cached = mentionsAliyun.get(doc);
  if (cached && cached.version === doc.version) return cached.result;
  const result = doc.includes('aliyun.');
  mentionsAliyun.set(doc, { version: doc.version, result });
  return result;
}
const mentionsAliyun = new WeakMap<LineDocument, { version: number; result: boolean }>();

function envFor(uri: string): Map<string, string> | undefined {
  if (!workspaceTrusted || !uri.startsWith('file:')) return undefined;
  try {
    return loadEnvBeside(fileURLToPath(uri));
  } catch {
    return undefined; // not a path this system can read
  }
}

/** The document's path when files beside it may be read (trusted workspace, a file: URI). */
function filePathFor(uri: string): string | undefined {
  if (!workspaceTrusted || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

async function validate(doc: LineDocument): Promise<void> {
  if (!settings.validationEnabled || !(isComposeDocument(doc) || k8s.isKubernetes(doc))) {
    k8s.indexOpen(doc); // a document that stopped being a manifest leaves the CLB port index
    publisher.publish(doc.uri, doc.version, []);
    return;
  }
  const env = envFor(doc.uri);
  const startedAt = performance.now();
  const result = await validation.validate({
    uri: doc.uri,
    version: doc.version,
    env: env ? [...env] : undefined,
    filePath: filePathFor(doc.uri),
    yamlSyntaxErrors: yamlSyntaxErrorMode(),
    locale: getLocale(),
    relatedInformation,
    wantBindings: cloud.needsBindings(),
    knownSlbUsesVersion: slbUsesVersions.get(doc.uri),
    kubernetes: k8s.isKubernetes(doc),
  });
  const current = documents.get(doc.uri);
  connection.tracer.log(`Validated ${doc.uri} (version ${doc.version}) in ${Math.round(performance.now() - startedAt)} ms${result ? '' : ', superseded by a newer validation'}.`);
  // A newer version is on its way (or the document closed): publish nothing stale.
  if (!result || !current || current.version !== result.version) return;
  // Completion reads SLB names from this index; filling it here keeps completion off the whole text.
  if (result.slbUses) {
    slbIndex.updateFromUses(doc.uri, result.slbUses);
    slbUsesVersions.set(doc.uri, result.slbUsesVersion);
  }
  // (true: a CodeLens request was answered before these bindings landed: the client asks again.)
  if (result.bindings && lastBindings.set(doc.uri, result.version, result.bindings)) void connection.sendNotification(CLOUD_METHODS.labelStatesChanged, {});
  const online = result.bindings ? toDiagnostics(current, cloud.findings({ bindings: result.bindings } as unknown as Analysis), doc.uri, relatedInformation) : k8s.isKubernetes(current) ? k8s.onlineDiagnostics(current, relatedInformation) : [];
  // R12 across files: this manifest's CLB ports join the workspace index, clashes with other files come back.
  k8s.indexOpen(current);
  const crossFile = k8s.isKubernetes(current) ? k8s.workspaceDiagnostics(current, relatedInformation) : [];
  publisher.publish(doc.uri, result.version, DiagnosticList.concat([result.diagnostics, DiagnosticList.of([...online, ...crossFile, ...reach.marksFor(current)])]));
}

function scheduleValidation(doc: LineDocument): void {
  const token = {};
  scheduled.set(doc.uri, token);
  // Validation starts once the requests that came in with the edit (completion) are answered
  // (lsp/messageFlow.ts); the typing quiet holds back only the typed line's part of the result.
  messageFlow.whenHandled(() => {
    if (scheduled.get(doc.uri) !== token) return; // a later edit scheduled its own, or the file closed
    scheduled.delete(doc.uri);
    const current = documents.get(doc.uri);
    if (!current) return;
    const version = current.version;
    Promise.resolve(guarded('validation', undefined, validate)(current))
      .catch((error) => log('error', `validation failed: ${String(error)}`))
      .finally(() => {
        lastBindings.validated(doc.uri, version);
        reports.validated(doc.uri, version);
      });
  });
}

/** A closed document's SLB names are what its file on disk says, not the unsaved text it had open. */
function reindexFromDisk(uri: string): void {
  slbIndex.remove(uri);
  k8s.unindex(uri);
  if (!workspaceTrusted || !uri.startsWith('file:')) return;
  try {
    // The same files the workspace scan indexes (lsp/workspaceScan.ts).
    const file = fileURLToPath(uri);
    const folder = workspaceFolders.find((f) => uri.startsWith(f.endsWith('/') ? f : `${f}/`));
    if (!folder || !/\.ya?ml$/i.test(file)) return;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size > 5 * 1024 * 1024) return;
    const text = fs.readFileSync(file, 'utf8');
    k8s.indexFile(uri, text);
    const relative = path.relative(fileURLToPath(folder), file).split(path.sep).join('/');
    if (composeMatchers.some((m) => m.test(relative)) || text.includes('aliyun.lb.port_')) slbIndex.update(uri, text);
  } catch (error) {
    log('warn', `could not re-read ${uri} for the SLB index: ${String(error)}`);
  }
}

function workspaceSlbs() {
  return slbIndex.summaries();
}

connection.onCompletion(
  guarded('completion', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (doc && settings.completionEnabled && k8s.isKubernetes(doc)) return k8s.complete(doc, params.position, snippetSupport);
    if (!doc || !settings.completionEnabled || !isComposeDocument(doc)) return [];
    return complete(doc, params.position, { analyzer: analyzerFor(doc.uri), workspaceSlbs: workspaceSlbs(), cloudSlbs: cloud.cloudSlbs(), cloudListeners: cloud.cloudListeners, snippetSupport, env: envFor(doc.uri), insertReplace: insertReplaceSupport });
  }),
);

connection.onHover(
  guarded('hover', null, (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (doc && settings.hoverEnabled && k8s.isKubernetes(doc)) return k8s.hover(doc, params.position);
    if (!doc || !settings.hoverEnabled || !isComposeDocument(doc)) return null;
    return hover(doc, params.position, { analyzer: analyzerFor(doc.uri), env: envFor(doc.uri), describeSlb: cloud.describeSlb, cloudSlbs: cloud.cloudSlbs(), cloudListeners: cloud.cloudListeners });
  }),
);

connection.onRequest(CLOUD_METHODS.labelStates, async (params: { uri: string }): Promise<LabelStatesResult | null> => {
  const unknown = { uri: params.uri, known: false, items: [] };
  if (!cloud.trustedSnapshot() || !settings.validationEnabled) return unknown;
  // The bindings of the current text (waits for its validation, bounded), not the previous edit's.
  const bindings = await lastBindings.current(params.uri, () => documents.get(params.uri)?.version).catch(() => undefined);
  const doc = documents.get(params.uri);
  const snapshot = cloud.trustedSnapshot();
  if (!bindings || !doc || !snapshot) return unknown;
  return guarded('labelStates', unknown, () => ({ uri: params.uri, known: true, items: labelStates(bindings, snapshot, (offset) => doc.positionAt(offset).line) }))(undefined);
});

// (Not `guarded`: a cancelled pull must answer RequestCancelled. Anything else is logged and answered as an error, never as "no problems".)
connection.languages.diagnostics.on((params, token) =>
  reports.report(params.textDocument.uri, params.previousResultId, token).catch((error: unknown) => {
    if (!(error instanceof ResponseError)) log('error', `diagnostic pull failed: ${(error as Error)?.stack ?? String(error)}`);
    throw error;
  }),
);

connection.onDocumentLinks(
  guarded('documentLinks', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !isComposeDocument(doc)) return [];
    return lbDocumentLinks(doc);
  }),
);

connection.onCodeAction(
  guarded('codeAction', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    const migrate = doc && isComposeDocument(doc) && !k8s.isKubernetes(doc) ? migrationCodeActions(migrateDeps, doc, params.range) : [];
    return [...quickFixes(params.textDocument.uri, withFixes(params.context.diagnostics, publisher.latestDiagnostics(params.textDocument.uri))), ...migrate];
  }),
);

connection.onDidChangeWatchedFiles((change) => {
  for (const event of change.changes) {
    if (event.uri.endsWith('/.env')) {
      forgetEnvFiles();
      for (const doc of documents.all()) scheduleValidation(doc);
    }
  }
});

// workspace/executeCommand: one dispatcher, every feature registers its commands (lsp/commands.ts).
let clientCapabilities: InitializeParams['capabilities'] | undefined;
const commands = new CommandDispatcher();
registerProvisionCommands(commands, { connection, cloud, document: (uri) => documents.get(uri), analyzerFor, envFor, clientCapabilities: () => clientCapabilities, revalidateAll: () => documents.all().forEach(scheduleValidation), log });
reach.register(commands);
const migrateDeps = { connection, cloud, document: (uri: string) => documents.get(uri), analyzerFor, envFor, clientCapabilities: () => clientCapabilities };
registerMigrateCommand(commands, migrateDeps);
connection.onExecuteCommand(commands.handle);

process.on('uncaughtException', (error) => log('error', `uncaught: ${error?.stack ?? String(error)}`));
process.on('unhandledRejection', (error) => log('error', `unhandled rejection: ${String(error)}`));

documents.listen(connection);
connection.listen();
