// What the SARIF output says about each rule: id, severity, category and its short/full/help text
// in the current locale. The rule registry (issue 10) is the one source of this documentation.
import type { Severity } from '../engine/rules/types';

export interface RuleMetadata {
  code: string;
  severity: Severity;
  category?: string;
  short: string;
  full: string;
  help: string;
}

/** Every rule the engine can report. */
export function ruleMetadata(_locale: string): RuleMetadata[] {
  // The registry has not landed yet: until it does, SARIF describes the rules that fire by their code only.
  // Switch: `return listRules(locale);` with `import { listRules } from '../engine/rules/registry';`.
  return [];
}
