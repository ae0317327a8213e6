// The engine's `t` formats messages itself (faster than @vscode/l10n's regex replace): it must give
// exactly what `l10n.t` gives, in both locales, for every message of the bundle and odd templates.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { setLocale, t } from '../../server/src/engine/i18n';
import zhCn = require('../../l10n/bundle.l10n.zh-cn.json');

describe('t gives what l10n.t gives', () => {
  after(() => setLocale('en'));
  const odd = ['{0}', 'a {} b {0} {x} {{1} {length} }{ {0', '{0}{1}{2}', 'no braces', '{1} then {0}', '{0} {0}', '', '{', '}', '{constructor}', 'constructor', '{2}'];
  const argsSets: Array<Array<string | number | boolean>> = [[], ['A'], ['A', 2], ['A', false, 'C'], ['{1}', '$&', '$1']];
  for (const locale of ['en', 'zh-cn'] as const) {
    test(`locale ${locale}: every bundle message and odd templates`, () => {
      setLocale(locale);
      for (const message of [...Object.keys(zhCn as Record<string, string>), ...odd]) {
        for (const args of argsSets) assert.equal(t(message, ...args), l10n.t(message, ...args), `${JSON.stringify(message)} ${JSON.stringify(args)}`);
      }
    });
  }
});
