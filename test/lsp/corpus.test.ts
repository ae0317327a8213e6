// Every real-world compose file of test/fixtures/corpus/real-world through the real server: the
// documented mistakes are found, at the right line, and valid labels get no diagnostic.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CORPUS_DIR, LspTestClient } from './lspClient';

/** file prefix -> expected [code, 1-based line] pairs (exactly these, nothing else). */
const EXPECTED: Record<string, [string, number][]> = {
  '01': [['yaml-bad-indent', 2]],
  '02': [['yaml-bad-indent', 2]],
  '05': [['yaml-missing-space-after-colon', 14]],
  '06': [['yaml-missing-space-after-colon', 14]],
  '14': [['label-value-not-string', 14]],
  '16': [['label-value-not-string', 23], ['label-value-not-string', 24]],
  '17': [['label-value-not-string', 18]],
  '22': [['yaml-bad-indent', 6], ['yaml-bad-indent', 8]],
  '23': [['yaml-unexpected', 20], ['yaml-unexpected', 22]],
  '24': [['yaml-directive', 1]],
  '28': [['label-value-not-string', 17], ['label-value-not-string', 29]],
  '34': [['label-value-not-string', 13]],
  '35': [['label-value-not-string', 7]],
};

const corpusPresent = fs.existsSync(CORPUS_DIR);

describe('real-world corpus', { skip: corpusPresent ? false : `corpus not found at ${CORPUS_DIR}` }, () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });
  const files = corpusPresent ? fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yml')).sort() : [];
  it('has the 37 files the manifest lists', () => assert.equal(files.length, 37));
  for (const file of files) {
    it(file, async () => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      const { diagnostics } = await client.open(`file:///corpus/${file}`, text);
      const actual = diagnostics.map((d) => [String(d.code), d.range.start.line + 1] as [string, number]).sort();
      const expected = (EXPECTED[file.slice(0, 2)] ?? []).slice().sort();
      assert.deepEqual(actual, expected, diagnostics.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`).join('\n'));
    });
  }
  it('points the missing-space error of 05 exactly at the colon', async () => {
    const file = files.find((f) => f.startsWith('05'))!;
    const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
    const { diagnostics } = await client.open(`file:///corpus/again-${file}`, text);
    const line = text.split('\n')[13];
    assert.equal(diagnostics[0].range.start.character, line.indexOf('443:tcp') + 3);
  });
});
