// One loader of the .env beside a compose file (server, CLI lint/plan/provision/reach).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { forgetEnvFiles, loadEnvBeside } from '../../server/src/engine/compose/dotEnv';

describe('loadEnvBeside', () => {
  test('reads the .env of the compose file\'s directory, follows changes, ignores what is not a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-env-'));
    try {
      const compose = path.join(dir, 'docker-compose.yml');
      assert.equal(loadEnvBeside(compose), undefined, 'no .env');
      fs.writeFileSync(path.join(dir, '.env'), 'HOST_PORT=8080\n# comment\nSLB="slb_web"\n');
      assert.deepEqual([...loadEnvBeside(compose)!], [['HOST_PORT', '8080'], ['SLB', 'slb_web']]);
      fs.writeFileSync(path.join(dir, '.env'), 'HOST_PORT=9090\n');
      forgetEnvFiles(); // same mtime within the clock's resolution: the watcher's forget is what the server uses
      assert.equal(loadEnvBeside(compose)!.get('HOST_PORT'), '9090');
      fs.rmSync(path.join(dir, '.env'));
      fs.mkdirSync(path.join(dir, '.env'));
      assert.equal(loadEnvBeside(compose), undefined, 'a directory named .env');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
