// The worker keeps each unit's cross-service findings (rules/crossServiceRules.ts) and their
// rendered diagnostics (lsp/validationWorker.ts) across keystrokes: a group is checked again only
// when a unit joins or leaves it, and a rendering is reused while the units it points into keep
// their lines. Each edit below is one those caches could get wrong; after each, the list the main
// thread holds must be exactly what a fresh worker gives for the same text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { handleValidationMessage } from '../../server/src/lsp/validationWorker';
import { fullJson, hold, holdWhole } from '../helpers/heldDiagnostics';
import type { ValidationResult } from '../../server/src/lsp/validationHost';
import { LineDocument } from '../../server/src/engine/lineDocument';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';

let nextId = 1_000_000;
function analyze(uri: string, version: number, knownDiagnosticsId?: number): ValidationResult {
  const reply = handleValidationMessage({ type: 'analyze', id: nextId++, uri, version, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false, knownDiagnosticsId });
  assert.ok(reply && reply.type === 'result', JSON.stringify(reply));
  return reply as ValidationResult;
}

function whole(text: string, as: string): Diagnostic[] {
  const uri = `file:///fresh-cross-${nextId}.yml`;
  handleValidationMessage({ type: 'open', uri, version: 1, text });
  const r = analyze(uri, 1);
  handleValidationMessage({ type: 'close', uri });
  return JSON.parse(JSON.stringify(r.diagnostics).split(uri).join(as));
}

const sent = fullJson;

/** Services a, b, c (and d, e): a and b share host port 8080 and SLB slb_a; c and e are on their own. */
function compose(): string {
  const service = (name: string, hostPort: number, slb: string, front: number) =>
    [`  ${name}:`, '    image: nginx', '    ports:', `      - "${hostPort}:80"`, '    labels:', `      aliyun.lb.port_80: tcp://${slb}:${front}`];
  return ['services:', ...service('a', 8080, 'slb_a', 80), ...service('b', 8080, 'slb_a', 81), ...service('c', 9090, 'slb_c', 80), ...service('d', 7070, 'slb_d', 80), ...service('e', 8080, 'slb_e', 80), ''].join('\n');
}

/** A session on one document: each step edits it and checks the held list against a fresh analysis. */
function session(name: string) {
  const uri = `file:///cross-cache/${name}/docker-compose.yml`;
  const text = compose();
  handleValidationMessage({ type: 'open', uri, version: 1, text });
  const mirror = new LineDocument(uri, 'dockercompose', 1, text);
  let result = analyze(uri, 1);
  let held = holdWhole(result.diagnostics);
  let heldId = result.id;
  let version = 1;
  const lineOf = (needle: string, from = 0) => {
    for (let l = from; l < mirror.lineCount; l++) if (mirror.lineText(l).includes(needle)) return l;
    throw new Error(`no line with ${needle}`);
  };
  return {
    lineOf,
    mirror,
    held: () => held.toArray(),
    edit(changes: TextDocumentContentChangeEvent[], what: string) {
      version++;
      mirror.update(changes, version);
      handleValidationMessage({ type: 'change', uri, version, changes });
      result = analyze(uri, version, heldId);
      held = hold(held, result, uri);
      heldId = result.id;
      assert.deepEqual(sent(held), whole(mirror.getText(), uri), `${name}: after ${what}`);
    },
    /** Replaces `from` with `to` on the first line (at or after line `after`) that has it. */
    replace(from: string, to: string, what: string, after = 0) {
      const line = lineOf(from, after);
      const character = mirror.lineText(line).indexOf(from);
      this.edit([{ range: { start: { line, character }, end: { line, character: character + from.length } }, text: to }], what);
    },
    insertLine(line: number, text: string, what: string) {
      this.edit([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `${text}\n` }], what);
    },
    close: () => handleValidationMessage({ type: 'close', uri }),
  };
}

const count = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code).length;

describe('cross-service findings cached across keystrokes', () => {
  test('a unit joins and leaves a group; the group empties and fills again', () => {
    const s = session('join-leave');
    assert.equal(count(s.held(), 'host-port-shared'), 2, 'b and e share 8080 with a');
    s.replace('9090', '8080', 'c joins the 8080 group');
    assert.equal(count(s.held(), 'host-port-shared'), 3);
    s.replace('8080', '8081', 'a leaves the 8080 group (b becomes its first)');
    s.replace('slb_a:81', 'slb_b:81', 'b leaves the slb_a group (it no longer is a group)');
    assert.equal(count(s.held(), 'lb-slb-shared'), 0);
    s.replace('slb_b:81', 'slb_a:81', 'b joins slb_a again');
    assert.equal(count(s.held(), 'lb-slb-shared'), 1);
    s.replace('8081', '8080', 'a joins again, first once more');
    s.close();
  });

  test('lines inserted above, inside, between and below the units of a group', () => {
    const s = session('line-inserts');
    s.insertLine(0, '# above everything', 'a line above the group');
    s.insertLine(s.lineOf('  b:') - 1, '    restart: always', 'a line inside a (the first of the group), above b');
    s.insertLine(s.lineOf('  b:'), '', 'an empty line between a and b');
    s.insertLine(s.lineOf('  c:'), '# between b and c', 'a line below the group, above c');
    s.insertLine(s.mirror.lineCount - 1, '# at the end', 'a line below everything');
    const bPort = s.lineOf('8080', s.lineOf('  b:'));
    s.edit([{ range: { start: { line: bPort, character: 0 }, end: { line: bPort + 1, character: 0 } }, text: '' }], "b's port line removed (b leaves the group)");
    s.close();
  });

  test('edits inside a finding range and inside the place it points to', () => {
    const s = session('inside-ranges');
    const bPort = s.lineOf('8080', s.lineOf('  b:'));
    const at = s.mirror.lineText(bPort).indexOf('8080') + 2;
    s.edit([{ range: { start: { line: bPort, character: at }, end: { line: bPort, character: at } }, text: '8' }], "a digit typed inside b's host port (80880)");
    s.edit([{ range: { start: { line: bPort, character: at }, end: { line: bPort, character: at + 1 } }, text: '' }], 'and deleted again');
    const aPort = s.lineOf('8080');
    s.edit([{ range: { start: { line: aPort, character: 0 }, end: { line: aPort, character: 0 } }, text: '  ' }], "spaces typed on a's port line (the place b's finding points to)");
    const aLabel = s.lineOf('aliyun.lb.port_80');
    s.edit([{ range: { start: { line: aLabel, character: 100 }, end: { line: aLabel, character: 100 } }, text: ' ' }], "a space after a's label (a changes, the place b's finding points to does not)");
    s.replace('  a:', '  a2:', "a renamed (b's message names it)");
    s.close();
  });

  test('several edits in one batch: the first unit of a group moves a line, a later one keeps its line', () => {
    const s = session('batched');
    // a (first on 8080) moves down a line while e (also on 8080) keeps its line: e's finding points
    // into a, so e's rendering must not be reused although e's findings and line are unchanged.
    const cImage = s.lineOf('image', s.lineOf('  c:'));
    s.edit(
      [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment line\n' },
        { range: { start: { line: cImage + 1, character: 0 }, end: { line: cImage + 2, character: 0 } }, text: '' },
      ],
      "a line added above a and c's image line removed",
    );
    const cPorts = s.lineOf('ports', s.lineOf('  c:'));
    s.edit(
      [
        { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' },
        { range: { start: { line: cPorts - 1, character: 0 }, end: { line: cPorts - 1, character: 0 } }, text: '    image: nginx\n' },
      ],
      'and back the other way',
    );
    s.close();
  });

  test('a unit whose diagnostics are moved, not rendered again: lines added and removed above, twice the same service, a skipped result', () => {
    const s = session('moved');
    s.insertLine(s.lineOf('  c:'), '# one line', 'a line above c, d and e (their diagnostics move)');
    s.insertLine(0, '# above everything', 'a line above everything');
    // d gets findings of its own: lb labels for container ports it does not publish.
    s.insertLine(s.lineOf('slb_d'), '      aliyun.lb.port_9999: tcp://slb_d:99', 'a label for an unpublished port in d');
    s.insertLine(s.lineOf('slb_d'), '      aliyun.lb.port_9998: tcp://slb_d:98', 'another');
    assert.ok(count(s.held(), 'lb-port-not-published') >= 2, JSON.stringify(s.held().map((x) => x.code)));
    // d changes and moves in one result, then changes back: its old diagnostics are those of two results ago.
    const dImage = s.lineOf('image', s.lineOf('  d:'));
    s.edit([{ range: { start: { line: dImage, character: 5 }, end: { line: dImage, character: 5 } }, text: 'x' }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }], 'a letter typed in d and a line added above');
    s.edit([{ range: { start: { line: dImage + 1, character: 5 }, end: { line: dImage + 1, character: 6 } }, text: '' }], 'the letter deleted: d is as two results ago, one line lower');
    // A line added inside d (above its labels), then removed in the same result that adds one above d:
    // d's text and findings are those of two results ago, and its start moved as the edits say, but
    // its labels did not move with the lines the last edits removed (they were not there then).
    const dPorts = s.lineOf('ports', s.lineOf('  d:'));
    s.insertLine(dPorts, '    restart: always', 'a line inside d');
    s.edit([{ range: { start: { line: dPorts, character: 0 }, end: { line: dPorts + 1, character: 0 } }, text: '' }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# and one more\n' }], 'the line inside d removed and one added above everything');
    const dLines = s.lineOf('  e:') - s.lineOf('  d:');
    const d = s.mirror.getText().split('\n').slice(s.lineOf('  d:'), s.lineOf('  e:')).join('\n');
    // The same service twice (a duplicate key): the same findings, rendered at two places.
    s.insertLine(s.lineOf('  e:'), d, 'd a second time, right after the first');
    s.insertLine(s.lineOf('  c:'), '', 'a line above both copies');
    s.edit([{ range: { start: { line: s.lineOf('  d:'), character: 0 }, end: { line: s.lineOf('  d:') + dLines, character: 0 } }, text: '' }], 'the first copy removed: the second moves up to where the first was');
    s.edit([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n\n' }, { range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }], 'a batch: two lines added, one removed');
    s.close();
  });

  test('the engine: words looked for in the edited stretch only (extends, CR, ---) are found when typed one character at a time', () => {
    const analyzer = new ComposeAnalyzer();
    let text = compose() + '\n';
    analyzer.analyze(text);
    const check = (what: string) => {
      const got = analyzer.analyze(text).findings.map((f) => JSON.stringify(f));
      assert.deepEqual(got, new ComposeAnalyzer().analyze(text).findings.map((f) => JSON.stringify(f)), what);
      return got;
    };
    const typeAt = (at: number, typed: string) => {
      for (const c of typed) {
        text = text.slice(0, at) + c + text.slice(at);
        at++;
        check(`typed ${JSON.stringify(c)} of ${JSON.stringify(typed)}`);
      }
    };
    // `extends` into c, letter by letter: the service it names has a port of its own on 8080.
    const c = text.indexOf('  c:\n') + '  c:\n'.length;
    typeAt(c, '    extends: a\n');
    assert.ok(check('extends typed').some((f) => f.includes('8080')), 'c gets the 8080 of a through extends');
    // Lone CRs end lines for YAML and the LSP: a service f on 8080 typed after c's label, with CRs only.
    const shared = (found: string[]) => found.filter((f) => f.includes('host-port-shared')).length;
    const before = shared(check('before the CRs'));
    typeAt(text.indexOf('slb_c:80') + 'slb_c:80'.length, '\r  f:\r    image: x\r    ports:\r      - "8080:80"');
    assert.equal(shared(check('CRs typed')), before + 1, 'f shares 8080');
    // A second document, dash by dash at the start of the last line.
    typeAt(text.length, '---');
    assert.ok(check('--- typed').some((f) => f.includes('compose-multiple-documents')));
  });

  test('the engine: the same cross-service findings after any edit as a fresh analysis, in the same order', () => {
    const analyzer = new ComposeAnalyzer();
    let text = compose();
    const fresh = (t: string) => new ComposeAnalyzer().analyze(t).findings.map((f) => JSON.stringify(f));
    const steps: [string, string][] = [
      ['9090', '8080'],
      ['"8080:80"', '"8080:80"\n      - "9090:81"'],
      ['slb_e', 'slb_a'],
      ['  a:', '  z:'],
      ['8080', '7070'],
      ['slb_a:81', 'slb_a:80'],
    ];
    analyzer.analyze(text);
    for (const [from, to] of steps) {
      text = text.replace(from, to);
      assert.deepEqual(analyzer.analyze(text).findings.map((f) => JSON.stringify(f)), fresh(text), `after ${from} -> ${to}`);
    }
  });
});
