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
  assert.deepEqual(props['aliyunSlbLabels.yamlSyntaxErrors'].enum, ['auto', 'labels', 'all', 'off']);
  assert.equal(props['aliyunSlbLabels.yamlSyntaxErrors'].default, 'auto');
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
