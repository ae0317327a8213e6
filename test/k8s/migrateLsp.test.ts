// The migration as an editor sees it: a code action on a compose service with lb labels, whose
// command makes the server create the manifest file next to the compose file (workspace/applyEdit).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ApplyWorkspaceEditParams, CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { ManifestAnalyzer } from '../../server/src/engine/k8s/analyze';
import { LspTestClient, positionOf, REPO_ROOT } from '../lsp/lspClient';

describe('migration code action over LSP', () => {
  let client: LspTestClient;
  let dir = '';
  const edits: ApplyWorkspaceEditParams[] = [];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-migrate-lsp-'));
    client = await LspTestClient.start({ workspaceCapabilities: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
    client.connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
      edits.push(params);
      return { applied: true };
    });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers "Migrate service" on a service with lb labels only, and the command creates <service>.k8s.yaml', async () => {
    const compose = fs.readFileSync(path.join(REPO_ROOT, 'examples/demo/docker-compose.yml'), 'utf8') + '  cache:\n    image: memcached\n';
    const composePath = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(composePath, compose);
    // A file of the first choice already exists: the server picks the next free name, never overwrites.
    fs.writeFileSync(path.join(dir, 'redis.k8s.yaml'), 'keep me\n');
    const uri = pathToFileURL(composePath).toString();
    await client.open(uri, compose);
    const at = positionOf(compose, 'aliyun.lb.port_6379');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
    const migrate = actions.find((a) => /Migrate service 'redis' to Kubernetes/.test(a.title))!;
    assert.ok(migrate, JSON.stringify(actions));
    assert.equal(migrate.kind, 'refactor.rewrite');
    const none = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: positionOf(compose, 'memcached'), end: positionOf(compose, 'memcached') }, context: { diagnostics: [] } });
    assert.ok(!none.some((a) => /Migrate/.test(a.title)), 'no action on a service without lb labels');

    const result = await client.request<{ ok: boolean; files: string[]; placeholders: string[] }>('workspace/executeCommand', { command: migrate.command!.command, arguments: migrate.command!.arguments });
    assert.equal(result.ok, true, JSON.stringify(result));
    const target = pathToFileURL(path.join(dir, 'redis.k8s-2.yaml')).toString();
    assert.deepEqual(result.files, [target]);
    assert.deepEqual(result.placeholders, ['slb_redis_app']);
    const [create, insert] = edits[0].edit.documentChanges as [CreateFile, TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri: target, options: { overwrite: false, ignoreIfExists: false } });
    const yaml = insert.edits[0].newText;
    assert.match(yaml, /kind: Deployment[\s\S]*kind: Service/);
    assert.deepEqual(new ManifestAnalyzer().analyze(yaml).findings.map((f) => f.code), ['k8s-clb-id-placeholder']);
    assert.equal(fs.readFileSync(path.join(dir, 'redis.k8s.yaml'), 'utf8'), 'keep me\n');
  });

  it('offers nothing when the client cannot create files', async () => {
    const plain = await LspTestClient.start();
    try {
      const compose = fs.readFileSync(path.join(REPO_ROOT, 'examples/demo/docker-compose.yml'), 'utf8');
      const uri = 'file:///ws/no-create/docker-compose.yml';
      await plain.open(uri, compose);
      const at = positionOf(compose, 'aliyun.lb.port_6379');
      const actions = await plain.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
      assert.deepEqual(actions, []);
    } finally {
      await plain.stop();
    }
  });
});
