// A chunk that uses anchors of other chunks is parsed behind them, but each of those chunks is
// parsed once per analysis and shared by every chunk that needs it (analysis.ts PieceCache,
// compose/parse.ts parseAnchoredPieces). Differential: the findings must be exactly those of the
// whole-document parse, whatever the offsets the shared pieces sit at, however many there are, and
// after edits to the shared chunks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { Finding } from '../../server/src/engine/rules/types';
import { generateCompose } from '../../bench/generateCompose';
import { sortedFindings as sorted, wholeParseFindings as whole, yaml } from './helpers';

function assertSameAsWhole(text: string, analyzer = new ComposeAnalyzer()): Finding[] {
  const chunked = analyzer.analyze(text, { yamlSyntaxErrors: 'all' }).findings;
  assert.deepEqual(sorted(chunked), sorted(whole(text)));
  return chunked;
}

describe('shared parses of anchored chunks', () => {
  test('one dependency at two offsets (behind another dependency, and alone): findings at the right place', () => {
    const text = yaml(
      "version: '3'",
      'x-a: &a',
      '  restart: always',
      'x-b: &b',
      '  labels:',
      '    aliyun.scale: 2',
      '    aliyun.lb.port_80: tcp://slb_b:80',
      'services:',
      '  both:',
      '    <<: [*a, *b]',
      '    image: x',
      '  only_b:',
      '    <<: *b',
      '    image: y',
      '  only_a:',
      '    <<: *a',
      '    image: z',
      '    ports: ["8080:80"]',
      '    labels:',
      '      aliyun.lb.port_80: tcp://slb_z:80',
    );
    const fs = assertSameAsWhole(text);
    // The unquoted number sits once in the file, at x-b: reported there once.
    const notString = fs.filter((f) => f.code === 'label-value-not-string');
    assert.equal(notString.length, 1);
    assert.equal(text.slice(notString[0].span.start, notString[0].span.end), '2');
    // Both services get slb_b through the merge: the shared-SLB finding points into x-b.
    const shared = fs.filter((f) => f.code === 'lb-slb-shared');
    assert.equal(shared.length, 1);
    assert.equal(text.slice(shared[0].span.start, shared[0].span.end), 'slb_b');
  });

  test('services as dependencies, anchors redefined further down, dependencies of dependencies', () => {
    const text = yaml(
      'x-base: &base',
      '  ports: ["81:81"]',
      'x-env: &env',
      '  A: 1',
      'x-both: &both',
      '  <<: *base',
      '  environment: *env',
      'services:',
      '  first: &svc',
      '    <<: *both',
      '    labels:',
      '      aliyun.lb.port_81: tcp://slb_first:81',
      '  second:',
      '    <<: *svc',
      '  redefine: &base',
      '    ports: ["82:82"]',
      '    labels:',
      '      aliyun.lb.port_82: udp://slb_r:82',
      '  third:',
      '    <<: [*base, *svc]',
      '  fourth:',
      '    <<: *both',
      '    labels:',
      '      - aliyun.lb.port_81=tcp://slb_fourth:81',
    );
    const fs = assertSameAsWhole(text);
    assert.ok(fs.some((f) => f.code === 'lb-slb-shared'));
    assert.ok(fs.some((f) => f.code === 'host-port-shared'));
  });

  test('more dependency chunks than one analysis keeps parsed: the same findings', () => {
    const lines = ["version: '3'"];
    const n = 150;
    for (let i = 0; i < n; i++) lines.push(`x-d${i}: &d${i}`, '  labels:', `    aliyun.lb.port_${80 + (i % 7)}: tcp://slb_d${i}:${80 + (i % 7)}`, `    aliyun.scale: ${i % 5 === 0 ? 2 : '"2"'}`);
    lines.push('services:');
    // Each service merges one near and one far dependency, so parses are dropped and made again.
    for (let i = 0; i < n; i++) lines.push(`  s${i}:`, `    <<: [*d${i}, *d${(i * 37) % n}]`, `    ports: ["${9000 + (i % 40)}:${80 + (i % 7)}"]`);
    const fs = assertSameAsWhole(yaml(...lines));
    // Each unquoted number is reported once, at its anchor, though two services merge it.
    assert.equal(fs.filter((f) => f.code === 'label-value-not-string').length, n / 5);
    assert.ok(fs.some((f) => f.code === 'host-port-shared'));
  });

  test('edits to a shared dependency and to the services behind it: incremental = fresh = whole', () => {
    const gen = generateCompose(120, { shape: 'merge' });
    const analyzer = new ComposeAnalyzer();
    let text = gen.text;
    assertSameAsWhole(text, analyzer);
    const edits: [string, string][] = [
      ['x-labels: &labels\n  aliyun.scale: "1"', 'x-labels: &labels\n  aliyun.scale: 1'],
      ['x-defaults: &defaults\n', 'x-defaults: &defaults\n  ports: ["7000:80"]\n'],
      ['  restart: unless-stopped\n', '  restart: unless-stopped\n  labels:\n    aliyun.lb.port_80: tcp://slb_defaults:80\n'],
      ['x-env: &env\n', 'x-env: &env\n  EXTRA: "1"\n'],
      ['x-labels: &labels\n', 'x-labels: &labels\n  aliyun.lb.port_81: tcp://slb_from_labels:81\n'],
    ];
    for (const [from, to] of edits) {
      assert.ok(text.includes(from), from);
      text = text.replace(from, to);
      const incremental = assertSameAsWhole(text, analyzer);
      assert.deepEqual(sorted(incremental), sorted(new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).findings));
    }
    assert.ok(analyzer.stats.incremental + analyzer.stats.full >= edits.length + 1);
  });

  test('a lean analyzer (models dropped once the rules ran) parses anchored chunks again on an env change', () => {
    const text =
      generateCompose(30, { shape: 'merge' }).text.replace('x-labels: &labels\n', 'x-labels: &labels\n  aliyun.lb.port_81: tcp://${SLB:-slb_default}:81\n') +
      '  extra:\n    <<: *defaults\n    ports: ["${HOST_PORT}:81"]\n    labels:\n      <<: *labels\n';
    const lean = new ComposeAnalyzer({ keepServiceModels: false });
    const envs = [undefined, new Map([['SLB', 'slb_x'], ['HOST_PORT', '10000']]), new Map([['HOST_PORT', '8080']]), undefined];
    for (const env of envs) {
      const got = sorted(lean.analyze(text, { env, yamlSyntaxErrors: 'all' }).findings);
      assert.deepEqual(got, sorted(new ComposeAnalyzer().analyze(text, { env, yamlSyntaxErrors: 'all' }).findings));
      assert.deepEqual(got, sorted(new ComposeAnalyzer({ wholeParseForAliases: true }).analyze(text, { env, yamlSyntaxErrors: 'all' }).findings));
    }
    assert.ok(lean.analyze(text, { env: envs[1], yamlSyntaxErrors: 'all' }).findings.some((f) => f.code === 'lb-slb-shared'));
  });

  test('a chain of merges (each link merges the one before): the same findings, in bounded time', () => {
    const lines = ["version: '3'"];
    const links = 40;
    for (let i = 0; i < links; i++) {
      lines.push(`x-l${i}: &l${i}`);
      if (i > 0) lines.push(`  <<: *l${i - 1}`);
      for (let j = 0; j < 10; j++) lines.push(`  key_${i}_${j}: v${j}`);
      if (i === links - 8) lines.push('  ports: ["9000:80"]', '  labels:', '    aliyun.scale: 2', '    aliyun.lb.port_80: tcp://slb_chain:80');
    }
    lines.push('services:');
    for (let s = 0; s < 60; s++) lines.push(`  s${s}:`, `    <<: *l${links - 1 - (s % 5)}`, '    image: x');
    const text = yaml(...lines);
    const start = performance.now();
    const fs = assertSameAsWhole(text, new ComposeAnalyzer({ keepServiceModels: false }));
    assert.ok(performance.now() - start < 20000); // a hang check on a loaded machine
    assert.ok(fs.some((f) => f.code === 'lb-slb-shared'));
    assert.equal(fs.filter((f) => f.code === 'label-value-not-string').length, 1);
  });
});
