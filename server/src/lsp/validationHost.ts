// Hands validation to a worker thread (validationWorker.ts) and keeps only the newest request per
// document in flight; falls back to validating in-process if the worker cannot run.
import * as path from 'path';
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { Diagnostic } from 'vscode-languageserver';
import type { PlacedBinding } from '../engine/rules/crossServiceRules';

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  uri: string;
  version: number;
  text: string;
  env?: [string, string][];
  yamlSyntaxErrors: string;
  locale: string;
  relatedInformation: boolean;
  /** The online checks need every binding with its position. */
  wantBindings: boolean;
}

export type ValidationRequest = AnalyzeRequest | { type: 'close'; uri: string };

export interface ValidationResult {
  type: 'result';
  id: number;
  uri: string;
  version: number;
  diagnostics: Diagnostic[];
  bindings?: PlacedBinding[];
  /** `slb\u0000scheme\u0000frontPort` of every binding, only when they changed since the last result. */
  slbUses?: string[];
}

type WorkerReply = ValidationResult | { type: 'error'; id: number; uri: string; version: number; error: string };

export class ValidationHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<string, { id: number; request: Omit<AnalyzeRequest, 'id' | 'type'>; resolve: (r: ValidationResult | undefined) => void }>();
  private readonly pending = new Map<string, { request: Omit<AnalyzeRequest, 'id' | 'type'>; resolve: (r: ValidationResult | undefined) => void }>();
  private inProcess: ((m: ValidationRequest) => ValidationResult | undefined) | undefined;

  constructor(private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void) {
    const workerPath = path.join(__dirname, 'validationWorker.js');
    if (fs.existsSync(workerPath)) {
      try {
        this.worker = new Worker(workerPath);
        this.worker.unref();
        this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
        this.worker.on('error', (error) => this.fallBack(`validation worker failed: ${error?.stack ?? String(error)}`));
        this.worker.on('exit', (code) => code !== 0 && this.fallBack(`validation worker exited with code ${code}`));
      } catch (error) {
        this.fallBack(`validation worker could not start: ${String(error)}`);
      }
    } else this.fallBack(`validation worker not found at ${workerPath}; validating on the main thread`);
  }

  /** Resolves with the result for this request, or undefined when a newer one for the same document replaced it. */
  validate(request: Omit<AnalyzeRequest, 'id' | 'type'>): Promise<ValidationResult | undefined> {
    return new Promise((resolve) => {
      if (this.inFlight.has(request.uri)) {
        this.pending.get(request.uri)?.resolve(undefined);
        this.pending.set(request.uri, { request, resolve });
        return;
      }
      this.dispatch(request, resolve);
    });
  }

  close(uri: string): void {
    this.pending.get(uri)?.resolve(undefined);
    this.pending.delete(uri);
    this.send({ type: 'close', uri });
  }

  dispose(): void {
    void this.worker?.terminate();
  }

  private dispatch(request: Omit<AnalyzeRequest, 'id' | 'type'>, resolve: (r: ValidationResult | undefined) => void): void {
    const id = this.nextId++;
    this.inFlight.set(request.uri, { id, request, resolve });
    this.send({ type: 'analyze', id, ...request });
  }

  private send(message: ValidationRequest): void {
    if (this.worker) {
      this.worker.postMessage(message);
      return;
    }
    // In-process fallback: same code, on the next turn so the caller's request handling finishes first.
    setImmediate(() => {
      try {
        const result = this.inProcess!(message);
        if (result) this.onReply(result);
      } catch (error) {
        if (message.type === 'analyze') this.onReply({ type: 'error', id: message.id, uri: message.uri, version: message.version, error: (error as Error)?.stack ?? String(error) });
      }
    });
  }

  private onReply(reply: WorkerReply): void {
    const flight = this.inFlight.get(reply.uri);
    if (!flight || flight.id !== reply.id) return;
    this.inFlight.delete(reply.uri);
    if (reply.type === 'error') {
      this.log('error', `validation of ${reply.uri} failed: ${reply.error}`);
      flight.resolve(undefined);
    } else flight.resolve(this.pending.has(reply.uri) ? undefined : reply);
    const next = this.pending.get(reply.uri);
    if (next) {
      this.pending.delete(reply.uri);
      this.dispatch(next.request, next.resolve);
    }
  }

  private fallBack(reason: string): void {
    this.log('warn', reason);
    this.worker = undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.inProcess ??= (require('./validationWorker') as typeof import('./validationWorker')).handleValidationMessage;
    // Requests that were with the dead worker are sent again in-process.
    for (const [uri, flight] of [...this.inFlight]) {
      this.inFlight.delete(uri);
      this.dispatch(flight.request, flight.resolve);
    }
  }
}
