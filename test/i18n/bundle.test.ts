// The zh-cn bundle against the code: every English key the server, CLI and client translate has a
// Chinese entry with the same placeholders, and the bundle holds nothing the code no longer uses.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { BUNDLE_ZH_CN, KeyUse, placeholders, readBundle, scanRepo, scanSource } from './keys';

function translationOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // l10nJsonMessageFormat also allows { message, comment }.
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return (value as { message: string }).message;
  }
  return undefined;
}

function byKey(uses: KeyUse[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const u of uses) map.set(u.key, [...(map.get(u.key) ?? []), u.where]);
  return map;
}

/** Top-level keys of a flat JSON object in file order, duplicates included (JSON.parse keeps the last). */
function rawTopLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const token = JSON.parse(json.slice(i, j + 1)) as string;
      if (depth === 1 && expectKey) keys.push(token);
      expectKey = false;
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',') {
      expectKey = depth === 1;
    }
  }
  return keys;
}

const scan = scanRepo();
const used = byKey(scan.uses);
const bundle = readBundle();

test('the scanner finds translate calls the way the compiler reads them', () => {
  const server = scanSource('s.ts', [
    "import { t } from '../i18n';",
    "// t('In a comment, not a use')",
    "/** `t('Port {0} is not published', 80)` */",
    "const a = t('Single quoted {0}', 1);",
    'const b = t("Double quoted with \'inner\' quotes");',
    "const c = t('Escaped \\'quote\\' and \"double\"');",
    'const d = t(',
    "  'Split across',",
    '  x,',
    ');',
    "const e = t('Concatenated ' +",
    "  'over two lines {0}', y);",
    "const f = l10n.t('From @vscode/l10n');",
    "const g = this.t('Injected translate');",
    "const h = format('Not a translate call');",
    "const i = cond ? t('Either') : t('Or');",
    "const j = l10n.t({ message: 'With comment', comment: ['for translators'] });",
    "const k = obj.t2('Not t either'); const l = at('Nor this');",
    "const TABLE: Record<string, string> = { a: 'Table one', b: 'Table two' };",
    'const m = t(TABLE[key]);',
    "const SPECS = [{ doc: 'Doc one' }, { doc: 'Doc two' }];",
    'const n = t(spec.doc);',
    'function wrap(message: string) { return t(message); }',
    'const o = t(somethingElse());',
  ].join('\n'), 'server');
  assert.deepEqual(server.uses.map((u) => u.key), [
    'Single quoted {0}',
    "Double quoted with 'inner' quotes",
    'Escaped \'quote\' and "double"',
    'Split across',
    'Concatenated over two lines {0}',
    'From @vscode/l10n',
    'Injected translate',
    'Either',
    'Or',
    'With comment/for translators',
    'Table one',
    'Table two',
    'Doc one',
    'Doc two',
  ]);
  assert.equal(server.uses[3].where, 's.ts:7');
  assert.deepEqual(server.unresolved.map((u) => u.where), ['s.ts:24']);

  const client = scanSource('c.ts', [
    "vscode.l10n.t('Client {0}', 1);",
    "l10n.t('Also client');",
    "t('Not the client API');",
  ].join('\n'), 'client');
  assert.deepEqual(client.uses.map((u) => u.key), ['Client {0}', 'Also client']);
});

test('placeholders are read the way @vscode/l10n formats them', () => {
  assert.deepEqual(placeholders('Port {1} of {0}, again {0}'), ['{0}', '{1}']);
  assert.deepEqual(placeholders('Variable ${PORT} for {name}'), ['{name}']);
  assert.deepEqual(placeholders('No placeholders'), []);
});

test('the code translates something, with keys it can read', () => {
  assert.ok(used.size > 20, `only ${used.size} keys found: is the scanner looking at server/src and client/src?`);
  assert.deepEqual(scan.unresolved, [],
    'translate calls whose English key is not a literal (the bundle check cannot see them; use a string literal):\n'
    + scan.unresolved.map((u) => `  ${u.where}: ${u.key}`).join('\n'));
});

test('the zh-cn bundle is a flat object of strings without duplicate keys', () => {
  const raw = fs.readFileSync(BUNDLE_ZH_CN, 'utf8');
  const keys = rawTopLevelKeys(raw);
  const seen = new Set<string>();
  const duplicates = keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
  assert.deepEqual(duplicates, [], 'keys that appear more than once (JSON.parse silently keeps the last)');
  const notText = Object.entries(bundle).filter(([, v]) => translationOf(v) === undefined).map(([k]) => k);
  assert.deepEqual(notText, [], 'entries whose value is not a string');
});

test('every translated string has Chinese in the zh-cn bundle', () => {
  const missing = [...used].filter(([key]) => !(translationOf(bundle[key]) ?? '').trim());
  assert.equal(missing.length, 0,
    `${missing.length} string(s) without Chinese in l10n/bundle.l10n.zh-cn.json:\n`
    + missing.map(([key, where]) => `  ${JSON.stringify(key)}  (${where.join(', ')})`).join('\n'));
});

test('every translation keeps exactly the placeholders of its key', () => {
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(bundle)) {
    const zh = translationOf(value);
    if (zh === undefined) continue;
    const expected = placeholders(key);
    const actual = placeholders(zh);
    if (expected.join() !== actual.join()) {
      wrong.push(`  ${JSON.stringify(key)}: key has [${expected.join(' ')}], translation has [${actual.join(' ')}]`);
    }
  }
  assert.equal(wrong.length, 0, `placeholder mismatches:\n${wrong.join('\n')}`);
});

test('the zh-cn bundle has no stale keys', () => {
  const stale = Object.keys(bundle).filter((key) => !used.has(key));
  assert.equal(stale.length, 0,
    `${stale.length} key(s) in l10n/bundle.l10n.zh-cn.json that no code translates (remove them, or fix the English in the code):\n`
    + stale.map((key) => `  ${JSON.stringify(key)}`).join('\n'));
});
