// What every rule declares about itself (the registry in rules/registry.ts collects them): its
// code, default severity, category and scope, its documentation in English and Simplified Chinese,
// an example line, and the quick fix it offers. The README table, `slb-labels lint --list-rules`,
// SARIF rule metadata and the guards in provisioning and completion read these, never a copy.
import type { ExtendsResolution } from '../compose/extends';
import type { ServiceModel } from '../compose/model';
import type { Finding, ServiceRuleResult, Severity } from './types';

/** What a service-scope check reads: the service's model, the .env, and what `extends` adds. */
export interface ServiceCheckInput {
  service: ServiceModel;
  env: ReadonlyMap<string, string> | undefined;
  extended?: ExtendsResolution;
}

export type RuleCategory = 'syntax' | 'port chain' | 'cross-service' | 'catalogue' | 'online' | 'kubernetes';
/** Where a rule looks: one label line, one service, the whole file, or the account/workspace. */
export type RuleScope = 'label line' | 'service' | 'file' | 'workspace';
export type DocLocale = 'en' | 'zh-cn';

export interface RuleDoc {
  /** One line: what the rule finds. */
  short: string;
  /** What happens at deploy time, and why it matters. */
  full: string;
  /** What to do. */
  help: string;
}

export interface RuleSpec {
  code: string;
  severity: Severity;
  /** Other severities the rule uses in particular cases (e.g. a parser warning, a hint without a did-you-mean). */
  otherSeverities?: Severity[];
  category: RuleCategory;
  scope: RuleScope;
  docs: Record<DocLocale, RuleDoc>;
  /** A line (or a short description of lines) that triggers the rule, as the README shows it. */
  example: string;
  /** The quick fix in words (English), when the rule offers one. */
  fix?: string;
}

/** One module that checks a group of rules (yaml-language-server's AdditionalValidator, one provider per file). */
export interface RuleProvider {
  /** The module, for error messages and docs: `rules/serviceRules`. */
  id: string;
  rules: readonly RuleSpec[];
  /** Service scope (label line and service rules): appends to `out`. Run by the analysis for every service. */
  checkService?: (input: ServiceCheckInput, out: ServiceRuleResult) => void;
  /** File scope: the whole text of a compose file (offsets into it). */
  checkFile?: (text: string) => Finding[];
  /** A word without which `checkFile` finds nothing: the analysis then skips it for a text it knows lacks the word. */
  checkFileWhen?: string;
}

/** Compact constructor: docs as [short, full, help] in English and Chinese. */
export function rule(code: string, severity: Severity, category: RuleCategory, scope: RuleScope, example: string, en: [string, string, string], zh: [string, string, string], extra: Pick<RuleSpec, 'fix' | 'otherSeverities'> = {}): RuleSpec {
  const doc = ([short, full, help]: [string, string, string]): RuleDoc => ({ short, full, help });
  return { code, severity, category, scope, example, docs: { en: doc(en), 'zh-cn': doc(zh) }, ...extra };
}
