// `npm run fuzz`: the long fuzz run (both layers of test/fuzz, built to out/test/fuzz).
//   FUZZ_SECONDS   total time, split between the layers (default 600)
//   FUZZ_SEED      replay a run (the seed is printed at the start and with every failure)
//   FUZZ_ROUND     with FUZZ_SEED: replay one LSP round only
// Exit code 0: nothing found; 1: a failure (printed with its replay line).
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { fuzzSeed, runEngineLayer } = require('../out/test/fuzz/harness.js');
const { runLspFuzz } = require('../out/test/fuzz/lspFuzz.js');

const seconds = Number(process.env.FUZZ_SECONDS) || 600;
const seed = fuzzSeed();
console.log(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npm run fuzz), ${seconds} s`);
const round = process.env.FUZZ_ROUND === undefined ? undefined : Number(process.env.FUZZ_ROUND);
let failed = false;
if (round === undefined) {
  const engine = await runEngineLayer(seed, (seconds * 1000) / 2);
  console.log(`engine: ${engine.numRuns} cases, ${engine.texts} texts${engine.failure ? `\nFAILED: ${engine.failure}` : ', no failure'}`);
  failed ||= Boolean(engine.failure);
}
const lsp = await runLspFuzz(seed, round === undefined ? (seconds * 1000) / 2 : 0, round, (line) => console.log(line));
console.log(`lsp: ${lsp.rounds} rounds, ${lsp.edits} edits, ${lsp.requests} requests, slowest answer ${lsp.slowestRequestMs} ms${lsp.failure ? `\nFAILED: ${lsp.failure}` : ', no failure'}`);
failed ||= Boolean(lsp.failure);
process.exit(failed ? 1 : 0);
