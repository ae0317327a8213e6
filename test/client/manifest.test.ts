// Checks that the client code, the manifest (package.json contributes) and the translations agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CLIENT_ID,
  COMMANDS,
  CONFIG_SECTION,
  DOCUMENT_SELECTOR,
  SERVER_MODULE,
  initializationOptions,
} from '../../client/src/clientOptions';
import { REPO_ROOT } from '../helpers/repo';

const ROOT = REPO_ROOT;
const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
const pkg = readJson('package.json');
const nlsEn = readJson('package.nls.json');
const nlsZh = readJson('package.nls.zh-cn.json');

test('every client command is contributed with a localized title, and vice versa', () => {
  const contributed = (pkg.contributes.commands as Array<{ command: string; title: string; category?: string }>).map((c) => c.command);
  assert.deepEqual([...contributed].sort(), Object.values(COMMANDS).sort());
  for (const c of pkg.contributes.commands) {
    for (const s of [c.title, c.category]) {
      const key = /^%(.+)%$/.exec(s)?.[1];
      assert.ok(key, `${c.command}: ${s} is not a %nls% key`);
      assert.ok(nlsEn[key] && nlsZh[key], `${key} missing in package.nls.json or package.nls.zh-cn.json`);
    }
  }
  const src = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
  for (const key of Object.keys(COMMANDS)) {
    assert.match(src, new RegExp(`registerCommand\\(COMMANDS\\.${key}\\b`), `extension.ts does not register COMMANDS.${key}`);
  }
});

test('settings: names, types and defaults', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; enum?: string[]; type: string }>;
  for (const name of Object.keys(props)) assert.ok(name.startsWith(`${CONFIG_SECTION}.`), `${name} is outside ${CONFIG_SECTION}`);
  assert.deepEqual(props['aliyunSlbLabels.composeFiles'].default, [
    '**/docker-compose*.yml',
    '**/docker-compose*.yaml',
    '**/compose*.yml',
    '**/compose*.yaml',
    '**/*.compose.yml',
    '**/*.compose.yaml',
  ]);
  assert.equal(props['aliyunSlbLabels.completion.enable'].default, true);
  assert.equal(props['aliyunSlbLabels.hover.enable'].default, true);
  assert.equal(props['aliyunSlbLabels.validation.enable'].default, true);
  assert.deepEqual(props['aliyunSlbLabels.validation.syntaxErrors'].enum, ['auto', 'labels', 'all', 'off']);
  assert.equal(props['aliyunSlbLabels.validation.syntaxErrors'].default, 'auto');
  assert.deepEqual(props['aliyunSlbLabels.locale'].enum, ['auto', 'en', 'zh-cn']);
  assert.equal(props['aliyunSlbLabels.locale'].default, 'auto');
  assert.equal(props['aliyunSlbLabels.diagnosticDelay'].default, 200);
  // vscode-languageclient reads `<client id>.trace.server` by itself.
  assert.deepEqual(props[`${CLIENT_ID}.trace.server`].enum, ['off', 'messages', 'verbose']);
  assert.equal(props[`${CLIENT_ID}.trace.server`].default, 'off');
});

test('every %key% of the manifest has English and Chinese text, and the two files have the same keys', () => {
  const keys = new Set<string>();
  JSON.stringify(pkg).replace(/"%([^%"]+)%"/g, (_s, k: string) => (keys.add(k), ''));
  for (const k of keys) {
    assert.ok(typeof nlsEn[k] === 'string' && nlsEn[k].length > 0, `package.nls.json: ${k}`);
    assert.ok(typeof nlsZh[k] === 'string' && /[\u4e00-\u9fff]/.test(nlsZh[k]), `package.nls.zh-cn.json: ${k} is not Chinese`);
  }
  assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nlsEn).sort());
});

test('every vscode.l10n.t string of the client has a zh-cn translation', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;
  const dir = path.join(ROOT, 'client', 'src');
  let found = 0;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) {
      found++;
      const key = m[1].replace(/\\'/g, "'");
      assert.ok(key in bundle, `l10n/bundle.l10n.zh-cn.json lacks ${JSON.stringify(key)} (${f})`);
      const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
      assert.equal(placeholders(bundle[key]), placeholders(key), `placeholders differ for ${JSON.stringify(key)}`);
    }
  }
  assert.ok(found >= 3, 'expected the client to have user-facing l10n strings');
});

test('activation events, document selector and server path agree with the manifest', () => {
  const langs = [...new Set(DOCUMENT_SELECTOR.map((d) => d.language))].sort();
  assert.deepEqual(langs, ['dockercompose', 'yaml']);
  for (const l of langs) assert.ok(pkg.activationEvents.includes(`onLanguage:${l}`), `activationEvents lacks onLanguage:${l}`);
  for (const l of langs) {
    const schemes = DOCUMENT_SELECTOR.filter((d) => d.language === l).map((d) => d.scheme).sort();
    assert.deepEqual(schemes, ['file', 'untitled'], `${l} schemes`);
  }
  assert.equal(`./${SERVER_MODULE}`, pkg.bin['slb-labels-language-server']);
  assert.equal(pkg.main, './dist/client/extension.js');
  assert.equal(pkg.contributes.languages, undefined, 'the extension must not redefine yaml/dockercompose');
});

test('initializationOptions carry the locale, the settings and workspace trust', () => {
  const o = initializationOptions('zh-cn', { locale: 'auto' }, false, { name: 'Visual Studio Code', version: '1.100.3' }, true);
  assert.deepEqual(JSON.parse(JSON.stringify(o)), {
    locale: 'zh-cn',
    settings: { locale: 'auto' },
    workspaceTrusted: false,
    client: { name: 'Visual Studio Code', version: '1.100.3' },
    otherYamlValidator: true,
  });
});

test('settings: every description is markdown (backticks render), and the group id strips the "Aliyun Slb Labels:" prefix from each title', () => {
  const config = pkg.contributes.configuration as { id?: string; title: string; properties: Record<string, { description?: string; markdownDescription?: string; enumDescriptions?: string[] }> };
  // VS Code drops the key's first segment from a setting's title when it matches the group id.
  assert.equal(config.id, 'aliyunSlbLabels');
  for (const [name, p] of Object.entries(config.properties)) {
    assert.equal(p.description, undefined, `${name}: use markdownDescription`);
    assert.ok(p.markdownDescription, `${name} has no markdownDescription`);
    assert.equal(p.enumDescriptions, undefined, `${name}: use markdownEnumDescriptions`);
  }
});

// VS Code derives a setting's title from its key (there is no per-setting title in package.json):
// a copy of settingKeyToDisplayFormat / wordifyKey / trimCategoryForGroup of VS Code 1.100.3 (the
// code-server of e2e/), src/vs/workbench/contrib/preferences/{browser/settingsTreeModels.ts,common/preferences.ts}.
// e2e/tests/ui.test.mjs reads the same titles from the real Settings editor.
const KNOWN_ACRONYMS = new Set(['css', 'html', 'scss', 'less', 'json', 'js', 'ts', 'ie', 'id', 'php', 'scm']);
function wordifyKey(key: string): string {
  return key
    .replace(/\.([a-z0-9])/g, (_, p1: string) => ` \u203A ${p1.toUpperCase()}`)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^[a-z]/g, (m) => m.toUpperCase())
    .replace(/\b\w+\b/g, (m) => (KNOWN_ACRONYMS.has(m.toLowerCase()) ? m.toUpperCase() : m));
}
function trimCategoryForGroup(category: string, groupId: string): string {
  const doTrim = (forward: boolean) => {
    const parts = groupId.split('.');
    while (parts.length) {
      const reg = new RegExp(`^${parts.join('\\.')}(\\.|$)`, 'i');
      if (reg.test(category)) return category.replace(reg, '');
      if (forward) parts.pop();
      else parts.shift();
    }
    return null;
  };
  return doTrim(true) ?? doTrim(false) ?? category;
}
/** "Category: Label" as the Settings editor shows it (just "Label" when the category is trimmed away). */
export function derivedSettingTitle(key: string, groupId: string): string {
  const dot = key.lastIndexOf('.');
  const category = wordifyKey(trimCategoryForGroup(dot >= 0 ? key.slice(0, dot) : '', groupId));
  const label = wordifyKey(dot >= 0 ? key.slice(dot + 1) : key);
  return category ? `${category}: ${label}` : label;
}

test('settings: the titles VS Code derives from the keys read as words (no "Yaml", no "Aliyun Slb Labels:" prefix)', () => {
  const config = pkg.contributes.configuration as { id: string; title: string; properties: Record<string, { markdownDeprecationMessage?: string }> };
  // The group's own title (the Settings editor's table of contents) is the product name, spelled right.
  assert.equal(nlsEn[/^%(.+)%$/.exec(config.title)![1]], 'Aliyun SLB Labels');
  assert.equal(nlsZh[/^%(.+)%$/.exec(config.title)![1]], '阿里云 SLB 标签');
  const shown = Object.keys(config.properties).filter((k) => !config.properties[k].markdownDeprecationMessage);
  const titles = Object.fromEntries(shown.map((k) => [k, derivedSettingTitle(k, config.id)]));
  assert.deepEqual(titles, {
    'aliyunSlbLabels.composeFiles': 'Compose Files',
    'aliyunSlbLabels.completion.enable': 'Completion: Enable',
    'aliyunSlbLabels.hover.enable': 'Hover: Enable',
    'aliyunSlbLabels.validation.enable': 'Validation: Enable',
    'aliyunSlbLabels.validation.syntaxErrors': 'Validation: Syntax Errors',
    'aliyunSlbLabels.locale': 'Locale',
    'aliyunSlbLabels.diagnosticDelay': 'Diagnostic Delay',
    'aliyunSlbLabels.trace.server': 'Trace: Server',
    'aliyunSlbLabels.region': 'Region',
    'aliyunSlbLabels.endpoint': 'Endpoint',
    'aliyunSlbLabels.profile': 'Profile',
    'aliyunSlbLabels.stsEndpoint': 'Sts Endpoint',
    'aliyunSlbLabels.online.enable': 'Online: Enable',
    'aliyunSlbLabels.online.refreshMinutes': 'Online: Refresh Minutes',
    'aliyunSlbLabels.codeLens.enable': 'Code Lens: Enable',
  });
  for (const [key, title] of Object.entries(titles)) {
    assert.doesNotMatch(title, /\b(Yaml|Slb|Aliyun)\b/, `${key} reads "${title}"`);
  }
  // The derivation itself, on the titles the issue reported (the old key, and a key without the group id).
  assert.equal(derivedSettingTitle('aliyunSlbLabels.yamlSyntaxErrors', config.id), 'Yaml Syntax Errors');
  assert.equal(derivedSettingTitle('aliyunSlbLabels.yamlSyntaxErrors', 'slb-labels.aliyun-slb-labels'), 'Aliyun Slb Labels: Yaml Syntax Errors');
});

test('settings: the old key yamlSyntaxErrors stays declared as deprecated (hidden unless set), with the same values and no default', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { enum?: string[]; default?: unknown; markdownDeprecationMessage?: string; scope?: string }>;
  const legacy = props['aliyunSlbLabels.yamlSyntaxErrors'];
  assert.ok(legacy, 'the old key is declared, so settings.json shows it as deprecated instead of unknown');
  assert.deepEqual(legacy.enum, props['aliyunSlbLabels.validation.syntaxErrors'].enum);
  // No default: the server then tells a value the user set from VS Code's default (see settings.ts).
  assert.equal(legacy.default, undefined);
  assert.equal(legacy.scope, props['aliyunSlbLabels.validation.syntaxErrors'].scope);
  const key = /^%(.+)%$/.exec(legacy.markdownDeprecationMessage ?? '')?.[1];
  assert.ok(key && /validation\.syntaxErrors/.test(nlsEn[key]) && /validation\.syntaxErrors/.test(nlsZh[key]));
});
