// The validation worker hands the analyzer the open document itself (engine/textSource.ts): an
// edit is analysed from the stretches around it, told by the document's edit log, without one
// string of the whole text. Whatever the edits, the findings must be a fresh analysis's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { generateCompose, prng } from '../../bench/generateCompose';

const TYPING = ['x', '8', ' ', '\n      - "8080:80"', '\n      aliyun.lb.port_81: tcp://slb_y:80'];
const SNIPPETS = ['x', ' ', '\n', ':', '- ', '\n  web2:\n    image: a\n', '\n    ports:\n      - "8080:80"\n', '\n    labels:\n      aliyun.lb.port_80: tcp://slb_x:80\n', '"', '#', '\n---\n', '*a', '&a ', '\t', '\r', '\r\n', 'extends: web\n', '---', 'services:'];

/** A random LSP edit of the document (a batch of one to three changes). */
function randomChanges(doc: LineDocument, random: () => number): TextDocumentContentChangeEvent[] {
  const changes: TextDocumentContentChangeEvent[] = [];
  const count = random() < 0.8 ? 1 : 2 + Math.floor(random() * 2);
  let lines = doc.lineCount;
  for (let c = 0; c < count; c++) {
    const line = Math.floor(random() * lines);
    const character = Math.floor(random() * (doc.lineText(Math.min(line, doc.lineCount - 1)).length + 1));
    const start = { line, character };
    const r = random();
    if (r < 0.7 && doc.lineText(Math.min(line, doc.lineCount - 1)).startsWith('    ')) {
      // Typing inside a service body, as people mostly do.
      const text = TYPING[Math.floor(random() * TYPING.length)];
      changes.push({ range: { start, end: start }, text });
      lines += text.split(/\r\n|\r|\n/).length - 1;
    } else if (r < 0.8) {
      const endLine = Math.min(lines - 1, line + Math.floor(random() * 3));
      changes.push({ range: { start, end: { line: endLine, character: endLine === line ? character + Math.floor(random() * 6) : Math.floor(random() * 10) } }, text: '' });
    } else {
      const text = SNIPPETS[Math.floor(random() * SNIPPETS.length)];
      changes.push({ range: { start, end: start }, text });
      lines += text.split(/\r\n|\r|\n/).length - 1;
    }
  }
  return changes;
}

function findingsOf(analysis: { findings: unknown[] }): string[] {
  return analysis.findings.map((f) => JSON.stringify(f));
}

describe('the analyzer reads an open document in pieces', () => {
  it('changedSince: outside the stretch it names, the text is the same as at the stamp', () => {
    const random = prng(11);
    const doc = new LineDocument('file:///a.yml', 'yaml', 1, generateCompose(20, { shape: 'findings' }).text);
    const history: { stamp: number; text: string }[] = [{ stamp: doc.editCount, text: doc.getText() }];
    for (let step = 0; step < 300; step++) {
      doc.update(randomChanges(doc, random), step + 2);
      const now = doc.getText();
      history.push({ stamp: doc.editCount, text: now });
      for (const then of history.slice(-6)) {
        const changed = doc.changedSince(then.stamp);
        assert.ok(changed, `step ${step}: edits since ${then.stamp} are known`);
        const { prefix, suffix } = changed;
        assert.ok(prefix + suffix <= now.length && prefix + suffix <= then.text.length, `step ${step}: prefix ${prefix} + suffix ${suffix} fit both texts`);
        assert.equal(now.slice(0, prefix), then.text.slice(0, prefix), `step ${step}: the first ${prefix} characters are unchanged`);
        assert.equal(now.slice(now.length - suffix), then.text.slice(then.text.length - suffix), `step ${step}: the last ${suffix} characters are unchanged`);
      }
    }
    const stamp = doc.editCount;
    doc.update([{ text: 'services: {}\n' }], 999);
    assert.equal(doc.changedSince(stamp), undefined, 'a whole-text replacement cannot be followed');
    assert.deepEqual(doc.changedSince(doc.editCount), { prefix: doc.length, suffix: 0 }, 'no edit since: nothing changed');
  });

  for (const [name, shape, seed] of [['findings', 'findings', 3], ['merge keys', 'merge', 5], ['clean', 'clean', 9]] as const) {
    it(`random edits of a ${name} file: the same findings as a fresh analysis of the text, and plain edits read in pieces`, () => {
      const random = prng(seed);
      const initial = generateCompose(30, { shape, seed }).text;
      let doc = new LineDocument('file:///b.yml', 'dockercompose', 1, initial);
      let wholeTexts = 0;
      const fullText = (d: LineDocument) => LineDocument.prototype.getText.call(d);
      const spy = (d: LineDocument) => {
        d.getText = (range?: Parameters<LineDocument['getText']>[0]) => {
          if (!range) wholeTexts++;
          return LineDocument.prototype.getText.call(d, range);
        };
      };
      spy(doc);
      const analyzer = new ComposeAnalyzer({ keepServiceModels: false });
      analyzer.analyze(doc);
      let steps = 0;
      let piecewise = 0;
      let wasPlain = true;
      for (let step = 0; step < 250; step++) {
        // Back to the original now and then: random edits soon break the structure for good.
        if (step % 10 === 0) {
          doc = new LineDocument('file:///b.yml', 'dockercompose', 1, initial);
          spy(doc);
        } else doc.update(randomChanges(doc, random), step + 2);
        const madeBefore = wholeTexts;
        const incrementalBefore = analyzer.stats.incremental;
        const got = findingsOf(analyzer.analyze(doc));
        // Words whose presence is known only from a whole-text search, now or before the edit.
        const plain = !/\r|---|extends/.test(fullText(doc));
        // (After a reset the document is a new object: what changed is found by comparing whole texts.)
        if (analyzer.stats.incremental > incrementalBefore && plain && wasPlain && step % 10 !== 0) {
          piecewise++;
          assert.equal(wholeTexts, madeBefore, `step ${step}: an edit of a text without CR, --- or extends is analysed without the whole text`);
        }
        assert.deepEqual(got, findingsOf(new ComposeAnalyzer().analyze(fullText(doc))), `${name}: step ${step} (seed ${seed}) diverged; text:\n${fullText(doc)}`);
        steps++;
        wasPlain = plain;
      }
      assert.ok(analyzer.stats.incremental > 80, `the incremental path was taken ${analyzer.stats.incremental} times of ${steps}`);
      assert.ok(piecewise > 50, `${piecewise} of ${steps} analyses read the document in pieces`);
    });
  }
});

describe('the validation worker between results', () => {
  it('collects the garbage an analysis of a big file left, once the result is out', async () => {
    const { handleValidationMessage, afterAnalysis } = await import('../../server/src/lsp/validationWorker');
    const { getHeapStatistics } = await import('node:v8');
    const uri = 'file:///idle-collect/docker-compose.yml';
    const text = generateCompose(1500, { shape: 'findings' }).text;
    handleValidationMessage({ type: 'open', uri, version: 1, text });
    const imageLine = text.split('\n').findIndex((l) => l.includes('image:'));
    const imageEnd = text.split('\n')[imageLine].length;
    const reply = handleValidationMessage({ type: 'analyze', id: 1, uri, version: 1, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false });
    assert.ok(reply && reply.type === 'result' && reply.diagnostics.length > 1000);
    const before = getHeapStatistics().used_heap_size;
    assert.equal(afterAnalysis(), true, 'a big analysis is followed by a collection');
    const after = getHeapStatistics().used_heap_size;
    assert.ok(after < before, `heap ${(before / 1e6).toFixed(0)} MB before, ${(after / 1e6).toFixed(0)} MB after`);
    // A keystroke's worth of garbage is left to V8 (a full collection per keystroke would cost more than it saves).
    handleValidationMessage({ type: 'change', uri, version: 2, changes: [{ range: { start: { line: imageLine, character: imageEnd }, end: { line: imageLine, character: imageEnd } }, text: 'x' }] });
    handleValidationMessage({ type: 'analyze', id: 2, uri, version: 2, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false });
    assert.equal(afterAnalysis(), false, 'no collection after a keystroke');
    handleValidationMessage({ type: 'close', uri });
  });
});
