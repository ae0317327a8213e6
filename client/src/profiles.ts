// Profile names for the "Select profile" picker, read from the aliyun CLI's config and the
// credentials INI file. No vscode import, so it is testable in plain node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Larger than any real config: a bigger file is not a credentials file, and is not read. */
const MAX_PROFILE_FILE_BYTES = 1024 * 1024;

/**
 * The text of a regular file, or undefined. A FIFO, socket or device at that path is never
 * opened: a synchronous read of a FIFO with no writer would freeze the extension host.
 */
function readRegularFile(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_PROFILE_FILE_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Profile names of ~/.aliyun/config.json and sections of ~/.alibabacloud/credentials (names only). */
export function listProfiles(home = os.homedir()): string[] {
  const names = new Set<string>();
  const config = readRegularFile(path.join(home, '.aliyun', 'config.json'));
  if (config !== undefined) {
    try {
      const cfg = JSON.parse(config) as { profiles?: Array<{ name?: unknown }> };
      for (const p of cfg.profiles ?? []) if (typeof p?.name === 'string' && p.name) names.add(p.name);
    } catch {
      // not JSON: the language server's credential lookup reports it
    }
  }
  const ini = readRegularFile(path.join(home, '.alibabacloud', 'credentials'));
  if (ini !== undefined) for (const m of ini.matchAll(/^\s*\[([^\]\r\n]+)\]\s*$/gm)) names.add(m[1].trim());
  return [...names].sort();
}
