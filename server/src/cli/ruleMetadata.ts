// What the SARIF output says about each rule: id, severity, category and its short/full/help text
// in the current locale. The rule registry (issue 10) is the one source of this documentation.
import { K8S_RULE_SPECS } from '../engine/k8s/ruleSpecs';
import type { Severity } from '../engine/rules/types';

export interface RuleMetadata {
  code: string;
  severity: Severity;
  category?: string;
  short: string;
  full: string;
  help: string;
}

/** Every rule the engine can report (today: the ones declared in the registry's shape). */
export function ruleMetadata(locale: string): RuleMetadata[] {
  // The compose rule registry (issue 10, branch i10-registry) has not landed yet: until it does,
  // the Kubernetes rules (declared in its shape) are described, and a compose rule that fires is
  // described by its code only. Switch when it lands:
  //   return listRules(locale);   // import { listRules } from '../engine/rules/registry';
  const lang = locale.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  return K8S_RULE_SPECS.map((r) => ({ code: r.code, severity: r.severity, category: r.category, ...r.docs[lang] }));
}
