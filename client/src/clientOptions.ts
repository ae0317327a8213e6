// Plain data for the language client: no `vscode` import, so it can be unit-tested with node:test.

/** The settings section the client forwards to the server (workspace/didChangeConfiguration). */
export const CONFIG_SECTION = 'aliyunSlbLabels';
/** Also the prefix of the `aliyunSlbLabels.trace.server` setting that vscode-languageclient reads. */
export const CLIENT_ID = 'aliyunSlbLabels';
export const OUTPUT_CHANNEL_NAME = 'Aliyun SLB Labels';
export const SERVER_MODULE = 'dist/server/server.js';

export const COMMANDS = {
  showOutput: 'aliyunSlbLabels.showOutput',
  openWalkthrough: 'aliyunSlbLabels.openWalkthrough',
  restartServer: 'aliyunSlbLabels.restartServer',
  // Cloud (client/src/credentials.ts, client/src/statusBar.ts)
  setAccessKey: 'aliyunSlbLabels.setAccessKey',
  clearAccessKey: 'aliyunSlbLabels.clearAccessKey',
  selectRegion: 'aliyunSlbLabels.selectRegion',
  selectProfile: 'aliyunSlbLabels.selectProfile',
  refreshCatalog: 'aliyunSlbLabels.refreshCatalog',
  cloudMenu: 'aliyunSlbLabels.cloudMenu',
  // Provision / reachability (client/src/cloudCommands.ts, CodeLens in client/src/codeLens.ts)
  provisionLabel: 'aliyunSlbLabels.provisionLabel',
  provisionFile: 'aliyunSlbLabels.provisionFile',
  checkReachabilityLabel: 'aliyunSlbLabels.checkReachabilityLabel',
  checkReachabilityFile: 'aliyunSlbLabels.checkReachabilityFile',
  // Kubernetes migration of the active compose file (server command migrateToKubernetes).
  migrateFileToKubernetes: 'aliyunSlbLabels.migrateFileToKubernetes',
} as const;

/**
 * The server's `workspace/executeCommand` ids (server/src/lsp/commands.ts). vscode-languageclient
 * registers them as VS Code commands itself: the client must not register them; it calls them
 * with sendRequest and intercepts `provision` in `middleware.executeCommand` (quick fix path).
 */
export { SERVER_COMMANDS } from '../../common/protocol';

/** `aliyunSlbLabels.codeLens.enable`: "Provision listener | Check reachability" above each lb label. */
export const CODELENS_SETTING = 'codeLens.enable';

/**
 * Languages the server gets documents of. VS Code opens docker-compose.yml / compose.yaml as
 * `dockercompose`; any other YAML file is `yaml`, and the server decides with the
 * `aliyunSlbLabels.composeFiles` globs whether it is a compose file (it says nothing otherwise).
 */
export const DOCUMENT_SELECTOR = [
  { language: 'dockercompose', scheme: 'file' },
  { language: 'dockercompose', scheme: 'untitled' },
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

/** Files whose changes the server may care about: .env (variable values) and other compose files (SLB names, cross-file checks). */
export const WATCHED_FILES_GLOB = '**/{.env,*.yml,*.yaml}';

export interface InitializationOptions {
  /** The editor's display language (vscode.env.language), also sent as InitializeParams.locale. */
  locale: string;
  /** The `aliyunSlbLabels` settings at start-up, so the first diagnostics already honour them. */
  settings: Record<string, unknown>;
  /** false in a restricted (untrusted) workspace: the server should then read no files besides open documents. */
  workspaceTrusted: boolean;
  /** Which editor started the server. */
  client: { name: string; version: string };
  /** Another extension already reports YAML syntax errors (Red Hat YAML, Docker): with
   *  `validation.syntaxErrors: "auto"` the server then reports only those on label lines. */
  otherYamlValidator: boolean;
}

/** Extensions that report YAML syntax errors in compose files themselves. */
export const YAML_VALIDATOR_EXTENSIONS = ['redhat.vscode-yaml', 'ms-azuretools.vscode-docker', 'ms-azuretools.vscode-containers', 'docker.docker'];

export function initializationOptions(
  locale: string,
  settings: Record<string, unknown>,
  workspaceTrusted: boolean,
  client: { name: string; version: string },
  otherYamlValidator = false,
): InitializationOptions {
  return { locale, settings, workspaceTrusted, client, otherYamlValidator };
}

/**
 * Node options for the server process (the same as the server bin's first line, esbuild.mjs):
 * - One V8 background thread: the server already validates on a worker thread, and on a two-core
 *   machine V8's parallel garbage collection otherwise competes with the thread that answers
 *   completion right after an edit (measured in bench/: p95 11-14 ms -> 4-8 ms at 5000 services).
 * - A young generation of 4 MB semi-spaces on the main thread (V8 grows it to 16 MB): the main
 *   thread holds diagnostics as bytes (server/src/lsp/diagnosticList.ts) and makes little garbage,
 *   so the bigger young generation only added ~15 MB to the peak memory (findings/5000: 258 -> 240
 *   MiB, edits and completion no slower). The validation worker sets its own limits.
 * In debug mode the server can be attached to on port 6011.
 */
export const SERVER_NODE_OPTIONS = ['--v8-pool-size=1', '--max-semi-space-size=4'];

export function serverExecArgv(debug: boolean): string[] {
  return debug ? [...SERVER_NODE_OPTIONS, '--nolazy', '--inspect=6011'] : [...SERVER_NODE_OPTIONS];
}
