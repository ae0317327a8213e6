#!/usr/bin/env node
// `npm start`: the product on this machine in one command.
//   1. npm run package (build + dist/aliyun-slb-labels.vsix)
//   2. the editor host (bash e2e/setup.sh --no-browser: skipped in about a second when present)
//   3. the SLB sandbox with its default seed on a free port, and the demo's Redis on 127.0.0.1:6379
//      (Debian's redis-server, the backend of slb_redis_app's TCP 6379 listener; the Redis-protocol
//      stand-in when the package is not installed), so "Check reachability" on the Redis label ends with +PONG
//   4. code-server on 127.0.0.1 (auth none) with the .vsix installed, its profile in .state/editor/,
//      user settings pointing the extension at the sandbox (endpoint, region cn-hangzhou) and the
//      sandbox's demo AccessKey pair in code-server's ENVIRONMENT only (never written to a file)
//   5. prints the editor URL for examples/demo/ and stays up until Ctrl+C (or SIGTERM), then
//      stops every process group it started and checks that none is left.
// Options: --no-build (skip step 1, use the existing .vsix), --port N (code-server port; default: a free one).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from '../e2e/lib/host.mjs';

const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;
const STATE = path.join(h.ROOT, '.state', 'editor');
const say = (msg) => console.log(`[start] ${msg}`);

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: h.ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping code-server, the SLB sandbox and the Redis ...');
  const groups = [codeServer?.child.pid, sandbox?.child.pid, redis?.child?.pid].filter(Boolean);
  await redis?.close();
  await h.killAll();
  const left = h.processesInGroups(groups);
  if (left.length) {
    console.error(`[start] still running: ${left.map((p) => `${p.pid} ${p.args}`).join('; ')}`);
    process.exit(1);
  }
  say('stopped; nothing left running.');
  process.exit(code);
}
let sandbox;
let codeServer;
let redis;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(0));

try {
  if (!noBuild) {
    say('building and packaging the extension (npm run package) ...');
    run('npm', ['run', '--silent', 'package']);
  }
  if (!fs.existsSync(h.VSIX)) throw new Error(`${h.VSIX} is missing: run without --no-build.`);
  if (h.missingHostParts({ browser: false }).length) say('installing the editor host (code-server 4.100.3; about a minute the first time) ...');
  run('bash', [path.join('e2e', 'setup.sh'), '--no-browser']);

  fs.mkdirSync(STATE, { recursive: true });
  sandbox = await h.startSandbox({ logFile: path.join(STATE, 'sandbox.log') });
  say(`SLB sandbox (default seed) on ${sandbox.url}`);
  redis = await h.startDemoRedis(6379, { stateDir: STATE, logFile: path.join(STATE, 'redis.log') });
  say(`the demo's Redis (backend of slb_redis_app TCP 6379): ${redis.detail}`);

  h.writeUserSettings(STATE, {
    'aliyunSlbLabels.endpoint': sandbox.url,
    'aliyunSlbLabels.region': 'cn-hangzhou',
  });
  h.installVsix(STATE);
  codeServer = await h.startCodeServer(STATE, {
    // The demo AccessKey pair reaches the language server only through this environment.
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: h.SANDBOX_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: h.SANDBOX_KEY_SECRET },
    logFile: path.join(STATE, 'code-server.log'),
    bindPort: portArg,
  });
  const url = h.folderUrl(codeServer.url, h.DEMO_DIR);
  console.log('');
  console.log(`  Aliyun SLB Labels is running in VS Code (code-server ${h.CODE_SERVER_VERSION}) on the local SLB sandbox.`);
  console.log(`  Open:  ${url}`);
  console.log('');
  console.log(`  Workspace: examples/demo (docker-compose.yml = the Redis example, docker-compose.broken.yml = common mistakes)`);
  console.log(`  Sandbox:   ${sandbox.url} (region cn-hangzhou, demo AccessKey in the editor's environment)`);
  console.log(`  Redis:     ${redis.detail}; "Check reachability" on the Redis label ends with +PONG`);
  console.log(`  State:     ${path.relative(h.ROOT, STATE)}/ (editor profile and logs; delete it to start fresh)`);
  console.log('  Press Ctrl+C to stop.');
  console.log('');
  // Stay up; if a child dies on its own, stop the rest.
  sandbox.child.exited.then(() => !stopping && (console.error('[start] the SLB sandbox exited.'), stop(1)));
  codeServer.child.exited.then(() => !stopping && (console.error('[start] code-server exited; see .state/editor/code-server.log'), stop(1)));
  redis.child?.exited.then(() => !stopping && (console.error('[start] redis-server exited; see .state/editor/redis.log'), stop(1)));
} catch (err) {
  console.error(`[start] ${err instanceof Error ? err.message : err}`);
  await stop(1);
}
