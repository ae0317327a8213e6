// lsp/messageFlow.ts: validation waits until the messages that came in with an edit are handled.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Message } from 'vscode-languageserver/node';
import { MessageFlow } from '../../server/src/lsp/messageFlow';

let nextId = 1;
const request = (method: string): Message => ({ jsonrpc: '2.0', id: nextId++, method } as unknown as Message);
const notification = (method: string): Message => ({ jsonrpc: '2.0', method } as unknown as Message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the strategy passes every message on, in order', () => {
  const flow = new MessageFlow();
  const seen: string[] = [];
  for (const m of [request('a'), notification('b'), request('textDocument/diagnostic')]) flow.strategy.handleMessage(m, (x) => seen.push((x as unknown as { method: string }).method));
  assert.deepEqual(seen, ['a', 'b', 'textDocument/diagnostic']);
  seen.length = 0;
  for (const m of ['a', 'b', 'c']) flow.strategy.handleMessage(request(m), (x) => seen.push((x as unknown as { method: string }).method));
  assert.deepEqual(seen, ['a', 'b', 'c']);
});

test('with nothing else coming in, the work runs after about a millisecond', async () => {
  const flow = new MessageFlow();
  const started = performance.now();
  const ran = await new Promise<number>((resolve) => flow.whenHandled(() => resolve(performance.now())));
  assert.ok(ran - started >= 0.9, `ran after ${ran - started} ms`);
  assert.ok(ran - started < 50, `ran after ${ran - started} ms`);
});

test('it waits while messages keep being handled, and runs once they stop', async () => {
  const flow = new MessageFlow();
  let ran = false;
  flow.whenHandled(() => (ran = true));
  // A message handled every half millisecond for 10 ms: the work must not run meanwhile.
  const until = performance.now() + 10;
  while (performance.now() < until) {
    flow.strategy.handleMessage(request('textDocument/completion'), () => undefined);
    await sleep(0.5);
    assert.equal(ran, false, 'ran while messages were still coming in');
  }
  await sleep(10);
  assert.equal(ran, true, 'did not run once the messages stopped');
});

/**
 * Schedules work on a new flow while `messages` are handled in turn, one on every turn of the event
 * loop, for at most `limitMs`; the milliseconds until the work ran (Infinity: it did not).
 */
async function ranAfterWhileFed(messages: Message[], limitMs: number): Promise<number> {
  const flow = new MessageFlow();
  let ranAt = 0;
  const started = performance.now();
  flow.whenHandled(() => (ranAt = performance.now()));
  let feeding = true;
  let k = 0;
  const feed = () => {
    flow.strategy.handleMessage(messages[k++ % messages.length], () => undefined);
    if (feeding) setImmediate(feed);
  };
  feed();
  try {
    for (let i = 0; i < limitMs && ranAt === 0; i++) await sleep(1);
  } finally {
    feeding = false;
  }
  return ranAt === 0 ? Infinity : ranAt - started;
}

test('diagnostics pulls, edits and cancellations do not hold the work back (they wait for it, or ask for nothing)', async () => {
  const ms = await ranAfterWhileFed([request('textDocument/diagnostic'), notification('textDocument/didChange'), notification('$/cancelRequest')], 100);
  // As soon as with nothing coming in (the 32-look bound would be over 30 ms).
  assert.ok(ms < 20, `ran after ${ms} ms`);
});

test('a client that never stops sending holds the work back for a bounded time only', async () => {
  const ms = await ranAfterWhileFed([request('textDocument/hover')], 400);
  assert.ok(ms < 400, `ran after ${ms} ms (Infinity: never, under a steady stream of requests)`);
});
