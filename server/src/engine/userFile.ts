/**
 * Reading a file the user named (a compose file for `lint`, ~/.aliyun/config.json, an INI
 * credentials file) without ever blocking: a FIFO, a character device (/dev/zero, a tty) or a
 * socket is refused with a clear message before any read, and a regular file is read in bounded
 * chunks up to a size limit.
 *
 * Why not `fs.readFile`: opening a FIFO for reading blocks until a writer appears, and reading
 * one (or /dev/zero) never ends. The async form parks a libuv thread-pool request that nobody can
 * cancel, so the process cannot exit even after a timeout gave up on it. Here the file is opened
 * with O_NONBLOCK (open returns at once whatever the file is; regular files ignore the flag), and
 * `fstat` on the open descriptor (not on the path, so a swapped file cannot slip through)
 * decides whether it is read at all.
 *
 * Transport-free: no vscode import.
 */
import * as fs from 'node:fs';
import { t } from './i18n';

export type UserFileProblem =
  /** The path does not exist (ENOENT/ENOTDIR): callers often treat this as "not configured". */
  | 'missing'
  | 'directory'
  /** A FIFO, socket, character or block device: reading could block or never end. */
  | 'not-regular'
  | 'too-big'
  /** Permission denied, I/O error, ... (`code` says which). */
  | 'unreadable';

export type UserFileRead =
  | { ok: true; text: string; bytes: number }
  | { ok: false; problem: UserFileProblem; code?: string; bytes?: number; message: string };

export interface UserFileOptions {
  /** Refuse files larger than this (bytes). Default: no limit below {@link HARD_MAX_BYTES}. */
  maxBytes?: number;
  /** How the file is named in messages (default: the path as given), e.g. `~/.aliyun/config.json`. */
  displayName?: string;
  /** What the file should have been, for the message ("the aliyun CLI configuration", "a compose file"). */
  expected?: string;
  /** What to do about a directory or a special file (default: use a regular file). */
  advice?: string;
}

/** Above this nothing is read whatever the caller asks (a JS string cannot hold much more). */
export const HARD_MAX_BYTES = 512 * 1024 * 1024;
const CHUNK = 1024 * 1024;

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return t('a named pipe (FIFO)');
  if (st.isSocket()) return t('a socket');
  if (st.isCharacterDevice()) return t('a character device');
  if (st.isBlockDevice()) return t('a block device');
  return t('not a regular file');
}

function limitOf(options: UserFileOptions): number {
  const max = options.maxBytes;
  return max !== undefined && Number.isFinite(max) && max >= 0 ? Math.min(max, HARD_MAX_BYTES) : HARD_MAX_BYTES;
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function refusal(problem: UserFileProblem, options: UserFileOptions, name: string, detail: { code?: string; st?: fs.Stats; bytes?: number; limit?: number }): UserFileRead {
  const expected = options.expected ?? t('a file');
  let message: string;
  switch (problem) {
    case 'missing':
      message = t('{0}: no such file', name);
      break;
    case 'directory':
      message = t('{0} is a directory, not {1}.', name, expected) + ' ' + (options.advice ?? t('Name the file itself.'));
      break;
    case 'not-regular':
      message = t('{0} is {1}, not {2}: it is not read (reading it could wait forever).', name, detail.st ? kindOf(detail.st) : t('not a regular file'), expected) + ' ' + (options.advice ?? t('Use a regular file.'));
      break;
    case 'too-big':
      message = t('{0} is larger than the limit of {1} ({2}): it is not read.', name, size(detail.limit ?? 0), size(detail.bytes ?? 0));
      break;
    default:
      message = t('{0}: cannot be read ({1})', name, detail.code ?? 'error');
  }
  return { ok: false, problem, code: detail.code, bytes: detail.bytes, message };
}

function problemOfError(e: unknown): { problem: UserFileProblem; code: string } {
  const code = String((e as NodeJS.ErrnoException)?.code ?? 'error');
  if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'missing', code };
  if (code === 'EISDIR') return { problem: 'directory', code };
  return { problem: 'unreadable', code };
}

// O_NONBLOCK is not defined on Windows (there, opening a pipe path does not block the same way).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Synchronous form (the CLI's `lint` reads its inputs one after another). */
export function readUserFileSync(file: string, options: UserFileOptions = {}): UserFileRead {
  const name = options.displayName ?? file;
  const limit = limitOf(options);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return refusal('directory', options, name, { st });
    if (!st.isFile()) return refusal('not-regular', options, name, { st });
    if (st.size > limit) return refusal('too-big', options, name, { bytes: st.size, limit });
    const chunks: Buffer[] = [];
    let total = 0;
    // Bounded: stops at the limit even if the file grows while it is read.
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = buf.length === 0 ? 0 : fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) return refusal('too-big', options, name, { bytes: total, limit });
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8'), bytes: total };
  } catch (e) {
    const { problem, code } = problemOfError(e);
    return refusal(problem, options, name, { code });
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}

/** Asynchronous form: same checks; every step is a short thread-pool request that cannot hang. */
export async function readUserFile(file: string, options: UserFileOptions = {}): Promise<UserFileRead> {
  const name = options.displayName ?? file;
  const limit = limitOf(options);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
    const st = await handle.stat();
    if (st.isDirectory()) return refusal('directory', options, name, { st });
    if (!st.isFile()) return refusal('not-regular', options, name, { st });
    if (st.size > limit) return refusal('too-big', options, name, { bytes: st.size, limit });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK, limit + 1 - total);
      if (want <= 0) break;
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return refusal('too-big', options, name, { bytes: total, limit });
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8'), bytes: total };
  } catch (e) {
    const { problem, code } = problemOfError(e);
    return refusal(problem, options, name, { code });
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
