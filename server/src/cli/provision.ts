// `slb-labels plan <file>` and `slb-labels provision <file>` (work in progress).
export interface ProvisionCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
}

export async function runPlanCli(argv: string[], io: ProvisionCliIo): Promise<number> {
  void argv;
  io.err('slb-labels plan: not implemented yet\n');
  return 2;
}

export async function runProvisionCli(argv: string[], io: ProvisionCliIo): Promise<number> {
  void argv;
  io.err('slb-labels provision: not implemented yet\n');
  return 2;
}
