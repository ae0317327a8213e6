// A copy of test/lsp/lspClient.ts for the cloud tests: the server process gets a chosen
// environment (credentials, HOME), and every notification is recorded for the secret-leak check.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SERVER_PATH = path.join(REPO_ROOT, 'dist/server/server.js');

export interface CloudStartOptions {
  settings?: Record<string, unknown>;
  /** The server's whole environment (nothing is inherited from the test process). */
  env: Record<string, string>;
  workspaceTrusted?: boolean;
  locale?: string;
}

export class CloudLspClient {
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Every notification the server sent, as JSON text. */
  readonly notifications: string[] = [];
  readonly statuses: Array<Record<string, unknown>> = [];
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly listeners: Array<() => void> = [];
  private versions = new Map<string, number>();

  private constructor(readonly process: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push(`${method} ${JSON.stringify(params)}`);
      if (method === 'textDocument/publishDiagnostics') {
        const p = params as PublishDiagnosticsParams;
        const list = this.diagnostics.get(p.uri) ?? [];
        list.push(p);
        this.diagnostics.set(p.uri, list);
      } else if (method === 'window/logMessage') {
        this.logs.push((params as { message: string }).message);
      } else if (method === 'aliyunSlbLabels/cloudStatus') {
        this.statuses.push(params as Record<string, unknown>);
      }
      for (const l of this.listeners.slice()) l();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  static async start(options: CloudStartOptions): Promise<CloudLspClient> {
    if (!fs.existsSync(SERVER_PATH)) throw new Error(`${SERVER_PATH} is missing: run npm run build first`);
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env });
    const client = new CloudLspClient(child);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      locale: options.locale ?? 'en',
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
        workspace: { configuration: false },
      },
      initializationOptions: { settings: options.settings ?? {}, diagnosticDelay: 0, workspaceTrusted: options.workspaceTrusted ?? true },
    });
    client.connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves when `predicate` holds (checked now and after every notification). */
  waitFor<T>(what: string, predicate: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = predicate();
        if (v) {
          clearTimeout(timer);
          this.listeners.splice(this.listeners.indexOf(check), 1);
          resolve(v);
          return true;
        }
        return false;
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
    return this.waitFor(`diagnostics of ${uri}`, () => {
      const p = this.latestDiagnostics(uri);
      return p && (p.version ?? 0) >= (this.versions.get(uri) ?? 0) && predicate(p) ? p : undefined;
    }, timeoutMs);
  }

  async open(uri: string, text: string, languageId = 'dockercompose'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return (params === undefined ? this.connection.sendRequest(method) : this.connection.sendRequest(method, params)) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
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
