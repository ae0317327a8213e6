// The texts an editor shows after a reachability check (engine reach/report.ts): the verdict, the
// CodeLens text and the notification. Rendered by the server only; the VS Code client shows them
// (moved from the client's copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLocale } from '../../server/src/engine/i18n';
import { lensVerdict, reachNotification, reachVerdict } from '../../server/src/engine/reach';
import type { ReachResult } from '../../server/src/engine/reach';

const base = { slb: 'slb_redis_app', frontPort: 6379, backendPort: 6379, slbId: null, address: null, durationMs: 1 } as unknown as Omit<ReachResult, 'label'>;
const reachable: ReachResult = {
  ...base,
  label: 'aliyun.lb.port_6379', service: 'redis', binding: 'tcp://slb_redis_app:6379', protocol: 'tcp', reachable: true, confirmed: true, blocker: null, fix: null, latencyMs: 12.4,
  steps: [{ name: 'slb', ok: true, detail: 'slb_redis_app active' }, { name: 'app', ok: true, detail: 'PING → +PONG' }],
};
const stopped: ReachResult = {
  ...base,
  label: 'aliyun.lb.port_80', service: 'web', binding: 'http://slb_web:80', protocol: 'http', reachable: false, confirmed: false, blocker: 'LISTENER_STOPPED', blockerText: 'the listener is stopped', fix: 'Start the listener on front port 80.', latencyMs: null,
  steps: [{ name: 'listener', ok: false, detail: 'HTTP listener on 80 is stopped' }],
};

test('verdict and CodeLens text', () => {
  assert.equal(reachVerdict(reachable), 'Reachable: tcp://slb_redis_app:6379 in 12 ms');
  assert.equal(reachVerdict({ ...reachable, latencyMs: 3.14 }), 'Reachable: tcp://slb_redis_app:6379 in 3.1 ms');
  assert.equal(reachVerdict({ ...reachable, latencyMs: null }), 'Reachable: tcp://slb_redis_app:6379');
  assert.equal(reachVerdict(stopped), 'Blocked: the listener is stopped. Start the listener on front port 80.');
  assert.equal(reachVerdict({ ...reachable, protocol: 'udp', binding: 'udp://slb:53', confirmed: false }), 'Reachable as far as can be told: udp://slb:53 (UDP: no answer, which is not proof of failure)');
  assert.equal(lensVerdict(reachable), 'reachable, 12 ms');
  assert.equal(lensVerdict({ ...reachable, confirmed: false }), 'no answer (UDP), not blocked');
  assert.equal(lensVerdict(stopped), 'blocked: the listener is stopped');
});

test('notification: one label its verdict, several the summary and the first blocker', () => {
  assert.deepEqual(reachNotification([reachable]), { severity: 'info', message: 'Reachable: tcp://slb_redis_app:6379 in 12 ms' });
  assert.deepEqual(reachNotification([stopped]), { severity: 'warning', message: 'aliyun.lb.port_80 (web) http://slb_web:80: Blocked: the listener is stopped. Start the listener on front port 80.' });
  assert.deepEqual(reachNotification([reachable, stopped]), {
    severity: 'warning',
    message: '1 of 2 label(s) blocked, 1 reachable. aliyun.lb.port_80 (web) http://slb_web:80: Blocked: the listener is stopped. Start the listener on front port 80.',
  });
  assert.deepEqual(reachNotification([reachable, stopped, stopped]).message.endsWith(' (and 1 more blocked)'), true);
  assert.deepEqual(reachNotification([reachable, reachable]), { severity: 'info', message: 'All 2 label(s) reachable.' });
  assert.deepEqual(reachNotification([]), { severity: 'warning', message: 'No aliyun.lb labels to check.' });
});

test('the texts follow the locale (zh-cn)', () => {
  setLocale('zh-cn');
  try {
    for (const s of [reachVerdict(reachable), lensVerdict(reachable), reachNotification([reachable, reachable]).message]) assert.match(s, /[\u4e00-\u9fff]/, s);
  } finally {
    setLocale('en');
  }
});
