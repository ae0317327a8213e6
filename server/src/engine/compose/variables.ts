// Compose variable substitution: ${VAR}, $VAR, ${VAR:-default}, ${VAR-default}, ${VAR:?err},
// ${VAR?err}, $$. Values come from the .env file next to the compose file. Anything that cannot be
// resolved is reported as unresolved, never guessed.

export interface Interpolation {
  /** The substituted text, or undefined when some variable could not be resolved. */
  value: string | undefined;
  unresolved: string[];
  /** Variables that were not set, where the text's own default was used. */
  defaultsUsed: { name: string; value: string }[];
  /** Variables taken from the environment (.env). */
  resolved: { name: string; value: string }[];
  hasVariables: boolean;
  /** A malformed `${` with no closing brace. */
  malformed: boolean;
}

const PATTERN = /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{/g;

export function interpolate(text: string, env: ReadonlyMap<string, string> | undefined): Interpolation {
  const result: Interpolation = { value: undefined, unresolved: [], defaultsUsed: [], resolved: [], hasVariables: false, malformed: false };
  if (!text.includes('$')) {
    result.value = text;
    return result;
  }
  let ok = true;
  const value = text.replace(PATTERN, (match, braced: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    if (match === '${') {
      result.malformed = true;
      ok = false;
      return match;
    }
    result.hasVariables = true;
    const expression = braced ?? bare ?? '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*)|(:?\?)(.*))?$/s.exec(expression);
    if (!m) {
      result.malformed = true;
      ok = false;
      return match;
    }
    const [, name, defaultOp, defaultValue, errorOp] = m;
    const set = env?.get(name);
    const isSet = set !== undefined;
    const isEmpty = set === '';
    if (defaultOp) {
      const useDefault = defaultOp === ':-' ? !isSet || isEmpty : !isSet;
      if (useDefault) {
        result.defaultsUsed.push({ name, value: defaultValue ?? '' });
        return defaultValue ?? '';
      }
    }
    if (errorOp) {
      const fails = errorOp === ':?' ? !isSet || isEmpty : !isSet;
      if (fails) {
        result.unresolved.push(name);
        ok = false;
        return match;
      }
    }
    if (!isSet) {
      result.unresolved.push(name);
      ok = false;
      return match;
    }
    result.resolved.push({ name, value: set });
    return set;
  });
  if (ok) result.value = value;
  return result;
}
