// User-facing text goes through @vscode/l10n: the English sentence is the key, the Chinese
// lives in l10n/bundle.l10n.zh-cn.json (shared with the VS Code client, which uses vscode.l10n).
import * as l10n from '@vscode/l10n';
// Imported (not read at run time) so the bundled server and CLI carry it with them.
import zhCnBundle = require('../../../../l10n/bundle.l10n.zh-cn.json');

export type Locale = 'en' | 'zh-cn';

let currentLocale: Locale = 'en';

/** Normalises editor/OS locale strings (zh-CN, zh_CN.UTF-8, zh-Hans, en-US...) to one we ship. */
export function normaliseLocale(raw: string | undefined | null): Locale {
  const value = (raw ?? '').toLowerCase().replace('_', '-');
  if (value.startsWith('zh')) return 'zh-cn';
  return 'en';
}

export function setLocale(locale: Locale): void {
  currentLocale = locale;
  l10n.config({ contents: locale === 'zh-cn' ? (zhCnBundle as Record<string, string>) : {} });
}

export function getLocale(): Locale {
  return currentLocale;
}

/** Translate: `t('Port {0} is not published', 80)`. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return l10n.t(message, ...args);
}

setLocale('en');
