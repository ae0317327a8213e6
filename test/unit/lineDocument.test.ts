// LineDocument (the server's open-document store) must give exactly the answers of
// vscode-languageserver-textdocument's TextDocument, which every LSP client agrees with: same text,
// line count, positions and offsets after any sequence of edits, line breaks of all three kinds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { prng as random } from '../../bench/generateCompose';

const PIECES = ['a', 'labels:', ' ', '\n', '\r\n', '\r', '  - "x=1"', 'é', '😀', '', 'aliyun.lb.port_80: tcp://slb:80', '\n\n', '\r\r\n'];

function randomText(next: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

function randomPosition(next: () => number, doc: TextDocument) {
  // Include positions past the end of a line and past the last line: clients send them.
  return { line: Math.floor(next() * (doc.lineCount + 2)), character: Math.floor(next() * 40) };
}

function assertSame(expected: TextDocument, actual: LineDocument, next: () => number, where: string): void {
  const text = expected.getText();
  assert.equal(actual.getText(), text, `${where}: text`);
  assert.equal(actual.lineCount, expected.lineCount, `${where}: lineCount`);
  assert.equal(actual.length, text.length, `${where}: length`);
  for (let k = 0; k < 12; k++) {
    const offset = Math.floor(next() * (text.length + 3)) - 1;
    assert.deepEqual(actual.positionAt(offset), expected.positionAt(offset), `${where}: positionAt(${offset})`);
    const position = randomPosition(next, expected);
    assert.equal(actual.offsetAt(position), expected.offsetAt(position), `${where}: offsetAt(${JSON.stringify(position)})`);
    const a = Math.floor(next() * (text.length + 1));
    const b = Math.floor(next() * (text.length + 1));
    assert.equal(actual.slice(Math.min(a, b), Math.max(a, b)), text.slice(Math.min(a, b), Math.max(a, b)), `${where}: slice`);
  }
  for (let line = -1; line <= expected.lineCount + 1; line++) {
    assert.deepEqual(actual.getLineRange(line), expected.getLineRange(line), `${where}: getLineRange(${line})`);
    assert.equal(actual.getEOLCharacters(line), expected.getEOLCharacters(line), `${where}: getEOLCharacters(${line})`);
  }
  for (let line = 0; line < expected.lineCount; line++) {
    const start = expected.offsetAt({ line, character: 0 });
    const end = line + 1 < expected.lineCount ? expected.offsetAt({ line: line + 1, character: 0 }) : text.length;
    assert.equal(actual.lineText(line), text.slice(start, end).replace(/(\r\n|\r|\n)$/, ''), `${where}: lineText(${line})`);
    assert.equal(actual.lineStart(line), start, `${where}: lineStart(${line})`);
  }
}

describe('LineDocument', () => {
  test('matches TextDocument after random edits (ranges, reversed ranges, past the end, full replacements, mixed line breaks)', () => {
    // The oracle is a fresh TextDocument of the flat text after each step, with each change applied
    // to the flat string at the offsets it gives. (TextDocument.update itself miscounts lines when a
    // range lies past the last line, which clients do send; LineDocument must not copy that.)
    const applyFlat = (text: string, change: { range?: Range; text: string }): string => {
      if (!change.range) return change.text;
      const flat = TextDocument.create('file:///a.yml', 'yaml', 0, text);
      let start = flat.offsetAt(change.range.start);
      let end = flat.offsetAt(change.range.end);
      if (start > end) [start, end] = [end, start];
      return text.slice(0, start) + change.text + text.slice(end);
    };
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      let text = randomText(next, Math.floor(next() * 30));
      const actual = new LineDocument('file:///a.yml', 'yaml', 1, text);
      const oracle = () => TextDocument.create('file:///a.yml', 'yaml', 0, text);
      assertSame(oracle(), actual, next, `seed ${seed} initial`);
      for (let step = 1; step <= 40; step++) {
        const changes: { range?: Range; text: string }[] = [];
        const count = 1 + Math.floor(next() * 3);
        const before = text;
        for (let c = 0; c < count; c++) {
          if (next() < 0.03) changes.push({ text: randomText(next, Math.floor(next() * 20)) });
          else {
            const current = oracle();
            const start = randomPosition(next, current);
            const end = next() < 0.3 ? start : randomPosition(next, current);
            changes.push({ range: { start, end }, text: randomText(next, Math.floor(next() * 4)) });
          }
          // Each change's positions refer to the text after the changes before it, as in LSP.
          text = applyFlat(text, changes[changes.length - 1]);
        }
        actual.update(changes as TextDocumentContentChangeEvent[], step + 1);
        assert.equal(actual.version, step + 1);
        assertSame(oracle(), actual, next, `seed ${seed} step ${step}: ${JSON.stringify(before)} + ${JSON.stringify(changes)}`);
        assert.equal(actual.getText(), text, `seed ${seed} step ${step}: whole text`);
      }
    }
  });

  test('an edit that joins a lone \\r with a \\n makes one line break, as in the flat text', () => {
    const doc = new LineDocument('file:///a.yml', 'yaml', 1, 'a\rb\n');
    doc.update([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: '' }], 2);
    assert.equal(doc.getText(), 'a\r\n');
    assert.equal(doc.lineCount, 2);
    assert.equal(doc.lineText(0), 'a');
  });

  test('a paste of 200k lines in one range edit works (no call-stack overflow) and keeps offsets', () => {
    const doc = new LineDocument('file:///a.yml', 'yaml', 1, 'services:\n');
    const pasted = 'x: 1\n'.repeat(200_000);
    doc.update([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: pasted }], 2);
    assert.equal(doc.lineCount, 200_002);
    assert.equal(doc.offsetAt({ line: 200_001, character: 0 }), 'services:\n'.length + pasted.length);
    assert.equal(doc.lineText(150_000), 'x: 1');
  });

  test('editing a large document does not rebuild the whole text', () => {
    const text = 'services:\n' + '  s:\n    image: a\n'.repeat(50_000);
    const doc = new LineDocument('file:///a.yml', 'yaml', 1, text);
    doc.update([{ range: { start: { line: 999, character: 0 }, end: { line: 999, character: 0 } }, text: '#' }], 2);
    // Reading one line and one slice must not need the joined text; getText() builds it on demand.
    assert.equal(doc.lineText(999), '#  s:');
    assert.equal(doc.slice(doc.lineStart(999), doc.lineStart(1001)), '#  s:\n    image: a\n');
    assert.equal((doc as unknown as { joined?: string }).joined, undefined, 'no whole-text string after an edit until getText() asks for it');
    assert.equal(doc.getText().length, text.length + 1);
  });
});
