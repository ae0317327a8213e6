import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { generateCompose, GeneratedCompose } from '../../bench/generateCompose';

type Labels = Record<string, string>;

function labelsOf(svc: Record<string, unknown>): { labels: Labels; form: 'map' | 'list' } {
  const raw = svc.labels;
  if (Array.isArray(raw)) {
    const labels: Labels = {};
    for (const item of raw) {
      assert.equal(typeof item, 'string', `list-form label must be a string: ${JSON.stringify(item)}`);
      const eq = (item as string).indexOf('=');
      assert.ok(eq > 0, `list-form label without '=': ${item}`);
      labels[(item as string).slice(0, eq)] = (item as string).slice(eq + 1);
    }
    return { labels, form: 'list' };
  }
  assert.ok(raw && typeof raw === 'object', 'labels must be a map or a list');
  for (const [k, v] of Object.entries(raw as object)) assert.equal(typeof v, 'string', `label ${k} must have a string value`);
  return { labels: raw as Labels, form: 'map' };
}

function parse(g: GeneratedCompose): Record<string, Record<string, unknown>> {
  const doc = parseDocument(g.text);
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'generated text must be valid YAML');
  const js = doc.toJS() as { version: string; services: Record<string, Record<string, unknown>> };
  assert.equal(js.version, '2');
  return js.services;
}

const lineAt = (g: GeneratedCompose, line: number) => g.text.split('\n')[line];

test('20 services: valid YAML, compose V2, each service shaped like the anchors', () => {
  const g = generateCompose(20);
  const services = parse(g);
  assert.equal(Object.keys(services).length, 20);
  for (const [name, svc] of Object.entries(services)) {
    assert.equal(typeof svc.image, 'string', name);
    assert.ok(['always', 'unless-stopped'].includes(svc.restart as string), name);
    const ports = svc.ports as string[];
    assert.ok(ports.length >= 1 && ports.length <= 3, `${name}: 1–3 ports`);
    const env = svc.environment as object;
    const nEnv = Array.isArray(env) ? env.length : Object.keys(env).length;
    assert.ok(nEnv === 4 || nEnv === 5, `${name}: 4–5 environment entries`);
    const { labels } = labelsOf(svc);
    const lb = Object.keys(labels).filter((k) => k.startsWith('aliyun.lb.port_'));
    assert.ok(lb.length >= 1 && lb.length <= 3, `${name}: 1–3 lb labels`);
    assert.equal(labels['aliyun.scale'], '1');
    assert.equal(Object.keys(labels).filter((k) => !k.startsWith('aliyun.')).length, 1, `${name}: one non-aliyun label`);
  }
});

test('map and list forms both occur (labels and environment); depends_on on some services', () => {
  const services = parse(generateCompose(20));
  const forms = Object.values(services).map((s) => labelsOf(s).form);
  assert.ok(forms.includes('map') && forms.includes('list'));
  const envForms = Object.values(services).map((s) => (Array.isArray(s.environment) ? 'list' : 'map'));
  assert.ok(envForms.includes('map') && envForms.includes('list'));
  // even services map form, odd list form
  Object.values(services).forEach((s, i) => assert.equal(labelsOf(s).form, i % 2 === 0 ? 'map' : 'list'));
  const withDeps = (generateCompose(1000).text.match(/^ {4}depends_on:$/gm) ?? []).length;
  assert.ok(withDeps > 200 && withDeps < 400, `~30% depends_on, got ${withDeps}/1000`);
});

test('the file is valid by the lb label rules (published ports, protocols, own SLBs, unique front/host ports)', () => {
  for (const n of [20, 1000]) {
    const services = parse(generateCompose(n));
    const slbOwner = new Map<string, string>();
    const hostPorts = new Set<string>();
    const serviceNames = new Set(Object.keys(services));
    for (const [name, svc] of Object.entries(services)) {
      const published = new Map<string, number>(); // "<container>/<proto>" -> host
      for (const p of svc.ports as string[]) {
        const m = /^(\d+):(\d+)(\/udp)?$/.exec(p);
        assert.ok(m, `${name}: port "${p}" must be HOST:CONTAINER[/udp]`);
        const proto = m[3] ? 'udp' : 'tcp';
        assert.ok(!hostPorts.has(`${m[1]}/${proto}`), `${name}: host port ${m[1]}/${proto} used twice in the file`);
        hostPorts.add(`${m[1]}/${proto}`);
        published.set(`${m[2]}/${proto}`, Number(m[1]));
      }
      const { labels } = labelsOf(svc);
      const fronts = new Set<string>();
      const slbsOfService = new Set<string>();
      for (const [key, value] of Object.entries(labels)) {
        if (key.startsWith('aliyun.lb.port_')) {
          const cport = Number(key.slice('aliyun.lb.port_'.length));
          assert.ok(Number.isInteger(cport) && cport >= 1 && cport <= 65535, key);
          const m = /^(tcp|udp|http|https):\/\/([A-Za-z0-9\-_/.]{1,79}):(\d{1,5})$/.exec(value);
          assert.ok(m, `${name}: ${key} value '${value}' malformed`);
          const [, scheme, slb, frontStr] = m;
          const front = Number(frontStr);
          assert.ok(front >= 1 && front <= 65535);
          const proto = scheme === 'udp' ? 'udp' : 'tcp';
          assert.ok(published.has(`${cport}/${proto}`), `${name}: ${key} (${scheme}) needs a fixed ${proto} host port for ${cport}`);
          const family = `${slb}|${proto}|${front}`;
          assert.ok(!fronts.has(family), `${name}: front port ${front} twice on ${slb}`);
          fronts.add(family);
          slbsOfService.add(slb);
          const owner = slbOwner.get(slb);
          assert.ok(owner === undefined || owner === name, `SLB ${slb} shared by ${owner} and ${name}`);
          slbOwner.set(slb, name);
        } else if (key.startsWith('aliyun.routing.port_')) {
          const cport = key.slice('aliyun.routing.port_'.length);
          assert.ok(!(`aliyun.lb.port_${cport}` in labels), `${name}: routing and lb on the same port`);
          assert.ok(published.has(`${cport}/tcp`), `${name}: routing port ${cport} is published as tcp`);
        } else if (key === 'aliyun.depends') {
          for (const d of value.split(',')) assert.ok(serviceNames.has(d), `${name}: aliyun.depends ${d} exists`);
        } else if (key === 'aliyun.probe.url') {
          assert.match(value, /^http:\/\/container:\d+\/\S*$/);
        } else if (key === 'aliyun.rolling_updates') {
          assert.equal(value, 'true');
        } else if (key.startsWith('aliyun.')) {
          assert.equal(key, 'aliyun.scale', `${name}: unexpected label ${key}`);
        }
      }
      // a service never mixes an SLB name and an SLB id
      const ids = [...slbsOfService].filter((s) => s.startsWith('lb-'));
      assert.ok(ids.length === 0 || ids.length === slbsOfService.size, `${name}: mixes SLB names and ids`);
      for (const d of (svc.depends_on as string[] | undefined) ?? []) assert.ok(serviceNames.has(d), `${name}: depends_on ${d} exists`);
    }
    assert.ok([...slbOwner.keys()].some((s) => s.startsWith('lb-')), 'some services bind an SLB by id');
    assert.ok([...slbOwner.keys()].some((s) => s.startsWith('slb_')), 'some services bind an SLB by name');
  }
});

test('probes point at what they claim', () => {
  for (const n of [1, 2, 20, 1000]) {
    const g = generateCompose(n);
    const p = g.probes;
    assert.equal(p.serviceIndex % 2, 0, 'probe service uses the map form');
    const svcLine = g.text.split('\n').findIndex((l) => l === `  ${p.service}:`);
    assert.ok(svcLine > 0 && svcLine < p.edit.line, 'probes are inside the probe service');

    const lb = lineAt(g, p.lbValue.line);
    assert.ok(lb.includes('aliyun.lb.port_'), `lbValue line: ${lb}`);
    assert.equal(lb.slice(p.lbValue.character - 2, p.lbValue.character), ': ', 'lbValue right after ": "');
    assert.equal(lb.slice(p.lbValue.character), p.lbLabelValue);
    assert.equal(lb.trim(), `${p.lbLabelKey}: ${p.lbLabelValue}`);

    assert.equal(p.lbKeyDot.line, p.lbValue.line);
    assert.ok(lb.slice(0, p.lbKeyDot.character).endsWith('aliyun.lb.'), 'lbKeyDot right after aliyun.lb.');

    assert.equal(p.lbKey.line, p.lbValue.line);
    const keyStart = lb.indexOf(p.lbLabelKey);
    assert.ok(p.lbKey.character > keyStart && p.lbKey.character < keyStart + p.lbLabelKey.length, 'lbKey inside the key');

    assert.equal(p.slbNameHover.line, p.lbValue.line);
    const slbStart = lb.indexOf('://') + 3;
    assert.equal(lb.slice(slbStart, slbStart + p.slbName.length), p.slbName);
    assert.ok(p.slbNameHover.character > slbStart && p.slbNameHover.character < slbStart + p.slbName.length, 'slbNameHover inside the SLB name');

    const indent = lb.length - lb.trimStart().length;
    assert.deepEqual(p.newLabelLine.insertAt, { line: p.lbValue.line + 1, character: 0 });
    assert.equal(p.newLabelLine.insertText, ' '.repeat(indent) + '\n');
    assert.deepEqual(p.newLabelLine.position, { line: p.lbValue.line + 1, character: indent });

    assert.equal(lineAt(g, p.labelsKey.line).trim(), 'labels:');
    assert.ok(p.labelsKey.line < p.lbValue.line);

    const image = lineAt(g, p.edit.line);
    assert.match(image, /^ {4}image: \S+$/);
    assert.equal(p.edit.character, image.length, 'edit at the end of the image value');
    assert.deepEqual(p.newServiceKey.insertAt, { line: p.edit.line + 1, character: 0 });
    assert.equal(p.newServiceKey.insertText, '    \n');

    // inserting the new-label line keeps the YAML valid
    const lines = g.text.split('\n');
    lines.splice(p.newLabelLine.insertAt.line, 0, p.newLabelLine.insertText.slice(0, -1));
    assert.deepEqual(parseDocument(lines.join('\n')).errors.map((e) => e.message), []);
  }
});

test('deterministic for a seed, different for another seed', () => {
  assert.equal(generateCompose(50).text, generateCompose(50).text);
  assert.notEqual(generateCompose(50, { seed: 1 }).text, generateCompose(50, { seed: 2 }).text);
});

test('size scales like the anchors (5000 services ≈ 94k lines, 2.7 MB)', () => {
  const g = generateCompose(5000);
  const lines = g.text.split('\n').length - 1;
  assert.equal(lines, g.lineCount);
  assert.ok(lines >= 80_000 && lines <= 110_000, `5000 services → ${lines} lines`);
  const bytes = Buffer.byteLength(g.text);
  assert.ok(bytes >= 2.3e6 && bytes <= 3.1e6, `5000 services → ${bytes} bytes`);
  const g1000 = generateCompose(1000);
  assert.ok(g1000.lineCount > 16_000 && g1000.lineCount < 22_000, `1000 services → ${g1000.lineCount} lines`);
});
