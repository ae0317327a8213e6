// R12 across files (k8s-clb-port-shared): two real manifests in a temp workspace folder, the real
// server over stdio. A Service learns about a Service of another file on the same port of the same
// reused CLB, whether that file is open or only on disk, and the finding follows edits and closes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, positionOf } from '../lsp/lspClient';
import { runCli } from '../helpers/cli';

const A = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const CLB = 'lb-bp1rtfnodmywb43ecu4sf';
const shared = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'k8s-clb-port-shared');

function service(name: string, port: number, extra = `    ${A}force-override-listeners: "true"\n`, namespace = 'default'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  annotations:\n    ${A}id: "${CLB}"\n${extra}spec:\n  type: LoadBalancer\n  selector: {app: ${name}}\n  ports:\n  - {name: p, port: ${port}, targetPort: 8080}\n`;
}

describe('k8s-clb-port-shared across the files of a workspace', () => {
  let dir = '';
  let client: LspTestClient;
  let webUri = '';
  let apiUri = '';
  const web = service('web', 80);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-ws-'));
    fs.mkdirSync(path.join(dir, 'web'));
    fs.mkdirSync(path.join(dir, 'api'));
    fs.writeFileSync(path.join(dir, 'web', 'service.yaml'), web);
    fs.writeFileSync(path.join(dir, 'api', 'service.yaml'), service('api', 80));
    webUri = pathToFileURL(path.join(dir, 'web', 'service.yaml')).toString();
    apiUri = pathToFileURL(path.join(dir, 'api', 'service.yaml')).toString();
    client = await LspTestClient.start({ workspaceFolder: dir, workspaceTrusted: true });
  });
  after(async () => {
    await client?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an open manifest is told about a Service of a file on disk on the same CLB port (warning, the other file as related information)', async () => {
    await client.open(webUri, web, 'yaml');
    const p = await client.diagnosticsWhere(webUri, (x) => shared(x.diagnostics).length > 0, 15000);
    const [d] = shared(p.diagnostics);
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range.start, positionOf(web, 'port: 80', 6));
    assert.match(d.message, /Service 'api' in api\/service\.yaml also uses port 80 of CLB lb-bp1rtfnodmywb43ecu4sf/);
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(d.relatedInformation![0].location.uri, apiUri);
    assert.equal(d.relatedInformation![0].location.range.start.line, positionOf(service('api', 80), 'port: 80').line);
  });

  it('editing the other open file to another port clears the finding; closing it (disk still says 80) brings it back', async () => {
    await client.open(apiUri, service('api', 80), 'yaml');
    await client.replace(apiUri, service('api', 81));
    const cleared = await client.diagnosticsWhere(webUri, (x) => shared(x.diagnostics).length === 0, 15000);
    assert.deepEqual(shared(cleared.diagnostics), []);
    await client.notify('textDocument/didClose', { textDocument: { uri: apiUri } });
    const back = await client.diagnosticsWhere(webUri, (x) => shared(x.diagnostics).length === 1, 15000);
    assert.match(shared(back.diagnostics)[0].message, /Service 'api'/);
  });

  it('slb-labels lint over the folder reports the same clash in both files (warnings, exit code 0)', async () => {
    const run = await runCli(['lint', '--format', 'json', '.'], { env: { PATH: process.env.PATH ?? '', HOME: dir }, cwd: dir });
    assert.equal(run.timedOut, false);
    const results = JSON.parse(run.stdout) as { file: string; diagnostics: { code: string; severity: string; message: string; line: number }[] }[];
    const byFile = Object.fromEntries(results.map((r) => [r.file, r.diagnostics.filter((d) => d.code === 'k8s-clb-port-shared')]));
    assert.deepEqual(Object.keys(byFile).sort(), ['api/service.yaml', 'web/service.yaml'], run.stdout);
    assert.match(byFile['web/service.yaml'][0].message, /Service 'api' in api\/service\.yaml also uses port 80/);
    assert.match(byFile['api/service.yaml'][0].message, /Service 'web' in web\/service\.yaml also uses port 80/);
    assert.equal(byFile['web/service.yaml'][0].severity, 'warning');
    assert.equal(run.code, 0, run.stderr);
  });

  it('no finding for the same Service in another file (a copy or an overlay), nor without force-override-listeners, nor on another CLB port', async () => {
    const uri = pathToFileURL(path.join(dir, 'web', 'copy.yaml')).toString();
    // The same Service 'web' (default namespace) as a second file: not a clash with web/service.yaml,
    // but it does clash with api/service.yaml on disk.
    const copy = await client.open(uri, web, 'yaml');
    const settled = shared(copy.diagnostics).length ? copy : await client.diagnosticsWhere(uri, (x) => shared(x.diagnostics).length > 0, 15000);
    assert.deepEqual(shared(settled.diagnostics).map((d) => d.message.match(/Service '(\w+)'/)![1]), ['api']);
    const noOverride = await client.replace(uri, service('other', 80, ''));
    assert.deepEqual(shared(noOverride.diagnostics), []);
    const otherPort = await client.replace(uri, service('other', 443));
    assert.deepEqual(shared(otherPort.diagnostics), []);
  });
});
