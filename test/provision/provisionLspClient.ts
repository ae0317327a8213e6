// A real LSP client (stdio, the bundled dist/server/server.js) for the provisioning tests: chosen
// capabilities (work-done progress), an answer for window/showMessageRequest, and a record of every
// message the server sent (progress, log lines, notifications) for the checks and the leak test.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SERVER_PATH = path.join(REPO_ROOT, 'dist/server/server.js');

export interface ProvisionLspOptions {
  env: Record<string, string>;
  settings?: Record<string, unknown>;
  workspaceTrusted?: boolean;
  /** window.workDoneProgress capability (default true). */
  workDoneProgress?: boolean;
  /** Title of the action to answer window/showMessageRequest with (undefined = dismiss: null). */
  answer?: string;
  locale?: string;
}

export class ProvisionLspClient {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Every message from the server (notifications and requests), as JSON text. */
  readonly wire: string[] = [];
  readonly messageRequests: Array<{ type: number; message: string; actions?: { title: string }[] }> = [];
  readonly progressCreated: unknown[] = [];
  readonly progress: Array<{ token: unknown; value: { kind: string; title?: string; message?: string; percentage?: number } }> = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  answer: string | undefined;

  private constructor(readonly process: ChildProcess, options: ProvisionLspOptions) {
    this.answer = options.answer;
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification((method: string, params: unknown) => {
      this.wire.push(`${method} ${JSON.stringify(params)}`);
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishDiagnosticsParams;
        const list = this.diagnostics.get(p.uri) ?? [];
        list.push(p);
        this.diagnostics.set(p.uri, list);
      } else if (method === 'window/logMessage') this.logs.push((params as { message: string }).message);
      for (const w of this.waiters.slice()) w();
    });
    // $/progress for tokens the client did not register goes to onUnhandledProgress in vscode-jsonrpc.
    this.connection.onUnhandledProgress((p) => {
      this.wire.push(`$/progress ${JSON.stringify(p)}`);
      this.progress.push(p as never);
      for (const w of this.waiters.slice()) w();
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

  static async start(options: ProvisionLspOptions): Promise<ProvisionLspClient> {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run npm run build first`);
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env });
    const client = new ProvisionLspClient(child, options);
    const init = (await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      locale: options.locale ?? 'en',
      capabilities: {
        window: { workDoneProgress: options.workDoneProgress !== false, showMessage: { messageActionItem: { additionalPropertiesSupport: false } } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
        workspace: { configuration: false },
      },
      initializationOptions: { settings: options.settings ?? {}, diagnosticDelay: 0, workspaceTrusted: options.workspaceTrusted ?? true },
    })) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
    client.initializeResult = init;
    client.connection.sendNotification('initialized', {});
    return client;
  }

  initializeResult: { capabilities: { executeCommandProvider?: { commands: string[] } } } | undefined;

  waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = predicate();
        if (!v) return;
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(check), 1);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(check), 1);
        reject(new Error(`timed out waiting for ${what}; logs: ${this.logs.join(' | ')}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    const list = this.diagnostics.get(uri);
    return list?.[list.length - 1];
  }

  diagnosticsWhere(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics of ${uri}`, () => {
      const p = this.latestDiagnostics(uri);
      return p && predicate(p) ? p : undefined;
    }, timeoutMs);
  }

  async open(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text } });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  executeCommand<R>(command: string, args: unknown[], workDoneToken?: string): Promise<R> {
    return this.request<R>('workspace/executeCommand', { command, arguments: args, ...(workDoneToken ? { workDoneToken } : {}) });
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

export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}
