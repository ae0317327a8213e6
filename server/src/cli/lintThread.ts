// `lint` analyses each file on a worker thread and waits for it with a deadline, so a rule stuck
// inside one service (an endless loop) cannot keep the process alive: past the budget and a grace
// the thread is dropped, the file gets the `analysis-stopped` finding at the line it had reached,
// and the next file goes to a fresh thread. The wait is synchronous (Atomics.wait, then
// receiveMessageOnPort), so `runLint` stays a plain function.
import { isMainThread, MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from 'worker_threads';
import { analysisStoppedFinding, lineOfOffset } from '../engine/analysisLimits';
import { lineStartOf } from '../engine/compose/labelsBlock';
import { getLocale, Locale, setLocale } from '../engine/i18n';
import type { LintFileResult } from './lint';

/** Slots of the shared signal: [0] results posted so far, [1] the offset the analysis has reached. */
const DONE = 0;
const PROGRESS = 1;

interface ThreadData {
  slbLabelsLintThread: true;
  port: MessagePort;
  signal: Int32Array;
  locale: Locale;
}

export class LintThread {
  private thread: { worker: Worker; port: MessagePort; signal: Int32Array } | undefined;

  /** `budgetMs` is the analysis's own budget; the thread gets a grace after it before it is dropped. */
  constructor(private readonly budgetMs: number, private readonly inProcess: (file: string, text: string) => LintFileResult) {}

  lint(file: string, text: string): LintFileResult {
    const thread = this.thread ?? this.start();
    if (!thread) return this.inProcess(file, text);
    const posted = Atomics.load(thread.signal, DONE);
    Atomics.store(thread.signal, PROGRESS, 0);
    thread.port.postMessage({ file, text });
    const graceMs = Math.max(1000, Math.min(5000, this.budgetMs / 2));
    const started = performance.now();
    // Bounded: one wait with a deadline (the worker's start-up counts against it too).
    Atomics.wait(thread.signal, DONE, posted, this.budgetMs + graceMs + 2000);
    const reply = receiveMessageOnPort(thread.port)?.message as { result?: LintFileResult; error?: string } | undefined;
    if (reply?.result) return reply.result;
    if (reply?.error) throw new Error(reply.error);
    // Stuck: drop the thread (the next file gets a new one) and say where it was.
    const offset = Math.min(Math.max(0, Atomics.load(thread.signal, PROGRESS)), text.length);
    this.stop();
    const line = lineOfOffset(text, offset);
    const finding = analysisStoppedFinding(performance.now() - started, offset, line);
    const column = offset - lineStartOf(text, offset) + 1;
    return { file, diagnostics: [{ line: line + 1, column, endLine: line + 1, endColumn: column, severity: finding.severity, code: finding.code, message: finding.message }] };
  }

  stop(): void {
    if (!this.thread) return;
    this.thread.port.close();
    void this.thread.worker.terminate();
    this.thread = undefined;
  }

  private start(): LintThread['thread'] {
    try {
      const { port1, port2 } = new MessageChannel();
      const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
      const data: ThreadData = { slbLabelsLintThread: true, port: port2, signal, locale: getLocale() };
      // This very file (or the CLI bundle that holds it) is the worker: see the end of the file.
      const worker = new Worker(__filename, { workerData: data, transferList: [port2] });
      worker.unref();
      port1.unref();
      this.thread = { worker, port: port1, signal };
      return this.thread;
    } catch {
      return undefined; // no worker threads here: lint in-process (cooperative budget only)
    }
  }
}

if (!isMainThread && (workerData as ThreadData | undefined)?.slbLabelsLintThread) {
  const { port, signal, locale } = workerData as ThreadData;
  setLocale(locale);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { lintText } = require('./lint') as typeof import('./lint');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ComposeAnalyzer } = require('../engine/analysis') as typeof import('../engine/analysis');
  const analyzer = new ComposeAnalyzer();
  port.on('message', ({ file, text }: { file: string; text: string }) => {
    try {
      port.postMessage({ result: lintText(file, text, analyzer, (offset) => Atomics.store(signal, PROGRESS, offset)) });
    } catch (error) {
      port.postMessage({ error: (error as Error)?.stack ?? String(error) });
    }
    Atomics.add(signal, DONE, 1);
    Atomics.notify(signal, DONE);
  });
}
