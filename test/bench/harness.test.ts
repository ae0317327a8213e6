import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBench, SizeResult, formatTables } from '../../bench/run';

// out/test/bench -> repo root
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server', 'server.js');

let cached: Promise<SizeResult> | undefined;
function smallRun(): Promise<SizeResult> {
  cached ??= runBench({
    services: [50],
    iterations: 2,
    edits: 2,
    editGapMs: 20,
    settleMs: 300,
    timeoutMs: 20_000,
    server: `node "${SERVER}" --stdio`,
    cwd: ROOT,
    log: () => undefined,
  }).then((r) => r[0]);
  return cached;
}

test('harness end to end against the real server (50 services, 2 iterations)', { timeout: 120_000 }, async (t) => {
  if (!fs.existsSync(SERVER)) {
    t.skip('dist/server/server.js not built');
    return;
  }
  const r = await smallRun();
  const report = formatTables([r]);
  assert.deepEqual(r.errors, [], report);
  assert.equal(r.services, 50);
  for (const [name, v] of Object.entries({ init: r.init, openToDiag: r.openToDiag, settled: r.settled, editP50: r.editP50, editP95: r.editP95, peakRssMiB: r.peakRssMiB })) {
    assert.ok(Number.isFinite(v) && v > 0, `${name} = ${v}\n${report}`);
  }
  assert.equal(r.editSamples.length, 2, report);
  assert.equal(r.probes.length, 7);
  for (const p of r.probes) {
    assert.ok(Number.isFinite(p.first) && Number.isFinite(p.p50) && Number.isFinite(p.p95), `${p.name}: timings\n${report}`);
    assert.equal(p.errors, 0, `${p.name}: errors\n${report}`);
  }
  const lbValue = r.probes.find((p) => p.name === 'completion@lbValue')!;
  assert.ok(lbValue.size > 0, `completion at the lb label value returned no items\n${report}`);
});

test('the real server reports 0 problems on the generated (valid) file', { timeout: 120_000 }, async (t) => {
  if (!fs.existsSync(SERVER)) {
    t.skip('dist/server/server.js not built');
    return;
  }
  const r = await smallRun();
  assert.equal(r.diags, 0, `diagnostics on a valid generated file: ${r.diagSample.join(' | ')}`);
});

test('runs are merged by pooling latency samples (p95 of 3 × 7 samples is not the median of three maxima)', async () => {
  const { mergeRuns } = await import('../../bench/run');
  const probe = (times: number[]) => ({ name: 'completion@x', kind: 'completion' as const, position: { line: 0, character: 0 }, size: 1, first: 9, p50: NaN, p95: NaN, p99: NaN, samples: times.length, times, errors: 0 });
  const run = (times: number[], edits: number[]) => ({ ...({} as SizeResult), services: 5000, runs: 1, openToDiag: 800, editSamples: edits, errors: [], probes: [probe(times)] });
  // Each run has one slow outlier; pooled, 3 of 21 samples are slow (14%), so p95 is slow but p50 is not.
  const merged = mergeRuns([run([1, 1, 1, 1, 1, 1, 9], [10, 20]), run([2, 2, 2, 2, 2, 2, 8], [30]), run([3, 3, 3, 3, 3, 3, 7], [40, 50])]);
  assert.equal(merged.probes[0].samples, 21);
  assert.equal(merged.probes[0].p50, 2);
  assert.equal(merged.probes[0].p95, 8);
  assert.equal(merged.probes[0].p99, 9);
  assert.equal(merged.editP50, 30);
  assert.equal(merged.editP95, 50);
  assert.equal(merged.openToDiag, 800, 'non-latency numbers stay medians');
});
