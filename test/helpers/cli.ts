// Runs the bundled `slb-labels` CLI as a real child process, as users and CI do. Bounded: the
// child is killed after `timeoutMs`, so a regression that hangs fails its test instead of the suite.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './repo';

export const CLI_PATH = path.join(REPO_ROOT, 'dist/cli/slb-labels.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The child was killed at the time limit. */
  timedOut: boolean;
}

export function runCli(args: string[], options: { env: Record<string, string>; cwd?: string; timeoutMs?: number }): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}
