// Validation runs here, on its own thread, so completion and hover on the main thread never wait
// for it. One ComposeAnalyzer per document keeps that document's parse cache and cross-service index.
import { readlinkSync } from 'fs';
import { constants as osConstants, setPriority } from 'os';
import { getHeapSpaceStatistics } from 'v8';
import { parentPort, workerData } from 'worker_threads';
import { LineDocument } from '../engine/lineDocument';
import { Analysis, ComposeAnalyzer, YamlSyntaxErrorMode } from '../engine/analysis';
import type { Finding } from '../engine/rules/types';
import { pushAll } from '../engine/arrays';
import { extendsFilesFor } from '../engine/compose/extends';
import { toDiagnostics } from '../engine/features/diagnostics';
import { getLocale, Locale, setLocale } from '../engine/i18n';
import type { ValidationReply, ValidationRequest } from './validationHost';
import type { UnitCross, UnitSummary } from '../engine/rules/crossServiceRules';
import { Diagnostic } from 'vscode-languageserver';
import { diffDiagnostics, LineEdit, lineEditOf, mapDiagnostic, mapLineStart } from './diagnosticDelta';
import { exposedGc } from './youngGeneration';
import { packList } from './diagnosticList';
import { ManifestAnalyzer } from '../engine/k8s/analyze';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { maxTextLength } from '../engine/analysisLimits';

const analyzers = new Map<string, ComposeAnalyzer>();
/** Kubernetes manifests (detected by content) are validated by the k8s engine instead. */
const manifestAnalyzers = new Map<string, ManifestAnalyzer>();
/** Shared with the host's watchdog (see PROGRESS_SLOTS): which analysis runs, and where it is. */
const progress: Int32Array | undefined = (workerData as { progress?: Int32Array } | undefined)?.progress;
/**
 * The worker's own copy of each open document, kept in step by the edits the main thread forwards.
 * The same class as the main thread's store, so both apply an edit identically (TextDocument.update
 * miscounts lines for a range past the last line, and the copies would drift apart).
 */
const documents = new Map<string, LineDocument>();
/** Last SLB uses sent per document: the main thread's SLB index is refreshed only when they change. */
const lastSummaries = new Map<string, { summaries: UnitSummary[]; usesVersion: number }>();
/**
 * The diagnostics last sent per document and the edits since (undefined: an edit that cannot be
 * followed line-wise, so the next result is sent whole). See diagnosticDelta.ts.
 */
const lastSent = new Map<string, { id: number; diagnostics: Diagnostic[]; edits: LineEdit[] | undefined }>();

export function handleValidationMessage(message: ValidationRequest): ValidationReply | undefined {
  if (message.type === 'close') {
    analyzers.delete(message.uri);
    manifestAnalyzers.delete(message.uri);
    documents.delete(message.uri);
    lastSummaries.delete(message.uri);
    lastSent.delete(message.uri);
    return undefined;
  }
  if (message.type === 'open') {
    documents.set(message.uri, new LineDocument(message.uri, 'dockercompose', message.version, message.text));
    lastSent.delete(message.uri);
    return undefined;
  }
  if (message.type === 'change') {
    const document = documents.get(message.uri);
    if (document) document.update(message.changes, message.version);
    const sent = lastSent.get(message.uri);
    if (sent?.edits) {
      for (const change of message.changes) {
        const edit = lineEditOf(change);
        if (!edit) {
          sent.edits = undefined;
          break;
        }
        sent.edits.push(edit);
      }
    }
    return undefined;
  }
  const doc = documents.get(message.uri);
  if (!doc) return { type: 'error', id: message.id, uri: message.uri, version: message.version, error: `document ${message.uri} is not open in the validation worker` };
  if (message.locale !== getLocale()) {
    setLocale(message.locale as Locale);
    for (const analyzer of analyzers.values()) analyzer.clear();
  }
  // Over the size limit the compose path reports the limit, whatever the file holds.
  if ((message.kubernetes ?? looksLikeKubernetes(doc.getText())) && doc.length <= maxTextLength()) {
    let manifests = manifestAnalyzers.get(message.uri);
    if (!manifests) manifestAnalyzers.set(message.uri, (manifests = new ManifestAnalyzer()));
    const { findings } = manifests.analyze(doc.getText(), { yamlSyntaxErrors: message.yamlSyntaxErrors as YamlSyntaxErrorMode, locale: message.locale });
    lastSent.delete(message.uri); // sent whole: the next compose result is whole too
    return { type: 'result', id: message.id, uri: message.uri, version: doc.version, diagnostics: toDiagnostics(doc, findings, message.uri, message.relatedInformation), slbUsesVersion: message.knownSlbUsesVersion ?? 0 };
  }
  let analyzer = analyzers.get(message.uri);
  if (!analyzer) analyzers.set(message.uri, (analyzer = new ComposeAnalyzer({ keepServiceModels: false })));
  if (progress) {
    Atomics.store(progress, 0, message.id);
    Atomics.store(progress, 1, 0);
  }
  // The document itself, not its text: an edit is analysed from the lines around it (no 3 MB string per keystroke).
  const analysis = analyzer.analyze(doc, {
    env: message.env ? new Map(message.env) : undefined,
    files: message.filePath ? extendsFilesFor(message.filePath) : undefined,
    yamlSyntaxErrors: message.yamlSyntaxErrors as YamlSyntaxErrorMode,
    timeBudgetMs: message.budgetMs,
    onProgress: progress ? (offset) => Atomics.store(progress, 1, offset) : undefined,
  });
  // Cloning 10k bindings per keystroke is not free: send them only when someone needs them.
  const previous = lastSummaries.get(message.uri);
  const current = analysis.unitSummaries;
  const usesChanged = !previous || !sameUses(previous.summaries, current);
  const usesVersion = (previous?.usesVersion ?? 0) + (usesChanged ? 1 : 0);
  lastSummaries.set(message.uri, { summaries: current, usesVersion });
  // Sent whenever the main thread's copy is older (a result it dropped as stale may have carried them).
  const sendUses = message.knownSlbUsesVersion !== usesVersion;
  const sent = lastSent.get(message.uri);
  const moved = new Map<Diagnostic, Diagnostic>();
  const diagnostics = analysis.parts ? diagnosticsOfParts(doc, analysis, message.uri, message.relatedInformation, message.id, sent, moved) : toDiagnostics(doc, analysis.findings, message.uri, message.relatedInformation);
  // Only what changed, when the main thread holds the list this worker sent last.
  const delta = sent?.edits && message.knownDiagnosticsId === sent.id ? diffDiagnostics(sent.diagnostics, diagnostics, sent.edits, message.uri, sent.id, moved) : undefined;
  lastSent.set(message.uri, { id: message.id, diagnostics, edits: [] });
  return {
    type: 'result',
    id: message.id,
    uri: message.uri,
    version: doc.version,
    diagnostics: delta ? [] : diagnostics,
    diagnosticsDelta: delta,
    bindings: message.wantBindings ? analysis.bindings : undefined,
    slbUses: sendUses ? analysis.slbUses() : undefined,
    slbUsesVersion: usesVersion,
  };
}

/**
 * The diagnostics of a unit's cached findings, by the findings array (the same array while the
 * unit's text and rules are unchanged) and the line the unit starts on: a keystroke re-renders the
 * service it is in, not the 15k findings of the file.
 */
const renderedUnits = new WeakMap<Finding[], Rendering & { startLine: number }>();
/**
 * The same for a unit's cross-service findings, by their object (the same while they are unchanged)
 * and the first lines of the units they point into.
 */
const renderedCross = new WeakMap<UnitCross, Rendering & { lines: number[] }>();

interface Rendering {
  uri: string;
  relatedInformation: boolean;
  diagnostics: Diagnostic[];
  /** The result that sent these diagnostics last. */
  sentIn: number;
}

function diagnosticsOfParts(doc: LineDocument, analysis: Analysis, uri: string, relatedInformation: boolean, id: number, sent: { id: number; edits: LineEdit[] | undefined } | undefined, moved: Map<Diagnostic, Diagnostic>): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A unit whose findings are unchanged but which moved (lines added or removed above it): the
  // diagnostics sent last, moved through the edits since, as the main thread moves its copy. Each
  // points at characters the edits left alone, so it is what rendering it again would give.
  const movedSince = (rendered: Rendering, lines: { from: number; to: number }[]): Diagnostic[] | undefined => {
    if (!sent?.edits || rendered.sentIn !== sent.id || rendered.uri !== uri || rendered.relatedInformation !== relatedInformation) return undefined;
    for (const { from, to } of lines) if (mapLineStart(from, sent.edits) !== to) return undefined;
    const result: Diagnostic[] = [];
    for (const d of rendered.diagnostics) {
      const m = mapDiagnostic(d, sent.edits, uri);
      if (!m) return undefined;
      if (m !== d) moved.set(m, d);
      result.push(m);
    }
    return result;
  };
  for (const part of analysis.parts!) {
    if ('placed' in part) {
      pushAll(out, toDiagnostics(doc, part.placed, uri, relatedInformation));
      continue;
    }
    if (part.relative.length > 0) {
      let rendered = renderedUnits.get(part.relative);
      if (!rendered || rendered.startLine !== part.startLine || rendered.uri !== uri || rendered.relatedInformation !== relatedInformation) {
        const diagnostics = (rendered && movedSince(rendered, [{ from: rendered.startLine, to: part.startLine }])) ?? toDiagnostics(doc, analysis.placePart!(part), uri, relatedInformation);
        rendered = { startLine: part.startLine, uri, relatedInformation, diagnostics, sentIn: id };
        renderedUnits.set(part.relative, rendered);
      }
      rendered.sentIn = id;
      pushAll(out, rendered.diagnostics);
    }
    if (part.cross) {
      const cross = part.cross;
      const cacheable = analysis.crossCacheable!(cross);
      let rendered = cacheable ? renderedCross.get(cross) : undefined;
      if (!rendered || !sameLines(rendered.lines, cross.refs, analysis.crossLineOf!) || rendered.uri !== uri || rendered.relatedInformation !== relatedInformation) {
        const lines = cross.refs.map(analysis.crossLineOf!);
        const diagnostics = (rendered && movedSince(rendered, lines.map((to, k) => ({ from: rendered!.lines[k], to })))) ?? toDiagnostics(doc, analysis.placeCross!(cross), uri, relatedInformation);
        rendered = { lines, uri, relatedInformation, diagnostics, sentIn: id };
        if (cacheable) renderedCross.set(cross, rendered);
      }
      rendered.sentIn = id;
      pushAll(out, rendered.diagnostics);
    }
  }
  return out;
}

/** The same SLB uses, unit by unit (a summary object is the same uses; a new one is compared). */
function sameUses(before: UnitSummary[], now: UnitSummary[]): boolean {
  if (before.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (now[i] !== before[i] && now[i].usesKey !== before[i].usesKey) return false;
  return true;
}

/** Are the units a rendering points into still on the lines it was rendered with? */
function sameLines(lines: number[], refs: readonly UnitSummary[], lineOf: (unit: UnitSummary) => number): boolean {
  if (lines.length !== refs.length) return false;
  for (let i = 0; i < lines.length; i++) if (lines[i] !== lineOf(refs[i])) return false;
  return true;
}

/**
 * What the worker does once a result is sent, while it waits for the next message: collect garbage
 * when enough has built up. (Its analyzers drop their service models as they go.)
 */
export function afterAnalysis(): boolean {
  return collectWhenIdle();
}

/**
 * Opening a big file leaves a hundred megabytes of garbage, and every keystroke a megabyte or so
 * that outlives it (the last result and its document state are kept until the next). Left to
 * itself V8 collects them with a full collection in the middle of some later keystroke's analysis
 * (a 50 to 150 ms stall on a 5000-service file, every twenty-odd keystrokes). Collected here
 * instead, once the old generation has grown by COLLECT_AFTER_GROWTH since the last full
 * collection (less than V8 lets it grow), V8's own limit is not reached while typing.
 */
/** The old generation (everything but the young one) after the last full collection, V8's or ours. */
let oldAfterCollection = 0;
let oldBefore = 0;
const COLLECT_AFTER_GROWTH = 20 * 1024 * 1024;
/** True when it collected. */
function collectWhenIdle(): boolean {
  const old = () => getHeapSpaceStatistics().reduce((sum, space) => (space.space_name === 'new_space' || space.space_name === 'new_large_object_space' ? sum : sum + space.space_used_size), 0);
  const now = old();
  // Only a full collection makes the old generation smaller: V8 did one since the last result.
  if (now < oldBefore) oldAfterCollection = now;
  oldBefore = now;
  if (now - oldAfterCollection < COLLECT_AFTER_GROWTH) return false;
  try {
    exposedGc()?.(); // where `gc` cannot be had, V8 collects on its own schedule
  } catch {
    // likewise
  }
  oldAfterCollection = oldBefore = old();
  return true;
}

/**
 * Validation is background work: on a small machine it must not take a core from the editor's
 * requests (completion arrives in the same instant as the edit that starts a validation) or from
 * the editor itself. On Linux a thread has its own nice value, so this thread alone is lowered.
 * Elsewhere, or where procfs is missing, it keeps normal priority.
 */
export function lowerThreadPriority(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0 || threadId === process.pid) return undefined;
    setPriority(threadId, osConstants.priority.PRIORITY_BELOW_NORMAL);
    return threadId;
  } catch {
    return undefined;
  }
}

/**
 * The `yaml` package reads `process.env.LOG_TOKENS` once per token it parses (parse/parser.js,
 * `next`), and `process.env` is an interceptor that asks the C++ side on every read: about 150 ns
 * per read in a worker, a quarter of the parse of a big file. A worker's environment is its own
 * copy anyway (worker_threads), so a plain object with the same values reads the same, ~10x faster.
 */
export function plainProcessEnv(): void {
  if (Object.getPrototypeOf(process.env) === Object.prototype) return;
  process.env = { ...process.env };
}

/**
 * From this many diagnostics on, a whole list crosses to the main thread packed as the main thread
 * keeps it (lsp/diagnosticList.ts): wire JSON in one transferred buffer, ranges in typed arrays,
 * fixes as text. Reading 15k diagnostics back from V8's structured clone took the main thread
 * 150-170 ms, JSON.parse of the same list 60-80 ms plus a 100 ms collection of the objects it made;
 * the packed list makes no objects there.
 */
const WHOLE_LIST_PACKED_FROM = 1000;

function forTransfer(reply: ValidationReply): { message: ValidationReply; transfer: ArrayBuffer[] } {
  if (reply.type !== 'result' || reply.diagnostics.length < WHOLE_LIST_PACKED_FROM) return { message: reply, transfer: [] };
  const packed = packList(reply.diagnostics);
  return { message: { ...reply, diagnostics: [], diagnosticsPacked: packed }, transfer: [packed.wire.buffer as ArrayBuffer, packed.offsets.buffer as ArrayBuffer, packed.positions.buffer as ArrayBuffer, packed.fixOffsets.buffer as ArrayBuffer] };
}

if (parentPort) {
  const port = parentPort;
  plainProcessEnv();
  lowerThreadPriority();
  port.on('message', (message: ValidationRequest) => {
    try {
      if (message.type === 'analyze') port.postMessage({ type: 'started', id: message.id, uri: message.uri });
      const result = handleValidationMessage(message);
      if (result) {
        const { message: reply, transfer } = forTransfer(result);
        port.postMessage(reply, transfer);
      }
      if (message.type === 'analyze') {
        afterAnalysis();
      }
    } catch (error) {
      if (message.type === 'analyze') port.postMessage({ type: 'error', id: message.id, uri: message.uri, version: message.version, error: (error as Error)?.stack ?? String(error) });
    }
  });
}
