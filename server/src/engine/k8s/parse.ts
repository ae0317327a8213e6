// Text -> K8sManifest: every YAML document of the file with the `yaml` package (exact ranges), the
// objects that have apiVersion + kind, and of those the Services and pod-owning workloads.
import { Document, isMap, isPair, isScalar, isSeq, Node, parseAllDocuments, Scalar, YAMLMap } from 'yaml';
import type { Span } from '../compose/model';
import { lineStartOf } from '../compose/labelsBlock';
import { describeYamlError } from '../compose/yamlErrors';
import type { AnnotationEntry, ContainerPort, K8sManifest, K8sScalar, ServiceModel, ServicePort, WorkloadModel } from './model';

/** Workloads with a pod template at spec.template (CronJob: spec.jobTemplate.spec.template). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod']);

/**
 * Cheap content check (no parse): a line `apiVersion:` and a line `kind:` at the top level of some
 * document. Compose files have neither; a Kubernetes manifest always has both.
 */
export function looksLikeKubernetes(text: string): boolean {
  // includes() first: a compose file (no 'apiVersion' at all) is answered at memchr speed.
  return text.includes('apiVersion') && /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text);
}

/** The same check line by line (open documents are line arrays; no whole-text string). */
export function linesLookLikeKubernetes(lineCount: number, lineText: (line: number) => string): boolean {
  let apiVersion = false;
  let kind = false;
  for (let line = 0; line < lineCount && !(apiVersion && kind); line++) {
    const text = lineText(line);
    if (!apiVersion && /^apiVersion[ \t]*:/.test(text)) apiVersion = true;
    else if (!kind && /^kind[ \t]*:/.test(text)) kind = true;
  }
  return apiVersion && kind;
}

export function parseManifest(text: string): K8sManifest {
  const manifest: K8sManifest = { objects: [], services: [], workloads: [], problems: [] };
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: false, merge: true }) as Document.Parsed[];
  } catch (error) {
    manifest.problems.push({ code: 'yaml-syntax', message: String((error as Error).message ?? error), span: { start: 0, end: Math.min(1, text.length) }, severity: 'error' });
    return manifest;
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, documentIndex) => {
    for (const e of doc.errors) manifest.problems.push(describeYamlError(e, text, 'error'));
    const root = doc.contents;
    if (!isMap(root)) return;
    const apiVersion = str(get(root, 'apiVersion'));
    const kind = str(get(root, 'kind'));
    if (!apiVersion || !kind) return;
    const metadata = get(root, 'metadata');
    const nameNode = isMap(metadata) ? get(metadata, 'name') : undefined;
    const name = str(nameNode);
    const span = spanOf(root);
    manifest.objects.push({ apiVersion, kind, name, span, documentIndex });
    try {
      if (kind === 'Service' && apiVersion === 'v1') manifest.services.push(readService(root, text, documentIndex));
      else if (WORKLOAD_KINDS.has(kind)) {
        const workload = readWorkload(root, kind, documentIndex);
        if (workload) manifest.workloads.push(workload);
      }
    } catch (error) {
      manifest.problems.push({ code: 'yaml-syntax', message: String((error as Error).message ?? error), span, severity: 'error' });
    }
  });
  return manifest;
}

function readService(root: YAMLMap, text: string, documentIndex: number): ServiceModel {
  const metadataPair = pair(root, 'metadata');
  const metadata = metadataPair?.value;
  const nameNode = isMap(metadata) ? get(metadata, 'name') : undefined;
  const spec = get(root, 'spec');
  const annotationsPair = isMap(metadata) ? pair(metadata, 'annotations') : undefined;
  const service: ServiceModel = {
    kind: 'Service',
    name: str(nameNode) ?? '',
    nameSpan: nameNode ? spanOf(nameNode) : spanOf(root),
    namespace: isMap(metadata) ? str(get(metadata, 'namespace')) : undefined,
    metadataKeySpan: metadataPair && isScalar(metadataPair.key) ? spanOf(metadataPair.key) : undefined,
    annotations: [],
    annotationsKeySpan: annotationsPair && isScalar(annotationsPair.key) ? spanOf(annotationsPair.key) : undefined,
    ports: [],
    selector: {},
    ingressIps: [],
    span: spanOf(root),
    documentIndex,
  };
  const annotations = annotationsPair?.value;
  if (isMap(annotations)) {
    service.annotationsFlow = annotations.flow === true;
    for (const p of annotations.items) {
      if (!isPair(p) || !isScalar(p.key)) continue;
      service.annotations.push(readAnnotation(p.key, p.value as Node | null, text));
    }
    const last = service.annotations[service.annotations.length - 1];
    if (!service.annotationsFlow && last) {
      const indent = indentAt(text, last.keySpan.start);
      service.annotationInsert = { ...nextLineStart(text, Math.max(last.valueNodeSpan.end, last.keySpan.end)), indent, needsAnnotationsKey: false, keyIndent: indent };
    }
  } else if (!annotationsPair && isMap(metadata) && !metadata.flow && metadataPair && isScalar(metadataPair.key)) {
    const first = metadata.items[0];
    if (isPair(first) && isScalar(first.key)) {
      const keyIndent = indentAt(text, first.key.range![0]);
      service.annotationInsert = { ...nextLineStart(text, metadataPair.key.range![1]), indent: keyIndent + '  ', needsAnnotationsKey: true, keyIndent };
    }
  }
  if (isMap(spec)) {
    service.type = scalarOf(get(spec, 'type'), 'string');
    const specPair = pair(root, 'spec');
    const firstSpecPair = spec.items[0];
    if (!spec.flow && specPair && isScalar(specPair.key) && isPair(firstSpecPair) && isScalar(firstSpecPair.key)) {
      service.typeInsert = { ...nextLineStart(text, specPair.key.range![1]), indent: indentAt(text, firstSpecPair.key.range![0]) };
    }
    service.loadBalancerClass = scalarOf(get(spec, 'loadBalancerClass'), 'string');
    service.externalTrafficPolicy = str(get(spec, 'externalTrafficPolicy'));
    const selector = get(spec, 'selector');
    if (isMap(selector)) for (const p of selector.items) if (isScalar(p.key) && isScalar(p.value)) service.selector[String(p.key.value)] = String(p.value.value);
    const ports = get(spec, 'ports');
    if (isSeq(ports)) {
      for (const item of ports.items) {
        if (!isMap(item)) continue;
        const port: ServicePort = { span: spanOf(item) };
        port.name = scalarOf(get(item, 'name'), 'string');
        port.port = scalarOf(get(item, 'port'), 'number');
        port.nodePort = scalarOf(get(item, 'nodePort'), 'number');
        port.protocol = scalarOf(get(item, 'protocol'), 'string');
        const target = get(item, 'targetPort');
        if (isScalar(target)) port.targetPort = { value: typeof target.value === 'number' ? target.value : String(target.value), span: spanOf(target) };
        service.ports.push(port);
      }
    }
  }
  const status = get(root, 'status');
  const lb = isMap(status) ? get(status, 'loadBalancer') : undefined;
  const ingress = isMap(lb) ? get(lb, 'ingress') : undefined;
  if (isSeq(ingress)) {
    service.ingressSpan = spanOf(ingress);
    for (const i of ingress.items) {
      if (!isMap(i)) continue;
      const ip = str(get(i, 'ip'));
      if (ip) service.ingressIps.push(ip);
      else if (str(get(i, 'hostname'))) service.ingressHostnameOnly = true;
    }
  }
  return service;
}

function readAnnotation(key: Scalar, value: Node | null, text: string): AnnotationEntry {
  const keySpan = spanOf(key);
  if (!value || !isScalar(value) || value.value === null) {
    // `key:` with nothing after it: an empty value right after the colon.
    const at = value ? spanOf(value).start : keySpan.end + 1;
    return { key: String(key.value), keySpan, value: value && !isScalar(value) ? undefined : '', valueSpan: { start: at, end: at }, valueNodeSpan: value ? spanOf(value) : { start: at, end: at }, exactOffsets: true, notString: false };
  }
  const node = spanOf(value);
  const raw = String(value.value);
  let content = node;
  if (value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE') content = { start: node.start + 1, end: Math.max(node.start + 1, (value.range?.[1] ?? node.end) - 1) };
  const exactOffsets = text.slice(content.start, content.end) === raw;
  return { key: String(key.value), keySpan, value: raw, valueSpan: content, valueNodeSpan: node, exactOffsets, notString: typeof value.value !== 'string' };
}

function readWorkload(root: YAMLMap, kind: string, documentIndex: number): WorkloadModel | undefined {
  const metadata = get(root, 'metadata');
  const nameNode = isMap(metadata) ? get(metadata, 'name') : undefined;
  let podSpec: Node | undefined;
  let podMeta: Node | undefined;
  if (kind === 'Pod') {
    podSpec = get(root, 'spec');
    podMeta = metadata;
  } else {
    let spec = get(root, 'spec');
    if (kind === 'CronJob' && isMap(spec)) {
      const jobTemplate = get(spec, 'jobTemplate');
      spec = isMap(jobTemplate) ? get(jobTemplate, 'spec') : undefined;
    }
    const template = isMap(spec) ? get(spec, 'template') : undefined;
    podSpec = isMap(template) ? get(template, 'spec') : undefined;
    podMeta = isMap(template) ? get(template, 'metadata') : undefined;
  }
  const workload: WorkloadModel = {
    kind,
    name: str(nameNode) ?? '',
    nameSpan: nameNode ? spanOf(nameNode) : spanOf(root),
    namespace: isMap(metadata) ? str(get(metadata, 'namespace')) : undefined,
    podLabels: {},
    containerPorts: [],
    documentIndex,
  };
  const labels = isMap(podMeta) ? get(podMeta, 'labels') : undefined;
  if (isMap(labels)) for (const p of labels.items) if (isScalar(p.key) && isScalar(p.value)) workload.podLabels[String(p.key.value)] = String(p.value.value);
  const containers = isMap(podSpec) ? get(podSpec, 'containers') : undefined;
  if (isSeq(containers)) {
    for (const c of containers.items) {
      if (!isMap(c)) continue;
      const container = str(get(c, 'name')) ?? '';
      const ports = get(c, 'ports');
      if (!isSeq(ports)) continue;
      for (const p of ports.items) {
        if (!isMap(p)) continue;
        const entry: ContainerPort = { container, span: spanOf(p), containerPort: scalarOf(get(p, 'containerPort'), 'number'), name: str(get(p, 'name')), protocol: str(get(p, 'protocol')) };
        workload.containerPorts.push(entry);
      }
    }
  }
  return workload;
}

function pair(map: YAMLMap, key: string) {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
}

function get(map: YAMLMap, key: string): Node | undefined {
  return (pair(map, key)?.value ?? undefined) as Node | undefined;
}

function str(node: Node | null | undefined): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined && typeof node.value !== 'object' ? String(node.value) : undefined;
}

function scalarOf(node: Node | undefined, want: 'string'): K8sScalar<string> | undefined;
function scalarOf(node: Node | undefined, want: 'number'): K8sScalar<number> | undefined;
function scalarOf(node: Node | undefined, want: 'string' | 'number'): K8sScalar<string | number> | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  if (want === 'number') {
    // A quoted "80" is a string to Kubernetes (rejected): only a real number counts.
    return typeof node.value === 'number' ? { value: node.value, span: spanOf(node) } : undefined;
  }
  return { value: String(node.value), span: spanOf(node) };
}

export function spanOf(node: Node): Span {
  const range = node.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

/** The spaces before the line's first character, for the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const lineStart = lineStartOf(text, offset);
  return /^[ ]*/.exec(text.slice(lineStart, offset))![0];
}

/** Start of the line after the one holding `offset`; on the last line, its end and a line break to write first. */
function nextLineStart(text: string, offset: number): { offset: number; lead: string } {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? { offset: text.length, lead: '\n' } : { offset: newline + 1, lead: '' };
}
