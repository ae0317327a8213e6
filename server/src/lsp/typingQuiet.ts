// Quiet while typing: the line being typed gets no diagnostics until the user pauses on it.
//
// Why in the server: every LSP client gets it, not only VS Code. A half-typed line (`  p`, a front
// port `8` on its way to `8080`) is wrong on almost every key; showing that is noise. Other lines
// keep their fast updates: validation still runs on every edit, and only diagnostics that touch the
// typed lines are held back. When no key has come for `quietMs`, the held diagnostics are published.
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { DiagnosticList } from './diagnosticList';

/** A document's diagnostics to show (publishDiagnostics' params, the list as the main thread holds it). */
export interface DiagnosticsToShow {
  uri: string;
  version?: number;
  diagnostics: DiagnosticList;
}

interface TypedLines {
  first: number;
  last: number;
  /** When the last key on these lines arrived (ms, monotonic clock). */
  at: number;
}

/** A change that inserts more lines than this is a paste or a fix, not typing: it is shown at once. */
const MAX_TYPED_LINES = 2;

export class TypingQuiet {
  private readonly typed = new Map<string, TypedLines>();

  constructor(
    /** The `aliyunSlbLabels.diagnosticDelay` setting; 0 turns the quiet off. */
    private readonly quietMs: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Remembers which lines this edit touched (in the new text's line numbers). */
  edited(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    let first = Infinity;
    let last = -Infinity;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        this.typed.delete(uri); // the whole text replaced: not typing
        return;
      }
      const breaks = change.text.match(/\r\n|\r|\n/g)?.length ?? 0;
      const start = change.range.start.line;
      first = Math.min(first, start);
      last = Math.max(last, start + breaks);
    }
    if (!Number.isFinite(first) || last - first + 1 > MAX_TYPED_LINES) {
      this.typed.delete(uri);
      return;
    }
    this.typed.set(uri, { first, last, at: this.now() });
  }

  forget(uri: string): void {
    this.typed.delete(uri);
  }

  /**
   * The diagnostics to publish now, and (when some are held back) in how many ms the full list
   * may be published: the moment the typed lines have been left alone for the quiet time.
   */
  filter(uri: string, given: DiagnosticList | readonly Diagnostic[]): { diagnostics: DiagnosticList; releaseInMs?: number } {
    const diagnostics = DiagnosticList.from(given);
    const quietMs = this.quietMs();
    const typed = this.typed.get(uri);
    if (!typed || quietMs <= 0) return { diagnostics };
    const remaining = typed.at + quietMs - this.now();
    const shown = diagnostics.without((startLine, _startChar, endLine, endChar) => touches(startLine, endLine, endChar, typed));
    if (shown === diagnostics) {
      if (remaining <= 0) this.typed.delete(uri);
      return { diagnostics };
    }
    // Even when the quiet time is over, the typed lines' part goes out through the release (after
    // any key already waiting to be read), never straight from a late validation result.
    return { diagnostics: shown, releaseInMs: Math.max(0, Math.ceil(remaining)) };
  }

  /** The pause happened: nothing is held for this document any more. */
  paused(uri: string): void {
    this.typed.delete(uri);
  }
}

function touches(startLine: number, endLine: number, endChar: number, typed: TypedLines): boolean {
  // A range that ends at column 0 of the next line ends on the line before it.
  const lastLine = endChar === 0 && endLine > startLine ? endLine - 1 : endLine;
  return startLine <= typed.last && lastLine >= typed.first;
}

/**
 * Publishes a document's diagnostics through the typing quiet: the full list is kept, the typed
 * lines' part is held back, and published once the user pauses (if no newer version replaced it).
 */
export class QuietPublisher {
  readonly typing: TypingQuiet;
  private readonly latest = new Map<string, { version: number; diagnostics: DiagnosticList }>();
  private readonly releases = new Map<string, NodeJS.Timeout>();

  constructor(
    /** `afterPause`: the typed lines' held part, published because the user paused. */
    private readonly send: (params: DiagnosticsToShow, afterPause?: boolean) => void,
    /** The document's current version, undefined once it is closed. */
    private readonly currentVersion: (uri: string) => number | undefined,
    quietMs: () => number,
    now?: () => number,
  ) {
    this.typing = new TypingQuiet(quietMs, now);
  }

  edited(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    this.typing.edited(uri, changes);
  }

  publish(uri: string, version: number, given: DiagnosticList | readonly Diagnostic[]): void {
    const diagnostics = DiagnosticList.from(given);
    this.latest.set(uri, { version, diagnostics });
    const shown = this.typing.filter(uri, diagnostics);
    this.send({ uri, version, diagnostics: shown.diagnostics });
    const pending = this.releases.get(uri);
    if (pending) clearTimeout(pending);
    this.releases.delete(uri);
    // After a stall (a loaded machine) the timer and the next key can both be due: Node runs timers
    // before it reads input, and the JSON-RPC layer dispatches what it read on setImmediate, ONE
    // message per loop turn (vscode-jsonrpc's processMessageQueue). A few setImmediate hops let keys
    // that already arrived behind other messages (a stall leaves a backlog) bump the version first,
    // so they are not mistaken for a pause. Each hop is one idle loop turn (microseconds).
    if (shown.releaseInMs !== undefined) this.releases.set(uri, setTimeout(() => afterQueuedInput(() => this.release(uri)), shown.releaseInMs));
  }

  /** The full list last published for the document (with what is held back): code actions find fixes in it. */
  latestDiagnostics(uri: string): DiagnosticList | undefined {
    return this.latest.get(uri)?.diagnostics;
  }

  /** Closed (or validation off): nothing is held for it any more. */
  clear(uri: string, send = true): void {
    const pending = this.releases.get(uri);
    if (pending) clearTimeout(pending);
    this.releases.delete(uri);
    this.latest.delete(uri);
    this.typing.forget(uri);
    if (send) this.send({ uri, diagnostics: DiagnosticList.EMPTY });
  }

  private release(uri: string): void {
    this.releases.delete(uri);
    const latest = this.latest.get(uri);
    // A newer version is being validated: its own publish comes after the pause.
    if (!latest || this.currentVersion(uri) !== latest.version) return;
    this.typing.paused(uri);
    this.send({ uri, version: latest.version, diagnostics: latest.diagnostics }, true);
  }
}

/** Loop turns the release waits after its timer: room for this many messages already read but not yet dispatched. */
const QUEUED_INPUT_HOPS = 8;

function afterQueuedInput(run: () => void, hops = QUEUED_INPUT_HOPS): void {
  setImmediate(() => (hops <= 1 ? run() : afterQueuedInput(run, hops - 1)));
}
