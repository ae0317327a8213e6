// Timeouts of the SLB client name the phase that ran out (issue 9, defect 4): a server that accepts
// the connection and never answers is a read timeout ("connected, but … did not answer"), not
// "Could not connect … within N s"; and a slow answer on a kept-alive socket is bounded by the read
// timeout too (httpx's stale timer of the previous request used to cancel the next one's).
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { SlbClient } from '../../server/src/engine/cloud/slbClient';
import { isSlbApiError, SlbApiError } from '../../server/src/engine/cloud/slbErrors';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { REDIS_APP_ID } from '../helpers/sandbox';
import { refusedPort } from '../helpers/ports';

let silent: net.Server;
let accepted = 0;
const sockets = new Set<net.Socket>();
let sb: SandboxHandle;

before(async () => {
  // Accepts every connection, reads what comes, never writes a byte.
  silent = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  sb = await startSandbox({ port: 0, dataPlane: false });
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await sb?.close();
});

function client(endpoint: string, connectTimeoutMs: number, readTimeoutMs: number): SlbClient {
  return new SlbClient({
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    regionId: 'cn-hangzhou', endpoint, connectTimeoutMs, readTimeoutMs, retry: { maxAttempts: 1 },
  });
}

async function failure(p: Promise<unknown>): Promise<SlbApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isSlbApiError(e), String(e));
    return e;
  }
  assert.fail('the call succeeded');
}

test('accepts, never answers: a read timeout after the read timeout, named as such (connect timeout shorter)', async () => {
  const port = (silent.address() as net.AddressInfo).port;
  const before = accepted;
  const t0 = Date.now();
  // connect 500 ms < read 1500 ms: httpx alone fires its "ConnectTimeout" (an idle timer) at 500 ms.
  const e = await failure(client(`http://127.0.0.1:${port}`, 500, 1500).describeRegions());
  const ms = Date.now() - t0;
  assert.equal(accepted, before + 1, 'the server accepted the connection');
  assert.equal(e.code, 'Timeout.Read');
  assert.equal(e.kind, 'timeout');
  assert.match(e.message, /^Connected to the SLB endpoint 127\.0\.0\.1:\d+, but the API did not answer within 1\.5 s \(read timeout\)/);
  assert.doesNotMatch(e.message, /Could not connect/);
  assert.ok(ms >= 1400 && ms < 4000, `took ${ms} ms`);
});

test('a port nobody listens on is named as refused, not as a timeout', async () => {
  const port = await refusedPort();
  const e = await failure(client(`http://127.0.0.1:${port}`, 500, 1500).describeRegions());
  assert.equal(e.code, 'Network.ConnectionRefused');
});

test('a slow answer on a kept-alive socket is cut at the read timeout (the next call after a fast one)', async () => {
  const c = client(sb.url, 2000, 1000);
  await c.describeRegions(); // opens the kept-alive socket
  sb.injectFault({ kind: 'slow', action: 'DescribeLoadBalancers', delayMs: 3000 });
  const t0 = Date.now();
  const e = await failure(c.describeLoadBalancers({ LoadBalancerId: REDIS_APP_ID }));
  const ms = Date.now() - t0;
  assert.equal(e.code, 'Timeout.Read');
  assert.ok(ms < 2500, `the 1 s read timeout held: took ${ms} ms`);
  // The client still works afterwards.
  const ok = await c.describeLoadBalancers({ LoadBalancerId: REDIS_APP_ID });
  assert.equal(ok.LoadBalancers.LoadBalancer.length, 1);
});
