// Compose semantics in the engine: extends resolved in the model (cached units follow the extended
// file), several documents, host networking.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { extendsFilesFor } from '../../server/src/engine/compose/extends';
import { FIXTURES, findings, yaml } from './helpers';

describe('extends in the model', () => {
  test('a cached unit is checked again when the extended file changes on disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-extends-'));
    try {
      const file = path.join(dir, 'docker-compose.yml');
      const text = yaml('services:', '  api:', '    extends: {file: base/common.yml, service: api-base}', '    labels:', '      aliyun.lb.port_8080: tcp://slb_api:80');
      fs.mkdirSync(path.join(dir, 'base'));
      const common = path.join(dir, 'base', 'common.yml');
      fs.writeFileSync(common, yaml('services:', '  api-base:', '    ports: ["8080:8080"]'));
      const analyzer = new ComposeAnalyzer();
      const run = () => analyzer.analyze(text, { files: extendsFilesFor(file) }).findings.map((f) => f.code);
      assert.deepEqual(run(), []);
      fs.writeFileSync(common, yaml('services:', '  api-base:', '    ports: ["9090:9090"]', '    # a longer text, so size and mtime differ'));
      assert.deepEqual(run(), ['lb-port-not-published']);
      fs.writeFileSync(common, yaml('services:', '  other:', '    ports: ["8080:8080"]'));
      assert.deepEqual(run(), ['compose-extends-unresolved']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a chain through another file: that file\'s own same-file extends is followed there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-extends-'));
    try {
      fs.writeFileSync(path.join(dir, 'common.yml'), yaml('services:', '  root:', '    ports: ["80:80"]', '  api-base:', '    extends: root'));
      const text = yaml('services:', '  api:', '    extends:', '      file: common.yml', '      service: api-base', '    labels:', '      aliyun.lb.port_80: tcp://slb_api:80');
      assert.deepEqual(new ComposeAnalyzer().analyze(text, { files: extendsFilesFor(path.join(dir, 'docker-compose.yml')) }).findings, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without file access (unsaved document): an information that says so, no port claim', () => {
    const text = yaml('services:', '  api:', '    extends: {file: common.yml, service: api-base}', '    labels:', '      aliyun.lb.port_8080: tcp://slb_api:80');
    const all = findings(text);
    assert.deepEqual(all.map((f) => [f.code, f.severity]), [['compose-extends-unresolved', 'information']]);
    assert.match(all[0].message, /not read here/);
  });

  test('a missing same-file service', () => {
    const text = yaml('services:', '  api:', '    extends: nothere', '    labels:', '      aliyun.lb.port_80: tcp://slb_api:80');
    const all = findings(text);
    assert.deepEqual(all.map((f) => f.code), ['compose-extends-unresolved']);
    assert.match(all[0].message, /no service 'nothere'/);
  });
});

describe('several documents', () => {
  test('the multi-document fixture: exactly the warning at the second ---, the rules still run on both', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'multidoc.yml'), 'utf8');
    const all = findings(text);
    assert.deepEqual(all.map((f) => f.code), ['compose-multiple-documents']);
    assert.equal(text.slice(all[0].span.start, all[0].span.end), '---');
    assert.equal(new ComposeAnalyzer().analyze(text).bindings.length, 2);
  });
  test('comments and a leading --- are not a second document', () => {
    assert.deepEqual(findings(yaml('# header', '---', 'services:', '  a:', '    image: a')), []);
    assert.deepEqual(findings(yaml('services:', '  a:', '    image: a', '...')), []);
  });
});

describe('host networking', () => {
  test('no host-port clash is claimed for a host-networked service (Docker ignores its mappings)', () => {
    const text = yaml('services:', '  a:', '    network_mode: host', '    ports: ["80:80"]', '  b:', '    ports: ["80:80"]');
    assert.deepEqual(findings(text), []);
  });
});
