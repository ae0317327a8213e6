// Pull diagnostics (LSP 3.17 `textDocument/diagnostic`), used when the client supports them, as
// VS Code's language client does.
//
// Why: with push, every validation re-sends a document's whole list. A file with 15k findings is
// 6 MB of JSON per keystroke, and the client parses all of it, even when the keystroke changed no
// finding (bench/publishFloor.ts measured that floor: 55 ms per edit). With pull, the client sends
// the resultId of the list it holds, and an unchanged list is answered "unchanged" in a few bytes.
//
// The validation path stays the same: the typing quiet (lsp/typingQuiet.ts) decides what is shown,
// and hands it here instead of to publishDiagnostics. This module keeps the shown list per document
// with a resultId that changes only when the list does, answers the client's pulls for the current
// version, and asks the client to pull again (workspace/diagnostic/refresh) when a list changed
// without a pull to carry it: the typed line's part after the pause, online findings from the
// cloud, another file's change.
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { CancellationToken, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver';
import { DiagnosticList } from './diagnosticList';
import type { DiagnosticsToShow } from './typingQuiet';

/** The longest a pull waits for the validation of the version it asks about. */
export const PULL_WAIT_LIMIT_MS = 20_000;
/**
 * A list that changed while the client had not yet pulled that version (the pull that follows the
 * edit is on its way): how long to wait for that pull before asking for a refresh.
 */
export const PULL_GRACE_MS = 100;

interface ShownList {
  version: number | undefined;
  diagnostics: DiagnosticList;
  resultId: string;
  /** The typed lines' part, held until the pause (lsp/typingQuiet.ts): said in the trace. */
  afterPause: boolean;
}

interface Waiter {
  version: number;
  wake: () => void;
}

export interface PullDeps {
  /** The document's current version; undefined when it is not open. */
  currentVersion(uri: string): number | undefined;
  /** A validation of the document is scheduled, running or queued. */
  validating(uri: string): boolean;
  /** Sends workspace/diagnostic/refresh (the client pulls its visible documents again). */
  refresh(): void;
  /** A line for the LSP trace: when an answer left, and what it carried. */
  trace(uri: string, version: number | undefined, answer: string): void;
}

export class DiagnosticReports {
  private readonly shown = new Map<string, ShownList>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** The version of the last pull the client sent for each document. */
  private readonly pulledVersion = new Map<string, number>();
  /** Documents whose shown list changed after the client's last answer for them. */
  private readonly undelivered = new Set<string>();
  private nextResultId = 1;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshDue = Infinity;

  constructor(
    private readonly deps: PullDeps,
    private readonly limits = { waitMs: PULL_WAIT_LIMIT_MS, graceMs: PULL_GRACE_MS },
  ) {}

  /** The sink of the quiet publisher in pull mode: the list to show for this document now. */
  store(params: DiagnosticsToShow | { uri: string; version?: number; diagnostics: readonly Diagnostic[] }, afterPause = false): void {
    const { uri, version } = params;
    const diagnostics = DiagnosticList.from(params.diagnostics);
    const previous = this.shown.get(uri);
    // Same items on the wire, in the same order (`data`, the fixes, is not on the wire).
    const unchanged = previous !== undefined && previous.diagnostics.sameOnWire(diagnostics);
    const resultId = unchanged ? previous.resultId : String(this.nextResultId++);
    this.shown.set(uri, { version, diagnostics, resultId, afterPause: afterPause && !unchanged });
    const woken = this.wake(uri, version);
    // A woken pull carries this list; a pull still waiting (for a newer version) carries a newer one.
    if (unchanged || woken || this.waiters.has(uri)) return;
    this.undelivered.add(uri);
    // The pull for this version is on its way (the client pulls after each change): give it a
    // moment to carry the list. Otherwise (the pause release, cloud findings) ask at once.
    const pullExpected = version !== undefined && (this.pulledVersion.get(uri) ?? -1) < version;
    this.scheduleRefresh(pullExpected ? this.limits.graceMs : 0);
  }

  /** The validation of `version` ended (with a list or without one, e.g. after an error): stop waiting for it. */
  validated(uri: string, version: number): void {
    this.wake(uri, version);
  }

  /** Closed: the client drops its own copy. */
  forget(uri: string): void {
    this.shown.delete(uri);
    this.pulledVersion.delete(uri);
    this.undelivered.delete(uri);
    this.wake(uri, undefined);
  }

  /** Answers `textDocument/diagnostic`: the current version's list, or "unchanged". */
  async report(uri: string, previousResultId: string | undefined, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const version = this.deps.currentVersion(uri);
    if (version === undefined) return { kind: 'full', items: [] }; // not open here: nothing to say
    this.pulledVersion.set(uri, Math.max(version, this.pulledVersion.get(uri) ?? -1));
    const deadline = performance.now() + this.limits.waitMs;
    // Woken without this version's list (a validation replaced by a newer one, or one that failed):
    // wait on while another validation of the document is coming, never past the limit.
    for (let wakes = 0; wakes < 100; wakes++) {
      const current = this.shown.get(uri);
      if (current && (current.version === undefined || current.version >= version)) break;
      if (token.isCancellationRequested || performance.now() >= deadline) break;
      if (wakes > 0 && !this.deps.validating(uri)) break;
      await this.until(uri, version, token, deadline - performance.now());
    }
    // The client cancelled (a newer edit came): it pulls again for the newer version.
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, `the pull for version ${version} was cancelled`);
    const list = this.shown.get(uri);
    // Not validated within the limit (or validation failed): say nothing now; the list comes with a refresh.
    if (!list) return { kind: 'full', items: [] };
    this.undelivered.delete(uri);
    if (previousResultId !== undefined && previousResultId === list.resultId) {
      this.deps.trace(uri, list.version, 'unchanged');
      return { kind: 'unchanged', resultId: list.resultId };
    }
    this.deps.trace(uri, list.version, `${list.diagnostics.length} sent${list.afterPause ? ' after the typing pause' : ''}`);
    // The list as it is: the JSON encoder copies its bytes (lsp/diagnosticWire.ts), and any other
    // transport serializes it through its toJSON. Fixes stay here: the client gets them through code actions.
    return { kind: 'full', resultId: list.resultId, items: list.diagnostics as unknown as Diagnostic[] };
  }

  /** The full list shown for a document (what its last answer carried or will carry). */
  shownDiagnostics(uri: string): DiagnosticList | undefined {
    return this.shown.get(uri)?.diagnostics;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const uri of [...this.waiters.keys()]) this.wake(uri, undefined);
  }

  private until(uri: string, version: number, token: CancellationToken, limitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        cancelListener.dispose();
        const list = this.waiters.get(uri);
        if (list) {
          const at = list.indexOf(waiter);
          if (at >= 0) list.splice(at, 1);
          if (list.length === 0) this.waiters.delete(uri);
        }
        resolve();
      };
      const waiter: Waiter = { version, wake: finish };
      const timer = setTimeout(finish, Math.max(0, limitMs));
      const cancelListener = token.onCancellationRequested(finish);
      const list = this.waiters.get(uri) ?? [];
      list.push(waiter);
      this.waiters.set(uri, list);
    });
  }

  /** Wakes the pulls waiting for `version` or older (all of them when undefined); true if any was woken. */
  private wake(uri: string, version: number | undefined): boolean {
    const list = this.waiters.get(uri);
    if (!list) return false;
    const due = list.filter((w) => version === undefined || w.version <= version);
    for (const waiter of due) waiter.wake();
    return due.length > 0;
  }

  private scheduleRefresh(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.refreshTimer && due >= this.refreshDue) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshDue = due;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshDue = Infinity;
      // Only when a list is still waiting for its answer: a pull that came meanwhile carried it.
      if (this.undelivered.size === 0) return;
      // One refresh per change: a document the client does not pull (not visible) is not asked about again and again.
      this.undelivered.clear();
      this.deps.refresh();
    }, delayMs);
  }
}
