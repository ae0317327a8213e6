// `slb-labels lint <paths...>`: the language server's diagnostics as a linter. Inputs come from
// walk.ts, output from formats.ts, online checks from online.ts; this file reads and orchestrates.
import { ComposeAnalyzer } from '../engine/analysis';
import { analysisBudgetMs, DEFAULT_CLI_BUDGET_MS, maxTextLength, sizeLimitFinding } from '../engine/analysisLimits';
import { loadEnvBeside } from '../engine/compose/dotEnv';
import { extendsFilesFor } from '../engine/compose/extends';
import { getLocale, t } from '../engine/i18n';
import { ManifestAnalyzer } from '../engine/k8s/analyze';
import { looksLikeKubernetes, parseManifest } from '../engine/k8s/parse';
import { clbPortClaims, crossFileFinding, WorkspaceClbPorts } from '../engine/k8s/workspacePorts';
import { listRules, listRulesText } from '../engine/rules/registry';
import type { Finding } from '../engine/rules/types';
import { textOf } from '../engine/text';
import { readUserFileSync } from '../engine/userFile';
import { COMMANDS, numberValue, parseCommand, stringValue } from './args';
import { countBySeverity, formatGithub, formatJson, formatSarif, formatText, LintDiagnostic, LintFileResult, RunNote } from './formats';
import { OnlineSubject, runOnlineChecks } from './online';
import { LintThread } from './lintThread';
import { ruleMetadata } from './ruleMetadata';
import { LintInput, resolveInputs } from './walk';

export type { LintFileResult } from './formats';

export interface LintIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
  /** Working directory (default process.cwd()). */
  cwd?: string;
  /** What `-` reads (default process.stdin). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  homeDir?: string;
}

type Format = 'text' | 'json' | 'sarif' | 'github';

function toDiagnostics(text: string, findings: readonly Finding[]): LintDiagnostic[] {
  const doc = textOf(text);
  return findings
    .slice()
    .sort((a, b) => a.span.start - b.span.start)
    .map((f) => {
      const start = doc.positionAt(f.span.start);
      const end = doc.positionAt(f.span.end);
      return {
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: f.severity,
        code: f.code,
        message: f.message,
        related: f.related?.map((r) => {
          const p = doc.positionAt(r.span.start);
          return { line: p.line + 1, column: p.character + 1, message: r.message };
        }),
      };
    });
}

interface Linted {
  result: LintFileResult;
  /** For the online rules: the file and its text (none: over the size limit, or its analysis stopped). */
  source?: { absolute: string; text: string };
}

/** Over the size limit: one finding (issue 9), the text is not analysed. */
function sizeLimited(display: string, size: number, limit: number): Linted {
  const f = sizeLimitFinding(size, limit);
  return { result: { file: display, diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity: f.severity, code: f.code, message: f.message }] } };
}

/**
 * One file's findings as the CLI reports them: the .env beside the file and the files it extends are
 * read; the size limit and time budget apply; Kubernetes manifests (apiVersion + kind, as the editor
 * detects them) get the k8s checks. The lint thread (lintThread.ts) runs this function.
 */
export function lintText(file: string, text: string, analyzer = new ComposeAnalyzer(), onProgress?: (offset: number) => void): LintFileResult {
  if (looksLikeKubernetes(text) && text.length <= maxTextLength()) {
    return { file, diagnostics: toDiagnostics(text, new ManifestAnalyzer().analyze(text).findings) };
  }
  const analysis = analyzer.analyze(text, { env: loadEnvBeside(file), files: extendsFilesFor(file), yamlSyntaxErrors: 'all', maxTextLength: maxTextLength(), timeBudgetMs: analysisBudgetMs(DEFAULT_CLI_BUDGET_MS), onProgress });
  return { file, diagnostics: toDiagnostics(text, analysis.findings) };
}

/** What the online rules read of a file: in-process, and only for files the lint thread finished in time. */
function onlineSubjectOf(absolute: string, text: string, analyzer: ComposeAnalyzer): OnlineSubject {
  if (looksLikeKubernetes(text)) return { kind: 'k8s', manifest: new ManifestAnalyzer().analyze(text).manifest };
  const analysis = analyzer.analyze(text, { env: loadEnvBeside(absolute), files: extendsFilesFor(absolute), yamlSyntaxErrors: 'all', maxTextLength: maxTextLength(), timeBudgetMs: analysisBudgetMs(DEFAULT_CLI_BUDGET_MS) });
  return { kind: 'compose', bindings: analysis.bindings };
}

/** R12 across the linted manifests, as the editor does across the workspace (k8s/workspacePorts.ts). */
function addCrossFileClbPorts(linted: Linted[]): void {
  const index = new WorkspaceClbPorts();
  const claimed = linted.flatMap((l, i) => {
    if (!l.source || !looksLikeKubernetes(l.source.text) || !/loadbalancer-id/.test(l.source.text)) return [];
    const claims = clbPortClaims(parseManifest(l.source.text));
    index.update(String(i), claims, textOf(l.source.text));
    return claims.length ? [{ l, i, claims }] : [];
  });
  for (const { l, i, claims } of claimed) {
    const findings = index.clashes(String(i), claims).map((clash) => crossFileFinding({ ...clash, others: clash.others.map((o) => ({ ...o, uri: linted[Number(o.uri)].result.file })) }));
    if (findings.length) l.result.diagnostics = [...l.result.diagnostics, ...toDiagnostics(l.source!.text, findings)].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

const STDIN_TIMEOUT_MS = 60_000;
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads all of stdin, bounded in time and size; a terminal is refused (nothing would ever end the read). */
function readStdin(stream: NonNullable<LintIo['stdin']>): Promise<{ text: string } | { problem: string }> {
  if (stream.isTTY) return Promise.resolve({ problem: t('- reads stdin, but stdin is a terminal: pipe the file in, e.g. slb-labels lint - < docker-compose.yml') });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: { text: string } | { problem: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.pause();
      // Left open (too big, too slow), stdin would keep the process alive.
      if ('problem' in value) (stream as unknown as { destroy?: () => void }).destroy?.();
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > MAX_INPUT_BYTES) finish({ problem: t('stdin: more than {0} MB; not read', MAX_INPUT_BYTES / 1024 / 1024) });
      else chunks.push(b);
    };
    const onEnd = () => finish({ text: Buffer.concat(chunks).toString('utf8') });
    const onError = (e: Error) => finish({ problem: t('stdin: cannot be read ({0})', e.message) });
    const timer = setTimeout(() => finish({ problem: t('stdin: still open after {0} s; not read', STDIN_TIMEOUT_MS / 1000) }), STDIN_TIMEOUT_MS);
    timer.unref?.();
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}

/** A named file's text, or why it cannot be read: bounded and never blocking (a FIFO or device is refused before any read). */
function readInput(input: LintInput, limit: number): { text: string } | { problem: string } | { tooLarge: number } {
  const read = readUserFileSync(input.absolute, { displayName: input.display, expected: t('a compose file'), maxBytes: limit });
  if (read.ok) return { text: read.text };
  // Over the size limit: one finding (issue 9), the file is not read.
  if (read.problem === 'too-big') return { tooLarge: read.bytes ?? limit + 1 };
  return { problem: read.message };
}

/** `slb-labels lint …`: options and exit codes from args.ts (COMMANDS.lint). */
export async function runLintCli(argv: string[], io: LintIo): Promise<number> {
  const parsed = parseCommand(COMMANDS.lint, argv, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  const format = (stringValue(v, 'format') ?? 'text') as Format;
  // --list-rules takes no paths (COMMANDS.lint.standalone).
  if (v['list-rules'] === true) {
    // From the rule registry: every code the engine can report, with severity, category and summary.
    if (format !== 'text' && format !== 'json') {
      io.err(`slb-labels lint: ${t('--list-rules prints text or json')}\n`);
      return 2;
    }
    io.out(format === 'json' ? JSON.stringify(listRules(getLocale()), null, 2) + '\n' : listRulesText(getLocale()));
    return 0;
  }
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const stdinFilename = stringValue(v, 'stdin-filename');
  if (stdinFilename && !parsed.operands.includes('-')) {
    io.err(`slb-labels lint: ${t('--stdin-filename names what - reads: add - to the paths')}\n${t("Run 'slb-labels {0} --help' for usage.", 'lint')}\n`);
    return 2;
  }
  const walked = await resolveInputs(parsed.operands, { cwd, globs: v['compose-files'] as string[] | undefined, gitignore: v['no-gitignore'] !== true, stdinFilename });
  const notes: RunNote[] = walked.problems.map((message) => ({ level: 'error', message }));
  const analyzer = new ComposeAnalyzer();
  // Each file is analysed on a worker thread with a deadline, so even a rule stuck in one service cannot hang lint.
  const thread = new LintThread(analysisBudgetMs(DEFAULT_CLI_BUDGET_MS, env), (file, text) => lintText(file, text, analyzer));
  const linted: Linted[] = [];
  for (const input of walked.inputs) {
    const read = input.stdin ? await readStdin(io.stdin ?? process.stdin) : readInput(input, maxTextLength(env));
    if ('problem' in read) {
      notes.push({ level: 'error', message: read.problem, file: input.stdin ? undefined : input.display });
      continue;
    }
    if ('tooLarge' in read) {
      if (input.kind === 'compose') linted.push(sizeLimited(input.display, read.tooLarge, maxTextLength(env)));
      continue;
    }
    // Other YAML of a walked directory counts only when it is a Kubernetes manifest.
    if (input.kind === 'candidate' && !looksLikeKubernetes(read.text)) continue;
    const limit = maxTextLength(env);
    if (read.text.length > limit) {
      linted.push(sizeLimited(input.display, read.text.length, limit));
      continue;
    }
    // The absolute path finds the .env and extended files; the output shows the path as typed.
    const result = { ...thread.lint(input.absolute, read.text), file: input.display };
    const stopped = result.diagnostics.some((d) => d.code === 'analysis-stopped');
    linted.push({ result, source: stopped ? undefined : { absolute: input.absolute, text: read.text } });
  }
  thread.stop();
  addCrossFileClbPorts(linted);
  if (linted.length === 0 && notes.length === 0) {
    notes.push({ level: 'error', message: t('nothing to check: no compose file or Kubernetes manifest among {0}', parsed.operands.join(' ')) });
  }
  const unreadable = notes.length > 0;

  let onlineBlocking = false;
  let onlineNotRun = false;
  if (v.online === true && linted.length > 0) {
    const outcome = await runOnlineChecks(
      linted.map((l): OnlineSubject => (l.source ? onlineSubjectOf(l.source.absolute, l.source.text, analyzer) : { kind: 'compose', bindings: [] })),
      { env, homeDir: io.homeDir, profile: stringValue(v, 'profile'), region: stringValue(v, 'region'), endpoint: stringValue(v, 'endpoint'), budgetMs: numberValue(v, 'timeout', 60_000) },
    );
    if (outcome.ran) {
      outcome.findings.forEach((findings, i) => {
        if (findings.length === 0) return;
        const l = linted[i];
        const online = toDiagnostics(l.source?.text ?? '', findings);
        l.result.diagnostics = [...l.result.diagnostics, ...online].sort((a, b) => a.line - b.line || a.column - b.column);
        if (online.some((d) => d.severity === 'error' || d.severity === 'warning')) onlineBlocking = true;
      });
      notes.push({ level: 'note', message: t('Online checks ran against {0} SLB(s) in {1} ({2}).', outcome.slbCount, outcome.region, outcome.source) });
      for (const n of outcome.notes) {
        onlineNotRun = true;
        notes.push({ level: 'error', message: t('Online checks did not run: {0}', n) });
      }
    } else {
      onlineNotRun = true;
      notes.push({ level: 'error', message: t('Online checks did not run: {0}', outcome.reason) });
    }
  }

  const results = linted.map((l) => l.result);
  // Problems with the run go to stderr in every format; SARIF and github also carry them.
  for (const n of notes) io.err(`slb-labels lint: ${n.message}\n`);
  const context = { cwd, notes, rules: ruleMetadata(getLocale()), complete: !unreadable && !onlineNotRun };
  if (format === 'json') io.out(formatJson(results));
  else if (format === 'sarif') io.out(formatSarif(results, context));
  else if (format === 'github') io.out(formatGithub(results, context));
  else io.out(formatText(results));

  if (unreadable) return 2;
  const { errors } = countBySeverity(results);
  return errors > 0 || onlineBlocking || onlineNotRun ? 1 : 0;
}
