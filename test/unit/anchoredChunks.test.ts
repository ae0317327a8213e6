// Chunks that use anchors of other chunks are parsed behind the chunks that define them (not the
// whole document per keystroke): the findings must be exactly those of the whole-document parse,
// at the same file offsets, and an edit must re-parse only what it touches.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { Finding } from '../../server/src/engine/rules/types';
import { generateCompose } from '../../bench/generateCompose';
import { sortedFindings as sorted, wholeParseFindings, yaml } from './helpers';

function both(text: string): { chunked: Finding[]; whole: Finding[] } {
  return { chunked: new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).findings, whole: wholeParseFindings(text) };
}

function assertSame(text: string, expectCodes?: string[]): Finding[] {
  const { chunked, whole } = both(text);
  assert.deepEqual(sorted(chunked), sorted(whole));
  if (expectCodes) assert.deepEqual(chunked.map((f) => f.code).sort(), expectCodes.slice().sort());
  return chunked;
}

describe('anchored chunks: the same findings as the whole-document parse', () => {
  test('inherited mistakes at an anchor shared by several services are reported once, naming the services', () => {
    const text = yaml(
      "version: '2'",
      'x-defaults: &defaults',
      '  restart: always',
      '  labels:',
      '    aliyun.scale: 2',
      '    aliyun.lb.port_80: tcp://slb_shared:80',
      '  ports:',
      '    - "8080:80"',
      'services:',
      '  a:',
      '    <<: *defaults',
      '    image: a',
      '  b:',
      '    <<: *defaults',
      '    image: b',
      '  c:',
      '    image: c',
      '    ports:',
      '      - "8080:80"',
    );
    const fs = assertSame(text);
    assert.ok(fs.some((f) => f.code === 'label-value-not-string'));
    assert.ok(fs.some((f) => f.code === 'lb-slb-shared'));
    assert.ok(fs.some((f) => f.code === 'host-port-shared'));
  });

  test('merge precedence, a list of aliases, redefined anchors, a service as an anchor', () => {
    const text = yaml(
      'x-a: &a',
      '  ports: ["81:81"]',
      '  labels:',
      '    aliyun.lb.port_81: tcp://slb_a:81',
      'x-b: &b',
      '  ports: ["82:82"]',
      '  labels:',
      '    aliyun.lb.port_82: udp://slb_b:82',
      'services:',
      '  one:',
      '    <<: [*a, *b]',
      '  two:',
      '    <<: [*b, *a]',
      '    ports: ["83:83"]',
      '  base: &a',
      '    ports: ["84:84"]',
      '    labels:',
      '      aliyun.lb.port_85: tcp://slb_base:85',
      '  three:',
      '    <<: *a',
      '  four:',
      '    labels: *x-missing',
    );
    assertSame(text);
  });

  test('Compose V1 (services at the top level) and fixes with indentation', () => {
    const text = yaml(
      'x-p: &p',
      '  - "90:9000"',
      'web:',
      '  image: x',
      '  ports: *p',
      '  labels:',
      '    aliyun.lb.port_80: tcp://slb_web:80',
      'api:',
      '  image: y',
      '  ports: *p',
      '  labels:',
      '    - aliyun.lb.port_81=tcp://slb_api:81',
    );
    assertSame(text);
  });

  test('an alias bomb spread over chunks is still found, once', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    lines.push('services:', '  web:', '    labels: *j', '    ports: *j');
    const text = yaml(...lines);
    const start = performance.now();
    const fs = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).findings;
    assert.ok(performance.now() - start < 20000); // generous: a hang check on a loaded machine
    assert.deepEqual(fs.map((f) => [f.code, text.slice(f.span.start, f.span.end)]), [['yaml-alias-bomb', '*f']]);
    assertSame(text);
  });

  test('generated merge-key file: valid, no findings, same as whole; bench findings shape unchanged', () => {
    assertSame(generateCompose(60, { shape: 'merge' }).text, []);
    const text = generateCompose(60, { shape: 'findings' }).text;
    const fs = assertSame(text);
    assert.ok(fs.length > 60);
  });
});

describe('anchored chunks: edits', () => {
  test('an edit in one service re-parses that service only, and the findings follow the edit', () => {
    const gen = generateCompose(200, { shape: 'merge' });
    const analyzer = new ComposeAnalyzer();
    let text = gen.text;
    assert.deepEqual(analyzer.analyze(text).findings, []);
    const before = analyzer.stats.incremental;
    // A mistake in the probe service: an unquoted number as aliyun.scale.
    const lines = text.split('\n');
    const labelsLine = gen.probes.labelsKey.line;
    lines.splice(labelsLine + 1, 0, '      aliyun.scale: 3');
    text = lines.join('\n');
    const fs = analyzer.analyze(text).findings;
    assert.equal(analyzer.stats.incremental, before + 1);
    assert.deepEqual(fs.map((f) => f.code), ['label-value-not-string']);
    assert.deepEqual(sorted(fs), sorted(both(text).whole));
    // An edit to the shared defaults reaches every service that merges them.
    const changed = text.replace('x-labels: &labels\n  aliyun.scale: "1"', 'x-labels: &labels\n  aliyun.scale: 1');
    assert.notEqual(changed, text);
    const after = analyzer.analyze(changed).findings;
    assert.deepEqual(sorted(after), sorted(both(changed).whole));
    assert.equal(after.filter((f) => f.code === 'label-value-not-string').length, 2);
  });
});
