// The plain block reader (compose/plainBlockYaml.ts) stands in for the `yaml` package on the texts
// it reads. Its contract, checked here against `yaml` itself: whatever text it reads, it builds the
// same nodes (class, value, type, source, ranges) as parseDocument, on a text `yaml` reads without a
// problem; everything else it leaves to `yaml`. And the analysis finds the same with it as without.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { readPlainBlockYaml } from '../../server/src/engine/compose/plainBlockYaml';
import { usePlainBlockReader } from '../../server/src/engine/compose/parse';
import { outlineCompose } from '../../server/src/engine/compose/outline';
import { placedPiece } from '../../server/src/engine/compose/anchorDeps';
import { generateCompose } from '../../bench/generateCompose';
import { CORPUS, sortedFindings, analyze } from './helpers';

const PARSE_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: false, strict: false } as const;
const probe = parseDocument('', PARSE_OPTIONS);
const context = { schema: probe.schema, options: probe.options };

/** Presentation only: the reader does not keep comments or blank-line markers (the analysis reads neither). */
const PRESENTATION = new Set(['comment', 'commentBefore', 'spaceBefore']);

/** Where two node trees differ (undefined: nowhere). */
function difference(a: unknown, b: unknown, at = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  // The merge key's value is a new Symbol('<<') per parse.
  if (typeof a === 'symbol' && typeof b === 'symbol') return a.description === b.description ? undefined : `${at}: ${String(a)} ≠ ${String(b)}`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return `${at}: ${String(a)} ≠ ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: ${a.constructor.name} ≠ ${b.constructor.name}`;
  const keys = (o: object) => Object.keys(o).filter((k) => !PRESENTATION.has(k) && (o as Record<string, unknown>)[k] !== undefined).sort();
  const ka = keys(a);
  const kb = keys(b);
  if (ka.join() !== kb.join()) return `${at}: keys [${ka}] ≠ [${kb}]`;
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Reads `text` both ways: 'read' when the reader took it (and agrees), 'left' when it left it to `yaml`. */
function compareWithYaml(text: string): 'read' | 'left' {
  const read = readPlainBlockYaml(text, context);
  if (!read) return 'left';
  const doc = parseDocument(text, PARSE_OPTIONS);
  const problems = [...doc.errors, ...doc.warnings].map((e) => e.code);
  assert.deepEqual(problems, [], `the reader took a text yaml has problems with: ${JSON.stringify(text)}`);
  const d = difference(read, doc.contents);
  assert.equal(d, undefined, `the reader and yaml differ on ${JSON.stringify(text)}: ${d}`);
  return 'read';
}

/** The texts the analysis parses: each document's chunks, and the whole text. */
function piecesOf(text: string): string[] {
  const pieces = [text];
  for (const outline of outlineCompose(text)) for (const chunk of outline.chunks) pieces.push(text.slice(chunk.start, chunk.end));
  return pieces;
}

const corpus = fs
  .readdirSync(CORPUS)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(CORPUS, f), 'utf8') }));

const generated = (['clean', 'findings', 'merge'] as const).map((shape) => ({ name: shape, text: generateCompose(200, { seed: 11, shape }).text }));

test('on every piece of the real-world corpus that it reads, the reader builds what yaml builds', () => {
  assert.ok(corpus.length >= 30, 'the corpus is there');
  let read = 0;
  for (const { text } of corpus) for (const piece of piecesOf(text)) if (compareWithYaml(piece) === 'read') read++;
  // Real files have comments and flow lists: many pieces go to yaml, but plain services are read.
  assert.ok(read >= 50, `the reader read ${read} corpus pieces`);
});

test('the generated benchmark files: the reader reads every service chunk without anchors, as yaml does', () => {
  for (const { name, text } of generated) {
    const outline = outlineCompose(text);
    let services = 0;
    let read = 0;
    for (const chunk of outline.flatMap((o) => o.chunks)) {
      if (chunk.kind !== 'service') continue;
      services++;
      const piece = text.slice(chunk.start, chunk.end);
      // Also as the analysis parses a chunk that uses anchors: placed under `services:` at its offset.
      const placed = placedPiece(text, chunk.start, chunk.end, true);
      if (compareWithYaml(piece) === 'read' && compareWithYaml(placed) === 'read') read++;
      else assert.ok(/[&]/.test(piece), `${name}: a plain service chunk was left to yaml: ${JSON.stringify(piece)}`);
    }
    assert.ok(services >= 200 && read >= services * 0.9, `${name}: read ${read} of ${services} service chunks`);
    compareWithYaml(text);
  }
});

test('what it leaves to yaml: every style it does not read, and mistakes', () => {
  const left = [
    'a: 1\n# comment\nb: 2\n', // a comment line after content
    'a:\n  b: 1\n  # comment\n', // a comment after a collection's last item
    'a:\nb: 1\n', // an empty value
    'a:\n', // an empty value at the end
    '- \n- a\n', // an empty item
    'a: [1, 2]\n', // flow collections
    'a: {b: 1}\n',
    'a: &x 1\nb: *x\n', // anchors
    'a: *x,y\n', // aliases the reader does not take
    'a: *x:\n',
    'a: *\n',
    '*a: b\n',
    'a: *x y\n',
    'a: !!str 1\n', // tags
    'a: |\n  text\n', // block scalars
    'a: >\n  text\n',
    'a: one\n  two\n', // a plain scalar over two lines
    '- one\n  two\n',
    'a: "one\n  two"\n', // a quoted scalar over two lines
    'a: "x\\ty"\n', // escapes
    'a: b: c\n', // a map inside a value
    'a: b:\n',
    'a:\tb\n', // tabs
    '\ta: 1\n',
    'a: 1\rb: 2\n', // a lone CR
    '\ufeffa: 1\n', // a byte order mark
    '---\na: 1\n', // document markers
    'a: 1\n...\n',
    '%YAML 1.2\n---\na: 1\n',
    '<<: {a: 1}\n', // a merge key with a flow map
    'a: 1\n b: 2\n', // indentation that matches no open collection
    'a:\n    b: 1\n  c: 2\n',
    '  a: 1\nb: 2\n', // less indented than the first line
    'a: "x" y\n', // text after a closing quote
    '"a":b\n',
    'a: 1#x: 2\n',
    'plain\n', // not a collection
    '# only a comment\n',
    '',
    `${'k'.repeat(1100)}: 1\n`, // a key longer than yaml's implicit-key limit
  ];
  for (const text of left) assert.equal(readPlainBlockYaml(text, context), undefined, `left to yaml: ${JSON.stringify(text)}`);
});

test('what it reads: the styles of plain compose files, exactly as yaml reads them', () => {
  const read = [
    'a: 1\n',
    'a: 1', // no final newline
    '# a comment before the first line\n\nweb:\n  image: nginx\n',
    'web:\n  image: nginx  # the image\n  ports:\n    - "80:80"\n    -   8080\n',
    'web:\n  ports:\n  - 80\n  - 443\n  image: x\n', // a list at its key's indent
    '  web:\n    labels:\n      aliyun.lb.port_80: tcp://slb:80\n      "aliyun.scale": \'2\'\n\n\n',
    '- a: 1\n  b: x [y] {z}\n- c\n', // brackets inside a plain scalar are text in block context
    '- name: x\n  ports:\n  - target: 80\n    published: 8080\n',
    'a: ~\nb: null\nc: true\nd: False\ne: 0x1F\nf: 0o17\ng: 1e3\nh: .5\ni: -1\nj: +2\nk: .inf\nl: .nan\nm: 007\nn: 1_000\no: 12:30\np: yes\n',
    '80: x\ntrue: y\n~: z\n"80": w\n',
    "a: 'it''s'\nb: \"\"\nc: ''\n",
    'a: tcp://slb:80\nb: a#b\nc: x #comment\nd: 中文 值\n',
    'a: 1\r\nb: "x" \r\nc:\r\n  - 1\r\n',
    'a:\n  - x\n\nb: 1\n\n\n',
    'web:\n  <<: *defaults\n  environment: *env # shared\n  labels:\n    <<: *labels\n    a: b\n  x:\n    - *a\n', // aliases and merge keys
    'services:\n####\n  web:\n    # a comment between a key and its map\n    image: x\n', // as a chunk is placed under `services:`
    'a:\n  # comment\n  b: 1\n',
  ];
  for (const text of read) assert.equal(compareWithYaml(text), 'read', `read: ${JSON.stringify(text)}`);
});

// A fixed seed in the suite; PLAIN_YAML_SEED replays one, PLAIN_YAML_RUNS runs longer (printed below).
test('random compose-like texts: whatever the reader reads, yaml reads the same way', (t) => {
  const seed = Number(process.env.PLAIN_YAML_SEED) || 20261207;
  const numRuns = Number(process.env.PLAIN_YAML_RUNS) || 20000;
  const atom = fc.constantFrom(
    'a', 'web', 'ports', 'aliyun.lb.port_80', '80', '8080:80', '"80:80"', "'x'", "'it''s'", '"a b"', 'true', 'False', 'null', '~', '0x1F', '0o17',
    '1e3', '.5', '-1', '+2', '.inf', '.nan', 'yes', '12:30', 'tcp://slb:80', 'a#b', 'a #b', 'x: y', 'a:b', '-x', '中文', '0', '-0', '1.', '007',
    'a [b]', 'x,y', 'a "b"', '2001:db8::1', '"', "'", '-', '- x', '[a]', '{a: 1}', '&a', '*a', '!t', '|', '>', '%x', '@x', '?x', ':x', ',x',
    '"q\\"x"', '"a":b', '<<', '---', '...', '\\', 'a\\b', '', '*a', '*defaults', '*a:', '*a,b', '&a x',
  );
  const plainAtom = fc.constantFrom('*a', '<<', 'a', 'web', 'ports', 'aliyun.lb.port_80', '80', '8080:80', '"80:80"', "'x'", 'true', 'null', '0x1F', '1e3', '-1', 'tcp://slb:80', 'a#b', '中文', 'a [b]', '2001:db8::1');
  const anyAtom = fc.oneof({ arbitrary: plainAtom, weight: 4 }, { arbitrary: atom, weight: 1 });
  const line = fc.tuple(fc.constantFrom(0, 0, 2, 2, 2, 4, 4, 6, 1, 3, 8), fc.constantFrom('key', 'key', 'keyOnly', 'item', 'itemPair', 'blank', 'comment', 'atom'), anyAtom, anyAtom, fc.constantFrom('', '', '', ' # c', '  ', '\r'))
    .map(([indent, kind, a, b, tail]) => {
      const pad = ' '.repeat(indent);
      switch (kind) {
        case 'key': return `${pad}${a}: ${b}${tail}`;
        case 'keyOnly': return `${pad}${a}:${tail === ' # c' ? '' : tail}`;
        case 'item': return `${pad}- ${a}${tail}`;
        case 'itemPair': return `${pad}- ${a}: ${b}${tail}`;
        case 'blank': return '';
        case 'comment': return `${pad}# c`;
        default: return `${pad}${a}`;
      }
    });
  // Nested block maps and lists, rendered with a random indentation step (lists at their key's
  // indent or deeper), sometimes with a random line put in: mostly what the reader reads.
  type Tree = { kind: 'map'; entries: [string, Tree | string][] } | { kind: 'seq'; items: (Tree | string)[] };
  const { tree } = fc.letrec<{ tree: Tree; value: Tree | string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.record({ kind: fc.constant('map' as const), entries: fc.array(fc.tuple(anyAtom, tie('value')), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('value'), { minLength: 1, maxLength: 4 }) }),
    ),
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, anyAtom, tie('tree')),
  }));
  const render = (node: Tree, indent: number, step: number, compact: boolean, out: string[], first?: string): void => {
    const pad = ' '.repeat(indent);
    let lead = first;
    const line = (text: string) => {
      out.push(lead !== undefined ? lead + text : pad + text);
      lead = undefined;
    };
    if (node.kind === 'map') {
      for (const [key, value] of node.entries) {
        if (typeof value === 'string') line(`${key}: ${value}`);
        else {
          line(`${key}:`);
          render(value, value.kind === 'seq' && compact ? indent : indent + step, step, compact, out);
        }
      }
    } else {
      for (const item of node.items) {
        if (typeof item === 'string') line(`- ${item}`);
        else if (item.kind === 'map') render(item, indent + 2, step, compact, out, (lead ?? pad) + '- ');
        else {
          line('-');
          render(item, indent + step, step, compact, out);
        }
      }
    }
  };
  const structured = fc.tuple(tree, fc.constantFrom(0, 2), fc.constantFrom(1, 2, 2, 4), fc.boolean(), fc.option(fc.tuple(fc.nat(), line), { freq: 3 })).map(([t, indent, step, compact, extra]) => {
    const out: string[] = [];
    render(t, indent, step, compact, out);
    if (extra) out.splice(extra[0] % (out.length + 1), 0, extra[1]);
    return out;
  });
  const lines = fc.oneof({ arbitrary: structured, weight: 3 }, { arbitrary: fc.array(line, { minLength: 1, maxLength: 12 }), weight: 1 });
  const text = fc.tuple(lines, fc.constantFrom('\n', '\n', '\r\n'), fc.boolean()).map(([ls, eol, final]) => ls.join(eol) + (final ? eol : ''));
  let read = 0;
  fc.assert(
    fc.property(text, (t) => {
      if (compareWithYaml(t) === 'read') read++;
    }),
    { numRuns, seed },
  );
  t.diagnostic(`seed ${seed}: the reader read ${read} of ${numRuns} texts`);
  // (About one text in seven is all plain: the rest hold an odd atom somewhere, and go to yaml.)
  assert.ok(read > numRuns / 10, `the reader read ${read} of the random texts`);
});

test('a reader that throws costs speed, not the analysis: yaml reads the text instead', () => {
  const text = generated[1].text;
  const expected = sortedFindings(analyze(text).findings);
  usePlainBlockReader(true, () => {
    throw new Error('a defect in the reader');
  });
  try {
    assert.deepEqual(sortedFindings(analyze(text).findings), expected);
  } finally {
    usePlainBlockReader(true);
  }
});

test('the analysis finds the same with the reader as with yaml alone, on the corpus and the generated files', () => {
  for (const { name, text } of [...corpus, ...generated]) {
    const withReader = sortedFindings(analyze(text).findings);
    usePlainBlockReader(false);
    try {
      assert.deepEqual(withReader, sortedFindings(analyze(text).findings), name);
    } finally {
      usePlainBlockReader(true);
    }
  }
});
