// The line-scan outline: documents, sections and service chunks, and when it must fall back to a
// whole-document parse. Differential check against the whole parse on the real-world corpus.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { outlineCompose } from '../../server/src/engine/compose/outline';
import { parseUnit } from '../../server/src/engine/compose/parse';
import { ServiceModel } from '../../server/src/engine/compose/model';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { CORPUS, yaml } from './helpers';

const services = (text: string) =>
  outlineCompose(text).flatMap((d) => d.chunks.filter((c) => c.kind === 'service').map((c) => c.name));

describe('outline', () => {
  test('V1: services at top level', () => {
    const text = yaml('web:', '  image: nginx', '  labels:', '    aliyun.scale: "1"', 'db:', '  image: mysql');
    const [d] = outlineCompose(text);
    assert.equal(d.version, 'v1');
    assert.equal(d.needsWholeParse, false);
    assert.deepEqual(services(text), ['web', 'db']);
    const web = d.chunks.find((c) => c.name === 'web')!;
    assert.equal(text.slice(web.start, web.end), 'web:\n  image: nginx\n  labels:\n    aliyun.scale: "1"\n');
    assert.equal(web.startLine, 0);
  });

  test('V2: version "2" and services:', () => {
    const text = yaml('version: "2"', 'services:', '  web:', '    image: nginx', '  db:', '    image: mysql', 'volumes:', '  data: {}');
    const [d] = outlineCompose(text);
    assert.equal(d.version, 'v2');
    assert.deepEqual(services(text), ['web', 'db']);
    const db = d.chunks.find((c) => c.name === 'db')!;
    assert.equal(text.slice(db.start, db.end), '  db:\n    image: mysql\n');
    assert.equal(db.startLine, 4);
    assert.ok(d.chunks.some((c) => c.kind === 'section' && c.name === 'volumes'));
  });

  test("V3: version '3.4', 4-space indentation", () => {
    const text = yaml("version: '3.4'", 'services:', '    web:', '        image: nginx', '    db:', '        image: mysql');
    const [d] = outlineCompose(text);
    assert.equal(d.version, 'v3');
    assert.deepEqual(services(text), ['web', 'db']);
    assert.equal(d.needsWholeParse, false);
  });

  test('services: without version is V3-style', () => {
    assert.equal(outlineCompose(yaml('services:', '  web:', '    image: x'))[0].version, 'v3');
  });

  test('x-* extension keys and networks are not V1 services', () => {
    const text = yaml('x-common: &c', '  image: x', 'networks:', '  n: {}', 'web:', '  image: y');
    assert.deepEqual(services(text), ['web']);
  });

  test('several YAML documents separated by ---', () => {
    const text = yaml('services:', '  a:', '    image: x', '---', 'services:', '  b:', '    image: y', '---', 'c:', '  image: z');
    const docs = outlineCompose(text);
    assert.equal(docs.length, 3);
    assert.deepEqual(docs.map((d) => d.chunks.filter((c) => c.kind === 'service').map((c) => c.name)), [['a'], ['b'], ['c']]);
    assert.equal(docs[1].startLine, 4);
    assert.equal(text.slice(docs[1].start, docs[1].end), 'services:\n  b:\n    image: y\n');
    assert.equal(docs[2].version, 'v1');
  });

  test('a leading --- and a ... end marker', () => {
    const text = yaml('---', 'services:', '  a:', '    image: x', '...');
    assert.deepEqual(services(text), ['a']);
  });

  test('CRLF line endings: same services, chunk offsets on line starts', () => {
    const lf = yaml('services:', '  web:', '    image: nginx', '  db:', '    image: mysql');
    const crlf = lf.replace(/\n/g, '\r\n');
    const d = outlineCompose(crlf)[0];
    assert.equal(d.needsWholeParse, false);
    assert.deepEqual(services(crlf), ['web', 'db']);
    const db = d.chunks.find((c) => c.name === 'db')!;
    assert.equal(crlf.slice(db.start, db.end), '  db:\r\n    image: mysql\r\n');
  });

  test('a UTF-8 BOM does not hide the first key', () => {
    const text = '\ufeff' + yaml('web:', '  image: nginx', 'db:', '  image: mysql');
    const d = outlineCompose(text)[0];
    assert.equal(d.version, 'v1');
    assert.equal(d.needsWholeParse, false);
    assert.deepEqual(services(text), ['web', 'db']);
  });

  test('tabs in indentation -> whole-parse fallback', () => {
    const text = yaml('services:', '  web:', '\timage: nginx');
    assert.equal(outlineCompose(text)[0].needsWholeParse, true);
  });

  test('an alias to an anchor in another chunk stays chunked; the chunks record anchors and aliases', () => {
    const text = yaml('x-labels: &labels', '  aliyun.scale: "1"', 'services:', '  web:', '    labels: *labels');
    const [d] = outlineCompose(text);
    assert.equal(d.needsWholeParse, false);
    assert.deepEqual(d.chunks.map((c) => [c.name, c.anchors, c.aliases]), [['x-labels', ['labels'], undefined], ['services', undefined, undefined], ['web', undefined, ['labels']]]);
  });

  test('a merge key from another chunk stays chunked', () => {
    const text = yaml('services:', '  base: &base', '    image: x', '  web:', '    <<: *base');
    const [d] = outlineCompose(text);
    assert.equal(d.needsWholeParse, false);
    assert.deepEqual(d.chunks.map((c) => [c.name, c.anchors, c.aliases]), [['services', undefined, undefined], ['base', ['base'], undefined], ['web', undefined, ['base']]]);
  });

  test('an alias to an anchor in the same chunk stays chunked', () => {
    const text = yaml('services:', '  web:', '    environment: &e', '      A: "1"', '    x: *e');
    assert.equal(outlineCompose(text)[0].needsWholeParse, false);
  });

  test('* inside a value is not an alias', () => {
    const text = yaml('services:', '  web:', '    labels:', '      aliyun.log_store_x: /var/log/*.log');
    assert.equal(outlineCompose(text)[0].needsWholeParse, false);
  });

  test('flow-style services -> whole-parse fallback', () => {
    assert.equal(outlineCompose(yaml('services: {web: {image: x}}'))[0].needsWholeParse, true);
  });

  test('a service indented less than the first -> whole-parse fallback', () => {
    const text = yaml('services:', '    web:', '      image: x', '  db:', '    image: y');
    assert.equal(outlineCompose(text)[0].needsWholeParse, true);
  });

  test('a %directive-like line at column 0 -> whole-parse fallback', () => {
    assert.equal(outlineCompose(yaml('%s:', '  image: x'))[0].needsWholeParse, true);
  });

  test('duplicate service names are recorded', () => {
    const text = yaml('services:', '  web:', '    image: x', '  web:', '    image: y');
    const d = outlineCompose(text)[0];
    assert.equal(d.duplicateServices.length, 1);
    assert.equal(d.duplicateServices[0].name, 'web');
  });

  test('leading comments form a section of their own', () => {
    const text = yaml('# hello', '', 'services:', '  web:', '    image: x');
    const d = outlineCompose(text)[0];
    assert.equal(d.chunks[0].kind, 'section');
    assert.equal(text.slice(d.chunks[0].start, d.chunks[0].end), '# hello\n\n');
  });

  test('chunks tile the document with no gap or overlap', () => {
    const text = yaml('# c', 'version: "2"', 'services:', '  a:', '    image: x', '', '  b:', '    image: y', 'networks:', '  n: {}');
    const d = outlineCompose(text)[0];
    let at = d.start;
    for (const c of d.chunks) {
      assert.equal(c.start, at);
      at = c.end;
    }
    assert.equal(at, d.end);
  });

  test('empty text and only comments', () => {
    assert.doesNotThrow(() => outlineCompose(''));
    assert.deepEqual(services(''), []);
    assert.deepEqual(services('# nothing\n'), []);
  });
});

/** What a service is, without offsets (those are relative to different texts). */
function summary(s: ServiceModel) {
  return {
    name: s.name,
    labels: s.labels.map((l) => `${l.where}:${l.form}:${l.key}=${l.value}`),
    ports: s.ports.map((p) => `${p.raw}|${p.hostIp ?? ''}|${p.hostStart}-${p.hostEnd}:${p.containerStart}-${p.containerEnd}/${p.protocol}`),
    expose: s.expose.map((e) => e.raw),
  };
}

describe('differential: chunked path vs whole-document parse on the real-world corpus', () => {
  const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yml')).sort() : [];
  test('the corpus is there', () => assert.ok(files.length >= 30, `corpus at ${CORPUS}`));
  // Corpus 01/02 indent `services:` one column deeper than `version:` (a YAML error the whole parse recovers from).
  for (const file of files) {
    test(file, () => {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      // The product path: the analyzer's units (service chunks, or whole documents on fallback).
      const chunked = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).units.flatMap((u) => u.parsed.services.map(summary));
      const whole = parseUnit(text, 'document').services.map(summary);
      assert.deepEqual(chunked, whole);
    });
  }
});
