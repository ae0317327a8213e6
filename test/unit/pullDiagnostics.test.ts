// The server's side of pull diagnostics (lsp/pullDiagnostics.ts), driven directly: which answer a
// pull gets, when it waits, and when the server asks the client to pull again. The same module over
// the real protocol is tested in test/lsp/pullDiagnostics.test.ts.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { DiagnosticReports } from '../../server/src/lsp/pullDiagnostics';
import { DiagnosticList } from '../../server/src/lsp/diagnosticList';
import { holdWhole } from '../helpers/heldDiagnostics';

/** Two one-item lists, one held as objects and one packed as the worker sends it, the same on the wire? */
const sameOnTheWire = (a: Diagnostic, b: Diagnostic): boolean => {
  const result = DiagnosticList.of([a]).sameOnWire(holdWhole([b]));
  assert.equal(holdWhole([a]).sameOnWire(DiagnosticList.of([b])), result, 'either way round');
  return result;
};

const URI = 'file:///w/docker-compose.yml';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function diagnostic(line: number, message = 'Container port 80 is not published', withFix = false): Diagnostic {
  return {
    range: { start: { line, character: 6 }, end: { line, character: 20 } },
    severity: DiagnosticSeverity.Error,
    code: 'lb-port-not-published',
    source: 'aliyun-slb',
    message,
    ...(withFix ? { data: { fixes: [{ title: 'publish', edits: [] }] } } : {}),
  };
}

function setup(limits = { waitMs: 2000, graceMs: 50 }) {
  const state = { version: 1 as number | undefined, validating: false, refreshes: 0, traces: [] as string[] };
  const reports = new DiagnosticReports(
    {
      currentVersion: () => state.version,
      validating: () => state.validating,
      refresh: () => state.refreshes++,
      trace: (_uri, version, answer) => state.traces.push(`v${version}: ${answer}`),
    },
    limits,
  );
  return { reports, state, token: () => new CancellationTokenSource().token };
}

describe('pull diagnostics: the server side', () => {
  test('a pull waits for its version, gets the full list without fixes, then "unchanged" while the list is the same', async () => {
    const { reports, state, token } = setup();
    const pulled = reports.report(URI, undefined, token());
    await sleep(10);
    reports.store({ uri: URI, version: 1, diagnostics: [diagnostic(3, undefined, true)] });
    const first = await pulled;
    assert.equal(first.kind, 'full');
    assert.ok(first.kind === 'full' && first.resultId);
    assert.equal(first.kind === 'full' && first.items.length, 1);
    // As the client reads it (the held list goes out through its bytes or its toJSON).
    const received = JSON.parse(JSON.stringify(first)) as { items: Diagnostic[] };
    assert.equal(received.items[0].data, undefined, 'fixes stay on the server');
    assert.equal(received.items[0].message, diagnostic(3, undefined, true).message);
    // Version 2: an equal list (new objects, as a revalidation makes them) keeps the resultId.
    state.version = 2;
    reports.store({ uri: URI, version: 2, diagnostics: [diagnostic(3, undefined, true)] });
    const second = await reports.report(URI, first.resultId, token());
    assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });
    // A changed list gets a new resultId and the full list, even to a client holding the old one.
    state.version = 3;
    reports.store({ uri: URI, version: 3, diagnostics: [diagnostic(3), diagnostic(5, 'Host port 8080 is used by web too')] });
    const third = await reports.report(URI, first.resultId, token());
    assert.equal(third.kind, 'full');
    assert.notEqual(third.resultId, first.resultId);
    assert.equal(third.kind === 'full' && third.items.length, 2);
    assert.deepEqual(state.traces, ['v1: 1 sent', 'v2: unchanged', 'v3: 2 sent']);
    assert.equal(state.refreshes, 0, 'every list went out with a pull: no refresh needed');
  });

  test('a list that changes without a pull (the typing pause, cloud findings) asks the client to pull again, once', async () => {
    const { reports, state, token } = setup();
    reports.store({ uri: URI, version: 1, diagnostics: [] });
    const first = await reports.report(URI, undefined, token());
    reports.store({ uri: URI, version: 1, diagnostics: [diagnostic(2)] }, true);
    reports.store({ uri: 'file:///w/other.yml', version: 1, diagnostics: [diagnostic(1)] });
    await sleep(10);
    assert.equal(state.refreshes, 1, 'one refresh for both lists, at once (the client already pulled this version)');
    const again = await reports.report(URI, first.resultId, token());
    assert.equal(again.kind, 'full');
    assert.deepEqual(state.traces.at(-1), 'v1: 1 sent after the typing pause');
    await sleep(80);
    assert.equal(state.refreshes, 1, 'no more refreshes for lists nobody pulls');
  });

  test('a list for a version the client has not pulled yet waits for that pull (grace), and needs no refresh when it comes', async () => {
    const { reports, state, token } = setup({ waitMs: 2000, graceMs: 60 });
    reports.store({ uri: URI, version: 1, diagnostics: [] });
    await reports.report(URI, undefined, token());
    state.version = 2;
    reports.store({ uri: URI, version: 2, diagnostics: [diagnostic(4)] }); // validation finished before the pull arrived
    await sleep(20);
    const answer = await reports.report(URI, undefined, token());
    assert.equal(answer.kind, 'full');
    await sleep(80);
    assert.equal(state.refreshes, 0);
    // And when the pull never comes (a client that pulls only on save): the refresh after the grace.
    state.version = 3;
    reports.store({ uri: URI, version: 3, diagnostics: [] });
    await sleep(90);
    assert.equal(state.refreshes, 1);
  });

  test('a cancelled pull answers RequestCancelled at once; a pull with no validation coming ends at the limit with an empty list', async () => {
    const { reports, state } = setup({ waitMs: 150, graceMs: 50 });
    const source = new CancellationTokenSource();
    const pulled = reports.report(URI, undefined, source.token);
    source.cancel();
    await assert.rejects(pulled, (e: { code?: number }) => e.code === -32800);
    const t0 = performance.now();
    const waited = await reports.report(URI, undefined, new CancellationTokenSource().token);
    const ms = performance.now() - t0;
    assert.deepEqual(waited, { kind: 'full', items: [] });
    assert.ok(ms >= 140 && ms < 1000, `waited ${ms} ms`);
    state.version = undefined;
    assert.deepEqual(await reports.report('file:///w/not-open.yml', undefined, new CancellationTokenSource().token), { kind: 'full', items: [] });
  });

  test('a validation replaced by a newer one does not answer the pull with nothing: it waits for the newer one', async () => {
    const { reports, state, token } = setup();
    state.validating = true;
    const pulled = reports.report(URI, undefined, token());
    await sleep(5);
    reports.validated(URI, 1); // the first validation was replaced (no list); the newer one is queued
    await sleep(20);
    reports.store({ uri: URI, version: 1, diagnostics: [diagnostic(7)] });
    const answer = await pulled;
    assert.equal(answer.kind === 'full' && answer.items.length, 1);
    // A validation that failed with nothing queued behind it: the pull ends without waiting for the limit.
    state.version = 2;
    state.validating = false;
    const t0 = performance.now();
    const failed = reports.report(URI, answer.resultId, token());
    await sleep(5);
    reports.validated(URI, 2);
    const last = await failed;
    assert.ok(performance.now() - t0 < 500);
    assert.deepEqual(last, { kind: 'unchanged', resultId: answer.resultId }, 'the last list stands');
  });

  test('"the same list" means the same on the wire: copies are, a fix is not on the wire, every other field is', () => {
    const related = (line: number) => [{ location: { uri: 'file:///w/a.yml', range: { start: { line, character: 0 }, end: { line, character: 3 } } }, message: 'web' }];
    const base: Diagnostic = { ...diagnostic(4, 'shared', true), relatedInformation: related(9), tags: [1], codeDescription: { href: 'https://x/y' } };
    const copy = JSON.parse(JSON.stringify(base)) as Diagnostic;
    assert.ok(sameOnTheWire(base, copy));
    assert.ok(sameOnTheWire(base, { ...copy, data: { fixes: [] } }), 'fixes are not on the wire');
    for (const changed of [
      { range: { start: { line: 4, character: 6 }, end: { line: 4, character: 21 } } },
      { message: 'shared!' },
      { code: 'other' },
      { severity: DiagnosticSeverity.Warning },
      { source: 'yaml' },
      { tags: [2] },
      { tags: undefined },
      { codeDescription: { href: 'https://x/z' } },
      { relatedInformation: related(10) },
      { relatedInformation: [...related(9), ...related(9)] },
      { relatedInformation: [{ ...related(9)[0], message: 'api' }] },
      { relatedInformation: [{ ...related(9)[0], location: { ...related(9)[0].location, uri: 'file:///w/b.yml' } }] },
    ] as Partial<Diagnostic>[]) {
      assert.equal(sameOnTheWire(base, { ...copy, ...changed }), false, JSON.stringify(changed));
    }
  });

  test('closing forgets the document and releases its waiting pulls', async () => {
    const { reports, state, token } = setup();
    const pulled = reports.report(URI, undefined, token());
    await sleep(5);
    state.version = undefined;
    reports.forget(URI);
    assert.deepEqual(await pulled, { kind: 'full', items: [] });
    assert.equal(reports.shownDiagnostics(URI), undefined);
  });
});
