// Rules across services (reference §3.4, P7): one SLB per service, unique front ports per SLB,
// host ports shared by two services. They run on the per-service summaries only, so an edit
// costs one pass over the bindings, never a re-parse.
import { t } from '../i18n';
import { portSpaceOf } from '../labels/lbLabel';
import { Finding, HostPortUse, LbBinding } from './types';

export interface PlacedBinding extends LbBinding {
  /** Offset of the unit the spans are relative to. */
  base: number;
}

export interface PlacedHostPort extends HostPortUse {
  base: number;
}

export interface PlacedFinding extends Finding {
  base: number;
}

export function checkAcrossServices(bindings: PlacedBinding[], hostPorts: PlacedHostPort[]): PlacedFinding[] {
  const findings: PlacedFinding[] = [];
  const rel = (b: PlacedBinding, span: { start: number; end: number }) => ({ start: b.base + span.start, end: b.base + span.end });

  // X3: front port unique per SLB (tcp/http/https share one port space, udp has its own).
  const byFront = new Map<string, PlacedBinding>();
  // X1: two services must not use the same SLB.
  const bySlb = new Map<string, PlacedBinding>();
  for (const b of bindings) {
    const frontKey = `${b.slb}\u0000${portSpaceOf(b.scheme)}\u0000${b.frontPort}`;
    const first = byFront.get(frontKey);
    if (!first) byFront.set(frontKey, b);
    else if (first.service !== b.service || first.containerPort !== b.containerPort || first.scheme !== b.scheme) {
      findings.push({
        base: 0,
        code: 'lb-front-port-conflict',
        severity: 'error',
        message:
          first.service === b.service
            ? t("SLB '{0}' front port {1} is already bound to container port {2} of this service. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.containerPort)
            : t("SLB '{0}' front port {1} is already used by service '{2}'. One listener port forwards to one backend port: pick another front port.", b.slb, b.frontPort, first.service),
        span: rel(b, b.frontPortSpan),
        related: [{ span: rel(first, first.frontPortSpan), message: t("Front port {0} of SLB '{1}' first bound here ({2})", first.frontPort, first.slb, first.service) }],
      });
    }
    const owner = bySlb.get(b.slb);
    if (!owner) bySlb.set(b.slb, b);
    else if (owner.service !== b.service) {
      findings.push({
        base: 0,
        code: 'lb-slb-shared',
        severity: 'error',
        message: t("SLB '{0}' is also used by service '{1}'. Two services must not share one SLB: each service's agent would remove the other's backend servers. Use a separate SLB for each service.", b.slb, owner.service),
        span: rel(b, b.slbSpan),
        related: [{ span: rel(owner, owner.slbSpan), message: t("SLB '{0}' used by service '{1}'", owner.slb, owner.service) }],
      });
    }
  }

  // P7: the same host port (and protocol) published by two services cannot run on one node.
  const byHostPort = new Map<string, PlacedHostPort>();
  const reported = new Set<string>();
  for (const h of hostPorts) {
    const key = `${h.port}/${h.protocol}`;
    const first = byHostPort.get(key);
    if (!first) byHostPort.set(key, h);
    else if (first.service !== h.service) {
      const once = `${h.service}\u0000${h.base + h.span.start}`;
      if (reported.has(once)) continue;
      reported.add(once);
      findings.push({
        base: 0,
        code: 'host-port-shared',
        severity: 'warning',
        message: t("Host port {0}/{1} is also published by service '{2}'. Containers of the two services can never run on the same node.", h.port, h.protocol, first.service),
        span: { start: h.base + h.span.start, end: h.base + h.span.end },
        related: [{ span: { start: first.base + first.span.start, end: first.base + first.span.end }, message: t("Published by service '{0}'", first.service) }],
      });
    }
  }
  return findings;
}
