import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { TypingQuiet } from '../../server/src/lsp/typingQuiet';

const diag = (line: number, endLine = line, endCharacter = 5): Diagnostic => ({ range: { start: { line, character: 0 }, end: { line: endLine, character: endCharacter } }, message: `on ${line}` });
const key = (line: number, character: number, text: string) => ({ range: { start: { line, character }, end: { line, character } }, text });

test('the typed line is held back until the quiet time has passed; other lines are not', () => {
  let now = 1000;
  const quiet = new TypingQuiet(() => 200, () => now);
  quiet.edited('u', [key(3, 4, 'p')]);
  const all = [diag(1), diag(3), diag(5)];
  const held = quiet.filter('u', all);
  assert.deepEqual(held.diagnostics.toArray().map((d) => d.range.start.line), [1, 5]);
  assert.equal(held.releaseInMs, 200);
  now += 150;
  assert.equal(quiet.filter('u', all).releaseInMs, 50);
  now += 50;
  // Over: still released through the timer path (0 ms), so a key already waiting is read first.
  assert.equal(quiet.filter('u', all).releaseInMs, 0);
  quiet.paused('u');
  assert.deepEqual(quiet.filter('u', all).diagnostics.toArray(), all);
});

test('Enter quiets the line it splits and the new line; a range ending at column 0 of the next line does not reach it', () => {
  const quiet = new TypingQuiet(() => 200, () => 0);
  quiet.edited('u', [key(3, 10, '\n    ')]);
  assert.deepEqual(quiet.filter('u', [diag(2), diag(3), diag(4), diag(5), diag(1, 2, 0)]).diagnostics.toArray().map((d) => d.range.start.line), [2, 5, 1]);
});

test('a paste of many lines, a whole-text replace, or diagnosticDelay 0 hold nothing back', () => {
  const quiet = new TypingQuiet(() => 200, () => 0);
  quiet.edited('u', [key(3, 0, 'a\nb\nc\n')]);
  assert.equal(quiet.filter('u', [diag(3)]).diagnostics.length, 1);
  quiet.edited('u', [key(3, 0, 'x')]);
  quiet.edited('u', [{ text: 'whole' }]);
  assert.equal(quiet.filter('u', [diag(3)]).diagnostics.length, 1);
  const off = new TypingQuiet(() => 0, () => 0);
  off.edited('u', [key(3, 0, 'x')]);
  assert.equal(off.filter('u', [diag(3)]).diagnostics.length, 1);
});
