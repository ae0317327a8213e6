// "Migrate to Kubernetes (ACK)": a code action on a compose service with aliyun.lb.port_* labels,
// and the command it runs (aliyunSlbLabels.migrateToKubernetes). The command writes one new file
// per service next to the compose file (never over an existing one) through workspace/applyEdit.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { CodeAction, CodeActionKind, Range } from 'vscode-languageserver-types';
import type { ComposeAnalyzer } from '../engine/analysis';
import { cursorContext } from '../engine/features/cursorContext';
import { serviceModelAt } from '../engine/features/serviceAtCursor';
import { t } from '../engine/i18n';
import { hasLbLabels, migrateCompose } from '../engine/k8s/migrate';
import type { LineDocument } from '../engine/lineDocument';
import { snapshotResolver } from '../cli/migrate';
import { COMMANDS, CommandDispatcher } from './commands';
import type { CloudSession } from './cloudSession';

export interface MigrateDeps {
  connection: Connection;
  cloud: CloudSession;
  document: (uri: string) => LineDocument | undefined;
  analyzerFor: (uri: string) => ComposeAnalyzer;
  envFor: (uri: string) => Map<string, string> | undefined;
  clientCapabilities: () => InitializeParams['capabilities'] | undefined;
}

/** The code action on the compose service at the start of `range` (one service's parse, no whole-file work). */
export function migrationCodeActions(deps: MigrateDeps, doc: LineDocument, range: Range): CodeAction[] {
  if (!canCreateFiles(deps)) return [];
  const context = cursorContext(doc, range.start.line, range.start.character);
  if (!context.service) return [];
  const model = serviceModelAt(deps.analyzerFor(doc.uri), doc, context.service);
  if (!model || !hasLbLabels(model)) return [];
  const title = t("Migrate service '{0}' to Kubernetes manifests (ACK)", model.name);
  return [{ title, kind: CodeActionKind.RefactorRewrite, command: { title, command: COMMANDS.migrateToKubernetes, arguments: [{ uri: doc.uri, service: model.name }] } }];
}

function canCreateFiles(deps: MigrateDeps): boolean {
  const edit = deps.clientCapabilities()?.workspace?.workspaceEdit;
  return edit?.documentChanges === true && (edit.resourceOperations ?? []).includes('create');
}

/** A file next to the compose file that does not exist yet: <service>.k8s.yaml, <service>.k8s-2.yaml, ... */
function freeTarget(composeUri: string, service: string, taken: Set<string>): string {
  const base = composeUri.startsWith('file:') ? path.dirname(fileURLToPath(composeUri)) : undefined;
  for (let n = 1; n < 100; n++) {
    const name = `${service.replace(/[^A-Za-z0-9._-]+/g, '-')}.k8s${n === 1 ? '' : `-${n}`}.yaml`;
    const uri = base ? pathToFileURL(path.join(base, name)).toString() : composeUri.replace(/[^/]*$/, name);
    if (taken.has(uri)) continue;
    if (base && fs.existsSync(path.join(base, name))) continue;
    return uri;
  }
  throw new Error(t('no free file name for the manifests of {0}', service));
}

export function registerMigrateCommand(commands: CommandDispatcher, deps: MigrateDeps): void {
  commands.register(COMMANDS.migrateToKubernetes, async (args) => {
    const arg = (args[0] ?? {}) as { uri?: string; service?: string };
    const doc = arg.uri ? deps.document(arg.uri) : undefined;
    if (!doc) return { ok: false, message: t('Open the compose file first.') };
    const snapshot = deps.cloud.active() ? deps.cloud.catalog.trustedSnapshot() : undefined;
    const result = migrateCompose(doc.getText(), { env: deps.envFor(doc.uri), resolveSlb: snapshot ? snapshotResolver(snapshot) : undefined, service: arg.service });
    if (result.services.length === 0) {
      const message = result.skipped[0] ? t("Service '{0}' was not migrated: {1}", result.skipped[0].service, result.skipped[0].reason) : t('No service with an aliyun.lb.port_* label to migrate.');
      void deps.connection.window.showWarningMessage(message);
      return { ok: false, message };
    }
    const taken = new Set<string>();
    const files = result.services.map((s) => {
      const uri = freeTarget(doc.uri, s.composeService, taken);
      taken.add(uri);
      return { uri, service: s };
    });
    const applied = await deps.connection.workspace.applyEdit({
      label: t('Migrate to Kubernetes manifests'),
      edit: {
        documentChanges: files.flatMap(({ uri, service }) => [
          { kind: 'create' as const, uri, options: { overwrite: false, ignoreIfExists: false } },
          { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: service.yaml }] },
        ]),
      },
    });
    if (!applied.applied) return { ok: false, message: applied.failureReason ?? t('The editor did not apply the edit.') };
    const placeholders = result.services.flatMap((s) => s.placeholders);
    if (placeholders.length) void deps.connection.window.showInformationMessage(t('Manifests written. Fill in the CLB ID of {0} (marked PLACEHOLDER): the validation flags it until then.', placeholders.join(', ')));
    if (deps.clientCapabilities()?.window?.showDocument?.support) void deps.connection.window.showDocument({ uri: files[0].uri, takeFocus: true }).catch(() => undefined);
    return { ok: true, files: files.map((f) => f.uri), placeholders, notMigrated: result.services.flatMap((s) => s.notMigrated) };
  });
}
