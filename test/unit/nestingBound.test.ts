// findTooDeepNesting skips its scan when a cheap bound (longest line + brackets) proves the text
// cannot nest too deeply. Differential: with and without the shortcut, the same answer, on texts
// just below and just above the limit and on every real-world corpus file.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTooDeepNesting, MAX_NESTING_DEPTH, scanNesting } from '../../server/src/engine/compose/nestingDepth';
import { generateCompose } from '../../bench/generateCompose';
import { CORPUS } from './helpers';

function assertSame(text: string, max = MAX_NESTING_DEPTH): void {
  assert.deepEqual(findTooDeepNesting(text, max), scanNesting(text, max), text.slice(0, 200));
}

describe('nesting depth: the shortcut gives what the scan gives', () => {
  test('texts nested just below, at and just above the limit', () => {
    for (const max of [5, 20, MAX_NESTING_DEPTH]) {
      for (let depth = max - 3; depth <= max + 3; depth++) {
        // One space of indentation per level (short lines), two per level, `- ` items, flow brackets, a mix.
        const oneSpace = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ` v\n`;
        const twoSpaces = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ` v\n`;
        const items = `${'- '.repeat(depth)}x\n`;
        const flow = `a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
        const mixed = `a:\n  b: ${'{c: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
        // Long comment lines (as in front of a chunk parsed at its offset) and `#` lines inside scalars.
        const commented = `${'#'.repeat(3 * max)}\n${oneSpace}`;
        const inScalars = `a: "${'#'.repeat(2 * max)}\n#${' x:'.repeat(max)}"\nb: |\n${'#'.repeat(2 * max)}\n${twoSpaces}`;
        for (const text of [oneSpace, twoSpaces, items, flow, mixed, commented, inScalars]) {
          assertSame(text, max);
          assert.ok(scanNesting(text, max) === undefined || depth > max - 3, 'the texts below the limit pass');
        }
      }
    }
  });

  test('the real-world corpus and the generated shapes', () => {
    for (const name of fs.readdirSync(CORPUS)) {
      const file = path.join(CORPUS, name);
      if (fs.statSync(file).isFile()) assertSame(fs.readFileSync(file, 'utf8'));
    }
    for (const shape of ['clean', 'merge', 'findings'] as const) assertSame(generateCompose(50, { shape }).text);
    // And with a tight limit, so the scan's answer is not always "fine".
    for (const shape of ['clean', 'merge', 'findings'] as const) assertSame(generateCompose(5, { shape }).text, 4);
  });
});
