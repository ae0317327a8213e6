// Starting and stopping the pieces of the real-editor setup: the SLB sandbox, code-server
// (VS Code 1.100.3) and Debian's chromium through playwright-core. Shared by `npm start`
// (scripts/start.mjs) and the end-to-end tests (e2e/tests/*.test.mjs).
//
// Every child is spawned detached (its own process group) and stopped by killing the whole
// group, so code-server's file watcher and the extension host go with it. All state lives in a
// folder the caller gives (a temp dir in tests, .state/ for npm start): code-server's
// user-data-dir, extensions-dir, XDG_CONFIG_HOME and XDG_DATA_HOME, never the user's home.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = path.join(ROOT, 'e2e', 'host');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_BIN = path.join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'dist', 'aliyun-slb-labels.vsix');
export const EXTENSION_ID = 'slb-labels.aliyun-slb-labels';
export const DEMO_DIR = path.join(ROOT, 'examples', 'demo');
/** The sandbox's fake demo AccessKey pair (sandbox/README.md). Only ever passed through the environment. */
export const SANDBOX_KEY_ID = 'SANDBOXDEMOKEYID0001';
export const SANDBOX_KEY_SECRET = 'sandbox-demo-secret-not-real';

const SETUP_HINT = 'run `bash e2e/setup.sh` (installs chromium, ripgrep, libkrb5-dev and e2e/host: code-server 4.100.3 + playwright-core)';

/** What of the editor host is missing, as sentences; empty when everything is there. */
export function missingHostParts({ browser = true } = {}) {
  const missing = [];
  let version;
  try {
    version = JSON.parse(fs.readFileSync(path.join(HOST_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    /* not installed */
  }
  if (version !== CODE_SERVER_VERSION || !fs.existsSync(CODE_SERVER_BIN)) {
    missing.push(`code-server ${CODE_SERVER_VERSION} is not installed in e2e/host (found: ${version ?? 'nothing'})`);
  }
  if (browser) {
    if (!fs.existsSync(path.join(HOST_DIR, 'node_modules', 'playwright-core', 'package.json'))) missing.push('playwright-core is not installed in e2e/host');
    if (!fs.existsSync(CHROMIUM)) missing.push(`${CHROMIUM} is missing (Debian package chromium)`);
  }
  return missing;
}

/** Throws one clear error when the host is not installed. */
export function assertHostInstalled(opts) {
  const missing = missingHostParts(opts);
  if (missing.length) throw new Error(`The editor host for the end-to-end tests is not installed: ${missing.join('; ')}.\nTo fix: ${SETUP_HINT}.`);
}

/** playwright-core from e2e/host (it is not a dependency of the extension). */
export function loadPlaywright() {
  const require = createRequire(path.join(HOST_DIR, 'package.json'));
  return require('playwright-core');
}

// ---------------------------------------------------------------------------------------------
// Processes

const children = new Set();

/**
 * Spawns a detached child (own process group) whose stdout/stderr go to `logFile` and, line by
 * line, to `onLine`. Resolves nothing: use waitForLine / waitForHttp.
 */
export function spawnGroup(name, command, args, { env, cwd = ROOT, logFile, onLine } = {}) {
  const out = logFile ? fs.openSync(logFile, 'a') : undefined;
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.procName = name;
  child.output = '';
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited = exited;
  exited.then(() => {
    children.delete(child);
    if (out !== undefined) fs.closeSync(out);
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.on('data', (chunk) => {
      const s = chunk.toString();
      if (out !== undefined) fs.writeSync(out, s);
      child.output = (child.output + s).slice(-200_000);
      pending += s;
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        onLine?.(line);
        child.emit('line', line);
      }
    });
  }
  return child;
}

/** Resolves with the first regex match in the child's output; rejects if it exits first or on timeout. */
export function waitForLine(child, regex, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const m = child.output.match(regex);
    if (m) return resolve(m);
    const timer = setTimeout(() => done(new Error(`${child.procName}: no line matching ${regex} within ${timeoutMs} ms. Output:\n${child.output.slice(-3000)}`)), timeoutMs);
    const onLine = (line) => {
      const mm = line.match(regex);
      if (mm) done(undefined, mm);
    };
    const onExit = ({ code, signal } = {}) => done(new Error(`${child.procName} exited (code ${code}, signal ${signal}) before printing ${regex}. Output:\n${child.output.slice(-3000)}`));
    function done(err, value) {
      clearTimeout(timer);
      child.off('line', onLine);
      child.off('exit', onExitListener);
      err ? reject(err) : resolve(value);
    }
    const onExitListener = (code, signal) => onExit({ code, signal });
    child.on('line', onLine);
    child.on('exit', onExitListener);
  });
}

/** Kills the child's whole process group (SIGTERM, then SIGKILL after graceMs) and waits for it. */
export async function killGroup(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    // The leader is gone, but members of its group may not be.
    if (child?.pid) tryKill(-child.pid, 'SIGKILL');
    return;
  }
  tryKill(-child.pid, 'SIGTERM');
  const timedOut = await Promise.race([child.exited.then(() => false), delay(graceMs).then(() => true)]);
  if (timedOut) tryKill(-child.pid, 'SIGKILL');
  await Promise.race([child.exited, delay(2000)]);
  // Stragglers that ignored SIGTERM while the leader exited (code-server's file watcher).
  if (groupAlive(child.pid)) {
    await waitUntil(() => !groupAlive(child.pid), graceMs).catch(() => tryKill(-child.pid, 'SIGKILL'));
  }
}

/** Stops every child this module started (tests' after hook, npm start's Ctrl+C). */
export async function killAll() {
  await Promise.all([...children].map((c) => killGroup(c)));
}

function tryKill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes (pid, pgid, args) whose process group is one of `pgids`: for the "nothing left running" check. */
export function processesInGroups(pgids) {
  const want = new Set(pgids.map(Number));
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m) => m && want.has(Number(m[2])))
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] }));
}

export const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned) or the time is up (throws with `what`). */
export async function waitUntil(fn, timeoutMs = 10_000, what = 'condition', intervalMs = 100) {
  const end = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
    await delay(intervalMs);
  }
}

async function waitForHttp(url, timeoutMs, child) {
  await waitUntil(
    async () => {
      if (child && child.exitCode !== null) throw new Error(`${child.procName} exited: ${child.output.slice(-2000)}`);
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    },
    timeoutMs,
    `${url} to answer`,
    150,
  );
}

// ---------------------------------------------------------------------------------------------
// The demo's Redis: the backend behind slb_redis_app's TCP 6379 listener (the sandbox forwards to
// 127.0.0.1:<backend port>), so "Check reachability" on the product guide's example ends with +PONG.

export const REDIS_SERVER = '/usr/bin/redis-server';

/** Sends PING to 127.0.0.1:`port`; resolves with the first reply line, or undefined (nothing there, no answer in 1 s). */
export function pingRedis(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (value) => (sock.destroy(), resolve(value));
    sock.setTimeout(1000, () => done(undefined));
    sock.once('error', () => done(undefined));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n')) done(reply.split('\r\n')[0]);
    });
  });
}

/**
 * Starts a Redis on 127.0.0.1:`port`: Debian's redis-server (e2e/setup.sh installs it) with no
 * persistence and its files in `stateDir`, in its own process group, stopped by killAll() with
 * everything else. Without the package, the Redis-protocol stand-in below. A Redis that already
 * answers there is used as it is. Resolves to { kind: 'redis-server' | 'stand-in' | 'already running', detail, close() }.
 */
export async function startDemoRedis(port = 6379, { stateDir = os.tmpdir(), logFile } = {}) {
  const existing = await pingRedis(port);
  if (existing === '+PONG') return { kind: 'already running', detail: `a Redis already answers on 127.0.0.1:${port}`, close: async () => {} };
  if (existing !== undefined) throw new Error(`127.0.0.1:${port} is taken by something that is not Redis (it answered ${JSON.stringify(existing)} to PING): the demo's Redis needs that port, because the sandbox's slb_redis_app forwards TCP ${port} there. Stop that process and start again.`);
  if (fs.existsSync(REDIS_SERVER)) {
    const dir = path.join(stateDir, 'redis');
    fs.mkdirSync(dir, { recursive: true });
    // Protected mode stays on (loopback only); nothing is written to disk.
    const child = spawnGroup('redis-server', REDIS_SERVER, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''], { logFile });
    await waitForLine(child, /Ready to accept connections/, 15_000);
    const version = (child.output.match(/Redis version=([\d.]+)/) ?? [])[1] ?? '';
    return { kind: 'redis-server', detail: `Debian's redis-server ${version} on 127.0.0.1:${port}`.replace('  ', ' '), child, close: () => killGroup(child) };
  }
  const standIn = await startRedisStandIn(port);
  return { kind: 'stand-in', detail: `the Redis-protocol stand-in on 127.0.0.1:${port} (${REDIS_SERVER} is not installed: run bash e2e/setup.sh as root)`, close: standIn.close };
}

/**
 * A Redis-protocol stand-in on 127.0.0.1:`port`: answers +PONG to PING, accepts the health
 * check's bare connects. close() ends it and every socket. Fails with a clear message when the port is taken.
 */
export async function startRedisStandIn(port) {
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        // Inline command (PING\r\n) or RESP array (*1\r\n$4\r\nPING\r\n): answer the PING line.
        if (/^PING$/i.test(line)) sock.write('+PONG\r\n');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', (err) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`127.0.0.1:${port} is already in use on this machine: the Redis stand-in needs it, because the sandbox's slb_redis_app forwards TCP ${port} there. Stop that process and run again.`) : err),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The SLB sandbox

/** Starts `slb-labels sandbox --port 0` (default seed). Resolves to { child, url, endpoint, port }. */
export async function startSandbox({ logFile, args = [] } = {}) {
  const cli = path.join(ROOT, 'dist', 'cli', 'slb-labels.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first.`);
  const child = spawnGroup('slb sandbox', process.execPath, [cli, 'sandbox', '--port', '0', ...args], { logFile, env: { ...process.env } });
  const m = await waitForLine(child, /SLB sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))/, 20_000);
  return { child, url: m[1], port: Number(m[2]), endpoint: `127.0.0.1:${m[2]}` };
}

/** The sandbox's state (load balancers, listeners, request log): GET /__sandbox/state. */
export async function sandboxState(sandboxUrl) {
  const res = await fetch(`${sandboxUrl}/__sandbox/state`);
  if (!res.ok) throw new Error(`GET /__sandbox/state: HTTP ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------------------------------------
// code-server

export const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'files.autoSave': 'off',
};

/** Folders of one code-server profile inside `stateDir`. */
export function profileDirs(stateDir) {
  return {
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
    xdgConfig: path.join(stateDir, 'xdg-config'),
    xdgData: path.join(stateDir, 'xdg-data'),
  };
}

/** Writes the user settings (merged over BASE_SETTINGS) of the profile in `stateDir`. */
export function writeUserSettings(stateDir, settings) {
  const dirs = profileDirs(stateDir);
  const file = path.join(dirs.userData, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2) + '\n');
  return file;
}

function codeServerEnv(stateDir, extraEnv = {}) {
  const dirs = profileDirs(stateDir);
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, ...extraEnv };
  // Never let the caller's own cloud credentials or code-server settings leak into the editor.
  for (const k of Object.keys(env)) {
    if (/^(ALIBABA_CLOUD_|ALICLOUD_)/.test(k) && !(k in extraEnv)) delete env[k];
    if (/^(PASSWORD|HASHED_PASSWORD|CODE_SERVER_)/.test(k)) delete env[k];
  }
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

/** `code-server --install-extension <vsix>` into the profile's extensions dir. */
export function installVsix(stateDir, vsix = VSIX) {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
  const dirs = profileDirs(stateDir);
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  execFileSync(process.execPath, [CODE_SERVER_BIN, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'], {
    env: codeServerEnv(stateDir),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/**
 * Registers an installed language pack for `locale` the way VS Code's language pack cache does
 * (user-data/languagepacks.json). code-server resolves `--locale` only through that file and,
 * with a pack installed from the command line, does not write it before the first window opens.
 */
export function registerLanguagePack(stateDir, locale, extensionId, version, label) {
  const dirs = profileDirs(stateDir);
  const extDir = path.join(dirs.extensions, `${extensionId}-${version}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
  const loc = pkg.contributes.localizations.find((l) => l.languageId === locale);
  const translations = Object.fromEntries(loc.translations.map((t) => [t.id, path.join(extDir, t.path)]));
  const entry = { hash: `${extensionId}-${version}`.replace(/[^a-z0-9]/gi, ''), extensions: [{ extensionIdentifier: { id: extensionId }, version }], translations, label };
  fs.writeFileSync(path.join(dirs.userData, 'languagepacks.json'), JSON.stringify({ [locale]: entry }));
}

/** Packages an extension folder into a .vsix with the project's vsce (for test fixtures). */
export function packFolder(dir, outFile) {
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', outFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  return outFile;
}

/**
 * Starts code-server on a free loopback port with auth none, the profile in `stateDir` and
 * `env` added to its environment (the extension host inherits it). Resolves to
 * { child, url, port } once /healthz answers.
 */
export async function startCodeServer(stateDir, { env = {}, locale, folder, extraArgs = [], logFile, bindPort = 0 } = {}) {
  const dirs = profileDirs(stateDir);
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const args = [
    CODE_SERVER_BIN,
    '--bind-addr', `127.0.0.1:${bindPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    ...(locale ? ['--locale', locale] : []),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const child = spawnGroup('code-server', process.execPath, args, { env: codeServerEnv(stateDir, env), logFile });
  const m = await waitForLine(child, /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/, 60_000);
  const url = m[1];
  await waitForHttp(`${url}/healthz`, 30_000, child);
  return { child, url, port: Number(m[2]), dirs };
}

/** The editor URL that opens `folder`. */
export function folderUrl(codeServerUrl, folder, extraQuery = '') {
  return `${codeServerUrl}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}${extraQuery}`;
}

/** Newest extension host log files of a profile (for keeping on failure). */
export function extensionHostLogs(stateDir) {
  const logsRoot = path.join(profileDirs(stateDir).userData, 'logs');
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log')) found.push(p);
    }
  };
  walk(logsRoot);
  return found;
}

// ---------------------------------------------------------------------------------------------
// chromium

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launches Debian's chromium (headless) with a fresh profile in `profileDir`. */
export async function launchBrowser(profileDir, { viewport = { width: 1280, height: 800 }, locale } = {}) {
  const { chromium } = loadPlaywright();
  fs.mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    locale,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}
