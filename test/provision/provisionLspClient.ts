// The LSP test client for the provisioning tests: a chosen environment, settings as given, work-done
// progress and an answer for window/showMessageRequest; everything else is test/lsp/lspClient.ts.
import { ChildProcess } from 'child_process';
import { LspTestClient, StartOptions } from '../lsp/lspClient';

export { positionOf, REPO_ROOT, SERVER_PATH } from '../lsp/lspClient';

export interface ProvisionLspOptions {
  env: Record<string, string>;
  settings?: Record<string, unknown>;
  workspaceTrusted?: boolean;
  /** window.workDoneProgress capability (default true). */
  workDoneProgress?: boolean;
  /** Title of the action to answer window/showMessageRequest with (undefined = dismiss: null). */
  answer?: string;
  locale?: string;
}

export class ProvisionLspClient extends LspTestClient {
  static override async start(options: StartOptions): Promise<ProvisionLspClient>;
  static override async start(options: ProvisionLspOptions | StartOptions): Promise<ProvisionLspClient> {
    const o = options as ProvisionLspOptions;
    return LspTestClient.launch(
      { settings: o.settings ?? {}, exactSettings: true, env: o.env, workspaceTrusted: o.workspaceTrusted ?? true, locale: o.locale, workDoneProgress: o.workDoneProgress, answer: o.answer },
      (child: ChildProcess) => new ProvisionLspClient(child),
    );
  }
}
