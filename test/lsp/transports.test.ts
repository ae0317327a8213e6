// The bundled server answers over both transports the manifest promises: --stdio (other editors)
// and --node-ipc (for clients that use node's IPC channel; the VS Code client uses stdio), and says what to do when given neither.
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';
import { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { SERVER_PATH } from './lspClient';

/** Runs `talk` against the bundled server started with --node-ipc, and stops the server after it. */
async function overNodeIpc(talk: (connection: MessageConnection) => Promise<void>): Promise<void> {
  const child = fork(SERVER_PATH, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  try {
    await talk(connection);
  } finally {
    connection.dispose();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 3000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }
}

describe('server transports', () => {
  it('answers a diagnostics pull over --node-ipc (the held list goes out through its toJSON)', async () => {
    await overNodeIpc(async (connection) => {
      connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      connection.onRequest('workspace/diagnostic/refresh', () => null);
      connection.listen();
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { diagnostics: { refreshSupport: true } } } });
      connection.sendNotification('initialized', {});
      const uri = 'file:///ipc-pull/docker-compose.yml';
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: 'services:\n  web:\n    ports: ["80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n' } });
      const report = (await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: { code: string; range: { start: { line: number } }; data?: unknown }[] };
      assert.equal(report.kind, 'full');
      assert.deepEqual(report.items.map((d) => [d.code, d.range.start.line]), [['lb-port-random-host', 4]]);
      assert.equal(report.items[0].data, undefined, 'no fixes on the wire');
      await connection.sendRequest('shutdown');
      connection.sendNotification('exit');
    });
  });

  it('speaks LSP over --node-ipc', async () => {
    await overNodeIpc(async (connection) => {
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
      connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      connection.listen();
      const init = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: { hoverProvider?: boolean; completionProvider?: unknown } };
      assert.equal(init.capabilities.hoverProvider, true);
      assert.ok(init.capabilities.completionProvider);
      connection.sendNotification('initialized', {});
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///ipc/docker-compose.yml', languageId: 'dockercompose', version: 1, text: 'services:\n  web:\n    ports: ["80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n' } });
      const diagnostics = await published;
      assert.deepEqual(diagnostics.diagnostics.map((d) => d.code), ['lb-port-random-host']);
      await connection.sendRequest('shutdown');
      connection.sendNotification('exit');
    });
  });

  it('explains how to start it when no transport is given', () => {
    const result = spawnSync(process.execPath, [SERVER_PATH], { encoding: 'utf8', timeout: 10000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--stdio or --node-ipc/);
  });

  it('runs as an executable through its shebang (as npm installs the bin), with node options in it', { skip: process.platform === 'win32' }, async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-bin-'));
    try {
      const bin = path.join(dir, 'slb-labels-language-server');
      fs.copyFileSync(SERVER_PATH, bin);
      fs.chmodSync(bin, 0o755);
      // The kernel reads the shebang; `env -S` must split `node --v8-pool-size=1 --max-semi-space-size=4` for node to start.
      const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10000, env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /slb-labels-language-server \d+\.\d+\.\d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its version', () => {
    const result = spawnSync(process.execPath, [SERVER_PATH, '--version'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /slb-labels-language-server \d+\.\d+\.\d+/);
  });
});

describe('validation worker', () => {
  // Too big for a 12 MB worker heap (1500 services were, until the worker learned to drop each
  // service's model as soon as its rules ran; 1500 fit in 12 MB since).
  const services = Array.from({ length: 3000 }, (_, i) => `  s${i}:\n    image: x\n    ports:\n      - "${10000 + i}:80"\n    labels:\n      aliyun.lb.port_80: tcp://slb_${i}:80\n      aliyun.scale: "1"\n`).join('');
  const text = `services:\n${services}  bad:\n    ports: ["81"]\n    labels:\n      aliyun.lb.port_81: tcp://slb_bad:81\n`;

  it('starts the worker again with a larger heap when a file is too big for it, and keeps validating off the main thread', async () => {
    const { LspTestClient } = await import('./lspClient');
    const client = await LspTestClient.start({ env: { ...process.env, SLB_LABELS_WORKER_HEAP_MB: '12' } as Record<string, string> });
    try {
      const uri = 'file:///ws/oom-restart/docker-compose.yml';
      const first = await client.open(uri, text, 'dockercompose');
      assert.deepEqual(first.diagnostics.map((d) => d.code), ['lb-port-random-host']);
      await client.waitFor('the restart log line', () => client.logs.find((l) => /out of memory with a 12 MB heap .*starting it again with 24 MB/.test(l)), 15000);
      const edited = await client.replace(uri, text.replace('ports: ["81"]', 'ports: ["81:81"]'));
      assert.deepEqual(edited.diagnostics, []);
      assert.ok(!client.logs.some((l) => /validating on the main thread|worker exited/.test(l)), client.logs.join('\n'));
      assert.equal(client.process.exitCode, null, 'the server is still running');
    } finally {
      await client.stop();
    }
  });

  it('falls back to the main thread when even the largest heap is not enough, and keeps validating', async () => {
    const { LspTestClient } = await import('./lspClient');
    const client = await LspTestClient.start({ env: { ...process.env, SLB_LABELS_WORKER_HEAP_MB: '12', SLB_LABELS_WORKER_HEAP_MAX_MB: '12' } as Record<string, string> });
    try {
      const uri = 'file:///ws/oom/docker-compose.yml';
      const first = await client.open(uri, text, 'dockercompose');
      assert.deepEqual(first.diagnostics.map((d) => d.code), ['lb-port-random-host']);
      await client.waitFor('the fallback log line', () => client.logs.find((l) => /validation worker failed: .*ERR_WORKER_OUT_OF_MEMORY|validation worker failed: Error/.test(l)), 15000);
      const edited = await client.replace(uri, text.replace('ports: ["81"]', 'ports: ["81:81"]'));
      assert.deepEqual(edited.diagnostics, []);
      assert.equal(client.process.exitCode, null, 'the server is still running');
    } finally {
      await client.stop();
    }
  });
});

describe('validation worker priority', () => {
  // Completion arrives in the same instant as the edit that starts a validation: on a 2-core
  // machine the worker must yield the CPU to the server's main thread and to the editor.
  it('runs its thread below normal priority on Linux, and only that thread', { skip: process.platform !== 'linux' }, async () => {
    const fs = await import('node:fs');
    const { LspTestClient } = await import('./lspClient');
    const client = await LspTestClient.start();
    try {
      await client.open('file:///ws/priority/docker-compose.yml', 'services:\n  web:\n    ports: ["80:80"]\n    labels:\n      aliyun.lb.port_80: tcp://slb_web:80\n');
      const pid = client.process.pid!;
      // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value (the comm field before it has no spaces here).
      const niceOf = (tid: string) => Number(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[16]);
      const threads = fs.readdirSync(`/proc/${pid}/task`).map((tid) => ({ tid, nice: niceOf(tid) }));
      assert.deepEqual(threads.filter((t) => t.nice !== 0).map((t) => t.nice), [10], `one thread (the worker) at nice 10: ${JSON.stringify(threads)}`);
      assert.equal(threads.find((t) => t.tid === String(pid))?.nice, 0, 'the main thread keeps normal priority');
    } finally {
      await client.stop();
    }
  });
});
