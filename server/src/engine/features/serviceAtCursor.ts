// The model of the service around the cursor, parsed on its own (cached by text), so completion
// and hover never wait for a whole-file validation.
import { ComposeAnalyzer } from '../analysis';
import { ServiceModel } from '../compose/model';
import { TextLike } from '../text';
import { ServiceRegion } from './cursorContext';

export function serviceModelAt(analyzer: ComposeAnalyzer, doc: TextLike, region: ServiceRegion, blankLineAt?: number): ServiceModel | undefined {
  let regionText = doc.slice(region.start, region.end);
  if (blankLineAt !== undefined && blankLineAt >= region.start && blankLineAt <= region.end) {
    // Blank the line being typed so a half-typed entry does not spoil the parse of its neighbours.
    const rel = blankLineAt - region.start;
    const lineStart = regionText.lastIndexOf('\n', rel - 1) + 1;
    let lineEnd = regionText.indexOf('\n', rel);
    if (lineEnd < 0) lineEnd = regionText.length;
    regionText = regionText.slice(0, lineStart) + regionText.slice(lineEnd);
  }
  return analyzer.unit(regionText, 'service').parsed.services[0];
}
