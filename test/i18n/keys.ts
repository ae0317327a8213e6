// Finds the l10n keys the code uses (not a test file itself; bundle.test.ts checks them against
// l10n/bundle.l10n.zh-cn.json). Parses the sources with the TypeScript compiler rather than with a
// regular expression, so quotes, escapes, calls split across lines and comments (a `t('...')` in a
// doc comment is not a use) are handled the way the compiler handles them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** Repository root, from out/test/i18n (compiled) or test/i18n (sources). */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');
export const BUNDLE_ZH_CN = path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json');

export interface KeyUse {
  key: string;
  /** `server/src/engine/analysis.ts:42` (repo-relative, forward slashes). */
  where: string;
}

export interface ScanResult {
  uses: KeyUse[];
  /**
   * Translate calls whose key could not be worked out statically (neither a literal nor one of the
   * indirections handled below, nor a wrapper passing its own parameter on). Each one is a string
   * the bundle check cannot see.
   */
  unresolved: KeyUse[];
}

/** Which callees count as a translate call in a tree. */
type CalleeFilter = (callee: ts.Expression) => boolean;

/** `l10n.t` or `vscode.l10n.t` (the VS Code API and @vscode/l10n). */
function isL10nT(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const target = callee.expression;
  if (ts.isIdentifier(target)) return target.text === 'l10n';
  return ts.isPropertyAccessExpression(target) && target.name.text === 'l10n';
}

/**
 * Server side: `t(...)` (engine/i18n, or a local `Translate` such as `const t = ctx.t ?? ...` in
 * cloud/), `this.t(...)` (SlbClient's injected Translate) and `l10n.t(...)`.
 */
const serverCallee: CalleeFilter = (callee) =>
  (ts.isIdentifier(callee) && callee.text === 't')
  || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && callee.expression.kind === ts.SyntaxKind.ThisKeyword)
  || isL10nT(callee);

/** Client side: only `vscode.l10n.t(...)` / `l10n.t(...)`. */
const clientCallee: CalleeFilter = isL10nT;

function listTsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTsFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** Parses one file and collects its keys. Exported for the scanner's own tests. */
export function scanSource(fileName: string, text: string, side: 'server' | 'client'): ScanResult {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const isTranslate = side === 'server' ? serverCallee : clientCallee;
  const uses: KeyUse[] = [];
  const unresolved: KeyUse[] = [];
  const where = (node: ts.Node) => `${fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;

  // Same-file declarations, for keys reached through a constant.
  const constInits = new Map<string, ts.Expression>();
  const propertyValues = new Map<string, ts.Expression[]>();
  const collectDecls = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      constInits.set(node.name.text, node.initializer);
    }
    if (ts.isPropertyAssignment(node)) {
      const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
      if (name !== undefined) {
        const list = propertyValues.get(name) ?? [];
        list.push(node.initializer);
        propertyValues.set(name, list);
      }
    }
    ts.forEachChild(node, collectDecls);
  };
  collectDecls(sf);

  const unwrap = (e: ts.Expression): ts.Expression => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)
      || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    return e;
  };

  /** A single literal string (folding `'a' + 'b'`), or undefined. */
  const literal = (raw: ts.Expression): string | undefined => {
    const e = unwrap(raw);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = literal(e.left);
      const r = literal(e.right);
      return l !== undefined && r !== undefined ? l + r : undefined;
    }
    return undefined;
  };

  /** Every string the expression can evaluate to, or undefined when it cannot be told statically. */
  const keysOf = (raw: ts.Expression, depth = 0): string[] | undefined => {
    if (depth > 5) return undefined;
    const e = unwrap(raw);
    const lit = literal(e);
    if (lit !== undefined) return [lit];
    if (ts.isConditionalExpression(e)) {
      const a = keysOf(e.whenTrue, depth + 1);
      const b = keysOf(e.whenFalse, depth + 1);
      return a && b ? [...a, ...b] : undefined;
    }
    // `t(CONST)` with `const CONST = '...'` in the same file.
    if (ts.isIdentifier(e)) {
      const init = constInits.get(e.text);
      return init ? keysOf(init, depth + 1) : undefined;
    }
    // `t(TABLE[k])` with a same-file object or array literal of strings (SCHEME_DOCS in completion.ts).
    if (ts.isElementAccessExpression(e) && ts.isIdentifier(unwrap(e.expression))) {
      const init = constInits.get((unwrap(e.expression) as ts.Identifier).text);
      const table = init && unwrap(init);
      if (table && ts.isObjectLiteralExpression(table)) {
        const values = table.properties.map((p) => (ts.isPropertyAssignment(p) ? literal(p.initializer) : undefined));
        return values.every((v): v is string => v !== undefined) ? values : undefined;
      }
      if (table && ts.isArrayLiteralExpression(table)) {
        const values = table.elements.map((el) => literal(el));
        return values.every((v): v is string => v !== undefined) ? values : undefined;
      }
      return undefined;
    }
    // `t(spec.doc)`: every string literal given to a `doc:` property in the same file (LABEL_CATALOG).
    if (ts.isPropertyAccessExpression(e)) {
      const values = (propertyValues.get(e.name.text) ?? []).map((v) => literal(v));
      return values.length > 0 && values.every((v): v is string => v !== undefined) ? values : undefined;
    }
    return undefined;
  };

  /** `function t(message, ...args) { return l10n.t(message, ...args) }`: a wrapper, not a use. */
  const isOwnParameter = (arg: ts.Expression, node: ts.Node): boolean => {
    const e = unwrap(arg);
    if (!ts.isIdentifier(e)) return false;
    for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
      if (ts.isFunctionLike(p)) {
        return p.parameters.some((param) => ts.isIdentifier(param.name) && param.name.text === e.text);
      }
    }
    return false;
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTranslate(node.expression) && node.arguments.length > 0) {
      const arg = unwrap(node.arguments[0]);
      let keys: string[] | undefined;
      if (ts.isObjectLiteralExpression(arg)) {
        // l10n.t({ message, args, comment }): the key is message + '/' + comment.
        const prop = (name: string) => arg.properties.find((p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name)?.initializer;
        const message = prop('message');
        const comment = prop('comment');
        const m = message && literal(message);
        let c: string | undefined = '';
        if (comment) {
          const ce = unwrap(comment);
          c = ts.isArrayLiteralExpression(ce)
            ? (ce.elements.every((x) => literal(x) !== undefined) ? ce.elements.map((x) => literal(x)).join('') : undefined)
            : literal(ce);
        }
        keys = m !== undefined && c !== undefined ? [c ? `${m}/${c}` : m] : undefined;
      } else {
        keys = keysOf(arg);
      }
      if (keys) for (const key of keys) uses.push({ key, where: where(node) });
      else if (!isOwnParameter(arg, node)) unresolved.push({ key: node.getText(sf).split('\n')[0], where: where(node) });
    }
    // l10n.t`text ${x}`: the key has {0}, {1}, ... for the substitutions.
    if (ts.isTaggedTemplateExpression(node) && isL10nT(node.tag)) {
      const tpl = node.template;
      const key = ts.isNoSubstitutionTemplateLiteral(tpl)
        ? tpl.text
        : tpl.head.text + tpl.templateSpans.map((s, i) => `{${i}}${s.literal.text}`).join('');
      uses.push({ key, where: where(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { uses, unresolved };
}

/** Every key used by server/src (all translate calls) and client/src (vscode.l10n.t / l10n.t). */
export function scanRepo(root: string = REPO_ROOT): ScanResult {
  const result: ScanResult = { uses: [], unresolved: [] };
  for (const [dir, side] of [['server/src', 'server'], ['client/src', 'client']] as const) {
    for (const file of listTsFiles(path.join(root, dir))) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const r = scanSource(rel, fs.readFileSync(file, 'utf8'), side);
      result.uses.push(...r.uses);
      result.unresolved.push(...r.unresolved);
    }
  }
  return result;
}

/** `{0}`, `{1}`, ... (and named `{name}`) as @vscode/l10n's format() sees them, sorted. */
export function placeholders(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\{(\d+|[A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    // `${VAR}` in a message is compose interpolation shown to the user, not a named placeholder
    // (a numbered one is still replaced by format(), so `${0}` counts).
    if (!/^\{\d/.test(m[0]) && m.index !== undefined && m.index > 0 && text[m.index - 1] === '$') continue;
    found.add(m[0]);
  }
  return [...found].sort();
}

export function readBundle(file: string = BUNDLE_ZH_CN): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
