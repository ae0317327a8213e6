// `slb-labels reach <file>`: the reachability walk from the command line (work in progress).
export interface ReachCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
}

export async function runReachCli(argv: string[], io: ReachCliIo): Promise<number> {
  void argv;
  io.err('slb-labels reach: not implemented yet\n');
  return 2;
}
