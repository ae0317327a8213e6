// `extends` resolved once in the model: the ports a service gets from the service it extends (in
// this file, or in another file beside it), followed to the end of the chain. Bounded depth,
// cycles detected. When the chain cannot be followed (missing or unreadable file, no such service,
// a loop, files not readable here), the resolution says why and rules make no claim about the
// service's ports.
import * as fs from 'fs';
import * as path from 'path';
import { t } from '../i18n';
import { readUserFileSync } from '../userFile';
import { ExposeEntry, ExtendsRef, PortMapping, ServiceModel } from './model';

/** What extends needs of a service; kept with a cached unit even when its full model is dropped. */
export interface ServiceFacts {
  name: string;
  ports: PortMapping[];
  expose: ExposeEntry[];
  extends?: ExtendsRef;
}

export function factsOf(service: ServiceModel): ServiceFacts {
  return { name: service.name, ports: service.ports, expose: service.expose, extends: service.extends };
}

export interface ExtendsResolution {
  /** Ports from the extended services, placed at the `extends` key (that is where they come from). */
  ports: PortMapping[];
  expose: ExposeEntry[];
  /** Why the chain could not be followed to its end. */
  problem?: string;
}

export interface ExtendsFiles {
  /** This compose file's path on disk. */
  path: string;
  /** Reads a file (throws a Node error with `code` when it cannot). */
  read: (file: string) => string;
}

export interface ExtendsContext {
  sameFile: (name: string) => ServiceFacts | undefined;
  /** Undefined: other files cannot be read here (unsaved document, untrusted workspace). */
  files?: ExtendsFiles;
  /** Services of another compose file's text (the caller caches). */
  servicesOf: (text: string) => ServiceFacts[];
}

const MAX_DEPTH = 10;

export function resolveExtends(service: ServiceFacts, context: ExtendsContext): ExtendsResolution | undefined {
  const start = service.extends;
  if (!start) return undefined;
  const result: ExtendsResolution = { ports: [], expose: [] };
  const place = <T extends { span: { start: number; end: number } }>(items: T[]): T[] => items.map((x) => ({ ...x, span: start.span, inherited: true }));
  let current = service;
  let file = context.files?.path ?? '';
  let lookup = context.sameFile;
  const visited = new Set<string>([`${file}\u0000${service.name}`]);
  for (let depth = 0; current.extends; depth++) {
    const ref: ExtendsRef = current.extends;
    if (depth >= MAX_DEPTH) return { ...result, problem: t('the extends chain is more than {0} services long', MAX_DEPTH) };
    if (!ref.service) return { ...result, problem: t("an extends without a service name ('extends: {service: name}')") };
    let next: ServiceFacts | undefined;
    if (ref.file !== undefined) {
      if (!context.files) return { ...result, problem: t("'{0}' is not read here (the document is not saved as a file, or the workspace is not trusted)", ref.file) };
      const target = path.resolve(path.dirname(file), ref.file);
      let text: string;
      try {
        text = context.files.read(target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException)?.code;
        return { ...result, problem: code === 'ENOENT' ? t("the extended file '{0}' does not exist", ref.file) : code === 'EISDIR' ? t("the extended file '{0}' is a directory", ref.file) : t("the extended file '{0}' cannot be read ({1})", ref.file, code ?? String(error)) };
      }
      const services = context.servicesOf(text);
      next = services.find((s) => s.name === ref.service);
      if (!next) return { ...result, problem: t("the extended file '{0}' has no service '{1}'", ref.file, ref.service) };
      file = target;
      lookup = (name) => services.find((s) => s.name === name);
    } else {
      next = lookup(ref.service);
      if (!next) return { ...result, problem: t("there is no service '{0}' to extend in {1}", ref.service, file === (context.files?.path ?? '') ? t('this file') : path.basename(file)) };
    }
    const key = `${file}\u0000${next.name}`;
    // A loop makes docker compose reject the file: the ports met on the way are no fact to reason on.
    if (visited.has(key)) return { ports: [], expose: [], problem: t("the extends chain comes back to '{0}' (docker compose rejects the loop)", next.name) };
    visited.add(key);
    result.ports.push(...place(next.ports));
    result.expose.push(...place(next.expose));
    current = next;
  }
  return result;
}

/** A short stable text of a resolution: the rules of a cached unit are recomputed when it changes. */
export function resolutionKey(r: ExtendsResolution | undefined): string {
  if (!r) return '';
  return `${r.problem ?? ''}|${r.ports.map((p) => `${p.raw}/${p.protocol}`).join(',')}|${r.expose.map((e) => e.raw).join(',')}`;
}

const fileCache = new Map<string, { mtimeMs: number; size: number; text: string }>();
const MAX_EXTENDED_FILE_BYTES = 4 * 1024 * 1024;

/** Reads an extended compose file from disk, cached by modification time (asked on every keystroke). */
export function readExtendedFile(file: string): string {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
  if (stat.size > MAX_EXTENDED_FILE_BYTES) throw Object.assign(new Error(`${file} is too large`), { code: 'EFBIG' });
  const cached = fileCache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.text;
  // Never blocks on a FIFO or a device (userFile.ts), bounded in size.
  const read = readUserFileSync(file, { maxBytes: MAX_EXTENDED_FILE_BYTES });
  if (!read.ok) throw Object.assign(new Error(read.message), { code: read.code ?? (read.problem === 'missing' ? 'ENOENT' : read.problem === 'directory' ? 'EISDIR' : read.problem.toUpperCase()) });
  const text = read.text;
  if (fileCache.size > 64) fileCache.clear();
  fileCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, text });
  return text;
}

/** The reader for a compose file on disk (the server's worker and the CLI). */
export function extendsFilesFor(composeFile: string): ExtendsFiles {
  return { path: composeFile, read: readExtendedFile };
}
