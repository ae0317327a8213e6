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

/** The current locale's translations (l10n is configured with them too, for its other callers). */
let bundle: Record<string, string> | undefined;

export function setLocale(locale: Locale): void {
  currentLocale = locale;
  bundle = locale === 'zh-cn' ? (zhCnBundle as Record<string, string>) : undefined;
  l10n.config({ contents: bundle ?? {} });
}

export function getLocale(): Locale {
  return currentLocale;
}

/**
 * Translate: `t('Port {0} is not published', 80)`. What `l10n.t` gives, about five times faster (its
 * `format` is a regex replace with a callback: a file with 15k findings formats some 50k messages).
 */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  const translated = bundle?.[message];
  const template = typeof translated === 'string' && translated !== '' ? translated : message;
  return args.length === 0 ? template : format(template, args);
}

/**
 * l10n's format: each `{key}` (key: anything but `}`) becomes `args[key]` when that is set, else
 * stays. The pieces are joined into one flat string: a message built with `+=` is a tree of string
 * pieces that the worker kept for 50k messages (a quarter of a million small objects for the garbage
 * collector to copy) and that JSON.stringify had to flatten on the way to the client.
 */
function format(template: string, args: readonly unknown[]): string {
  let pieces: string[] | undefined;
  let copied = 0;
  for (let open = template.indexOf('{'); open >= 0; ) {
    const close = template.indexOf('}', open + 1);
    if (close < 0) break;
    if (close === open + 1) {
      open = template.indexOf('{', open + 1);
      continue;
    }
    const value = (args as unknown as Record<string, unknown>)[template.slice(open + 1, close)];
    if (value !== undefined && value !== null) {
      (pieces ??= []).push(template.slice(copied, open), String(value));
      copied = close + 1;
    }
    open = template.indexOf('{', close + 1);
  }
  if (!pieces) return template;
  pieces.push(template.slice(copied));
  return pieces.join('');
}

setLocale('en');
