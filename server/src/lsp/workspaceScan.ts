// Finds compose files in a workspace folder (bounded, skipping vendored folders) to learn which
// SLB names the workspace already uses.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { readUserFile } from '../engine/userFile';

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.e2e', '.venv', 'vendor']);
const MAX_FILES = 5000;
const MAX_SIZE = 5 * 1024 * 1024;

/** `alsoWhen`: other YAML files to hand over by content (Kubernetes manifests that reuse a CLB). */
export async function scanWorkspaceComposeFiles(folderUri: string, matchers: RegExp[], onFile: (uri: string, text: string) => void, alsoWhen?: (text: string) => boolean): Promise<void> {
  if (!folderUri.startsWith('file:')) return;
  const root = fileURLToPath(folderUri);
  const queue = [root];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_FILES) {
    const dir = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (++seen > MAX_FILES) break;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith('.')) queue.push(full);
        continue;
      }
      if (!/\.ya?ml$/i.test(entry.name)) continue;
      const rel = path.relative(root, full).split(path.sep).join('/');
      try {
        // Never blocking: a FIFO or device named *.yml is skipped, not read (a read that never ends
        // would hold a thread-pool thread for good).
        const read = await readUserFile(full, { maxBytes: MAX_SIZE });
        if (!read.ok) continue;
        const text = read.text;
        if (matchers.some((m) => m.test(rel)) || text.includes('aliyun.lb.port_') || alsoWhen?.(text)) onFile(pathToFileURL(full).toString(), text);
      } catch {
        // unreadable file: skip
      }
    }
  }
}
