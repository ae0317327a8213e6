// Quick fixes: the fixes each diagnostic carries, as code actions.
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, DiagnosticFixData } from './diagnostics';

export function quickFixes(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnostic.data as DiagnosticFixData | undefined;
    for (const fix of data?.fixes ?? []) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred };
      if (fix.edits.length > 0 || !fix.command) action.edit = { changes: { [uri]: fix.edits } };
      if (fix.command) action.command = { title: fix.title, command: fix.command.command, arguments: fix.command.arguments ?? [{ uri, position: diagnostic.range.start }] };
      actions.push(action);
    }
  }
  return actions;
}
