// `slb-labels lint <files...>`: the language server's diagnostics as a linter.
import * as fs from 'fs';
import { ComposeAnalyzer } from '../engine/analysis';
import { loadEnvBeside } from '../engine/compose/dotEnv';
import { extendsFilesFor } from '../engine/compose/extends';
import { getLocale, t } from '../engine/i18n';
import { listRules, listRulesText } from '../engine/rules/registry';
import { Finding } from '../engine/rules/types';
import { textOf } from '../engine/text';
import { COMMANDS, parseCommand, stringValue } from './args';
import { analysisBudgetMs, DEFAULT_CLI_BUDGET_MS, maxTextLength, sizeLimitFinding } from '../engine/analysisLimits';
import { readUserFileSync } from '../engine/userFile';
import { ManifestAnalyzer } from '../engine/k8s/analyze';
import { looksLikeKubernetes } from '../engine/k8s/parse';
import { LintThread } from './lintThread';

export interface LintIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

export interface LintFileResult {
  file: string;
  diagnostics: { line: number; column: number; endLine: number; endColumn: number; severity: Finding['severity']; code: string; message: string; related?: { line: number; column: number; message: string }[] }[];
}

export function lintText(file: string, text: string, analyzer = new ComposeAnalyzer(), onProgress?: (offset: number) => void): LintFileResult {
  const env = loadEnvBeside(file);
  const doc = textOf(text);
  // Kubernetes manifests (apiVersion + kind) get the k8s checks; everything else (and any file over
  // the size limit, which the compose path reports) the compose ones.
  const analysis = looksLikeKubernetes(text) && text.length <= maxTextLength()
    ? new ManifestAnalyzer().analyze(text)
    : analyzer.analyze(text, { env, files: extendsFilesFor(file), yamlSyntaxErrors: 'all', maxTextLength: maxTextLength(), timeBudgetMs: analysisBudgetMs(DEFAULT_CLI_BUDGET_MS), onProgress });
  const findings = analysis.findings.slice().sort((a, b) => a.span.start - b.span.start);
  return {
    file,
    diagnostics: findings.map((f) => {
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
    }),
  };
}

/** Returns the exit code: 0 clean or warnings only, 1 errors, 2 bad usage / unreadable file. */
export function runLint(files: string[], format: 'text' | 'json', io: LintIo): number {
  if (files.length === 0) {
    io.err(t('slb-labels lint: name at least one compose file, e.g. slb-labels lint docker-compose.yml') + '\n');
    return 2;
  }
  const analyzer = new ComposeAnalyzer();
  // On a worker thread with a deadline, so even a rule stuck in one service cannot hang lint.
  const thread = new LintThread(analysisBudgetMs(DEFAULT_CLI_BUDGET_MS), (file, text) => lintText(file, text, analyzer));
  const results: LintFileResult[] = [];
  let unreadable = false;
  for (const file of files) {
    // Over the size limit: one finding, without reading (or analysing) the file.
    let size: number | undefined;
    try {
      const stat = fs.statSync(file);
      if (stat.isFile()) size = stat.size;
    } catch {
      size = undefined; // readUserFileSync below names the problem
    }
    if (size !== undefined && size > maxTextLength()) {
      const { code, severity, message } = sizeLimitFinding(size, maxTextLength());
      results.push({ file, diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 1, severity, code, message }] });
      continue;
    }
    // Bounded and never blocking: a FIFO or device is refused before any read.
    const read = readUserFileSync(file, { expected: t('a compose file') });
    if (!read.ok) {
      io.err(read.message + '\n');
      unreadable = true;
      continue;
    }
    results.push(thread.lint(file, read.text));
  }
  thread.stop();
  let errors = 0;
  let warnings = 0;
  for (const r of results) for (const d of r.diagnostics) d.severity === 'error' ? errors++ : d.severity === 'warning' ? warnings++ : undefined;
  if (format === 'json') io.out(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const r of results) {
      for (const d of r.diagnostics) io.out(`${r.file}:${d.line}:${d.column}: ${d.severity} ${d.message} [${d.code}]\n`);
    }
    io.out(t('{0} error(s), {1} warning(s) in {2} file(s)', errors, warnings, results.length) + '\n');
  }
  if (unreadable) return 2;
  return errors > 0 ? 1 : 0;
}

/** `slb-labels lint …`: options from args.ts (COMMANDS.lint). */
export function runLintCli(argv: string[], io: LintIo): number {
  // --list-rules takes no files.
  const listing = argv.includes('--list-rules');
  const parsed = parseCommand(listing ? { ...COMMANDS.lint, operandCount: { min: 0, max: 0 } } : COMMANDS.lint, argv, io);
  if (typeof parsed === 'number') return parsed;
  const format = (stringValue(parsed.values, 'format') ?? 'text') as 'text' | 'json';
  if (listing) {
    // From the rule registry: every code the engine can report, with severity, category and summary.
    io.out(format === 'json' ? JSON.stringify(listRules(getLocale()), null, 2) + '\n' : listRulesText(getLocale()));
    return 0;
  }
  return runLint(parsed.operands, format, io);
}
