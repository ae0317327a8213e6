// One small fixture per diagnostic code: code, severity, the exact text the span covers, related
// locations, and quick fixes that — applied to the text — make the finding go away. Plus the
// no-false-positive fixtures of test/fixtures/unit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { Finding } from '../../server/src/engine/rules/types';
import { Span } from '../../server/src/engine/compose/model';
import { analyze, applyEdits, CORPUS, describeFindings, FIXTURES, findings, slice, spanOf, withCode, yaml } from './helpers';

/** Exactly one finding with `code`; returns it. */
function one(text: string, code: string, env?: Record<string, string>): Finding {
  const all = findings(text, env);
  const hits = all.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got:\n${describeFindings(all, text)}`);
  return hits[0];
}

function assertSpan(text: string, actual: Span, expected: Span): void {
  assert.equal(slice(text, actual), slice(text, expected), 'span text');
  assert.deepEqual(actual, expected, 'span offsets');
}

/** Applies fix `index` of `f` and returns the new text. */
function applyFix(text: string, f: Finding, index = 0): string {
  assert.ok(f.fixes && f.fixes.length > index, `finding ${f.code} has no fix #${index}`);
  return applyEdits(text, f.fixes![index].edits);
}

function assertGone(text: string, code: string): void {
  const all = findings(text);
  assert.equal(all.filter((f) => f.code === code).length, 0, `${code} still there after the fix:\n${text}\n${describeFindings(all, text)}`);
}

function assertClean(text: string, env?: Record<string, string>): void {
  const all = findings(text, env);
  assert.equal(all.length, 0, `expected no findings in:\n${text}\ngot:\n${describeFindings(all, text)}`);
}

describe('yaml-missing-space-after-colon', () => {
  const text = yaml('services:', '  web:', '    ports:', '      - "443:443"', '    labels:', '      aliyun.lb.port_443:tcp://x:443', '      aliyun.scale: "1"');
  test('error at the colon, plain message', () => {
    const f = one(text, 'yaml-missing-space-after-colon');
    assert.equal(f.severity, 'error');
    assertSpan(text, f.span, spanOf(text, 'aliyun.lb.port_443:', 0, ':'));
    assert.match(f.message, /space after ':'/);
    assert.match(f.message, /aliyun\.lb\.port_443: tcp:\/\/x:443/);
  });
  test('the only finding on that line (no second parser error, no label rule)', () => {
    const all = findings(text);
    assert.equal(all.length, 1, describeFindings(all, text));
  });
  test("the fix inserts ' ' after the colon; the file is then clean", () => {
    const f = one(text, 'yaml-missing-space-after-colon');
    assert.deepEqual(f.fixes![0].edits, [{ span: { start: f.span.end, end: f.span.end }, newText: ' ' }]);
    assertClean(applyFix(text, f));
  });
  test("also reported in the 'labels' syntax-error mode", () => {
    const a = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'labels' });
    assert.equal(a.findings.filter((f) => f.code === 'yaml-missing-space-after-colon').length, 1);
  });
  test('V1 file, quoted key', () => {
    const t = yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    "aliyun.lb.port_80":tcp://x:80');
    const f = one(t, 'yaml-missing-space-after-colon');
    const colon = t.indexOf('":') + 1;
    assertSpan(t, f.span, { start: colon, end: colon + 1 });
  });
  for (const file of ['05-multi-https-proxy-zh-missing-space.yml', '06-multi-https-proxy-en-missing-space.yml']) {
    test(`real world: ${file}`, () => {
      const t = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const f = one(t, 'yaml-missing-space-after-colon');
      assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_443:tcp', 0, ':'));
    });
  }
});

describe('lb-key-invalid-port', () => {
  const fixture = (key: string) => yaml('web:', '  labels:', `    ${key}: tcp://slb_a:80`);
  for (const [key, at] of [
    ['aliyun.lb.port_0', '0'],
    ['aliyun.lb.port_70000', '70000'],
    ['aliyun.lb.port_http', 'http'],
  ]) {
    test(key, () => {
      const t = fixture(key);
      const f = one(t, 'lb-key-invalid-port');
      assert.equal(f.severity, 'error');
      assertSpan(t, f.span, spanOf(t, key, 0, at));
    });
  }
  test('aliyun.lb.port_ with no port: the whole key', () => {
    const t = fixture('aliyun.lb.port_');
    const f = one(t, 'lb-key-invalid-port');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_'));
  });
  test('list form', () => {
    const t = yaml('web:', '  labels:', '    - aliyun.lb.port_0=tcp://slb_a:80');
    assertSpan(t, one(t, 'lb-key-invalid-port').span, spanOf(t, 'aliyun.lb.port_0', 0, '0'));
  });
});

describe('label-key-variable', () => {
  test('${PORT} in the key: error on the key', () => {
    const t = yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.port_${PORT}: tcp://slb_a:80');
    const f = one(t, 'label-key-variable');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_${PORT}'));
    assert.equal(findings(t, { PORT: '80' }).filter((x) => x.code === 'label-key-variable').length, 1, 'still an error when PORT is set: keys are not interpolated');
  });
  test('$PORT in list form', () => {
    const t = yaml('web:', '  labels:', '    - aliyun.lb.port_$PORT=tcp://slb_a:80');
    assertSpan(t, one(t, 'label-key-variable').span, spanOf(t, 'aliyun.lb.port_$PORT'));
  });
});

describe('lb-value-malformed', () => {
  const lb = (value: string, key = 'aliyun.lb.port_80') => yaml('web:', '  ports:', '    - "80:80"', '  labels:', `    ${key}: ${value}`);
  test("missing '://'", () => {
    const t = lb('tcp//slb_a:80');
    const f = one(t, 'lb-value-malformed');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'tcp//slb_a:80'));
  });
  test('quoted value: the span is inside the quotes', () => {
    const t = lb('"tcp//slb_a:80"');
    assertSpan(t, one(t, 'lb-value-malformed').span, spanOf(t, 'tcp//slb_a:80'));
  });
  test('missing front port: fix appends :<container port>', () => {
    const t = lb("'tcp://slb_a'");
    const f = one(t, 'lb-value-malformed');
    assertSpan(t, f.span, spanOf(t, 'tcp://slb_a'));
    const fixed = applyFix(t, f);
    assert.match(fixed, /'tcp:\/\/slb_a:80'/);
    assertClean(fixed);
  });
  test('spaces inside: fix removes them', () => {
    const t = lb('tcp://slb a:80');
    const f = one(t, 'lb-value-malformed');
    assertSpan(t, f.span, spanOf(t, 'tcp://slb a:80'));
    assertClean(applyFix(t, f));
  });
  test('empty value: the key', () => {
    const t = lb('');
    assertSpan(t, one(t, 'lb-value-malformed').span, spanOf(t, 'aliyun.lb.port_80'));
  });
  test('a collection value', () => {
    const t = lb('[tcp://slb_a:80]');
    assertSpan(t, one(t, 'lb-value-malformed').span, spanOf(t, '[tcp://slb_a:80]'));
  });
  test('empty entry between ;', () => {
    const t = lb('tcp://slb_a:80;;tcp://slb_b:81');
    const f = one(t, 'lb-value-malformed');
    assert.equal(f.span.start, f.span.end);
    assert.equal(f.span.start, t.indexOf(';;') + 1);
  });
  test('only the bad entry of several', () => {
    const t = lb('tcp://slb_a:80;tcp//slb_b:81');
    assertSpan(t, one(t, 'lb-value-malformed').span, spanOf(t, 'tcp//slb_b:81'));
  });
  test('a path after the front port is an error on the front port part', () => {
    const t = lb('http://slb_a:80/path');
    const errors = findings(t).filter((f) => f.severity === 'error');
    assert.equal(errors.length, 1, describeFindings(errors, t));
    assert.ok(['lb-value-malformed', 'lb-front-port-invalid'].includes(errors[0].code));
    assert.ok(slice(t, errors[0].span).includes('/path'));
  });
  test('list form value', () => {
    const t = yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    - "aliyun.lb.port_80=tcp//slb_a:80"');
    assertSpan(t, one(t, 'lb-value-malformed').span, spanOf(t, 'tcp//slb_a:80'));
  });
});

describe('lb-scheme-unknown', () => {
  const lb = (value: string) => yaml('web:', '  ports:', '    - "80:80"', '  labels:', `    aliyun.lb.port_80: ${value}`);
  test("TCP -> fix 'tcp'", () => {
    const t = lb('TCP://slb_a:80');
    const f = one(t, 'lb-scheme-unknown');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'TCP'));
    assert.equal(f.fixes![0].edits[0].newText, 'tcp');
    assertClean(applyFix(t, f));
  });
  test("tls -> fix 'tcp'", () => {
    const t = lb('tls://slb_a:80');
    const f = one(t, 'lb-scheme-unknown');
    assertSpan(t, f.span, spanOf(t, 'tls'));
    assertClean(applyFix(t, f));
  });
  test('ws: message points at routing labels', () => {
    const f = one(lb('ws://slb_a:80'), 'lb-scheme-unknown');
    assert.match(f.message, /routing/);
  });
  test('unknown scheme with no obvious replacement: no fix', () => {
    const f = one(lb('ftp://slb_a:80'), 'lb-scheme-unknown');
    assert.equal(f.fixes?.length ?? 0, 0);
  });
  test('in the second entry of a ; list', () => {
    const t = lb('tcp://slb_a:80;Http://slb_b:80');
    assertSpan(t, one(t, 'lb-scheme-unknown').span, spanOf(t, 'Http'));
  });
});

describe('lb-slb-invalid', () => {
  const lb = (value: string) => yaml('web:', '  ports:', '    - "80:80"', '  labels:', `    aliyun.lb.port_80: ${value}`);
  test('bad characters', () => {
    const t = lb('tcp://slb@a:80');
    const f = one(t, 'lb-slb-invalid');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'slb@a'));
  });
  test('too long (80 characters)', () => {
    const name = 's'.repeat(80);
    const t = lb(`tcp://${name}:80`);
    assertSpan(t, one(t, 'lb-slb-invalid').span, spanOf(t, name));
  });
  test('79 characters is fine', () => {
    assertClean(lb(`tcp://${'s'.repeat(79)}:80`));
  });
  test('missing: an empty span between :// and :', () => {
    const t = lb('tcp://:80');
    const f = one(t, 'lb-slb-invalid');
    const at = t.indexOf('://:') + 3;
    assert.deepEqual(f.span, { start: at, end: at });
  });
});

describe('lb-front-port-invalid', () => {
  const lb = (value: string) => yaml('web:', '  ports:', '    - "80:80"', '  labels:', `    aliyun.lb.port_80: ${value}`);
  for (const port of ['99999', '0', '65536', 'abc', '8o']) {
    test(port, () => {
      const t = lb(`tcp://slb_a:${port}`);
      const f = one(t, 'lb-front-port-invalid');
      assert.equal(f.severity, 'error');
      assertSpan(t, f.span, spanOf(t, `slb_a:${port}`, 0, port));
    });
  }
});

describe('lb-port-not-published', () => {
  test('other ports exist: fix adds a mapping at the same indentation', () => {
    const t = yaml('services:', '  web:', '    ports:', '      - "8080:8080"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_80'));
    assert.match(f.message, /80:80/);
    const fixed = applyFix(t, f);
    assert.equal(fixed, yaml('services:', '  web:', '    ports:', '      - "8080:8080"', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80'));
    assertClean(fixed);
  });
  test('no ports at all: fix inserts a ports block', () => {
    const t = yaml('services:', '  web:', '    image: nginx', '    labels:', '      aliyun.lb.port_80: http://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    const fixed = applyFix(t, f);
    assertClean(fixed);
    assert.equal(new ComposeAnalyzer().analyze(fixed).units.flatMap((u) => u.parsed.services)[0].ports[0].hostStart, 80);
  });
  test('V1, 4-space indentation, list items not indented under ports:', () => {
    const t = yaml('web:', '    ports:', '    - "8080:8080"', '    labels:', '        aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    const fixed = applyFix(t, f);
    assert.equal(fixed, yaml('web:', '    ports:', '    - "8080:8080"', '    - "80:80"', '    labels:', '        aliyun.lb.port_80: tcp://slb_a:80'));
    assertClean(fixed);
  });
  test('udp: the fix adds a /udp mapping', () => {
    const t = yaml('web:', '  ports:', '    - "8080:8080"', '  labels:', '    aliyun.lb.port_53: udp://slb_a:53');
    const f = one(t, 'lb-port-not-published');
    const fixed = applyFix(t, f);
    assert.match(fixed, /- "53:53\/udp"/);
    assertClean(fixed);
  });
  test('CRLF file: the fix keeps CRLF line endings', () => {
    const t = yaml('web:', '  ports:', '    - "8080:8080"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80').replace(/\n/g, '\r\n');
    const fixed = applyFix(t, one(t, 'lb-port-not-published'));
    assert.equal(/[^\r]\n/.test(fixed), false, JSON.stringify(fixed));
    assertClean(fixed);
  });
  test('only exposed: related location is the expose entry', () => {
    const t = yaml('web:', '  expose:', '    - "80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    assert.match(f.message, /expose/);
    assert.equal(f.related?.length, 1);
    assertSpan(t, f.related![0].span, spanOf(t, '"80"'));
  });
  test('deploy.labels in V3', () => {
    const t = yaml('version: "3"', 'services:', '  web:', '    ports:', '      - "8080:8080"', '    deploy:', '      labels:', '        aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_80'));
    assertClean(applyFix(t, f));
  });
  test('list form', () => {
    const t = yaml('web:', '  ports:', '    - "8080:8080"', '  labels:', '    - aliyun.lb.port_80=tcp://slb_a:80');
    const f = one(t, 'lb-port-not-published');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_80'));
    assertClean(applyFix(t, f));
  });
});

describe('lb-port-random-host', () => {
  test('"80": related mapping, fix publishes 80:80', () => {
    const t = yaml('web:', '  ports:', '    - "80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-random-host');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_80'));
    assertSpan(t, f.related![0].span, spanOf(t, '"80"'));
    assertClean(applyFix(t, f));
  });
  test('number 80', () => {
    const t = yaml('web:', '  ports:', '    - 80', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-random-host');
    assertClean(applyFix(t, f));
  });
  test('"80/udp" with udp://', () => {
    const t = yaml('web:', '  ports:', '    - "53/udp"', '  labels:', '    aliyun.lb.port_53: udp://slb_a:53');
    const f = one(t, 'lb-port-random-host');
    assertClean(applyFix(t, f));
  });
  test('127.0.0.1::80 (ip, empty host port)', () => {
    const t = yaml('web:', '  ports:', '    - "127.0.0.1::80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80');
    assert.equal(withCode(t, 'lb-port-random-host').length, 1);
  });
  test('long form without published', () => {
    const t = yaml('services:', '  web:', '    ports:', '      - target: 80', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-random-host');
    assert.ok(slice(t, f.related![0].span).startsWith('target: 80'));
  });
});

describe('lb-port-range-one-sided', () => {
  test('"8000-8010:80": warning, related mapping', () => {
    const t = yaml('web:', '  ports:', '    - "8000-8010:80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80');
    const f = one(t, 'lb-port-range-one-sided');
    assert.equal(f.severity, 'warning');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_80'));
    assertSpan(t, f.related![0].span, spanOf(t, '"8000-8010:80"'));
  });
  test('ranges on both sides map 1:1 by offset', () => {
    const t = yaml('web:', '  ports:', '    - "9000-9010:8000-8010"', '  labels:', '    aliyun.lb.port_8003: tcp://slb_a:80');
    const a = analyze(t);
    assert.equal(a.findings.length, 0, describeFindings(a.findings, t));
    assert.equal(a.bindings[0].hostPort, 9003);
  });
});

describe('lb-port-loopback-only', () => {
  for (const mapping of ['127.0.0.1:6379:6379', '[::1]:6379:6379']) {
    test(mapping, () => {
      const t = yaml('web:', '  ports:', `    - "${mapping}"`, '  labels:', '    aliyun.lb.port_6379: tcp://slb_a:6379');
      const f = one(t, 'lb-port-loopback-only');
      assert.equal(f.severity, 'error');
      assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_6379'));
      assertSpan(t, f.related![0].span, spanOf(t, `"${mapping}"`));
      const fixed = applyFix(t, f);
      assert.match(fixed, /- "6379:6379"/);
      assertClean(fixed);
    });
  }
  test('long form host_ip', () => {
    const t = yaml('services:', '  web:', '    ports:', '      - target: 80', '        published: 80', '        host_ip: 127.0.0.1', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    one(t, 'lb-port-loopback-only');
  });
  test('0.0.0.0 and a node address are fine', () => {
    assertClean(yaml('web:', '  ports:', '    - "0.0.0.0:80:80"', '    - "10.0.0.5:81:81"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80', '    aliyun.lb.port_81: tcp://slb_a:81'));
  });
});

describe('lb-protocol-mismatch', () => {
  const udpOnTcp = yaml('web:', '  ports:', '    - "53:53"', '  labels:', '    aliyun.lb.port_53: udp://slb_a:53');
  const tcpOnUdp = yaml('web:', '  ports:', '    - "7000:7000/udp"', '  labels:', '    aliyun.lb.port_7000: tcp://slb_a:7000');
  test('udp:// on a tcp mapping: error on the scheme, related mapping', () => {
    const f = one(udpOnTcp, 'lb-protocol-mismatch');
    assert.equal(f.severity, 'error');
    assertSpan(udpOnTcp, f.span, spanOf(udpOnTcp, 'udp://', 0, 'udp'));
    assertSpan(udpOnTcp, f.related![0].span, spanOf(udpOnTcp, '"53:53"'));
    assert.equal(f.fixes?.length, 2);
  });
  for (const [name, text] of [
    ['udp on tcp', udpOnTcp],
    ['tcp on udp', tcpOnUdp],
  ]) {
    test(`${name}: both fixes, applied, make it go away`, () => {
      const f = one(text, 'lb-protocol-mismatch');
      for (let i = 0; i < 2; i++) assertClean(applyFix(text, f, i));
    });
  }
  test('http:// on a /udp mapping', () => {
    const t = yaml('web:', '  ports:', '    - "80:80/udp"', '  labels:', '    aliyun.lb.port_80: http://slb_a:80');
    assertSpan(t, one(t, 'lb-protocol-mismatch').span, spanOf(t, 'http'));
  });
  test('long form protocol: udp with tcp://', () => {
    const t = yaml('services:', '  web:', '    ports:', '      - target: 53', '        published: 53', '        protocol: udp', '    labels:', '      aliyun.lb.port_53: tcp://slb_a:53');
    one(t, 'lb-protocol-mismatch');
  });
  test('published as both tcp and udp: no mismatch either way', () => {
    assertClean(yaml('web:', '  ports:', '    - "53:53"', '    - "53:53/udp"', '  labels:', '    aliyun.lb.port_53: udp://slb_a:53'));
  });
});

describe('lb-front-port-conflict', () => {
  test('same SLB and front port twice in one service', () => {
    const t = yaml('web:', '  ports:', '    - "80:80"', '    - "81:81"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80', '    aliyun.lb.port_81: http://slb_a:80');
    const f = one(t, 'lb-front-port-conflict');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'http://slb_a:80', 0, '80'));
    assert.equal(f.related?.length, 1);
    assertSpan(t, f.related![0].span, spanOf(t, 'tcp://slb_a:80', 0, '80'));
  });
  test('across services (also one shared SLB)', () => {
    const t = yaml('services:', '  a:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80', '  b:', '    ports:', '      - "81:81"', '    labels:', '      aliyun.lb.port_81: tcp://slb_a:80');
    const f = one(t, 'lb-front-port-conflict');
    assertSpan(t, f.span, spanOf(t, 'tcp://slb_a:80', 1, '80'));
    assertSpan(t, f.related![0].span, spanOf(t, 'tcp://slb_a:80', 0, '80'));
    assert.match(f.message, /'a'/);
  });
  test('across YAML documents of one file', () => {
    const t = yaml('a:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80', '---', 'b:', '  ports:', '    - "81:81"', '  labels:', '    aliyun.lb.port_81: tcp://slb_a:80');
    assertSpan(t, one(t, 'lb-front-port-conflict').span, spanOf(t, 'tcp://slb_a:80', 1, '80'));
  });
  test('duplicate binding inside one value is lb-binding-duplicate, not a conflict', () => {
    const t = yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.port_80: tcp://slb_a:80;tcp://slb_a:80');
    const f = one(t, 'lb-binding-duplicate');
    assert.equal(f.severity, 'warning');
    assertSpan(t, f.span, spanOf(t, 'tcp://slb_a:80', 1));
    assertSpan(t, f.related![0].span, spanOf(t, 'tcp://slb_a:80', 0));
    assert.equal(withCode(t, 'lb-front-port-conflict').length, 0);
  });
});

describe('lb-slb-shared', () => {
  test('two services on one SLB: error on the second SLB, related first', () => {
    const t = yaml('services:', '  a:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80', '  b:', '    ports:', '      - "81:81"', '    labels:', '      aliyun.lb.port_81: tcp://slb_a:81');
    const f = one(t, 'lb-slb-shared');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'slb_a', 1));
    assertSpan(t, f.related![0].span, spanOf(t, 'slb_a', 0));
    assert.match(f.message, /'a'/);
  });
  test('an edit in one service updates the cross-service result (cached analyzer)', () => {
    const analyzer = new ComposeAnalyzer();
    const t = yaml('services:', '  a:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80', '  b:', '    ports:', '      - "81:81"', '    labels:', '      aliyun.lb.port_81: tcp://slb_b:81');
    assert.equal(analyzer.analyze(t).findings.length, 0);
    const t2 = t.replace('slb_b', 'slb_a');
    assert.equal(analyzer.analyze(t2).findings.filter((f) => f.code === 'lb-slb-shared').length, 1);
    assert.equal(analyzer.analyze(t).findings.length, 0);
  });
});

describe('host-port-shared', () => {
  test('warning on the second mapping, related first', () => {
    const t = yaml('services:', '  a:', '    ports:', '      - "80:80"', '  b:', '    ports:', '      - "80:8080"');
    const f = one(t, 'host-port-shared');
    assert.equal(f.severity, 'warning');
    assertSpan(t, f.span, spanOf(t, '"80:8080"'));
    assertSpan(t, f.related![0].span, spanOf(t, '"80:80"'));
  });
  test('tcp and udp on the same number do not clash', () => {
    assertClean(yaml('services:', '  a:', '    ports:', '      - "53:53"', '  b:', '    ports:', '      - "53:53/udp"'));
  });
});

describe('label-value-not-string', () => {
  for (const [key, value] of [
    ['aliyun.scale', '3'],
    ['aliyun.latest_image', 'true'],
    ['aliyun.routing.session_sticky', 'false'],
  ]) {
    test(`${key}: ${value} -> fix quotes it`, () => {
      const t = yaml('web:', '  labels:', `    ${key}: ${value}`);
      const f = one(t, 'label-value-not-string');
      assert.equal(f.severity, 'warning');
      assertSpan(t, f.span, spanOf(t, `${key}: ${value}`, 0, value));
      const fixed = applyFix(t, f);
      assert.match(fixed, new RegExp(`${key.replace(/\./g, '\\.')}: "${value}"`));
      assertClean(fixed);
    });
  }
  test('list form values are strings already', () => {
    assertClean(yaml('web:', '  labels:', '    - aliyun.scale=3'));
  });
  test('non-aliyun labels are not our business', () => {
    assertClean(yaml('web:', '  labels:', '    com.example.n: 3'));
  });
});

describe('aliyun-label-unknown', () => {
  for (const [typo, suggestion] of [
    ['aliyun.lb.ports_80', 'aliyun.lb.port_80'],
    ['aliyun.lb_port_80', 'aliyun.lb.port_80'],
    ['aliyun.rolling_update', 'aliyun.rolling_updates'],
    ['aliyun.routing_port_80', 'aliyun.routing.port_80'],
  ]) {
    test(`${typo} -> did you mean ${suggestion}`, () => {
      const t = yaml('web:', '  ports:', '    - "80:80"', '  labels:', `    ${typo}: "tcp://slb_a:80"`);
      const f = one(t, 'aliyun-label-unknown');
      assert.equal(f.severity, 'warning');
      assertSpan(t, f.span, spanOf(t, typo));
      assert.ok(f.message.includes(`'${suggestion}'`), f.message);
      assert.equal(f.fixes?.[0].edits[0].newText, suggestion);
      assertGone(applyFix(t, f), 'aliyun-label-unknown');
    });
  }
  test('no suggestion for something unrelated', () => {
    const t = yaml('web:', '  labels:', '    aliyun.zzzzzzzzzzzz: "x"');
    const f = one(t, 'aliyun-label-unknown');
    assert.equal(f.fixes?.length ?? 0, 0);
  });
  test('known prefix labels are not unknown', () => {
    assertClean(yaml('web:', '  labels:', '    aliyun.log_store_app: stdout', '    aliyun.log_ttl_app: "30"', '    aliyun.proxy.VIRTUAL_HOST: "a.example.com"', '    aliyun.auto_scaling.max_cpu: "70"', '    aliyun.routing.port_80: web'));
  });
});

describe('label-list-item-mapping', () => {
  test('- key: value in a list: error on the item, fix rewrites it as one string', () => {
    const t = yaml('web:', '  ports:', '    - "81:81"', '  labels:', '    - aliyun.scale=1', '    - aliyun.lb.port_81: tcp://slb_a:81');
    const f = one(t, 'label-list-item-mapping');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_81: tcp://slb_a:81'));
    const fixed = applyFix(t, f);
    assert.match(fixed, /- "aliyun\.lb\.port_81=tcp:\/\/slb_a:81"/);
    assertClean(fixed);
  });
});

describe('label-list-missing-equals', () => {
  test("- key:value (no =): error on the item, fix replaces the first ':' with '='", () => {
    const t = yaml('web:', '  ports:', '    - "82:82"', '  labels:', '    - aliyun.lb.port_82:tcp://slb_a:82');
    const f = one(t, 'label-list-missing-equals');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.lb.port_82:tcp://slb_a:82'));
    const fixed = applyFix(t, f);
    assert.match(fixed, /- aliyun\.lb\.port_82=tcp:\/\/slb_a:82/);
    assertClean(fixed);
  });
  test('not a YAML missing-space error in list form (it is one valid string)', () => {
    const t = yaml('web:', '  labels:', '    - aliyun.lb.port_82:tcp://slb_a:82');
    assert.equal(withCode(t, 'yaml-missing-space-after-colon').length, 0);
  });
});

describe('label-duplicate', () => {
  test('error on the second key, related first', () => {
    const t = yaml('web:', '  labels:', '    aliyun.scale: "1"', '    aliyun.scale: "2"');
    const f = one(t, 'label-duplicate');
    assert.equal(f.severity, 'error');
    assertSpan(t, f.span, spanOf(t, 'aliyun.scale', 1));
    assertSpan(t, f.related![0].span, spanOf(t, 'aliyun.scale', 0));
  });
});

describe('YAML syntax errors in plain words', () => {
  describe('yaml-bad-indent', () => {
    test('yaml-bad-indent: one extra space before a label (corpus 22)', () => {
      const t = yaml('services:', '  web:', '    labels:', '      aliyun.scale: "1"', '       aliyun.probe.url: tcp://container:80');
      const f = one(t, 'yaml-bad-indent');
      assert.equal(f.severity, 'error');
      const lineStart = t.indexOf('       aliyun.probe.url');
      assert.equal(f.span.start, lineStart);
      assert.ok(f.span.end > lineStart && f.span.end <= t.indexOf('aliyun.probe.url'));
    });
  });
  describe('yaml-tab-indent', () => {
    test('yaml-tab-indent: fix replaces tabs with spaces', () => {
      const t = yaml('web:', '  labels:', '\t  aliyun.scale: "1"');
      const f = one(t, 'yaml-tab-indent');
      assert.equal(f.span.start, t.indexOf('\t'));
      assert.ok(f.fixes?.length);
      assert.equal(applyFix(t, f).includes('\t'), false);
    });
  });
  describe('yaml-unexpected', () => {
    test('yaml-unexpected: markdown link in a value (corpus 23)', () => {
      const t = yaml('web:', '  labels:', '    aliyun.probe.url: [http://container/license.txt](http://container/license.txt)');
      const f = one(t, 'yaml-unexpected');
      assertSpan(t, f.span, spanOf(t, '(http://container/license.txt)'));
    });
  });
  describe('yaml-directive', () => {
    test("yaml-directive: a '%s:' template line (corpus 24): span on the '%' line", () => {
      const t = yaml('%s:', '  image: x');
      const f = one(t, 'yaml-directive');
      assert.equal(f.span.start, 0);
      assert.ok(slice(t, f.span).startsWith('%'), JSON.stringify(slice(t, f.span)));
    });
  });
  describe('yaml-duplicate-key', () => {
    test('yaml-duplicate-key: a service defined twice, on the second name', () => {
      const t = yaml('services:', '  web:', '    image: x', '  web:', '    image: y');
      const f = one(t, 'yaml-duplicate-key');
      assertSpan(t, f.span, spanOf(t, 'web', 1));
    });
  });
  describe('yaml-bad-scalar', () => {
    test('yaml-bad-scalar: a value starting with @', () => {
      const t = yaml('web:', '  labels:', '    aliyun.depends: @db');
      const f = one(t, 'yaml-bad-scalar');
      assertSpan(t, f.span, spanOf(t, '@'));
    });
  });
  describe('yaml-missing-colon', () => {
    test('yaml-missing-colon: a label line without a colon gives only the syntax error', () => {
      const t = yaml('web:', '  labels:', '    aliyun.scale "1"', '    aliyun.gpu: "1"');
      const all = findings(t);
      assert.deepEqual(all.map((f) => f.code), ['yaml-missing-colon'], describeFindings(all, t));
    });
  });
  test('an unterminated quote: a non-empty span on the line of the opening quote', () => {
    const t = yaml('web:', '  labels:', '    aliyun.scale: "1', '    aliyun.gpu: "1"');
    const all = findings(t).filter((f) => f.code.startsWith('yaml-'));
    assert.ok(all.length >= 1);
    const f = all[0];
    assert.ok(f.span.end > f.span.start, 'non-empty span');
    const line = t.indexOf('    aliyun.scale: "1');
    assert.ok(f.span.start >= line && f.span.start <= t.indexOf('\n', line), `span at ${f.span.start}`);
    assert.doesNotMatch(f.message, /add ':'/);
  });
  test("'off' mode hides parser errors that are not on label lines", () => {
    const t = yaml('web:', '  image: [x', 'db:', '  image: y');
    const a = new ComposeAnalyzer().analyze(t, { yamlSyntaxErrors: 'off' });
    assert.equal(a.findings.filter((f) => f.code.startsWith('yaml-')).length, 0);
    assert.ok(findings(t).some((f) => f.code.startsWith('yaml-')));
  });
});

describe('no false positives', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.startsWith('valid-') && f.endsWith('.yml')).sort();
  test('fixtures present', () => assert.ok(files.length >= 5, FIXTURES));
  for (const file of files) {
    test(file, () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      assertClean(text);
      // Every lb label in these files yields a binding (nothing silently dropped).
      const a = analyze(text);
      const lbLabels = (text.match(/aliyun\.lb\.port_\d+/g) ?? []).length;
      const entries = a.bindings.length;
      if (!text.includes('$')) assert.ok(entries >= lbLabels, `${entries} bindings for ${lbLabels} lb labels`);
    });
  }
  test('${SLB_ID} in the SLB position, quoted, with a trailing comment (corpus 01 style)', () => {
    assertClean(yaml('services:', '  logstash:', '    ports:', '      - 5044:5044', '    labels:', "      aliyun.lb.port_5044: 'tcp://${SLB_ID}:5044' #先创建slb"));
  });
  test('the same text with CRLF and a BOM', () => {
    const plain = fs.readFileSync(path.join(FIXTURES, 'valid-map.yml'), 'utf8');
    const text = '\ufeff' + plain.replace(/\n/g, '\r\n');
    assertClean(text);
    // Not vacuously clean: the same bindings are found.
    assert.equal(analyze(text).bindings.length, analyze(plain).bindings.length);
  });
});

describe('real-world corpus: the documented mistakes are found', () => {
  const cases: [string, string][] = [
    ['12-gitlab-lb22-random-host-ports.yml', ''],
    ['14-iqing-moon-unquoted-bool.yml', 'label-value-not-string'],
    ['22-restserver-probe-misindented.yml', 'yaml-bad-indent'],
    ['23-wordpress-markdown-link-mangled.yml', 'yaml-unexpected'],
    ['28-phpmyadmin-wordpress-unquoted-scale.yml', 'label-value-not-string'],
  ];
  for (const [file, code] of cases) {
    test(`${file}${code ? ` -> ${code}` : ' -> no lb error'}`, () => {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const all = findings(text);
      if (code) assert.ok(all.some((f) => f.code === code), describeFindings(all, text));
      else assert.equal(all.filter((f) => f.code.startsWith('lb-')).length, 0, describeFindings(all, text));
    });
  }
  test('36 (lb doc, four schemes, name and ID, https front port 80): no errors', () => {
    const text = fs.readFileSync(path.join(CORPUS, '36-lb-doc-v1v2-four-schemes.yml'), 'utf8');
    const errors = findings(text).filter((f) => f.severity === 'error');
    assert.equal(errors.length, 0, describeFindings(errors, text));
  });
});

describe('labels that come through an alias or a merge key', () => {
  test('a bad scheme in an aliased labels map is reported (at the anchor)', () => {
    const t = yaml('x-labels: &labels', '  aliyun.lb.port_80: TCP://slb_a:80', 'services:', '  web:', '    ports:', '      - "80:80"', '    labels: *labels');
    const f = one(t, 'lb-scheme-unknown');
    assertSpan(t, f.span, spanOf(t, 'TCP'));
  });
  test('two services sharing one SLB through the same anchor; one of them does not publish the port', () => {
    const t = yaml('x-labels: &labels', '  aliyun.lb.port_80: tcp://slb_a:80', 'services:', '  web:', '    ports:', '      - "8080:8080"', '    labels: *labels', '  api:', '    ports:', '      - "80:80"', '    labels: *labels');
    const all = findings(t);
    assert.ok(all.some((f) => f.code === 'lb-port-not-published'), describeFindings(all, t));
    assert.ok(all.some((f) => f.code === 'lb-slb-shared'), describeFindings(all, t));
  });
});

describe('BOM', () => {
  test('V1 file with a BOM: the first service is still checked', () => {
    const t = '\ufeff' + yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.port_80: TCP://slb_a:80');
    assertSpan(t, one(t, 'lb-scheme-unknown').span, spanOf(t, 'TCP'));
  });
  test('V2 file with a BOM', () => {
    const t = '\ufeff' + yaml('services:', '  web:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: TCP://slb_a:80');
    assertSpan(t, one(t, 'lb-scheme-unknown').span, spanOf(t, 'TCP'));
  });
});
