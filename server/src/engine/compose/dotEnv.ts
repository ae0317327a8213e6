// The `.env` beside a compose file, as docker compose reads it (parsed with dotenv). One loader
// for the server, the validation of extended files and every CLI command.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'dotenv';
import { readUserFileSync } from '../userFile';

export function readDotEnv(text: string): Map<string, string> {
  return new Map(Object.entries(parse(text)));
}

/** A .env larger than this is not a .env: it is not read. */
const MAX_ENV_BYTES = 1024 * 1024;
const cache = new Map<string, { mtimeMs: number; size: number; env: Map<string, string> }>();

/**
 * Variables of the `.env` in the directory of `composeFile` (a file system path), or undefined when
 * there is none or it cannot be read. Cached by modification time, so a caller may ask on every keystroke.
 */
export function loadEnvBeside(composeFile: string): Map<string, string> | undefined {
  const envPath = path.join(path.dirname(composeFile), '.env');
  try {
    const stat = fs.statSync(envPath, { throwIfNoEntry: false });
    if (!stat || !stat.isFile() || stat.size > MAX_ENV_BYTES) return undefined;
    const cached = cache.get(envPath);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.env;
    // Never blocks on a FIFO or a device named .env (userFile.ts), bounded in size.
    const read = readUserFileSync(envPath, { maxBytes: MAX_ENV_BYTES });
    if (!read.ok) return undefined;
    const env = readDotEnv(read.text);
    cache.set(envPath, { mtimeMs: stat.mtimeMs, size: stat.size, env });
    return env;
  } catch {
    return undefined;
  }
}

/** Forget cached .env files (a watcher saw one change; the mtime may not have moved). */
export function forgetEnvFiles(): void {
  cache.clear();
}
