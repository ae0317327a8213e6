// What a publish costs on the wire. A file with 15k findings is republished on every keystroke (push
// diagnostics carry the whole list), and serializing it was the largest cost on the main thread:
// 8.5 MB of JSON per publish, a third of it quick-fix edits the client never reads, and the client
// then parses all of it. So:
// - diagnostics go out without their fixes (`data`); the server keeps the full list it published
//   and finds a diagnostic's fixes there when the client asks for code actions (withFixes);
// - the main thread holds a document's diagnostics as their wire JSON already (lsp/diagnosticList.ts),
//   so a publish, or a pull's full answer, is a copy of those bytes into one message.
import type { Diagnostic } from 'vscode-languageserver';
import type { ContentTypeEncoder } from 'vscode-languageserver/node';
import type { DiagnosticFixData } from '../engine/features/diagnostics';
import { DiagnosticList } from './diagnosticList';

/**
 * The client's diagnostics with their fixes put back from the list last published (`published`:
 * the full diagnostics). A diagnostic the client holds from an older version that no longer
 * matches gets no fixes: its edits would land on text that has moved.
 */
export function withFixes(clientDiagnostics: readonly Diagnostic[], published: DiagnosticList | undefined): Diagnostic[] {
  return clientDiagnostics.map((d) => {
    if ((d.data as DiagnosticFixData | undefined)?.fixes || !published) return d;
    // The ranges are compared from the list's typed arrays (no objects); only a diagnostic at the
    // same range is made whole, to compare its code and message and take its fixes.
    const { start, end } = d.range;
    let found: Diagnostic | undefined;
    published.forEachRange((index, startLine, startChar, endLine, endChar) => {
      if (found || startLine !== start.line || startChar !== start.character || endLine !== end.line || endChar !== end.character) return;
      const full = published.diagnostic(index);
      if (full.data !== undefined && full.code === d.code && full.message === d.message) found = full;
    });
    return found ? { ...d, data: found.data } : d;
  });
}

interface PublishMessage {
  jsonrpc: string;
  method: string;
  params: { uri: string; version?: number; diagnostics: DiagnosticList | Diagnostic[] };
}

/** The answer to a pull (textDocument/diagnostic) that carries a list: the same list, the same cost. */
interface FullReportResponse {
  jsonrpc: string;
  id: number | string;
  result: { kind: 'full'; resultId?: string; items: DiagnosticList | Diagnostic[] };
}

function isList(value: unknown): value is DiagnosticList | Diagnostic[] {
  return value instanceof DiagnosticList || Array.isArray(value);
}

function isPublish(message: unknown): message is PublishMessage {
  const m = message as Partial<PublishMessage> | undefined;
  return m?.method === 'textDocument/publishDiagnostics' && isList(m.params?.diagnostics) && Object.keys(m).length === 3 && Object.keys(m.params!).every((k) => k === 'uri' || k === 'version' || k === 'diagnostics');
}

function isFullReportResponse(message: unknown): message is FullReportResponse {
  const m = message as Partial<FullReportResponse> | undefined;
  return (
    m?.result?.kind === 'full' &&
    isList(m.result.items) &&
    (typeof m.id === 'number' || typeof m.id === 'string') &&
    Object.keys(m).every((k) => k === 'jsonrpc' || k === 'id' || k === 'result') &&
    Object.keys(m.result).every((k) => k === 'kind' || k === 'resultId' || k === 'items')
  );
}

const PUBLISH_TAIL = Buffer.from(']}}');

/**
 * The UTF-8 JSON of one message (the same value JSON.stringify gives, fixes left out). A publish,
 * or a pull's full answer, is the held bytes of its diagnostics copied into one buffer: no 6 MB
 * string to build and encode again per keystroke.
 */
export function encodeMessage(message: unknown): Buffer {
  if (isPublish(message)) {
    const { uri, version, diagnostics } = message.params;
    const versionPart = version === undefined ? '' : `,"version":${JSON.stringify(version)}`;
    return withList(`{"jsonrpc":${JSON.stringify(message.jsonrpc)},"method":"textDocument/publishDiagnostics","params":{"uri":${JSON.stringify(uri)}${versionPart},"diagnostics":[`, diagnostics, PUBLISH_TAIL);
  }
  if (isFullReportResponse(message)) {
    const { resultId, items } = message.result;
    const resultIdPart = resultId === undefined ? '' : `,"resultId":${JSON.stringify(resultId)}`;
    return withList(`{"jsonrpc":${JSON.stringify(message.jsonrpc)},"id":${JSON.stringify(message.id)},"result":{"kind":"full"${resultIdPart},"items":[`, items, PUBLISH_TAIL);
  }
  return Buffer.from(JSON.stringify(message), 'utf8');
}

function withList(head: string, diagnostics: DiagnosticList | Diagnostic[], tail: Buffer): Buffer {
  return Buffer.concat([Buffer.from(head, 'utf8'), ...DiagnosticList.from(diagnostics).wirePieces(), tail]);
}

/** vscode-jsonrpc's JSON encoder, with publishes and full pull answers built by encodeMessage. */
export const diagnosticsJsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (message, options) => {
    try {
      // The client reads UTF-8 unless told otherwise; any other charset goes the plain way.
      return Promise.resolve(options.charset === 'utf-8' ? encodeMessage(message) : Buffer.from(JSON.stringify(message), options.charset as BufferEncoding));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};
