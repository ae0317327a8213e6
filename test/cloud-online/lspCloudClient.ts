// The LSP test client for the cloud tests: the server process gets a chosen environment
// (credentials, HOME) and the settings exactly as given; everything else is test/lsp/lspClient.ts.
import { ChildProcess } from 'child_process';
import { LspTestClient, StartOptions } from '../lsp/lspClient';

export { positionOf, SERVER_PATH } from '../lsp/lspClient';

export interface CloudStartOptions {
  settings?: Record<string, unknown>;
  /** The server's whole environment (nothing is inherited from the test process). */
  env: Record<string, string>;
  workspaceTrusted?: boolean;
  locale?: string;
}

export class CloudLspClient extends LspTestClient {
  static override async start(options: StartOptions): Promise<CloudLspClient>;
  static override async start(options: CloudStartOptions | StartOptions): Promise<CloudLspClient> {
    const { settings, env, workspaceTrusted, locale } = options as CloudStartOptions;
    return LspTestClient.launch({ settings: settings ?? {}, exactSettings: true, env, workspaceTrusted: workspaceTrusted ?? true, locale }, (child: ChildProcess) => new CloudLspClient(child));
  }
}
