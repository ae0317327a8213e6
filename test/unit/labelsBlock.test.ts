// One "is this line inside labels:" helper for the label-line scan, the workspace SLB index and the
// client's CodeLens scan; every walk ends (issue 9: a file starting with an empty line, then an
// indented label-like line, used to loop forever in the scan's walk up).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { isInLabelsBlockLines, isInLabelsBlockText, lineStartOf } from '../../server/src/engine/compose/labelsBlock';
import { collectSlbUses } from '../../server/src/engine/workspaceIndex';
import { yaml } from './helpers';

const at = (text: string, needle: string) => lineStartOf(text, text.indexOf(needle));

describe('labels block helper', () => {
  test('an entry of labels: (plain, quoted, anchored), and not of command: | or environment:', () => {
    const text = yaml('services:', '  web:', '    labels: &l', '      aliyun.scale: "1"', '    "labels":', '      - aliyun.gpu=1', '    command: |', '      aliyun.lb.port_9: x', '    environment:', '      aliyun.lb.port_8: y');
    assert.equal(isInLabelsBlockText(text, at(text, 'aliyun.scale')), true);
    assert.equal(isInLabelsBlockText(text, at(text, '- aliyun.gpu')), true);
    assert.equal(isInLabelsBlockText(text, at(text, 'aliyun.lb.port_9')), false);
    assert.equal(isInLabelsBlockText(text, at(text, 'aliyun.lb.port_8')), false);
    const lines = text.split('\n');
    assert.deepEqual(lines.map((_, i) => isInLabelsBlockLines((j) => lines[j], i)), lines.map((l) => l.includes('aliyun.scale') || l.includes('aliyun.gpu')));
  });

  test('a file starting with an empty line, then an indented label-like line: false, and the walk ends', () => {
    for (const text of ['\n  aliyun.lb.port_80:tcp://a:80\n', '\r\n  aliyun.lb.port_80: *x\n', '\n\n\n    aliyun.x: "1:"\n']) {
      assert.equal(isInLabelsBlockText(text, at(text, 'aliyun')), false);
      const started = Date.now();
      new ComposeAnalyzer().analyze(text);
      assert.ok(Date.now() - started < 2000);
    }
    assert.equal(lineStartOf('\nabc', 0), 0);
    assert.equal(lineStartOf('\nabc', 1), 1);
  });

  test('the workspace SLB index reads lb labels only inside labels:', () => {
    const text = yaml('services:', '  web:', '    command: |', '      aliyun.lb.port_80: tcp://from_script:80', '    labels:', '      aliyun.lb.port_80: tcp://slb_web:80', '      - aliyun.lb.port_81=tcp://slb_list:81');
    assert.deepEqual(collectSlbUses(text).map((u) => u.slb), ['slb_web', 'slb_list']);
  });
});
