// Compose variable substitution (issue "Compose model"): resolved from .env, defaults used and
// said so, unresolved reported and never guessed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate } from '../../server/src/engine/compose/variables';
import { readDotEnv } from '../../server/src/engine/compose/dotEnv';
import { analyze, describeFindings, withCode, yaml } from './helpers';

const env = (o: Record<string, string>) => new Map(Object.entries(o));

describe('interpolate', () => {
  test('text without $ is returned as is', () => {
    const r = interpolate('tcp://slb:80', undefined);
    assert.equal(r.value, 'tcp://slb:80');
    assert.equal(r.hasVariables, false);
    assert.deepEqual(r.unresolved, []);
  });

  test('${VAR} set in .env', () => {
    const r = interpolate('tcp://${SLB_ID}:80', env({ SLB_ID: 'lb-abc12345' }));
    assert.equal(r.value, 'tcp://lb-abc12345:80');
    assert.deepEqual(r.resolved, [{ name: 'SLB_ID', value: 'lb-abc12345' }]);
    assert.equal(r.hasVariables, true);
  });

  test('$VAR set in .env', () => {
    const r = interpolate('tcp://$SLB_ID:80', env({ SLB_ID: 'x' }));
    assert.equal(r.value, 'tcp://x:80');
  });

  test('$VAR ends at the first character that is not a name character', () => {
    assert.equal(interpolate('$A.b', env({ A: 'x' })).value, 'x.b');
    assert.equal(interpolate('$A-b', env({ A: 'x' })).value, 'x-b');
  });

  test('${VAR} unset: unresolved, value undefined (never guessed)', () => {
    const r = interpolate('tcp://${SLB_ID}:80', undefined);
    assert.equal(r.value, undefined);
    assert.deepEqual(r.unresolved, ['SLB_ID']);
  });

  test('$VAR unset: unresolved', () => {
    const r = interpolate('tcp://$SLB_ID:80', env({}));
    assert.equal(r.value, undefined);
    assert.deepEqual(r.unresolved, ['SLB_ID']);
  });

  test('one unresolved variable among resolved ones still gives no value', () => {
    const r = interpolate('${A}${B}', env({ A: 'a' }));
    assert.equal(r.value, undefined);
    assert.deepEqual(r.unresolved, ['B']);
  });

  test('${VAR:-default}: unset -> default, reported as assumed', () => {
    const r = interpolate('tcp://${SLB:-slb_x}:80', undefined);
    assert.equal(r.value, 'tcp://slb_x:80');
    assert.deepEqual(r.defaultsUsed, [{ name: 'SLB', value: 'slb_x' }]);
    assert.deepEqual(r.unresolved, []);
  });

  test('${VAR:-default}: empty -> default', () => {
    assert.equal(interpolate('${SLB:-slb_x}', env({ SLB: '' })).value, 'slb_x');
  });

  test('${VAR:-default}: set -> the value', () => {
    const r = interpolate('${SLB:-slb_x}', env({ SLB: 'slb_y' }));
    assert.equal(r.value, 'slb_y');
    assert.deepEqual(r.defaultsUsed, []);
  });

  test('${VAR-default}: unset -> default, empty -> empty', () => {
    assert.equal(interpolate('${SLB-slb_x}', undefined).value, 'slb_x');
    assert.equal(interpolate('[${SLB-slb_x}]', env({ SLB: '' })).value, '[]');
  });

  test('${VAR:?err}: unset or empty -> unresolved; set -> value', () => {
    assert.deepEqual(interpolate('${SLB:?set SLB}', undefined).unresolved, ['SLB']);
    assert.equal(interpolate('${SLB:?set SLB}', undefined).value, undefined);
    assert.equal(interpolate('${SLB:?set SLB}', env({ SLB: '' })).value, undefined);
    assert.equal(interpolate('${SLB:?set SLB}', env({ SLB: 'a' })).value, 'a');
  });

  test('${VAR?err}: empty is accepted', () => {
    assert.equal(interpolate('[${SLB?err}]', env({ SLB: '' })).value, '[]');
    assert.equal(interpolate('${SLB?err}', undefined).value, undefined);
  });

  test('$$ is a literal $', () => {
    const r = interpolate('$${USER} costs $$5', undefined);
    assert.equal(r.value, '${USER} costs $5');
    assert.equal(r.hasVariables, false);
    assert.deepEqual(r.unresolved, []);
  });

  test('${ without a closing brace is malformed, not guessed', () => {
    const r = interpolate('tcp://${SLB:80', undefined);
    assert.equal(r.malformed, true);
    assert.equal(r.value, undefined);
  });

  test('${} and ${1X} are malformed', () => {
    assert.equal(interpolate('${}', undefined).malformed, true);
    assert.equal(interpolate('${1X}', undefined).malformed, true);
  });

  test('a default may contain : and //', () => {
    assert.equal(interpolate('${U:-tcp://slb:80}', undefined).value, 'tcp://slb:80');
  });
});

describe('.env', () => {
  test('readDotEnv reads KEY=VALUE, comments and quotes', () => {
    const m = readDotEnv('# comment\nSLB_ID=lb-abc12345\nNAME="slb x"\nEMPTY=\n');
    assert.equal(m.get('SLB_ID'), 'lb-abc12345');
    assert.equal(m.get('NAME'), 'slb x');
    assert.equal(m.get('EMPTY'), '');
    assert.equal(m.has('# comment'), false);
  });
});

describe('variables in the analysis', () => {
  const twoServices = yaml(
    'services:',
    '  a:',
    '    ports:',
    '      - "80:80"',
    '    labels:',
    '      aliyun.lb.port_80: tcp://${SLB_ID}:80',
    '  b:',
    '    ports:',
    '      - "81:81"',
    '    labels:',
    '      aliyun.lb.port_81: tcp://${SLB_ID}:81',
  );

  test('unresolved ${SLB_ID}: no finding at all (not guessed to be the same SLB)', () => {
    const f = analyze(twoServices).findings;
    assert.equal(f.length, 0, describeFindings(f, twoServices));
  });

  test('resolved from .env: the two services share one SLB', () => {
    const f = withCode(twoServices, 'lb-slb-shared', { SLB_ID: 'lb-abc12345' });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /lb-abc12345/);
  });

  test('resolved to different SLBs: no finding', () => {
    const text = twoServices.replace('tcp://${SLB_ID}:81', 'tcp://${SLB_B}:81');
    const f = analyze(text, { SLB_ID: 'slb_a', SLB_B: 'slb_b' }).findings;
    assert.equal(f.length, 0, describeFindings(f, text));
  });

  test('the default of ${VAR:-default} is used for the cross-service checks', () => {
    const text = twoServices.replace(/\$\{SLB_ID\}/g, '${SLB_ID:-slb_x}');
    const f = withCode(text, 'lb-slb-shared');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /slb_x/);
  });

  test('a port mapping with an unresolved variable: "not published" is not concluded', () => {
    const text = yaml('services:', '  a:', '    ports:', '      - "${HOST_PORT}:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    const f = analyze(text).findings;
    assert.equal(f.length, 0, describeFindings(f, text));
  });

  test('a port mapping variable resolved from .env counts as published', () => {
    const text = yaml('services:', '  a:', '    ports:', '      - "${HOST_PORT}:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    const a = analyze(text, { HOST_PORT: '8080' });
    assert.equal(a.findings.length, 0, describeFindings(a.findings, text));
    assert.equal(a.bindings[0]?.hostPort, 8080);
  });

  test('a port mapping variable resolved to a container-only port is reported', () => {
    const text = yaml('services:', '  a:', '    ports:', '      - "${PORT}"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');
    assert.equal(withCode(text, 'lb-port-random-host', { PORT: '80' }).length, 1);
  });

  test('unresolved front port variable: no range error', () => {
    const text = yaml('services:', '  a:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:${FRONT}');
    const f = analyze(text).findings;
    assert.equal(f.length, 0, describeFindings(f, text));
  });

  test('front port variable resolved to junk is reported', () => {
    const text = yaml('services:', '  a:', '    ports:', '      - "80:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:${FRONT}');
    const f = withCode(text, 'lb-front-port-invalid', { FRONT: '99999' });
    assert.equal(f.length, 1);
    assert.equal(text.slice(f[0].span.start, f[0].span.end), '${FRONT}');
  });
});
