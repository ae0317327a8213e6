// The sandbox's data plane for listeners bound to a vServer group: real sockets on 127.0.48.x go to
// the group's backend ports (rr, weighted rr, weight 0 left out, group changes applied to the next
// connection, an empty group refuses), health per backend port, and the API around it
// (VServerGroupId on create, Set*ListenerAttribute, a group in use cannot be deleted).
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import type { SlbAction } from '../../server/src/engine/cloud/slbClient';
import { REDIS_APP_ID, sandboxClient } from '../helpers/sandbox';
import { freePort, udpBackend } from '../reach/helpers';
import * as dgram from 'node:dgram';

/** A UDP port free on the CLB address (bind, read, close). */
async function freeUdpPort(): Promise<number> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, BASE, () => resolve()));
  const port = sock.address().port;
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}

/** Sends one datagram to BASE:port; the reply's text, or undefined after `timeoutMs`. */
function udpRoundTrip(port: number, text: string, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const done = (v: string | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('message', (m) => done(String(m)));
    sock.on('error', () => done(undefined));
    sock.send(text, port, BASE);
  });
}

const BASE = '127.0.48.2';

async function greeter(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.write(`${name}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}

/** The first line the far end sends, or 'closed' when it closes first (bounded). */
function firstLine(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: BASE, port });
    let data = '';
    const done = (v: string) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(`timeout '${data}'`), 2000);
    s.on('data', (d) => {
      data += d;
      if (data.includes('\n')) done(data.trim());
    });
    s.on('error', () => done('closed'));
    s.on('close', () => done(data ? data.trim() : 'closed'));
  });
}

describe('sandbox: listeners on vServer groups', () => {
  let sb: SandboxHandle;
  let a: Awaited<ReturnType<typeof greeter>>;
  let b: Awaited<ReturnType<typeof greeter>>;
  before(async () => {
    sb = await startSandbox({ port: 0, addressBase: BASE, healthCheckIntervalMs: 30 });
    a = await greeter('a');
    b = await greeter('b');
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await sb?.close();
  });

  const call = <B = Record<string, unknown>>(action: string, request: object) => sandboxClient(sb).call<B>(action as SlbAction, request);
  const backends = (list: Array<{ id: string; port: number; weight?: number }>) => JSON.stringify(list.map((x) => ({ ServerId: x.id, Port: x.port, Weight: x.weight ?? 100, Type: 'ecs' })));

  it('rr over the group backends, weight 0 left out, changes apply to the next connection, an empty group refuses', async () => {
    const { VServerGroupId: group } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'rr', BackendServers: backends([{ id: 'i-nodeaaaa01', port: a.port }, { id: 'i-nodebbbb02', port: b.port }]) });
    const front = await freePort(BASE);
    await call('CreateLoadBalancerTCPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, Bandwidth: -1, VServerGroupId: group, Scheduler: 'rr' });
    await call('StartLoadBalancerListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await firstLine(front));
    assert.deepEqual(seen.sort(), ['a', 'a', 'b', 'b']);

    await call('SetVServerGroupAttribute', { VServerGroupId: group, BackendServers: backends([{ id: 'i-nodeaaaa01', port: a.port, weight: 0 }]) });
    assert.deepEqual([await firstLine(front), await firstLine(front), await firstLine(front)], ['b', 'b', 'b']);

    await call('RemoveVServerGroupBackendServers', { VServerGroupId: group, BackendServers: backends([{ id: 'i-nodeaaaa01', port: a.port }, { id: 'i-nodebbbb02', port: b.port }]) });
    assert.equal(await firstLine(front), 'closed', 'an empty group has nowhere to send the connection');

    const described = await call<{ Listeners: Array<Record<string, unknown>> }>('DescribeLoadBalancerListeners', { LoadBalancerId: [REDIS_APP_ID], ListenerPort: front });
    assert.equal(described.Listeners[0].VServerGroupId, group);
    assert.equal('BackendServerPort' in described.Listeners[0], false);
    await assert.rejects(call('DeleteVServerGroup', { VServerGroupId: group }), /ResourceInUse\.VServerGroup/);
  });

  it('weighted rr follows the weights; health is per backend port; an http listener answers 503 for an empty group', async () => {
    const { VServerGroupId: group } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'wrr', BackendServers: backends([{ id: 'i-nodeaaaa01', port: a.port, weight: 75 }, { id: 'i-nodebbbb02', port: b.port, weight: 25 }]) });
    const front = await freePort(BASE);
    await call('CreateLoadBalancerTCPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, Bandwidth: -1, VServerGroupId: group, Scheduler: 'wrr' });
    await call('StartLoadBalancerListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const who = await firstLine(front);
      counts[who] = (counts[who] ?? 0) + 1;
    }
    assert.deepEqual(counts, { a: 6, b: 2 });

    const dead = await freePort('127.0.0.1');
    await call('AddVServerGroupBackendServers', { VServerGroupId: group, BackendServers: backends([{ id: 'i-nodecccc03', port: dead }]) });
    assert.ok(await sb.waitForHealth(REDIS_APP_ID, front, 'normal', 5000));
    const deadline = Date.now() + 5000;
    let rows: Array<{ ServerId: string; Port: number; ServerHealthStatus: string }> = [];
    while (Date.now() < deadline) {
      rows = (await call<{ BackendServers: { BackendServer: typeof rows } }>('DescribeHealthStatus', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front })).BackendServers.BackendServer;
      if (rows.find((r) => r.ServerId === 'i-nodecccc03')?.ServerHealthStatus === 'abnormal') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(rows.map((r) => `${r.ServerId}:${r.Port}:${r.ServerHealthStatus}`).sort(), [`i-nodeaaaa01:${a.port}:normal`, `i-nodebbbb02:${b.port}:normal`, `i-nodecccc03:${dead}:abnormal`]);

    const { VServerGroupId: empty } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'empty' });
    const httpFront = await freePort(BASE);
    await call('CreateLoadBalancerHTTPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: httpFront, HealthCheck: 'off', VServerGroupId: empty });
    await call('StartLoadBalancerListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: httpFront });
    const status = await new Promise<number>((resolve, reject) => http.get({ host: BASE, port: httpFront, path: '/' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject));
    assert.equal(status, 503);
  });

  it('a udp listener on a group relays datagrams to the group backend and back; an empty group drops them', async () => {
    const echo = await udpBackend('echo');
    try {
      const { VServerGroupId: group } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'udp', BackendServers: backends([{ id: 'i-nodeaaaa01', port: echo.port }]) });
      const front = await freeUdpPort();
      await call('CreateLoadBalancerUDPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, Bandwidth: -1, VServerGroupId: group, HealthCheckSwitch: 'off' });
      await call('StartLoadBalancerListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, ListenerProtocol: 'udp' });
      assert.equal(await udpRoundTrip(front, 'ping-through-group'), 'ping-through-group');
      await call('RemoveVServerGroupBackendServers', { VServerGroupId: group, BackendServers: backends([{ id: 'i-nodeaaaa01', port: echo.port }]) });
      assert.equal(await udpRoundTrip(front, 'nobody-home', 400), undefined);
    } finally {
      await echo.close();
    }
  });

  it('Set<Proto>ListenerAttribute points an existing listener at a group (the CCM take-over) and refuses what the sandbox does not model', async () => {
    const { VServerGroupId: group } = await call<{ VServerGroupId: string }>('CreateVServerGroup', { LoadBalancerId: REDIS_APP_ID, VServerGroupName: 'take', BackendServers: backends([{ id: 'i-nodebbbb02', port: b.port }]) });
    const front = await freePort(BASE);
    await call('CreateLoadBalancerTCPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, Bandwidth: -1, BackendServerPort: a.port });
    await call('StartLoadBalancerListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front });
    assert.equal(await firstLine(front), 'a');
    await call('SetLoadBalancerTCPListenerAttribute', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, VServerGroup: 'on', VServerGroupId: group, Description: 'k8s/x/take/default/c1' });
    assert.equal(await firstLine(front), 'b');
    await call('SetLoadBalancerTCPListenerAttribute', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, VServerGroup: 'off' });
    assert.equal(await firstLine(front), 'a', 'back to its own BackendServerPort');
    await assert.rejects(call('SetLoadBalancerTCPListenerAttribute', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, VServerGroup: 'on', VServerGroupId: 'rsp-nosuchgroup' }), /VServerGroupId "rsp-nosuchgroup" does not exist/);
    await assert.rejects(call('SetLoadBalancerTCPListenerAttribute', { LoadBalancerId: REDIS_APP_ID, ListenerPort: front, PersistenceTimeout: 10 }), /PersistenceTimeout.*not supported/);
    await assert.rejects(call('CreateLoadBalancerTCPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: await freePort(BASE), Bandwidth: -1, VServerGroupId: 'rsp-nosuchgroup' }), /VServerGroupId "rsp-nosuchgroup" does not exist/);
    await assert.rejects(call('CreateLoadBalancerTCPListener', { LoadBalancerId: REDIS_APP_ID, ListenerPort: await freePort(BASE), Bandwidth: -1 }), /BackendServerPort/);
  });
});
