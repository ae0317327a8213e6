// The incremental path (re-outline and re-look-up only the chunks an edit touched) must give
// exactly what a fresh analysis of the same text gives, whatever the edit.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { generateCompose } from '../../bench/generateCompose';
import { CORPUS } from './helpers';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['x', ' ', '\n', ':', '- ', '  ', '\n  web2:\n    image: a\n', '\n    labels:\n      aliyun.lb.port_80: tcp://slb_x:80\n', '"', 'aliyun.lb.port_', '\n    ports:\n      - "80:80"\n', '#', '\n---\n', '*a', '\t', 'services:', '\n  '];

function normalise(findings: { code: string; span: { start: number; end: number }; message: string }[]) {
  return findings.map((f) => `${f.span.start}-${f.span.end} ${f.code} ${f.message}`).sort();
}

function fuzz(name: string, initial: string, seed: number, steps: number): { incremental: number; full: number } {
  const random = prng(seed);
  const incremental = new ComposeAnalyzer();
  let text = initial;
  incremental.analyze(text);
  for (let step = 0; step < steps; step++) {
    // Every so often back to the original: random edits soon break the structure for good, and the
    // way back (a big edit) is a transition worth checking too.
    if (step % 15 === 0) text = initial;
    const at = Math.floor(random() * (text.length + 1));
    if (random() < 0.45 && text.length > 0) {
      const length = 1 + Math.floor(random() * Math.min(40, text.length - at));
      text = text.slice(0, at) + text.slice(at + length);
    } else {
      text = text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + text.slice(at);
    }
    const got = normalise(incremental.analyze(text).findings);
    const expected = normalise(new ComposeAnalyzer().analyze(text).findings);
    assert.deepEqual(got, expected, `${name}: step ${step} (seed ${seed}) diverged; text:\n${text}`);
  }
  return incremental.stats;
}

describe('incremental analysis equals a fresh analysis', () => {
  it('on a generated 40-service file, 400 random edits', () => {
    const stats = fuzz('generated', generateCompose(40).text, 7, 400);
    assert.ok(stats.incremental > 50, `the incremental path was taken ${stats.incremental} times of 400`);
  });
  it('on a file with conflicts (shared SLBs, front ports, host ports), 300 random edits', () => {
    const text = `version: '2'\nservices:\n` + Array.from({ length: 12 }, (_, i) => `  s${i}:\n    image: x\n    ports:\n      - "${8000 + (i % 3)}:80"\n    labels:\n      aliyun.lb.port_80: tcp://slb_${i % 4}:${80 + (i % 2)}\n`).join('');
    const stats = fuzz('conflicts', text, 11, 300);
    assert.ok(stats.incremental > 25, `the incremental path was taken ${stats.incremental} times of 300`);
  });
  it('typing inside service bodies takes the incremental path nearly every time', () => {
    const random = prng(3);
    let text = generateCompose(30).text;
    const incremental = new ComposeAnalyzer();
    incremental.analyze(text);
    for (let step = 0; step < 300; step++) {
      // A position inside a line indented by 4 or more (a service body), as when typing a label;
      // Enter comes with the editor's auto-indent.
      const lines = [...text.matchAll(/^ {4,}\S.*$/gm)];
      const line = lines[Math.floor(random() * lines.length)];
      const at = line.index! + 4 + Math.floor(random() * (line[0].length - 4));
      text = random() < 0.3 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ['a', 'b', ':', ' ', '-', '=', '\n      '][Math.floor(random() * 7)] + text.slice(at);
      assert.deepEqual(normalise(incremental.analyze(text).findings), normalise(new ComposeAnalyzer().analyze(text).findings), `step ${step}`);
    }
    assert.ok(incremental.stats.incremental >= 280, `incremental ${incremental.stats.incremental} of 300`);
  });
  it('an edit above them that turns sections into services (found by the fuzz, seed 439505618)', () => {
    // With `services:` the top-level web1 and web2 are sections; once that key is gone they are
    // services (compose v1), and web2 gets web1's host port through `<<`. An entry kept from before
    // the edit was reused as a section (the anchored cache and the reuse check ignored the kind).
    const before = 'services:\nweb1: &svc1\n  ports:\n    - "80:80"\nweb2:\n  <<: *svc1';
    const after = `aliyun.lb.port_80: ${before}`;
    const incremental = new ComposeAnalyzer();
    incremental.analyze(before, { yamlSyntaxErrors: 'all' });
    const fresh = normalise(new ComposeAnalyzer().analyze(after, { yamlSyntaxErrors: 'all' }).findings);
    assert.ok(fresh.some((f) => f.includes('host-port-shared')), 'the fresh analysis sees the shared port');
    assert.deepEqual(normalise(incremental.analyze(after, { yamlSyntaxErrors: 'all' }).findings), fresh);
  });
  const corpus = CORPUS;
  it('on every real-world corpus file, 60 random edits each', () => {
    for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.yml'))) {
      fuzz(file, fs.readFileSync(path.join(corpus, file), 'utf8'), file.length * 31, 60);
    }
  });
});

describe('an outline that ends before the text does (trailing `---` documents)', () => {
  // Found by the LSP fuzzer (FUZZ_SEED=20261206 FUZZ_ROUND=2568): the re-outline after a whole-text
  // replacement read the last service 8 characters short (the length of the old `---` lines), and
  // the editor showed a missing colon and an unknown label on a valid line.
  it('an edit that reaches past the outline is scanned whole: no service read short', () => {
    const before = 'controller:\n  image: x\n---\n---\n';
    const after = "web:\n  image: nginx\n  labels:\n    aliyun.scale: '1'\n    aliyun.auto_scaling.min_instances: '2'\n";
    const doc = new LineDocument('file:///t.yml', 'dockercompose', 1, before);
    const analyzer = new ComposeAnalyzer({ keepServiceModels: false });
    analyzer.analyze(doc, { yamlSyntaxErrors: 'all' });
    doc.update([{ text: after }], 2);
    doc.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }], 3);
    const incremental = analyzer.analyze(doc, { yamlSyntaxErrors: 'all' }).findings.map((f) => `${f.code} ${f.message}`);
    assert.deepEqual(incremental, new ComposeAnalyzer().analyze(after, { yamlSyntaxErrors: 'all' }).findings.map((f) => `${f.code} ${f.message}`));
    assert.deepEqual(incremental, []);
    // Typing at the end of the document, right before its `---`: the scan sees the new boundary.
    const typed = new LineDocument('file:///u.yml', 'dockercompose', 1, 'web:\n  image: nginx\n---\nx: 1\n');
    const lean = new ComposeAnalyzer({ keepServiceModels: false });
    lean.analyze(typed, { yamlSyntaxErrors: 'all' });
    typed.update([{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '  labels:\n    aliyun.lb.port_80: tcp://slb_web:80\n' }], 2);
    assert.deepEqual(
      lean.analyze(typed, { yamlSyntaxErrors: 'all' }).findings.map((f) => `${f.code} ${f.message}`),
      new ComposeAnalyzer().analyze(typed.getText(), { yamlSyntaxErrors: 'all' }).findings.map((f) => `${f.code} ${f.message}`),
    );
  });
});

describe('a lean analyzer (the validation worker) gives the same findings', () => {
  it('with models dropped as soon as the rules ran, across edits and .env changes', () => {
    const random = prng(5);
    const lean = new ComposeAnalyzer({ keepServiceModels: false });
    let text = generateCompose(25).text + `  extra:\n    image: x\n    ports: ["\${HOST_PORT}:80"]\n    labels:\n      aliyun.lb.port_80: tcp://\${SLB}:80\n`;
    const envs = [undefined, new Map([['HOST_PORT', '8080'], ['SLB', 'slb_extra']]), new Map([['SLB', 'slb_0']])];
    for (let step = 0; step < 120; step++) {
      const env = envs[step % envs.length];
      const at = Math.floor(random() * text.length);
      if (step % 4 === 1) text = text.slice(0, at) + 'x' + text.slice(at);
      const got = normalise(lean.analyze(text, { env }).findings);
      const expected = normalise(new ComposeAnalyzer().analyze(text, { env }).findings);
      assert.deepEqual(got, expected, `step ${step}`);
    }
  });
});
