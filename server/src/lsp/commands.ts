// Every `workspace/executeCommand` name the server answers, in one list: server.ts advertises
// them in `executeCommandProvider`, and the VS Code client calls them by these names.
// Add a line per command (keep the `aliyunSlbLabels.` prefix).
export const COMMANDS = {
  /** Reachability walk: args [{uri, position?} | {uri, all: true}] -> ReachResult[] (see lsp/reachCommands.ts). */
  checkReachability: 'aliyunSlbLabels.checkReachability',
  /** Provisioning plan: args [{uri, labelKeys?: string[], position?} | {uri, all: true}] -> ProvisionPlanResult (see lsp/provisionCommands.ts). */
  plan: 'aliyunSlbLabels.plan',
  /** Provision listeners: args [{uri, position? | all: true | labelKeys?, certificateId?, confirmed?}] -> ProvisionCommandResult (see lsp/provisionCommands.ts). */
  provision: 'aliyunSlbLabels.provision',
} as const;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The names to advertise in InitializeResult.capabilities.executeCommandProvider.commands. */
export function allCommandNames(): string[] {
  return Object.values(COMMANDS);
}

// -- dispatch --------------------------------------------------------------------------------
// A connection takes ONE onExecuteCommand handler (a second call replaces the first), so every
// feature registers its handlers in one CommandDispatcher and server.ts calls
// `connection.onExecuteCommand(dispatcher.handle)` once.
import type { CancellationToken, ExecuteCommandParams, WorkDoneProgressReporter } from 'vscode-languageserver/node';

export type CommandHandler = (args: unknown[], token: CancellationToken, workDone: WorkDoneProgressReporter, params: ExecuteCommandParams) => unknown | Promise<unknown>;

export class CommandDispatcher {
  private readonly handlers = new Map<string, CommandHandler>();

  register(name: CommandName, handler: CommandHandler): void {
    this.handlers.set(name, handler);
  }

  /** For `connection.onExecuteCommand(dispatcher.handle)`. An unknown name answers null. */
  readonly handle = (params: ExecuteCommandParams, token: CancellationToken, workDone: WorkDoneProgressReporter): unknown => {
    const handler = this.handlers.get(params.command);
    return handler ? handler(params.arguments ?? [], token, workDone, params) : null;
  };
}
