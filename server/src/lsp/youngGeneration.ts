// V8's `gc` for both threads (the worker's full collection between results uses it too), and a
// young-generation collection right after work that left much behind, before its answer goes
// out. On a file with 15k findings a delta that moves 7.7k diagnostics by more than whole lines
// (several edits at once; a plain line insert only shifts runs, lsp/diagnosticList.ts) makes the
// main thread 7.7k fresh copies that survive, and copying survivors is what a collection costs
// (8-10 ms here). Left to V8, that collection fell into the next request: a completion typed on
// the new line waited for it (p50 12 ms against 2 ms). Collected before the diagnostics answer
// is sent, it is paid while the client still waits for that answer, not by the next request.
import { getHeapSpaceStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

/** Below this much in the young generation a collection costs about nothing whenever it comes. */
const WORTH_COLLECTING_BYTES = 2 * 1024 * 1024;

let collect: Collect | null | undefined;

/** V8's `gc` function, or undefined where it cannot be had. */
export function exposedGc(): Collect | undefined {
  if (collect === undefined) {
    try {
      // V8 offers no other way to ask for a collection: the flag exposes `gc` to new contexts.
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null; // not available: V8 collects on its own schedule
    }
  }
  return collect ?? undefined;
}

function youngBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_used_size;
  return 0;
}

/** Collect the young generation now, when it holds enough to be worth it; true when it did. */
export function collectYoungGeneration(atLeastBytes = WORTH_COLLECTING_BYTES): boolean {
  if (youngBytes() < atLeastBytes) return false;
  const gc = exposedGc();
  if (!gc) return false;
  try {
    gc({ type: 'minor' });
    return true;
  } catch {
    collect = null;
    return false;
  }
}
