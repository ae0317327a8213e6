// `text.lastIndexOf('\n', offset - 1) + 1` is not the start of the line at offset 0: a negative
// fromIndex searches from 0, so a text starting with '\n' gave 1 (after the offset). The places
// that computed it that way now use lineStartOf; these tests drive them at offset 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { lineStartOf } from '../../server/src/engine/compose/labelsBlock';
import { serviceModelAt } from '../../server/src/engine/features/serviceAtCursor';
import { textOf } from '../../server/src/engine/text';

describe('line start at offset 0', () => {
  it('lineStartOf: 0 at offset 0 whatever the text starts with', () => {
    assert.equal(lineStartOf('\nabc', 0), 0);
    assert.equal(lineStartOf('\nabc', 1), 1);
    assert.equal('\nabc'.lastIndexOf('\n', -1) + 1, 1, 'the slip this guards against');
  });

  it('serviceModelAt with the blanked line at the very start of a region that starts with a line break: spans stay on the document', () => {
    // A region whose first line is empty, and the line being typed is that first line.
    const text = '\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n    labels:\n      aliyun.lb.port_80: http://slb_web:80\n';
    const doc = textOf(text);
    const service = serviceModelAt(new ComposeAnalyzer(), doc, { name: 'web', start: 0, end: text.length }, 0);
    assert.ok(service, 'a service model');
    assert.equal(service.name, 'web');
    assert.equal(text.slice(service.nameSpan.start, service.nameSpan.end), 'web');
    const label = service.labels[0];
    assert.equal(text.slice(label.keySpan.start, label.keySpan.end), 'aliyun.lb.port_80');
  });
});
