// The "Select profile" picker's profile list: names from both files, and a FIFO or a directory at
// either path is skipped without blocking (a synchronous read of a FIFO would freeze the extension host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listProfiles } from '../../client/src/profiles';

function home(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-profiles-'));
  fs.mkdirSync(path.join(dir, '.aliyun'));
  fs.mkdirSync(path.join(dir, '.alibabacloud'));
  return dir;
}

test('lists the aliyun CLI profiles and the credentials file sections, sorted and once each', () => {
  const dir = home();
  fs.writeFileSync(path.join(dir, '.aliyun', 'config.json'), JSON.stringify({ profiles: [{ name: 'prod' }, { name: 'default' }, {}] }));
  fs.writeFileSync(path.join(dir, '.alibabacloud', 'credentials'), '[default]\ntype = access_key\n[staging]\n');
  assert.deepEqual(listProfiles(dir), ['default', 'prod', 'staging']);
});

test('a FIFO as config.json and a directory as the credentials file are skipped at once', { timeout: 20_000 }, () => {
  const dir = home();
  execFileSync('mkfifo', [path.join(dir, '.aliyun', 'config.json')]);
  fs.mkdirSync(path.join(dir, '.alibabacloud', 'credentials'));
  // In a child process: if the FIFO were opened for a synchronous read, the child would block
  // for good and the timeout below would fail the test instead of hanging the suite.
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(require.resolve('../../client/src/profiles'))}).listProfiles(${JSON.stringify(dir)})))`;
  const child = spawnSync(process.execPath, ['-e', script], { timeout: 10_000, encoding: 'utf8' });
  assert.equal(child.error, undefined, 'listProfiles blocked on a FIFO');
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), []);
});
