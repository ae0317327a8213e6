// The rule registry: every rule of the engine, by code, with its severity, category, scope and
// documentation. Each provider module declares its own rules beside its check (one provider per
// file, like compose-language-service; a list of validators, like yaml-language-server's
// AdditionalValidator). The analysis runs the providers; the README checks table, the CLI's
// `--list-rules`, SARIF rule metadata and the guards in provisioning and completion read the
// registry, so adding a rule is: declare it beside its check, test it, translate its message.
import { ONLINE_RULES } from '../cloud/onlineRules';
import { K8S_RULE_SPECS } from '../k8s/ruleSpecs';
import { COMPOSE_RULES } from './composeRules';
import { CROSS_SERVICE_RULES } from './crossServiceRules';
import { DocLocale, RuleCategory, RuleDoc, RuleProvider, RuleScope, RuleSpec } from './ruleSpec';
import { SERVICE_RULES } from './serviceRules';
import { ENGINE_LIMIT_RULES, SYNTAX_RULES } from './syntaxRules';
import type { Severity } from './types';

export type { DocLocale, RuleCategory, RuleDoc, RuleProvider, RuleScope, RuleSpec };

/** The Kubernetes Service checks (engine/k8s, run by their own ManifestAnalyzer): documented here with the rest. */
const K8S_RULES: RuleProvider = { id: 'k8s/rules', rules: K8S_RULE_SPECS };

/** In the order the README table lists them. */
export const RULE_PROVIDERS: readonly RuleProvider[] = [SYNTAX_RULES, SERVICE_RULES, COMPOSE_RULES, CROSS_SERVICE_RULES, ONLINE_RULES, ENGINE_LIMIT_RULES, K8S_RULES];

export const RULES: readonly RuleSpec[] = RULE_PROVIDERS.flatMap((p) => p.rules);

/** The providers the analysis runs for every service, and once per file. */
export const SERVICE_CHECKS: readonly RuleProvider[] = RULE_PROVIDERS.filter((p) => p.checkService);
export const FILE_CHECKS: readonly RuleProvider[] = RULE_PROVIDERS.filter((p) => p.checkFile);

const BY_CODE = new Map<string, RuleSpec>();
for (const r of RULES) {
  if (BY_CODE.has(r.code)) throw new Error(`rule code ${r.code} is declared twice`);
  BY_CODE.set(r.code, r);
}

export function ruleFor(code: string): RuleSpec | undefined {
  return BY_CODE.get(code);
}

/** Port-chain errors: the label is fine, the ports mapping is not (provisioning reports NO_BACKEND_PORT). */
export function isPortChainCode(code: string): boolean {
  return BY_CODE.get(code)?.category === 'port chain';
}

/** Everything a face needs to describe a rule (CLI --list-rules, SARIF `rules`), in one locale. */
export interface RuleInfo extends RuleDoc {
  code: string;
  severity: Severity;
  otherSeverities: Severity[];
  category: RuleCategory;
  scope: RuleScope;
  example: string;
  fix?: string;
  /** The module that checks it. */
  provider: string;
}

export function listRules(locale: string = 'en'): RuleInfo[] {
  const lang: DocLocale = locale.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  return RULE_PROVIDERS.flatMap((p) =>
    p.rules.map((r) => ({ code: r.code, severity: r.severity, otherSeverities: r.otherSeverities ?? [], category: r.category, scope: r.scope, example: r.example, fix: r.fix, provider: p.id, ...r.docs[lang] })),
  );
}

/** `slb-labels lint --list-rules`: one rule per line, aligned. */
export function listRulesText(locale: string = 'en'): string {
  const rules = listRules(locale);
  const width = Math.max(...rules.map((r) => r.code.length));
  const sevWidth = Math.max(...rules.map((r) => r.severity.length));
  const catWidth = Math.max(...rules.map((r) => r.category.length));
  return rules.map((r) => `${r.code.padEnd(width)}  ${r.severity.padEnd(sevWidth)}  ${r.category.padEnd(catWidth)}  ${r.short}`).join('\n') + '\n';
}

export const README_TABLE_BEGIN = '<!-- rules table: generated from server/src/engine/rules/registry.ts (npm run readme:rules) -->';
export const README_TABLE_END = '<!-- end of rules table -->';

/** The README's checks table (English), checked by a test against the README. */
export function readmeRulesTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = RULES.map((r) => {
    const severity = [r.severity, ...(r.otherSeverities ?? [])].join(' / ');
    return `| \`${r.code}\` | ${severity} | ${r.category} | ${r.scope} | ${cell(r.example)} | ${cell(r.docs.en.short)} ${cell(r.docs.en.help)} | ${cell(r.fix ?? '')} |`;
  });
  return ['| code | severity | category | scope | on a line like | what it says | quick fix |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the table between the markers in a README text. */
export function withReadmeRulesTable(readme: string): string {
  const begin = readme.indexOf(README_TABLE_BEGIN);
  const end = readme.indexOf(README_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('README: the rules table markers are missing');
  return readme.slice(0, begin + README_TABLE_BEGIN.length) + '\n' + readmeRulesTable() + '\n' + readme.slice(end);
}
