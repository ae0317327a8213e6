// The per-SLB provisioning lock: first an in-process queue (FIFO), then a lock file per SLB in a
// cache folder (proper-lockfile: an atomic mkdir, its mtime refreshed while held, taken over when
// stale), so the CLI and the editor provisioning the same SLB at the same moment queue instead of
// racing. The wait is bounded and ends with a clear message; a lock left by a crashed process is
// taken over once it is stale. Transport-free: no vscode, no LSP.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { t } from '../i18n';

export interface FileLockOptions {
  /** Folder of the lock files; false = in-process lock only. Default: {@link defaultLockDir}. */
  dir?: string | false;
  /** A lock file not refreshed for this long belongs to a dead process and is taken over (default 30 s). */
  staleMs?: number;
  /** How long to wait for another process before giving up (default 120 s). */
  maxWaitMs?: number;
  /** Delay between attempts while waiting (default 250 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}

/** The wait for another process's lock ran out (or was cancelled): nothing was done under it. */
export class SlbLockBusyError extends Error {
  constructor(message: string, readonly lockFile: string, readonly cancelled = false) {
    super(message);
    this.name = 'SlbLockBusyError';
  }
}

/**
 * `SLB_LABELS_CACHE_DIR`, else `$XDG_CACHE_HOME/slb-labels`, else the platform's cache folder
 * (`~/.cache`, `~/Library/Caches`, `%LOCALAPPDATA%`), + `/locks`.
 */
export function defaultLockDir(env: Record<string, string | undefined> = process.env): string | undefined {
  const own = env.SLB_LABELS_CACHE_DIR?.trim();
  if (own) return path.join(own, 'locks');
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg) return path.join(xdg, 'slb-labels', 'locks');
  let home = '';
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  if (!home) return undefined;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA?.trim() || path.join(home, 'AppData', 'Local'), 'slb-labels', 'locks');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'slb-labels', 'locks');
  return path.join(home, '.cache', 'slb-labels', 'locks');
}

const inProcess = new Map<string, Promise<void>>();

/** Is somebody in this process holding (or waiting for) the lock of `key`? */
export function isLocked(key: string): boolean {
  return inProcess.has(key);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The lock file of a key: a hash, so endpoints and IDs never become path segments. */
export function lockFileOf(dir: string, key: string): string {
  return path.join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
}

async function acquireFileLock(key: string, label: string, options: FileLockOptions, onWait: () => void): Promise<(() => Promise<void>) | undefined> {
  const dir = options.dir === undefined ? defaultLockDir() : options.dir;
  if (!dir) return undefined;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    // No cache folder (read-only home…): only the in-process lock and the live re-read protect this run.
    return undefined;
  }
  const lockFile = lockFileOf(dir, key);
  const staleMs = Math.max(options.staleMs ?? 30_000, 2_000);
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const deadline = Date.now() + maxWaitMs;
  let waited = false;
  for (;;) {
    try {
      return await lockfile.lock(lockFile, {
        realpath: false,
        lockfilePath: lockFile,
        stale: staleMs,
        update: Math.max(1_000, Math.floor(staleMs / 3)),
        retries: 0,
        // A lost lock (the folder removed, the clock jumped) must not crash the server: the live
        // re-read before each step still protects the run.
        onCompromised: () => undefined,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') return undefined; // cannot lock at all (permissions…): in-process only
    }
    if (options.signal?.aborted) {
      throw new SlbLockBusyError(t("Cancelled while waiting for another provisioning run on SLB '{0}': nothing was changed for its labels.", label), lockFile, true);
    }
    if (Date.now() >= deadline) {
      throw new SlbLockBusyError(
        t("Another provisioning run (another slb-labels process or the editor) has been working on SLB '{0}' for more than {1} s: nothing was changed for its labels. Run Provision again when it is done. A run that died releases the lock after {2} s ({3}).", label, Math.round(maxWaitMs / 1000), Math.round(staleMs / 1000), lockFile),
        lockFile,
      );
    }
    if (!waited) {
      waited = true;
      onWait();
    }
    await sleep(Math.min(options.pollMs ?? 250, Math.max(0, deadline - Date.now())), options.signal);
  }
}

/**
 * Run `fn` while holding the lock of `key` (one SLB of one endpoint/region): callers of this
 * process queue in arrival order, then the lock file queues other processes. `onWait` is called
 * (once per queue) when the lock is busy. Throws {@link SlbLockBusyError} when the wait for
 * another process runs out.
 */
export async function withSlbLock<T>(key: string, fn: () => Promise<T>, onWait?: () => void, fileLock: FileLockOptions & { label?: string } = { dir: false }): Promise<T> {
  const previous = inProcess.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = (previous ?? Promise.resolve()).then(() => mine);
  inProcess.set(key, tail);
  let waitReported = false;
  const wait = () => {
    if (waitReported) return;
    waitReported = true;
    onWait?.();
  };
  try {
    if (previous) {
      wait();
      await previous;
    }
    const unlock = await acquireFileLock(key, fileLock.label ?? key, fileLock, wait);
    try {
      return await fn();
    } finally {
      await unlock?.().catch(() => undefined);
    }
  } finally {
    release();
    if (inProcess.get(key) === tail) inProcess.delete(key);
  }
}
