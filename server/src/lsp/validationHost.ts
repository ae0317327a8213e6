// Hands validation to a worker thread (validationWorker.ts) and keeps only the newest request per
// document in flight; falls back to validating in-process if the worker cannot run.
import * as path from 'path';
import * as fs from 'fs';
import * as v8 from 'v8';
import { Worker } from 'worker_threads';
import { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { PlacedBinding } from '../engine/rules/crossServiceRules';
import { analysisBudgetMs, analysisStoppedFinding, DEFAULT_SERVER_BUDGET_MS, lineOfOffset } from '../engine/analysisLimits';
import { toDiagnostics } from '../engine/features/diagnostics';
import { textOf } from '../engine/text';
import { applyDelta, DiagnosticsDelta } from './diagnosticDelta';
import { DiagnosticList, PackedList, PackedSource } from './diagnosticList';
import { collectYoungGeneration } from './youngGeneration';

/**
 * A delta that made this many moved copies (several edits at once; a line added or removed only
 * shifts runs, lsp/diagnosticList.ts) left garbage worth collecting at once.
 */
const MANY_MOVED = 1000;

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  uri: string;
  version: number;
  env?: [string, string][];
  /** The document's path on disk when other files may be read (trusted workspace): `extends: {file: ...}`. */
  filePath?: string;
  yamlSyntaxErrors: string;
  locale: string;
  relatedInformation: boolean;
  /** The online checks need every binding with its position. */
  wantBindings: boolean;
  /** Version of this document's SLB uses the main thread already has (see ValidationResult.slbUses). */
  knownSlbUsesVersion?: number;
  /** Set by the host: the analysis stops itself with one finding past this many ms. */
  budgetMs?: number;
  /**
   * The main thread's answer to "is this a Kubernetes manifest?" (kept current edit by edit in
   * lsp/k8sFeatures.ts), so the worker does not search megabytes of text for `apiVersion` per keystroke.
   */
  kubernetes?: boolean;
  /** Set by the host: the result whose diagnostics it holds for this document (see ValidationResult.diagnosticsDelta). */
  knownDiagnosticsId?: number;
}

export type ValidationRequest =
  | AnalyzeRequest
  | { type: 'open'; uri: string; version: number; text: string }
  | { type: 'change'; uri: string; version: number; changes: TextDocumentContentChangeEvent[] }
  | { type: 'close'; uri: string };

export interface ValidationResult {
  type: 'result';
  id: number;
  uri: string;
  version: number;
  diagnostics: Diagnostic[];
  /**
   * From the worker, for a long whole list: `diagnostics` packed as the main thread keeps them
   * (lsp/diagnosticList.ts), which is quicker than a structured clone and makes no objects here.
   */
  diagnosticsPacked?: PackedList;
  /** From the worker: only the changes to the diagnostics of result `baseId` (then `diagnostics` is empty until the host applies it). */
  diagnosticsDelta?: DiagnosticsDelta;
  bindings?: PlacedBinding[];
  /** `slb\u0000scheme\u0000frontPort` of every binding, only when they changed since the last result. */
  slbUses?: string[];
  slbUsesVersion: number;
}

/** What a validation gives the server: the worker's result with its diagnostics as the main thread holds them. */
export type ValidatedDocument = Omit<ValidationResult, 'diagnostics' | 'diagnosticsPacked' | 'diagnosticsDelta'> & { diagnostics: DiagnosticList };

export type ValidationReply = ValidationResult | { type: 'error'; id: number; uri: string; version: number; error: string };
/** The worker says it begins an analysis (the watchdog starts timing it then, not while it waits in the queue). */
type WorkerReply = ValidationReply | { type: 'started'; id: number; uri: string };

/**
 * Shared with the worker: [0] the id of the analysis it runs, [1] the offset it has reached. A stuck
 * worker cannot post a message, but the watchdog can still read where it is.
 */
export const PROGRESS_SLOTS = 2;

/**
 * Where the worker's first full collection is due: V8 starts a heap's old generation with a small
 * limit and collects whenever it is reached, so a first analysis that keeps 40-80 MB (models,
 * findings, diagnostics of a big file) ran four or five full collections on the way, about 100 ms
 * of a 5000-service open (issue 12). With the first one due at 128 MB, the open runs none, and the
 * worker collects right after it (validationWorker.ts, collectWhenIdle). A limit, not a reservation:
 * a small file's worker stays small.
 */
const WORKER_INITIAL_OLD_SPACE_MB = 128;

/**
 * V8 flags are process-wide, and read when an isolate is made: set now, this one applies to the
 * worker made next, not to the main thread, whose heap was configured when the server started.
 * (`resourceLimits` has no initial size.)
 */
function configureWorkerHeap(): void {
  try {
    v8.setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`);
  } catch {
    // Not fatal: the worker then collects on V8's default schedule.
  }
}

export class ValidationHost {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<string, { id: number; request: Omit<AnalyzeRequest, 'id' | 'type'>; resolve: (r: ValidatedDocument | undefined) => void }>();
  private readonly pending = new Map<string, { request: Omit<AnalyzeRequest, 'id' | 'type'>; resolve: (r: ValidatedDocument | undefined) => void }>();
  private inProcess: ((m: ValidationRequest) => ValidationReply | undefined) | undefined;
  /** Documents the worker holds; after a worker crash they are re-sent from the current text. */
  private readonly opened = new Map<string, { version: number; text: string | undefined }>();
  /** Gives the current text of a document (to re-open documents in the in-process fallback). */
  currentText: (uri: string) => { version: number; text: string } | undefined = () => undefined;

  /**
   * The worker's heap ceiling. It starts small, which keeps the server's peak memory down on
   * ordinary files (README, Speed); a file too big for it makes the worker run out of memory, and
   * the worker is then started again with twice the heap, up to `maxHeapMb`. Only past that does
   * validation move to the main thread, where it would hold up completion and hover.
   */
  private heapMb = Number(process.env.SLB_LABELS_WORKER_HEAP_MB) || 160;
  private readonly maxHeapMb = Math.max(this.heapMb, Number(process.env.SLB_LABELS_WORKER_HEAP_MAX_MB) || 2048);

  /**
   * The per-document time budget. The analysis checks it between services and stops itself; a
   * worker still busy `graceMs` after that is stuck in one step (an endless loop in a rule) and is
   * replaced, so the other documents go on being validated.
   */
  readonly budgetMs = analysisBudgetMs(DEFAULT_SERVER_BUDGET_MS);
  private readonly graceMs = Math.max(1000, Math.min(5000, this.budgetMs / 2));
  private readonly progress = new Int32Array(new SharedArrayBuffer(PROGRESS_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private watchdog: { id: number; uri: string; startedAt: number; timer: NodeJS.Timeout } | undefined;
  /** Documents whose analysis got stuck, with that text: not analysed again until their text changes. */
  private readonly stuck = new Map<string, { version: number; text: string; diagnostics: DiagnosticList }>();
  /** The diagnostics of the worker's last result per document: its next result may be a delta on them. */
  private readonly diagnosticsBase = new Map<string, { id: number; diagnostics: DiagnosticList }>();

  constructor(private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void) {
    const workerPath = path.join(__dirname, 'validationWorker.js');
    if (fs.existsSync(workerPath)) this.startWorker(workerPath);
    else this.fallBack(`validation worker not found at ${workerPath}; validating on the main thread`);
  }

  private startWorker(workerPath: string): void {
    let worker: Worker;
    try {
      configureWorkerHeap();
      worker = new Worker(workerPath, { workerData: { progress: this.progress }, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: this.heapMb } });
      this.diagnosticsBase.clear(); // a new worker sends its first result per document whole
    } catch (error) {
      this.fallBack(`validation worker could not start: ${String(error)}`);
      return;
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    // A dying worker emits 'error' and then 'exit': only the first one counts.
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY' && this.heapMb < this.maxHeapMb) {
        const before = this.heapMb;
        this.heapMb = Math.min(this.maxHeapMb, this.heapMb * 2);
        this.log('warn', `validation worker failed: out of memory with a ${before} MB heap (a very large file?); starting it again with ${this.heapMb} MB`);
        this.worker = undefined;
        this.startWorker(workerPath);
        this.resend();
        return;
      }
      this.fallBack(`validation worker failed: ${error?.stack ?? String(error)}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) this.fallBack(`validation worker exited with code ${code}`);
    });
  }

  /** Resolves with the result for this request, or undefined when a newer one for the same document replaced it. */
  validate(request: Omit<AnalyzeRequest, 'id' | 'type'>): Promise<ValidatedDocument | undefined> {
    request = { ...request, budgetMs: this.budgetMs };
    return new Promise((resolve) => {
      const stuck = this.stuck.get(request.uri);
      // (By text, not only version: a client may send versions that go backwards.)
      if (stuck && stuck.version === request.version && !this.inFlight.has(request.uri) && this.currentText(request.uri)?.text === stuck.text) {
        resolve({ type: 'result', id: 0, uri: request.uri, version: request.version, diagnostics: stuck.diagnostics, slbUsesVersion: request.knownSlbUsesVersion ?? 0 });
        return;
      }
      if (this.inFlight.has(request.uri)) {
        this.pending.get(request.uri)?.resolve(undefined);
        this.pending.set(request.uri, { request, resolve });
        return;
      }
      this.dispatch(request, resolve);
    });
  }

  /** A validation of this document is running or queued (a pull for it waits for that one). */
  isBusy(uri: string): boolean {
    return this.inFlight.has(uri) || this.pending.has(uri);
  }

  /** The worker keeps its own copy of each document: the full text once, then only the edits. */
  open(uri: string, version: number, text: string): void {
    this.opened.set(uri, { version, text: undefined });
    this.send({ type: 'open', uri, version, text });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    this.send({ type: 'change', uri, version, changes });
  }

  close(uri: string): void {
    this.opened.delete(uri);
    this.stuck.delete(uri);
    this.diagnosticsBase.delete(uri);
    this.pending.get(uri)?.resolve(undefined);
    this.pending.delete(uri);
    this.send({ type: 'close', uri });
  }

  dispose(): void {
    this.stopWatchdog();
    void this.worker?.terminate();
  }

  private dispatch(request: Omit<AnalyzeRequest, 'id' | 'type'>, resolve: (r: ValidatedDocument | undefined) => void): void {
    const id = this.nextId++;
    this.inFlight.set(request.uri, { id, request, resolve });
    this.send({ type: 'analyze', id, ...request, knownDiagnosticsId: this.diagnosticsBase.get(request.uri)?.id });
  }

  private send(message: ValidationRequest): void {
    if (this.worker) {
      this.worker.postMessage(message);
      return;
    }
    // In-process fallback: document messages apply at once (order matters); analysis on the next
    // turn so the caller's request handling finishes first.
    const run = () => {
      try {
        const result = this.inProcess!(message);
        if (result) this.onReply(result);
      } catch (error) {
        if (message.type === 'analyze') this.onReply({ type: 'error', id: message.id, uri: message.uri, version: message.version, error: (error as Error)?.stack ?? String(error) });
      }
    };
    if (message.type === 'analyze') setTimeout(run, 0);
    else run();
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'started') {
      this.startWatchdog(reply.id, reply.uri);
      return;
    }
    if (this.watchdog?.id === reply.id) this.stopWatchdog();
    const flight = this.inFlight.get(reply.uri);
    if (!flight || flight.id !== reply.id) return;
    this.inFlight.delete(reply.uri);
    const validated = reply.type === 'result' ? this.withWholeDiagnostics(reply) : undefined;
    if (reply.type === 'result' && !validated) {
      // The delta does not fit what this side holds (it should always): ask for the whole list.
      this.log('warn', `validation of ${reply.uri}: the diagnostics delta did not apply; validating again`);
      this.dispatch(flight.request, flight.resolve);
      return;
    }
    if (reply.type === 'error') {
      this.log('error', `validation of ${reply.uri} failed: ${reply.error}`);
      flight.resolve(undefined);
    } else flight.resolve(this.pending.has(reply.uri) ? undefined : validated);
    const next = this.pending.get(reply.uri);
    if (next) {
      this.pending.delete(reply.uri);
      this.dispatch(next.request, next.resolve);
    }
  }

  /** The result with its whole list (kept as the base of the next delta); undefined when a delta does not apply. */
  private withWholeDiagnostics(reply: ValidationResult): ValidatedDocument | undefined {
    const { diagnostics, diagnosticsPacked, diagnosticsDelta: delta, ...rest } = reply;
    let list: DiagnosticList;
    if (delta) {
      const base = this.diagnosticsBase.get(reply.uri);
      this.diagnosticsBase.delete(reply.uri);
      if (!base || base.id !== delta.baseId) return undefined;
      try {
        const counts = { moved: 0 };
        list = applyDelta(base.diagnostics, delta, reply.uri, counts);
        // Before the answer goes out, not in the next request (lsp/youngGeneration.ts).
        if (counts.moved >= MANY_MOVED) collectYoungGeneration();
      } catch {
        return undefined;
      }
    } else list = diagnosticsPacked ? DiagnosticList.ofSource(new PackedSource(diagnosticsPacked)) : DiagnosticList.of(diagnostics);
    this.diagnosticsBase.set(reply.uri, { id: reply.id, diagnostics: list });
    return { ...rest, diagnostics: list };
  }

  private startWatchdog(id: number, uri: string): void {
    this.stopWatchdog();
    const startedAt = performance.now();
    const timer = setTimeout(() => this.onStuck(id, uri, startedAt), this.budgetMs + this.graceMs);
    timer.unref();
    this.watchdog = { id, uri, startedAt, timer };
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog.timer);
    this.watchdog = undefined;
  }

  /** The worker has been on one analysis for the budget and the grace after it: replace it. */
  private onStuck(id: number, uri: string, startedAt: number): void {
    this.watchdog = undefined;
    const flight = this.inFlight.get(uri);
    const worker = this.worker;
    if (!flight || flight.id !== id || !worker) return;
    const elapsed = performance.now() - startedAt;
    const offset = Atomics.load(this.progress, 0) === id ? Atomics.load(this.progress, 1) : 0;
    const current = this.currentText(uri);
    const text = current?.version === flight.request.version ? current.text : '';
    const at = Math.min(Math.max(0, offset), text.length);
    const diagnostics = DiagnosticList.of(toDiagnostics(textOf(text), [analysisStoppedFinding(elapsed, at, lineOfOffset(text, at))], uri, false));
    this.log('warn', `validation of ${uri} (version ${flight.request.version}) was still running after ${Math.round(elapsed)} ms (budget ${this.budgetMs} ms), at offset ${offset}: restarting the validation worker`);
    this.stuck.set(uri, { version: flight.request.version, text, diagnostics });
    this.inFlight.delete(uri);
    this.worker = undefined;
    void worker.terminate();
    flight.resolve(this.pending.has(uri) ? undefined : { type: 'result', id, uri, version: flight.request.version, diagnostics, slbUsesVersion: flight.request.knownSlbUsesVersion ?? 0 });
    this.startWorker(path.join(__dirname, 'validationWorker.js'));
    this.resend();
    const next = this.pending.get(uri);
    if (next) {
      this.pending.delete(uri);
      this.validate(next.request).then(next.resolve, () => next.resolve(undefined));
    }
  }

  private fallBack(reason: string): void {
    this.log('warn', reason);
    this.worker = undefined;
    this.diagnosticsBase.clear(); // the in-process validator starts with no base either
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.inProcess ??= (require('./validationWorker') as typeof import('./validationWorker')).handleValidationMessage;
    this.resend();
  }

  /** After a worker died: its documents are opened again from their current text, and the requests it had are sent again. */
  private resend(): void {
    for (const uri of this.opened.keys()) {
      const current = this.currentText(uri);
      if (current) this.send({ type: 'open', uri, version: current.version, text: current.text });
    }
    for (const [uri, flight] of [...this.inFlight]) {
      this.inFlight.delete(uri);
      this.dispatch(flight.request, flight.resolve);
    }
  }
}
