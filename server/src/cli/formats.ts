// The output formats of `slb-labels lint`: text and JSON (as they always were), SARIF 2.1.0 for code
// scanning, and GitHub workflow commands for annotations on a pull request. Each takes the same
// per-file results and run notes; none re-reads a file or re-runs a rule.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { t } from '../engine/i18n';
import type { Severity } from '../engine/rules/types';
import { VERSION } from './args';
import { RuleMetadata } from './ruleMetadata';

export interface LintDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  related?: { line: number; column: number; message: string }[];
}

export interface LintFileResult {
  file: string;
  diagnostics: LintDiagnostic[];
}

/** Something about the run itself (an unreadable input, online checks that could not run). */
export interface RunNote {
  level: 'error' | 'warning' | 'note';
  message: string;
  /** The input it is about, when there is one (as displayed). */
  file?: string;
}

export interface FormatContext {
  /** Working directory: SARIF artifact URIs are relative to it (%SRCROOT%). */
  cwd: string;
  notes: RunNote[];
  /** Rule documentation for SARIF, in the current locale. */
  rules: RuleMetadata[];
  /** false when an input could not be read or online checks could not run. */
  complete: boolean;
}

export function countBySeverity(results: readonly LintFileResult[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const r of results) for (const d of r.diagnostics) d.severity === 'error' ? errors++ : d.severity === 'warning' ? warnings++ : undefined;
  return { errors, warnings };
}

export function formatText(results: readonly LintFileResult[]): string {
  const out: string[] = [];
  for (const r of results) for (const d of r.diagnostics) out.push(`${r.file}:${d.line}:${d.column}: ${d.severity} ${d.message} [${d.code}]`);
  const { errors, warnings } = countBySeverity(results);
  out.push(t('{0} error(s), {1} warning(s) in {2} file(s)', errors, warnings, results.length));
  return out.join('\n') + '\n';
}

export function formatJson(results: readonly LintFileResult[]): string {
  return JSON.stringify(results, null, 2) + '\n';
}

// -- GitHub workflow commands ---------------------------------------------------------------------
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: the message is
// escaped as command data (% CR LF), property values as properties (also : and ,).

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

export function formatGithub(results: readonly LintFileResult[], context: Pick<FormatContext, 'cwd' | 'notes'>): string {
  const out: string[] = [];
  for (const r of results) {
    const file = escapeProperty(toPosix(r.file));
    for (const d of r.diagnostics) {
      const props = [`file=${file}`, `line=${d.line}`, `endLine=${d.endLine}`, `col=${d.column}`, `endColumn=${d.endColumn}`, `title=${escapeProperty(`slb-labels ${d.code}`)}`];
      out.push(`::${GITHUB_LEVEL[d.severity]} ${props.join(',')}::${escapeData(d.message)}`);
    }
  }
  for (const n of context.notes) {
    const level = n.level === 'note' ? 'notice' : n.level;
    out.push(`::${level} ${n.file ? `file=${escapeProperty(toPosix(n.file))},` : ''}title=slb-labels::${escapeData(n.message)}`);
  }
  const { errors, warnings } = countBySeverity(results);
  out.push(t('{0} error(s), {1} warning(s) in {2} file(s)', errors, warnings, results.length));
  return out.join('\n') + '\n';
}

// -- SARIF 2.1.0 ------------------------------------------------------------------------------------
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/ and GitHub's code scanning subset: results point
// at %SRCROOT%-relative artifact URIs (the repository checkout in CI), rules carry their docs.

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A relative URI reference for a path under cwd (segments percent-encoded), else an absolute file: URI. */
export function artifactUri(cwd: string, file: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const rel = path.relative(cwd, absolute);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: toPosix(rel).split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

export function formatSarif(results: readonly LintFileResult[], context: FormatContext): string {
  const ruleIndex = new Map<string, number>();
  const rules: Record<string, unknown>[] = [];
  const addRule = (code: string, fallbackSeverity: Severity) => {
    if (ruleIndex.has(code)) return ruleIndex.get(code)!;
    const meta = context.rules.find((r) => r.code === code);
    ruleIndex.set(code, rules.length);
    rules.push({
      id: code,
      name: code.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: meta?.short ?? code },
      fullDescription: { text: meta?.full ?? meta?.short ?? code },
      help: { text: meta?.help ?? meta?.short ?? code },
      defaultConfiguration: { level: SARIF_LEVEL[meta?.severity ?? fallbackSeverity] },
      properties: { tags: ['aliyun', 'slb', ...(meta?.category ? [meta.category] : [])] },
    });
    return ruleIndex.get(code)!;
  };
  // Every rule of the registry, so that code scanning knows them before they first fire.
  for (const r of context.rules) addRule(r.code, r.severity);
  const sarifResults: Record<string, unknown>[] = [];
  for (const r of results) {
    const artifactLocation = artifactUri(context.cwd, r.file);
    for (const d of r.diagnostics) {
      const index = addRule(d.code, d.severity);
      const result: Record<string, unknown> = {
        ruleId: d.code,
        ruleIndex: index,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation, region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn } } }],
      };
      if (d.related?.length) {
        result.relatedLocations = d.related.map((rel, i) => ({
          id: i + 1,
          message: { text: rel.message },
          physicalLocation: { artifactLocation, region: { startLine: rel.line, startColumn: rel.column } },
        }));
      }
      sarifResults.push(result);
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'slb-labels', semanticVersion: VERSION, version: VERSION, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(context.cwd.endsWith(path.sep) ? context.cwd : context.cwd + path.sep).href } },
        invocations: [
          {
            executionSuccessful: context.complete,
            toolExecutionNotifications: context.notes.map((n) => ({
              level: n.level,
              message: { text: n.message },
              ...(n.file ? { locations: [{ physicalLocation: { artifactLocation: artifactUri(context.cwd, n.file) } }] } : {}),
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
