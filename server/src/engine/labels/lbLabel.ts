// The grammar of `aliyun.lb.port_<container_port>: <scheme>://<slb>:<front_port>` (reference §3.2).
// Works on raw label text; positions are offsets into the given string so callers can map them
// back onto the document. Variables (${VAR}, $VAR) are kept as atoms and resolved by the caller.

export const LB_KEY_PREFIX = 'aliyun.lb.port_';
export const LB_SCHEMES = ['tcp', 'http', 'https', 'udp'] as const;
export type LbScheme = (typeof LB_SCHEMES)[number];

export type LbKeyProblem = 'variable' | 'notANumber' | 'outOfRange' | 'empty';

export interface LbKey {
  /** Text after `aliyun.lb.port_`. */
  portText: string;
  /** Offset of portText inside the key. */
  portOffset: number;
  port?: number;
  problem?: LbKeyProblem;
}

export function isLbKey(key: string): boolean {
  return key.startsWith(LB_KEY_PREFIX);
}

export function parseLbKey(key: string): LbKey {
  const portText = key.slice(LB_KEY_PREFIX.length);
  const result: LbKey = { portText, portOffset: LB_KEY_PREFIX.length };
  if (portText.length === 0) result.problem = 'empty';
  else if (portText.includes('$')) result.problem = 'variable';
  else if (!/^[0-9]+$/.test(portText)) result.problem = 'notANumber';
  else {
    const port = Number(portText);
    if (port < 1 || port > 65535) result.problem = 'outOfRange';
    else result.port = port;
  }
  return result;
}

export interface TextPart {
  text: string;
  start: number;
  end: number;
}

/** One `scheme://slb:port` entry; a label value may hold several separated by `;` (S6). */
export interface LbBindingSyntax {
  whole: TextPart;
  scheme?: TextPart;
  slb?: TextPart;
  frontPort?: TextPart;
  /** Set when the entry does not have the scheme://slb:port shape at all. */
  shapeProblem?: 'missingSchemeSeparator' | 'missingFrontPort' | 'empty' | 'extraPath' | 'whitespace';
}

const VARIABLE_PATTERN = /\$\{[^}]*\}?|\$[A-Za-z_][A-Za-z0-9_]*|\$\$/g;

/** Splits a value on `;` and each entry into scheme / slb / front port, tolerating ${VAR} atoms. */
export function parseLbValue(value: string): LbBindingSyntax[] {
  const bindings: LbBindingSyntax[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value[i] === ';') {
      const text = value.slice(start, i);
      if (!(text.trim() === '' && value.includes(';') && i === value.length && bindings.length > 0)) {
        bindings.push(parseBinding(text, start));
      }
      start = i + 1;
    }
  }
  return bindings;
}

function parseBinding(text: string, offset: number): LbBindingSyntax {
  const binding: LbBindingSyntax = { whole: { text, start: offset, end: offset + text.length } };
  if (text.trim() === '') {
    binding.shapeProblem = 'empty';
    return binding;
  }
  const separator = text.indexOf('://');
  if (separator < 0) {
    binding.shapeProblem = 'missingSchemeSeparator';
    return binding;
  }
  binding.scheme = { text: text.slice(0, separator), start: offset, end: offset + separator };
  const rest = text.slice(separator + 3);
  const restOffset = offset + separator + 3;
  // The front port follows the LAST ':' that is not inside a ${...} atom.
  const masked = maskVariables(rest);
  const colon = masked.lastIndexOf(':');
  if (colon < 0) {
    binding.slb = { text: rest, start: restOffset, end: restOffset + rest.length };
    binding.shapeProblem = 'missingFrontPort';
    return binding;
  }
  binding.slb = { text: rest.slice(0, colon), start: restOffset, end: restOffset + colon };
  binding.frontPort = { text: rest.slice(colon + 1), start: restOffset + colon + 1, end: restOffset + rest.length };
  // Spaces inside a variable (`${SLB:?set it first}`) are the variable's own text, not the value's.
  if (/\s/.test(maskVariables(text))) binding.shapeProblem = 'whitespace';
  else if (masked.slice(colon + 1).includes('/')) binding.shapeProblem = 'extraPath';
  return binding;
}

/** The text with every variable atom replaced by as many 'v's (offsets unchanged). */
export function maskVariables(text: string): string {
  return text.replace(VARIABLE_PATTERN, (m) => 'v'.repeat(m.length));
}

/** Removes whitespace outside variable atoms. */
export function removeSpacesOutsideVariables(text: string): string {
  const masked = maskVariables(text);
  let out = '';
  for (let i = 0; i < text.length; i++) if (!/\s/.test(masked[i]) || masked[i] !== text[i]) out += text[i];
  return out;
}

export function hasVariable(text: string): boolean {
  return /\$(\{|[A-Za-z_])/.test(text.replace(/\$\$/g, ''));
}

/** S5: 1–79 characters of letters, digits, '-', '_', '/', '.' (kompose checks len < 80). */
export function slbNameProblem(name: string): 'empty' | 'tooLong' | 'badCharacters' | undefined {
  if (name.length === 0) return 'empty';
  if (name.length >= 80) return 'tooLong';
  if (!/^[A-Za-z0-9\-_/.]+$/.test(name)) return 'badCharacters';
  return undefined;
}

/** Reference §3.2: `lb-` + lowercase alphanumerics, or the old `<hex>-<region>-<zone>-<suffix>` form. */
export function looksLikeSlbId(name: string): boolean {
  return /^lb-[a-z0-9]{8,}$/.test(name) || /^[0-9a-f]{8,}-(cn|ap|us|eu|me)-[a-z0-9-]+$/.test(name);
}

/** Region embedded in an old-style SLB ID, e.g. 14a7ba06d3b-cn-hangzhou-dg-a01 -> cn-hangzhou. */
export function regionOfOldStyleId(id: string): string | undefined {
  const m = /^[0-9a-f]{8,}-((?:cn|ap|us|eu|me)-[a-z]+(?:-[0-9]+)?)-/.exec(id);
  return m?.[1];
}

export function parsePortNumber(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Which listener "port space" a scheme lives in: SLB front ports are unique per instance across tcp/http/https; udp is separate. */
export function portSpaceOf(scheme: string): 'tcp' | 'udp' {
  return scheme === 'udp' ? 'udp' : 'tcp';
}

export function transportOf(scheme: string): 'tcp' | 'udp' {
  return scheme === 'udp' ? 'udp' : 'tcp';
}
