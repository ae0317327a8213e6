/**
 * LSP benchmark harness: measures a language server over stdio the same way the
 * competitors were measured (lsp-anchors.md section 3).
 *
 *   node out/bench/run.js [--services 1000,5000] [--iterations N] [--edits 5] [--line-edits 4] [--runs 1] [--push]
 *                         [--server "node dist/server/server.js --stdio"] [--language-id dockercompose]
 *                         [--settle-ms 1500] [--edit-gap-ms 300] [--timeout-ms 30000] [--seed 42]
 *                         [--label slb-labels] [--init-options JSON] [--settings JSON]
 *                         [--out bench/results.md | --no-write] [--verbose]
 *
 * Per size N: generate a compose file of N services (bench/generateCompose.ts), write it to a
 * temporary workspace folder, spawn the server (node is spawned directly, so the pid is the
 * server's), and measure
 *   init            spawn -> initialize result
 * Diagnostics: the bench declares pull support as VS Code's language client does; a server that
 * offers textDocument/diagnostic is pulled (bench/pullClient.ts: after open and every change, again
 * on refresh), any other server pushes. --push declares no pull support. "A publish" below is a
 * pushed list or a pull's answer ("unchanged" included: the client then knows its list is current).
 *   open→diag       didOpen -> first diagnostics for the file
 *   settled         last publish before --settle-ms of quiet; `diags` = its number of diagnostics
 *   didChange→diag  one-character edit (incremental didChange, version+1) -> the next publish
 *                   with that version or later (any later publish if the server sends no version),
 *                   p50/p95 over --edits edits, --edit-gap-ms apart
 *   new line→diag   the same for --line-edits edits that add or remove a line (findings below move)
 *   probes          completion / hover latency at fixed positions: the first call separately,
 *                   p50/p95/p99 over the remaining --iterations - 1 calls, and the number of
 *                   completion items / hover text length of the first call (0 = no real answer)
 *   peak RSS        VmHWM of the server process (/proc/<pid>/status)
 * With --runs R > 1, latency percentiles (edits and probes) are taken over the samples of all R
 * runs pooled (a p95 over 7 samples is just the slowest one); every other number is the median
 * over R runs.
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import {
  CancellationTokenSource,
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import { ComposeShape, generateCompose, InsertLineProbe, Pos } from './generateCompose';
import { formatTypingTable, runTypingReplay } from './typingReplay';
import { PULL_CAPABILITIES, PullClient } from './pullClient';

export const DEFAULT_SERVER = 'node dist/server/server.js --stdio';

export interface BenchOptions {
  services: number[];
  /** generated file shapes (bench/generateCompose.ts): clean, merge (anchors and `<<`), findings (mistakes in a third of the services) */
  shapes: ComposeShape[];
  /** requests per probe; undefined = 20 below 5000 services, 8 from 5000 on (as the anchors) */
  iterations?: number;
  edits: number;
  /** edits that insert or remove a line (every finding below moves), measured apart */
  lineEdits: number;
  /** declare no pull support: the server pushes (a VS Code client pulls when the server offers it) */
  push: boolean;
  runs: number;
  server: string;
  languageId: string;
  settleMs: number;
  editGapMs: number;
  timeoutMs: number;
  seed: number;
  label: string;
  initializationOptions: Record<string, unknown>;
  /** what each item of a workspace/configuration request is answered with */
  settings: unknown;
  cwd: string;
  verbose: boolean;
  log: (msg: string) => void;
}

export interface ProbeResult {
  name: string;
  kind: 'completion' | 'hover';
  position: Pos;
  /** completion items / hover text length of the first call */
  size: number;
  first: number;
  p50: number;
  p95: number;
  p99: number;
  /** warm samples behind p50/p95/p99 */
  samples: number;
  /** the warm latencies themselves (pooled across runs by mergeRuns) */
  times: number[];
  errors: number;
}

export interface SizeResult {
  label: string;
  shape: ComposeShape;
  services: number;
  lines: number;
  bytes: number;
  runs: number;
  iterations: number;
  init: number;
  openToDiag: number;
  settled: number;
  /** diagnostics in the settled publish after open (a valid file: 0) */
  diags: number;
  /** the first few diagnostics of that publish (`line:col code message`) */
  diagSample: string[];
  /** publishes seen for the file between open and settled */
  openPublishes: number;
  editP50: number;
  editP95: number;
  editSamples: number[];
  /** edits whose diagnostics did not arrive within the timeout */
  editTimeouts: number;
  /** how the client got diagnostics: pulled (textDocument/diagnostic) when the server offers it, else pushed */
  mode: 'pull' | 'push';
  /** pull: edit answers that were "unchanged" (of editSamples.length) */
  unchangedAnswers: number;
  lineEditP50: number;
  lineEditP95: number;
  lineEditSamples: number[];
  /** publishes carried a version */
  versioned: boolean;
  /** diagnostics in the last publish after the edits */
  diagsAfterEdits: number;
  peakRssMiB: number;
  /** RSS once the open settled (what the file costs to hold), MiB */
  settledRssMiB: number;
  /** the phase in which RSS was highest (sampled every 100 ms): open, edits, line edits, or a probe */
  peakPhase: string;
  probes: ProbeResult[];
  errors: string[];
}

export function defaultOptions(): BenchOptions {
  return {
    services: [1000, 5000],
    shapes: ['clean', 'merge', 'findings'],
    iterations: undefined,
    edits: 10,
    lineEdits: 4,
    push: false,
    runs: 1,
    server: DEFAULT_SERVER,
    languageId: 'dockercompose',
    settleMs: 1500,
    editGapMs: 300,
    timeoutMs: 30000,
    seed: 42,
    label: 'slb-labels',
    initializationOptions: {},
    settings: {},
    cwd: process.cwd(),
    verbose: false,
    log: (msg) => process.stderr.write(msg + '\n'),
  };
}

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  if (p === 50) {
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1];
}

function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length ? percentile(v, 50) : NaN;
}

/** split a command line: whitespace-separated words, '…' and "…" quoting */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2] : m[3]);
  return out;
}

function readVmRSS(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function readVmHWM(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function completionCount(result: unknown): number {
  if (!result) return 0;
  if (Array.isArray(result)) return result.length;
  const items = (result as { items?: unknown[] }).items;
  return Array.isArray(items) ? items.length : 0;
}

function hoverLength(result: unknown): number {
  if (!result) return 0;
  const text = (c: unknown): number => {
    if (c == null) return 0;
    if (typeof c === 'string') return c.length;
    if (Array.isArray(c)) return c.reduce((n: number, x) => n + text(x), 0);
    const v = (c as { value?: unknown }).value;
    return typeof v === 'string' ? v.length : 0;
  };
  return text((result as { contents?: unknown }).contents);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n >= 100) return String(Math.round(n));
  return String(Math.round(n * 100) / 100);
}

// ---------------------------------------------------------------- one server session

interface Publish {
  seq: number;
  t: number;
  version: number | undefined;
  count: number;
  /** the first few diagnostics, as `line:col message` */
  sample: string[];
  /** pull: the answer's kind */
  kind?: 'full' | 'unchanged';
}

class Session {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly publishes: Publish[] = [];
  /** set when the server offers pull diagnostics and the bench declared pull support */
  pull: PullClient | undefined;
  private waiters: Array<() => void> = [];
  private stderrTail = '';
  exited: string | undefined;
  private readonly exitedPromise: Promise<never>;
  /** resolves once the process is spawned, rejects if it cannot be */
  readonly ready: Promise<void>;
  private resolveExit!: () => void;

  constructor(
    private readonly opts: BenchOptions,
    private readonly uri: string,
    workspaceUri: string,
    workspaceName: string,
  ) {
    this.exitedPromise = new Promise<void>((r) => (this.resolveExit = r)).then(() => {
      throw new Error(this.exited);
    });
    this.exitedPromise.catch(() => undefined);
    const [cmd, ...args] = splitCommand(opts.server);
    if (!cmd) throw new Error('empty --server command');
    // spawn node itself (not a shell) so proc.pid is the server's pid for VmHWM
    const exe = cmd === 'node' ? process.execPath : cmd;
    this.proc = spawn(exe, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.ready = new Promise<void>((resolve, reject) => {
      this.proc.once('spawn', resolve);
      this.proc.once('error', (e) => reject(new Error(`cannot start the server \`${opts.server}\`: ${e.message}`)));
    });
    this.ready.catch(() => undefined);
    this.proc.on('error', (e) => this.onExit(`spawn error: ${e.message}`));
    this.proc.on('exit', (code, signal) => this.onExit(`server exited (code ${code}, signal ${signal})`));
    this.proc.stdin!.on('error', () => undefined); // EPIPE after a crash is reported via 'exit'
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
      if (opts.verbose) process.stderr.write(d);
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', (p: { items?: unknown[] }) => (p.items ?? []).map(() => opts.settings));
    this.conn.onRequest('workspace/workspaceFolders', () => [{ uri: workspaceUri, name: workspaceName }]);
    this.conn.onRequest((_method: string) => null); // registerCapability, workDoneProgress/create, ...
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diag[] }) => this.received(p));
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      if (opts.verbose) process.stderr.write(`[server] ${p.message}\n`);
    });
    this.conn.onNotification((_method: string) => undefined);
    this.conn.onError(() => undefined);
    this.conn.listen();
  }

  /** A pushed list, or a pull's answer (with the version it was pulled for). */
  private received(p: { uri: string; version?: number; diagnostics: Diag[] }, kind?: 'full' | 'unchanged'): void {
    if (!sameUri(p.uri, this.uri)) return;
    const t = performance.now();
    const sample = p.diagnostics.slice(0, 5).map((d) => `${d.range?.start?.line}:${d.range?.start?.character} ${d.code ?? ''} ${d.message}`);
    this.publishes.push({ seq: this.publishes.length + 1, t, version: p.version ?? undefined, count: p.diagnostics.length, sample, kind });
    this.wake();
  }

  /** Pull diagnostics as VS Code's client does (bench/pullClient.ts): after each open/change, and on refresh. */
  enablePull(): void {
    this.pull = new PullClient(this.conn, (a) => this.received({ uri: a.uri, version: a.version, diagnostics: a.diagnostics as Diag[] }, a.kind));
  }

  get stderr(): string {
    return this.stderrTail;
  }

  private onExit(why: string): void {
    if (!this.exited) this.exited = why;
    this.resolveExit();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** resolves with the first publish after `afterSeq` that satisfies pred, or undefined on timeout/exit */
  async waitPublish(afterSeq: number, pred: (p: Publish) => boolean, timeoutMs: number): Promise<Publish | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.publishes.find((p) => p.seq > afterSeq && pred(p));
      if (hit) return hit;
      if (this.exited) return undefined;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** waits until no publish arrived for quietMs (or maxMs passed); returns the last publish */
  async waitQuiet(quietMs: number, maxMs: number): Promise<Publish | undefined> {
    const start = performance.now();
    for (;;) {
      const last = this.publishes[this.publishes.length - 1];
      const since = performance.now() - (last ? last.t : start);
      if (since >= quietMs || performance.now() - start >= maxMs || this.exited) return last;
      await sleep(Math.min(quietMs - since + 1, 100));
    }
  }

  /** sends a request and times it at the client; rejects after timeoutMs */
  async timed<R>(method: string, params: unknown): Promise<{ ms: number; result: R }> {
    if (this.exited) throw new Error(this.exited);
    const cts = new CancellationTokenSource();
    let timer: NodeJS.Timeout | undefined;
    const t0 = performance.now();
    try {
      const result = await Promise.race([
        this.conn.sendRequest(method, params, cts.token) as Promise<R>,
        this.exitedPromise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            cts.cancel();
            reject(new Error(`${method}: no answer within ${this.opts.timeoutMs} ms`));
          }, this.opts.timeoutMs);
        }),
      ]);
      return { ms: performance.now() - t0, result };
    } finally {
      if (timer) clearTimeout(timer);
      cts.dispose();
    }
  }

  /** sends a notification unless the server is gone (vscode-jsonrpc leaks a rejection on a dead pipe) */
  async notify(method: string, params?: unknown): Promise<void> {
    if (this.exited) throw new Error(this.exited);
    await this.conn.sendNotification(method, params);
    if (this.pull && /^textDocument\/did(Open|Change|Close)$/.test(method)) this.pull.sent(method, params as { textDocument: { uri: string; version?: number } });
  }

  async shutdown(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.conn.sendRequest('shutdown'), sleep(3000)]);
        await this.conn.sendNotification('exit');
      } catch {
        /* server already gone */
      }
      const start = Date.now();
      while (!this.exited && Date.now() - start < 3000) await sleep(20);
      if (!this.exited) this.proc.kill('SIGKILL');
    }
    this.conn.dispose();
  }
}

interface Diag {
  range?: { start?: Pos };
  code?: string | number;
  message: string;
}

function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return decodeURIComponent(a).toLowerCase() === decodeURIComponent(b).toLowerCase();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- one run at one size

async function runOnce(n: number, shape: ComposeShape, opts: BenchOptions, iterations: number): Promise<SizeResult> {
  const gen = generateCompose(n, { seed: opts.seed, shape });
  const probes = gen.probes;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `slb-bench-${n}-`));
  const file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, gen.text);
  const uri = pathToFileURL(file).href;
  const workspaceUri = pathToFileURL(dir).href;
  const errors: string[] = [];
  const result: SizeResult = {
    label: shape === 'clean' ? `${opts.label}/${n}` : `${opts.label}/${shape}/${n}`,
    shape,
    services: n,
    lines: gen.lineCount,
    bytes: Buffer.byteLength(gen.text),
    runs: 1,
    iterations,
    init: NaN,
    openToDiag: NaN,
    settled: NaN,
    diags: NaN,
    diagSample: [],
    openPublishes: 0,
    editP50: NaN,
    editP95: NaN,
    editSamples: [],
    editTimeouts: 0,
    mode: 'push',
    unchangedAnswers: 0,
    lineEditP50: NaN,
    lineEditP95: NaN,
    lineEditSamples: [],
    versioned: false,
    diagsAfterEdits: NaN,
    peakRssMiB: NaN,
    settledRssMiB: NaN,
    peakPhase: '',
    probes: [],
    errors,
  };

  const t0 = performance.now();
  const s = new Session(opts, uri, workspaceUri, path.basename(dir));
  // Where the memory peak happens: VmRSS sampled every 100 ms, with the phase the bench is in.
  let phase = 'initialize';
  let peakSample = 0;
  const sampler = setInterval(() => {
    const rss = s.proc.pid ? readVmRSS(s.proc.pid) : NaN;
    if (rss > peakSample) {
      peakSample = rss;
      result.peakPhase = phase;
    }
  }, 100);
  let version = 1;
  const change = async (range: { start: Pos; end: Pos }, text: string) => {
    version++;
    await s.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  };
  const waitDiagFor = (v: number, afterSeq: number, timeoutMs: number) =>
    s.waitPublish(afterSeq, (p) => p.version === undefined || p.version >= v, timeoutMs);

  try {
    // ---- initialize
    await s.ready;
    const init = await s.timed<{ capabilities?: { diagnosticProvider?: unknown } }>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'slb-labels-bench', version: '1' },
      locale: 'en',
      rootUri: workspaceUri,
      rootPath: dir,
      workspaceFolders: [{ uri: workspaceUri, name: path.basename(dir) }],
      initializationOptions: { diagnosticDelay: 0, ...opts.initializationOptions },
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, ...(opts.push ? {} : PULL_CAPABILITIES.workspace) },
        window: { workDoneProgress: false },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true, willSave: false },
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: true, labelDetailsSupport: true },
            contextSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
          // VS Code's language client declares pull support; the server chooses (diagnosticProvider).
          ...(opts.push ? {} : PULL_CAPABILITIES.textDocument),
        },
      },
    });
    result.init = performance.now() - t0;
    if (!opts.push && init.result.capabilities?.diagnosticProvider) {
      s.enablePull();
      result.mode = 'pull';
    }
    await s.notify('initialized', {});

    // ---- open -> diagnostics
    phase = 'open';
    const tOpen = performance.now();
    await s.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: opts.languageId, version: 1, text: gen.text },
    });
    const firstPub = await s.waitPublish(0, () => true, Math.max(opts.timeoutMs, 60000));
    if (!firstPub) throw new Error(`no publishDiagnostics after didOpen${s.exited ? ` (${s.exited})` : ''}`);
    result.openToDiag = firstPub.t - tOpen;
    const settledPub = (await s.waitQuiet(opts.settleMs, Math.max(opts.timeoutMs, 60000)))!;
    result.settled = settledPub.t - tOpen;
    result.diags = settledPub.count;
    result.diagSample = settledPub.sample;
    result.openPublishes = s.publishes.length;
    result.versioned = s.publishes.some((p) => p.version !== undefined);
    result.settledRssMiB = s.proc.pid ? readVmRSS(s.proc.pid) : NaN;
    phase = 'edits';

    // ---- one-character edits -> diagnostics
    const e = probes.edit;
    for (let k = 0; k < opts.edits; k++) {
      const seq = s.publishes.length;
      const insert = k % 2 === 0;
      const t = performance.now();
      const v = await change(
        insert ? { start: e, end: e } : { start: e, end: { line: e.line, character: e.character + 1 } },
        insert ? 'x' : '',
      );
      const pub = await waitDiagFor(v, seq, opts.timeoutMs);
      if (pub) {
        result.editSamples.push(pub.t - t);
        result.diagsAfterEdits = pub.count;
        if (pub.kind === 'unchanged') result.unchangedAnswers++;
      } else {
        result.editTimeouts++;
        errors.push(`edit ${k + 1}: no publishDiagnostics within ${opts.timeoutMs} ms`);
        if (s.exited) throw new Error(s.exited);
      }
      await sleep(opts.editGapMs);
    }
    result.editP50 = percentile(result.editSamples, 50);
    result.editP95 = percentile(result.editSamples, 95);

    // ---- edits that add or remove a line below the image line: every finding further down moves
    phase = 'line edits';
    const lineText = '    # a new line';
    for (let k = 0; k < opts.lineEdits; k++) {
      const seq = s.publishes.length;
      const insert = k % 2 === 0;
      const t = performance.now();
      const v = await change(insert ? { start: e, end: e } : { start: e, end: { line: e.line + 1, character: lineText.length } }, insert ? `\n${lineText}` : '');
      const pub = await waitDiagFor(v, seq, opts.timeoutMs);
      if (pub) result.lineEditSamples.push(pub.t - t);
      else errors.push(`line edit ${k + 1}: no diagnostics within ${opts.timeoutMs} ms`);
      await sleep(opts.editGapMs);
    }
    result.lineEditP50 = percentile(result.lineEditSamples, 50);
    result.lineEditP95 = percentile(result.lineEditSamples, 95);

    // ---- completion / hover probes
    const plan: Array<{ name: string; kind: 'completion' | 'hover'; at: Pos | InsertLineProbe }> = [
      { name: 'completion@lbValue', kind: 'completion', at: probes.lbValue },
      { name: 'completion@lbKeyDot', kind: 'completion', at: probes.lbKeyDot },
      { name: 'completion@newLabelLine', kind: 'completion', at: probes.newLabelLine },
      { name: 'hover@lbKey', kind: 'hover', at: probes.lbKey },
      { name: 'hover@slbName', kind: 'hover', at: probes.slbNameHover },
      { name: 'hover@labelsKey', kind: 'hover', at: probes.labelsKey },
      { name: 'completion@newServiceKey', kind: 'completion', at: probes.newServiceKey },
    ];
    for (const pr of plan) {
      const insertProbe = 'insertAt' in pr.at ? pr.at : undefined;
      const position = insertProbe ? insertProbe.position : (pr.at as Pos);
      const times: number[] = [];
      let size = NaN;
      let errs = 0;
      phase = pr.name;
      for (let k = 0; k < iterations; k++) {
        if (insertProbe) await change({ start: insertProbe.insertAt, end: insertProbe.insertAt }, insertProbe.insertText);
        try {
          const params =
            pr.kind === 'completion'
              ? { textDocument: { uri }, position, context: { triggerKind: 1 } }
              : { textDocument: { uri }, position };
          const { ms, result: r } = await s.timed<unknown>(pr.kind === 'completion' ? 'textDocument/completion' : 'textDocument/hover', params);
          times.push(ms);
          if (k === 0) size = pr.kind === 'completion' ? completionCount(r) : hoverLength(r);
        } catch (err) {
          errs++;
          if (errs <= 3) errors.push(`${pr.name}: ${(err as Error).message}`);
          if (s.exited) throw new Error(s.exited);
        }
        if (insertProbe) {
          const seq = s.publishes.length;
          const lineAfter = { line: insertProbe.insertAt.line + 1, character: 0 };
          const v = await change({ start: insertProbe.insertAt, end: lineAfter }, '');
          // let the server finish validating the reverted text before the next request
          await waitDiagFor(v, seq, opts.settleMs);
        }
      }
      const warm = times.slice(1);
      result.probes.push({
        name: pr.name,
        kind: pr.kind,
        position,
        size,
        first: times.length ? times[0] : NaN,
        p50: percentile(warm, 50),
        p95: percentile(warm, 95),
        p99: percentile(warm, 99),
        samples: warm.length,
        times: warm,
        errors: errs,
      });
    }

    result.peakRssMiB = s.proc.pid ? readVmHWM(s.proc.pid) : NaN;
    clearInterval(sampler);
  } catch (err) {
    errors.push((err as Error).message);
    const tail = s.stderr.trim();
    if (tail) {
      const lines = tail.split('\n').map((x) => x.trim()).filter(Boolean);
      const firstError = lines.find((x) => /error/i.test(x));
      errors.push(`server stderr: ${[...new Set([firstError, ...lines.slice(-3)].filter(Boolean))].join(' | ')}`);
    }
  } finally {
    clearInterval(sampler);
    await s.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

export function mergeRuns(runs: SizeResult[]): SizeResult {
  if (runs.length === 1) return runs[0];
  const first = runs[0];
  const med = (f: (r: SizeResult) => number) => median(runs.map(f));
  return {
    ...first,
    runs: runs.length,
    init: med((r) => r.init),
    openToDiag: med((r) => r.openToDiag),
    settled: med((r) => r.settled),
    diags: med((r) => r.diags),
    openPublishes: med((r) => r.openPublishes),
    editP50: percentile(runs.flatMap((r) => r.editSamples), 50),
    editP95: percentile(runs.flatMap((r) => r.editSamples), 95),
    editSamples: runs.flatMap((r) => r.editSamples),
    editTimeouts: runs.reduce((n, r) => n + r.editTimeouts, 0),
    unchangedAnswers: runs.reduce((n, r) => n + r.unchangedAnswers, 0),
    lineEditP50: percentile(runs.flatMap((r) => r.lineEditSamples), 50),
    lineEditP95: percentile(runs.flatMap((r) => r.lineEditSamples), 95),
    lineEditSamples: runs.flatMap((r) => r.lineEditSamples),
    diagsAfterEdits: med((r) => r.diagsAfterEdits),
    peakRssMiB: med((r) => r.peakRssMiB),
    settledRssMiB: med((r) => r.settledRssMiB),
    peakPhase: runs.map((r) => r.peakPhase).join(', '),
    probes: first.probes.map((p, k) => {
      const all = runs.map((r) => r.probes[k]).filter((x) => x && x.name === p.name);
      const m = (f: (x: ProbeResult) => number) => median(all.map(f));
      const times = all.flatMap((x) => x.times);
      return { ...p, size: m((x) => x.size), first: m((x) => x.first), p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), samples: times.length, times, errors: all.reduce((n, x) => n + x.errors, 0) };
    }),
    errors: runs.flatMap((r, k) => r.errors.map((e) => `run ${k + 1}: ${e}`)),
  };
}

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<SizeResult[]> {
  const opts: BenchOptions = { ...defaultOptions(), ...partial };
  const out: SizeResult[] = [];
  for (const shape of opts.shapes) {
    for (const n of opts.services) {
      // 41 calls: the first (cold) one apart, 40 warm ones, so that p95 is not simply the slowest call.
      const iterations = opts.iterations ?? 41;
      const runs: SizeResult[] = [];
      for (let r = 0; r < opts.runs; r++) {
        opts.log(`bench: ${opts.label}/${shape}/${n} run ${r + 1}/${opts.runs} (${iterations} iterations, ${opts.edits} edits)`);
        runs.push(await runOnce(n, shape, opts, iterations));
      }
      out.push(mergeRuns(runs));
    }
  }
  return out;
}

// ---------------------------------------------------------------- report

const MAIN_PROBES = ['completion@lbValue', 'completion@lbKeyDot', 'completion@newLabelLine', 'hover@lbKey', 'hover@slbName', 'hover@labelsKey', 'completion@newServiceKey'];

export function formatTables(results: SizeResult[]): string {
  const l: string[] = [];
  l.push('| label | diagnostics | runs | lines | MB | init | open→diag | settled | diags | didChange→diag p50 / p95 | new line→diag p50 / p95 | diags after edits | RSS after open MiB | peak RSS MiB (in) |');
  l.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const editNote = r.editTimeouts ? ` (${r.editTimeouts} timed out)` : '';
    const unchanged = r.mode === 'pull' ? ` (${r.unchangedAnswers}/${r.editSamples.length} unchanged)` : '';
    l.push(
      `| ${r.label} | ${r.mode} | ${r.runs} | ${r.lines} | ${fmt(r.bytes / 1e6)} | ${fmt(r.init)} | ${fmt(r.openToDiag)} | ${fmt(r.settled)} | ${fmt(r.diags)} | ${fmt(r.editP50)} / ${fmt(r.editP95)}${editNote}${unchanged} | ${fmt(r.lineEditP50)} / ${fmt(r.lineEditP95)} | ${fmt(r.diagsAfterEdits)} | ${fmt(r.settledRssMiB)} | ${fmt(r.peakRssMiB)} (${r.peakPhase || '–'}) |`,
    );
  }
  l.push('');
  l.push('Completion and hover: warm p50 / p95 in ms [completion items or hover text length at the first call; 0 = no answer]');
  l.push('');
  l.push('| label | ' + MAIN_PROBES.map((p) => `${p} p50 / p95 [size]`).join(' | ') + ' |');
  l.push('|---|' + MAIN_PROBES.map(() => '---').join('|') + '|');
  for (const r of results) {
    const cells = MAIN_PROBES.map((name) => {
      const p = r.probes.find((x) => x.name === name);
      return p ? `${fmt(p.p50)} / ${fmt(p.p95)} [${fmt(p.size)}]${p.errors ? ` (${p.errors} errors)` : ''}` : '–';
    });
    l.push(`| ${r.label} | ${cells.join(' | ')} |`);
  }
  l.push('');
  l.push('<details><summary>Full probe table (first call, warm p50 / p95 / p99, positions 0-based line:character)</summary>');
  l.push('');
  l.push('| label | probe | position | size | first | p50 | p95 | p99 | warm samples | errors |');
  l.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const p of r.probes) {
      l.push(`| ${r.label} | ${p.name} | ${p.position.line}:${p.position.character} | ${fmt(p.size)} | ${fmt(p.first)} | ${fmt(p.p50)} | ${fmt(p.p95)} | ${fmt(p.p99)} | ${p.samples} | ${p.errors} |`);
    }
  }
  l.push('');
  l.push('</details>');
  l.push('');
  // the issue's targets (defined at 5000 services)
  for (const r of results) {
    if (!Number.isFinite(r.openToDiag) || r.probes.length === 0) {
      l.push(`- ${r.label}: run failed, no numbers (see errors)`);
      continue;
    }
    const reqs = r.probes.filter((p) => ['completion@lbValue', 'completion@lbKeyDot', 'completion@newLabelLine', 'hover@lbKey', 'hover@slbName'].includes(p.name));
    const slowest = reqs.reduce((m, p) => Math.max(m, p.p95), 0);
    const empty = reqs.filter((p) => !(p.size > 0)).map((p) => p.name);
    const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
    if (r.shape === 'merge') {
      // issue #12 part 1 (defined at 1000 services)
      l.push(
        `- ${r.label} targets (issue #12, merge keys, defined at 1000 services): open→diag ≤ 0.5 s: ${mark(r.openToDiag <= 500)}; edit→diag p50 ≤ 30 ms: ${mark(r.editP50 <= 30)}; ` +
          `completion/hover p95 ≤ 5 ms: ${mark(slowest <= 5)} (slowest ${fmt(slowest)}); real answers: ${mark(empty.length === 0)}${empty.length ? ` (empty: ${empty.join(', ')})` : ''}; 0 diagnostics on the valid file: ${mark(r.diags === 0)}`,
      );
      continue;
    }
    if (r.shape === 'findings') {
      // issue #12 part 2 (defined at 5000 services with at least 15k findings)
      l.push(
        `- ${r.label} targets (issue #12, many findings, defined at 5000 services): findings ${fmt(r.diags)}; edit→diag p50 ≤ 30 ms: ${mark(r.editP50 <= 30)}, p95 ≤ 60 ms: ${mark(r.editP95 <= 60)}; ` +
          `open→diag ≤ 1 s: ${mark(r.openToDiag <= 1000)}; peak RSS ≤ 250 MiB: ${mark(r.peakRssMiB <= 250)}; completion/hover p95 ≤ 5 ms: ${mark(slowest <= 5)} (slowest ${fmt(slowest)}); real answers: ${mark(empty.length === 0)}`,
      );
      continue;
    }
    l.push(
      `- ${r.label} targets (issue #2, defined at 5000 services): edit→diag p50 ≤ 30 ms: ${mark(r.editP50 <= 30)}; ` +
        `completion/hover p95 ≤ 5 ms: ${mark(slowest <= 5)} (slowest ${fmt(slowest)}); real answers: ${mark(empty.length === 0)}${empty.length ? ` (empty: ${empty.join(', ')})` : ''}; ` +
        `open→diag < 1 s: ${mark(r.openToDiag < 1000)}; peak RSS < 200 MiB: ${mark(r.peakRssMiB < 200)}; 0 diagnostics on the valid file: ${mark(r.diags === 0)}`,
    );
  }
  for (const r of results) {
    if (r.diags > 0 && r.shape !== 'findings') l.push(`- ${r.label}: ${fmt(r.diags)} diagnostics on the generated (valid) file, e.g. ${r.diagSample.map((d) => `\`${d}\``).join('; ')}`);
  }
  const errs = results.flatMap((r) => r.errors.map((e) => `${r.label}: ${e}`));
  if (errs.length) {
    l.push('');
    l.push('Errors:');
    for (const e of errs) l.push(`- ${e}`);
  }
  return l.join('\n') + '\n';
}

function gitCommit(cwd: string): string {
  try {
    const head = require('child_process').execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return head;
  } catch {
    return 'unknown';
  }
}

export function machineFacts(opts: BenchOptions): string {
  const cpus = os.cpus();
  return [
    `- machine: ${os.availableParallelism ? os.availableParallelism() : cpus.length} CPUs (nproc), ${cpus[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    `- node ${process.version}; repo commit ${gitCommit(opts.cwd)}; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min; other work on the machine skews the numbers)`,
    `- server: \`${opts.server}\`, languageId \`${opts.languageId}\`, initializationOptions \`${JSON.stringify({ diagnosticDelay: 0, ...opts.initializationOptions })}\` (the typing replay: only --init-options, so the default quiet applies)`,
    `- iterations ${opts.iterations ?? 41} per probe (the first one reported apart), ${opts.edits} edits ${opts.editGapMs} ms apart, settle ${opts.settleMs} ms, runs ${opts.runs}${opts.runs > 1 ? ' (latency percentiles over the pooled samples of all runs, other numbers medians)' : ''}, generator seed ${opts.seed}`,
  ].join('\n');
}

// ---------------------------------------------------------------- CLI

const USAGE = `usage: node out/bench/run.js [options]
  --services 1000,5000     sizes (services per generated compose file)
  --shapes clean,merge,findings
                           generated files: clean (valid), merge (anchors, <<, aliased
                           environment; valid), findings (mistakes in a third of the services)
  --iterations N           requests per probe (default 41: one cold call, 40 warm ones)
  --edits N                one-character edits measured (default 10)
  --line-edits N           edits that add or remove a line, measured apart (default 4)
  --push                   declare no pull-diagnostics support (the server then pushes; VS Code's client pulls)
  --runs N                 runs per size; numbers are medians (default 1)
  --server "<cmd>"         server command (default: ${DEFAULT_SERVER})
  --language-id ID         languageId for didOpen (default dockercompose)
  --settle-ms MS           quiet time that ends the open phase (default 1500)
  --edit-gap-ms MS         gap between edits (default 300)
  --timeout-ms MS          per request / per edit timeout (default 30000)
  --seed N                 generator seed (default 42)
  --label NAME             row label prefix (default slb-labels)
  --init-options JSON      merged over {"diagnosticDelay":0}
  --settings JSON          answer to each workspace/configuration item (default {})
  --out FILE               results file to append to (default bench/results.md)
  --no-write               print only, do not append to the results file
  --verbose                show server stderr and log messages
  --no-typing              skip the typing replay (real corpus files typed key by key at 90 ms)
  --typing-only            only the typing replay
`;

async function main(argv: string[]): Promise<number> {
  const opts = defaultOptions();
  let outFile = path.resolve(__dirname, '..', '..', 'bench', 'results.md');
  let write = true;
  let typing = true;
  let sizes = true;
  const args = argv.slice(2);
  const num = (name: string, v: string | undefined, min = 0): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new UsageError(`${name} needs a number ≥ ${min}`);
    return n;
  };
  try {
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      const next = () => args[++k];
      switch (a) {
        case '--services':
          opts.services = (next() ?? '').split(',').map((x) => num('--services', x.trim(), 1));
          break;
        case '--shapes':
          opts.shapes = (next() ?? '').split(',').map((x) => {
            const shape = x.trim() as ComposeShape;
            if (!['clean', 'merge', 'findings'].includes(shape)) throw new UsageError(`--shapes: unknown shape '${x}' (clean, merge, findings)`);
            return shape;
          });
          break;
        case '--iterations':
          opts.iterations = num(a, next(), 1);
          break;
        case '--edits':
          opts.edits = num(a, next(), 0);
          break;
        case '--line-edits':
          opts.lineEdits = num(a, next(), 0);
          break;
        case '--push':
          opts.push = true;
          break;
        case '--runs':
          opts.runs = num(a, next(), 1);
          break;
        case '--server':
          opts.server = next() ?? '';
          break;
        case '--language-id':
          opts.languageId = next() ?? '';
          break;
        case '--settle-ms':
          opts.settleMs = num(a, next());
          break;
        case '--edit-gap-ms':
          opts.editGapMs = num(a, next());
          break;
        case '--timeout-ms':
          opts.timeoutMs = num(a, next(), 1);
          break;
        case '--seed':
          opts.seed = num(a, next());
          break;
        case '--label':
          opts.label = next() ?? opts.label;
          break;
        case '--init-options':
          opts.initializationOptions = JSON.parse(next() ?? '{}');
          break;
        case '--settings':
          opts.settings = JSON.parse(next() ?? 'null');
          break;
        case '--out':
          outFile = path.resolve(next() ?? outFile);
          break;
        case '--no-write':
          write = false;
          break;
        case '--verbose':
          opts.verbose = true;
          break;
        case '--no-typing':
          typing = false;
          break;
        case '--typing-only':
          sizes = false;
          break;
        case '-h':
        case '--help':
          process.stdout.write(USAGE);
          return 0;
        default:
          throw new UsageError(`unknown option '${a}'`);
      }
    }
    if (!opts.server.trim()) throw new UsageError('--server needs a command');
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }

  const [serverExe, ...serverArgs] = splitCommand(opts.server);
  // The script is the first argument that is not a node option (--v8-pool-size=1 and the like).
  const serverScript = serverArgs.find((a) => !a.startsWith('-'));
  if (serverExe === 'node' && serverScript && !fs.existsSync(path.resolve(opts.cwd, serverScript))) {
    process.stderr.write(`bench: ${serverScript} not found (run \`npm run build\` first, or pass --server "<cmd>")\n`);
    return 2;
  }

  const results = sizes ? await runBench(opts) : [];
  let tables = sizes ? formatTables(results) : '';
  if (typing) {
    // The server's own typing quiet is measured: no diagnosticDelay override unless --init-options gives one.
    const typingInit = opts.initializationOptions;
    const report = await runTypingReplay(path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'typing'), {
      server: [serverExe, ...serverArgs],
      cwd: opts.cwd,
      initializationOptions: typingInit,
      // As VS Code's client: pulled when the server offers it (the replay falls back to push otherwise).
      pull: !opts.push,
    });
    tables += '\n' + formatTypingTable(`${opts.label}/typing${opts.push ? '' : ' (pulled)'}`, report, 90, typingInit);
  }
  process.stdout.write('\n' + tables);
  if (write) {
    const what = [sizes ? `${opts.shapes.join(' / ')}, ${opts.services.join(' / ')} services` : '', typing ? 'typing replay' : ''].filter(Boolean).join(', ');
    const section = `\n## ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — ${opts.label}, ${what}\n\n${machineFacts(opts)}\n\n${tables}`;
    if (!fs.existsSync(outFile)) {
      fs.writeFileSync(
        outFile,
        '# Benchmark results\n\nAppended by `npm run bench` (bench/run.ts); inputs from bench/generateCompose.ts. ' +
          'Times are client-side wall clock in ms. Method: lsp-anchors.md section 3.\n',
      );
    }
    fs.appendFileSync(outFile, section);
    process.stderr.write(`bench: appended to ${path.relative(process.cwd(), outFile) || outFile}\n`);
  }
  return results.some((r) => r.errors.length) ? 1 : 0;
}

class UsageError extends Error {}

if (require.main === module) {
  // vscode-jsonrpc 8.2 leaves a rejected promise behind when it writes to a server that died;
  // the death itself is reported by the run, so do not crash on it
  process.on('unhandledRejection', (reason) => {
    const code = (reason as { code?: string })?.code;
    if (code === 'ERR_STREAM_DESTROYED' || code === 'EPIPE') return;
    process.stderr.write(`bench: unhandled rejection: ${(reason as Error)?.stack ?? reason}\n`);
    process.exitCode = 1;
  });
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
