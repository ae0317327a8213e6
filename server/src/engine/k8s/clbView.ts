// What the CCM reads from one Service, derived once from the model: the effective annotation of
// each suffix (the new spelling wins over the legacy one, as in CCM `Get`), the parsed
// protocol-port entries, and the listener (protocol, port) each Service port becomes (R7).
import type { Span } from '../compose/model';
import { t } from '../i18n';
import { ANNOTATION_PREFIX, CLASS_ANNOTATION_KEY, lookupAnnotation } from './annotations';
import type { AnnotationEntry, ServiceModel, ServicePort } from './model';

export const LISTENER_PROTOCOLS = ['http', 'https', 'tcp', 'udp'] as const;

export interface ProtocolPortEntry {
  text: string;
  span: Span;
  protocol?: { text: string; span: Span };
  port?: { text: string; span: Span; value?: number };
}

export interface ListenerOfPort {
  servicePort: ServicePort;
  port: number;
  protocol: string;
  /** Where the protocol came from (an entry of protocol-port, or spec.ports[].protocol). */
  from: 'protocol-port' | 'spec';
}

export interface ClbView {
  service: ServiceModel;
  /** Effective annotation per suffix (`''` for backend-type). */
  bySuffix: Map<string, AnnotationEntry>;
  /** Same suffix in both spellings: the legacy entry the CCM ignores. */
  shadowedLegacy: { legacy: AnnotationEntry; winner: AnnotationEntry }[];
  protocolPort: ProtocolPortEntry[];
  listeners: ListenerOfPort[];
  /** Reuses an existing CLB (an `id` annotation with a value). */
  reusedId?: AnnotationEntry;
  /** force-override-listeners is exactly "true". */
  forceOverride: boolean;
  isLoadBalancer: boolean;
  /**
   * spec.loadBalancerClass or the service.beta.kubernetes.io/class annotation: another controller
   * (NLB, MetalLB, ...) owns the Service and reads these annotations its own way (NLB takes `nlb-`
   * IDs and TCPSSL), so the CLB rules judge nothing on it (R1).
   */
  otherController: boolean;
  /** spec.loadBalancerClass alibabacloud.com/nlb: the CCM's NLB controller (a Network Load Balancer, not a CLB). */
  nlb: boolean;
  /** What names the other controller, as written (`spec.loadBalancerClass: …` or the class annotation). */
  controllerText?: string;
}

/** The class the CCM's NLB controller handles (CCM pkg/controller/service/nlbv1). */
export const NLB_CLASS = 'alibabacloud.com/nlb';

const cache = new WeakMap<ServiceModel, ClbView>();

export function clbView(service: ServiceModel): ClbView {
  let view = cache.get(service);
  if (!view) cache.set(service, (view = build(service)));
  return view;
}

function build(service: ServiceModel): ClbView {
  const bySuffix = new Map<string, AnnotationEntry>();
  const shadowedLegacy: ClbView['shadowedLegacy'] = [];
  const legacyOnes = new Map<string, AnnotationEntry>();
  for (const entry of service.annotations) {
    const known = lookupAnnotation(entry.key);
    if (!known) continue;
    if (known.legacy) legacyOnes.set(known.suffix, entry);
    else bySuffix.set(known.suffix, entry);
  }
  for (const [suffix, legacy] of legacyOnes) {
    const winner = bySuffix.get(suffix);
    if (winner) shadowedLegacy.push({ legacy, winner });
    else bySuffix.set(suffix, legacy);
  }
  const protocolPortEntry = bySuffix.get('protocol-port');
  const protocolPort = protocolPortEntry ? parseProtocolPort(protocolPortEntry) : [];
  const listeners: ListenerOfPort[] = [];
  for (const servicePort of service.ports) {
    if (!servicePort.port) continue;
    const port = servicePort.port.value;
    const entry = protocolPort.find((e) => e.port?.value === port && e.protocol && (LISTENER_PROTOCOLS as readonly string[]).includes(e.protocol.text));
    if (entry) listeners.push({ servicePort, port, protocol: entry.protocol!.text, from: 'protocol-port' });
    else listeners.push({ servicePort, port, protocol: (servicePort.protocol?.value ?? 'TCP').toLowerCase(), from: 'spec' });
  }
  const id = bySuffix.get('id');
  const classAnnotation = service.annotations.find((a) => a.key === CLASS_ANNOTATION_KEY);
  return {
    service,
    bySuffix,
    shadowedLegacy,
    protocolPort,
    listeners,
    reusedId: id && id.value ? id : undefined,
    forceOverride: bySuffix.get('force-override-listeners')?.value === 'true',
    isLoadBalancer: service.type?.value === 'LoadBalancer',
    otherController: service.loadBalancerClass !== undefined || !!classAnnotation,
    nlb: service.loadBalancerClass?.value === NLB_CLASS,
    controllerText: service.loadBalancerClass ? `spec.loadBalancerClass: ${service.loadBalancerClass.value}` : classAnnotation ? `${CLASS_ANNOTATION_KEY}: ${classAnnotation.value ?? ''}` : undefined,
  };
}

/** `proto:port[,proto:port]` split as the CCM splits it (on ',' then ':'), with the span of each part. */
export function parseProtocolPort(entry: AnnotationEntry): ProtocolPortEntry[] {
  const value = entry.value ?? '';
  const at = (from: number, to: number): Span => (entry.exactOffsets ? { start: entry.valueSpan.start + from, end: entry.valueSpan.start + to } : entry.valueSpan);
  const entries: ProtocolPortEntry[] = [];
  let start = 0;
  for (const part of value.split(',')) {
    const end = start + part.length;
    const result: ProtocolPortEntry = { text: part, span: at(start, end) };
    const colon = part.indexOf(':');
    if (colon >= 0) {
      result.protocol = { text: part.slice(0, colon), span: at(start, start + colon) };
      // The CCM compares the text after the first ':' (up to a second one) with the port as a
      // decimal string: "tcp:080" matches nothing, "tcp:80:x" is port 80.
      const second = part.indexOf(':', colon + 1);
      const portEnd = second < 0 ? part.length : second;
      const portText = part.slice(colon + 1, portEnd);
      const number = /^[1-9][0-9]{0,4}$/.test(portText) ? Number(portText) : undefined;
      result.port = { text: portText, span: at(start + colon + 1, start + portEnd), value: number !== undefined && number <= 65535 ? number : undefined };
    }
    entries.push(result);
    start = end + 1;
  }
  return entries;
}

/**
 * What to tell the user about a Service another controller owns (hover, validation): the NLB
 * controller for the NLB class, else the named controller. Undefined for a CLB Service.
 */
export function controllerNote(view: ClbView): string | undefined {
  if (!view.otherController) return undefined;
  return view.nlb
    ? t("This Service is handled by the CCM's NLB controller ({0}): it gets a Network Load Balancer, not a CLB. CLB annotations, listeners and the CLB chain do not apply; the NLB controller reads these keys its own way (NLB IDs nlb-…, zone-maps, ...), which this extension does not check.", view.controllerText ?? '')
    : t("This Service is handled by another load balancer controller ({0}): the CCM's CLB controller skips it, so CLB annotations do not apply and no CLB listener is made.", view.controllerText ?? '');
}
