// lsp/youngGeneration.ts: the main thread collects its young generation after a result that moved
// many diagnostics, so that the collection is not paid by the next completion or hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'v8';
import { collectYoungGeneration } from '../../server/src/lsp/youngGeneration';

/** What the loop below made last (kept reachable, so the allocation is not optimised away). */
export let held: unknown[] = [];
const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

test('after a burst of short-lived objects it collects, and the young generation is smaller after', () => {
  // (V8 sizes the young generation itself, from 1 MB up: ask for a collection past 256 KB here.)
  for (let round = 0; round < 20 && young() < 512 * 1024; round++) held = Array.from({ length: 5000 }, (_, k) => ({ k, s: `x${k}` }));
  const before = young();
  assert.ok(before >= 256 * 1024, `young generation holds ${before} bytes`);
  assert.equal(collectYoungGeneration(256 * 1024), true);
  assert.ok(young() < before, `${young()} < ${before}`);
});

test('with little in the young generation it does nothing', () => {
  collectYoungGeneration();
  assert.equal(collectYoungGeneration(), false);
});
