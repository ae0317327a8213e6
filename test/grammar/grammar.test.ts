// Tokenizes compose snippets with VS Code's real YAML grammar plus our injection grammar
// (vscode-textmate + vscode-oniguruma, the same engine VS Code uses) and checks the scopes
// given to each part of an aliyun.lb.port_* label.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { REPO_ROOT } from '../helpers/repo';


const ROOT = REPO_ROOT;
const INJECTION_PATH = path.join(ROOT, 'syntaxes', 'aliyun-lb-labels.injection.tmLanguage.json');
const YAML_DIR = path.join(ROOT, 'test', 'grammar', 'fixtures', 'vscode-yaml');
const YAML_FILES: Record<string, string> = {
  'source.yaml': 'yaml.tmLanguage.json',
  'source.yaml.1.0': 'yaml-1.0.tmLanguage.json',
  'source.yaml.1.1': 'yaml-1.1.tmLanguage.json',
  'source.yaml.1.2': 'yaml-1.2.tmLanguage.json',
  'source.yaml.1.3': 'yaml-1.3.tmLanguage.json',
  'source.yaml.embedded': 'yaml-embedded.tmLanguage.json',
};

const injectionJson = JSON.parse(fs.readFileSync(INJECTION_PATH, 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
};
const INJECTION_SCOPE = injectionJson.scopeName;

interface Tok {
  text: string;
  start: number;
  scopes: string[];
}

let withInjection: vsctm.IGrammar;
let plainYaml: vsctm.IGrammar;

function makeRegistry(inject: boolean): vsctm.Registry {
  const onigLib = Promise.resolve({
    createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  });
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName: string) => {
      if (YAML_FILES[scopeName]) {
        const file = path.join(YAML_DIR, YAML_FILES[scopeName]);
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      if (scopeName === INJECTION_SCOPE) {
        return vsctm.parseRawGrammar(fs.readFileSync(INJECTION_PATH, 'utf8'), INJECTION_PATH);
      }
      return null;
    },
    // Mirrors package.json contributes.grammars[].injectTo.
    getInjections: (scopeName: string) => (inject && scopeName === 'source.yaml' ? [INJECTION_SCOPE] : undefined),
  });
}

before(async () => {
  const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm');
  const wasm = fs.readFileSync(wasmPath);
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const g1 = await makeRegistry(true).loadGrammar('source.yaml');
  const g2 = await makeRegistry(false).loadGrammar('source.yaml');
  assert.ok(g1 && g2, 'YAML grammar did not load');
  withInjection = g1;
  plainYaml = g2;
});

function tokenize(grammar: vsctm.IGrammar, text: string): Tok[][] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, scopes: t.scopes }));
  });
}

/** Lines of the document, tokenized; find the token that is exactly `part` (the n-th such) on the line containing `lineHas`. */
class Doc {
  readonly lines: string[];
  readonly tokens: Tok[][];
  constructor(readonly text: string, grammar: vsctm.IGrammar = withInjection) {
    this.lines = text.split('\n');
    this.tokens = tokenize(grammar, text);
  }
  lineIndex(lineHas: string): number {
    const i = this.lines.findIndex((l) => l.includes(lineHas));
    assert.ok(i >= 0, `no line contains ${JSON.stringify(lineHas)}`);
    return i;
  }
  /** Scopes of the token that covers exactly `part` (its n-th occurrence, 0-based) on the line. */
  part(lineHas: string, part: string, nth = 0): string[] {
    const li = this.lineIndex(lineHas);
    const line = this.lines[li];
    let at = -1;
    for (let k = 0; k <= nth; k++) {
      at = line.indexOf(part, at + 1);
      assert.ok(at >= 0, `${JSON.stringify(part)} #${nth} not on line ${JSON.stringify(line)}`);
    }
    const tok = this.tokens[li].find((t) => t.start === at);
    const dump = this.tokens[li].map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n  ');
    assert.ok(tok, `no token starts at ${JSON.stringify(part)} in ${JSON.stringify(line)}; tokens:\n  ${dump}`);
    assert.equal(tok.text, part, `token at ${JSON.stringify(part)} is ${JSON.stringify(tok.text)}; tokens:\n  ${dump}`);
    return tok.scopes;
  }
  allScopes(lineHas: string): string[] {
    return this.tokens[this.lineIndex(lineHas)].flatMap((t) => t.scopes);
  }
}

function has(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}
function expectScope(scopes: string[], prefix: string, what: string): void {
  assert.ok(has(scopes, prefix), `${what}: expected a scope starting with ${prefix}, got [${scopes.join(', ')}]`);
}
function expectNoScope(scopes: string[], prefix: string, what: string): void {
  assert.ok(!has(scopes, prefix), `${what}: did not expect ${prefix}, got [${scopes.join(', ')}]`);
}

/** Checks key port, scheme, ://, SLB, : and front port of one label line. */
function expectLabelParts(
  doc: Doc,
  lineHas: string,
  p: { keyPort: string; scheme: string; slb: string; front: string; sep: ':' | '=' },
): void {
  const where = (x: string) => `${x} in ${JSON.stringify(doc.lines[doc.lineIndex(lineHas)])}`;
  expectScope(doc.part(lineHas, 'aliyun.lb.port_'), 'entity.name.tag', where('key prefix'));
  expectScope(doc.part(lineHas, 'aliyun.lb.port_'), 'meta.label.lb', where('key prefix'));
  expectScope(doc.part(lineHas, p.keyPort), 'constant.numeric', where('container port'));
  expectScope(doc.part(lineHas, p.keyPort), 'constant.numeric.integer.port.container', where('container port'));
  if (p.sep === ':') expectScope(doc.part(lineHas, ':'), 'punctuation.separator.map.value.yaml', where('map colon'));
  else expectScope(doc.part(lineHas, '='), 'punctuation.separator.key-value', where('list ='));
  expectScope(doc.part(lineHas, p.scheme), 'keyword.other.scheme', where('scheme'));
  expectNoScope(doc.part(lineHas, p.scheme), 'invalid', where('scheme'));
  expectScope(doc.part(lineHas, '://'), 'punctuation.separator.scheme', where('://'));
  expectScope(doc.part(lineHas, p.slb), 'entity.name.type.slb', where('SLB'));
  const colonBeforeFront = doc.lines[doc.lineIndex(lineHas)].lastIndexOf(':' + p.front);
  const nthColon = doc.lines[doc.lineIndex(lineHas)].slice(0, colonBeforeFront).split(':').length - 1;
  expectScope(doc.part(lineHas, ':', nthColon), 'punctuation.separator.port', where('front-port colon'));
  const nthFront = doc.lines[doc.lineIndex(lineHas)].slice(0, colonBeforeFront + 1).split(p.front).length - 1;
  expectScope(doc.part(lineHas, p.front, nthFront), 'constant.numeric.integer.port.front', where('front port'));
}

const MAP_FORM = `version: '2'
services:
  redis:
    image: redis
    ports:
      - "6379:6379"
    labels:
      aliyun.lb.port_6379: tcp://slb_redis_app:6379
      "aliyun.lb.port_80": "http://slb-web:8080"
      'aliyun.lb.port_443': 'https://lb-2ze0e2wlvf9l1hfv9m1lv:443' # listener 443
      aliyun.lb.port_53: "udp://slb_dns:5353"
      aliyun.scale: "2"
`;

const LIST_FORM = `version: '3'
services:
  web:
    image: nginx
    deploy:
      replicas: 2
      labels:
        - aliyun.lb.port_8080=http://slb_web:80
        - "aliyun.lb.port_8443=https://slb-web-https:443"
        - 'aliyun.lb.port_5353=udp://slb_dns:53'
        - aliyun.scale=2
`;

test('injection grammar file is valid and injects into source.yaml outside comments', () => {
  assert.equal(injectionJson.scopeName, 'aliyun-lb-labels.injection');
  assert.match(injectionJson.injectionSelector, /^L:source\.yaml\b/);
  assert.match(injectionJson.injectionSelector, /-comment/);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const grammars = (pkg.contributes?.grammars ?? []) as Array<{ scopeName: string; path: string; injectTo?: string[] }>;
  const entry = grammars.find((g) => g.scopeName === INJECTION_SCOPE);
  assert.ok(entry, 'package.json contributes.grammars has no entry for the injection grammar');
  assert.ok(entry.injectTo?.includes('source.yaml'), 'injectTo must include source.yaml (yaml and dockercompose)');
  assert.equal(path.resolve(ROOT, entry.path), INJECTION_PATH);
});

test('map form, unquoted: key port, scheme, SLB, front port', () => {
  const doc = new Doc(MAP_FORM);
  expectLabelParts(doc, 'aliyun.lb.port_6379:', { keyPort: '6379', scheme: 'tcp', slb: 'slb_redis_app', front: '6379', sep: ':' });
});

test('map form, double-quoted key and value', () => {
  const doc = new Doc(MAP_FORM);
  const line = '"aliyun.lb.port_80"';
  expectLabelParts(doc, line, { keyPort: '80', scheme: 'http', slb: 'slb-web', front: '8080', sep: ':' });
  expectScope(doc.part(line, '"', 2), 'string.quoted.double.yaml', 'opening quote of the value');
  expectScope(doc.part(line, 'http'), 'string.quoted.double.yaml', 'quoted value keeps its string scope');
});

test('map form, single-quoted key and value with a trailing comment', () => {
  const doc = new Doc(MAP_FORM);
  const line = "'aliyun.lb.port_443'";
  expectLabelParts(doc, line, { keyPort: '443', scheme: 'https', slb: 'lb-2ze0e2wlvf9l1hfv9m1lv', front: '443', sep: ':' });
  expectScope(doc.part(line, 'https'), 'string.quoted.single.yaml', 'quoted value keeps its string scope');
  expectScope(doc.part(line, '#'), 'comment.line', 'trailing comment is still a comment');
  expectNoScope(doc.part(line, '#'), 'meta.label.lb', 'trailing comment is outside the label');
});

test('map form, unquoted key with a double-quoted udp value', () => {
  const doc = new Doc(MAP_FORM);
  expectLabelParts(doc, 'aliyun.lb.port_53:', { keyPort: '53', scheme: 'udp', slb: 'slb_dns', front: '5353', sep: ':' });
});

test('list form, unquoted', () => {
  const doc = new Doc(LIST_FORM);
  expectLabelParts(doc, 'aliyun.lb.port_8080=', { keyPort: '8080', scheme: 'http', slb: 'slb_web', front: '80', sep: '=' });
  expectScope(doc.part('aliyun.lb.port_8080=', '-'), 'punctuation.definition.block.sequence.item.yaml', 'the dash stays YAML');
});

test('list form, double-quoted', () => {
  const doc = new Doc(LIST_FORM);
  const line = 'aliyun.lb.port_8443=';
  expectLabelParts(doc, line, { keyPort: '8443', scheme: 'https', slb: 'slb-web-https', front: '443', sep: '=' });
  expectScope(doc.part(line, '"'), 'punctuation.definition.string.begin.yaml', 'opening quote');
  expectScope(doc.part(line, 'https'), 'string.quoted.double.yaml', 'inside the string');
});

test('list form, single-quoted', () => {
  const doc = new Doc(LIST_FORM);
  expectLabelParts(doc, 'aliyun.lb.port_5353=', { keyPort: '5353', scheme: 'udp', slb: 'slb_dns', front: '53', sep: '=' });
  expectScope(doc.part('aliyun.lb.port_5353=', 'udp'), 'string.quoted.single.yaml', 'inside the string');
});

test('invalid scheme, port and uppercase scheme are marked invalid.illegal', () => {
  const doc = new Doc(`services:
  a:
    labels:
      aliyun.lb.port_80: tls://slb_a:443
      aliyun.lb.port_81: TCP://slb_a:81
      aliyun.lb.port_http: tcp://slb_a:http
  b:
    labels:
      - aliyun.lb.port_82=wss://slb_a:82
`);
  expectScope(doc.part('port_80', 'tls'), 'invalid.illegal', 'tls scheme');
  expectScope(doc.part('port_81', 'TCP'), 'invalid.illegal', 'uppercase scheme');
  expectScope(doc.part('port_http', 'http'), 'invalid.illegal', 'non-numeric container port');
  expectScope(doc.part('port_http', 'http', 1), 'invalid.illegal', 'non-numeric front port');
  expectScope(doc.part('port_82', 'wss'), 'invalid.illegal', 'wss is routing-only');
});

test('variables in the SLB and the front port, and ;-separated bindings', () => {
  const doc = new Doc(`services:
  a:
    labels:
      aliyun.lb.port_5044: 'tcp://\${SLB_ID}:5044'
      aliyun.lb.port_80: http://\${slb:-slb_x}:\${FRONT}
      aliyun.lb.port_90: tcp://$SLB:90;tcp://slb_b:91
`);
  expectScope(doc.part('port_5044', 'SLB_ID'), 'variable.other', '${SLB_ID}');
  expectScope(doc.part('port_5044', 'SLB_ID'), 'entity.name.type.slb', '${SLB_ID} is the SLB');
  expectScope(doc.part('port_5044', '${'), 'punctuation.definition.variable', '${');
  expectScope(doc.part('port_5044', '5044', 1), 'constant.numeric.integer.port.front', 'front port');
  expectScope(doc.part('port_80:', 'slb'), 'variable.other', '${slb:-default}');
  expectScope(doc.part('port_80:', 'FRONT'), 'variable.other', 'front port variable');
  expectScope(doc.part('port_90', 'SLB'), 'variable.other', '$SLB');
  expectScope(doc.part('port_90', ';'), 'punctuation.separator.sequence', ';');
  expectScope(doc.part('port_90', 'slb_b'), 'entity.name.type.slb', 'second SLB');
  expectScope(doc.part('port_90', '91'), 'constant.numeric.integer.port.front', 'second front port');
});

test('a commented-out label is a comment, not a label', () => {
  const doc = new Doc(`services:
  a:
    labels:
      # aliyun.lb.port_80: tcp://slb_a:80
      #- aliyun.lb.port_81=tcp://slb_a:81
      aliyun.scale: "1"   # aliyun.lb.port_82: tcp://x:82
`);
  for (const lineHas of ['port_80', 'port_81', 'port_82']) {
    const scopes = doc.allScopes(lineHas);
    expectNoScope(scopes, 'meta.label.lb', lineHas);
    expectNoScope(scopes, 'keyword.other.scheme', lineHas);
    expectNoScope(scopes, 'constant.numeric.integer.port', lineHas);
  }
  expectScope(doc.part('port_80', ' aliyun.lb.port_80: tcp://slb_a:80'), 'comment.line', 'comment text');
});

test('label-looking text inside a block scalar is left alone', () => {
  const doc = new Doc(`services:
  a:
    command: |
      aliyun.lb.port_80: tcp://slb_a:80
    labels:
      aliyun.lb.port_81: tcp://slb_a:81
`);
  expectNoScope(doc.allScopes('port_80'), 'meta.label.lb', 'block scalar');
  expectScope(doc.part('port_81', '81'), 'constant.numeric.integer.port.container', 'label after the block scalar');
});

test('other keys and lines are tokenized exactly as by the YAML grammar alone', () => {
  for (const text of [MAP_FORM, LIST_FORM]) {
    const a = new Doc(text, withInjection);
    const b = new Doc(text, plainYaml);
    a.lines.forEach((line, i) => {
      if (line.includes('aliyun.lb.port_')) return;
      assert.deepEqual(a.tokens[i], b.tokens[i], `line ${i + 1} ${JSON.stringify(line)} changed by the injection`);
    });
  }
});

test('the no-space mistake aliyun.lb.port_443:tcp://x:443 is not dressed up as a valid label', () => {
  const doc = new Doc(`services:
  a:
    labels:
      aliyun.lb.port_443:tcp://proxy_test:443
`);
  expectNoScope(doc.allScopes('port_443'), 'keyword.other.scheme', 'no-space form');
});

test('real-world corpus: every well-formed map-form lb label is highlighted, nothing else is', () => {
  // The copy in the repository (a clean clone, as in CI, has no ../shared beside it).
  const dir = path.join(ROOT, 'test', 'fixtures', 'corpus', 'real-world');
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length > 0);
  let labels = 0;
  for (const f of files) {
    const doc = new Doc(fs.readFileSync(path.join(dir, f), 'utf8').replace(/\r\n/g, '\n'));
    doc.lines.forEach((line, i) => {
      const scopes = doc.tokens[i].flatMap((tok) => tok.scopes);
      const where = `${f}:${i + 1} ${JSON.stringify(line)}`;
      const m = /^\s*(['"]?)aliyun\.lb\.port_(\d+)\1: +(['"]?)(tcp|udp|https?):\/\/\S+:(\d+)\3(\s+#.*)?$/.exec(line);
      if (m) {
        labels++;
        expectScope(scopes, 'meta.label.lb', where);
        expectScope(doc.part(line, m[4]), 'keyword.other.scheme', where);
        expectScope(doc.part(line, m[2]), 'constant.numeric.integer.port.container', where);
      } else {
        // commented-out labels, the no-space syntax error, `affinity:aliyun.lb.port_...` values, other keys
        expectNoScope(scopes, 'meta.label.lb', where);
      }
    });
  }
  assert.ok(labels >= 10, `only ${labels} labels found in the corpus`);
});
