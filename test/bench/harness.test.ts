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
