// Key/value grammar of aliyun.lb.port_<container_port>: scheme://slb:front_port (reference §3.2).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hasVariable,
  isLbKey,
  looksLikeSlbId,
  parseLbKey,
  parseLbValue,
  parsePortNumber,
  portSpaceOf,
  regionOfOldStyleId,
  slbNameProblem,
  transportOf,
} from '../../server/src/engine/labels/lbLabel';

describe('lb key (S1)', () => {
  test('isLbKey recognises the prefix only', () => {
    assert.equal(isLbKey('aliyun.lb.port_80'), true);
    assert.equal(isLbKey('aliyun.lb.port_'), true);
    assert.equal(isLbKey('aliyun.lb.ports_80'), false);
    assert.equal(isLbKey('aliyun.routing.port_80'), false);
  });

  test('valid ports 1 and 65535', () => {
    assert.deepEqual(parseLbKey('aliyun.lb.port_1'), { portText: '1', portOffset: 15, port: 1 });
    assert.equal(parseLbKey('aliyun.lb.port_65535').port, 65535);
    assert.equal(parseLbKey('aliyun.lb.port_6379').port, 6379);
  });

  test('portOffset points at the port text inside the key', () => {
    const key = 'aliyun.lb.port_6379';
    const k = parseLbKey(key);
    assert.equal(key.slice(k.portOffset), '6379');
  });

  for (const [suffix, problem] of [
    ['', 'empty'],
    ['0', 'outOfRange'],
    ['65536', 'outOfRange'],
    ['70000', 'outOfRange'],
    ['http', 'notANumber'],
    ['-80', 'notANumber'],
    ['+80', 'notANumber'],
    ['80-90', 'notANumber'],
    [' 80', 'notANumber'],
    ['8 0', 'notANumber'],
    ['${PORT}', 'variable'],
    ['$PORT', 'variable'],
  ] as const) {
    test(`aliyun.lb.port_${suffix} -> ${problem}`, () => {
      const k = parseLbKey(`aliyun.lb.port_${suffix}`);
      assert.equal(k.problem, problem);
      assert.equal(k.port, undefined);
    });
  }
});

describe('lb value (S2-S6)', () => {
  test('scheme://slb:port is split into exact parts', () => {
    const value = 'tcp://slb_redis_app:6379';
    const [b] = parseLbValue(value);
    assert.equal(b.shapeProblem, undefined);
    assert.deepEqual(b.scheme, { text: 'tcp', start: 0, end: 3 });
    assert.deepEqual(b.slb, { text: 'slb_redis_app', start: 6, end: 19 });
    assert.deepEqual(b.frontPort, { text: '6379', start: 20, end: 24 });
    assert.equal(value.slice(b.whole.start, b.whole.end), value);
  });

  test('several bindings separated by ;', () => {
    const value = 'tcp://a:80;http://b:8080';
    const bs = parseLbValue(value);
    assert.equal(bs.length, 2);
    assert.equal(value.slice(bs[1].whole.start, bs[1].whole.end), 'http://b:8080');
    assert.equal(value.slice(bs[1].slb!.start, bs[1].slb!.end), 'b');
    assert.equal(value.slice(bs[1].frontPort!.start, bs[1].frontPort!.end), '8080');
  });

  test('a trailing ; does not make an empty entry', () => {
    assert.equal(parseLbValue('tcp://a:80;').length, 1);
  });

  test('an empty entry between ; is reported', () => {
    const bs = parseLbValue('tcp://a:80;;tcp://b:81');
    assert.equal(bs.length, 3);
    assert.equal(bs[1].shapeProblem, 'empty');
  });

  test('missing :// is a shape problem', () => {
    assert.equal(parseLbValue('tcp//slb:80')[0].shapeProblem, 'missingSchemeSeparator');
    assert.equal(parseLbValue('slb:80')[0].shapeProblem, 'missingSchemeSeparator');
  });

  test('missing front port is a shape problem', () => {
    const [b] = parseLbValue('tcp://slb');
    assert.equal(b.shapeProblem, 'missingFrontPort');
    assert.equal(b.slb?.text, 'slb');
  });

  test('a path after the front port is a shape problem', () => {
    assert.equal(parseLbValue('http://slb:80/path')[0].shapeProblem, 'extraPath');
  });

  test('whitespace inside the binding is a shape problem', () => {
    assert.equal(parseLbValue('tcp://slb a:80')[0].shapeProblem, 'whitespace');
  });

  test('empty value', () => {
    assert.equal(parseLbValue('')[0].shapeProblem, 'empty');
  });

  test('${VAR} in the SLB position is an atom (its : does not end the SLB)', () => {
    const value = 'tcp://${SLB:-slb_x}:5044';
    const [b] = parseLbValue(value);
    assert.equal(b.shapeProblem, undefined);
    assert.equal(b.slb?.text, '${SLB:-slb_x}');
    assert.equal(b.frontPort?.text, '5044');
  });

  test('$VAR and ${VAR} in the SLB and front port positions', () => {
    const [b] = parseLbValue('tcp://$SLB_ID:${FRONT}');
    assert.equal(b.slb?.text, '$SLB_ID');
    assert.equal(b.frontPort?.text, '${FRONT}');
    assert.equal(b.shapeProblem, undefined);
  });

  test('the front port follows the LAST colon', () => {
    const [b] = parseLbValue('tcp://a:b:80');
    assert.equal(b.slb?.text, 'a:b');
    assert.equal(b.frontPort?.text, '80');
  });

  test('uppercase scheme is kept as written (the rule reports it)', () => {
    assert.equal(parseLbValue('TCP://slb:80')[0].scheme?.text, 'TCP');
  });
});

describe('SLB names and IDs (S5, §3.2)', () => {
  test('valid names', () => {
    for (const name of ['slb_redis_app', 'proxy', 'a', 'my-slb.v2/x', 'x'.repeat(79), 'lb-2ze0e2wlvf9l1hfv9m1lv']) assert.equal(slbNameProblem(name), undefined, name);
  });
  test('empty, too long and bad characters', () => {
    assert.equal(slbNameProblem(''), 'empty');
    assert.equal(slbNameProblem('x'.repeat(80)), 'tooLong');
    assert.equal(slbNameProblem('slb a'), 'badCharacters');
    assert.equal(slbNameProblem('slb@a'), 'badCharacters');
    assert.equal(slbNameProblem('slb:a'), 'badCharacters');
  });
  test('ID heuristics', () => {
    assert.equal(looksLikeSlbId('lb-2ze0e2wlvf9l1hfv9m1lv'), true);
    assert.equal(looksLikeSlbId('14a7ba06d3b-cn-hangzhou-dg-a01'), true);
    assert.equal(looksLikeSlbId('slb_example_name'), false);
    assert.equal(looksLikeSlbId('lb-short'), false);
    assert.equal(looksLikeSlbId('proxy_test'), false);
  });
  test('region of an old-style ID', () => {
    assert.equal(regionOfOldStyleId('14a7ba06d3b-cn-hangzhou-dg-a01'), 'cn-hangzhou');
    assert.equal(regionOfOldStyleId('lb-2ze0e2wlvf9l1hfv9m1lv'), undefined);
  });
});

describe('ports and transports', () => {
  test('parsePortNumber', () => {
    assert.equal(parsePortNumber('1'), 1);
    assert.equal(parsePortNumber('65535'), 65535);
    assert.equal(parsePortNumber('0'), undefined);
    assert.equal(parsePortNumber('65536'), undefined);
    assert.equal(parsePortNumber('99999'), undefined);
    assert.equal(parsePortNumber('123456'), undefined);
    assert.equal(parsePortNumber('8o'), undefined);
    assert.equal(parsePortNumber(''), undefined);
    assert.equal(parsePortNumber('-1'), undefined);
  });
  test('tcp/http/https share one listener port space, udp has its own', () => {
    assert.equal(portSpaceOf('tcp'), 'tcp');
    assert.equal(portSpaceOf('http'), 'tcp');
    assert.equal(portSpaceOf('https'), 'tcp');
    assert.equal(portSpaceOf('udp'), 'udp');
    assert.equal(transportOf('https'), 'tcp');
    assert.equal(transportOf('udp'), 'udp');
  });
  test('hasVariable ignores $$ escapes', () => {
    assert.equal(hasVariable('tcp://${SLB}:80'), true);
    assert.equal(hasVariable('$SLB'), true);
    assert.equal(hasVariable('$${SLB}'), false);
    assert.equal(hasVariable('tcp://slb:80'), false);
    assert.equal(hasVariable('$1'), false);
  });
});
