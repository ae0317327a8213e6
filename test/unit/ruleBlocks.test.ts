// One describe block per rule code that had its tests spread over other blocks (the registry test
// requires a block for every code): each case triggers the rule and checks severity, range and fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { YAMLParseError } from 'yaml';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { describeYamlError } from '../../server/src/engine/compose/yamlErrors';
import { Finding } from '../../server/src/engine/rules/types';
import { applyEdits, describeFindings, findings, slice, yaml } from './helpers';

function only(text: string, code: string): Finding {
  const all = findings(text);
  const hits = all.filter((f) => f.code === code);
  assert.equal(hits.length, 1, describeFindings(all, text));
  return hits[0];
}

describe('yaml-label-value-needs-quotes', () => {
  test('an unquoted wildcard domain is an alias to YAML: error on the value, the fix quotes it', () => {
    const text = yaml('services:', '  web:', '    labels:', '      aliyun.routing.port_80: *.example.com');
    const f = only(text, 'yaml-label-value-needs-quotes');
    assert.equal(f.severity, 'error');
    assert.equal(slice(text, f.span), '*.example.com');
    assert.ok(applyEdits(text, f.fixes![0].edits).includes('aliyun.routing.port_80: "*.example.com"'));
  });
});

describe('yaml-unterminated-quote', () => {
  test('the finding sits on the line that opens the quote', () => {
    const text = yaml('web:', '  labels:', '    aliyun.scale: "1', '    aliyun.gpu: "1"');
    const f = findings(text).find((x) => x.code === 'yaml-unterminated-quote')!;
    assert.ok(f, describeFindings(findings(text), text));
    assert.equal(slice(text, f.span), '"1');
  });
});

describe('yaml-alias-bomb', () => {
  test("the parser's resource-exhaustion error is worded as an alias bomb", () => {
    const text = 'a: *b\n';
    const p = describeYamlError(new YAMLParseError([0, 3], 'RESOURCE_EXHAUSTION', 'Excessive alias count indicates a resource exhaustion attack'), text, 'error');
    assert.equal(p.code, 'yaml-alias-bomb');
    assert.match(p.message, /alias bomb/);
  });
});

describe('yaml-too-deep', () => {
  test('20000 nested brackets: one finding, the file is not analysed further', () => {
    const text = 'services:\n  web:\n    labels: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
    const all = findings(text);
    assert.deepEqual(all.map((f) => f.code), ['yaml-too-deep']);
  });
});

describe('yaml-syntax', () => {
  test("any other parser error keeps the parser's words", () => {
    const text = yaml('services:', '  web:', '    image: "a\\qb"');
    const f = only(text, 'yaml-syntax');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^YAML syntax error: /);
    assert.equal(slice(text, f.span), '\\');
  });
});

describe('lb-binding-duplicate', () => {
  test('the second copy in one value: a warning on it, related to the first', () => {
    const text = yaml('services:', '  web:', '    ports: ["80:80"]', '    labels:', '      aliyun.lb.port_80: tcp://a:80;tcp://a:80');
    const f = only(text, 'lb-binding-duplicate');
    assert.equal(f.severity, 'warning');
    assert.equal(f.span.start, text.lastIndexOf('tcp://a:80'));
    assert.equal(f.related![0].span.start, text.indexOf('tcp://a:80'));
  });
});

describe('port-sexagesimal', () => {
  test('unquoted 2222:22 next to an lb label: a warning and a quoting fix', () => {
    const text = yaml('services:', '  git:', '    ports:', '      - 2222:22', '    labels:', '      aliyun.lb.port_22: tcp://slb_git:22');
    const f = only(text, 'port-sexagesimal');
    assert.equal(f.severity, 'warning');
    assert.equal(slice(text, f.span), '2222:22');
    assert.match(f.message, /133342/);
    assert.ok(applyEdits(text, f.fixes![0].edits).includes('- "2222:22"'));
  });
});

describe('port-invalid', () => {
  test('an unreadable mapping next to an lb label is named, on the mapping', () => {
    const text = yaml('services:', '  web:', '    ports: ["abc:81"]', '    labels:', '      aliyun.lb.port_81: tcp://slb_web:81');
    const f = only(text, 'port-invalid');
    assert.equal(f.severity, 'error');
    assert.equal(slice(text, f.span), '"abc:81"');
    assert.ok(!findings(text).some((x) => x.code === 'lb-port-not-published'));
  });
});

describe('label-key-whitespace', () => {
  test("list form 'key = value': error on the key, the fix removes the spaces", () => {
    const text = yaml('services:', '  web:', '    ports: ["80:80"]', '    labels:', '      - aliyun.lb.port_80 = tcp://slb_web:80');
    const f = only(text, 'label-key-whitespace');
    assert.equal(f.severity, 'error');
    assert.ok(applyEdits(text, f.fixes![0].edits).includes('- aliyun.lb.port_80=tcp://slb_web:80'));
  });
});

describe('file-too-large', () => {
  test('a text over the limit gets this one finding, at the start', () => {
    const text = yaml('services:', '  web:', '    ports: ["80"]', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80');
    const all = new ComposeAnalyzer().analyze(text, { maxTextLength: 20 }).findings;
    assert.deepEqual(all.map((f) => [f.code, f.severity, f.span.start]), [['file-too-large', 'error', 0]]);
  });
});

describe('analysis-stopped', () => {
  test('no time left: one error where the analysis stopped, nothing else', () => {
    const text = yaml('services:', '  web:', '    ports: ["80"]', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80');
    const all = new ComposeAnalyzer().analyze(text, { timeBudgetMs: -1 }).findings;
    assert.deepEqual(all.map((f) => [f.code, f.severity]), [['analysis-stopped', 'error']]);
  });
});
