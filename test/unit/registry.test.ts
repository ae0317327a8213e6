// The rule registry is the one list of rules: every code the engine reports is declared there,
// every declared code has a test block, Chinese documentation and a README row, and the guards
// that used to keep their own lists read it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { isPortChainCode, listRules, listRulesText, readmeRulesTable, ruleFor, RULE_PROVIDERS, RULES, withReadmeRulesTable } from '../../server/src/engine/rules/registry';
import { portChainBlocker } from '../../server/src/engine/rules/serviceRules';
import { parseShortPort } from '../../server/src/engine/compose/parse';
import { CORPUS, FIXTURES, REPO_ROOT } from './helpers';

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, suffix));
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

describe('rule registry', () => {
  test('codes are unique and well formed', () => {
    const codes = RULES.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)+$/, code);
  });

  const sources = filesUnder(path.join(REPO_ROOT, 'test'), '.test.ts').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const k8sCodes = new Set(RULE_PROVIDERS.find((p) => p.id === 'k8s/rules')?.rules.map((r) => r.code) ?? []);

  test('every code has a test block: describe(<code>) in some test file', () => {
    const missing = RULES.map((r) => r.code).filter((code) => !k8sCodes.has(code) && !new RegExp(`describe\\(\\s*['"\`]${code}['"\`]`).test(sources));
    assert.deepEqual(missing, [], `no describe('<code>') block for: ${missing.join(', ')}`);
  });

  // The Kubernetes checks (issue 13) are tested in test/k8s, not yet one describe block per code.
  const k8sSources = filesUnder(path.join(REPO_ROOT, 'test', 'k8s'), '.ts').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const k8sUntested = [...k8sCodes].filter((code) => !k8sSources.includes(code));
  test('every Kubernetes code is named in a test/k8s test', { todo: k8sUntested.length > 0 ? `not named in test/k8s: ${k8sUntested.join(', ')}` : false }, () => {
    assert.deepEqual(k8sUntested, []);
  });

  test('every code is documented in English and Chinese (short, full, help) with an example', () => {
    for (const r of RULES) {
      for (const field of ['short', 'full', 'help'] as const) {
        assert.ok(r.docs.en[field].trim().length > 5, `${r.code} en.${field}`);
        assert.match(r.docs['zh-cn'][field], /[\u4e00-\u9fff]/, `${r.code} zh-cn.${field} has no Chinese`);
      }
      assert.ok(r.example.trim().length > 0, `${r.code} example`);
    }
    assert.deepEqual(listRules('zh-CN').map((r) => r.code), listRules('en').map((r) => r.code));
    assert.match(listRules('zh-CN')[0].short, /[\u4e00-\u9fff]/);
  });

  test('the README checks table is the one generated from the registry, one row per code', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    assert.equal(withReadmeRulesTable(readme), readme, 'README table differs from the registry: run npm run readme:rules');
    for (const r of RULES) assert.ok(readme.includes(`| \`${r.code}\` |`), `README row for ${r.code}`);
    assert.equal(readmeRulesTable().split('\n').length, RULES.length + 2);
  });

  test('--list-rules text lists every code', () => {
    const text = listRulesText('en');
    for (const r of RULES) assert.match(text, new RegExp(`^${r.code} `, 'm'));
  });

  test('every code the engine writes into a finding is declared', () => {
    const dirs = ['server/src/engine/rules', 'server/src/engine/compose', 'server/src/engine/cloud/onlineRules.ts', 'server/src/engine/analysis.ts', 'server/src/engine/analysisLimits.ts'];
    const files = dirs.flatMap((d) => (d.endsWith('.ts') ? [path.join(REPO_ROOT, d)] : filesUnder(path.join(REPO_ROOT, d), '.ts')));
    const written = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(/code: '([a-z0-9-]+)'/g)) written.add(m[1]);
    const undeclared = [...written].filter((c) => !ruleFor(c));
    assert.deepEqual(undeclared, []);
  });

  test('findings on fixtures and corpus carry declared codes at a declared severity', () => {
    const texts = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yml')).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    if (fs.existsSync(CORPUS)) texts.push(...fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yml')).map((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8')));
    let seen = 0;
    for (const text of texts) {
      for (const f of new ComposeAnalyzer().analyze(text).findings) {
        const r = ruleFor(f.code);
        assert.ok(r, `undeclared code ${f.code}`);
        assert.ok([r.severity, ...(r.otherSeverities ?? [])].includes(f.severity), `${f.code} reported as ${f.severity}`);
        seen++;
      }
    }
    assert.ok(seen > 10, `only ${seen} findings: the check is vacuous`);
  });

  test('the provisioning guard reads the port-chain category', () => {
    for (const code of ['lb-port-not-published', 'lb-port-random-host', 'lb-protocol-mismatch', 'lb-port-loopback-only', 'lb-port-range-one-sided']) assert.ok(isPortChainCode(code), code);
    for (const code of ['lb-scheme-unknown', 'lb-value-malformed', 'lb-slb-shared', 'no-such-code']) assert.ok(!isPortChainCode(code), code);
  });

  test("completion's guard names port-chain rules of the registry", () => {
    const cases: [string, string | undefined][] = [['80:80', undefined], ['80', 'lb-port-random-host'], ['8000-8010:80', 'lb-port-range-one-sided'], ['127.0.0.1:80:80', 'lb-port-loopback-only'], ['80:80/sctp', 'lb-protocol-mismatch'], ['abc:80', 'port-invalid']];
    for (const [raw, expected] of cases) {
      const p = { raw, span: { start: 0, end: 0 }, form: 'short' as const, inherited: false, unresolved: false, ...parseShortPort(raw) };
      const code = portChainBlocker(p);
      assert.equal(code, expected, raw);
      if (code) assert.equal(ruleFor(code)?.category, 'port chain', code);
    }
  });
});
