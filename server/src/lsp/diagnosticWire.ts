// What a publish costs on the wire. A file with 15k findings is republished on every keystroke (push
// diagnostics carry the whole list), and serializing it was the largest cost on the main thread:
// 8.5 MB of JSON per publish, a third of it quick-fix edits the client never reads, and the client
// then parses all of it. So:
// - diagnostics go out without their fixes (`data`); the server keeps the full list it published
//   and finds a diagnostic's fixes there when the client asks for code actions (fixesFor);
// - each diagnostic's JSON is built once and reused while the diagnostic object is unchanged (the
//   worker and the diagnostics delta keep the same objects for unchanged findings), so a publish
//   is a copy of cached bytes instead of a JSON.stringify and UTF-8 encoding of the whole list.
import type { Diagnostic } from 'vscode-languageserver';
import type { ContentTypeEncoder } from 'vscode-languageserver/node';
import type { DiagnosticFixData } from '../engine/features/diagnostics';

const wireCopies = new WeakMap<Diagnostic, Diagnostic>();

/** The diagnostic as the client gets it: everything but the fixes (the same copy each time). */
export function wireDiagnostic(diagnostic: Diagnostic): Diagnostic {
  if (diagnostic.data === undefined) return diagnostic;
  let copy = wireCopies.get(diagnostic);
  if (!copy) {
    // A rest copy, not `delete`: a deleted property leaves V8 a slow dictionary object, and
    // JSON.stringify of 7k of those (a line inserted above them) is a third slower.
    const { data, ...wire } = diagnostic;
    copy = wire;
    wireCopies.set(diagnostic, copy);
  }
  return copy;
}

export function wireDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const out = new Array<Diagnostic>(diagnostics.length);
  for (let i = 0; i < diagnostics.length; i++) out[i] = wireDiagnostic(diagnostics[i]);
  return out;
}

function sameSpot(a: Diagnostic, b: Diagnostic): boolean {
  return (
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character &&
    a.code === b.code &&
    a.message === b.message
  );
}

/**
 * The client's diagnostics with their fixes put back from the list last published (`published`:
 * the full diagnostics). A diagnostic the client holds from an older version that no longer
 * matches gets no fixes: its edits would land on text that has moved.
 */
export function withFixes(clientDiagnostics: readonly Diagnostic[], published: readonly Diagnostic[] | undefined): Diagnostic[] {
  return clientDiagnostics.map((d) => {
    if ((d.data as DiagnosticFixData | undefined)?.fixes || !published) return d;
    // A linear scan: code actions come one cursor position at a time, and 15k comparisons take well under a millisecond.
    for (const full of published) {
      if (full.data !== undefined && sameSpot(full, d)) return { ...d, data: full.data };
    }
    return d;
  });
}

const cachedJson = new WeakMap<object, Buffer>();

/** One diagnostic's JSON as UTF-8 bytes, made once per diagnostic object. */
function diagnosticJson(diagnostic: Diagnostic): Buffer {
  let json = cachedJson.get(diagnostic);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(diagnostic), 'utf8');
    cachedJson.set(diagnostic, json);
  }
  return json;
}

interface PublishMessage {
  jsonrpc: string;
  method: string;
  params: { uri: string; version?: number; diagnostics: Diagnostic[] };
}

/** The answer to a pull (textDocument/diagnostic) that carries a list: the same list, the same cost. */
interface FullReportResponse {
  jsonrpc: string;
  id: number | string;
  result: { kind: 'full'; resultId?: string; items: Diagnostic[] };
}

function isPublish(message: unknown): message is PublishMessage {
  const m = message as Partial<PublishMessage> | undefined;
  return m?.method === 'textDocument/publishDiagnostics' && Array.isArray(m.params?.diagnostics) && Object.keys(m).length === 3 && Object.keys(m.params!).every((k) => k === 'uri' || k === 'version' || k === 'diagnostics');
}

function isFullReportResponse(message: unknown): message is FullReportResponse {
  const m = message as Partial<FullReportResponse> | undefined;
  return (
    m?.result?.kind === 'full' &&
    Array.isArray(m.result.items) &&
    (typeof m.id === 'number' || typeof m.id === 'string') &&
    Object.keys(m).every((k) => k === 'jsonrpc' || k === 'id' || k === 'result') &&
    Object.keys(m.result).every((k) => k === 'kind' || k === 'resultId' || k === 'items')
  );
}

const COMMA = Buffer.from(',');
const PUBLISH_TAIL = Buffer.from(']}}');

/**
 * The UTF-8 JSON of one message (the same value JSON.stringify gives). A publish, or a pull's full
 * answer, is the cached bytes of its diagnostics copied into one buffer: no 6 MB string to build
 * and encode again per keystroke.
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

function withList(head: string, diagnostics: readonly Diagnostic[], tail: Buffer): Buffer {
  const pieces: Buffer[] = [Buffer.from(head, 'utf8')];
  for (let i = 0; i < diagnostics.length; i++) {
    if (i > 0) pieces.push(COMMA);
    pieces.push(diagnosticJson(diagnostics[i]));
  }
  pieces.push(tail);
  return Buffer.concat(pieces);
}

/** vscode-jsonrpc's JSON encoder, with publishes and full pull answers built by encodeMessage. */
export const cachingJsonEncoder: ContentTypeEncoder = {
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
