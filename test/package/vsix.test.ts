// Packages the extension with vsce (as `npm run package` does) and checks what the .vsix holds:
// the bundles, manifest, translations and grammar; no sources, tests, maps or node_modules.
// Needs `npm run build` first (dist/ is what gets packaged).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { REPO_ROOT } from '../helpers/repo';
import { SERVER_NODE_OPTIONS } from '../../client/src/clientOptions';


const ROOT = REPO_ROOT;
const BUNDLES = ['dist/client/extension.js', 'dist/server/server.js', 'dist/cli/slb-labels.js'];

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Reads the central directory of a zip file (a .vsix is one). No ZIP64: a .vsix this small never needs it. */
function listZip(buf: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  // The end-of-central-directory record is at the end, followed by a comment of at most 65535 bytes.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({ name, method, compressedSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function readZipEntry(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localHeaderOffset;
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new Error(`bad local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data);
  if (e.method === 8) return zlib.inflateRawSync(data);
  throw new Error(`unsupported compression method ${e.method} for ${e.name}`);
}

let tmp = '';
let vsixPath = '';
let zip: Buffer;
let entries: ZipEntry[] = [];
let names: string[] = [];

before(() => {
  const missing = BUNDLES.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) {
    throw new Error(`dist/ is not built (missing ${missing.join(', ')}): run \`npm run build\` before this test.`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slb-vsix-'));
  vsixPath = path.join(tmp, 'x.vsix');
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  try {
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixPath], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 120_000,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`vsce package failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  zip = fs.readFileSync(vsixPath);
  entries = listZip(zip);
  names = entries.map((e) => e.name);
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function entry(name: string): Buffer {
  const e = entries.find((x) => x.name === name);
  assert.ok(e, `${name} is not in the .vsix`);
  return readZipEntry(zip, e);
}

test('the .vsix holds the manifest, the three bundles, translations and the grammar', () => {
  const required = [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/package.nls.json',
    'extension/package.nls.zh-cn.json',
    'extension/l10n/bundle.l10n.zh-cn.json',
    'extension/syntaxes/aliyun-lb-labels.injection.tmLanguage.json',
    'extension/media/walkthrough/open-compose.md',
    'extension/media/walkthrough/sandbox.md',
    'extension/LICENSE.txt',
    ...BUNDLES.map((b) => `extension/${b}`),
  ];
  for (const r of required) {
    // vsce renames LICENSE to LICENSE.txt; accept either spelling.
    const ok = r === 'extension/LICENSE.txt' ? names.some((n) => /^extension\/LICENSE(\.txt)?$/i.test(n)) : names.includes(r);
    assert.ok(ok, `${r} missing from the .vsix; entries:\n${names.join('\n')}`);
  }
});

test('no sources, tests, source maps or node_modules are shipped', () => {
  const bad = names.filter(
    (n) =>
      /\.tsx?$/.test(n) ||
      /\.map$/.test(n) ||
      /(^|\/)node_modules\//.test(n) ||
      /^extension\/(test|out|bench|sandbox|client|server|examples|\.ci|\.e2e|\.github)\//.test(n) ||
      /^extension\/(tsconfig\.json|esbuild\.mjs|package-lock\.json|\.vscodeignore|\.gitignore)$/.test(n) ||
      /\.vsix$/.test(n),
  );
  assert.deepEqual(bad, [], `unexpected files in the .vsix:\n${bad.join('\n')}`);
  // Everything under extension/ must be one of the allowed places.
  const allowed = /^extension\/(package\.json|package\.nls(\.[a-z-]+)?\.json|README\.md|CHANGELOG\.md|LICENSE(\.txt)?|l10n\/[^/]+\.json|syntaxes\/[^/]+\.json|dist\/(client|server|cli)\/[^/]+\.js|docs\/[^/]+\.md|docs\/screenshots\/[^/]+\.png|media\/walkthrough\/[^/]+\.md)$/i; // vsce writes readme.md, changelog.md, LICENSE.txt
  const unexpected = names.filter((n) => n.startsWith('extension/') && !allowed.test(n));
  assert.deepEqual(unexpected, [], `files outside the allowed set:\n${unexpected.join('\n')}`);
});

test('the packaged manifest targets VS Code 1.100 or older and resolves its %nls% keys', () => {
  const pkg = JSON.parse(entry('extension/package.json').toString('utf8'));
  const range = String(pkg.engines?.vscode ?? '');
  const m = /^\^?(\d+)\.(\d+)\.(\d+)$/.exec(range);
  assert.ok(m, `engines.vscode ${JSON.stringify(range)} is not a ^major.minor.patch range`);
  const [maj, min] = [Number(m[1]), Number(m[2])];
  assert.ok(maj < 1 || (maj === 1 && min <= 100), `engines.vscode ${range} is newer than ^1.100.0 (the e2e VS Code is 1.100.3)`);
  assert.equal(pkg.main, './dist/client/extension.js');
  assert.ok(pkg.activationEvents.includes('onLanguage:dockercompose') && pkg.activationEvents.includes('onLanguage:yaml'));

  const en = JSON.parse(entry('extension/package.nls.json').toString('utf8'));
  const zh = JSON.parse(entry('extension/package.nls.zh-cn.json').toString('utf8'));
  const keys = new Set<string>();
  JSON.stringify(pkg).replace(/"%([^%"]+)%"/g, (_s, k: string) => (keys.add(k), ''));
  assert.ok(keys.size > 0, 'manifest uses no %nls% keys');
  for (const k of keys) {
    assert.ok(k in en, `package.nls.json lacks ${k}`);
    assert.ok(k in zh, `package.nls.zh-cn.json lacks ${k}`);
  }
  for (const g of pkg.contributes?.grammars ?? []) {
    const p = path.posix.join('extension', path.posix.normalize(g.path));
    assert.ok(names.includes(p), `grammar ${g.path} is not in the .vsix`);
  }
});

test('the bundled server and CLI are executable node scripts', () => {
  for (const b of ['extension/dist/server/server.js', 'extension/dist/cli/slb-labels.js']) {
    const head = entry(b).subarray(0, 64).toString('utf8');
    assert.match(head, /^#!\/usr\/bin\/env (-S )?node[ \n]/, `${b} has no node shebang: ${JSON.stringify(head)}`);
  }
  // The language server bin starts as the VS Code client starts it (client/src/clientOptions.ts, SERVER_NODE_OPTIONS).
  assert.ok(entry('extension/dist/server/server.js').subarray(0, 96).toString('utf8').startsWith(`#!/usr/bin/env -S node ${SERVER_NODE_OPTIONS.join(' ')}\n`));
  assert.ok(zip.length < 10 * 1024 * 1024, `.vsix is ${zip.length} bytes; expected well under 10 MB`);
});
