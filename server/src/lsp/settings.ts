// The `aliyunSlbLabels` settings as the server reads them (nested, as VS Code's getConfiguration returns them).
import { YamlSyntaxErrorMode } from '../engine/analysis';

export interface ServerSettings {
  composeFiles: string[];
  completionEnabled: boolean;
  hoverEnabled: boolean;
  validationEnabled: boolean;
  /** Setting `validation.syntaxErrors` (old key `yamlSyntaxErrors`). 'auto' resolves to 'labels' when another extension reports YAML syntax errors, else 'all'. */
  yamlSyntaxErrors: YamlSyntaxErrorMode | 'auto';
  locale: 'auto' | 'en' | 'zh-cn';
  /** How long (ms) the line being typed stays free of diagnostics after the last key; 0 = no quiet. */
  diagnosticDelay: number;
}

/** Longer than the gap between two keys of a quick typist (<= 150 ms), short enough that a line left alone shows its error within 250 ms. */
export const DEFAULT_TYPING_QUIET_MS = 200;

export const DEFAULT_COMPOSE_GLOBS = ['**/docker-compose*.yml', '**/docker-compose*.yaml', '**/compose*.yml', '**/compose*.yaml', '**/*.compose.yml', '**/*.compose.yaml'];

export function readSettings(raw: unknown): ServerSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const pick = (dotted: string): unknown => {
    if (dotted in s) return s[dotted];
    return dotted.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), s);
  };
  const bool = (k: string, d: boolean) => (typeof pick(k) === 'boolean' ? (pick(k) as boolean) : d);
  const mode = syntaxErrorMode(pick('validation.syntaxErrors'), pick('yamlSyntaxErrors'));
  const locale = pick('locale');
  const delay = Number(pick('diagnosticDelay'));
  const globs = pick('composeFiles');
  return {
    composeFiles: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : DEFAULT_COMPOSE_GLOBS,
    completionEnabled: bool('completion.enable', true),
    hoverEnabled: bool('hover.enable', true),
    validationEnabled: bool('validation.enable', true),
    yamlSyntaxErrors: mode,
    locale: locale === 'en' || locale === 'zh-cn' ? locale : 'auto',
    diagnosticDelay: pick('diagnosticDelay') !== undefined && pick('diagnosticDelay') !== null && Number.isFinite(delay) && delay >= 0 ? Math.min(delay, 5000) : DEFAULT_TYPING_QUIET_MS,
  };
}

/**
 * `validation.syntaxErrors`, or the old key `yamlSyntaxErrors` (renamed so that VS Code's settings
 * title reads "Validation: Syntax Errors", not "Yaml Syntax Errors"). VS Code always sends the new
 * key with its default `auto`, so the old key is read whenever the new one is `auto` or missing.
 */
function syntaxErrorMode(current: unknown, legacy: unknown): YamlSyntaxErrorMode | 'auto' {
  const valid = (v: unknown): v is YamlSyntaxErrorMode | 'auto' => v === 'auto' || v === 'all' || v === 'off' || v === 'labels';
  if (valid(current) && current !== 'auto') return current;
  return valid(legacy) ? legacy : 'auto';
}

/** Minimal glob -> RegExp for the compose file patterns (`**`, `*`, `?`, `{a,b}`). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') i++;
        re += '(?:.*/)?';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end > i) {
        re += `(?:${glob.slice(i + 1, end).split(',').map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = end;
      } else re += '\\{';
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(^|/)${re.replace(/^\(\?:\.\*\/\)\?/, '')}$`);
}
