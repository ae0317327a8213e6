// The Kubernetes model the k8s rules and features read: Services with their annotations, type and
// ports, and the workloads (Deployment, StatefulSet, ...) whose pods they may select. Every value
// keeps its exact source offsets in the whole file (multi-document files are parsed as one text).
import type { Span } from '../compose/model';

export interface K8sScalar<T> {
  value: T;
  span: Span;
}

export interface AnnotationEntry {
  key: string;
  keySpan: Span;
  /** The value as a string (CCM reads strings); undefined for a collection or null. */
  value: string | undefined;
  /** Span of the value's content (inside quotes); zero-length after the ':' when empty. */
  valueSpan: Span;
  /** Span of the whole value node, quotes included (replaced by fixes). */
  valueNodeSpan: Span;
  /** Offsets inside the value map 1:1 onto the source (no escapes, no folding). */
  exactOffsets: boolean;
  /** YAML read a plain value as a number or boolean: Kubernetes rejects non-string annotation values. */
  notString: boolean;
}

export interface ServicePort {
  name?: K8sScalar<string>;
  port?: K8sScalar<number>;
  /** A number, or the name of a container port. */
  targetPort?: K8sScalar<number | string>;
  nodePort?: K8sScalar<number>;
  /** As written (Kubernetes default TCP when absent). */
  protocol?: K8sScalar<string>;
  span: Span;
}

export interface ServiceModel {
  kind: 'Service';
  name: string;
  nameSpan: Span;
  namespace?: string;
  /** Span of the `metadata:` key (fixes insert annotations under it). */
  metadataKeySpan?: Span;
  annotations: AnnotationEntry[];
  /** Span of the `annotations:` key, when present. */
  annotationsKeySpan?: Span;
  /** The annotations mapping is written in flow style ({...}): fixes cannot add lines to it. */
  annotationsFlow?: boolean;
  /**
   * Where a fix adds an annotation line, and with which indentation: after the last annotation (or
   * right under `metadata:`, then with an `annotations:` line first). Undefined: no safe place (flow style).
   */
  annotationInsert?: { offset: number; lead: string; indent: string; needsAnnotationsKey: boolean; keyIndent: string };
  type?: K8sScalar<string>;
  /** Where a fix adds `type: LoadBalancer` (start of the line after `spec:`), when spec is a block map. */
  typeInsert?: { offset: number; lead: string; indent: string };
  loadBalancerClass?: K8sScalar<string>;
  externalTrafficPolicy?: string;
  ports: ServicePort[];
  selector: Record<string, string>;
  /** status.loadBalancer.ingress[].ip (R4). */
  ingressIps: string[];
  /** An ingress entry with a hostname and no IP: the CCM accepts any CLB then (R4). */
  ingressHostnameOnly?: boolean;
  /** Span of status.loadBalancer.ingress (related information of R4). */
  ingressSpan?: Span;
  span: Span;
  /** Index of the YAML document in the file. */
  documentIndex: number;
}

export interface ContainerPort {
  containerPort?: K8sScalar<number>;
  name?: string;
  protocol?: string;
  container: string;
  span: Span;
}

export interface WorkloadModel {
  kind: string;
  name: string;
  nameSpan: Span;
  namespace?: string;
  /** Pod template labels (what a Service selector matches). */
  podLabels: Record<string, string>;
  containerPorts: ContainerPort[];
  documentIndex: number;
}

export interface K8sObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  span: Span;
  documentIndex: number;
}

export interface K8sManifest {
  objects: K8sObjectRef[];
  services: ServiceModel[];
  workloads: WorkloadModel[];
  /** YAML syntax problems (offsets in the whole text). */
  problems: { code: string; message: string; span: Span; severity: 'error' | 'warning' }[];
}
