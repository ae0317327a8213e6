// Opening a file validates it once. The cloud catalog is configured when the server starts and
// again when the settings it pulls from the client change a cloud setting; with no credentials
// there is no catalog either way, and still every open file was validated a second time. At 5000
// services that is a second analysis and a second transfer of 15k diagnostics: about 0.3 s of
// the time to first diagnostics, because the first result was dropped as superseded.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LspTestClient } from './lspClient';
import { generateCompose } from '../../bench/generateCompose';

// Big enough that its first analysis is still running when the pulled settings arrive.
const COMPOSE = generateCompose(1500, { seed: 7, shape: 'findings' }).text;

it('an opened file is validated once when the cloud catalog is configured again without credentials', async () => {
  // No credentials anywhere: an empty HOME and no ALIBABA_CLOUD_* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^ALIBABA_CLOUD|^ALICLOUD/.test(k)));
  const client = await LspTestClient.start({ env: { ...env, HOME: '/nonexistent-home' }, workspaceCapabilities: { configuration: true } });
  try {
    // The settings the server pulls change a cloud setting (the catalog's refresh interval).
    client.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ 'validation.syntaxErrors': 'all', 'online.refreshMinutes': 7 })));
    const validated: string[] = [];
    client.connection.onNotification('$/logTrace', (p: { message: string }) => {
      if (p.message.startsWith('Validated ')) validated.push(p.message);
    });
    await client.notify('$/setTrace', { value: 'verbose' });
    const uri = 'file:///once/docker-compose.yml';
    const first = await client.open(uri, COMPOSE);
    assert.ok(first.diagnostics.length > 1000, `${first.diagnostics.length} diagnostics`);
    // Long enough for the catalog to be configured again and any second validation to end.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.ok(client.logs.some((l) => l.startsWith('Cloud features off')), client.logs.join('\n'));
    assert.deepEqual(validated, [validated.find((v) => /^Validated file:\/\/\/once\/docker-compose\.yml \(version 1\) in \d+ ms\.$/.test(v))]);
  } finally {
    await client.stop();
  }
});

it('a file opened before the pulled settings arrive is validated again when they differ (a client that sends no settings at initialize)', async () => {
  const client = await LspTestClient.start({ exactSettings: true, settings: {}, workspaceCapabilities: { configuration: true } });
  try {
    // The first answer is slow, so the file opens (and is validated) with the defaults first.
    client.connection.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return p.items.map(() => ({ 'validation.enable': false }));
    });
    const uri = 'file:///settings/docker-compose.yml';
    const text = ['services:', '  web:', '    image: nginx:1.25', '    labels:', '      aliyun.lb.port_80: http://slb_web:80', ''].join('\n');
    const first = await client.open(uri, text);
    assert.ok(first.diagnostics.length > 0, 'validated with the defaults: the port is not published');
    const after = await client.diagnosticsWhere(uri, (p) => p.diagnostics.length === 0, 5000);
    assert.deepEqual(after.diagnostics, []);
  } finally {
    await client.stop();
  }
});
