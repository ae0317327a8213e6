// SLB names/IDs (and their front ports) used in the workspace's compose files, for completion.
// A regex pass over raw text: cheap enough to run on every file at start-up, tolerant of files
// that do not parse.
import { isInLabelsBlockText } from './compose/labelsBlock';
import { parseLbValue, slbNameProblem } from './labels/lbLabel';

/** A label line (map or list form); only lines whose parent is a `labels:` key count. */
const LB_LABEL = /^[ \t]*(?:-[ \t]+)?["']?aliyun\.lb\.port_\d+["']?[ \t]*[:=][ \t]*["']?([^"'\n#]+)/gm;

export interface SlbUse {
  slb: string;
  scheme: string;
  frontPort: number | undefined;
}

export function collectSlbUses(text: string): SlbUse[] {
  const uses: SlbUse[] = [];
  if (!text.includes('aliyun.lb.port_')) return uses;
  LB_LABEL.lastIndex = 0;
  for (let m = LB_LABEL.exec(text); m; m = LB_LABEL.exec(text)) {
    if (!isInLabelsBlockText(text, m.index)) continue; // script text of a `command: |`, an environment entry...
    for (const b of parseLbValue(m[1].trim())) {
      // Only names a label may use (S5): completion must never offer one that fails validation.
      if (!b.slb || !b.scheme || b.slb.text.includes('$') || b.shapeProblem || slbNameProblem(b.slb.text)) continue;
      uses.push({ slb: b.slb.text, scheme: b.scheme.text, frontPort: b.frontPort && /^\d+$/.test(b.frontPort.text) ? Number(b.frontPort.text) : undefined });
    }
  }
  return uses;
}

export interface SlbSummary {
  slb: string;
  files: number;
  frontPorts: Set<number>;
}

export class WorkspaceSlbIndex {
  private readonly byFile = new Map<string, SlbUse[]>();
  private summaryCache: SlbSummary[] | undefined;

  update(uri: string, text: string): void {
    this.byFile.set(uri, collectSlbUses(text));
    this.summaryCache = undefined;
  }

  /** Same, from an analysis's `slbUses()` (no text scan; used for open documents after validation). */
  updateFromUses(uri: string, uses: string[]): void {
    this.byFile.set(
      uri,
      uses.map((u) => {
        const [slb, scheme, frontPort] = u.split('\u0000');
        return { slb, scheme, frontPort: Number(frontPort) };
      }),
    );
    this.summaryCache = undefined;
  }

  remove(uri: string): void {
    this.byFile.delete(uri);
    this.summaryCache = undefined;
  }

  summaries(): SlbSummary[] {
    if (this.summaryCache) return this.summaryCache;
    const map = new Map<string, SlbSummary & { seenIn: Set<string> }>();
    for (const [uri, uses] of this.byFile) {
      for (const use of uses) {
        let s = map.get(use.slb);
        if (!s) map.set(use.slb, (s = { slb: use.slb, files: 0, frontPorts: new Set(), seenIn: new Set() }));
        s.seenIn.add(uri);
        if (use.frontPort !== undefined) s.frontPorts.add(use.frontPort);
      }
    }
    this.summaryCache = [...map.values()].map((s) => ({ slb: s.slb, files: s.seenIn.size, frontPorts: s.frontPorts })).sort((a, b) => b.files - a.files || a.slb.localeCompare(b.slb));
    return this.summaryCache;
  }
}
