// The main thread's side of a validation result, as lsp/validationHost.ts does it: a long whole
// list arrives packed (lsp/diagnosticList.ts), a delta applies to the list held.
import type { Diagnostic } from 'vscode-languageserver';
import { applyDelta } from '../../server/src/lsp/diagnosticDelta';
import { DiagnosticList, packList, PackedSource } from '../../server/src/lsp/diagnosticList';
import type { ValidationResult } from '../../server/src/lsp/validationHost';

/** A whole list as the host holds it: packed, as the worker sends a long one (short ones too, here, to test that path). */
export function holdWhole(diagnostics: Diagnostic[]): DiagnosticList {
  return DiagnosticList.ofSource(new PackedSource(packList(diagnostics)));
}

/** The list the host holds after this result. */
export function hold(held: DiagnosticList, result: ValidationResult, uri: string): DiagnosticList {
  return result.diagnosticsDelta ? applyDelta(held, result.diagnosticsDelta, uri) : holdWhole(result.diagnostics);
}

/** Every diagnostic as the client would get it with its fixes (a plain JSON copy). */
export const fullJson = (list: DiagnosticList | Diagnostic[]): unknown => JSON.parse(JSON.stringify(list instanceof DiagnosticList ? list.toArray() : list));

/** What goes on the wire: everything but the fixes. */
export const withoutFixes = (diagnostics: unknown): unknown => (diagnostics as Record<string, unknown>[]).map(({ data: _data, ...wire }) => wire);
