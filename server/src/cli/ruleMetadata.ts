// What the SARIF output says about each rule: id, severity, category and its short/full/help text
// in the current locale, from the rule registry (issue 10), the one source of this documentation.
import { listRules } from '../engine/rules/registry';
import type { Severity } from '../engine/rules/types';

export interface RuleMetadata {
  code: string;
  severity: Severity;
  category?: string;
  short: string;
  full: string;
  help: string;
}

/** Every rule the engine can report (compose, online, engine limits, Kubernetes). */
export function ruleMetadata(locale: string): RuleMetadata[] {
  return listRules(locale);
}
