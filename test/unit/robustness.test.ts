// Bad input: none of it may throw, and each finishes in bounded time (generous bounds: this is a
// hang/explosion check, not a benchmark).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { complete } from '../../server/src/engine/features/completion';
import { hover } from '../../server/src/engine/features/hover';
import { textOf } from '../../server/src/engine/text';
import { yaml } from './helpers';

function timed<T>(limitMs: number, what: string, fn: () => T): T {
  const start = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.ok(ms < limitMs, `${what} took ${ms.toFixed(0)} ms (limit ${limitMs} ms)`);
  return result;
}

/** Analyse, and complete + hover at a few positions; nothing may throw. */
function exercise(text: string, limitMs: number, what: string): void {
  const analyzer = new ComposeAnalyzer();
  timed(limitMs, `${what}: analyze`, () => {
    const a = analyzer.analyze(text, { yamlSyntaxErrors: 'all' });
    assert.ok(Array.isArray(a.findings));
    for (const f of a.findings) {
      assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.code} span ${JSON.stringify(f.span)} inside text of ${text.length}`);
    }
  });
  const doc = textOf(text);
  const lines = doc.lineCount;
  const positions = [
    { line: 0, character: 0 },
    { line: Math.floor(lines / 2), character: 3 },
    { line: Math.max(0, lines - 1), character: 1000 },
  ];
  for (const position of positions) {
    timed(limitMs, `${what}: completion at ${JSON.stringify(position)}`, () => complete(doc, position, { analyzer, workspaceSlbs: [], snippetSupport: true }));
    timed(limitMs, `${what}: hover at ${JSON.stringify(position)}`, () => hover(doc, position, { analyzer }));
  }
}

function pseudoRandomBytes(n: number, seed = 42): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += String.fromCharCode(x % 256);
  }
  return s;
}

describe('robustness', () => {
  test('binary junk', () => {
    exercise(pseudoRandomBytes(64 * 1024), 5000, 'binary junk');
    exercise('\u0000\u0001\u0002\uffff\ud800services:\n\u0000  web:\n', 2000, 'NULs and a lone surrogate');
  });

  test('binary junk inside a labels block', () => {
    exercise(yaml('services:', '  web:', '    labels:', '      aliyun.lb.port_80: ' + pseudoRandomBytes(2000, 7).replace(/\n/g, ' ')), 2000, 'junk value');
  });

  test('a 5 MB file', () => {
    const service = (i: number) =>
      yaml(`  svc${i}:`, '    image: nginx', '    ports:', `      - "${10000 + (i % 50000)}:80"`, '    labels:', `      aliyun.lb.port_80: tcp://slb_${i}:80`, '      aliyun.scale: "1"');
    const parts = ['services:\n'];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const s = service(i);
      parts.push(s);
      size += s.length;
    }
    const text = parts.join('');
    assert.ok(text.length >= 5 * 1024 * 1024);
    exercise(text, 60000, '5 MB');
  });

  test('a 5 MB single line', () => {
    exercise('services: ' + 'x'.repeat(5 * 1024 * 1024), 20000, '5 MB line');
  });

  test('alias bomb (billion laughs)', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    lines.push('services:', '  web:', '    labels: *j', '    ports: *j');
    exercise(lines.join('\n') + '\n', 5000, 'billion laughs');
  });

  test('one service with 5000 aliased labels: completion and hover answer without a walk per alias', () => {
    const lines = ['x-v: &v "tcp://slb_x:80"', 'services:', '  web:', '    ports: ["80:80"]', '    labels:'];
    for (let i = 0; i < 5000; i++) lines.push(`      com.example.l${i}: *v`);
    lines.push('      aliyun.lb.port_80: tcp://slb_web:80');
    const text = yaml(...lines);
    const analyzer = new ComposeAnalyzer();
    const doc = textOf(text);
    const line = lines.length - 1;
    // Resolving each alias by walking the document took 11-13 s here (issue 12).
    timed(10000, 'completion in the lb value', () => complete(doc, { line, character: 27 }, { analyzer, workspaceSlbs: [], snippetSupport: true }));
    const h = timed(10000, 'hover on the lb key', () => hover(doc, { line, character: 9 }, { analyzer }));
    assert.ok(h, 'hover answers');
  });

  test('merge-key bomb', () => {
    const lines = ['x0: &x0 {a: 1, b: 2}'];
    for (let i = 1; i < 20; i++) lines.push(`x${i}: &x${i} {<<: [*x${i - 1}, *x${i - 1}, *x${i - 1}, *x${i - 1}], k${i}: 1}`);
    lines.push('services:', '  web:', `    <<: *x19`, '    labels:', `      <<: *x19`);
    exercise(lines.join('\n') + '\n', 5000, 'merge bomb');
  });

  test('a self-referencing alias', () => {
    exercise(yaml('services:', '  web: &w', '    labels: *w'), 2000, 'alias loop');
  });

  test('deeply nested flow collections', () => {
    exercise('services: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n', 10000, 'nested [] closed');
    exercise('services: ' + '{a: '.repeat(5000) + '1' + '}'.repeat(5000) + '\n', 10000, 'nested {} closed');
    exercise('services:\n  web:\n    labels: ' + '['.repeat(20000) + '\n', 10000, 'nested [ unclosed');
  });

  test('deeply nested block mappings', () => {
    let s = 'services:\n';
    for (let i = 1; i < 2000; i++) s += ' '.repeat(i * 2) + `k${i}:\n`;
    exercise(s, 10000, 'deep block');
  });

  test('a file of only tabs', () => {
    exercise('\t'.repeat(10000), 2000, 'tabs');
    exercise('\t\t\n'.repeat(5000), 2000, 'tab lines');
  });

  test('only BOM, only CR, only ---', () => {
    exercise('\ufeff', 1000, 'BOM');
    exercise('\r'.repeat(1000), 1000, 'CRs');
    exercise('---\n'.repeat(1000), 2000, 'markers');
    exercise('', 1000, 'empty');
  });

  test('a half-typed label at every prefix length of a valid label line', () => {
    const line = '      aliyun.lb.port_6379: "tcp://slb_redis_app:6379"';
    const head = yaml('services:', '  redis:', '    image: redis', '    ports:', '      - "6379:6379"', '    labels:');
    const tail = yaml('      aliyun.scale: "1"', '  other:', '    image: x');
    const analyzer = new ComposeAnalyzer();
    for (let n = 0; n <= line.length; n++) {
      const text = head + line.slice(0, n) + '\n' + tail;
      const doc = textOf(text);
      const position = doc.positionAt(head.length + n);
      timed(2000, `prefix ${n}`, () => {
        analyzer.analyze(text, { yamlSyntaxErrors: 'all' });
        complete(doc, position, { analyzer, workspaceSlbs: [], snippetSupport: true });
        hover(doc, position, { analyzer });
      });
      // The same, list form and without the trailing newline.
      const listText = head + '      - ' + line.trim().replace(': ', '=').slice(0, n);
      const listDoc = textOf(listText);
      timed(2000, `list prefix ${n}`, () => {
        analyzer.analyze(listText, { yamlSyntaxErrors: 'all' });
        complete(listDoc, listDoc.positionAt(listText.length), { analyzer, workspaceSlbs: [], snippetSupport: true });
        hover(listDoc, listDoc.positionAt(listText.length), { analyzer });
      });
    }
  });

  test('positions past the end and on every character of a small file', () => {
    const text = yaml('services:', '  redis:', '    ports:', '      - "6379:6379"', '    labels:', '      aliyun.lb.port_6379: tcp://slb:6379', '      - broken: [');
    const doc = textOf(text);
    const analyzer = new ComposeAnalyzer();
    for (let offset = 0; offset <= text.length; offset++) {
      const position = doc.positionAt(offset);
      complete(doc, position, { analyzer, workspaceSlbs: [], snippetSupport: true });
      hover(doc, position, { analyzer });
    }
    complete(doc, { line: 999, character: 999 }, { analyzer, workspaceSlbs: [], snippetSupport: true });
    hover(doc, { line: 999, character: 999 }, { analyzer });
  });
});
