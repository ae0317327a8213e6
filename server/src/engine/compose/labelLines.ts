// Label-line syntax checks by our own scan (beside yamlErrors.ts, which words the parser's errors):
// `aliyun.x:value` with no space, label values YAML misreads (a leading '*', '!', '%', an unclosed
// '{' or '['), and a plain value ending with ':'. Only lines whose parent is a `labels:` key.
import { t } from '../i18n';
import { isInLabelsBlockLines, isInLabelsBlockText, lineStartOf } from './labelsBlock';
import { SyntaxProblem } from './model';
import { missingSpaceProblem } from './yamlErrors';

export { isInLabelsBlockLines, isInLabelsBlockText, lineStartOf };

const LABEL_LINE_MISSING_SPACE = /^[ \t]*(["']?)aliyun\.[A-Za-z0-9_.\-\/]*\1:(?:[^\s:\/]|\/(?!\/))/gm;

// Bounded: each regex below matches at least 'aliyun.', so every exec moves lastIndex forward, and
// the labels-block walk moves strictly upwards.
export function scanLabelLines(unitText: string): SyntaxProblem[] {
  if (!unitText.includes('aliyun.')) return [];
  const problems: SyntaxProblem[] = [];
  LABEL_LINE_MISSING_SPACE.lastIndex = 0;
  // (Each scan below runs only when its pattern, without the line anchor around it, occurs at all:
  // most services have none, and the anchored multi-line scans cost more than the search.)
  if (MAY_MISS_SPACE.test(unitText)) for (let m = LABEL_LINE_MISSING_SPACE.exec(unitText); m; m = LABEL_LINE_MISSING_SPACE.exec(unitText)) {
    const lineStart = m.index;
    if (!isInLabelsBlockText(unitText, lineStart)) continue; // e.g. text of a `command: |` script, not a label
    let lineEnd = unitText.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = unitText.length;
    const problem = missingSpaceProblem(unitText, lineStart, unitText.slice(lineStart, lineEnd).replace(/\r$/, ''));
    if (problem) problems.push(problem);
  }
  LABEL_VALUE_INDICATOR.lastIndex = 0;
  if (MAY_START_WITH_INDICATOR.test(unitText)) for (let m = LABEL_VALUE_INDICATOR.exec(unitText); m; m = LABEL_VALUE_INDICATOR.exec(unitText)) {
    if (!isInLabelsBlockText(unitText, m.index)) continue;
    const problem = indicatorValueProblem(unitText, m);
    if (problem) problems.push(problem);
  }
  LABEL_VALUE_TRAILING_COLON.lastIndex = 0;
  for (let m = LABEL_VALUE_TRAILING_COLON.exec(unitText); m; m = LABEL_VALUE_TRAILING_COLON.exec(unitText)) {
    if (!isInLabelsBlockText(unitText, m.index)) continue;
    const start = m.index + m[1].length;
    const value = m[3];
    problems.push({
      code: 'yaml-label-value-needs-quotes',
      message: t("A plain value cannot end with ':' (YAML reads '{0}' as a key): add what should follow the ':' (the SLB front port?), or quote the value.", value),
      span: { start, end: start + value.length },
      severity: 'error',
    });
  }
  return problems;
}

/** What LABEL_LINE_MISSING_SPACE and LABEL_VALUE_INDICATOR need somewhere in the text, line anchors aside. */
const MAY_MISS_SPACE = /aliyun\.[A-Za-z0-9_.\-\/]*["']?:(?:[^\s:\/]|\/(?!\/))/;
const MAY_START_WITH_INDICATOR = /:[ \t]+[*!%{[]/;

/** `aliyun.x: tcp://slb:` — a plain value ending with ':' is a nested key to YAML. */
const LABEL_VALUE_TRAILING_COLON = /^([ \t]*(["']?)aliyun\.[A-Za-z0-9_.\-\/]*\2:[ \t]+)([^"'\s#*!%{[|>&@`][^\r\n#]*?:)[ \t]*(?:#[^\r\n]*)?$/gm;

/** `aliyun.x: <value>` where the value starts with a character YAML reads as syntax (reference §1.3). */
const LABEL_VALUE_INDICATOR = /^([ \t]*(?:-[ \t]+)?(["']?)aliyun\.[A-Za-z0-9_.\-\/]*\2:[ \t]+)([*!%{[][^\r\n]*)$/gm;

function indicatorValueProblem(unitText: string, m: RegExpExecArray): SyntaxProblem | undefined {
  const [, head, , rest] = m;
  // The value up to a trailing comment (' #'), without trailing spaces.
  const value = rest.replace(/\s+#.*$/, '').trimEnd();
  const first = value[0];
  if (first === '!' && /^!!(str|int|bool|float|null)(\s|$)/.test(value)) return undefined; // an explicit standard tag is intended
  if (first === '*' && !/^\*[^\s,\[\]{}]+$/.test(value)) return undefined; // not an alias shape: let the parser speak
  // A flow collection that closes is either whole (the label rules say what is wrong) or followed by
  // junk (a mangled Markdown link: the parser's "unexpected text" says it).
  if ((first === '{' || first === '[') && flowCloses(value)) return undefined;
  if (first === '*') {
    // An alias of an anchor defined in this unit is deliberate YAML. (An anchor in another chunk
    // makes the outline parse the document whole, so the unit then holds it.)
    const anchor = `&${value.slice(1)}`;
    for (let i = unitText.indexOf(anchor); i >= 0; i = unitText.indexOf(anchor, i + 1)) {
      const after = unitText[i + anchor.length];
      if (after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r') return undefined;
    }
  }
  const start = m.index + head.length;
  const what: Record<string, string> = {
    '*': t("YAML reads a value starting with '*' as an alias of an anchor, and there is no anchor '{0}'", value.slice(1)),
    '!': t("YAML reads '{0}' as a tag, which compose rejects", value.split(/\s/)[0]),
    '%': t("a value cannot start with '%' in YAML 1.1 (docker-compose 1.x rejects the file)"),
    '{': t("YAML reads a value starting with '{' or '[' as a flow collection, and this one is not closed"),
    '[': t("YAML reads a value starting with '{' or '[' as a flow collection, and this one is not closed"),
  };
  return {
    code: 'yaml-label-value-needs-quotes',
    message: t('{0}: quote the label value, e.g. {1}.', what[first], JSON.stringify(value)),
    span: { start, end: start + value.length },
    severity: 'error',
  };
}

/** Whether a flow collection written on one line closes (its brackets balance, outside quotes). */
function flowCloses(value: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return true;
    }
  }
  return false;
}


/** Is the line at `offset` a label line, or inside a `labels:` block? (Used for the "labels" syntax-error mode.) */
export function isOnLabelLine(text: string, offset: number): boolean {
  const start = lineStartOf(text, offset);
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (text.slice(start, end).includes('aliyun.')) return true;
  return isInLabelsBlockText(text, start, true);
}
