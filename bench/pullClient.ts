// The client side of LSP pull diagnostics, as VS Code's language client (vscode-languageclient 9,
// lib/common/diagnostic.js) does it, for the benchmark, the typing replay and the LSP tests:
// - pull on open and after every change, with the resultId of the list held;
// - one pull in flight per document: a change during a pull cancels it ($/cancelRequest) and pulls
//   again when it returns (an answer that still came is applied, as VS Code applies it);
// - workspace/diagnostic/refresh pulls every open document again;
// - "unchanged" keeps the list held.
import { CancellationTokenSource, MessageConnection } from 'vscode-jsonrpc/node';

export interface PulledDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
  [key: string]: unknown;
}

export interface PullAnswer {
  uri: string;
  /** The document version the pull was sent for. */
  version: number;
  kind: 'full' | 'unchanged';
  /** The list the client holds after the answer. */
  diagnostics: PulledDiagnostic[];
}

interface DocumentPullState {
  version: number;
  resultId?: string;
  diagnostics: PulledDiagnostic[];
  inFlight?: { source: CancellationTokenSource; again: boolean };
}

/** The client capabilities that make a server pull-capable: add them to `initialize`. */
export const PULL_CAPABILITIES = {
  textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
  workspace: { diagnostics: { refreshSupport: true } },
} as const;

export class PullClient {
  private readonly documents = new Map<string, DocumentPullState>();
  /** Pulls answered with an error other than a cancellation (a test asserts none). */
  readonly errors: string[] = [];
  refreshes = 0;

  constructor(
    private readonly connection: MessageConnection,
    private readonly onAnswer: (answer: PullAnswer) => void,
  ) {
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      for (const uri of this.documents.keys()) this.pull(uri);
      return null;
    });
  }

  /** Call after each didOpen / didChange / didClose notification was sent. */
  sent(method: string, params: { textDocument: { uri: string; version?: number } }): void {
    const { uri, version } = params.textDocument;
    if (method === 'textDocument/didClose') {
      this.documents.get(uri)?.inFlight?.source.cancel();
      this.documents.delete(uri);
      return;
    }
    if (method !== 'textDocument/didOpen' && method !== 'textDocument/didChange') return;
    const state = this.documents.get(uri) ?? { version: version ?? 0, diagnostics: [] };
    state.version = version ?? state.version;
    this.documents.set(uri, state);
    this.pull(uri);
  }

  pull(uri: string): void {
    const state = this.documents.get(uri);
    if (!state) return;
    if (state.inFlight) {
      state.inFlight.source.cancel();
      state.inFlight.again = true;
      return;
    }
    const version = state.version;
    const inFlight = { source: new CancellationTokenSource(), again: false };
    state.inFlight = inFlight;
    this.connection
      .sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: state.resultId }, inFlight.source.token)
      .then(
        (report) => {
          const r = report as { kind: 'full' | 'unchanged'; resultId?: string; items?: PulledDiagnostic[] };
          if (this.documents.get(uri) !== state) return; // closed meanwhile
          if (r.kind === 'full') state.diagnostics = r.items ?? [];
          state.resultId = r.resultId;
          this.onAnswer({ uri, version, kind: r.kind, diagnostics: state.diagnostics });
        },
        (error: { code?: number; message?: string }) => {
          // -32800 RequestCancelled / -32802 ServerCancelled: the newer pull follows.
          if (error?.code !== -32800 && error?.code !== -32802) this.errors.push(`${uri} v${version}: ${error?.message ?? String(error)}`);
        },
      )
      .finally(() => {
        inFlight.source.dispose();
        if (state.inFlight === inFlight) state.inFlight = undefined;
        if (inFlight.again && this.documents.get(uri) === state) this.pull(uri);
      });
  }
}
