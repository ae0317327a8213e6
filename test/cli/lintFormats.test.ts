// `slb-labels lint --format sarif|github`: SARIF 2.1.0 that Microsoft's validator (the SARIF
// Multitool, with its GitHub ingestion rules) accepts, checked again against the SARIF 2.1.0 JSON
// schema shipped with it; GitHub workflow commands with their escaping. Text and JSON are covered
// by lint.test.ts and stay as they were.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { formatGithub, LintFileResult } from '../../server/src/cli/formats';
import { ruleMetadata } from '../../server/src/cli/ruleMetadata';
import { REPO_ROOT } from '../helpers/repo';

const CLI = path.join(REPO_ROOT, 'dist/cli/slb-labels.js');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/cli');
let tree: string;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tree, input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tree, LANG: 'C' }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The validator binary for this platform (@microsoft/sarif-multitool picks the package). */
function multitool(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@microsoft/sarif-multitool') as string;
}

interface ValidatorResult {
  ruleId: string;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
}

/**
 * Runs `Sarif.Multitool validate` with the SARIF and GitHub (Gh) rule sets and returns what it
 * found. The tool would try to fetch the log's URIs (rule SARIF2006): a proxy on a closed loopback
 * port keeps every such request on this machine. Its exit code is 0 whatever it finds, and a log
 * it cannot deserialize yields no results at all, hence the schema check beside it.
 */
function validate(sarifPath: string): ValidatorResult[] {
  const out = path.join(path.dirname(sarifPath), `${path.basename(sarifPath)}.validation.sarif`);
  fs.rmSync(out, { force: true });
  const r = spawnSync(multitool(), ['validate', sarifPath, '--output', out, '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', HOME: tree, DOTNET_CLI_TELEMETRY_OPTOUT: '1', HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' },
  });
  assert.equal(r.status, 0, `validator failed to run: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /Analysis completed successfully/);
  const log = JSON.parse(fs.readFileSync(out, 'utf8'));
  return log.runs[0].results as ValidatorResult[];
}

function schemaErrors(log: unknown): string[] {
  const schemaFile = path.join(path.dirname(multitool()), 'sarif-2.1.0.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(schema);
  return check(log) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

before(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'slb lint formats ')); // a space: URIs must be encoded
  fs.mkdirSync(path.join(tree, 'deploy prod'));
  fs.copyFileSync(path.join(FIXTURES, 'errors.yml'), path.join(tree, 'deploy prod', 'docker-compose.yml'));
  fs.copyFileSync(path.join(FIXTURES, 'warnings.yml'), path.join(tree, 'docker-compose.yml'));
  fs.mkdirSync(path.join(tree, 'k8s'));
  fs.copyFileSync(path.join(REPO_ROOT, 'test/k8s/fixtures/broken.yaml'), path.join(tree, 'k8s', 'web.yaml'));
  // Related locations (a duplicate front port names the other label).
  fs.writeFileSync(path.join(tree, 'compose.yaml'), `services:
  a:
    image: nginx
    ports:
      - "8080:80"
    labels:
      aliyun.lb.port_80: tcp://slb_web:80
  b:
    image: nginx
    ports:
      - "8081:80"
    labels:
      aliyun.lb.port_80: tcp://slb_web:80
`);
});
after(() => fs.rmSync(tree, { recursive: true, force: true }));

describe('slb-labels lint --format sarif', () => {
  let sarifPath: string;
  let log: any;

  before(() => {
    const r = run(['lint', '.', '--format', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    sarifPath = path.join(tree, 'slb-labels.sarif');
    fs.writeFileSync(sarifPath, r.stdout);
    log = JSON.parse(r.stdout);
  });

  it('is SARIF 2.1.0 with relative, encoded artifact URIs under %SRCROOT%', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'slb-labels');
    assert.equal(run0.originalUriBaseIds['%SRCROOT%'].uri, new URL(`file://${tree.split(path.sep).map(encodeURIComponent).join('/')}/`).href);
    const uris = new Set(run0.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
    assert.deepEqual([...uris].sort(), ['compose.yaml', 'deploy%20prod/docker-compose.yml', 'docker-compose.yml', 'k8s/web.yaml']);
    for (const r of run0.results) assert.equal(r.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    const scheme = run0.results.find((r: any) => r.ruleId === 'lb-scheme-unknown');
    assert.deepEqual(scheme.locations[0].physicalLocation.region, { startLine: 9, startColumn: 26, endLine: 9, endColumn: 29 });
    assert.equal(scheme.level, 'error');
    assert.equal(run0.tool.driver.rules[scheme.ruleIndex].id, 'lb-scheme-unknown');
    assert.ok(run0.results.some((r: any) => r.relatedLocations?.length > 0), 'related locations carried over');
    assert.equal(run0.invocations[0].executionSuccessful, true);
  });

  it('describes every rule: each result\'s rule, and every rule of the registry, with short, full and help text', () => {
    const rules = log.runs[0].tool.driver.rules as any[];
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'each rule once');
    for (const r of log.runs[0].results) assert.ok(ids.includes(r.ruleId), r.ruleId);
    assert.ok(ruleMetadata('en').length > 0, 'rule documentation is available');
    for (const meta of ruleMetadata('en')) assert.ok(ids.includes(meta.code), `registry rule ${meta.code}`);
    const k8s = log.runs[0].results.find((r: any) => r.ruleId === 'k8s-annotation-int');
    assert.ok(k8s, 'a Kubernetes result');
    assert.match(rules[k8s.ruleIndex].fullDescription.text, /\w+ \w+ \w+/, 'documented from the rule specs');
    for (const rule of rules) {
      for (const k of ['shortDescription', 'fullDescription', 'help']) assert.ok(rule[k]?.text, `${rule.id}.${k}`);
      const meta = ruleMetadata('en').find((m) => m.code === rule.id);
      if (meta) {
        assert.equal(rule.shortDescription.text, meta.short);
        assert.equal(rule.fullDescription.text, meta.full);
        assert.equal(rule.help.text, meta.help);
      }
    }
  });

  it('passes Microsoft\'s SARIF validator (SARIF and GitHub rules): no error, no warning but a missing informationUri', () => {
    const found = validate(sarifPath);
    const errors = found.filter((r) => r.level === 'error');
    assert.deepEqual(errors.map((e) => `${e.ruleId} ${e.message.arguments?.join(' | ')}`), []);
    const warnings = found.filter((r) => r.level === 'warning' || r.level === undefined);
    // SARIF2005: the tool has no informationUri (the package declares no homepage to point at).
    assert.deepEqual([...new Set(warnings.map((w) => w.ruleId))], ['SARIF2005']);
  });

  it('matches the SARIF 2.1.0 JSON schema', () => {
    assert.deepEqual(schemaErrors(log), []);
  });

  it('the validator and the schema reject a broken log (neither check is a no-op)', () => {
    const broken = JSON.parse(JSON.stringify(log));
    const region = broken.runs[0].results[0].locations[0].physicalLocation.region;
    region.startLine = 0;
    broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'deploy prod/docker-compose.yml';
    const brokenPath = path.join(tree, 'broken.sarif');
    fs.writeFileSync(brokenPath, JSON.stringify(broken, null, 2));
    const errors = validate(brokenPath).filter((r) => r.level === 'error').map((r) => r.ruleId);
    assert.ok(errors.includes('JSON1008'), `startLine 0: ${errors}`);
    assert.ok(errors.includes('SARIF1002'), `URI with a space: ${errors}`);
    const badLevel = JSON.parse(JSON.stringify(log));
    badLevel.runs[0].results[0].level = 'fatal';
    assert.ok(schemaErrors(badLevel).length > 0, 'the schema check sees what the validator skips (a log it cannot deserialize)');
  });

  it('an unreadable input makes the run incomplete, with a notification, and stays valid', () => {
    const r = run(['lint', 'docker-compose.yml', 'missing.yml', '--format', 'sarif']);
    assert.equal(r.code, 2);
    const partial = JSON.parse(r.stdout);
    assert.equal(partial.runs[0].invocations[0].executionSuccessful, false);
    assert.match(partial.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /missing\.yml: no such file/);
    assert.deepEqual(schemaErrors(partial), []);
    const p = path.join(tree, 'partial.sarif');
    fs.writeFileSync(p, r.stdout);
    assert.deepEqual(validate(p).filter((x) => x.level === 'error').map((x) => x.ruleId), []);
  });
});

describe('slb-labels lint --format github', () => {
  it('one workflow command per finding with file, line, col, end and title; level by severity', () => {
    const r = run(['lint', '.', '--format', 'github']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.includes("::error file=deploy prod/docker-compose.yml,line=9,endLine=9,col=26,endColumn=29,title=slb-labels lb-scheme-unknown::Scheme 'tls' is not supported by aliyun.lb: use tcp, http, https or udp."), r.stdout);
    assert.ok(lines.some((l) => l.startsWith('::warning file=docker-compose.yml,line=') && l.includes('title=slb-labels ')), r.stdout);
    assert.match(lines[lines.length - 1], /^\d+ error\(s\), \d+ warning\(s\) in 4 file\(s\)$/);
  });

  it('escapes data (%, CR, LF) and properties (also : and ,) as the runner reads them', () => {
    const results: LintFileResult[] = [
      { file: 'a,b:c%.yml', diagnostics: [{ line: 1, column: 2, endLine: 1, endColumn: 3, severity: 'information', code: 'x-code', message: '100% sure\r\nsecond line: a, b' }] },
    ];
    const text = formatGithub(results, { cwd: tree, notes: [{ level: 'error', message: 'no such file: a%b' }] });
    const [finding, note] = text.split('\n');
    assert.equal(finding, '::notice file=a%2Cb%3Ac%25.yml,line=1,endLine=1,col=2,endColumn=3,title=slb-labels x-code::100%25 sure%0D%0Asecond line: a, b');
    assert.equal(note, '::error title=slb-labels::no such file: a%25b');
  });
});
