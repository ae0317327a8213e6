// What `slb-labels lint` checks, from its operands, as linters take them: files (also what the shell
// expanded a glob into), directories (walked with the editor's compose-file globs, skipping what
// .gitignore excludes), a quoted glob, and `-` for stdin. Walking is tinyglobby's, ignore rules are
// the `ignore` package's (the .gitignore semantics git uses); this file only wires them together.
import * as fs from 'fs';
import * as path from 'path';
import ignore, { Ignore } from 'ignore';
// require(), not import: esbuild then bundles tinyglobby's (and fdir's) CommonJS build; their ES
// module build reads import.meta.url, which a CommonJS bundle does not have.
import tinyglobby = require('tinyglobby');

const { glob, isDynamicPattern } = tinyglobby;
import { t } from '../engine/i18n';
import { DEFAULT_COMPOSE_GLOBS } from '../lsp/settings';

/**
 * Kubernetes manifests have no naming convention: inside a directory every YAML file is a
 * candidate, and lint.ts keeps those whose content is a manifest (apiVersion + kind, as the
 * editor detects them) and drops the rest unreported.
 */
export const MANIFEST_GLOBS: readonly string[] = ['**/*.yaml', '**/*.yml'];

/** Never walked into, .gitignore or not. */
const ALWAYS_SKIPPED = ['**/.git/**', '**/node_modules/**'];

export interface LintInput {
  /** As shown in output: relative to the working directory when under it, else as given. */
  display: string;
  /** Absolute path (for `-`: where --stdin-filename puts it, for its .env). */
  absolute: string;
  stdin?: boolean;
  /** 'compose': matched by the compose globs or named; 'candidate': any other YAML file of a walked directory (a manifest, if its content says so). */
  kind: 'compose' | 'candidate';
}

export interface WalkOptions {
  cwd: string;
  /** Globs matched inside directories (default: the editor's composeFiles). */
  globs?: readonly string[];
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
  /** Also collect Kubernetes manifest candidates in directories (default true). */
  manifests?: boolean;
  stdinFilename?: string;
  /** Upper bound on the files one run checks (a walk of `/` must not run for ever). */
  maxFiles?: number;
}

export interface WalkResult {
  inputs: LintInput[];
  /** One message per operand that names nothing readable (exit 2). */
  problems: string[];
}

const DEFAULT_MAX_FILES = 20_000;

function toDisplay(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The working tree's root: the nearest folder above `dir` with a .git entry (bounded by the file system root). */
function gitRootOf(dir: string): string | undefined {
  for (let d = dir, i = 0; i < 256; i++) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

/** .gitignore rules that apply inside `dir`: those of its ancestors up to the git root, those below it, and .git/info/exclude. */
class GitIgnores {
  private readonly layers: { dir: string; rules: Ignore }[] = [];

  static async load(dir: string): Promise<GitIgnores> {
    const self = new GitIgnores();
    const root = gitRootOf(dir);
    const ancestors: string[] = [];
    if (root) for (let d = path.dirname(dir); d.length >= root.length && d !== path.dirname(d); d = path.dirname(d)) ancestors.unshift(d);
    if (root) self.add(root, path.join(root, '.git', 'info', 'exclude'));
    for (const a of ancestors) self.add(a, path.join(a, '.gitignore'));
    const nested = await glob('**/.gitignore', { cwd: dir, dot: true, ignore: ALWAYS_SKIPPED, followSymbolicLinks: false });
    for (const rel of nested.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))) {
      self.add(path.join(dir, path.dirname(rel)), path.join(dir, rel));
    }
    return self;
  }

  private add(dir: string, file: string): void {
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > 1_000_000) return;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    this.layers.push({ dir, rules: ignore().add(text) });
  }

  /** Git's reading: the deepest .gitignore with an opinion on the path wins. */
  ignores(absolute: string): boolean {
    let ignored = false;
    for (const layer of this.layers) {
      const rel = path.relative(layer.dir, absolute);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const verdict = layer.rules.test(toPosix(rel));
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

export async function resolveInputs(operands: readonly string[], options: WalkOptions): Promise<WalkResult> {
  const inputs: LintInput[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const globs = options.globs?.length ? options.globs : DEFAULT_COMPOSE_GLOBS;
  const manifestGlobs = options.manifests === false ? [] : MANIFEST_GLOBS;
  // Shown as typed: a named file as named, a walked file as its directory operand joined with the rest.
  const push = (absolute: string, display: string, kind: LintInput['kind'] = 'compose') => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    inputs.push({ display, absolute, kind });
  };
  let stdinTaken = false;
  for (const operand of operands) {
    if (inputs.length > maxFiles) break;
    if (operand === '-') {
      if (stdinTaken) {
        problems.push(t('- (stdin) can be named only once'));
        continue;
      }
      stdinTaken = true;
      const name = options.stdinFilename ?? '<stdin>';
      const absolute = path.resolve(options.cwd, options.stdinFilename ?? 'stdin');
      inputs.push({ display: options.stdinFilename ? toDisplay(options.cwd, absolute) : name, absolute, stdin: true, kind: 'compose' });
      continue;
    }
    const absolute = path.resolve(options.cwd, operand);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(absolute);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      // A glob the shell did not expand (quoted, or a shell without globbing).
      if (isDynamicPattern(operand)) {
        const matches = await glob(toPosix(operand), { cwd: options.cwd, dot: true, ignore: ALWAYS_SKIPPED, followSymbolicLinks: false, absolute: true });
        if (matches.length === 0) problems.push(t('{0}: no file matches this pattern', operand));
        for (const m of matches.map((x) => path.resolve(x)).sort()) push(m, path.isAbsolute(operand) ? m : toDisplay(options.cwd, m));
        continue;
      }
      problems.push(t('{0}: no such file', operand));
      continue;
    }
    if (!stat.isDirectory()) {
      // Named explicitly: checked whatever its name, as other linters do.
      push(absolute, operand);
      continue;
    }
    const walkOptions = { cwd: absolute, dot: true, ignore: ALWAYS_SKIPPED, followSymbolicLinks: false, absolute: true };
    const ignores = options.gitignore === false ? undefined : await GitIgnores.load(absolute);
    const keep = (found: string[]) => found.map((f) => path.resolve(f)).filter((f) => !ignores?.ignores(f)).sort();
    const compose = keep(await glob([...globs], walkOptions));
    const composeSet = new Set(compose);
    const candidates = manifestGlobs.length ? keep(await glob([...manifestGlobs], walkOptions)).filter((f) => !composeSet.has(f)) : [];
    if (compose.length === 0 && candidates.length === 0) {
      problems.push(t('{0}: no compose files in this directory (looked for {1}{2}); name files, or pass --compose-files GLOB', operand, globs.join(', '), ignores ? t(', skipping what .gitignore excludes') : ''));
      continue;
    }
    const display = (f: string) => path.join(operand, path.relative(absolute, f));
    const all = [...compose.map((f) => [f, 'compose'] as const), ...candidates.map((f) => [f, 'candidate'] as const)].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [f, kind] of all) push(f, display(f), kind);
  }
  if (inputs.length > maxFiles) {
    problems.push(t('more than {0} files to check: name fewer directories, or narrow them with --compose-files', maxFiles));
    inputs.length = maxFiles;
  }
  return { inputs, problems };
}
