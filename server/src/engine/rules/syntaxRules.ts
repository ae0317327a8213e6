// YAML syntax problems as findings, with their quick fixes. The problems themselves come from the
// parser (worded in compose/yamlErrors.ts) and from our label-line scan (compose/labelLines.ts).
import { lineStartOf } from '../compose/labelsBlock';
import { SyntaxProblem } from '../compose/model';
import { t } from '../i18n';
import { rule, RuleProvider } from './ruleSpec';
import { Finding } from './types';

export function syntaxFinding(p: SyntaxProblem, unitText: string): Finding {
  const finding: Finding = { code: p.code, severity: p.severity, message: p.message, span: p.span };
  if (p.code === 'yaml-label-value-needs-quotes') {
    const value = unitText.slice(p.span.start, p.span.end);
    finding.fixes = [{ title: t('Quote the value: {0}', JSON.stringify(value)), edits: [{ span: p.span, newText: JSON.stringify(value) }], preferred: true }];
  } else if (p.code === 'yaml-missing-space-after-colon') {
    finding.fixes = [{ title: t("Insert a space after ':'"), edits: [{ span: { start: p.span.end, end: p.span.end }, newText: ' ' }], preferred: true }];
  } else if (p.code === 'yaml-tab-indent') {
    const lineStart = lineStartOf(unitText, p.span.start);
    const m = /^[ \t]*/.exec(unitText.slice(lineStart))!;
    finding.fixes = [{ title: t('Replace tabs with spaces'), edits: [{ span: { start: lineStart, end: lineStart + m[0].length }, newText: m[0].replace(/\t/g, '  ') }] }];
  }
  return finding;
}

const parserWarning = { otherSeverities: ['warning' as const] };

/** The rules this module reports (registered in rules/registry.ts). */
export const SYNTAX_RULES: RuleProvider = {
  id: 'rules/syntaxRules',
  rules: [
    rule('yaml-missing-space-after-colon', 'error', 'syntax', 'label line', '`aliyun.lb.port_443:tcp://proxy_test:443`',
      ["No space after ':' in 'key:value'.", 'YAML reads the whole line as one word, and the file does not parse.', "Insert a space after ':'."],
      ["'key:value' 的冒号后没有空格。", 'YAML 会把整行读成一个词，文件无法解析。', '在冒号后插入一个空格。'],
      { fix: "Insert a space after ':'", ...parserWarning }),
    rule('yaml-label-value-needs-quotes', 'error', 'syntax', 'label line', '`aliyun.routing.port_80: *.example.com`',
      ['A label value that YAML reads as syntax.', "A plain value starting with '*', '!', '%', an unclosed '{' or '[', or ending with ':' is an alias, a tag, a directive, a collection or a key to YAML, not the text you wrote.", 'Quote the value.'],
      ['YAML 会把标签值当作语法读取。', "以 '*'、'!'、'%'、未闭合的 '{' 或 '[' 开头，或以 ':' 结尾的未加引号的值，在 YAML 中是别名、标签、指令、集合或键，而不是你写的文字。", '给值加引号。'],
      { fix: 'Quote the value' }),
    rule('yaml-bad-indent', 'error', 'syntax', 'file', 'a key indented differently from its siblings',
      ['A line is indented differently from the keys around it.', 'All keys of one mapping must start in the same column; otherwise the file does not parse.', 'Remove or add spaces.'],
      ['某行的缩进与周围的键不同。', '同一映射的所有键必须从同一列开始，否则文件无法解析。', '删除或添加空格。'], parserWarning),
    rule('yaml-missing-colon', 'error', 'syntax', 'file', 'a key without its colon',
      ["Expected 'key: value'.", "A ':' is missing, or a line is indented wrongly, so a key runs over lines.", "Add ':' and a space after the key, or fix the indentation."],
      ["此处应为 'key: value'。", '缺少冒号，或缩进错误，导致键跨越多行。', '在键后加冒号和空格，或修正缩进。'], parserWarning),
    rule('yaml-unterminated-quote', 'error', 'syntax', 'file', '`image: "nginx`',
      ['A quoted value has no closing quote.', 'The rest of the file is read as part of the value.', 'Add the closing quote.'],
      ['带引号的值缺少右引号。', '文件的其余部分都会被读成该值的一部分。', '补上右引号。'], parserWarning),
    rule('yaml-directive', 'error', 'syntax', 'file', '`%s` left from a template',
      ["A line starting with '%' is read as a YAML directive.", 'This is usually a template placeholder that was never filled in.', 'Fill in the placeholder, or quote the value.'],
      ["以 '%' 开头的行被读成 YAML 指令。", '这通常是未替换的模板占位符。', '替换占位符，或给值加引号。'], parserWarning),
    rule('yaml-unexpected', 'error', 'syntax', 'file', '`image: nginx [latest](http://…)`',
      ['Unexpected text after a value.', 'Brackets, braces or a colon after a plain value end it early.', 'Quote the value.'],
      ['值后面有意外的文字。', '未加引号的值后面的方括号、花括号或冒号会使值提前结束。', '给值加引号。'], parserWarning),
    rule('yaml-tab-indent', 'error', 'syntax', 'file', 'a line indented with a tab',
      ['Tabs indent a line.', 'YAML does not allow tabs for indentation.', 'Use spaces.'],
      ['使用了制表符缩进。', 'YAML 不允许用制表符缩进。', '改用空格。'],
      { fix: 'Replace tabs with spaces', ...parserWarning }),
    rule('yaml-duplicate-key', 'error', 'syntax', 'file', 'a service or key defined twice',
      ['A key appears twice in one mapping.', 'Only one of them takes effect.', 'Rename or remove one.'],
      ['同一映射中一个键出现了两次。', '只有其中一个生效。', '重命名或删除其中一个。'], parserWarning),
    rule('yaml-bad-scalar', 'error', 'syntax', 'file', "a value starting with '@' or '`'",
      ['A value starts with a character YAML reserves.', 'Such a value cannot be written unquoted.', 'Put the value in quotes.'],
      ['值以 YAML 保留字符开头。', '这样的值不能不加引号。', '给值加引号。'], parserWarning),
    rule('yaml-alias-bomb', 'error', 'syntax', 'file', 'aliases that expand exponentially',
      ['Too many aliases are expanded.', 'The file was not analysed further (an alias bomb?).', 'Reduce the aliases.'],
      ['展开的别名过多。', '文件未被进一步分析（别名炸弹？）。', '减少别名。'], parserWarning),
    rule('yaml-too-deep', 'error', 'syntax', 'file', 'thousands of nested brackets',
      ['Nested too deeply to read.', 'The file was not analysed further.', 'Flatten the structure.'],
      ['嵌套太深，无法读取。', '文件未被进一步分析。', '减少嵌套层次。'], parserWarning),
    rule('yaml-syntax', 'error', 'syntax', 'file', 'any other YAML error',
      ['A YAML syntax error.', "The parser's message, in its words.", 'Fix the YAML at the marked place.'],
      ['YAML 语法错误。', '解析器给出的原始信息。', '修正标出位置的 YAML。'], parserWarning),
  ],
};

/** The engine's own limits (analysisLimits.ts): a file too large to check, an analysis past its time budget. */
export const ENGINE_LIMIT_RULES: RuleProvider = {
  id: 'analysisLimits',
  rules: [
    rule('file-too-large', 'error', 'syntax', 'file', 'a compose file over 10 MB',
      ['The file is too large to check.', 'Files over the size limit (10 MB unless SLB_LABELS_MAX_FILE_MB says otherwise) get this finding only.', 'Split the file, or raise the limit.'],
      ['文件太大，无法检查。', '超过大小上限（默认 10 MB，可用 SLB_LABELS_MAX_FILE_MB 修改）的文件只得到这一条诊断。', '拆分文件，或提高上限。']),
    rule('analysis-stopped', 'error', 'syntax', 'file', 'a file whose checks take longer than the time budget',
      ['The analysis stopped at its time budget.', 'The file has no other diagnostics: it was not fully checked.', 'Split the file, or raise SLB_LABELS_ANALYSIS_BUDGET_MS.'],
      ['分析因超出时间预算而停止。', '该文件没有其他诊断：它没有被完整检查。', '拆分文件，或提高 SLB_LABELS_ANALYSIS_BUDGET_MS。']),
  ],
};
