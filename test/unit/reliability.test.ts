// Issue 9 in the engine (the endless scan loop is tested over the CLI and LSP, where a timeout can
// stop it): nesting depth is judged before parsing (the
// same text, the same place, whatever the stack), no unbounded array is spread into a call, and
// the size limit and time budget each end an analysis with one finding.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { findTooDeepNesting, MAX_NESTING_DEPTH } from '../../server/src/engine/compose/nestingDepth';
import { parseUnit } from '../../server/src/engine/compose/parse';
import { analysisStoppedFinding, sizeLimitFinding } from '../../server/src/engine/analysisLimits';
import { setLocale } from '../../server/src/engine/i18n';
import { textOf } from '../../server/src/engine/text';
import { CORPUS } from './helpers';

afterEach(() => setLocale('en'));

function analyze(text: string, options: { maxTextLength?: number; timeBudgetMs?: number } = {}) {
  return new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all', ...options });
}

describe('nesting depth (defect 7)', () => {
  const deepFlow = (n: number) => 'services:\n  web:\n    labels: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
  const deepBlock = (n: number) => {
    let s = 'services:\n';
    for (let i = 1; i < n; i++) s += ' '.repeat(i * 2) + `k${i}:\n`;
    return s;
  };

  test('the same deep text gets yaml-too-deep at the same place, whatever the stack', () => {
    for (const text of [deepFlow(5000), deepBlock(3000), 'services:\n' + '- '.repeat(4000) + 'a\n', 'x: ' + '{a: '.repeat(3000) + '1' + '}'.repeat(3000)]) {
      const first = analyze(text).findings.filter((f) => f.code === 'yaml-too-deep');
      assert.equal(first.length, 1, text.slice(0, 60));
      // Again with much of the stack already used: the place must not move.
      const deeper = (n: number): ReturnType<typeof analyze> => (n === 0 ? analyze(text) : deeper(n - 1));
      for (const depth of [0, 500, 2000]) {
        const again = deeper(depth).findings.filter((f) => f.code === 'yaml-too-deep');
        assert.deepEqual(again.map((f) => f.span), first.map((f) => f.span));
      }
    }
  });

  test('the place is where the nesting passes the limit', () => {
    const text = deepFlow(1000);
    const [finding] = analyze(text).findings.filter((f) => f.code === 'yaml-too-deep');
    const line = textOf(text).positionAt(finding.span.start);
    assert.equal(line.line, 2);
    assert.equal(text[finding.span.start], '[');
    // The service chunk is parsed on its own: web > labels are two block levels, the flow ones come on top.
    assert.equal(finding.span.start, text.indexOf('[') + MAX_NESTING_DEPTH - 2);
    assert.match(finding.message, /Nested more than 200 levels deep/);
  });

  test('nesting up to the limit parses normally', () => {
    const ok = 'services:\n  web:\n    labels: ' + '['.repeat(MAX_NESTING_DEPTH - 3) + ']'.repeat(MAX_NESTING_DEPTH - 3) + '\n';
    assert.equal(findTooDeepNesting(ok), undefined);
    assert.deepEqual(parseUnit(ok, 'document').problems.filter((p) => p.code === 'yaml-too-deep'), []);
    assert.ok(findTooDeepNesting(ok.replace('[', '[[').replace(']', ']]')));
  });

  test('indentation inside block scalars, quotes and comments is not nesting', () => {
    let script = 'services:\n  web:\n    command: |\n';
    for (let i = 0; i < 400; i++) script += ' '.repeat(6 + i) + 'echo\n';
    script += '    labels:\n      aliyun.scale: "1"\n';
    assert.equal(findTooDeepNesting(script), undefined);
    assert.equal(findTooDeepNesting(`x: "${'['.repeat(1000)}"\ny: '${'{'.repeat(1000)}'\n# ${'['.repeat(1000)}\n`), undefined);
    assert.equal(findTooDeepNesting(`x: echo ${'['.repeat(1000)}\n`), undefined, 'a [ inside a plain scalar opens nothing');
    assert.equal(findTooDeepNesting('x: [a, "]]]", b]\n' + 'y: ' + '['.repeat(150) + ']'.repeat(150) + '\n'), undefined);
  });

  test('every real-world corpus file nests far below the limit (under 12 levels)', () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yml'));
    assert.ok(files.length >= 37);
    for (const file of files) assert.equal(findTooDeepNesting(fs.readFileSync(path.join(CORPUS, file), 'utf8'), 12), undefined, file);
  });
});

describe('huge inputs (defect 6)', () => {
  test('one service with more than 200k findings: no stack overflow', () => {
    const parts = ['services:\n  web:\n    labels:\n'];
    for (let i = 0; i < 205_000; i++) parts.push(`      - aliyun.scale=x${i}\n`);
    const findings = analyze(parts.join('')).findings;
    assert.ok(findings.length > 200_000, String(findings.length));
  });

  test('more than 200k cross-service findings: no stack overflow', () => {
    const parts = ['services:\n'];
    for (let i = 0; i < 25_700; i++) parts.push(`  a${i}: {ports: ["1:1","2:2","3:3","4:4","5:5","6:6","7:7","8:8"]}\n`);
    const findings = analyze(parts.join('')).findings;
    assert.ok(findings.filter((f) => f.code === 'host-port-shared').length > 200_000, String(findings.length));
  });

  test('a text over the size limit gets one finding and no analysis', () => {
    const text = 'services:\n  web:\n    labels:\n      aliyun.lb.port_80: tcp://slb:80\n'.repeat(40);
    const analysis = analyze(text, { maxTextLength: 1000 });
    assert.deepEqual(analysis.findings.map((f) => [f.code, f.severity, f.span.start]), [['file-too-large', 'error', 0]]);
    assert.match(analysis.findings[0].message, /This file is 2\.6 kB; files over 1\.0 kB are not checked/);
    assert.equal(analysis.units.length, 0);
    assert.notEqual(analyze(text, { maxTextLength: text.length }).findings[0]?.code, 'file-too-large');
  });
});

describe('time budget (defect 2)', () => {
  test('an analysis past its budget stops with one finding at the place it reached', () => {
    const parts = ['services:\n'];
    for (let i = 0; i < 2000; i++) parts.push(`  s${i}:\n    image: nginx\n    ports:\n      - "${1000 + i}:80"\n    labels:\n      aliyun.lb.port_80: tcp://slb_${i}:80\n`);
    const text = parts.join('');
    // A slow step (50 ms at every unit and service) makes the 2 s budget run out some services in (the
    // generous budget keeps a loaded machine's slow start from using it all up before the first service).
    let reached = -1;
    const slowStep = (offset: number) => {
      reached = offset;
      const until = performance.now() + 50;
      while (performance.now() < until);
    };
    const analysis = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all', timeBudgetMs: 2000, onProgress: slowStep });
    assert.equal(analysis.findings.length, 1);
    const [finding] = analysis.findings;
    assert.equal(finding.code, 'analysis-stopped');
    assert.equal(finding.severity, 'error');
    assert.equal(finding.span.start, reached);
    const line = textOf(text).positionAt(finding.span.start).line;
    assert.ok(line > 0 && line < text.split('\n').length - 1, `stopped at line ${line}`);
    assert.match(finding.message, new RegExp(`^Analysis stopped after 2 s at line ${line + 1}:`));
    // Without a budget the same text is analysed to the end.
    assert.ok(!new ComposeAnalyzer().analyze(text).findings.some((f) => f.code === 'analysis-stopped'));
  });

  test('the findings speak Chinese too', () => {
    setLocale('zh-cn');
    assert.match(analysisStoppedFinding(2500, 0, 41).message, /分析在 2\.5 秒后于第 42 行停止/);
    assert.match(sizeLimitFinding(50 * 1024 * 1024, 10 * 1024 * 1024).message, /此文件大小为 50\.0 MB；超过 10\.0 MB 的文件不做检查/);
    assert.match(analyze('x: ' + '['.repeat(300)).findings.find((f) => f.code === 'yaml-too-deep')!.message, /此处嵌套超过 200 层/);
  });
});

describe('found by the fuzz harness', () => {
  test('a syntax error on the empty last line keeps its span inside the text', () => {
    // fast-check counterexample: yaml-bad-indent pointed at {35, 36} in a text of 35 characters.
    for (const text of ["aliyun.lb.port_80: [version: '3.8'\n", 'a: [\n', 'services:\n  web: {\n']) {
      for (const f of analyze(text).findings) assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.code} ${JSON.stringify(f.span)} in ${text.length}`);
    }
  });

  test('a top-level services:, version: or x- key typed into a V1 file re-outlines the whole file (incremental = fresh)', () => {
    // fast-check counterexample (seed 895108819): the V1 layout kept 'services' as one more service,
    // so the incremental analysis still reported the top-level duplicate 'ports' that a fresh one,
    // reading the file as V3, does not.
    const base = 'web0:\nports:\n - "80:80"\nweb1:\nports:\n - "80:80"';
    const key = (fs: readonly { code: string; span: { start: number; end: number } }[]) => fs.map((f) => `${f.code}@${f.span.start}-${f.span.end}`).sort();
    for (const insert of ['\nservices:', '\nversion: "3"', '\nx-common:']) {
      for (let at = 0; at <= base.length; at++) {
        const text = base.slice(0, at) + insert + base.slice(at);
        const incremental = new ComposeAnalyzer();
        incremental.analyze(base, { yamlSyntaxErrors: 'all' });
        assert.deepEqual(key(incremental.analyze(text, { yamlSyntaxErrors: 'all' }).findings), key(new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).findings), JSON.stringify(text));
      }
    }
  });
});
