// Rules across services (reference §3.4, P7): one SLB per service, unique front ports per SLB,
// host ports shared by two services. They run on the per-service summaries only, so an edit
// costs one pass over the bindings, never a re-parse.
import { t } from '../i18n';
import { portSpaceOf } from '../labels/lbLabel';
import { Finding, HostPortUse, LbBinding } from './types';
import { pushAll } from '../arrays';
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
  // Written out, not spread: `{ ...b, frontKey }` gave every one of these objects a hidden class of
  // its own in V8 (27k of them, 10 MB, at 5000 services with findings).
  return {
    bindings: bindings.map((b) => ({
      service: b.service,
      labelKey: b.labelKey,
      containerPort: b.containerPort,
      scheme: b.scheme,
      slb: b.slb,
      frontPort: b.frontPort,
      hostPort: b.hostPort,
      keySpan: b.keySpan,
      slbSpan: b.slbSpan,
      frontPortSpan: b.frontPortSpan,
      wholeSpan: b.wholeSpan,
      inheritedBy: b.inheritedBy,
      assumed: b.assumed,
      frontKey: `${b.slb}\u0000${portSpaceOf(b.scheme)}\u0000${b.frontPort}`,
    })),
    hostPorts: hostPorts.map((h) => ({ service: h.service, port: h.port, protocol: h.protocol, span: h.span, inheritedBy: h.inheritedBy, key: `${h.port}/${h.protocol}` })),
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

/** Places a unit's spans in the file. */
export interface SpanMap {
  span(span: { start: number; end: number }): { start: number; end: number };
}

/** One unit as the index sees it: where it is in the file, and for a unit parsed behind its anchors' chunks, the map that places its spans. */
export interface CrossUnit {
  base: number;
  startLine: number;
  summary: UnitSummary;
  map?: SpanMap;
}

/** A span of one unit (relative to it): it holds while the unit only moves. */
export interface UnitSpan {
  unit: UnitSummary;
  start: number;
  end: number;
}

/** A cross-service finding with its spans still relative to units. */
export interface CrossFinding {
  code: string;
  severity: Finding['severity'];
  message: string;
  /** Always a span of the unit the finding belongs to. */
  span: UnitSpan;
  related: { span: UnitSpan; message: string }[];
  /** Reported once per this key (one host-port mapping shared in several groups). */
  once?: unknown;
  /** The group it comes from ('f'/'s'/'h' + key). */
  group: string;
}

/**
 * A unit's cross-service findings: the same object while nothing about them changed (no unit joined
 * or left their groups in a way that changes them), so a consumer may cache what it derives from it.
 */
export interface UnitCross {
  readonly findings: readonly CrossFinding[];
  /** The units its spans are in, its own first: while they keep their lines, the findings keep their lines and columns. */
  readonly refs: readonly UnitSummary[];
}

/** The result of one update: each unit's findings, placed with this update's positions. */
export interface CrossFindings {
  of(summary: UnitSummary): UnitCross | undefined;
  /** Offset of a unit in this update (the first unit with that summary); undefined when it is not in the file. */
  baseOf(summary: UnitSummary): number | undefined;
  /** First line of a unit in this update, -1 when not known. */
  lineOf(summary: UnitSummary): number;
  /** True when every unit the findings point into is placed by a shift (not parsed behind anchors). */
  plain(cross: UnitCross): boolean;
  place(cross: UnitCross): Finding[];
}

/**
 * The cross-service index of one document, updated incrementally: an edit removes the summaries of
 * the units that changed and adds the new ones, so the cost follows the edit, not the file. A group
 * (the units on one front port, SLB or host port) is checked again only when a unit joins or leaves
 * it, and each unit keeps its own findings, so a keystroke rebuilds the findings of the units whose
 * groups really changed and hands every other unit the very same findings as before.
 */
export class CrossServiceIndex {
  private readonly byFront = new Map<string, Owner<IndexedBinding>[]>();
  private readonly bySlb = new Map<string, Owner<IndexedBinding>[]>();
  private readonly byHostPort = new Map<string, Owner<IndexedHostPort>[]>();
  private readonly multiFront = new Set<string>();
  private readonly multiSlb = new Set<string>();
  private readonly multiHost = new Set<string>();
  /** How many units have each summary (identical texts share one). */
  private readonly counts = new Map<UnitSummary, number>();
  /** The summaries of the last update, in document order (an edit changes a stretch of them). */
  private order: UnitSummary[] = [];
  /** Groups a unit joined or left since the last update, by kind (front port, SLB, host port). */
  private readonly dirty = { f: new Set<string>(), s: new Set<string>(), h: new Set<string>() };
  /** Groups with a unit parsed behind its anchors: its positions follow other chunks, so they are checked on every update. */
  private readonly volatile = { f: new Set<string>(), s: new Set<string>(), h: new Set<string>() };
  /** Each group's findings by the unit they belong to. */
  private readonly groups = new Map<string, Map<UnitSummary, CrossFinding[]>>();
  /** Each unit's findings by group. */
  private readonly byUnit = new Map<UnitSummary, Map<string, CrossFinding[]>>();
  private readonly crossOf = new Map<UnitSummary, UnitCross>();
  /** Where each unit is (the first unit with its summary), as of the last update: kept and overwritten, not rebuilt per update. */
  private readonly placements = new Map<UnitSummary, Placement>();
  private updates = 0;

  /**
   * Brings the index to `units` (in document order) and returns the cross-service findings. The
   * result places findings with this update's positions: read it before the next update.
   */
  update(units: readonly CrossUnit[]): CrossFindings {
    const now = ++this.updates;
    const placements = this.placements;
    let anchored = false;
    for (const u of units) {
      const p = placements.get(u.summary);
      if (!p) placements.set(u.summary, { base: u.base, line: u.startLine, map: u.map, update: now });
      else if (p.update !== now) {
        p.base = u.base;
        p.line = u.startLine;
        p.map = u.map;
        p.update = now;
      }
      if (u.map) anchored = true;
    }
    // An edit replaces a stretch of units; the summaries before and after it are the same objects.
    const previous = this.order;
    const common = Math.min(previous.length, units.length);
    let head = 0;
    while (head < common && previous[head] === units[head].summary) head++;
    let tail = 0;
    while (tail < common - head && previous[previous.length - 1 - tail] === units[units.length - 1 - tail].summary) tail++;
    // A first update (nothing indexed, no findings): every group is new, and only those of two or
    // more units can have findings, so those are checked without noting each unit's groups as dirty.
    const fresh = previous.length === 0 && this.counts.size === 0 && this.groups.size === 0;
    for (let i = head; i < previous.length - tail; i++) this.remove(previous[i]);
    for (let i = head; i < units.length - tail; i++) this.add(units[i].summary, !fresh);
    for (let i = head; i < previous.length - tail; i++) if (!this.counts.has(previous[i])) placements.delete(previous[i]);
    if (head < previous.length - tail || head < units.length - tail) this.order = units.map((u) => u.summary);

    const current = () => {
      if (this.updates !== now) throw new Error('cross-service findings read after the next analysis of the same document');
    };
    const abs = (span: UnitSpan) => {
      const p = placements.get(span.unit);
      if (p?.map) return p.map.span(span);
      const base = p?.base ?? 0;
      return { start: base + span.start, end: base + span.end };
    };
    const mapOf = anchored ? { has: (summary: UnitSummary) => placements.get(summary)?.map !== undefined } : undefined;
    const changed = new Set<UnitSummary>();
    this.recheck('f', this.byFront, this.multiFront, mapOf, changed, (owners) => this.frontPortConflicts(owners, abs), fresh);
    this.recheck('s', this.bySlb, this.multiSlb, mapOf, changed, (owners) => this.sharedSlbs(owners, abs), fresh);
    this.recheck('h', this.byHostPort, this.multiHost, mapOf, changed, (owners) => this.sharedHostPorts(owners, abs), fresh);
    for (const unit of changed) this.rebuild(unit);
    const crossOf = this.crossOf;
    return {
      of: (summary) => (current(), crossOf.get(summary)),
      baseOf: (summary) => (current(), placements.get(summary)?.base),
      lineOf: (summary) => (current(), placements.get(summary)?.line ?? -1),
      plain: (cross) => (current(), !mapOf || cross.refs.every((r) => !mapOf.has(r))),
      place: (cross) => (current(), cross.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, span: abs(f.span), related: f.related.map((r) => ({ span: abs(r.span), message: r.message })) }))),
    };
  }

  private add(summary: UnitSummary, touch = true): void {
    this.counts.set(summary, (this.counts.get(summary) ?? 0) + 1);
    if (touch) this.touch(summary);
    for (const b of summary.bindings) {
      push(this.byFront, this.multiFront, b.frontKey, { summary, item: b }, (o) => `${o.item.service}\u0000${o.item.containerPort}\u0000${o.item.scheme}`);
      push(this.bySlb, this.multiSlb, b.slb, { summary, item: b }, (o) => o.item.service);
    }
    for (const h of summary.hostPorts) push(this.byHostPort, this.multiHost, h.key, { summary, item: h }, (o) => o.item.service);
  }

  private remove(summary: UnitSummary): void {
    const count = this.counts.get(summary) ?? 0;
    if (count <= 1) this.counts.delete(summary);
    else this.counts.set(summary, count - 1);
    this.touch(summary);
    for (const b of summary.bindings) {
      pull(this.byFront, this.multiFront, b.frontKey, summary, (o) => `${o.item.service}\u0000${o.item.containerPort}\u0000${o.item.scheme}`);
      pull(this.bySlb, this.multiSlb, b.slb, summary, (o) => o.item.service);
    }
    for (const h of summary.hostPorts) pull(this.byHostPort, this.multiHost, h.key, summary, (o) => o.item.service);
  }

  private touch(summary: UnitSummary): void {
    for (const b of summary.bindings) {
      this.dirty.f.add(b.frontKey);
      this.dirty.s.add(b.slb);
    }
    for (const h of summary.hostPorts) this.dirty.h.add(h.key);
  }

  /** Checks again the groups of one kind that units joined or left (and the volatile ones); `fresh`: every group of two or more. */
  private recheck<T>(kind: 'f' | 's' | 'h', byKey: Map<string, Owner<T>[]>, multi: Set<string>, mapOf: { has(summary: UnitSummary): boolean } | undefined, changed: Set<UnitSummary>, check: (owners: Owner<T>[]) => CrossFinding[], fresh: boolean): void {
    const dirty = this.dirty[kind];
    const volatile = this.volatile[kind];
    const candidates = fresh ? multi : dirty;
    const keys = volatile.size === 0 ? candidates : new Set([...candidates, ...volatile]);
    for (const key of keys) {
      const owners = multi.has(key) ? byKey.get(key) : undefined;
      const found = owners ? check(owners) : [];
      for (const f of found) f.group = kind + key;
      if (owners && mapOf && owners.some((o) => mapOf.has(o.summary))) volatile.add(key);
      else volatile.delete(key);
      this.setGroup(kind + key, found, changed);
    }
    dirty.clear();
  }

  /** A group's new findings: each unit whose share of them changed is noted in `changed`; an unchanged share keeps its objects. */
  private setGroup(id: string, found: CrossFinding[], changed: Set<UnitSummary>): void {
    const before = this.groups.get(id);
    if (!before && found.length === 0) return;
    const after = new Map<UnitSummary, CrossFinding[]>();
    for (const f of found) {
      const list = after.get(f.span.unit);
      if (list) list.push(f);
      else after.set(f.span.unit, [f]);
    }
    if (before) {
      for (const [unit, old] of before) {
        const now = after.get(unit);
        if (now && sameFindings(old, now)) {
          after.set(unit, old);
          continue;
        }
        changed.add(unit);
        if (!now) this.byUnit.get(unit)?.delete(id);
      }
    }
    for (const [unit, now] of after) {
      if (before?.get(unit) === now) continue;
      changed.add(unit);
      let shares = this.byUnit.get(unit);
      if (!shares) this.byUnit.set(unit, (shares = new Map()));
      shares.set(id, now);
    }
    if (after.size > 0) this.groups.set(id, after);
    else this.groups.delete(id);
  }

  /** A unit's findings from its shares of every group, in a fixed order (not the order groups were checked in). */
  private rebuild(unit: UnitSummary): void {
    const shares = this.byUnit.get(unit);
    if (!shares || shares.size === 0 || !this.counts.has(unit)) {
      this.byUnit.delete(unit);
      this.crossOf.delete(unit);
      return;
    }
    const all: CrossFinding[] = [];
    for (const share of shares.values()) pushAll(all, share);
    all.sort(compareFindings);
    const reported = new Set<unknown>();
    const findings = all.filter((f) => {
      if (f.once === undefined) return true;
      if (reported.has(f.once)) return false;
      reported.add(f.once);
      return true;
    });
    const refs = [unit];
    for (const f of findings) for (const r of f.related) if (!refs.includes(r.span.unit)) refs.push(r.span.unit);
    this.crossOf.set(unit, { findings, refs });
  }

  // A label or mapping inherited through an alias or '<<' sits at the anchor, which may be another
  // service's own text: name the inheriting service and point at it, or the finding names the wrong one.
  // `sameSpot`: both uses sit at the very same anchor text, so the finding is about the alias itself.
  private inheritance(summary: UnitSummary, item: { service: string; inheritedBy?: { start: number; end: number } }, sameSpot: boolean) {
    return item.inheritedBy
      ? { note: sameSpot ? '' : t(" (service '{0}' gets it through an alias or '<<' merge)", item.service), sameSpot, related: [{ span: at(summary, item.inheritedBy), message: t("Service '{0}' gets this through an alias or '<<' merge", item.service) }] }
      : { note: '', sameSpot: false, related: [] };
  }

  /**
   * The three rules below share their shape: in a group, every owner after the first one (in file
   * order) that clashes with it gets a finding at its own span, pointing at the first owner, with
   * the inheritance note when the owner gets the item through an alias or '<<' merge.
   */
  private againstFirst<T extends { service: string; inheritedBy?: { start: number; end: number } }>(
    owners: Owner<T>[],
    spanOf: (item: T) => { start: number; end: number },
    abs: (span: UnitSpan) => { start: number },
    clashes: (first: T, item: T) => boolean,
    finding: (first: T, item: T, via: ReturnType<CrossServiceIndex['inheritance']>) => { once?: unknown; code: string; severity: Finding['severity']; message: string; firstMessage: string },
  ): CrossFinding[] {
    const out: CrossFinding[] = [];
    const [first, ...rest] = ordered(owners, spanOf, abs);
    for (const { summary, item } of rest) {
      if (!clashes(first.item, item)) continue;
      const via = this.inheritance(summary, item, sameStart(at(first.summary, spanOf(first.item)), at(summary, spanOf(item)), abs));
      const f = finding(first.item, item, via);
      out.push({
        once: f.once,
        code: f.code,
        severity: f.severity,
        message: f.message,
        span: at(summary, spanOf(item)),
        related: [{ span: at(first.summary, spanOf(first.item)), message: f.firstMessage }, ...via.related],
        group: '',
      });
    }
    return out;
  }

  /** X3: front port unique per SLB (tcp/http/https share one port space, udp has its own). */
  private frontPortConflicts(owners: Owner<IndexedBinding>[], abs: (span: UnitSpan) => { start: number }): CrossFinding[] {
    return this.againstFirst(
      owners,
      (b) => b.frontPortSpan,
      abs,
      (first, b) => !(first.service === b.service && first.containerPort === b.containerPort && first.scheme === b.scheme),
      (first, b, via) => ({
        code: 'lb-front-port-conflict',
        severity: 'error',
        message: via.sameSpot
          ? t("SLB '{0}' front port {1} is bound by service '{2}' and, through an alias or '<<' merge, by service '{3}'. One listener port forwards to one backend port: give each service its own front port.", b.slb, b.frontPort, first.service, b.service)
          : (first.service === b.service
            ? t("SLB '{0}' front port {1} is already bound to container port {2} of this service. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.containerPort)
            : t("SLB '{0}' front port {1} is already used by service '{2}'. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.service)) + via.note + (b.assumed ?? first.assumed ?? ''),
        firstMessage: t("Front port {0} of SLB '{1}' first bound here (service '{2}')", first.frontPort, first.slb, first.service),
      }),
    );
  }

  /** X1: two services must not use the same SLB. */
  private sharedSlbs(owners: Owner<IndexedBinding>[], abs: (span: UnitSpan) => { start: number }): CrossFinding[] {
    return this.againstFirst(
      owners,
      (b) => b.slbSpan,
      abs,
      (owner, b) => b.service !== owner.service,
      (owner, b, via) => ({
        code: 'lb-slb-shared',
        severity: 'error',
        message: via.sameSpot
          ? t("SLB '{0}' is used by service '{1}' and, through an alias or '<<' merge, by service '{2}'. Two services must not share one SLB: each service's agent would remove the other's backend servers. Give each service its own SLB.", b.slb, owner.service, b.service)
          : t("SLB '{0}' is also used by service '{1}'. Two services must not share one SLB: each service's agent would remove the other's backend servers. Use a separate SLB for each service.", b.slb, owner.service) + via.note + (b.assumed ?? owner.assumed ?? ''),
        firstMessage: t("SLB '{0}' used by service '{1}'", owner.slb, owner.service),
      }),
    );
  }

  /** P7: the same host port (and protocol) published by two services cannot run on one node. */
  private sharedHostPorts(owners: Owner<IndexedHostPort>[], abs: (span: UnitSpan) => { start: number }): CrossFinding[] {
    return this.againstFirst(
      owners,
      (h) => h.span,
      abs,
      (first, h) => h.service !== first.service,
      (first, h, via) => ({
        once: h.span,
        code: 'host-port-shared',
        severity: 'warning',
        message: via.sameSpot
          ? t("Host port {0}/{1} is published by service '{2}' and, through an alias or '<<' merge, by service '{3}'. Containers of the two services can never run on the same node.", h.port, h.protocol, first.service, h.service)
          : t("Host port {0}/{1} is also published by service '{2}'. Containers of the two services can never run on the same node.", h.port, h.protocol, first.service) + via.note,
        firstMessage: t("Published by service '{0}'", first.service),
      }),
    );
  }
}

interface Placement {
  base: number;
  line: number;
  map?: SpanMap;
  /** The update that placed it last. */
  update: number;
}

function at(unit: UnitSummary, span: { start: number; end: number }): UnitSpan {
  return { unit, start: span.start, end: span.end };
}

/** The owners of a group in file order. */
function ordered<T>(owners: Owner<T>[], spanOf: (t: T) => { start: number; end: number }, abs: (span: UnitSpan) => { start: number }): Owner<T>[] {
  return owners
    .map((o) => ({ o, start: abs(at(o.summary, spanOf(o.item))).start }))
    .sort((a, b) => a.start - b.start)
    .map((x) => x.o);
}

/** The very same place in the file (units parsed behind their anchors' chunks each hold a copy of the anchor's text). */
function sameStart(a: UnitSpan, b: UnitSpan, abs: (span: UnitSpan) => { start: number }): boolean {
  return a.unit === b.unit ? a.start === b.start : abs(a).start === abs(b).start;
}

function sameSpan(a: UnitSpan, b: UnitSpan): boolean {
  return a.unit === b.unit && a.start === b.start && a.end === b.end;
}

/** The same findings, to the units they point into: a consumer's rendering of the old ones still holds. */
function sameFindings(a: CrossFinding[], b: CrossFinding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.once !== y.once || !sameSpan(x.span, y.span) || x.related.length !== y.related.length) return false;
    for (let k = 0; k < x.related.length; k++) if (x.related[k].message !== y.related[k].message || !sameSpan(x.related[k].span, y.related[k].span)) return false;
  }
  return true;
}

function compareFindings(a: CrossFinding, b: CrossFinding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || compareStrings(a.code, b.code) || compareStrings(a.message, b.message) || compareStrings(a.group, b.group);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
