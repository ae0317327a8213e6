// Hover on a Service manifest: what an annotation does (and its value), and the path each port
// takes: CLB <id> <protocol> <port> -> NodePort/targetPort -> containerPort, plus the live CLB card.
import type { Hover, Position } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { Span } from '../compose/model';
import { t } from '../i18n';
import { rangeOf, TextLike } from '../text';
import { AnnotationSpec, CLASS_ANNOTATION_KEY, docOf, lookupAnnotation } from './annotations';
import { portChains } from './chain';
import { ClbView, clbView, controllerNote } from './clbView';
import type { K8sManifest, ServiceModel } from './model';
import { isClbId } from './rules';

export interface K8sHoverInputs {
  manifest: K8sManifest;
  /** Live card of a CLB (markdown) from the catalog; undefined offline. */
  describeSlb?: (ref: string) => string | undefined;
}

const within = (span: Span | undefined, offset: number) => !!span && offset >= span.start && offset <= span.end;

export function typeSummary(spec: AnnotationSpec): string {
  const type = spec.type;
  switch (type.kind) {
    case 'enum': return type.values.map((v) => `\`${v}\``).join(' | ');
    case 'onOff': return '`on` | `off`';
    case 'trueOnly': return '`"true"`';
    case 'int': return t('integer {0}-{1}', type.min, type.max) + (type.also ? ` ${t('or')} ${type.also.join(', ')}` : '');
    case 'clbId': return 'lb-…';
    case 'protocolPort': return '`proto:port[,proto:port]`';
    case 'forwardPort': return '`80:443[,…]`';
    case 'certId': return t('certificate ID');
    case 'keyValueList': return '`k=v[,k=v]`';
    case 'vgroupPort': return '`vsp-…:port[,…]`';
    default: return t('string');
  }
}

export function k8sHover(doc: TextLike, position: Position, inputs: K8sHoverInputs): Hover | null {
  const offset = doc.offsetAt(position);
  const service = inputs.manifest.services.find((s) => within(s.span, offset));
  if (!service) return null;
  const view = clbView(service);
  const note = controllerNote(view);
  const annotation = service.annotations.find((a) => within(a.keySpan, offset) || within(a.valueNodeSpan, offset));
  if (annotation && note) {
    // Another controller owns the Service: no CLB meaning, chain or live CLB card.
    const known = lookupAnnotation(annotation.key);
    if (!known && annotation.key !== CLASS_ANNOTATION_KEY) return null;
    const lines = [`**${annotation.key}**`, '', note];
    if (known?.spec.nlbOnly && view.nlb) lines.push('', docOf(known.spec));
    const span = within(annotation.keySpan, offset) ? annotation.keySpan : annotation.valueNodeSpan;
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: rangeOf(doc, span) };
  }
  if (annotation) {
    const known = lookupAnnotation(annotation.key);
    if (!known) return null;
    const lines = [`**${annotation.key}**`, '', docOf(known.spec), '', `- ${t('Values')}: ${typeSummary(known.spec)}`];
    if (known.spec.default) lines.push(`- ${t('Default')}: \`${known.spec.default}\``);
    if (known.spec.immutable) lines.push(`- ${t('Fixed once the CLB exists.')}`);
    if (known.legacy) lines.push(`- ${t('Legacy spelling (alicloud-): still read; the alibaba-cloud- spelling wins when both are set.')}`);
    if (known.suffix === 'id' || known.suffix === 'protocol-port' || known.suffix === 'force-override-listeners') lines.push('', ...chainLines(service, inputs.manifest));
    const id = annotation.value?.trim();
    if (known.suffix === 'id' && id && isClbId(id)) {
      const card = inputs.describeSlb?.(id);
      if (card) lines.push('', card);
    }
    const span = within(annotation.keySpan, offset) ? annotation.keySpan : annotation.valueNodeSpan;
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: rangeOf(doc, span) };
  }
  const port = service.ports.find((p) => within(p.span, offset));
  if (port && note) {
    const lines = [`**${t('Service {0}, port {1}', service.name, port.port?.value ?? '?')}**`, '', note];
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: rangeOf(doc, port.span) };
  }
  if (view.otherController && service.loadBalancerClass && within(service.loadBalancerClass.span, offset)) {
    return { contents: { kind: MarkupKind.Markdown, value: note! }, range: rangeOf(doc, service.loadBalancerClass.span) };
  }
  if (port) {
    const chain = portChains(service, inputs.manifest).find((c) => c.listener.servicePort === port);
    if (!chain) return null;
    const lines = [`**${t('Service {0}, port {1}', service.name, chain.listener.port)}**`, '', '`' + chain.text + '`'];
    if (chain.listener.from === 'spec' && clbView(service).isLoadBalancer) lines.push('', t('Listener protocol {0} from spec.ports[].protocol (no protocol-port entry for port {1}).', chain.listener.protocol, chain.listener.port));
    if (!clbView(service).isLoadBalancer) lines.push('', t('This Service is not of type LoadBalancer: no CLB listener is made for it.'));
    else lines.push('', backendsText(view, port.targetPort?.value ?? chain.listener.port));
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: rangeOf(doc, port.span) };
  }
  return null;
}

function chainLines(service: ServiceModel, manifest: K8sManifest): string[] {
  const chains = portChains(service, manifest);
  if (chains.length === 0) return [`*${t('This Service has no spec.ports: no listener.')}*`];
  return [`**${t('Ports of this Service')}**`, '', ...chains.map((c) => `- \`${c.text}\``)];
}

/** R13: which backends the CCM puts behind this port's listener, with which port and weight. */
function backendsText(view: ClbView, target: number | string): string {
  const type = view.bySuffix.get('')?.value;
  const labels = view.bySuffix.get('backend-label')?.value;
  const nodes = labels ? t('nodes with the labels {0}', labels) : t('nodes');
  if (type === 'eni') return t('Backends (ENI): the ready pods this Service selects, port targetPort {0}, weight 100 each.', target) + shared(view);
  const text = view.service.externalTrafficPolicy === 'Local'
    ? t('Backends (externalTrafficPolicy Local): the {0} that run a ready pod of this Service, port NodePort, weight = the number of such pods on the node.', nodes)
    : t('Backends (externalTrafficPolicy Cluster): all Ready {0} except masters and nodes labelled node.kubernetes.io/exclude-from-external-load-balancers, port NodePort, weight 100 each.', nodes);
  return (type === 'ecs' ? text : `${text} ${t('Unless the cluster uses ENI backends (Terway) by default: then the ready pods, port targetPort {0}.', target)}`) + shared(view);
}

/** The weight annotation, read only with id + vgroup-port: the backends share that total. */
function shared(view: ClbView): string {
  const weight = view.bySuffix.get('weight')?.value;
  return weight && view.reusedId && view.bySuffix.get('vgroup-port')?.value ? ` ${t('With weight {0}, the backends share that total instead.', weight)}` : '';
}
