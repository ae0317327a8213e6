// Every `workspace/executeCommand` name the server answers, in one list: server.ts advertises
// them in `executeCommandProvider`, and the VS Code client calls them by these names.
// Add a line per command (keep the `aliyunSlbLabels.` prefix).
export const COMMANDS = {
  /** Reachability walk: args [{uri, position?} | {uri, all: true}] -> ReachResult[] (see lsp/reachCommands.ts). */
  checkReachability: 'aliyunSlbLabels.checkReachability',
} as const;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The names to advertise in InitializeResult.capabilities.executeCommandProvider.commands. */
export function allCommandNames(): string[] {
  return Object.values(COMMANDS);
}
