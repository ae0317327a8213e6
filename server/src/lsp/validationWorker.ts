// Validation runs here, on its own thread, so completion and hover on the main thread never wait
// for it. One ComposeAnalyzer per document keeps that document's parse cache and cross-service index.
import { parentPort } from 'worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ComposeAnalyzer, YamlSyntaxErrorMode } from '../engine/analysis';
import { toDiagnostics } from '../engine/features/diagnostics';
import { getLocale, Locale, setLocale } from '../engine/i18n';
import type { ValidationRequest, ValidationResult } from './validationHost';

const analyzers = new Map<string, ComposeAnalyzer>();
/** Last SLB uses sent per document: the main thread's SLB index is refreshed only when they change. */
const lastSummaries = new Map<string, unknown[]>();

export function handleValidationMessage(message: ValidationRequest): ValidationResult | undefined {
  if (message.type === 'close') {
    analyzers.delete(message.uri);
    lastSummaries.delete(message.uri);
    return undefined;
  }
  if (message.locale !== getLocale()) {
    setLocale(message.locale as Locale);
    for (const analyzer of analyzers.values()) analyzer.clear();
  }
  let analyzer = analyzers.get(message.uri);
  if (!analyzer) analyzers.set(message.uri, (analyzer = new ComposeAnalyzer()));
  const analysis = analyzer.analyze(message.text, { env: message.env ? new Map(message.env) : undefined, yamlSyntaxErrors: message.yamlSyntaxErrors as YamlSyntaxErrorMode });
  const doc = TextDocument.create(message.uri, 'dockercompose', message.version, message.text);
  // Cloning 10k bindings per keystroke is not free: send them only when someone needs them.
  const previous = lastSummaries.get(message.uri);
  const current = analysis.unitSummaries;
  const usesChanged = !previous || previous.length !== current.length || current.some((s, i) => s !== previous[i]);
  lastSummaries.set(message.uri, current);
  return {
    type: 'result',
    id: message.id,
    uri: message.uri,
    version: message.version,
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
