/**
 * The floor of push diagnostics: a server that analyses the file once, on open, and then answers
 * every edit by publishing the same diagnostics again, with no analysis at all. What the benchmark
 * measures for it is what LSP's push model alone costs at that many diagnostics on this machine:
 * the server writing the whole list (through the same encoder as the real server) and the client
 * reading and parsing it. No server can publish 15k diagnostics faster than this; the real
 * server's edit → diagnostics minus this floor is the part that analysis and bookkeeping cost.
 *
 *   node out/bench/run.js --server "node out/bench/publishFloor.js --stdio" --label floor --shapes findings --no-write
 */
import { createConnection, Diagnostic, ProposedFeatures, StreamMessageWriter, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { ComposeAnalyzer } from '../server/src/engine/analysis';
import { toDiagnostics } from '../server/src/engine/features/diagnostics';
import { textOf } from '../server/src/engine/text';
import { diagnosticsJsonEncoder } from '../server/src/lsp/diagnosticWire';
import { DiagnosticList } from '../server/src/lsp/diagnosticList';

const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: diagnosticsJsonEncoder });
const connection = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
const published = new Map<string, DiagnosticList>();

connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
connection.onDidOpenTextDocument(({ textDocument }) => {
  const findings = new ComposeAnalyzer().analyze(textDocument.text).findings;
  // Held as the real server holds a list (lsp/diagnosticList.ts): publishes copy its bytes.
  const diagnostics = DiagnosticList.of(toDiagnostics(textOf(textDocument.text), findings, textDocument.uri, true));
  published.set(textDocument.uri, diagnostics);
  void connection.sendDiagnostics({ uri: textDocument.uri, version: textDocument.version, diagnostics: diagnostics as unknown as Diagnostic[] });
});
connection.onDidChangeTextDocument(({ textDocument }) => {
  void connection.sendDiagnostics({ uri: textDocument.uri, version: textDocument.version, diagnostics: (published.get(textDocument.uri) ?? DiagnosticList.EMPTY) as unknown as Diagnostic[] });
});
// The benchmark's probes get empty answers: only the publishes are of interest here.
connection.onCompletion(() => []);
connection.onHover(() => null);
connection.listen();
