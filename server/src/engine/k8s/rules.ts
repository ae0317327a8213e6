// The offline rules for Service manifests (reference §2, R1–R12). One unit per rule: code,
// severity, category, scope and a check that only reads the model (and its ClbView); every code
// they emit is declared with its docs in k8s/ruleSpecs.ts, in the shape of the rule registry.
import type { Finding, Fix, Severity } from '../rules/types';
import { t } from '../i18n';
import { editDistance } from '../labels/catalog';
import { looksLikeSlbId } from '../labels/lbLabel';
import { pushAll } from '../arrays';
import { ANNOTATIONS, annotationKey, CLASS_ANNOTATION_KEY, isClbFamilyKey, LEGACY_ANNOTATION_PREFIX, lookupAnnotation, ANNOTATION_PREFIX } from './annotations';
import { ClbView, clbView, controllerNote, LISTENER_PROTOCOLS } from './clbView';
import type { AnnotationEntry, K8sManifest, ServiceModel } from './model';
import { selectedWorkloads } from './chain';

/** Code and default severity; the docs, category and example are in k8s/ruleSpecs.ts (the registry shape). */
interface RuleBase {
  code: string;
  severity: Severity;
  category: 'kubernetes';
}

export interface ServiceRule extends RuleBase {
  scope: 'service';
  check(view: ClbView, manifest: K8sManifest): Finding[];
}

export interface FileRule extends RuleBase {
  scope: 'file';
  check(manifest: K8sManifest): Finding[];
}

export type K8sRule = ServiceRule | FileRule;

/** A CLB ID as the API writes it: `lb-…`, or an old-style ID like 14a7ba06d3b-cn-hangzhou-dg-a01. */
export const isClbId = (value: string): boolean => looksLikeSlbId(value);
/** What the migration (and people) write where an ID still has to be filled in. */
const PLACEHOLDER = /[<>]|\bTODO\b|REPLACE|CHANGE[-_ ]?ME|xxx/i;
/** A template variable (envsubst, Helm-rendered elsewhere): the value is known only at deploy time. */
const TEMPLATE = /\$\{?[A-Za-z_]|\{\{/;

function hasClbAnnotations(service: ServiceModel): AnnotationEntry[] {
  return service.annotations.filter((a) => isClbFamilyKey(a.key));
}

const notLoadBalancer: ServiceRule = {
  code: 'k8s-annotations-not-loadbalancer',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const service = view.service;
    const clb = hasClbAnnotations(service);
    if (view.isLoadBalancer || clb.length === 0) return [];
    const typeText = service.type?.value ?? 'ClusterIP';
    const fixes: Fix[] = [];
    if (service.type) fixes.push({ title: t('Set spec.type to LoadBalancer'), edits: [{ span: service.type.span, newText: 'LoadBalancer' }], preferred: true });
    else if (service.typeInsert) fixes.push({ title: t('Set spec.type to LoadBalancer'), edits: [{ span: { start: service.typeInsert.offset, end: service.typeInsert.offset }, newText: `${service.typeInsert.lead}${service.typeInsert.indent}type: LoadBalancer\n` }], preferred: true });
    if (!service.type) {
      // No spec.type: a whole Service is ClusterIP, but a kustomize (strategic-merge) patch takes the
      // type from its base. Without spec.ports it cannot be a whole Service (the API requires them).
      if (service.ports.length === 0) return [];
      return [{
        code: this.code,
        severity: 'information',
        message: t("spec.type is not set here: as a whole Service this is ClusterIP, and the CCM ignores its {0} CLB annotation(s). If this file is a patch (kustomize) whose base sets type: LoadBalancer, this is fine.", clb.length),
        span: clb[0].keySpan,
        fixes,
      }];
    }
    return [{
      code: this.code,
      severity: this.severity,
      message: t("Service '{0}' is of type {1}: the CCM reads CLB annotations only on a Service of type LoadBalancer, so these {2} annotation(s) do nothing.", service.name, typeText, clb.length),
      span: service.type?.span ?? clb[0].keySpan,
      fixes,
    }];
  },
};

const otherController: ServiceRule = {
  code: 'k8s-annotations-other-controller',
  severity: 'information',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const service = view.service;
    if (!view.isLoadBalancer || hasClbAnnotations(service).length === 0) return [];
    const cls = service.annotations.find((a) => a.key === CLASS_ANNOTATION_KEY);
    const span = service.loadBalancerClass?.span ?? cls?.valueSpan;
    if (!span) return [];
    // NLB is the CCM's own other path, a normal choice: a hint that says what applies, not a warning.
    return [{ code: this.code, severity: view.nlb ? 'hint' : this.severity, message: controllerNote(view)!, span }];
  },
};

const notString: ServiceRule = {
  code: 'k8s-annotation-not-string',
  severity: 'error',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    return view.service.annotations
      .filter((a) => a.notString && a.value !== undefined)
      .map((a) => ({
        code: this.code,
        severity: this.severity,
        message: t("YAML reads {0} as a {1}, but annotation values must be strings: the API server rejects the Service. Quote it: \"{0}\".", a.value!, /^(true|false)$/.test(a.value!) ? t('boolean') : t('number')),
        span: a.valueNodeSpan,
        fixes: [{ title: t('Quote the value: {0}', JSON.stringify(a.value)), edits: [{ span: a.valueNodeSpan, newText: JSON.stringify(a.value) }], preferred: true }],
      }));
  },
};

const unknownKey: ServiceRule = {
  code: 'k8s-annotation-unknown',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const findings: Finding[] = [];
    for (const a of view.service.annotations) {
      if (lookupAnnotation(a.key) || !/alibaba|alicloud|aliyun|loadbalancer/i.test(a.key) || !a.key.startsWith('service.beta.kubernetes.io/')) continue;
      if (a.key === CLASS_ANNOTATION_KEY) continue;
      const suggestion = closestKey(a.key);
      if (suggestion) {
        findings.push({
          code: this.code,
          severity: 'warning',
          message: t("The CCM does not read '{0}': did you mean '{1}'?", a.key, suggestion),
          span: a.keySpan,
          fixes: [{ title: t('Change to {0}', suggestion), edits: [{ span: a.keySpan, newText: suggestion }], preferred: true }],
        });
      } else if (isClbFamilyKey(a.key)) {
        // A key of the family this catalogue (CCM v2.14) does not know: maybe newer; say little.
        findings.push({ code: this.code, severity: 'hint', message: t("'{0}' is not an annotation this extension knows (CCM up to v2.14); if the CCM does not know it either, it is ignored.", a.key), span: a.keySpan });
      }
    }
    return findings;
  },
};

/**
 * Names that look right but are not read: `network-type` appears in an example of the CCM's own
 * usage docs, while every CCM version reads `slb-network-type`.
 */
const MISNAMED_SUFFIXES: Record<string, string> = { 'network-type': 'slb-network-type' };

/** The nearest known key (either spelling) within a small edit distance, or undefined. */
export function closestKey(key: string): string | undefined {
  for (const legacy of [false, true]) {
    const prefix = legacy ? LEGACY_ANNOTATION_PREFIX : ANNOTATION_PREFIX;
    if (key.startsWith(prefix) && MISNAMED_SUFFIXES[key.slice(prefix.length)]) return prefix + MISNAMED_SUFFIXES[key.slice(prefix.length)];
  }
  let best: { key: string; distance: number } | undefined;
  const legacy = /alicloud/.test(key);
  for (const spec of ANNOTATIONS) {
    for (const candidate of [annotationKey(spec.suffix, false), annotationKey(spec.suffix, true)]) {
      const distance = editDistance(key, candidate);
      const better = !best || distance < best.distance || (distance === best.distance && candidate.startsWith(legacy ? LEGACY_ANNOTATION_PREFIX : ANNOTATION_PREFIX));
      if (better) best = { key: candidate, distance };
    }
  }
  const allowed = Math.max(2, Math.floor(key.length / 20));
  return best && best.distance > 0 && best.distance <= allowed ? best.key : undefined;
}

const legacyShadowed: ServiceRule = {
  code: 'k8s-annotation-legacy-shadowed',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    return view.shadowedLegacy
      .filter(({ legacy, winner }) => legacy.value !== winner.value)
      .map(({ legacy, winner }) => ({
        code: this.code,
        severity: this.severity,
        message: t("'{0}' is ignored: '{1}' is also set, and the CCM reads the new spelling first (value {2}).", legacy.key, winner.key, JSON.stringify(winner.value ?? '')),
        span: legacy.keySpan,
        related: [{ span: winner.keySpan, message: t('the value the CCM uses') }],
      }));
  },
};

const idNotAnId: ServiceRule = {
  code: 'k8s-clb-id-not-id',
  severity: 'error',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const id = view.bySuffix.get('id');
    const value = id?.value?.trim();
    if (!id || !value || isClbId(value) || TEMPLATE.test(value)) return [];
    if (PLACEHOLDER.test(value)) {
      return [{ code: 'k8s-clb-id-placeholder', severity: 'error', message: t("'{0}' is a placeholder, not a CLB ID: replace it with the ID (lb-…) of the CLB before applying the manifest.", value), span: id.valueSpan }];
    }
    return [{
      code: this.code,
      severity: this.severity,
      message: t("'{0}' is not a CLB ID: the CCM looks the CLB up by ID only (lb-…), so a name finds nothing. Use the CLB's ID.", value),
      span: id.valueSpan,
    }];
  },
};

const placeholder: ServiceRule = {
  code: 'k8s-annotation-placeholder',
  severity: 'error',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    return view.service.annotations
      .filter((a) => isClbFamilyKey(a.key) && lookupAnnotation(a.key)?.suffix !== 'id' && /^<[^<>]*>$/.test(a.value?.trim() ?? ''))
      .map((a) => ({ code: this.code, severity: this.severity, message: t("'{0}' is a placeholder: write the real value before applying the manifest.", a.value!.trim()), span: a.valueSpan }));
  },
};

const protocolPort: ServiceRule = {
  code: 'k8s-protocol-port',
  severity: 'error',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const entry = view.bySuffix.get('protocol-port');
    if (!entry || entry.value === undefined || TEMPLATE.test(entry.value)) return [];
    const findings: Finding[] = [];
    const servicePorts = view.service.ports.map((p) => p.port?.value).filter((p): p is number => p !== undefined);
    if (entry.value.trim() === '') return [{ code: 'k8s-protocol-port-syntax', severity: 'error', message: t("protocol-port is empty: write entries like \"https:443,http:80\" (protocol:port of spec.ports)."), span: entry.valueNodeSpan }];
    for (const e of view.protocolPort) {
      if (!e.protocol || !e.port || e.port.text === '' || e.protocol.text === '') {
        findings.push({ code: 'k8s-protocol-port-syntax', severity: 'error', message: t("'{0}' is not a protocol-port entry: write protocol:port, e.g. \"https:443\" (entries separated by ',').", e.text), span: e.span });
        continue;
      }
      const proto = e.protocol.text;
      if (!(LISTENER_PROTOCOLS as readonly string[]).includes(proto)) {
        const lower = proto.trim().toLowerCase();
        const fixes: Fix[] = (LISTENER_PROTOCOLS as readonly string[]).includes(lower) ? [{ title: t('Change to {0}', lower), edits: [{ span: e.protocol.span, newText: lower }], preferred: true }] : [];
        findings.push({ code: 'k8s-protocol-port-scheme', severity: 'error', message: t("'{0}' is not a listener protocol the CCM accepts: use http, https, tcp or udp (lowercase).", proto), span: e.protocol.span, fixes });
      }
      if (e.port.value === undefined && /^0[0-9]+$/.test(e.port.text) && Number(e.port.text) >= 1 && Number(e.port.text) <= 65535) {
        const canonical = String(Number(e.port.text));
        findings.push({ code: 'k8s-protocol-port-unmatched', severity: 'warning', message: t("'{0}' never matches a Service port: the CCM compares it with the port written without leading zeros ({1}), so this entry is ignored.", e.port.text, canonical), span: e.port.span, fixes: [{ title: t('Change to {0}', canonical), edits: [{ span: e.port.span, newText: canonical }], preferred: true }] });
        continue;
      }
      if (e.port.value === undefined) {
        findings.push({ code: 'k8s-protocol-port-syntax', severity: 'error', message: t("'{0}' is not a port number (1-65535).", e.port.text), span: e.port.span });
        continue;
      }
      // No spec.ports here: a patch whose base has them (a whole Service needs them), so no claim.
      if (servicePorts.length > 0 && !servicePorts.includes(e.port.value)) {
        const fixes: Fix[] = servicePorts.filter((p) => !view.protocolPort.some((x) => x.port?.value === p)).map((p) => ({ title: t('Change to {0}', `${proto}:${p}`), edits: [{ span: e.port!.span, newText: String(p) }] }));
        findings.push({
          code: 'k8s-protocol-port-unmatched',
          severity: 'warning',
          message: t('Port {0} is not a port of this Service (spec.ports: {1}): the CCM ignores this entry. The entry names the Service port (the listener port), not the targetPort or NodePort.', e.port.value, servicePorts.join(', ')),
          span: e.port.span,
          fixes,
        });
      }
    }
    return findings;
  },
};

const httpsWithoutCert: ServiceRule = {
  code: 'k8s-https-without-cert',
  severity: 'error',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    // A reused CLB without force-override-listeners: the CCM creates no listener (R5), so no cert is
    // asked for; nor on a Service not (or not here) of type LoadBalancer.
    if (!view.isLoadBalancer || view.bySuffix.get('cert-id')?.value || (view.reusedId && !view.forceOverride)) return [];
    const https = view.protocolPort.filter((e) => e.protocol?.text === 'https' && e.port?.value !== undefined && view.listeners.some((l) => l.port === e.port!.value && l.protocol === 'https'));
    if (https.length === 0) return [];
    const service = view.service;
    const fixes: Fix[] = [];
    const insert = service.annotationInsert;
    if (insert) {
      const line = `${insert.indent}${annotationKey('cert-id')}: "<server certificate ID>"\n`;
      fixes.push({ title: t('Add the cert-id annotation'), edits: [{ span: { start: insert.offset, end: insert.offset }, newText: insert.lead + (insert.needsAnnotationsKey ? `${insert.keyIndent}annotations:\n` : '') + line }] });
    }
    return https.map((e) => ({ code: this.code, severity: this.severity, message: t('The https listener on port {0} needs a server certificate: add the cert-id annotation, or the CCM fails to create the listener.', e.port!.value!), span: e.span, fixes }));
  },
};

const forwardPort: ServiceRule = {
  code: 'k8s-forward-port',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const entry = view.bySuffix.get('forward-port');
    if (!entry?.value || TEMPLATE.test(entry.value)) return [];
    const findings: Finding[] = [];
    let offset = 0;
    for (const part of entry.value.split(',')) {
      const span = entry.exactOffsets ? { start: entry.valueSpan.start + offset, end: entry.valueSpan.start + offset + part.length } : entry.valueSpan;
      offset += part.length + 1;
      const m = /^([0-9]{1,5}):([0-9]{1,5})$/.exec(part.trim());
      if (!m) {
        findings.push({ code: this.code, severity: 'error', message: t("'{0}' is not a forward-port entry: write fromPort:toPort, e.g. \"80:443\".", part), span });
        continue;
      }
      const from = view.listeners.find((l) => l.port === Number(m[1]));
      if (!from || from.protocol !== 'http') {
        findings.push({ code: this.code, severity: this.severity, message: from ? t('forward-port acts only on http listeners, and port {0} is {1}: nothing is redirected.', m[1], from.protocol) : t('Port {0} is not a port of this Service: nothing is redirected.', m[1]), span });
      } else if (!view.listeners.some((l) => l.port === Number(m[2]))) {
        findings.push({ code: this.code, severity: this.severity, message: t('Port {0} is not a port of this Service: the redirect target has no listener.', m[2]), span });
      }
    }
    return findings;
  },
};

const valueShape: ServiceRule = {
  code: 'k8s-annotation-value',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const findings: Finding[] = [];
    for (const a of view.service.annotations) {
      const known = lookupAnnotation(a.key);
      if (!known || known.spec.nlbOnly || a.value === undefined || a.notString || TEMPLATE.test(a.value)) continue;
      const value = a.value;
      const type = known.spec.type;
      const quote = (v: string): Fix => ({ title: t('Change to {0}', v), edits: [{ span: a.exactOffsets ? a.valueSpan : a.valueNodeSpan, newText: a.exactOffsets ? v : JSON.stringify(v) }], preferred: true });
      if (type.kind === 'int') {
        if (!/^-?[0-9]+$/.test(value.trim())) {
          findings.push({ code: 'k8s-annotation-int', severity: 'error', message: t("'{0}' is not an integer: {1} takes a whole number ({2}-{3}); the CCM fails to parse it.", value, known.suffix, type.min, type.max), span: a.valueSpan });
        } else {
          const n = Number(value.trim());
          if ((n < type.min || n > type.max) && !type.also?.includes(n)) findings.push({ code: 'k8s-annotation-int', severity: 'warning', message: t('{0} is out of range for {1}: use {2}-{3}.', n, known.suffix, type.min, type.max), span: a.valueSpan });
        }
      } else if (type.kind === 'onOff' && value !== 'on' && value !== 'off') {
        const lower = value.trim().toLowerCase();
        const fix = lower === 'on' || lower === 'true' ? 'on' : lower === 'off' || lower === 'false' ? 'off' : undefined;
        findings.push({ code: this.code, severity: this.severity, message: t("{0} takes on or off, not '{1}'.", known.suffix, value), span: a.valueSpan, fixes: fix ? [quote(fix)] : [] });
      } else if (type.kind === 'enum' && !type.values.includes(value)) {
        const match = type.values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
        findings.push({ code: this.code, severity: this.severity, message: t("'{0}' is not a value of {1}: use one of {2} (case-sensitive).", value, known.suffix || 'backend-type', type.values.join(', ')), span: a.valueSpan, fixes: match ? [quote(match)] : [] });
      } else if (type.kind === 'trueOnly' && value !== 'true' && value !== 'false') {
        const meant = /^(true|yes|on|1)$/i.test(value.trim());
        findings.push({ code: this.code, severity: this.severity, message: t("Only the exact value \"true\" turns {0} on; '{1}' means false.", known.suffix, value), span: a.valueSpan, fixes: meant ? [quote('true')] : [] });
      } else if (type.kind === 'keyValueList' && value.split(',').some((item) => known.suffix === 'backend-label' && !item.includes('='))) {
        findings.push({ code: this.code, severity: this.severity, message: t("backend-label takes k=v[,k=v]: an item without '=' is an error in the CCM."), span: a.valueSpan });
      }
    }
    return findings;
  },
};

const requires: ServiceRule = {
  code: 'k8s-annotation-requires',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view) {
    const findings: Finding[] = [];
    const need = (suffix: string, when: (v: string) => boolean, needs: string[]) => {
      const a = view.bySuffix.get(suffix);
      if (!a?.value || !when(a.value)) return;
      const missing = needs.filter((n) => !view.bySuffix.get(n)?.value);
      if (missing.length) findings.push({ code: this.code, severity: this.severity, message: t('{0} needs {1} as well.', `${suffix}: ${a.value}`, missing.join(', ')), span: a.keySpan });
    };
    need('sticky-session', (v) => v === 'on', ['sticky-session-type']);
    need('acl-status', (v) => v === 'on', ['acl-id', 'acl-type']);
    need('vgroup-port', () => true, ['id']);
    return findings;
  },
};

const sharedPort: FileRule = {
  code: 'k8s-clb-port-shared',
  severity: 'error',
  category: 'kubernetes',
  scope: 'file',
  check(manifest) {
    const seen = new Map<string, { service: ServiceModel; span: { start: number; end: number } }>();
    const findings: Finding[] = [];
    for (const service of manifest.services) {
      const view = clbView(service);
      // Without force-override-listeners the CCM makes no listener on a reused CLB (R5): no clash.
      if (!view.isLoadBalancer || view.otherController || !view.forceOverride || !view.reusedId || !isClbId(view.reusedId.value!.trim())) continue;
      for (const l of view.listeners) {
        const key = `${view.reusedId.value!.trim()}\u0000${l.port}`;
        const span = l.servicePort.port!.span;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, { service, span });
          continue;
        }
        if (first.service === service) continue;
        findings.push({
          code: this.code,
          severity: this.severity,
          message: t("Services '{0}' and '{1}' both use port {2} of CLB {3}: one CLB port has one listener, so one of them takes it from the other.", first.service.name, service.name, l.port, view.reusedId.value!.trim()),
          span,
          related: [{ span: first.span, message: t("port {0} of Service '{1}'", l.port, first.service.name) }],
        });
      }
    }
    return findings;
  },
};

/**
 * R13: what becomes a backend. A named targetPort is resolved per pod by Kubernetes (the endpoints
 * carry it); when no container of the pods this Service selects declares that name, the port has no
 * endpoints, so the CLB gets no backends for it (ENI, Local) or nodes that forward to nothing
 * (Cluster). Judged only when the selected workloads are in this file: others may live elsewhere.
 */
const backendPort: ServiceRule = {
  code: 'k8s-backend-port-unresolved',
  severity: 'warning',
  category: 'kubernetes',
  scope: 'service',
  check(view, manifest) {
    const findings: Finding[] = [];
    if (view.isLoadBalancer) {
      const workloads = selectedWorkloads(view.service, manifest);
      if (workloads.length > 0) {
        const declared = [...new Set(workloads.flatMap((w) => w.containerPorts.map((c) => c.name).filter((n): n is string => !!n)))];
        for (const port of view.service.ports) {
          const target = port.targetPort;
          if (!target || typeof target.value !== 'string' || /^[0-9]+$/.test(target.value) || TEMPLATE.test(target.value) || declared.includes(target.value)) continue;
          const where = workloads.map((w) => `${w.kind} ${w.name}`).join(', ');
          findings.push({
            code: this.code,
            severity: this.severity,
            message: declared.length > 0
              ? t("targetPort '{0}' names no container port of {1} (named ports: {2}): the pods get no endpoint for it, so the CLB listener of port {3} has no backend to reach.", target.value, where, declared.join(', '), port.port?.value ?? '?')
              : t("targetPort '{0}' names no container port of {1} (it declares no named port): the pods get no endpoint for it, so the CLB listener of port {2} has no backend to reach.", target.value, where, port.port?.value ?? '?'),
            span: target.span,
            fixes: declared.map((name) => ({ title: t('Change to {0}', name), edits: [{ span: target.span, newText: name }], preferred: declared.length === 1 })),
          });
        }
      }
    }
    // The CCM reads weight only for a user-made vServer group on a reused CLB (id + vgroup-port).
    const weight = view.bySuffix.get('weight');
    if (weight?.value && !TEMPLATE.test(weight.value) && !(view.reusedId && view.bySuffix.get('vgroup-port')?.value)) {
      findings.push({
        code: 'k8s-weight-ignored',
        severity: 'warning',
        message: t('weight is read only together with id and vgroup-port (a vServer group you made on a reused CLB); here the CCM ignores it and weighs the backends itself (100 per node or pod, or the pod count per node with externalTrafficPolicy: Local).'),
        span: weight.keySpan,
      });
    }
    return findings;
  },
};

export const K8S_RULES: readonly K8sRule[] = [notLoadBalancer, otherController, notString, unknownKey, legacyShadowed, idNotAnId, placeholder, protocolPort, httpsWithoutCert, forwardPort, valueShape, requires, sharedPort, backendPort];

/** Codes a rule unit may emit besides its own (sub-codes), for docs and --list-rules. */
export const K8S_SUB_CODES: Record<string, string[]> = {
  'k8s-clb-id-not-id': ['k8s-clb-id-placeholder'],
  'k8s-protocol-port': ['k8s-protocol-port-syntax', 'k8s-protocol-port-scheme', 'k8s-protocol-port-unmatched'],
  'k8s-annotation-value': ['k8s-annotation-int'],
  'k8s-backend-port-unresolved': ['k8s-weight-ignored'],
};

/** Rules that still apply when another controller owns the Service (they judge no CLB value). */
const ANY_CONTROLLER: ReadonlySet<K8sRule> = new Set<K8sRule>([notLoadBalancer, otherController, notString]);

export function checkManifest(manifest: K8sManifest): Finding[] {
  const findings: Finding[] = [];
  for (const rule of K8S_RULES) {
    if (rule.scope === 'file') pushAll(findings, rule.check(manifest));
    else {
      for (const service of manifest.services) {
        const view = clbView(service);
        if (view.otherController && !ANY_CONTROLLER.has(rule)) continue;
        pushAll(findings, rule.check(view, manifest));
      }
    }
  }
  return findings.sort((a, b) => a.span.start - b.span.start);
}
