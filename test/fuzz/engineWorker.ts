// Runs the engine properties (engineProperties.ts) on a worker thread, so the harness can stop and
// report an endless loop, which an in-process test could never interrupt. Each text is posted
// before it is checked: on a hang the parent knows the input. (Loaded by `node --test` as a file
// too, where it has no parent port and does nothing.)
import { parentPort, workerData } from 'worker_threads';
import { runEngineFuzz } from './engineProperties';

export interface EngineWorkerData {
  seed: number;
  timeLimitMs: number;
  path?: string;
}

if (parentPort) {
  const port = parentPort;
  const { seed, timeLimitMs, path } = workerData as EngineWorkerData;
  let last = 0;
  const report = runEngineFuzz(
    seed,
    timeLimitMs,
    (text) => {
      port.postMessage({ type: 'text', text });
      last++;
    },
    path,
  );
  port.postMessage({ type: 'done', report, texts: last });
}
