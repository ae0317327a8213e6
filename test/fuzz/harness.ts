// The two fuzz layers behind one call each, shared by the bounded run in `npm test` (fuzz.test.ts)
// and the long run (`npm run fuzz`, scripts/fuzz.mjs). Seeds: FUZZ_SEED replays a run.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { EngineFuzzReport } from './engineProperties';

/** The run's seed: FUZZ_SEED when set (to replay), else a fresh one (printed by the callers). */
export function fuzzSeed(): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return process.env.FUZZ_SEED && Number.isInteger(fromEnv) ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}

/**
 * The engine layer in a worker thread. A text that keeps the engine busy for `hangMs` ends the run:
 * the worker is terminated and the text reported (an endless loop cannot be interrupted otherwise).
 */
export function runEngineLayer(seed: number, timeLimitMs: number, hangMs = 10000): Promise<EngineFuzzReport & { texts: number }> {
  return new Promise((resolve) => {
    const worker = new Worker(path.join(__dirname, 'engineWorker.js'), { workerData: { seed, timeLimitMs, path: process.env.FUZZ_PATH } });
    let lastText = '';
    let texts = 0;
    let settled = false;
    const finish = (report: EngineFuzzReport & { texts: number }) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolve(report);
    };
    let lastSeen = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastSeen > hangMs) finish({ seed, numRuns: texts, texts, failure: `the engine was still busy after ${hangMs} ms with this text (a hang?): ${JSON.stringify(lastText)}\nreplay: FUZZ_SEED=${seed}` });
    }, 250);
    worker.on('message', (m: { type: 'text'; text: string } | { type: 'done'; report: EngineFuzzReport; texts: number }) => {
      lastSeen = Date.now();
      if (m.type === 'text') {
        lastText = m.text;
        texts++;
      } else finish({ ...m.report, texts: m.texts });
    });
    worker.on('error', (error) => finish({ seed, numRuns: texts, texts, failure: `the engine worker failed: ${error.stack ?? String(error)}\nlast text: ${JSON.stringify(lastText)}\nreplay: FUZZ_SEED=${seed}` }));
    worker.on('exit', (code) => finish({ seed, numRuns: texts, texts, failure: `the engine worker exited (code ${code}) before it finished; last text: ${JSON.stringify(lastText)}\nreplay: FUZZ_SEED=${seed}` }));
  });
}
