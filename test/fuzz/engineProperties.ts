// The property-based layer of the fuzz harness (fast-check): compose-like texts, built from the
// pieces real files are made of and then mangled by random edits, must never make the engine
// throw, hang or disagree with itself. Not a test file: fuzz.test.ts and scripts/fuzz.mjs run it
// (in a worker thread, engineWorker.ts, so a hang is caught and reported with its input).
import fc from 'fast-check';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { complete } from '../../server/src/engine/features/completion';
import { hover } from '../../server/src/engine/features/hover';
import { Finding } from '../../server/src/engine/rules/types';
import { textOf } from '../../server/src/engine/text';

const LABEL_KEYS = ['aliyun.lb.port_80', 'aliyun.lb.port_443', 'aliyun.lb.port_53', 'aliyun.routing.port_80', 'aliyun.scale', 'aliyun.global', 'aliyun.probe.url', 'aliyun.depends', 'aliyun.rolling_updates', 'aliyun.lb.port_', 'aliyun.', 'com.example.x', '"aliyun.lb.port_8080"'];
const LABEL_VALUES = ['tcp://slb_web:80', 'http://slb:8080', 'https://lb-2ze0e2wlvf9l1hfv9m1lv:443', 'udp://dns:53', 'tcp://${SLB}:80', 'TCP://x:99999', 'tcp://slb_web:', '"tcp://q:80"', "'1'", '1', 'true', 'yes', '*ref', '[a, b]', '{x: 1}', '!!str 5', '%s', '', 'http://a.example.com;b', 'tcp://slb:80 # note'];
const PORTS = ['"80:80"', '8080:80', '"53:53/udp"', '"80"', '80', '"${P}:80"', '"[::1]:8080:80"', '1:2:3:4', '"8000-8001:80-81"', '{target: 80, published: 8080}', '22:22', '"0:0"'];
const JUNK = ['\n', ' ', '  ', ':', ': ', '-', '- ', '#', '&a ', '*a', '<<: *a', '[', ']', '{', '}', '"', "'", '|', '>', '\t', '\r', '\r\n', '---\n', '...\n', '%', '!', '@', '`', '\u0000', '\ufeff', '\ud800', '中文', 'aliyun.', 'labels:', 'ports:', 'services:', '${', '}'];

const indent = (n: number) => ' '.repeat(n);

/** One service in the shapes compose files use (map or list labels, short or long ports, anchors). */
const serviceArb = fc.record({
  name: fc.constantFrom('web', 'db', 'proxy', 'slb_web', 'api', 'w-1', 'x'),
  image: fc.option(fc.constantFrom('nginx', 'redis:7', '"${IMAGE}"'), { nil: undefined }),
  ports: fc.array(fc.constantFrom(...PORTS), { maxLength: 4 }),
  flowPorts: fc.boolean(),
  labels: fc.array(fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES)), { maxLength: 5 }),
  listLabels: fc.boolean(),
  deployLabels: fc.boolean(),
  anchor: fc.boolean(),
  merge: fc.boolean(),
});

type Service = typeof serviceArb extends fc.Arbitrary<infer T> ? T : never;

function serviceText(s: Service, i: number, step: number): string {
  const lines = [`${indent(step)}${s.name}${i}:${s.anchor ? ` &svc${i}` : ''}`];
  const inner = indent(step * 2);
  if (s.merge && i > 0) lines.push(`${inner}<<: *svc${i - 1}`);
  if (s.image) lines.push(`${inner}image: ${s.image}`);
  if (s.ports.length > 0) {
    if (s.flowPorts) lines.push(`${inner}ports: [${s.ports.join(', ')}]`);
    else lines.push(`${inner}ports:`, ...s.ports.map((p) => `${inner}${indent(step)}- ${p}`));
  }
  if (s.labels.length > 0) {
    const at = s.deployLabels ? `${inner}deploy:\n${inner}${indent(step)}` : inner;
    const labelIndent = s.deployLabels ? inner + indent(step * 2) : inner + indent(step);
    lines.push(`${at}labels:`);
    for (const [k, v] of s.labels) lines.push(s.listLabels ? `${labelIndent}- ${k.replace(/"/g, '')}=${v}` : `${labelIndent}${k}: ${v}`);
  }
  return lines.join('\n');
}

/** A compose-like text: optional version/x- blocks, then services (v2 `services:` or v1 top-level). */
const wholeFileArb = fc
  .record({
    version: fc.constantFrom('', 'version: "2"\n', "version: '3.8'\n"),
    v1: fc.boolean(),
    step: fc.constantFrom(2, 4),
    xBlock: fc.boolean(),
    services: fc.array(serviceArb, { minLength: 0, maxLength: 6 }),
    eol: fc.constantFrom('\n', '\r\n'),
  })
  .map(({ version, v1, step, xBlock, services, eol }) => {
    const head = version + (xBlock ? 'x-common: &common\n  image: nginx\n  labels:\n    aliyun.scale: "1"\n' : '');
    const body = services.map((s, i) => serviceText(s, i, v1 ? step / 2 : step)).join('\n');
    const text = v1 ? head + body.replace(/^ {1,2}/gm, '') : `${head}services:\n${body}\n`;
    return eol === '\n' ? text : text.replace(/\n/g, eol);
  });

/** What a user has typed so far: label lines alone, indented, after blank lines or comments (defect 1's shape). */
const fragmentArb = fc
  .record({
    lead: fc.constantFrom('', '\n', '\n\n', '\r\n', '# c\n', '---\n', '\n    labels:\n'),
    lines: fc.array(fc.tuple(fc.constantFrom(0, 2, 4, 6), fc.constantFrom('', '- '), fc.constantFrom(...LABEL_KEYS), fc.constantFrom(': ', ':', ' : ', '='), fc.constantFrom(...LABEL_VALUES)), { minLength: 1, maxLength: 4 }),
    end: fc.constantFrom('', '\n'),
  })
  .map(({ lead, lines, end }) => lead + lines.map(([n, dash, key, sep, value]) => `${indent(n)}${dash}${key}${sep}${value}`).join('\n') + end);

export const composeArb = fc.oneof({ arbitrary: wholeFileArb, weight: 4 }, { arbitrary: fragmentArb, weight: 1 });

/** An edit at a fraction of the text: delete some characters, insert a few pieces. */
export const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 12 }),
  insert: fc.array(fc.oneof(fc.constantFrom(...JUNK), fc.constantFrom(...LABEL_KEYS.map((k) => `${k}: `)), fc.constantFrom(...LABEL_VALUES), fc.string({ maxLength: 6 })), { maxLength: 4 }).map((parts) => parts.join('')),
});

export function applyEdit(text: string, edit: { at: number; remove: number; insert: string }): string {
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  return text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
}

/** Findings without object identity, for comparing two analyses. */
function normalise(findings: Finding[]): string[] {
  return findings.map((f) => JSON.stringify([f.code, f.severity, f.span.start, f.span.end, f.message, f.related?.map((r) => [r.span.start, r.span.end, r.message]), f.fixes?.map((x) => [x.title, x.edits])])).sort();
}

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

/** What must hold for one text: it is called with every generated (and shrunk) case. */
export function checkText(text: string, previous: string | undefined, positions: { line: number; character: number }[]): void {
  const started = performance.now();
  const analysis = new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' });
  check(performance.now() - started < 2000, `analysis took ${Math.round(performance.now() - started)} ms`);
  for (const f of analysis.findings) {
    check(f.code && f.message, `finding without code or message: ${JSON.stringify(f)}`);
    check(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.code} span ${JSON.stringify(f.span)} outside text of ${text.length}`);
    for (const fix of f.fixes ?? []) for (const e of fix.edits) check(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `${f.code} fix edit ${JSON.stringify(e.span)} outside text`);
  }
  // Deterministic: a second analyzer says the same.
  const again = normalise(new ComposeAnalyzer().analyze(text, { yamlSyntaxErrors: 'all' }).findings);
  const fresh = normalise(analysis.findings);
  check(JSON.stringify(again) === JSON.stringify(fresh), 'two fresh analyses differ');
  // Incremental: an analyzer that saw the text before the edit ends where a fresh one does.
  if (previous !== undefined) {
    const incremental = new ComposeAnalyzer();
    incremental.analyze(previous, { yamlSyntaxErrors: 'all' });
    const after = normalise(incremental.analyze(text, { yamlSyntaxErrors: 'all' }).findings);
    check(JSON.stringify(after) === JSON.stringify(fresh), `incremental analysis after the edit differs from a fresh one:\n${after.filter((x) => !fresh.includes(x)).join('\n')}\n--- fresh only:\n${fresh.filter((x) => !after.includes(x)).join('\n')}`);
  }
  // Completion and hover anywhere (also past the end of a line or the text) answer without throwing.
  const doc = textOf(text);
  const analyzer = new ComposeAnalyzer();
  for (const position of positions) {
    const t0 = performance.now();
    const items = complete(doc, position, { analyzer, workspaceSlbs: [], snippetSupport: true });
    check(Array.isArray(items), 'completion did not answer a list');
    hover(doc, position, { analyzer });
    check(performance.now() - t0 < 2000, `completion + hover at ${JSON.stringify(position)} took ${Math.round(performance.now() - t0)} ms`);
  }
}

export const caseArb = fc.record({
  base: composeArb,
  edits: fc.array(editArb, { maxLength: 6 }),
  positions: fc.array(fc.record({ line: fc.nat({ max: 60 }), character: fc.nat({ max: 80 }) }), { minLength: 1, maxLength: 4 }),
});

export type FuzzCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Runs one case: every intermediate text of the edit chain is checked (with its predecessor). */
export function runCase(c: FuzzCase, onText?: (text: string) => void): void {
  let text = c.base;
  onText?.(text);
  checkText(text, undefined, c.positions);
  for (const edit of c.edits) {
    const next = applyEdit(text, edit);
    onText?.(next);
    checkText(next, text, c.positions);
    text = next;
  }
}

export interface EngineFuzzReport {
  seed: number;
  numRuns: number;
  failure?: string;
}

/** Runs the properties for about `timeLimitMs` from `seed`; a failure comes back shrunk, with its seed and path. */
export function runEngineFuzz(seed: number, timeLimitMs: number, onText?: (text: string) => void, path?: string): EngineFuzzReport {
  const result = fc.check(
    fc.property(caseArb, (c) => runCase(c, onText)),
    { seed, path, numRuns: 1_000_000, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false, endOnFailure: false },
  );
  if (!result.failed) return { seed, numRuns: result.numRuns };
  const counterexample = result.counterexample ? JSON.stringify(result.counterexample[0]) : '(none)';
  const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return { seed, numRuns: result.numRuns, failure: `${error}\ncounterexample: ${counterexample}\nreplay: FUZZ_SEED=${seed} (fast-check path ${result.counterexamplePath})` };
}
