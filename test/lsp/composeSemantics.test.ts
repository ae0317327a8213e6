// Compose semantics through the real server, on real folders on disk: extends (same file, another
// file beside it, a missing file), log-pilot labels, several YAML documents, host networking.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from './lspClient';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-compose-'));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return pathToFileURL(path.join(dir, 'docker-compose.yml')).href;
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const codes = (d: { diagnostics: { code?: unknown }[] }) => d.diagnostics.map((x) => String(x.code));

describe('compose semantics over LSP, on disk', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  describe('compose-extends-unresolved', () => {
    it('extends in the same file (map and short form): the extended service publishes the port, no finding', async () => {
      const text = lines('services:', '  app-base:', '    image: app', '    ports:', '      - "8080:80"', '  web:', '    extends:', '      service: app-base', '    labels:', '      aliyun.lb.port_80: http://slb_web:80', '  api:', '    extends: app-base', '    labels:', '      aliyun.lb.port_80: http://slb_api:81');
      const uri = project('same-file', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.ok(!codes(d).includes('lb-port-not-published'), JSON.stringify(d.diagnostics));
      assert.ok(!codes(d).includes('compose-extends-unresolved'));
    });

    it('extends {file, service} with the file beside it and an .env beside it: ports of the extended service count', async () => {
      const common = lines('services:', '  api-base:', '    image: api', '    ports:', '      - "${API_PORT}:8080"');
      const text = lines('version: "2"', 'services:', '  api:', '    extends:', '      file: common.yml', '      service: api-base', '    labels:', '      aliyun.lb.port_8080: tcp://slb_api:80');
      const uri = project('file-beside', { 'docker-compose.yml': text, 'common.yml': common, '.env': 'API_PORT=18080\n' });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), [], JSON.stringify(d.diagnostics));
      // Not vacuous: without extends the same label is an error.
      const bare = text.replace(/    extends:\n      file: common.yml\n      service: api-base\n/, '');
      const again = await client.replace(uri, bare);
      assert.deepEqual(codes(again), ['lb-port-not-published']);
    });

    it('a missing extended file: one information at the extends key that says why, no claim about ports', async () => {
      const text = lines('services:', '  api:', '    extends:', '      file: common.yml', '      service: api-base', '    labels:', '      aliyun.lb.port_8080: tcp://slb_api:80');
      const uri = project('missing-file', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), ['compose-extends-unresolved'], JSON.stringify(d.diagnostics));
      const f = d.diagnostics[0];
      assert.equal(f.severity, 3);
      assert.equal(f.range.start.line, 2);
      assert.match(f.message, /'common\.yml' does not exist/);
    });

    it('an extends loop is found and said, without a port claim', async () => {
      const text = lines('services:', '  a:', '    extends: b', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80', '  b:', '    extends: a');
      const uri = project('loop', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d).sort(), ['compose-extends-unresolved', 'compose-extends-unresolved'], JSON.stringify(d.diagnostics));
      assert.ok(d.diagnostics.some((x) => /comes back to/.test(x.message)));
    });
  });

  describe('compose-multiple-documents', () => {
    it('a warning at the second ---, none for a leading ---', async () => {
      const text = lines('---', 'services:', '  a:', '    image: a', '---', 'services:', '  b:', '    image: b');
      const uri = project('multidoc', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), ['compose-multiple-documents']);
      assert.equal(d.diagnostics[0].range.start.line, 4);
      assert.equal(d.diagnostics[0].severity, 2);
      assert.match(d.diagnostics[0].message, /libcompose reads only the first/);
    });
  });

  describe('lb-host-network', () => {
    it('network_mode: host without a mapping: information, not "not published"', async () => {
      const text = lines('services:', '  proxy:', '    image: nginx', '    network_mode: host', '    labels:', '      aliyun.lb.port_80: http://slb_proxy:80');
      const uri = project('host-net', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), ['lb-host-network'], JSON.stringify(d.diagnostics));
      assert.equal(d.diagnostics[0].severity, 3);
      assert.match(d.diagnostics[0].message, /not documented/);
    });
    it('v1 net: host with a mapping to another host port: a warning (that backend port reaches nothing)', async () => {
      const text = lines('proxy:', '  image: nginx', '  net: host', '  ports:', '    - "8080:80"', '  labels:', '    aliyun.lb.port_80: http://slb_proxy:80');
      const uri = project('host-net-v1', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), ['lb-host-network'], JSON.stringify(d.diagnostics));
      assert.equal(d.diagnostics[0].severity, 2);
    });
  });

  describe('log-pilot labels', () => {
    it('aliyun.logs.<name> with .tags, .format, .format.pattern, .target: known, with hover docs', async () => {
      const text = lines('services:', '  web:', '    image: tomcat', '    labels:', '      aliyun.logs.catalina: stdout', '      aliyun.logs.access: /usr/local/tomcat/logs/localhost_access_log.*.txt', '      aliyun.logs.access.tags: "app=web,stage=prod"', '      aliyun.logs.access.format: regexp', '      aliyun.logs.access.format.pattern: "^(?<ip>\\\\S+)"', '      aliyun.logs.access.target: tomcat-access');
      const uri = project('log-pilot', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      assert.deepEqual(codes(d), [], JSON.stringify(d.diagnostics));
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 10 } });
      assert.match(hover?.contents.value ?? '', /log-pilot/);
    });
    it('a near-miss of a log-pilot label is a warning with did-you-mean; an unrelated aliyun.* key only a hint', async () => {
      const text = lines('services:', '  web:', '    image: tomcat', '    labels:', '      aliyun.logs.access.tag: "app=web"', '      aliyun.mycompany.owner: team-a');
      const uri = project('log-pilot-typo', { 'docker-compose.yml': text });
      const d = await client.open(uri, text);
      const byLine = new Map(d.diagnostics.map((x) => [x.range.start.line, x]));
      assert.equal(byLine.get(4)?.severity, 2);
      assert.match(byLine.get(4)?.message ?? '', /Did you mean 'aliyun\.logs\.access\.tags'/);
      assert.equal(byLine.get(5)?.severity, 4);
    });
  });
});
