// Defects found by an independent audit of the rules against the label reference (aliyun-labels.md)
// and fixed: two false positives, variables in long-form ports, list-form duplicates, spaces in
// keys, values YAML misreads (§1.3), inherited labels naming the right service, clearer messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Finding } from '../../server/src/engine/rules/types';
import { applyEdits, describeFindings, findings, slice, spanOf, yaml } from './helpers';

function codes(text: string, env?: Record<string, string>): string[] {
  return findings(text, env).map((f) => f.code);
}

function only(text: string, code: string, env?: Record<string, string>): Finding {
  const all = findings(text, env);
  assert.deepEqual(all.map((f) => f.code), [code], describeFindings(all, text));
  return all[0];
}

function fixed(text: string, f: Finding, index = 0): string {
  assert.ok(f.fixes && f.fixes.length > index, `${f.code} has no fix #${index}`);
  return applyEdits(text, f.fixes![index].edits);
}

const web = (...lines: string[]) => yaml('services:', '  web:', ...lines);

describe('no false positives', () => {
  test('a label-like line inside a block scalar is script text, not a label', () => {
    const text = web('    image: x', '    command: |', '      echo start', '      aliyun.lb.port_80:tcp://x:80', '    labels:', '      aliyun.scale: "1"');
    assert.deepEqual(codes(text), []);
  });
  test('also under a folded scalar with indicators and deeper indentation', () => {
    const text = web('    command: >-', '      one', '        aliyun.logs:/var/log', '    labels:', '      aliyun.scale: "1"');
    assert.deepEqual(codes(text), []);
  });
  test("spaces inside ${VAR:?message} are the variable's own text", () => {
    const text = web('    ports: ["86:86"]', '    labels:', '      aliyun.lb.port_86: tcp://${NOPE:?set it first}:86');
    assert.deepEqual(codes(text), []);
  });
  test('an alias of an anchor that exists is deliberate YAML', () => {
    const text = yaml('services:', '  web:', '    ports: ["80:80"]', '    environment:', '      SLB: &slb tcp://slb_web:80', '    labels:', '      aliyun.lb.port_80: *slb');
    assert.deepEqual(codes(text), []);
  });
  test('!!str is a standard tag', () => {
    assert.deepEqual(codes(web('    labels:', '      aliyun.scale: !!str 2')), []);
  });
});

describe('variables in long-form ports come from .env', () => {
  const text = web(
    '    ports:',
    '      - target: 82',
    '        published: ${HP}',
    '        protocol: udp',
    '    labels:',
    '      aliyun.lb.port_82: tcp://slb_web:82',
    '      aliyun.lb.port_9999: tcp://slb_web:9999',
  );
  test('with HP set, the protocol mismatch and the unpublished port are found', () => {
    const all = findings(text, { HP: '7000' });
    assert.deepEqual(all.map((f) => f.code), ['lb-protocol-mismatch', 'lb-port-not-published'], describeFindings(all, text));
    assert.match(all[0].message, /publish it as 'protocol: tcp'/);
  });
  test('with HP unset nothing is guessed', () => {
    assert.deepEqual(codes(text), []);
  });
});

test('the "add mapping" fix after a long-form port is a new item at the dash column', () => {
  const text = web('    ports:', '      - target: 80', '        published: 80', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80', '      aliyun.lb.port_81: tcp://slb_web:81');
  const f = only(text, 'lb-port-not-published');
  const after = fixed(text, f);
  assert.match(after, /\n {8}published: 80\n {6}- "81:81"\n {4}labels:/, after);
  assert.deepEqual(codes(after), []);
});

describe('loopback messages', () => {
  test('long form: remove host_ip', () => {
    const text = web('    ports:', '      - target: 55', '        published: 55', '        host_ip: 127.0.0.1', '    labels:', '      aliyun.lb.port_55: tcp://slb_web:55');
    const f = only(text, 'lb-port-loopback-only');
    assert.match(f.message, /Remove 'host_ip: 127\.0\.0\.1'/);
    assert.equal(f.fixes, undefined);
  });
  test('unbracketed IPv6 loopback: the fix drops exactly "::1:"', () => {
    const text = web('    ports: ["::1:85:85"]', '    labels:', '      aliyun.lb.port_85: tcp://slb_web:85');
    const f = only(text, 'lb-port-loopback-only');
    assert.match(f.message, /\('85:85'\)/);
    assert.deepEqual(codes(fixed(text, f)), []);
  });
  test('bracketed IPv6 loopback', () => {
    const text = web('    ports: ["[::1]:85:85"]', '    labels:', '      aliyun.lb.port_85: tcp://slb_web:85');
    assert.deepEqual(codes(fixed(text, only(text, 'lb-port-loopback-only'))), []);
  });
});

test('list form: the same key twice is a duplicate (S7)', () => {
  const text = web('    ports: ["80:80"]', '    labels:', '      - aliyun.lb.port_80=tcp://slb_a:80', '      - aliyun.lb.port_80=tcp://slb_a:81');
  const f = findings(text).find((x) => x.code === 'label-duplicate');
  assert.ok(f, describeFindings(findings(text), text));
  assert.equal(slice(text, f.span), 'aliyun.lb.port_80');
  assert.equal(f.span.start, text.lastIndexOf('aliyun.lb.port_80'));
  assert.equal(f.related?.[0].span.start, text.indexOf('aliyun.lb.port_80'));
});

describe('spaces in label keys (S1)', () => {
  test("list form 'key = value': the fix writes key=value", () => {
    const text = web('    ports: ["80:80"]', '    labels:', '      - aliyun.lb.port_80 = tcp://slb_web:80');
    const f = only(text, 'label-key-whitespace');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /no spaces around '='/);
    const after = fixed(text, f);
    assert.match(after, /- aliyun\.lb\.port_80=tcp:\/\/slb_web:80\n/);
    assert.deepEqual(codes(after), []);
  });
  test('a quoted map key with a space', () => {
    const text = web('    ports: ["80:80"]', '    labels:', '      "aliyun.lb.port_ 80": tcp://slb_web:80');
    const f = only(text, 'label-key-whitespace');
    assert.deepEqual(codes(fixed(text, f)), []);
  });
});

describe('values YAML misreads (reference §1.3)', () => {
  test("'*' with no such anchor: one error at the value, the quote fix makes it a string", () => {
    const text = web('    ports: ["80:80"]', '    labels:', '      aliyun.routing.port_80: *.example.com');
    const f = only(text, 'yaml-label-value-needs-quotes');
    assert.equal(slice(text, f.span), '*.example.com');
    assert.match(f.message, /alias/);
    const after = fixed(text, f);
    assert.match(after, /aliyun\.routing\.port_80: "\*\.example\.com"/);
    assert.deepEqual(codes(after), []);
  });
  test("on an lb label the misread value gets no second, misleading finding ('binding is empty')", () => {
    const text = web('    ports: ["80:80"]', '    labels:', '      aliyun.lb.port_80: *slb');
    only(text, 'yaml-label-value-needs-quotes');
  });
  test('an unclosed flow collection: one error on the label line, not a bad-indent on the next', () => {
    const text = web('    labels:', '      aliyun.routing.port_80: [foo.example.com', '      aliyun.scale: "1"');
    const f = only(text, 'yaml-label-value-needs-quotes');
    assert.equal(slice(text, f.span), '[foo.example.com');
    assert.deepEqual(codes(fixed(text, f)), []);
  });
  test("an unknown tag and a leading '%'", () => {
    for (const value of ['!x value', '%d']) {
      const text = web('    labels:', `      aliyun.depends: ${value}`);
      const f = only(text, 'yaml-label-value-needs-quotes');
      assert.equal(slice(text, f.span), value);
      assert.deepEqual(codes(fixed(text, f)), [], value);
    }
  });
  test('a trailing comment stays outside the quotes', () => {
    const text = web('    labels:', '      aliyun.depends: %s # filled in later');
    const f = only(text, 'yaml-label-value-needs-quotes');
    assert.match(fixed(text, f), /aliyun\.depends: "%s" # filled in later/);
  });
});

test("no space after ':' before a path is also a missing space (aliyun.logs:/var/log)", () => {
  const text = web('    labels:', '      aliyun.logs:/var/log', '      aliyun.scale: "1"');
  const f = only(text, 'yaml-missing-space-after-colon');
  assert.match(f.message, /Write 'aliyun\.logs: \/var\/log'/);
  assert.deepEqual(codes(fixed(text, f)), []);
});

describe('labels inherited through an alias name the service that inherits them', () => {
  const text = yaml(
    'services:',
    '  b:',
    '    ports: ["81:81"]',
    '    labels: &bl',
    '      aliyun.lb.port_81: tcp://slb_b:81',
    '  c:',
    '    ports: ["82:81"]',
    '    labels: *bl',
  );
  test('lb-slb-shared names both services and points at the inheriting one', () => {
    const f = findings(text).find((x) => x.code === 'lb-slb-shared')!;
    assert.ok(f, describeFindings(findings(text), text));
    assert.match(f.message, /used by service 'b' and, through an alias or '<<' merge, by service 'c'/);
    assert.ok(f.related?.some((r) => slice(text, r.span) === 'c'), JSON.stringify(f.related));
  });
  test('lb-front-port-conflict too', () => {
    const f = findings(text).find((x) => x.code === 'lb-front-port-conflict')!;
    assert.match(f.message, /bound by service 'b' and, through an alias or '<<' merge, by service 'c'/);
  });
});

describe('clearer messages', () => {
  const lb = (value: string, ports = '["95:95"]') => web(`    ports: ${ports}`, '    labels:', `      aliyun.lb.port_95: ${value}`);
  test('missing scheme: at the ://, says what to write', () => {
    const text = lb('://s:95');
    const f = only(text, 'lb-value-malformed');
    assert.equal(slice(text, f.span), '://');
    assert.match(f.message, /scheme is missing/);
  });
  test('missing front port after the colon (quoted value): a fix that adds the port', () => {
    const text = lb('"tcp://s:"');
    const f = only(text, 'lb-value-malformed');
    assert.ok(f.span.end > f.span.start);
    assert.match(f.message, /front port is missing/);
    assert.deepEqual(codes(fixed(text, f)), []);
  });
  test("unquoted, a value ending with ':' is a YAML key: one error that says so, at the value", () => {
    const text = lb('tcp://s:');
    const f = only(text, 'yaml-label-value-needs-quotes');
    assert.equal(slice(text, f.span), 'tcp://s:');
    assert.match(f.message, /cannot end with ':'/);
  });
  test("an unclosed '${' says so (no fix that would make it worse)", () => {
    const text = lb('tcp://${BROKEN:95');
    const f = only(text, 'lb-value-malformed');
    assert.match(f.message, /never closed/);
    assert.equal(f.fixes, undefined);
  });
  test('udp label on "5300:53": the message suggests the same mapping with /udp', () => {
    const text = web('    ports: ["5300:53"]', '    labels:', '      aliyun.lb.port_53: udp://slb_dns:53');
    const f = only(text, 'lb-protocol-mismatch');
    assert.match(f.message, /publish it as '5300:53\/udp'/);
  });
  test('tcp label on an sctp port: no advice to switch to udp', () => {
    const text = web('    ports: ["86:86/sctp"]', '    labels:', '      aliyun.lb.port_86: tcp://slb_web:86');
    const f = only(text, 'lb-protocol-mismatch');
    assert.doesNotMatch(f.message, /udp/);
    assert.equal(f.fixes?.length, 1);
  });
  test('an unreadable port mapping is named, and the label is not called unpublished', () => {
    const text = web('    ports: ["abc:81"]', '    labels:', '      aliyun.lb.port_81: tcp://slb_web:81');
    const f = only(text, 'port-invalid');
    assert.equal(slice(text, f.span), '"abc:81"');
    assert.match(f.message, /host port 'abc'/);
  });
});

test('a block scalar with a label-like line is still parsed for real labels after it', () => {
  // The guard must not hide a real mistake in the labels block that follows.
  const text = web('    command: |', '      aliyun.lb.port_80:tcp://x:80', '    ports: ["443:443"]', '    labels:', '      aliyun.lb.port_443:tcp://x:443');
  const all = findings(text);
  assert.deepEqual(all.map((f) => f.code), ['yaml-missing-space-after-colon'], describeFindings(all, text));
  assert.equal(all[0].span.start, spanOf(text, 'aliyun.lb.port_443:', 0, ':').start);
});

describe('YAML 1.1 readings (docker-compose 1.x, which Container Service used)', () => {
  test("unquoted '2222:22' is a base-60 number there: a warning with a quote fix", () => {
    const text = web('    ports:', '      - 2222:22', '    labels:', '      aliyun.lb.port_22: tcp://slb_ssh:22');
    const f = only(text, 'port-sexagesimal');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /base-60 number 133342/);
    assert.deepEqual(codes(fixed(text, f)), []);
  });
  test("'8080:80' is not base 60 (80 > 59), and a quoted '2222:22' is fine", () => {
    assert.deepEqual(codes(web('    ports:', '      - 8080:80', '      - "2222:22"', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80')), []);
  });
  test("'yes' is a boolean there: the non-string warning applies", () => {
    const text = web('    labels:', '      aliyun.global: yes');
    const f = only(text, 'label-value-not-string');
    assert.match(f.message, /'yes' is a boolean/);
  });
});

describe('did-you-mean for more misspellings', () => {
  for (const [typo, meant] of [['aliyun.lb.port80', 'aliyun.lb.port_80'], ['aliyun.auto_scaling.max_cpus', 'aliyun.auto_scaling.max_cpu']]) {
    test(`${typo} -> ${meant}`, () => {
      const text = web('    labels:', `      ${typo}: "1"`);
      const f = only(text, 'aliyun-label-unknown');
      assert.match(f.message, new RegExp(`Did you mean '${meant.replace(/\./g, '\\.')}'`));
    });
  }
});

test('a finding that relies on a ${VAR:-default} says the default was assumed (reference §1.4)', () => {
  const text = yaml('services:', '  a:', '    ports: ["80:80"]', '    labels:', '      aliyun.lb.port_80: tcp://${SLB:-slb_x}:80', '  b:', '    ports: ["81:81"]', '    labels:', '      aliyun.lb.port_81: tcp://slb_x:81');
  const f = only(text, 'lb-slb-shared');
  assert.match(f.message, /assuming the default of \$\{SLB\}: 'slb_x'/);
  assert.deepEqual(codes(text, { SLB: 'slb_a' }), [], 'with SLB set in .env there is no conflict');
});

describe('second audit: regressions and gaps found in the fixes above', () => {
  test('a label-like line in a multi-line quoted string is not judged as a label', () => {
    const text = web('    command: "sh -c \'echo', '      aliyun.lb.port_80: tcp://x:', '      aliyun.lb.port_81: *notalias', '      aliyun.lb.port_83:/path\'"', '    labels:', '      aliyun.scale: "1"');
    assert.deepEqual(codes(text), []);
  });
  test('checks still run under an anchored labels block (labels: &bl)', () => {
    const text = web('    labels: &bl', '      aliyun.lb.port_443:tcp://x:443', '      aliyun.scale: "1"');
    assert.deepEqual(codes(text), ['yaml-missing-space-after-colon']);
  });
  test('!!str alone at the end of the line (value on the next line) is valid', () => {
    assert.deepEqual(codes(web('    labels:', '      aliyun.probe.url: !!str', '        http://container/')), []);
  });
  test('a long-form port whose keys come through a << merge is read', () => {
    const text = yaml('x-p: &p {target: 80, protocol: tcp}', 'services:', '  web:', '    ports: [{<<: *p, published: 80}]', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80');
    assert.deepEqual(codes(text), []);
  });
  test('list form: the same key with the same value, or a non-aliyun key, is not an error', () => {
    assert.deepEqual(codes(web('    labels:', '      - traefik.enable=true', '      - traefik.enable=true', '      - aliyun.scale=1', '      - aliyun.scale=1')), []);
  });
  test('the assumed-default note is only on findings about the value', () => {
    const text = web('    labels:', '      aliyun.lb.port_80: tcp://${SLB:-slb_x}:80');
    const f = only(text, 'lb-port-not-published');
    assert.doesNotMatch(f.message, /assuming/);
  });
  test("'aliyun.lb.port 80': the fix writes aliyun.lb.port_80", () => {
    const text = web('    ports: ["80:80"]', '    labels:', '      "aliyun.lb.port 80": tcp://slb_web:80');
    const f = only(text, 'label-key-whitespace');
    assert.match(fixed(text, f), /"?aliyun\.lb\.port_80"?: tcp/);
  });
});
