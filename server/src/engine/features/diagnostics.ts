// Findings -> LSP diagnostics (with fixes carried in `data` for the code action provider).
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { Finding } from '../rules/types';
import { PositionMapper, rangeOf } from '../text';

export const DIAGNOSTIC_SOURCE = 'aliyun-slb';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

export interface DiagnosticFixData {
  fixes: { title: string; preferred?: boolean; edits: { range: Diagnostic['range']; newText: string }[]; command?: { command: string; arguments?: unknown[] } }[];
}

export function toDiagnostics(doc: PositionMapper, findings: Finding[], uri: string, relatedInformation = true): Diagnostic[] {
  return findings.map((f) => {
    const diagnostic: Diagnostic = { range: rangeOf(doc, f.span), severity: SEVERITY[f.severity], code: f.code, source: DIAGNOSTIC_SOURCE, message: f.message };
    if (relatedInformation && f.related?.length) diagnostic.relatedInformation = f.related.map((r) => ({ location: { uri, range: rangeOf(doc, r.span) }, message: r.message }));
    if (f.fixes?.length) {
      const data: DiagnosticFixData = { fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.preferred, edits: x.edits.map((e) => ({ range: rangeOf(doc, e.span), newText: e.newText })), command: x.command })) };
      diagnostic.data = data;
    }
    return diagnostic;
  });
}
