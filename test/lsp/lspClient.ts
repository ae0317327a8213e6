// A real LSP client over stdio for tests: spawns the bundled server (dist/server/server.js) and
// talks JSON-RPC to it with vscode-jsonrpc, as an editor would.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { PULL_CAPABILITIES, PullAnswer, PullClient } from '../../bench/pullClient';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SERVER_PATH = path.join(REPO_ROOT, 'dist/server/server.js');
/** The real-world corpus, copied into the repository from ../shared/corpus so a clean clone has it. */
export const CORPUS_DIR = path.join(REPO_ROOT, 'test/fixtures/corpus/real-world');

export interface StartOptions {
  locale?: string;
  /** The aliyunSlbLabels settings; by default `validation.syntaxErrors: 'all'` so every check shows. */
  settings?: Record<string, unknown>;
  /** Use `settings` as given, without the test default above. */
  exactSettings?: boolean;
  snippetSupport?: boolean;
  workspaceFolder?: string;
  initializationOptions?: Record<string, unknown>;
  /** The server's whole environment (nothing inherited from the test process), e.g. credentials and HOME. */
  env?: Record<string, string>;
  workspaceTrusted?: boolean;
  /** window.workDoneProgress capability (default true). */
  workDoneProgress?: boolean;
  /** Title of the action to answer window/showMessageRequest with (undefined = dismiss: null). */
  answer?: string;
  /** Extra `workspace` client capabilities (e.g. workspaceEdit with resource operations). */
  workspaceCapabilities?: Record<string, unknown>;
  /**
   * Pull diagnostics as VS Code's client does (bench/pullClient.ts): each answer is recorded like a
   * publish (`nextDiagnostics`, `latestDiagnostics` work the same), and in `pullAnswers`.
   */
  pullDiagnostics?: boolean;
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Every notification the server sent, as JSON text (for secret-leak checks). */
  readonly notifications: string[] = [];
  /** aliyunSlbLabels/cloudStatus notifications. */
  readonly statuses: Array<Record<string, unknown>> = [];
  /** Every message from the server, notifications and requests, as JSON text (secret-leak checks). */
  readonly wire: string[] = [];
  readonly messageRequests: Array<{ type: number; message: string; actions?: { title: string }[] }> = [];
  readonly progressCreated: unknown[] = [];
  readonly progress: Array<{ token: unknown; value: { kind: string; title?: string; message?: string; percentage?: number } }> = [];
  /** How window/showMessageRequest is answered: the title of the action to pick (undefined: dismiss). */
  answer: string | undefined;
  initializeResult: { capabilities: { executeCommandProvider?: { commands: string[] }; [key: string]: unknown } } | undefined;
  protected readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly listeners: Array<() => void> = [];
  protected versions = new Map<string, number>();
  /** Pull mode: the client side of textDocument/diagnostic. */
  pull: PullClient | undefined;
  readonly pullAnswers: PullAnswer[] = [];

  protected constructor(readonly process: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push(`${method} ${JSON.stringify(params)}`);
      this.wire.push(`${method} ${JSON.stringify(params)}`);
      if (method === 'textDocument/publishDiagnostics') {
        this.received(params as PublishDiagnosticsParams);
      } else if (method === 'window/logMessage') {
        this.logs.push((params as { message: string }).message);
      } else if (method === 'aliyunSlbLabels/cloudStatus') {
        this.statuses.push(params as Record<string, unknown>);
      }
      for (const listener of this.listeners.slice()) listener();
    });
    // $/progress for tokens the client did not register goes to onUnhandledProgress in vscode-jsonrpc.
    this.connection.onUnhandledProgress((p) => {
      this.wire.push(`$/progress ${JSON.stringify(p)}`);
      this.progress.push(p as never);
      for (const listener of this.listeners.slice()) listener();
    });
    this.connection.onRequest('window/showMessageRequest', (p: { type: number; message: string; actions?: { title: string }[] }) => {
      this.wire.push(`window/showMessageRequest ${JSON.stringify(p)}`);
      this.messageRequests.push(p);
      return p.actions?.find((a) => a.title === this.answer) ?? null;
    });
    this.connection.onRequest('window/workDoneProgress/create', (p: unknown) => {
      this.wire.push(`window/workDoneProgress/create ${JSON.stringify(p)}`);
      this.progressCreated.push(p);
      return null;
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** A list of diagnostics for a document: pushed, or a pull's answer. */
  private received(p: PublishDiagnosticsParams): void {
    const list = this.diagnostics.get(p.uri) ?? [];
    list.push(p);
    this.diagnostics.set(p.uri, list);
    for (const w of this.waiters.slice()) {
      if (w.uri === p.uri && (w.version === undefined || (p.version ?? 0) >= w.version)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    return LspTestClient.launch(options, (child) => new LspTestClient(child));
  }

  protected static async launch<C extends LspTestClient>(options: StartOptions, make: (child: ChildProcess) => C): Promise<C> {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run npm run build first`);
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const client = make(child);
    client.answer = options.answer;
    if (options.pullDiagnostics) {
      client.pull = new PullClient(client.connection, (answer) => {
        client.pullAnswers.push(answer);
        client.received({ uri: answer.uri, version: answer.version, diagnostics: answer.diagnostics as PublishDiagnosticsParams['diagnostics'] });
        for (const listener of client.listeners.slice()) listener();
      });
    }
    client.initializeResult = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.workspaceFolder ? `file://${options.workspaceFolder}` : null,
      workspaceFolders: options.workspaceFolder ? [{ uri: `file://${options.workspaceFolder}`, name: 'ws' }] : null,
      locale: options.locale ?? 'en',
      capabilities: {
        window: { workDoneProgress: options.workDoneProgress !== false, showMessage: { messageActionItem: { additionalPropertiesSupport: false } } },
        textDocument: {
          completion: { completionItem: { snippetSupport: options.snippetSupport ?? true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          ...(options.pullDiagnostics ? PULL_CAPABILITIES.textDocument : {}),
        },
        workspace: { configuration: false, ...(options.pullDiagnostics ? PULL_CAPABILITIES.workspace : {}), ...(options.workspaceCapabilities ?? {}) },
      },
      initializationOptions: {
        settings: options.exactSettings ? (options.settings ?? {}) : { 'validation.syntaxErrors': 'all', ...(options.settings ?? {}) },
        diagnosticDelay: 0,
        ...(options.workspaceTrusted === undefined ? {} : { workspaceTrusted: options.workspaceTrusted }),
        ...(options.initializationOptions ?? {}),
      },
    });
    client.connection.sendNotification('initialized', {});
    return client;
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, text: string, languageId = 'dockercompose'): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const waiting = this.nextDiagnostics(uri, 1);
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return waiting;
  }

  async replace(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const waiting = this.nextDiagnostics(uri, version);
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return waiting;
  }

  nextDiagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return (params === undefined ? this.connection.sendRequest(method) : this.connection.sendRequest(method, params)) as Promise<R>;
  }

  executeCommand<R>(command: string, args: unknown[], workDoneToken?: string): Promise<R> {
    return this.request<R>('workspace/executeCommand', { command, arguments: args, ...(workDoneToken ? { workDoneToken } : {}) });
  }

  /** Sends a notification; in pull mode a document's open or change is followed by a pull, as in VS Code. */
  async notify(method: string, params: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
    if (this.pull && /^textDocument\/did(Open|Change|Close)$/.test(method)) this.pull.sent(method, params as { textDocument: { uri: string; version?: number } });
  }

  /** Resolves when `predicate` holds (checked now and after every notification). */
  waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (!value) return false;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(check), 1);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(check), 1);
        reject(new Error(`timed out waiting for ${what}; logs: ${this.logs.join(' | ')}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    const list = this.diagnostics.get(uri);
    return list?.[list.length - 1];
  }

  /** Waits for diagnostics of `uri` (current version) that satisfy `predicate`. */
  diagnosticsWhere(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `diagnostics of ${uri}`,
      () => {
        const p = this.latestDiagnostics(uri);
        return p && (p.version ?? 0) >= (this.versions.get(uri) ?? 0) && predicate(p) ? p : undefined;
      },
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL');
        resolve();
      }, 3000);
      this.process.once('exit', () => (clearTimeout(timer), resolve()));
    });
    this.connection.dispose();
  }
}

/** Line/character of the first occurrence of `needle` (+ delta characters). */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}
