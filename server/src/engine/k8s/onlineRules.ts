// Online checks of Service manifests against the account's CLB catalog (R2 with a fix, R3, R5,
// R6, R8, R10). Pure: manifest + trusted snapshot in, findings out; no snapshot, no findings.
import type { CatalogSlb, CatalogSnapshot } from '../cloud/catalog';
import { lookupSlb } from '../cloud/onlineRules';
import { pushAll } from '../arrays';
import { t } from '../i18n';
import type { Finding } from '../rules/types';
import { clbView, ClbView } from './clbView';
import type { K8sManifest } from './model';
import { isClbId } from './rules';

/** Tags the CCM puts on a CLB it created itself (reference §4.2): such a CLB cannot be reused (R3). */
export const CLUSTER_TAGS = ['kubernetes.do.not.delete', 'ack.aliyun.com'];

export interface ServerCertificateInfo {
  id: string;
  name?: string;
  /** Milliseconds since epoch. */
  expireTime?: number;
}

export interface K8sOnlineInputs {
  snapshot: CatalogSnapshot | undefined;
  /** Server certificates of the region; undefined when not known (certificate checks are then skipped). */
  certificates?: readonly ServerCertificateInfo[];
  now?: number;
}

export const K8S_ONLINE_CODES = {
  notFound: 'k8s-clb-not-found',
  nameResolves: 'k8s-clb-id-is-name',
  notReusable: 'k8s-clb-not-reusable',
  listenerUnmanaged: 'k8s-listener-not-managed',
  listenerTakeover: 'k8s-listener-takeover',
  listenerConflict: 'k8s-listener-protocol-conflict',
  addressType: 'k8s-clb-address-type',
  certMissing: 'k8s-cert-not-found',
  certExpired: 'k8s-cert-expired',
  ingressMismatch: 'k8s-clb-ingress-mismatch',
  immutableMismatch: 'k8s-clb-immutable-mismatch',
} as const;

/**
 * Annotations the CCM compares with the existing CLB on every sync and cannot change (R10, CCM
 * clbv1/loadbalancer.go Update): a difference is an error that stops the whole sync. network-type
 * is fixed too but not compared there; address-type has its own code (k8s-clb-address-type).
 */
const IMMUTABLE_FIELDS: readonly { suffix: string; field: 'masterZoneId' | 'slaveZoneId' | 'resourceGroupId' | 'address' | 'addressIPVersion' | 'addressType' }[] = [
  { suffix: 'master-zoneid', field: 'masterZoneId' },
  { suffix: 'slave-zoneid', field: 'slaveZoneId' },
  { suffix: 'resource-group-id', field: 'resourceGroupId' },
  { suffix: 'ip', field: 'address' },
  { suffix: 'ip-version', field: 'addressIPVersion' },
];

function describe(slb: CatalogSlb): string {
  return [slb.name, slb.address, slb.addressType, slb.status].filter(Boolean).join(', ');
}

export function checkManifestOnline(manifest: K8sManifest, inputs: K8sOnlineInputs): Finding[] {
  const snapshot = inputs.snapshot;
  if (!snapshot) return [];
  const findings: Finding[] = [];
  for (const service of manifest.services) {
    const view = clbView(service);
    if (!view.isLoadBalancer || view.otherController) continue; // NLB & co. read these annotations their own way
    const id = view.reusedId;
    const value = id?.value?.trim();
    if (id && value && !/[${}<>]/.test(value)) {
      if (!isClbId(value)) {
        // R2: a name. Offer the ID when the catalog resolves the name.
        const matches = snapshot.byName.get(value) ?? [];
        if (matches.length > 0) {
          findings.push({
            code: K8S_ONLINE_CODES.nameResolves,
            severity: 'information',
            message: matches.length === 1
              ? t("'{0}' is the name of CLB {1} in {2} ({3}): the annotation needs that ID.", value, matches[0].id, snapshot.region, describe(matches[0]))
              : t("'{0}' is the name of {1} CLBs in {2}: {3}. Pick the one this Service should use.", value, matches.length, snapshot.region, matches.map((m) => m.id).join(', ')),
            span: id.valueSpan,
            fixes: matches.map((m) => ({ title: t('Use CLB ID {0} ({1})', m.id, describe(m)), edits: [{ span: id.exactOffsets ? id.valueSpan : id.valueNodeSpan, newText: id.exactOffsets ? m.id : JSON.stringify(m.id) }], preferred: matches.length === 1 })),
          });
        }
      } else {
        const slb = lookupSlb(snapshot, value)[0];
        if (!slb) findings.push({ code: K8S_ONLINE_CODES.notFound, severity: 'error', message: t('CLB {0} does not exist in region {1} of this account: the CCM cannot find it (the CLB must be in the cluster\'s region).', value, snapshot.region), span: id.valueSpan });
        else pushAll(findings, checkReused(view, slb, inputs));
      }
    } else if (!id) {
      const created = createdClbOf(view, snapshot);
      if (created) pushAll(findings, checkImmutable(view, created, 'created'));
    }
    pushAll(findings, checkCertificate(view, inputs));
  }
  return findings;
}

function checkReused(view: ClbView, slb: CatalogSlb, inputs: K8sOnlineInputs): Finding[] {
  const id = view.reusedId!;
  const findings: Finding[] = [];
  const clusterTag = CLUSTER_TAGS.find((tag) => slb.tags && tag in slb.tags);
  if (clusterTag) {
    findings.push({ code: K8S_ONLINE_CODES.notReusable, severity: 'error', message: t('CLB {0} was created by a Kubernetes cluster (tag {1}): the CCM refuses to reuse it ("can not be reused"). Only CLBs created in the console or by API can be reused.', slb.id, clusterTag), span: id.valueSpan });
    return findings;
  }
  pushAll(findings, checkIngress(view, slb));
  pushAll(findings, checkImmutable(view, slb, 'reused'));
  const wanted = view.bySuffix.get('address-type')?.value;
  if (wanted && slb.addressType && wanted !== slb.addressType) {
    findings.push({ code: K8S_ONLINE_CODES.addressType, severity: 'error', message: t('CLB {0} is {1}, but address-type asks for {2}: a reused CLB must have the address type the annotation names.', slb.id, slb.addressType, wanted), span: view.bySuffix.get('address-type')!.valueSpan });
  }
  if (!slb.listenersKnown) return findings;
  for (const l of view.listeners) {
    const span = l.servicePort.port!.span;
    const samePort = slb.listeners.filter((x) => x.port === l.port);
    const same = samePort.find((x) => x.protocol === l.protocol);
    const other = samePort.find((x) => x.protocol !== l.protocol);
    if (!view.forceOverride) {
      // R5: without override the CCM creates, updates and deletes no listener.
      if (!same) {
        findings.push({
          code: K8S_ONLINE_CODES.listenerUnmanaged,
          severity: 'warning',
          message: other
            ? t('CLB {0} has a {1} listener on port {2}, not {3}; without force-override-listeners: "true" the CCM leaves listeners alone, so nothing serves {3}:{2} for this Service.', slb.id, other.protocol, l.port, l.protocol)
            : t('CLB {0} has no listener on port {1}; without force-override-listeners: "true" the CCM creates none, so the port stays closed. Create the {2} listener in the console, or set force-override-listeners: "true".', slb.id, l.port, l.protocol),
          span,
        });
      } else {
        findings.push({
          code: K8S_ONLINE_CODES.listenerUnmanaged,
          severity: 'information',
          message: t('The existing {0} listener {1} of CLB {2} stays as it is: without force-override-listeners: "true" the CCM builds the vServer group but does not point the listener at it (it keeps its current backends).', l.protocol, l.port, slb.id),
          span,
        });
      }
    } else if (other && !same) {
      findings.push({ code: K8S_ONLINE_CODES.listenerConflict, severity: 'error', message: t('CLB {0} already has a {1} listener on port {2}: the CCM cannot create the {3} listener there (port conflict). Change the port or protocol, or delete that listener.', slb.id, other.protocol, l.port, l.protocol), span });
    } else if (same) {
      const ours = same.description?.startsWith('k8s/');
      if (!ours) findings.push({ code: K8S_ONLINE_CODES.listenerTakeover, severity: 'information', message: t('force-override-listeners takes over the existing {0} listener {1} of CLB {2}: its description and vServer group are rewritten, so its current backends stop receiving traffic.', l.protocol, l.port, slb.id), span });
    }
  }
  return findings;
}

function checkCertificate(view: ClbView, inputs: K8sOnlineInputs): Finding[] {
  const cert = view.bySuffix.get('cert-id');
  const value = cert?.value?.trim();
  if (!cert || !value || !inputs.certificates || /[${}<>]/.test(value)) return [];
  if (!view.listeners.some((l) => l.protocol === 'https')) return [];
  if (view.reusedId && !view.forceOverride) return []; // the CCM makes no listener there (R5): the cert is not used
  const found = inputs.certificates.find((c) => c.id === value);
  if (!found) return [{ code: K8S_ONLINE_CODES.certMissing, severity: 'error', message: t('Server certificate {0} does not exist in this region: the https listener cannot be created.', value), span: cert.valueSpan }];
  const now = inputs.now ?? Date.now();
  if (found.expireTime !== undefined && found.expireTime < now) {
    return [{ code: K8S_ONLINE_CODES.certExpired, severity: 'error', message: t('Server certificate {0} ({1}) expired on {2}: the CCM refuses an expired certificate.', value, found.name ?? '', new Date(found.expireTime).toISOString().slice(0, 10)), span: cert.valueSpan }];
  }
  return [];
}

/**
 * R4 (CCM clbv1/model_applier.go isLoadBalancerReusable): a Service whose status already names a
 * load balancer IP cannot be bound to a CLB with another address; an ingress entry with only a
 * hostname passes. A file's status is what the Service had when it was exported (kubectl does not
 * apply it), so this is a warning, not an error.
 */
function checkIngress(view: ClbView, slb: CatalogSlb): Finding[] {
  const service = view.service;
  if (service.ingressIps.length === 0 || service.ingressHostnameOnly || !slb.address || service.ingressIps.includes(slb.address)) return [];
  const id = view.reusedId!;
  return [{
    code: K8S_ONLINE_CODES.ingressMismatch,
    severity: 'warning',
    message: t("status.loadBalancer.ingress of this Service is {0}, but CLB {1} has address {2}: while the Service in the cluster has that status, the CCM refuses to bind it to this CLB (\"cannot be bound to ip\"). The status in a file is only what the Service had when it was exported; if it is stale, ignore this.", service.ingressIps.join(', '), slb.id, slb.address),
    span: id.valueSpan,
    related: service.ingressSpan ? [{ span: service.ingressSpan, message: t('the load balancer IP in the status') }] : undefined,
  }];
}

/**
 * The CLB the CCM created for this Service (no id annotation): the catalog CLB whose address is the
 * Service's exported status IP and that carries the CCM's own tag. Unknown otherwise.
 */
function createdClbOf(view: ClbView, snapshot: CatalogSnapshot): CatalogSlb | undefined {
  const ips = view.service.ingressIps;
  if (ips.length === 0) return undefined;
  const matches = snapshot.slbs.filter((s) => s.address && ips.includes(s.address) && s.tags && CLUSTER_TAGS[0] in s.tags);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * R10: annotations fixed at creation that differ from the CLB. On a reused CLB (id) an error: the
 * CCM fails the sync. On the CLB the CCM created (found through the exported status IP) a warning:
 * the link between file and CLB is the status, which may be stale.
 */
function checkImmutable(view: ClbView, slb: CatalogSlb, how: 'reused' | 'created'): Finding[] {
  const findings: Finding[] = [];
  const fields = how === 'created' ? [...IMMUTABLE_FIELDS, { suffix: 'address-type', field: 'addressType' as const }] : IMMUTABLE_FIELDS;
  for (const { suffix, field } of fields) {
    const entry = view.bySuffix.get(suffix);
    const actual = slb[field];
    if (!actual) continue;
    let wanted = entry?.value;
    if (wanted !== undefined && /[${}<>]/.test(wanted)) continue;
    // The CCM compares the IP version even without the annotation: empty means ipv4 on both sides.
    if (suffix === 'ip-version') wanted = wanted || 'ipv4';
    if (!wanted || wanted === actual) continue;
    const span = entry?.valueSpan ?? view.reusedId?.valueSpan ?? view.service.nameSpan;
    findings.push({
      code: K8S_ONLINE_CODES.immutableMismatch,
      severity: how === 'reused' ? 'error' : 'warning',
      message: how === 'reused'
        ? t('{0} is {1}, but CLB {2} has {3}: it is fixed once the CLB exists, and the CCM stops the sync of this Service with an error ("can not change ... once created"). Write {3}, or remove the annotation.', suffix, wanted, slb.id, actual)
        : t('{0} is {1}, but CLB {2}, which the CCM created for this Service (its status IP {4}), has {3}: it is fixed once the CLB exists, so the CCM stops with an error when it syncs a change of this Service. Write {3}, or delete and recreate the Service.', suffix, wanted, slb.id, actual, slb.address ?? ''),
      span,
      fixes: entry ? [{ title: t('Change to {0}', actual), edits: [{ span: entry.exactOffsets ? entry.valueSpan : entry.valueNodeSpan, newText: entry.exactOffsets ? actual : JSON.stringify(actual) }], preferred: true }] : [],
    });
  }
  return findings;
}
