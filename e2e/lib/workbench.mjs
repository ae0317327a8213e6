// What a user does in the VS Code workbench (code-server 4.100.3 / VS Code 1.100.3), through
// its DOM: open a file, find a line, hover a squiggle, read the Problems panel, trigger
// completion, run a quick fix. Every wait is for a condition, bounded in time; none is a fixed sleep.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitUntil } from './host.mjs';

const EDITOR = '.editor-group-container.active .monaco-editor[data-uri]';

/** Monaco renders spaces as NBSP; compare with normal spaces. */
const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');

/** Opens the workbench at `url` and waits until the explorer shows the folder. */
export async function openWorkbench(page, url, timeoutMs = 60_000) {
  await page.goto(url, { timeout: timeoutMs });
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: timeoutMs });
}

/** Clicks `name` in the explorer and waits until it is the active editor with its text rendered. */
export async function openFile(page, name, timeoutMs = 20_000) {
  // Double-click: a pinned tab, as a user who edits the file gets (a single click opens a preview
  // that the next file replaces, which closes the document and clears its problems).
  await page.dblclick(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`, { timeout: timeoutMs });
  await page.waitForSelector(`.tabs-container .tab.active[aria-label^="${name}"]`, { timeout: timeoutMs });
  await page.waitForFunction(
    (name) => {
      const ed = document.querySelector('.editor-group-container.active .monaco-editor[data-uri]');
      return ed && ed.getAttribute('data-uri').endsWith('/' + name) && ed.querySelector('.view-lines .view-line');
    },
    name,
    { timeout: timeoutMs },
  );
}

/** The rendered lines of the active editor, top to bottom: [{ text, top, bottom, box }]. */
export async function visibleLines(page) {
  const lines = await page.$$eval(`${EDITOR} .view-lines .view-line`, (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, top: r.top, bottom: r.bottom, left: r.left, width: r.width, height: r.height };
    }),
  );
  return lines.map((l) => ({ ...l, text: norm(l.text) })).sort((a, b) => a.top - b.top);
}

/** The first rendered line that contains `needle` (waits for it). */
export async function lineWith(page, needle, timeoutMs = 10_000) {
  return waitUntil(async () => (await visibleLines(page)).find((l) => l.text.includes(needle)), timeoutMs, `a line containing ${JSON.stringify(needle)}`);
}

/** Text of the whole rendered editor (visible lines only), normal spaces. */
export async function editorText(page) {
  return (await visibleLines(page)).map((l) => l.text).join('\n');
}

/** Boxes of squiggles of `severity` ('error' | 'warning' | 'info') in the active editor. */
export async function squiggles(page, severity = 'error') {
  return page.$$eval(`${EDITOR} .squiggly-${severity}`, (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/** Waits for a squiggle of `severity` on the line containing `needle`; resolves to its box. */
export async function squiggleOnLine(page, needle, severity = 'error', timeoutMs = 30_000) {
  return waitUntil(
    async () => {
      const line = (await visibleLines(page)).find((l) => l.text.includes(needle));
      if (!line) return undefined;
      const mid = (line.top + line.bottom) / 2;
      return (await squiggles(page, severity)).find((s) => s.y <= mid && s.y + s.height >= mid && s.width > 0);
    },
    timeoutMs,
    `a ${severity} squiggle on the line containing ${JSON.stringify(needle)}`,
  );
}

/** Screen point of the text `part` inside the line containing `needle` (centre of its first character range). */
export async function pointOfText(page, needle, part = needle) {
  const line = await lineWith(page, needle);
  const box = await page.evaluate(
    ({ needle, part, top }) => {
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      const lines = [...document.querySelectorAll('.editor-group-container.active .monaco-editor[data-uri] .view-lines .view-line')];
      const el = lines.find((e) => Math.abs(e.getBoundingClientRect().top - top) < 1 && norm(e.textContent).includes(needle));
      if (!el) return null;
      const text = norm(el.textContent);
      const start = text.indexOf(part);
      // Walk the text nodes to build a DOM range over [start, start + part.length).
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let offset = 0;
      const range = document.createRange();
      let startSet = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent.length;
        if (!startSet && start < offset + len) {
          range.setStart(node, start - offset);
          startSet = true;
        }
        if (startSet && start + part.length <= offset + len) {
          range.setEnd(node, start + part.length - offset);
          break;
        }
        offset += len;
      }
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    },
    { needle, part, top: line.top },
  );
  if (!box) throw new Error(`text ${JSON.stringify(part)} not found on the line containing ${JSON.stringify(needle)}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

/**
 * Moves the mouse to (x, y) and waits for a visible hover whose text contains `expect`
 * (string or RegExp). Resolves to the hover's text. Moves away first so the hover restarts.
 */
export async function hoverAt(page, x, y, expect, timeoutMs = 20_000) {
  const sel = '.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .hover-row';
  const matches = (t) => (expect instanceof RegExp ? expect.test(t) : t.includes(expect));
  return waitUntil(
    async () => {
      const texts = await page.$$eval(sel, (els) => els.map((e) => e.textContent ?? ''));
      const all = norm(texts.join('\n'));
      if (matches(all)) return all;
      // (Re)trigger: a tiny move inside the target keeps the hover request going.
      await page.mouse.move(x - 40, y + 60);
      await page.mouse.move(x, y, { steps: 2 });
      await page.waitForSelector(sel, { timeout: 2500 }).catch(() => {});
      const again = norm((await page.$$eval(sel, (els) => els.map((e) => e.textContent ?? ''))).join('\n'));
      return matches(again) ? again : undefined;
    },
    timeoutMs,
    `a hover containing ${expect}`,
    50,
  );
}

/** Closes hovers / widgets, and moves the mouse to an empty part of the side bar so no hover comes back. */
export async function escape(page, times = 1) {
  await page.mouse.move(200, 650);
  for (let i = 0; i < times; i++) await page.keyboard.press('Escape');
  await page.waitForSelector('.monaco-hover:not(.hidden) .hover-contents', { state: 'detached', timeout: 5000 }).catch(() => {});
}

/** Opens the Problems panel and resolves to the aria-labels of its rows once `until(rows)` holds. */
export async function problems(page, until = (rows) => rows.length > 0, timeoutMs = 20_000) {
  const visible = await page.$eval('.markers-panel', (e) => e.offsetParent !== null).catch(() => false);
  if (!visible) await page.keyboard.press('Control+Shift+M');
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: timeoutMs });
  return waitUntil(
    async () => {
      const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      return until(rows) ? rows : undefined;
    },
    timeoutMs,
    'the Problems panel rows',
  );
}

/** Toggles the bottom panel closed (Problems etc.), for screenshots that need the room. */
export async function closePanel(page) {
  const visible = await page.$eval('.part.panel', (e) => e.offsetParent !== null && e.getBoundingClientRect().height > 0).catch(() => false);
  if (visible) await page.keyboard.press('Control+J');
  await page.waitForFunction(() => {
    const p = document.querySelector('.part.panel');
    return !p || p.offsetParent === null || p.getBoundingClientRect().height === 0;
  }, undefined, { timeout: 5000 });
}

/** Places the cursor by clicking the text `part` on the line containing `needle`. */
export async function clickText(page, needle, part = needle, { at = 'centre' } = {}) {
  const p = await pointOfText(page, needle, part);
  const x = at === 'end' ? p.box.x + p.box.width - 1 : at === 'start' ? p.box.x + 1 : p.x;
  await page.mouse.click(x, p.y);
}

/** Waits for the suggest widget; resolves to its rows' label texts once `until(labels)` holds. */
export async function suggestions(page, until = (labels) => labels.length > 0, timeoutMs = 20_000) {
  return waitUntil(
    async () => {
      const labels = await page.$$eval('.suggest-widget.visible .monaco-list-row', (els) =>
        els.map((e) => (e.querySelector('.label-name')?.textContent ?? e.getAttribute('aria-label') ?? '').trim()),
      );
      if (until(labels)) return labels;
      // The list may have been answered before the server was ready: ask again.
      if (!(await page.$('.suggest-widget.visible'))) await page.keyboard.press('Control+Space');
      return undefined;
    },
    timeoutMs,
    'completion items',
    150,
  );
}

/** Focuses the suggestion `label` (arrow keys) and accepts it with Enter. */
export async function acceptSuggestion(page, label, timeoutMs = 10_000) {
  await focusSuggestion(page, label, timeoutMs);
  await page.keyboard.press('Enter');
}

/** Ctrl+. at the cursor; resolves to the code action titles shown once one contains `expect`. */
export async function codeActions(page, expect, timeoutMs = 20_000) {
  return waitUntil(
    async () => {
      if (!(await page.$('.action-widget .monaco-list-row'))) {
        await page.keyboard.press('Control+.');
        await page.waitForSelector('.action-widget .monaco-list-row', { timeout: 3000 }).catch(() => {});
      }
      const titles = (await page.$$eval('.action-widget .monaco-list-row.action', (els) => els.map((e) => e.textContent ?? ''))).map((t) => norm(t).trim());
      return titles.some((t) => t.includes(expect)) ? titles : undefined;
    },
    timeoutMs,
    `a code action containing ${JSON.stringify(expect)}`,
    200,
  );
}

/** Moves the code action menu's focus to the row whose label contains `title` (arrow keys) and applies it with Enter. */
export async function applyCodeAction(page, title, timeoutMs = 10_000) {
  await waitUntil(
    async () => {
      const focused = await page.$eval('.action-widget .monaco-list-row.action.focused', (e) => e.getAttribute('aria-label') ?? e.textContent).catch(() => '');
      if (norm(focused).includes(title)) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    },
    timeoutMs,
    `code action ${JSON.stringify(title)} focused`,
    50,
  );
  await page.keyboard.press('Enter');
}

/** Runs a command from the palette by (part of) its title. */
export async function runCommand(page, title, timeoutMs = 10_000) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill('>' + title);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
}

/** Waits until no notification toast / hover is moving (CSS transitions done), then screenshots. */
export async function screenshot(page, file, { clip } = {}) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Wait for running animations (toast slide-in, hover fade) to finish: a condition, not a sleep.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 3000 })
    .catch(() => {});
  await page.screenshot({ path: file, clip });
  return file;
}

/** Waits until no rendered line contains `needle`. */
export async function waitGone(page, needle, timeoutMs = 10_000) {
  await waitUntil(async () => !(await visibleLines(page)).some((l) => l.text.includes(needle)), timeoutMs, `no line containing ${JSON.stringify(needle)}`);
}

/**
 * Replaces the text of the line under the cursor with `text` (indentation included), the way
 * a user would: select the whole line content with End, Shift+Home (twice, because Home first
 * stops at the indentation), then type. Checks the rendered result and retries once the other way.
 */
export async function setCurrentLineText(page, text) {
  const want = text.trimStart();
  for (const homes of [2, 1, 3]) {
    await page.keyboard.press('End');
    for (let i = 0; i < homes; i++) await page.keyboard.press('Shift+Home');
    await page.keyboard.type(text, { delay: 5 });
    const ok = await waitUntil(async () => (await visibleLines(page)).find((l) => l.text.trimEnd().endsWith(want)), 5000, `the typed line ${JSON.stringify(text)}`);
    if (ok.text.trimEnd() === text) return;
    // Indentation came out different: select the line again and retype.
  }
  throw new Error(`could not type the line ${JSON.stringify(text)}`);
}

/** Waits for the suggest widget's details pane (shown beside the list) to contain `expect`; Ctrl+Space toggles it open. */
export async function waitForSuggestDetails(page, expect, timeoutMs = 10_000) {
  let toggled = 0;
  return waitUntil(
    async () => {
      const text = norm(await page.$eval('.suggest-details-container .suggest-details', (e) => (e.getBoundingClientRect().width > 0 ? e.textContent : '')).catch(() => ''));
      if (text.includes(expect)) return text;
      if (!text && toggled < 2 && (await page.$('.suggest-widget.visible'))) {
        toggled++;
        await page.keyboard.press('Control+Space');
      }
      return undefined;
    },
    timeoutMs,
    `completion details containing ${JSON.stringify(expect)}`,
    250,
  );
}

/** Moves the suggest focus to `label` without accepting. */
export async function focusSuggestion(page, label, timeoutMs = 10_000) {
  await waitUntil(
    async () => {
      const focused = await page.$eval('.suggest-widget.visible .monaco-list-row.focused .label-name', (e) => e.textContent.trim()).catch(() => '');
      if (focused === label) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    },
    timeoutMs,
    `suggestion ${label} focused`,
    50,
  );
}

/** Waits until the line containing `needle` carries no squiggle of `severity`. */
export async function waitUntilNoSquiggleOnLine(page, needle, severity = 'error', timeoutMs = 20_000) {
  await waitUntil(
    async () => {
      const line = (await visibleLines(page)).find((l) => l.text.includes(needle));
      if (!line) return false;
      const mid = (line.top + line.bottom) / 2;
      return !(await squiggles(page, severity)).some((s) => s.y <= mid && s.y + s.height >= mid && s.width > 0);
    },
    timeoutMs,
    `no ${severity} squiggle on the line containing ${JSON.stringify(needle)}`,
  );
}

/** Scrolls the visible hover (mouse wheel over it) until the element whose text contains `text` is at its top. */
export async function scrollHoverTo(page, text, timeoutMs = 5000) {
  const hover = await page.$('.monaco-hover:not(.hidden)');
  const box = await hover?.boundingBox();
  if (!box) throw new Error('no hover to scroll');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await waitUntil(
    async () => {
      const delta = await page.evaluate((text) => {
        const h = document.querySelector('.monaco-hover:not(.hidden)');
        const el = [...h.querySelectorAll('.hover-contents p, .hover-contents strong')].find((e) => e.textContent.includes(text));
        return el ? el.getBoundingClientRect().top - h.getBoundingClientRect().top - 8 : null;
      }, text);
      if (delta === null) throw new Error(`no ${JSON.stringify(text)} in the hover`);
      if (delta <= 4) return true;
      await page.mouse.wheel(0, Math.min(delta, 120));
      // Stop when the hover cannot scroll further.
      const after = await page.evaluate(() => document.querySelector('.monaco-hover:not(.hidden) .monaco-scrollable-element > *')?.style.top ?? '');
      return after !== '' && after === (await page.evaluate(() => document.querySelector('.monaco-hover:not(.hidden) .monaco-scrollable-element > *')?.style.top ?? '')) && delta < 2;
    },
    timeoutMs,
    `the hover scrolled to ${JSON.stringify(text)}`,
    100,
  ).catch(() => {}); // best effort: the screenshot is still taken
}

// ---------------------------------------------------------------------------------------------
// CodeLens, modal dialogs, notifications, the output panel

/** The CodeLens link of the active editor whose text contains `text` (waits until it is shown). */
export async function codeLens(page, text, timeoutMs = 20_000) {
  const link = page.locator(`${EDITOR} .codelens-decoration a`, { hasText: text }).first();
  await link.waitFor({ state: 'visible', timeout: timeoutMs });
  return link;
}

/**
 * Waits until the active editor shows its CodeLens rows (above each aliyun.lb.port_* label). They
 * push the lines below them down when they appear: measure positions (squiggles, text) after this.
 */
export async function waitForCodeLenses(page, timeoutMs = 20_000) {
  await page.locator(`${EDITOR} .codelens-decoration a`).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The texts of the CodeLens row(s) of the active editor, normal spaces. */
export async function codeLensTexts(page) {
  return (await page.$$eval(`${EDITOR} .codelens-decoration`, (els) => els.map((e) => e.textContent ?? ''))).map(norm);
}

/** Waits for a CodeLens row of the active editor matching `re`; resolves to the match. */
export async function waitForCodeLens(page, re, timeoutMs = 20_000) {
  return waitUntil(async () => (await codeLensTexts(page)).map((t) => t.match(re)).find(Boolean), timeoutMs, `a CodeLens matching ${re}`);
}

/** The open modal dialog: { message, detail, buttons } once it is shown. */
export async function modalDialog(page, timeoutMs = 20_000) {
  await page.waitForSelector('.monaco-dialog-box', { state: 'visible', timeout: timeoutMs });
  return page.$eval('.monaco-dialog-box', (box) => ({
    message: box.querySelector('.dialog-message-text')?.textContent ?? '',
    detail: box.querySelector('.dialog-message-detail')?.textContent ?? '',
    buttons: [...box.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => b.textContent ?? ''),
  }));
}

/** Clicks the modal dialog's button `title` and waits for the dialog to close. */
export async function clickDialogButton(page, title, timeoutMs = 10_000) {
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: title }).first().click({ timeout: timeoutMs });
  await page.waitForSelector('.monaco-dialog-box', { state: 'detached', timeout: timeoutMs });
}

/** Texts of the notification toasts on screen. */
export async function toastTexts(page) {
  return (await page.$$eval('.notifications-toasts .notification-list-item-message', (els) => els.map((e) => e.textContent ?? ''))).map(norm);
}

/** Waits for a notification toast whose text matches `re` (RegExp or string); resolves to the match. */
export async function waitForToast(page, re, timeoutMs = 30_000) {
  const rx = re instanceof RegExp ? re : new RegExp(re.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return waitUntil(async () => (await toastTexts(page)).map((t) => t.match(rx)).find(Boolean), timeoutMs, `a notification matching ${rx} (shown: ${JSON.stringify(await toastTexts(page).catch(() => []))})`);
}

/** Clicks the button `title` of the toast whose message contains `message`. */
export async function clickToastButton(page, message, title, timeoutMs = 10_000) {
  const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: message }).first();
  await toast.locator('.monaco-button', { hasText: title }).first().click({ timeout: timeoutMs });
}

/** Closes every notification (palette: Notifications: Clear All Notifications) so later waits see only new ones. */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitUntil(async () => (await toastTexts(page)).length === 0, 10_000, 'no notification toast');
}

/** The text of the visible output panel (the rendered lines of its editor), once it contains `expect` (a string, or a predicate on the text). */
export async function outputText(page, expect, timeoutMs = 20_000) {
  const ok = typeof expect === 'function' ? expect : (text) => text.includes(expect);
  return waitUntil(
    async () => {
      const lines = await page.$$eval('.part.panel .monaco-editor .view-lines .view-line', (els) =>
        els.map((e) => ({ top: e.getBoundingClientRect().top, text: e.textContent ?? '' })),
      );
      const text = norm(lines.sort((a, b) => a.top - b.top).map((l) => l.text).join('\n'));
      return ok(text) ? text : undefined;
    },
    timeoutMs,
    `the output panel showing ${typeof expect === 'function' ? expect : JSON.stringify(expect)}`,
  );
}

/** Drags the sash above the bottom panel so the panel's top edge is at `top` pixels. */
export async function resizePanel(page, top) {
  const box = await page.locator('.part.panel').boundingBox();
  if (!box) throw new Error('the panel is not visible');
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y);
  await page.mouse.down();
  await page.mouse.move(x, top, { steps: 5 });
  await page.mouse.up();
  await waitUntil(async () => Math.abs(((await page.locator('.part.panel').boundingBox())?.y ?? 0) - top) < 30, 5000, `the panel's top at ${top}px`);
}

/** Waits until no notification toast contains `text` (a progress notification that has finished). */
export async function waitToastGone(page, text, timeoutMs = 10_000) {
  await waitUntil(async () => !(await toastTexts(page)).some((t) => t.includes(text)), timeoutMs, `the notification ${JSON.stringify(text)} to close`);
}

/** Opens the Problems panel with `text` in its filter box (only matching rows are listed); '' clears it. */
export async function filterProblems(page, text) {
  const visible = await page.$eval('.markers-panel', (e) => e.offsetParent !== null).catch(() => false);
  if (!visible) await page.keyboard.press('Control+Shift+M');
  // The visible filter: the Output view has one too (hidden behind the Problems view once opened).
  const input = page.locator('.part.panel .viewpane-filter input:visible').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
}

// ---------------------------------------------------------------------------------------------
// The Settings editor

/** Opens the Settings editor (user settings, UI) with the panel closed, so its list has room. */
export async function openSettingsEditor(page, timeoutMs = 20_000) {
  await closePanel(page).catch(() => {});
  await runCommand(page, 'Preferences: Open User Settings');
  await page.locator('.settings-editor .settings-tree-container').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Types `query` into the Settings editor's search box (empty: back to browsing). */
export async function searchSettings(page, query) {
  await page.locator('.settings-editor .settings-header .suggest-input-container').click();
  await page.keyboard.press('Control+A');
  if (query) await page.keyboard.type(query);
  else await page.keyboard.press('Backspace');
}

/** The settings the Settings editor renders now: { title: "Category: Label" as shown, deprecation }. */
async function renderedSettings(page) {
  return page.$$eval('.settings-editor .settings-tree-container .setting-item-contents', (els) =>
    els.map((e) => ({
      title: `${e.querySelector('.setting-item-category')?.textContent ?? ''}${e.querySelector('.setting-item-label')?.textContent ?? ''}`.replace(/\u00a0/g, ' ').trim(),
      deprecation: (e.querySelector('.setting-item-deprecation-message')?.textContent ?? '').trim(),
    })),
  );
}

/**
 * Collects the titles of the settings listed now, scrolling through the list (it renders only the
 * rows in view) until `done(titles)` or nothing new appears. Resolves to { titles, deprecations }.
 */
export async function collectSettings(page, done = () => false, timeoutMs = 20_000) {
  await waitUntil(async () => (await renderedSettings(page)).some((r) => r.title), timeoutMs, 'settings in the Settings editor');
  const seen = new Map();
  const box = await page.locator('.settings-editor .settings-tree-container').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
  // (The list scrolls smoothly: give each wheel step time before reading, and a few tries before giving up.)
  for (let i = 0, still = 0; i < 60 && still < 6; i++) {
    const before = seen.size;
    for (const r of await renderedSettings(page)) if (r.title) seen.set(r.title, r.deprecation);
    if (done([...seen.keys()])) break;
    still = seen.size === before ? still + 1 : 0;
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(300);
  }
  return { titles: [...seen.keys()], deprecations: Object.fromEntries([...seen].filter(([, d]) => d)) };
}

/** Clicks the table-of-contents entry labelled exactly `label` (expanding `parents` first, in order). */
export async function settingsTocEntry(page, parents, label, timeoutMs = 10_000) {
  const row = (text) => page.locator('.settings-editor .settings-toc-container .monaco-list-row').filter({ has: page.locator('.settings-toc-entry', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(\\d+\\))?$`) }) }).first();
  for (const p of parents) {
    const r = row(p);
    await r.waitFor({ state: 'visible', timeout: timeoutMs });
    if ((await r.getAttribute('aria-expanded')) === 'false') {
      await r.locator('.monaco-tl-twistie').click();
      await waitUntil(async () => (await r.getAttribute('aria-expanded')) !== 'false', timeoutMs, `the table-of-contents entry ${p} expanded`);
    }
  }
  const r = row(label);
  await r.waitFor({ state: 'visible', timeout: timeoutMs });
  await r.click();
}
