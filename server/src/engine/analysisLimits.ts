// The limits that keep one analysis bounded whatever the text: a size limit (checked before any
// work) and a time budget (checked between services). Both say in one finding what happened.
import { t } from './i18n';
import { Finding } from './rules/types';

/**
 * Texts longer than this (in UTF-16 code units, about bytes for compose files) are not analysed.
 * 10 MB is thousands of times the largest file of the real-world corpus (2.5 kB) and twice the
 * 5 MB the robustness tests analyse. Memory and time grow with the text: a
 * 50 MB file of 457k services took 110 s and 2.7 GB in the CLI (README, Reliability); at 10 MB that
 * is about a fifth. SLB_LABELS_MAX_FILE_MB overrides it (tests use a small value).
 */
export const DEFAULT_MAX_TEXT_MB = 10;

/** Per-document analysis time budget of the language server (its validation worker). */
export const DEFAULT_SERVER_BUDGET_MS = 10_000;
/** Per-file analysis time budget of `slb-labels lint` (a batch tool can wait longer). */
export const DEFAULT_CLI_BUDGET_MS = 60_000;

function positiveNumber(raw: string | undefined): number | undefined {
  const value = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The size limit in characters (SLB_LABELS_MAX_FILE_MB, else 10 MB). */
export function maxTextLength(env: NodeJS.ProcessEnv = process.env): number {
  return Math.floor((positiveNumber(env.SLB_LABELS_MAX_FILE_MB) ?? DEFAULT_MAX_TEXT_MB) * 1024 * 1024);
}

/** The analysis time budget in ms (SLB_LABELS_ANALYSIS_BUDGET_MS, else the face's default). */
export function analysisBudgetMs(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  return positiveNumber(env.SLB_LABELS_ANALYSIS_BUDGET_MS) ?? fallback;
}

/** `50.4 MB`, `4.8 kB` (a lowered limit in tests is small). */
function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} kB`;
}

/** The one finding for a text over the size limit (at the start of the file). */
export function sizeLimitFinding(length: number, limit: number): Finding {
  return {
    code: 'file-too-large',
    severity: 'error',
    message: t('This file is {0}; files over {1} are not checked (no compose file needs that much). Split it, or raise the limit with the environment variable SLB_LABELS_MAX_FILE_MB.', sizeText(length), sizeText(limit)),
    span: { start: 0, end: 0 },
  };
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** The one finding for an analysis stopped by its time budget, at the line it had reached (0-based offset). */
export function analysisStoppedFinding(budgetMs: number, offset: number, line: number): Finding {
  return {
    code: 'analysis-stopped',
    // An error: the file was not checked, and `lint` must not pass it (exit 1).
    severity: 'error',
    message: t('Analysis stopped after {0} s at line {1}: checking this file takes too long, so it has no other diagnostics. Split the file, or raise the budget with the environment variable SLB_LABELS_ANALYSIS_BUDGET_MS.', seconds(budgetMs), line + 1),
    span: { start: offset, end: offset },
  };
}

/** 0-based line of `offset` (counts line breaks: once per stopped analysis, not per keystroke). */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Test-only hook (never set it in real use): SLB_LABELS_TEST_SLOW_RULE_MS=N makes the rules spend N
 * ms of busy work on every service whose name starts with `slow_rule_probe`, so the tests can
 * check the time budget with a deliberately slow rule. Read once, at start-up.
 */
export const testSlowRuleMs = positiveNumber(process.env.SLB_LABELS_TEST_SLOW_RULE_MS);

export function runTestSlowRule(serviceName: string): void {
  if (testSlowRuleMs === undefined || !serviceName.startsWith('slow_rule_probe')) return;
  const until = performance.now() + testSlowRuleMs;
  while (performance.now() < until) {
    // deliberately busy (the test's slow rule)
  }
}
