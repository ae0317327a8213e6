// Validation runs here, on its own thread, so completion and hover on the main thread never wait
// for it. One ComposeAnalyzer per document keeps that document's parse cache and cross-service index.
import { parentPort } from 'worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ComposeAnalyzer, YamlSyntaxErrorMode } from '../engine/analysis';
import { toDiagnostics } from '../engine/features/diagnostics';
import { getLocale, Locale, setLocale } from '../engine/i18n';
import type { ValidationReply, ValidationRequest } from './validationHost';
import type { UnitSummary } from '../engine/rules/crossServiceRules';

const analyzers = new Map<string, ComposeAnalyzer>();
/** The worker's own copy of each open document, kept in step by the edits the main thread forwards. */
const documents = new Map<string, TextDocument>();
/** Last SLB uses sent per document: the main thread's SLB index is refreshed only when they change. */
const lastSummaries = new Map<string, UnitSummary[]>();

export function handleValidationMessage(message: ValidationRequest): ValidationReply | undefined {
  if (message.type === 'close') {
    analyzers.delete(message.uri);
    documents.delete(message.uri);
    lastSummaries.delete(message.uri);
    return undefined;
  }
  if (message.type === 'open') {
    documents.set(message.uri, TextDocument.create(message.uri, 'dockercompose', message.version, message.text));
    return undefined;
  }
  if (message.type === 'change') {
    const document = documents.get(message.uri);
    if (document) TextDocument.update(document, message.changes, message.version);
    return undefined;
  }
  const doc = documents.get(message.uri);
  if (!doc) return { type: 'error', id: message.id, uri: message.uri, version: message.version, error: `document ${message.uri} is not open in the validation worker` };
  const text = doc.getText();
  if (message.locale !== getLocale()) {
    setLocale(message.locale as Locale);
    for (const analyzer of analyzers.values()) analyzer.clear();
  }
  let analyzer = analyzers.get(message.uri);
  if (!analyzer) analyzers.set(message.uri, (analyzer = new ComposeAnalyzer()));
  const analysis = analyzer.analyze(text, { env: message.env ? new Map(message.env) : undefined, yamlSyntaxErrors: message.yamlSyntaxErrors as YamlSyntaxErrorMode });
  // Cloning 10k bindings per keystroke is not free: send them only when someone needs them.
  const previous = lastSummaries.get(message.uri);
  const current = analysis.unitSummaries;
  const usesChanged = !previous || previous.length !== current.length || current.some((s, i) => s !== previous[i] && s.usesKey !== previous[i].usesKey);
  lastSummaries.set(message.uri, current);
  return {
    type: 'result',
    id: message.id,
    uri: message.uri,
    version: doc.version,
    diagnostics: toDiagnostics(doc, analysis.findings, message.uri, message.relatedInformation),
    bindings: message.wantBindings ? analysis.bindings : undefined,
    slbUses: usesChanged ? analysis.slbUses() : undefined,
  };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (message: ValidationRequest) => {
    try {
      const result = handleValidationMessage(message);
      if (result) port.postMessage(result);
    } catch (error) {
      if (message.type === 'analyze') port.postMessage({ type: 'error', id: message.id, uri: message.uri, version: message.version, error: (error as Error)?.stack ?? String(error) });
    }
  });
}
