// The validation worker reads process.env as a plain object (the yaml parser reads it once per
// token, and a worker's process.env asks the C++ side on every read): the same values, the same
// analysis, and only in the worker thread.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

const WORKER_JS = path.resolve(__dirname, '../../server/src/lsp/validationWorker.js');

describe('validation worker environment', () => {
  test('a plain copy of the environment in the worker; the main thread keeps its own', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const before = { ...process.env };
      const { handleValidationMessage } = require(${JSON.stringify(WORKER_JS)});
      const uri = 'file:///env/docker-compose.yml';
      handleValidationMessage({ type: 'open', uri, version: 1, text: 'services:\\n  web:\\n    ports: ["81"]\\n    labels:\\n      aliyun.lb.port_81: tcp://slb_web:81\\n' });
      const reply = handleValidationMessage({ type: 'analyze', id: 1, uri, version: 1, yamlSyntaxErrors: 'all', locale: 'en', relatedInformation: true, wantBindings: false, kubernetes: false });
      parentPort.postMessage({
        plain: Object.getPrototypeOf(process.env) === Object.prototype,
        same: JSON.stringify(Object.entries(before).sort()) === JSON.stringify(Object.entries(process.env).sort()),
        marker: process.env.SLB_LABELS_ENV_TEST,
        codes: reply.diagnostics.map((d) => d.code),
      });`;
    const worker = new Worker(code, { eval: true, env: { ...process.env, SLB_LABELS_ENV_TEST: 'kept' } });
    try {
      const result = await new Promise<{ plain: boolean; same: boolean; marker: string; codes: string[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      assert.equal(result.plain, true, 'process.env is a plain object in the worker');
      assert.equal(result.same, true, 'with the same variables and values');
      assert.equal(result.marker, 'kept');
      assert.deepEqual(result.codes, ['lb-port-random-host']);
    } finally {
      await worker.terminate();
    }
    assert.notEqual(Object.getPrototypeOf(process.env), Object.prototype, 'the main thread keeps the real process.env');
  });
});
