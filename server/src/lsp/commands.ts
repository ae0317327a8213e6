// Every `workspace/executeCommand` name the server answers, in one list: server.ts advertises
// them in `executeCommandProvider`, and the VS Code client calls them by these names.
// Add a line per command (keep the `aliyunSlbLabels.` prefix).
import { SERVER_COMMANDS } from '../../../common/protocol';

export const COMMANDS = SERVER_COMMANDS;

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
