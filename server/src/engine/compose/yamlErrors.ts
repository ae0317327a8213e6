// YAML parser errors in plain words, with the range a user should look at.
import { YAMLError } from 'yaml';
import { t } from '../i18n';
import { SyntaxProblem } from './model';

/** `key:value` with no space after the colon, at the start of a line (optionally a list item). */
export const MISSING_SPACE_LINE = /^([ \t]*(?:-[ \t]+)?)((?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_][A-Za-z0-9_.\-\/]*)):(?=[^\s:\/])/;
/** The same for aliyun.* keys, whose values may be paths (`aliyun.logs:/var/log`); `key://` stays a URL. */
const ALIYUN_MISSING_SPACE_LINE = /^([ \t]*(?:-[ \t]+)?)((["']?)aliyun\.[A-Za-z0-9_.\-\/]*\3):(?=[^\s:\/]|\/(?!\/))/;

function lineAround(text: string, offset: number): { start: number; end: number; text: string } {
  const start = offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1; // (lastIndexOf(x, -1) searches from 0)
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return { start, end, text: text.slice(start, end).replace(/\r$/, '') };
}

export function missingSpaceProblem(text: string, lineStart: number, lineText: string): SyntaxProblem | undefined {
  const m = MISSING_SPACE_LINE.exec(lineText) ?? ALIYUN_MISSING_SPACE_LINE.exec(lineText);
  if (!m) return undefined;
  const colon = lineStart + m[1].length + m[2].length;
  return {
    code: 'yaml-missing-space-after-colon',
    message: t("No space after ':' in '{0}': YAML reads the whole line as one word, and the file does not parse. Write '{1}: {2}'.", lineText.trim(), m[2], lineText.slice(m[1].length + m[2].length + 1).trim()),
    span: { start: colon, end: colon + 1 },
    severity: 'error',
  };
}

export function describeYamlError(error: YAMLError, text: string, severity: 'error' | 'warning'): SyntaxProblem {
  const problem = describe(error, text, severity);
  // The parser may point at the empty line after the last line break: keep the span inside the text.
  const start = Math.min(problem.span.start, text.length);
  return { ...problem, span: { start, end: Math.max(start, Math.min(problem.span.end, text.length)) } };
}

function describe(error: YAMLError, text: string, severity: 'error' | 'warning'): SyntaxProblem {
  const [from, to] = error.pos;
  const start = Math.min(from, text.length);
  const end = Math.max(start, Math.min(to, text.length));
  const line = lineAround(text, start);
  const span = { start, end: end > start ? end : Math.min(start + 1, line.end) };
  const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (error.code) {
    case 'MISSING_CHAR':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY': {
      const missing = missingSpaceProblem(text, line.start, line.text);
      if (missing) return { ...missing, severity };
      if (/closing .*quote/i.test(firstLine)) {
        // Point at the line that opens the quote, not at the end of the file where the parser gave up.
        const quoteAt = Math.max(text.lastIndexOf('"', Math.max(0, start - 1)), text.lastIndexOf("'", Math.max(0, start - 1)));
        const quoteLine = lineAround(text, Math.max(0, quoteAt));
        return { code: 'yaml-unterminated-quote', message: t('This quoted value has no closing quote, so the rest of the file is read as part of it. Add the closing quote.'), span: { start: quoteAt >= 0 ? quoteAt : line.start, end: quoteLine.end > quoteAt ? quoteLine.end : quoteAt + 1 }, severity };
      }
      if (/directive/i.test(firstLine) || line.text.trimStart().startsWith('%')) {
        // The parser reports where the document should have started; the culprit is the '%' line above.
        const directiveAt = /^%/m.exec(text.slice(0, line.end));
        const dLine = lineAround(text, directiveAt ? directiveAt.index : line.start);
        return { code: 'yaml-directive', message: t("A line starting with '%' is read as a YAML directive; this looks like a template placeholder that was never filled in."), span: { start: dLine.start, end: Math.max(dLine.start + 1, dLine.end) }, severity };
      }
      if (error.code === 'MULTILINE_IMPLICIT_KEY')
        return { code: 'yaml-missing-colon', message: t("This key runs over more than one line: a ':' is probably missing at the end of a line above, or the line is indented wrongly."), span, severity };
      return { code: 'yaml-missing-colon', message: t("Expected 'key: value' here: add ':' and a space after the key, or indent the line under its parent."), span, severity };
    }
    case 'BAD_INDENT':
      return { code: 'yaml-bad-indent', message: t('This line is indented differently from the keys around it. All keys of one mapping must start in the same column: remove or add spaces.'), span: { start: line.start, end: Math.max(line.start + 1, line.start + (line.text.length - line.text.trimStart().length)) }, severity };
    case 'TAB_AS_INDENT':
      return { code: 'yaml-tab-indent', message: t('Tabs cannot be used to indent YAML. Use spaces.'), span, severity };
    case 'DUPLICATE_KEY':
      return { code: 'yaml-duplicate-key', message: t('This key appears twice in the same mapping; only one of them can take effect. Remove one.'), span, severity };
    case 'UNEXPECTED_TOKEN':
      return { code: 'yaml-unexpected', message: t("Unexpected text '{0}' after a value. Quote the value if it contains brackets, braces or ':'.", text.slice(start, end).slice(0, 60)), span, severity };
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
    case 'BAD_SCALAR_START':
      return { code: 'yaml-bad-scalar', message: t("A value cannot start with '{0}' unquoted. Put the value in quotes.", text.slice(start, start + 1)), span, severity };
    case 'RESOURCE_EXHAUSTION':
      // The parser gives the same code when brackets or indentation nest too deep for it.
      if (/call stack/i.test(error.message)) return { code: 'yaml-too-deep', message: t('This is nested too deeply to read (thousands of brackets or indentation levels). The file was not analysed further.'), span, severity };
      return { code: 'yaml-alias-bomb', message: t('Too many aliases are expanded here (an alias bomb?). The file was not analysed further.'), span, severity };
    default:
      return { code: 'yaml-syntax', message: t('YAML syntax error: {0}', firstLine), span, severity };
  }
}
