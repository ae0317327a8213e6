// The CodeLens states over LSP (aliyunSlbLabels/labelStates): asked right after an edit or right
// after provisioning, the answer is about the text and the live state as they are now, never one
// edit behind. The real bundled server (stdio) against the local SLB sandbox.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { CloudLspClient, positionOf } from './lspCloudClient';
import { useSandboxServers } from './sandboxServers';

interface States {
  known: boolean;
  items: Array<{ line: number; labelKey: string; state: string; detail: string }>;
}

const compose = (label: string, extraLinesAbove = 0) => `services:
${'  # a comment line\n'.repeat(extraLinesAbove)}  redis:
    image: redis
    ports:
      - "6379:6379"
    labels:
      ${label}
`;

const fixture = useSandboxServers('slb-lens-states-home-');
const online = (d: Diagnostic) => typeof d.code === 'string' && d.code.startsWith('slb-');
const statesOf = (c: CloudLspClient, uri: string) => c.request<States>('aliyunSlbLabels/labelStates', { uri });
const summary = (s: States) => s.items.map((i) => `${i.line}: ${i.state} ${i.detail}`);

/** didChange with the whole new text, not waiting for anything (as an editor sends keys). */
async function edit(c: CloudLspClient, uri: string, version: number, text: string): Promise<void> {
  await c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
}

/** Opens `text` and waits until the catalog is loaded (an online diagnostic, or states known). */
async function openWithCatalog(c: CloudLspClient, uri: string, text: string): Promise<void> {
  await c.open(uri, text);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await statesOf(c, uri);
    if (s.known && s.items.length > 0 && s.items.every((i) => i.state !== 'unknown')) return;
    if (Date.now() > deadline) throw new Error(`the label states never became known: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('CodeLens states follow the text and the live state at once', () => {
  it('asked right after an edit (no wait for diagnostics): the new state, on the new line', async () => {
    const c = await fixture.startServer(fixture.credentialsEnv());
    const uri = 'file:///ws/lens/edit/docker-compose.yml';
    const upToDate = compose('aliyun.lb.port_6379: tcp://slb_redis_app:6379');
    await openWithCatalog(c, uri, upToDate);
    const line = positionOf(upToDate, 'aliyun.lb.port_6379').line;
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: up-to-date TCP 6379 → 6379`]);

    // A front port with no listener yet: "create", asked in the same breath as the edit.
    await edit(c, uri, 2, compose('aliyun.lb.port_6379: tcp://slb_redis_app:7300'));
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: create TCP 7300 → 6379`]);
    // Back, and two lines inserted above the label: the state and the line follow.
    const moved = compose('aliyun.lb.port_6379: tcp://slb_redis_app:6379', 2);
    await edit(c, uri, 3, moved);
    assert.deepEqual(summary(await statesOf(c, uri)), [`${positionOf(moved, 'aliyun.lb.port_6379').line}: up-to-date TCP 6379 → 6379`]);
    // An SLB that does not exist: a conflict, at once.
    await edit(c, uri, 4, compose('aliyun.lb.port_6379: tcp://slb_nowhere:6379'));
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: conflict No SLB 'slb_nowhere' in region cn-hangzhou`]);
    // Several edits in a row, the request after the last one: that one's state.
    for (let v = 5; v < 10; v++) await edit(c, uri, v, compose(`aliyun.lb.port_6379: tcp://slb_redis_app:${7300 + v}`));
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: create TCP 7309 → 6379`]);
    // The label gone: no state left over.
    await edit(c, uri, 10, compose('aliyun.scale: "1"'));
    assert.deepEqual((await statesOf(c, uri)).items, []);
  });

  it('asked right after provisioning: "up to date", and the server told the client to refresh', async () => {
    const c = await fixture.startServer(fixture.credentialsEnv(), { online: { refreshMinutes: 0 } });
    const uri = 'file:///ws/lens/provision/docker-compose.yml';
    const text = compose('aliyun.lb.port_6379: tcp://slb_redis_app:7400');
    await openWithCatalog(c, uri, text);
    const line = positionOf(text, 'aliyun.lb.port_6379').line;
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: create TCP 7400 → 6379`]);
    await c.diagnosticsWhere(uri, (p) => p.diagnostics.some(online));

    const refreshes = () => c.notifications.filter((n) => n.startsWith('aliyunSlbLabels/labelStatesChanged')).length;
    const before = refreshes();
    const res = await c.executeCommand<{ status: string; ok: boolean }>('aliyunSlbLabels.provision', [{ uri, position: { line, character: 6 }, confirmed: true }]);
    assert.equal(res.status, 'ok', JSON.stringify(res));
    assert.equal(res.ok, true, JSON.stringify(res));
    // The command's answer came after the catalog knew the new listener: asked now, up to date.
    assert.deepEqual(summary(await statesOf(c, uri)), [`${line}: up-to-date TCP 7400 → 6379`]);
    await c.waitFor('a labelStatesChanged notification after provisioning', () => refreshes() > before, 10_000);
  });
});
