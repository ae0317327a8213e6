// Rules across services (reference §3.4, P7): one SLB per service, unique front ports per SLB,
// host ports shared by two services. They run on the per-service summaries only, so an edit
// costs one pass over the bindings, never a re-parse.
import { t } from '../i18n';
import { portSpaceOf } from '../labels/lbLabel';
import { Finding, HostPortUse, LbBinding } from './types';
import { rule, RuleProvider } from './ruleSpec';

export interface PlacedBinding extends LbBinding {
  /** Offset of the unit the spans are relative to. */
  base: number;
}

/** Bindings and host ports of one parsed unit, with their map keys computed once (cached with the unit). */
export interface UnitSummary {
  bindings: (LbBinding & { frontKey: string })[];
  hostPorts: (HostPortUse & { key: string })[];
  /** `slb\u0000scheme\u0000frontPort` of each binding, and all of them joined (cheap equality for the SLB index). */
  uses: string[];
  usesKey: string;
}

export function summarise(bindings: LbBinding[], hostPorts: HostPortUse[]): UnitSummary {
  const uses = bindings.map((b) => `${b.slb}\u0000${b.scheme}\u0000${b.frontPort}`);
  return {
    bindings: bindings.map((b) => ({ ...b, frontKey: `${b.slb}\u0000${portSpaceOf(b.scheme)}\u0000${b.frontPort}` })),
    hostPorts: hostPorts.map((h) => ({ ...h, key: `${h.port}/${h.protocol}` })),
    uses,
    usesKey: uses.join('\n'),
  };
}

type IndexedBinding = UnitSummary['bindings'][number];
type IndexedHostPort = UnitSummary['hostPorts'][number];
interface Owner<T> {
  summary: UnitSummary;
  item: T;
}

/**
 * The cross-service index of one document, updated incrementally: an edit removes the summaries of
 * the units that changed and adds the new ones, so the cost follows the edit, not the file. Only
 * keys used by more than one service are looked at when findings are produced.
 */
export class CrossServiceIndex {
  private readonly byFront = new Map<string, Owner<IndexedBinding>[]>();
  private readonly bySlb = new Map<string, Owner<IndexedBinding>[]>();
  private readonly byHostPort = new Map<string, Owner<IndexedHostPort>[]>();
  private readonly multiFront = new Set<string>();
  private readonly multiSlb = new Set<string>();
  private readonly multiHost = new Set<string>();
  private present = new Map<UnitSummary, number>();
  /**
   * Each group's findings with their spans still relative to the units (so they hold while units
   * only move), by group ('f'/'s'/'h' + key); a group is computed again only when a unit joins or
   * leaves it. A keystroke then re-checks the groups its service is in, not every group of the file.
   */
  private readonly groupCache = new Map<string, GroupFinding[]>();
  /** Groups a unit joined or left since the last findings, by kind (front port, SLB, host port). */
  private readonly dirty = { f: new Set<string>(), s: new Set<string>(), h: new Set<string>() };

  /**
   * Brings the index to `units` (in document order) and returns the cross-service findings. A unit
   * parsed behind the chunks that define its anchors brings `map`, which places its spans in the file.
   */
  update(units: { base: number; summary: UnitSummary; map?: SpanMap }[]): Finding[] {
    const next = new Map<UnitSummary, number>();
    const bases = new Map<UnitSummary, SpanMap>();
    for (const u of units) {
      next.set(u.summary, (next.get(u.summary) ?? 0) + 1);
      if (!bases.has(u.summary)) bases.set(u.summary, u.map ?? shifted(u.base));
    }
    for (const [summary, count] of this.present) {
      const now = next.get(summary) ?? 0;
      for (let i = now; i < count; i++) this.remove(summary);
    }
    for (const [summary, count] of next) {
      const before = this.present.get(summary) ?? 0;
      for (let i = before; i < count; i++) this.add(summary);
    }
    this.present = next;
    return this.findings(bases);
  }

  private add(summary: UnitSummary): void {
    this.touch(summary);
    for (const b of summary.bindings) {
      push(this.byFront, this.multiFront, b.frontKey, { summary, item: b }, (o) => `${o.item.service}\u0000${o.item.containerPort}\u0000${o.item.scheme}`);
      push(this.bySlb, this.multiSlb, b.slb, { summary, item: b }, (o) => o.item.service);
    }
    for (const h of summary.hostPorts) push(this.byHostPort, this.multiHost, h.key, { summary, item: h }, (o) => o.item.service);
  }

  private remove(summary: UnitSummary): void {
    this.touch(summary);
    for (const b of summary.bindings) {
      pull(this.byFront, this.multiFront, b.frontKey, summary, (o) => `${o.item.service}\u0000${o.item.containerPort}\u0000${o.item.scheme}`);
      pull(this.bySlb, this.multiSlb, b.slb, summary, (o) => o.item.service);
    }
    for (const h of summary.hostPorts) pull(this.byHostPort, this.multiHost, h.key, summary, (o) => o.item.service);
  }

  private touch(summary: UnitSummary): void {
    if (this.groupCache.size === 0) return; // nothing cached yet (a first analysis adds every unit)
    for (const b of summary.bindings) {
      this.dirty.f.add(b.frontKey);
      this.dirty.s.add(b.slb);
    }
    for (const h of summary.hostPorts) this.dirty.h.add(h.key);
  }

  private findings(bases: Map<UnitSummary, SpanMap>): Finding[] {
    const findings: Finding[] = [];
    const abs = (summary: UnitSummary, span: { start: number; end: number }) => (bases.get(summary) ?? NO_SHIFT).span(span);
    // Spans of cached findings are kept as (unit, span) and placed when emitted.
    const loc = (summary: UnitSummary, span: { start: number; end: number }) => ({ summary, span }) as unknown as { start: number; end: number };
    const place = (l: { start: number; end: number }) => {
      const { summary, span } = l as unknown as { summary: UnitSummary; span: { start: number; end: number } };
      return abs(summary, span);
    };
    const reportedSpans = new Set<unknown>();
    const emit = (group: GroupFinding[]) => {
      for (const g of group) {
        if (g.once) {
          if (reportedSpans.has(g.once)) continue;
          reportedSpans.add(g.once);
        }
        findings.push({ code: g.finding.code, severity: g.finding.severity, message: g.finding.message, span: place(g.finding.span), related: g.finding.related?.map((r) => ({ span: place(r.span), message: r.message })) });
      }
    };
    /** A group's findings: cached while no unit joined or left it and all its units are plain (placed by a shift). */
    const seen = new Set<string>();
    const group = <T,>(kind: 'f' | 's' | 'h', key: string, owners: Owner<T>[], compute: () => GroupFinding[]) => {
      const id = kind + key;
      seen.add(id);
      let cached = this.dirty[kind].has(key) ? undefined : this.groupCache.get(id);
      if (!cached) {
        cached = compute();
        if (owners.every((o) => (bases.get(o.summary) as { plain?: boolean } | undefined)?.plain)) this.groupCache.set(id, cached);
        else this.groupCache.delete(id);
      }
      emit(cached);
    };
    const ordered = <T,>(owners: Owner<T>[], spanOf: (t: T) => { start: number; end: number }) =>
      owners.slice().sort((a, b) => abs(a.summary, spanOf(a.item)).start - abs(b.summary, spanOf(b.item)).start);
    // A label or mapping inherited through an alias or '<<' sits at the anchor, which may be another
    // service's own text: name the inheriting service and point at it, or the finding names the wrong one.
    // `sameSpot`: both uses sit at the very same anchor text, so the finding is about the alias itself.
    const inheritance = (summary: UnitSummary, item: { service: string; inheritedBy?: { start: number; end: number } }, sameSpot: boolean) =>
      item.inheritedBy
        ? { note: sameSpot ? '' : t(" (service '{0}' gets it through an alias or '<<' merge)", item.service), sameSpot, related: [{ span: loc(summary, item.inheritedBy), message: t("Service '{0}' gets this through an alias or '<<' merge", item.service) }] }
        : { note: '', sameSpot: false, related: [] };
    // (In the file: units parsed behind their anchors' chunks each hold a copy of the anchor's text.)
    const same = (a: Owner<unknown>, aSpan: { start: number; end: number }, b: Owner<unknown>, bSpan: { start: number; end: number }) =>
      a.summary === b.summary ? aSpan.start === bSpan.start : abs(a.summary, aSpan).start === abs(b.summary, bSpan).start;
    // X3: front port unique per SLB (tcp/http/https share one port space, udp has its own).
    for (const key of this.multiFront) {
      const owners = this.byFront.get(key)!;
      group('f', key, owners, () => {
      const out: GroupFinding[] = [];
      const [first, ...rest] = ordered(owners, (b) => b.frontPortSpan);
      for (const { summary, item: b } of rest) {
        if (first.item.service === b.service && first.item.containerPort === b.containerPort && first.item.scheme === b.scheme) continue;
        const via = inheritance(summary, b, same(first, first.item.frontPortSpan, { summary, item: b }, b.frontPortSpan));
        out.push({ finding: {
          code: 'lb-front-port-conflict',
          severity: 'error',
          message: via.sameSpot
            ? t("SLB '{0}' front port {1} is bound by service '{2}' and, through an alias or '<<' merge, by service '{3}'. One listener port forwards to one backend port: give each service its own front port.", b.slb, b.frontPort, first.item.service, b.service)
            : (first.item.service === b.service
              ? t("SLB '{0}' front port {1} is already bound to container port {2} of this service. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.item.containerPort)
              : t("SLB '{0}' front port {1} is already used by service '{2}'. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.item.service)) + via.note + (b.assumed ?? first.item.assumed ?? ''),
          span: loc(summary, b.frontPortSpan),
          related: [{ span: loc(first.summary, first.item.frontPortSpan), message: t("Front port {0} of SLB '{1}' first bound here (service '{2}')", first.item.frontPort, first.item.slb, first.item.service) }, ...via.related],
        } });
      }
      return out;
      });
    }
    // X1: two services must not use the same SLB.
    for (const key of this.multiSlb) {
      const owners = this.bySlb.get(key)!;
      group('s', key, owners, () => {
      const out: GroupFinding[] = [];
      const [owner, ...rest] = ordered(owners, (b) => b.slbSpan);
      for (const { summary, item: b } of rest) {
        if (b.service === owner.item.service) continue;
        const via = inheritance(summary, b, same(owner, owner.item.slbSpan, { summary, item: b }, b.slbSpan));
        out.push({ finding: {
          code: 'lb-slb-shared',
          severity: 'error',
          message: via.sameSpot
            ? t("SLB '{0}' is used by service '{1}' and, through an alias or '<<' merge, by service '{2}'. Two services must not share one SLB: each service's agent would remove the other's backend servers. Give each service its own SLB.", b.slb, owner.item.service, b.service)
            : t("SLB '{0}' is also used by service '{1}'. Two services must not share one SLB: each service's agent would remove the other's backend servers. Use a separate SLB for each service.", b.slb, owner.item.service) + via.note + (b.assumed ?? owner.item.assumed ?? ''),
          span: loc(summary, b.slbSpan),
          related: [{ span: loc(owner.summary, owner.item.slbSpan), message: t("SLB '{0}' used by service '{1}'", owner.item.slb, owner.item.service) }, ...via.related],
        } });
      }
      return out;
      });
    }
    // P7: the same host port (and protocol) published by two services cannot run on one node.
    for (const key of this.multiHost) {
      const owners = this.byHostPort.get(key)!;
      group('h', key, owners, () => {
      const out: GroupFinding[] = [];
      const [first, ...rest] = ordered(owners, (h) => h.span);
      for (const { summary, item: h } of rest) {
        if (h.service === first.item.service) continue;
        const via = inheritance(summary, h, same(first, first.item.span, { summary, item: h }, h.span));
        out.push({ once: h.span, finding: {
          code: 'host-port-shared',
          severity: 'warning',
          message: via.sameSpot
            ? t("Host port {0}/{1} is published by service '{2}' and, through an alias or '<<' merge, by service '{3}'. Containers of the two services can never run on the same node.", h.port, h.protocol, first.item.service, h.service)
            : t("Host port {0}/{1} is also published by service '{2}'. Containers of the two services can never run on the same node.", h.port, h.protocol, first.item.service) + via.note,
          span: loc(summary, h.span),
          related: [{ span: loc(first.summary, first.item.span), message: t("Published by service '{0}'", first.item.service) }, ...via.related],
        } });
      }
      return out;
      });
    }
    // Groups whose membership changed were recomputed above (or are no longer groups: forget them).
    for (const kind of ['f', 's', 'h'] as const) {
      for (const key of this.dirty[kind]) if (!seen.has(kind + key)) this.groupCache.delete(kind + key);
      this.dirty[kind].clear();
    }
    return findings.sort((a, b) => a.span.start - b.span.start);
  }
}

/** Places a unit's spans in the file. */
export interface SpanMap {
  span(span: { start: number; end: number }): { start: number; end: number };
}

/** A cached cross-service finding: spans are (unit, span) pairs; `once`: reported once across groups. */
interface GroupFinding {
  finding: Finding;
  once?: unknown;
}

function shifted(base: number): SpanMap & { plain: true } {
  return { plain: true, span: (span) => ({ start: base + span.start, end: base + span.end }) };
}
const NO_SHIFT = shifted(0);

function distinct<T>(owners: Owner<T>[], identity: (o: Owner<T>) => string): boolean {
  const first = identity(owners[0]);
  return owners.some((o) => identity(o) !== first);
}

function push<T>(map: Map<string, Owner<T>[]>, multi: Set<string>, key: string, owner: Owner<T>, identity: (o: Owner<T>) => string): void {
  const owners = map.get(key);
  if (!owners) {
    map.set(key, [owner]);
    return;
  }
  owners.push(owner);
  // Only the newcomer can make the group distinct: compare it with the first (hundreds of services
  // on one host port would otherwise cost a pass over the group per service added).
  if (!multi.has(key) && identity(owner) !== identity(owners[0])) multi.add(key);
}

function pull<T>(map: Map<string, Owner<T>[]>, multi: Set<string>, key: string, summary: UnitSummary, identity: (o: Owner<T>) => string): void {
  const owners = map.get(key);
  if (!owners) return;
  const index = owners.findIndex((o) => o.summary === summary);
  if (index >= 0) owners.splice(index, 1);
  if (owners.length === 0) map.delete(key);
  if (owners.length <= 1 || !distinct(owners, identity)) multi.delete(key);
}

/** The rules this module checks (registered in rules/registry.ts). */
export const CROSS_SERVICE_RULES: RuleProvider = {
  id: 'rules/crossServiceRules',
  rules: [
    rule('lb-front-port-conflict', 'error', 'cross-service', 'file', 'two labels on `slb_web:80`',
      ['Two bindings use the same front port of one SLB.', 'One listener port forwards to one backend port: tcp, http and https share one port space per SLB, udp has its own.', 'Pick another front port for one of them.'],
      ['两个绑定使用了同一 SLB 的同一前端端口。', '一个监听端口只能转发到一个后端端口：同一 SLB 上 tcp、http、https 共用一个端口空间，udp 单独一个。', '为其中一个换一个前端端口。']),
    rule('lb-slb-shared', 'error', 'cross-service', 'file', 'services `a` and `b` both on `slb_web`',
      ['Two services use the same SLB.', "Each service's agent would remove the other's backend servers, and one service becomes unreachable.", 'Give each service its own SLB.'],
      ['两个服务使用同一个 SLB。', '每个服务的代理都会移除另一个服务的后端服务器，其中一个服务将无法访问。', '为每个服务使用独立的 SLB。']),
    rule('host-port-shared', 'warning', 'cross-service', 'file', 'two services publishing host port 80',
      ['Two services publish the same host port.', 'Containers of the two services can never run on the same node.', 'Use different host ports, or make sure the services run on different nodes.'],
      ['两个服务发布了同一个主机端口。', '这两个服务的容器永远不能运行在同一节点上。', '使用不同的主机端口，或确保它们运行在不同节点上。']),
  ],
};
