// Hover: the three-port chain with this service's numbers on lb labels, docs on other aliyun.*
// labels, nothing elsewhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { hover } from '../../server/src/engine/features/hover';
import { withCursor, yaml } from './helpers';

function hoverAt(marked: string, env?: Record<string, string>): { value: string | undefined; text: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } } {
  const { text, doc, position } = withCursor(marked);
  const h = hover(doc, position, { analyzer: new ComposeAnalyzer(), env: env ? new Map(Object.entries(env)) : undefined });
  if (!h) return { value: undefined, text };
  const contents = h.contents as { kind: string; value: string };
  return { value: contents.value, text, range: h.range };
}

describe('lb label hover', () => {
  const redis = (cursorLine: string) => yaml('services:', '  redis:', '    image: redis', '    ports:', '      - "6379:6379"', '    labels:', cursorLine, '      aliyun.scale: "1"');
  test('on the key: the chain with this service\'s numbers', () => {
    const { value } = hoverAt(redis('      aliyun.lb.po|rt_6379: tcp://slb_redis_app:6379'));
    assert.ok(value);
    assert.ok(value!.includes('SLB `slb_redis_app` TCP 6379 -> host 6379 (backend port) -> container 6379'), value);
    assert.match(value!, /Layer-4 TCP/);
    assert.match(value!, /https?:\/\/\S+/);
  });
  test('on the value', () => {
    const { value } = hoverAt(redis('      aliyun.lb.port_6379: tcp://slb_re|dis_app:6379'));
    assert.ok(value?.includes('TCP 6379 -> host 6379 (backend port) -> container 6379'), value);
  });
  test('the key and the SLB name are each their own hover range (moving between them asks again)', () => {
    const onKey = hoverAt(redis('      aliyun.lb.po|rt_6379: tcp://slb_redis_app:6379'));
    const line = onKey.text.split('\n')[onKey.range!.start.line];
    assert.equal(line.slice(onKey.range!.start.character, onKey.range!.end.character), 'aliyun.lb.port_6379');
    const onSlb = hoverAt(redis('      aliyun.lb.port_6379: tcp://slb_re|dis_app:6379'));
    assert.equal(line.slice(onSlb.range!.start.character, onSlb.range!.end.character), 'slb_redis_app');
  });
  test('both lead with the one-line chain and the verdict; the key explains the ports, the SLB name the SLB', () => {
    const onKey = hoverAt(redis('      aliyun.lb.po|rt_6379: tcp://slb_redis_app:6379')).value!;
    const onSlb = hoverAt(redis('      aliyun.lb.port_6379: tcp://slb_re|dis_app:6379')).value!;
    for (const v of [onKey, onSlb]) {
      const [first, , verdict] = v.split('\n');
      assert.equal(first, '**SLB `slb_redis_app` TCP 6379 -> host 6379 (backend port) -> container 6379**');
      assert.match(verdict, /^✓ The ports line up\./);
    }
    assert.match(onKey, /Layer-4 TCP/);
    assert.doesNotMatch(onSlb, /Layer-4 TCP/);
    assert.match(onSlb, /is an SLB name: it must match exactly one SLB/);
    assert.notEqual(onKey, onSlb);
  });
  test('host port differs from the container port (7777:80), front 8080', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - 7777:80', '  labels:', '    aliyun.lb.port_80: http://slb_exa|mple_name:8080'));
    assert.ok(value?.includes('SLB `slb_example_name` HTTP 8080 -> host 7777 (backend port) -> container 80'), value);
    assert.match(value!, /backend port 7777/);
  });
  test('a port range maps by offset', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - "9000-9010:8000-8010"', '  labels:', '    aliyun.lb.port_8003: tcp://s|lb:80'));
    assert.ok(value?.includes('-> host 9003 (backend port) -> container 8003'), value);
  });
  test('long form ports', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    ports:', '      - target: 53', '        published: 5353', '        protocol: udp', '    labels:', '      aliyun.lb.port_53: udp://s|lb_dns:53'));
    assert.ok(value?.includes('UDP 53 -> host 5353 (backend port) -> container 53'), value);
  });
  test('list form', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - "7777:80"', '  labels:', '    - aliyun.lb.po|rt_80=http://slb_a:8080'));
    assert.ok(value?.includes('HTTP 8080 -> host 7777 (backend port) -> container 80'), value);
  });
  test('deploy.labels', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    ports:', '      - "7777:80"', '    deploy:', '      labels:', '        aliyun.lb.po|rt_80: http://slb_a:8080'));
    assert.ok(value?.includes('HTTP 8080 -> host 7777 (backend port) -> container 80'), value);
  });
  test('not published: the host port is unknown and said so', () => {
    const { value } = hoverAt(yaml('web:', '  labels:', '    aliyun.lb.po|rt_80: tcp://slb_a:80'));
    assert.ok(value?.includes('-> host ? (backend port)'), value);
    assert.match(value!, /No fixed host port/);
  });
  test('an SLB ID is called an ID, a name a name', () => {
    assert.match(hoverAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://lb-2ze0e2wlvf9l1hfv9m1lv:80')).value!, /is an SLB instance ID/);
    assert.match(hoverAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://slb_a:80')).value!, /is an SLB name/);
  });
  test('${SLB_ID} unresolved: said so, not guessed', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://${SLB_ID}:80'));
    assert.match(value!, /SLB_ID/);
    assert.match(value!, /not set/);
  });
  test('${SLB_ID} resolved from .env', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://${SLB_ID}:80'), { SLB_ID: 'lb-abc12345' });
    assert.ok(value?.includes('SLB `lb-abc12345` TCP 80'), value);
  });
  test('several bindings separated by ;', () => {
    const { value } = hoverAt(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://a:80;http://b:8080'));
    assert.ok(value?.includes('SLB `a` TCP 80 -> host 80'), value);
    assert.ok(value?.includes('SLB `b` HTTP 8080 -> host 80'), value);
  });
  test('a second service in the file gets its own numbers', () => {
    const { value } = hoverAt(yaml('services:', '  a:', '    ports:', '      - "1111:80"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80', '  b:', '    ports:', '      - "2222:80"', '    labels:', '      aliyun.lb.po|rt_80: tcp://slb_b:80'));
    assert.ok(value?.includes('-> host 2222'), value);
  });
});

describe('other aliyun labels', () => {
  test('aliyun.scale: its doc and value format', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    labels:', '      aliyun.sc|ale: "2"'));
    assert.ok(value);
    assert.match(value!, /Number of containers/);
    assert.match(value!, /\*\*aliyun\.scale\*\*/);
  });
  test('aliyun.routing.port_80 (prefix label)', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    labels:', '      aliyun.routing.po|rt_80: web'));
    assert.match(value ?? '', /routing/);
  });
  test('aliyun.global in list form', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    labels:', '      - aliyun.glo|bal=true'));
    assert.match(value ?? '', /every node/);
  });
});

describe('null elsewhere', () => {
  for (const [name, marked] of [
    ['image value', yaml('services:', '  web:', '    image: ngi|nx', '    labels:', '      aliyun.scale: "1"')],
    ['service name', yaml('services:', '  w|eb:', '    image: nginx')],
    ['ports entry', yaml('services:', '  web:', '    ports:', '      - "80:|80"', '    labels:', '      aliyun.lb.port_80: tcp://a:80')],
    ['a non-aliyun label', yaml('services:', '  web:', '    labels:', '      com.exa|mple: "1"')],
    ['an unknown aliyun label', yaml('services:', '  web:', '    labels:', '      aliyun.zz|zzzzzz: "1"')],
    ['top-level version', yaml('vers|ion: "2"', 'services:', '  web:', '    image: x')],
    ['an empty line', yaml('services:', '  web:', '|', '    image: x')],
    ['a comment in labels', yaml('services:', '  web:', '    labels:', '      # aliyun.sc|ale: "1"')],
  ]) {
    test(name, () => assert.equal(hoverAt(marked).value, undefined));
  }
});

describe('scale with a fixed host port (reference P6), in hover rather than as a diagnostic', () => {
  test('aliyun.scale 3: needs at least 3 nodes', () => {
    const { value } = hoverAt(yaml('services:', '  web:', '    ports: ["8080:80"]', '    labels:', '      aliyun.lb.po|rt_80: http://slb_web:80', '      aliyun.scale: "3"'));
    assert.match(value!, /a scale of 3 needs at least 3 nodes/);
  });
  test('deploy.replicas counts too; aliyun.global or scale 1 say nothing', () => {
    const v3 = hoverAt(yaml('services:', '  web:', '    ports: ["8080:80"]', '    deploy:', '      replicas: 2', '      labels:', '        aliyun.lb.po|rt_80: http://slb_web:80'));
    assert.match(v3.value!, /a scale of 2 needs at least 2 nodes/);
    const global = hoverAt(yaml('services:', '  web:', '    ports: ["8080:80"]', '    labels:', '      aliyun.lb.po|rt_80: http://slb_web:80', '      aliyun.scale: "3"', '      aliyun.global: "true"'));
    assert.doesNotMatch(global.value!, /needs at least/);
  });
});

describe('hover where the service needs anchors from elsewhere (second audit)', () => {
  test('a label whose value is an alias of an x- anchor', () => {
    const { value } = hoverAt(yaml('x-slb: &slb tcp://slb_web:80', 'services:', '  web:', '    ports: ["8080:80"]', '    labels:', '      aliyun.lb.po|rt_80: *slb'));
    assert.match(value!, /SLB `slb_web` TCP 80 -> host 8080/);
  });
  test('a quoted "services" key and an anchor in a sibling service', () => {
    const { value } = hoverAt(yaml('version: "2"', '"services":', '  base:', '    ports: &p ["8080:80"]', '  web:', '    ports: *p', '    labels:', '      aliyun.lb.po|rt_80: tcp://slb_web:80'));
    assert.match(value!, /-> host 8080 \(backend port\)/);
  });
  test('an "&name" in a comment is not the anchor', () => {
    const { value } = hoverAt(yaml('x-ports: &ports ["8080:80"]', '# the ports come from &ports', 'services:', '  web:', '    ports: *ports', '    labels:', '      aliyun.lb.po|rt_80: tcp://slb_web:80'));
    assert.match(value!, /-> host 8080 \(backend port\)/);
  });
  test('anchors do not cross YAML documents (---), as in validation', () => {
    const { value } = hoverAt(yaml('x-ports: &ports ["8084:80"]', '---', 'services:', '  web:', '    ports: *ports', '    labels:', '      aliyun.lb.po|rt_80: tcp://slb_web:80'));
    assert.doesNotMatch(value!, /host 8084/);
  });
  test('a long << chain is followed', () => {
    const chain = Array.from({ length: 8 }, (_, i) => (i === 0 ? 'x-l0: &l0 {ports: ["8080:80"]}' : `x-l${i}: &l${i} {<<: *l${i - 1}}`));
    const { value } = hoverAt(yaml(...chain, 'services:', '  web:', '    <<: *l7', '    labels:', '      aliyun.lb.po|rt_80: tcp://slb_web:80'));
    assert.match(value!, /-> host 8080 \(backend port\)/);
  });
});
