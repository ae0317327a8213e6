// The "Getting started" walkthrough (contributes.walkthroughs): its steps, their %nls% strings in
// English and Chinese, the markdown media (present and packaged), and that every command it links
// to or completes on is one the extension contributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../client/src/clientOptions';
import { REPO_ROOT } from '../helpers/repo';

const ROOT = REPO_ROOT;
const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
const pkg = readJson('package.json');
const nlsEn: Record<string, string> = readJson('package.nls.json');
const nlsZh: Record<string, string> = readJson('package.nls.zh-cn.json');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const walkthroughs = (pkg.contributes.walkthroughs ?? []) as Array<{ id: string; title: string; description: string; steps: Step[] }>;
const contributed = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
const key = (s: string) => /^%(.+)%$/.exec(s)?.[1];

test('one "Getting started" walkthrough with the five steps in order', () => {
  assert.equal(walkthroughs.length, 1);
  const w = walkthroughs[0];
  assert.equal(w.id, 'gettingStarted');
  assert.equal(nlsEn[key(w.title)!], 'Get started with Aliyun SLB Labels');
  assert.deepEqual(
    w.steps.map((s) => s.id),
    ['openCompose', 'credentials', 'provision', 'reachability', 'sandbox'],
  );
});

test('every walkthrough string is a %nls% key with English and Chinese text', () => {
  const w = walkthroughs[0];
  for (const s of [w.title, w.description, ...w.steps.flatMap((st) => [st.title, st.description])]) {
    const k = key(s);
    assert.ok(k, `${s} is not a %nls% key`);
    assert.ok(nlsEn[k], `package.nls.json lacks ${k}`);
    assert.ok(nlsZh[k] && /[\u4e00-\u9fff]/.test(nlsZh[k]), `package.nls.zh-cn.json: ${k} is missing or not Chinese`);
  }
});

test('the steps link to the contributed commands: setAccessKey, selectRegion, provisionLabel, checkReachabilityLabel', () => {
  const steps = Object.fromEntries(walkthroughs[0].steps.map((s) => [s.id, s]));
  const links = (id: string, nls: Record<string, string>) => [...nls[key(steps[id].description)!].matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
  for (const nls of [nlsEn, nlsZh]) {
    assert.deepEqual(links('credentials', nls), [COMMANDS.setAccessKey, COMMANDS.selectRegion]);
    assert.deepEqual(links('provision', nls), [COMMANDS.provisionLabel]);
    assert.deepEqual(links('reachability', nls), [COMMANDS.checkReachabilityLabel]);
    // Every link to one of our commands (aliyunSlbLabels.*) names a contributed command; the others are VS Code's.
    for (const s of walkthroughs[0].steps) {
      for (const c of links(s.id, nls)) {
        if (c.startsWith('aliyunSlbLabels.')) assert.ok(contributed.has(c), `step ${s.id} links to ${c}, which is not contributed`);
        else assert.match(c, /^workbench\.action\./, `step ${s.id}: unexpected command ${c}`);
      }
    }
  }
  for (const s of walkthroughs[0].steps) {
    for (const e of s.completionEvents ?? []) {
      const cmd = /^onCommand:(.+)$/.exec(e)?.[1];
      if (cmd) assert.ok(contributed.has(cmd), `step ${s.id} completes on ${cmd}, which is not contributed`);
    }
    assert.ok((s.completionEvents ?? []).length > 0, `step ${s.id} has no completion event`);
  }
});

test('each step has a small markdown media file under media/walkthrough/, let into the .vsix by .vscodeignore', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!media/walkthrough/*.md'), '.vscodeignore does not let media/walkthrough/*.md in');
  for (const s of walkthroughs[0].steps) {
    const md = s.media.markdown;
    assert.ok(md && /^media\/walkthrough\/[a-z-]+\.md$/.test(md), `step ${s.id}: media ${JSON.stringify(s.media)}`);
    const text = fs.readFileSync(path.join(ROOT, md), 'utf8');
    assert.ok(text.startsWith('# '), `${md} has no heading`);
    assert.ok(text.length < 4000, `${md} is ${text.length} characters; keep step media short`);
    // Relative links must point at files that are packaged too (docs/*.md).
    for (const m of text.matchAll(/\]\((\.[^)#]+)(#[^)]*)?\)/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(md), m[1]));
      assert.match(target, /^docs\/[^/]+\.md$/, `${md} links to ${target}, which is not packaged`);
      assert.ok(fs.existsSync(path.join(ROOT, target)), `${md} links to a missing ${target}`);
    }
  }
});

test('steps check off on what the user achieved (context keys the client sets), not on a click that may fail; no raw backticks', () => {
  const w = walkthroughs[0];
  const client = ['client/src/extension.ts', 'client/src/cloudCommands.ts', 'client/src/statusBar.ts'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  for (const s of w.steps) {
    const events = s.completionEvents ?? [];
    assert.ok(events.length > 0 && events.every((e) => e.startsWith('onContext:aliyunSlbLabels.walkthrough.')), `${s.id}: ${events.join(', ')}`);
    for (const e of events) {
      const step = e.slice('onContext:aliyunSlbLabels.walkthrough.'.length);
      assert.ok(client.includes(`markWalkthrough('${step}')`), `nothing in the client sets ${e}`);
    }
    for (const nls of [nlsEn, nlsZh]) assert.ok(!nls[key(s.description)!].includes('`'), `${s.id}: raw backticks in ${nls[key(s.description)!]}`);
  }
  // A command opens the walkthrough.
  assert.ok(contributed.has(COMMANDS.openWalkthrough));
  assert.match(fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8'), /workbench\.action\.openWalkthrough', `\$\{context\.extension\.id\}#gettingStarted`/);
});
