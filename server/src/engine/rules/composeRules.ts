// Compose semantics around the labels: `extends`, several YAML documents in one file, host
// networking. (Rules are added here as they are implemented.)
import { RuleProvider } from './ruleSpec';

/** The rules this module checks (registered in rules/registry.ts). */
export const COMPOSE_RULES: RuleProvider = {
  id: 'rules/composeRules',
  rules: [],
};
