// User-facing text in Simplified Chinese when the locale is zh-cn; English again after.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLocale, normaliseLocale, setLocale } from '../../server/src/engine/i18n';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { hover } from '../../server/src/engine/features/hover';
import { REPO_ROOT, findings, withCursor, yaml } from './helpers';

const CJK = /[\u4e00-\u9fff]/;
const notPublished = yaml('services:', '  web:', '    ports:', '      - "8080:8080"', '    labels:', '      aliyun.lb.port_80: tcp://slb_a:80');

afterEach(() => setLocale('en'));

describe('locale', () => {
  test('normaliseLocale', () => {
    assert.equal(normaliseLocale('zh-CN'), 'zh-cn');
    assert.equal(normaliseLocale('zh_CN.UTF-8'), 'zh-cn');
    assert.equal(normaliseLocale('zh-Hans'), 'zh-cn');
    assert.equal(normaliseLocale('en-US'), 'en');
    assert.equal(normaliseLocale(undefined), 'en');
    assert.equal(normaliseLocale('fr'), 'en');
  });

  test('English by default', () => {
    assert.equal(getLocale(), 'en');
    const f = findings(notPublished).find((x) => x.code === 'lb-port-not-published')!;
    assert.doesNotMatch(f.message, CJK);
  });

  test('zh-cn: a finding message is Chinese', () => {
    setLocale('zh-cn');
    assert.equal(getLocale(), 'zh-cn');
    const f = findings(notPublished).find((x) => x.code === 'lb-port-not-published');
    assert.ok(f);
    assert.match(f!.message, CJK, f!.message);
    assert.match(f!.message, /80:80/, 'numbers still filled in');
  });

  test('zh-cn: the missing-space message is Chinese', () => {
    setLocale('zh-cn');
    const f = findings(yaml('web:', '  labels:', '    aliyun.lb.port_443:tcp://x:443')).find((x) => x.code === 'yaml-missing-space-after-colon');
    assert.match(f!.message, CJK, f!.message);
  });

  test('zh-cn: hover is Chinese', () => {
    setLocale('zh-cn');
    const { doc, position } = withCursor(yaml('web:', '  ports:', '    - "80:80"', '  labels:', '    aliyun.lb.po|rt_80: tcp://slb_a:80'));
    const h = hover(doc, position, { analyzer: new ComposeAnalyzer() });
    assert.match((h!.contents as { value: string }).value, CJK);
  });

  test('restoring en gives English messages again', () => {
    setLocale('zh-cn');
    setLocale('en');
    const f = findings(notPublished).find((x) => x.code === 'lb-port-not-published')!;
    assert.doesNotMatch(f.message, CJK);
    assert.match(f.message, /not published/);
  });

  test('every offline engine message has a zh-cn translation', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const engine = path.join(REPO_ROOT, 'server', 'src', 'engine');
    const missing: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        // cloud/ is the online layer (its own tests); i18n/ only has a usage example in a comment.
        if (entry.isDirectory()) {
          if (entry.name !== 'cloud' && entry.name !== 'i18n') walk(p);
        }
        else if (p.endsWith('.ts')) {
          const source = fs.readFileSync(p, 'utf8');
          for (const m of source.matchAll(/\bt\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
            const key = (m[1] ?? m[2]).replace(/\\(.)/g, '$1');
            if (!(key in bundle)) missing.push(`${path.relative(REPO_ROOT, p)}: ${key}`);
          }
        }
      }
    };
    walk(engine);
    assert.deepEqual(missing, []);
  });
});
