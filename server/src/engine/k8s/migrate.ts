// Compose service with `aliyun.lb.port_*` labels -> a Deployment and a LoadBalancer Service per
// SLB, right where Alibaba's kompose fork is wrong (reference §3): the Service `port` is the SLB
// front port (not the host port), `targetPort` the container port; the scheme becomes
// spec.ports[].protocol and a protocol-port entry; an SLB name is resolved to its ID through the
// catalog, or left as a marked placeholder the k8s validation flags; force-override-listeners is
// written explicitly with its consequence; whatever has no Kubernetes equivalent is listed.
import { Document, parseDocument, Scalar, YAMLMap } from 'yaml';
import { ComposeAnalyzer } from '../analysis';
import type { ServiceModel as ComposeService } from '../compose/model';
import { t } from '../i18n';
import { LB_KEY_PREFIX, looksLikeSlbId } from '../labels/lbLabel';
import { checkService } from '../rules/serviceRules';
import type { LbBinding } from '../rules/types';
import { annotationKey } from './annotations';

export interface SlbResolution {
  /** The ID to write, when known. */
  id?: string;
  /** Why there is no ID: not-found / ambiguous (with candidates) / offline (no catalog). */
  problem?: 'not-found' | 'ambiguous' | 'offline';
  candidates?: string[];
}

export interface MigrateOptions {
  env?: ReadonlyMap<string, string>;
  /** Name -> ID through the account catalog; absent = offline. */
  resolveSlb?: (name: string) => SlbResolution;
  /** Only this compose service (default: every service with lb labels). */
  service?: string;
}

export interface MigratedService {
  composeService: string;
  /** The multi-document YAML: Deployment, then one Service per SLB. */
  yaml: string;
  /** Everything the output lists as not migrated (also written as comments in the YAML). */
  notMigrated: string[];
  /** SLB references left as placeholders (no ID known). */
  placeholders: string[];
}

export interface MigrationResult {
  services: MigratedService[];
  /** Compose services skipped and why (no lb label, nothing usable). */
  skipped: { service: string; reason: string }[];
}

/** Compose keys the Deployment/Service carry over; any other key is listed as not migrated. */
const MIGRATED_KEYS = new Set(['image', 'command', 'entrypoint', 'environment', 'ports', 'expose', 'labels', 'deploy', 'container_name']);

export function migrateCompose(text: string, options: MigrateOptions = {}): MigrationResult {
  const analysis = new ComposeAnalyzer().analyze(text, { env: options.env, yamlSyntaxErrors: 'all' });
  const raw = parseDocument(text, { merge: true, uniqueKeys: false, strict: false });
  const result: MigrationResult = { services: [], skipped: [] };
  for (const unit of analysis.units) {
    for (const service of unit.parsed.services) {
      if (options.service && service.name !== options.service) continue;
      if (!service.labels.some((l) => l.key.startsWith(LB_KEY_PREFIX))) continue;
      const bindings = checkService(service, options.env).bindings.filter((b) => b.service === service.name || !b.inheritedBy);
      if (bindings.length === 0) {
        const variable = service.labels.some((l) => l.key.startsWith(LB_KEY_PREFIX) && (l.value ?? '').includes('$'));
        result.skipped.push({ service: service.name, reason: variable ? t('its aliyun.lb.port_* labels take the SLB or a port from a variable that is not set (put it in .env next to the compose file)') : t('no aliyun.lb.port_* label of this service could be read (see the diagnostics)') });
        continue;
      }
      result.services.push(migrateService(service, bindings, rawService(raw, service.name), options));
    }
  }
  return result;
}

/** The compose service as plain data (aliases and `<<` merges resolved), for keys the model does not carry. */
function rawService(doc: Document, name: string): Record<string, unknown> {
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return {};
  }
  if (!root || typeof root !== 'object') return {};
  const top = root as Record<string, unknown>;
  const holder = top.services && typeof top.services === 'object' ? (top.services as Record<string, unknown>) : top;
  const service = holder[name];
  return service && typeof service === 'object' && !Array.isArray(service) ? (service as Record<string, unknown>) : {};
}

/** A DNS-1035 label from a compose service name (lowercase, '-', starts with a letter, <= 63). */
export function kubernetesName(name: string): string {
  let out = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(out)) out = `svc-${out}`;
  return out.slice(0, 63).replace(/-+$/, '') || 'service';
}

function migrateService(service: ComposeService, bindings: LbBinding[], plain: Record<string, unknown>, options: MigrateOptions): MigratedService {
  const name = kubernetesName(service.name);
  const notMigrated: string[] = [];
  const placeholders: string[] = [];

  // Labels: lb.port_* are migrated; aliyun.scale becomes replicas; every other label is listed.
  let replicas = service.replicas?.value ?? 1;
  for (const label of service.labels) {
    if (label.key.startsWith(LB_KEY_PREFIX)) continue;
    if (label.key === 'aliyun.scale' && /^[0-9]+$/.test(label.value ?? '')) {
      replicas = Number(label.value);
      continue;
    }
    if (label.key.startsWith('aliyun.')) notMigrated.push(t('label {0}: {1}', label.key, hintFor(label.key)));
    else notMigrated.push(t('label {0}: copy it to metadata.labels if something reads it', label.key));
  }
  for (const key of Object.keys(plain)) if (!MIGRATED_KEYS.has(key)) notMigrated.push(t('key {0}: no counterpart in this Deployment; port it by hand', key));

  // One Service per SLB (a Service has one `id`); bindings of one SLB share it.
  const bySlb = new Map<string, LbBinding[]>();
  for (const b of bindings) bySlb.set(b.slb, [...(bySlb.get(b.slb) ?? []), b]);
  const containerPorts = new Map<string, { containerPort: number; protocol: string }>();
  for (const b of bindings) containerPorts.set(`${b.containerPort}/${b.scheme === 'udp' ? 'UDP' : 'TCP'}`, { containerPort: b.containerPort, protocol: b.scheme === 'udp' ? 'UDP' : 'TCP' });
  // The service's other ports become containerPorts too; those published on the host without an
  // SLB label have no Service here: say so.
  for (const p of service.ports) {
    if (p.unresolved || p.invalid || p.containerStart === undefined || p.inherited) continue;
    const protocol = p.protocol.toLowerCase() === 'udp' ? 'UDP' : 'TCP';
    const key = `${p.containerStart}/${protocol}`;
    if (containerPorts.has(key)) continue;
    containerPorts.set(key, { containerPort: p.containerStart, protocol });
    if (p.hostStart !== undefined) notMigrated.push(t('port {0}: published on the host without an SLB label; add a port to a Service if clients outside the cluster need it', p.raw));
  }
  for (const [k, v] of Object.entries(environmentObject(plain.environment))) {
    if (/\$\{?[A-Za-z_]/.test(v)) notMigrated.push(t('environment {0}: {1} is a compose variable; Kubernetes does not substitute it (write the value, or use a ConfigMap/Secret)', k, v));
  }

  const deployment = deploymentDocument(name, service, plain, [...containerPorts.values()], replicas);
  const docs = [deployment];
  let index = 0;
  for (const [slb, list] of bySlb) {
    const serviceName = index === 0 ? name : `${name}-${index + 1}`.slice(0, 63);
    index++;
    docs.push(serviceDocument(serviceName, name, slb, list, options, notMigrated, placeholders));
  }
  const header = [
    ` ${t("Migrated from compose service '{0}' by slb-labels migrate.", service.name)}`,
    ` ${t('Service port = SLB front port (the listener); targetPort = container port (key of aliyun.lb.port_<port>).')}`,
    ` ${t('The Swarm host port has no counterpart: the CLB backend becomes the NodePort (ecs) or the pod (eni).')}`,
  ];
  if (notMigrated.length) header.push('', ` ${t('Not migrated (no Kubernetes equivalent here; do it by hand):')}`, ...notMigrated.map((n) => `   - ${n}`));
  deployment.commentBefore = header.join('\n');
  const yaml = docs.map((d) => d.toString({ lineWidth: 0 })).join('---\n');
  return { composeService: service.name, yaml, notMigrated, placeholders };
}

function hintFor(key: string): string {
  if (key.startsWith('aliyun.routing')) return t('use an Ingress');
  if (key === 'aliyun.global') return t('use a DaemonSet');
  if (key.startsWith('aliyun.probe')) return t('use a livenessProbe/readinessProbe');
  if (key === 'aliyun.depends') return t('Kubernetes has no start order; use readiness probes or init containers');
  if (key.startsWith('aliyun.log')) return t('configure log collection (Logtail/SLS) for the cluster');
  if (key.startsWith('aliyun.rolling_updates')) return t('use spec.strategy.rollingUpdate');
  if (key.startsWith('aliyun.auto_scaling')) return t('use a HorizontalPodAutoscaler');
  return t('no Kubernetes equivalent');
}

function deploymentDocument(name: string, service: ComposeService, plain: Record<string, unknown>, ports: { containerPort: number; protocol: string }[], replicas: number): Document {
  const container: Record<string, unknown> = { name, image: service.image ?? plain.image ?? '<image>' };
  const entrypoint = commandList(plain.entrypoint);
  const command = commandList(plain.command);
  if (entrypoint) container.command = entrypoint;
  if (command) container.args = command;
  const env = environmentList(plain.environment);
  if (env.length) container.env = env;
  container.ports = ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol }));
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
  return new Document(body);
}

/** Compose `command`/`entrypoint`: a list stays a list; a string is split the way compose splits it (shell words, no shell). */
export function commandList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const words: string[] = [];
  let current = '';
  let quote = '';
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < value.length) current += value[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < value.length) {
      current += value[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

function environmentObject(value: unknown): Record<string, string> {
  return Object.fromEntries(environmentList(value).map((e) => [e.name, e.value]));
}

function environmentList(value: unknown): { name: string; value: string }[] {
  if (Array.isArray(value)) {
    return value.map(String).filter((e) => e.includes('=')).map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  }
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => ({ name: k, value: v === null || v === undefined ? '' : String(v) }));
  return [];
}

function serviceDocument(serviceName: string, app: string, slb: string, bindings: LbBinding[], options: MigrateOptions, notMigrated: string[], placeholders: string[]): Document {
  const ports: Record<string, unknown>[] = [];
  const protocolPort: string[] = [];
  const usedFront = new Set<string>();
  let https = false;
  for (const b of bindings) {
    const protocol = b.scheme === 'udp' ? 'UDP' : 'TCP';
    // One listener per front port and protocol family; a second binding on it cannot be a second Service port.
    const key = `${b.frontPort}/${protocol}`;
    if (usedFront.has(key)) {
      notMigrated.push(t('label {0}: front port {1} of SLB {2} is already used by another label of this service', b.labelKey, b.frontPort, slb));
      continue;
    }
    usedFront.add(key);
    ports.push({ name: `${b.scheme}-${b.frontPort}`, port: b.frontPort, targetPort: b.containerPort, protocol });
    protocolPort.push(`${b.scheme}:${b.frontPort}`);
    if (b.scheme === 'https') https = true;
  }
  const resolution = resolveSlb(slb, options);
  const idValue = resolution.id ?? `<CLB ID of ${slb}>`;
  if (!resolution.id) placeholders.push(slb);
  const annotations = new YAMLMap();
  const add = (suffix: string, value: string, comment?: string) => {
    const key = new Scalar(annotationKey(suffix));
    if (comment) key.commentBefore = comment;
    const scalar = new Scalar(value);
    scalar.type = Scalar.QUOTE_DOUBLE;
    annotations.set(key, scalar);
  };
  add('id', idValue, idComment(slb, resolution));
  add('force-override-listeners', 'true', [
    ` ${t('Set explicitly: with "true" the CCM takes over the listeners {0} of this CLB (same port and protocol):', protocolPort.join(', '))}`,
    ` ${t('their vServer group is rewritten, so the Swarm nodes stop receiving traffic the moment this Service is applied.')}`,
    ` ${t('With "false" the CCM creates no listener and leaves the existing ones pointing at Swarm (repoint them by hand).')}`,
  ].join('\n'));
  add('protocol-port', protocolPort.join(','));
  if (https) add('cert-id', '<server certificate ID>', ` ${t('https listeners need the server certificate the SLB listener used (Swarm kept it on the listener).')}`);
  const body = new Document({ apiVersion: 'v1', kind: 'Service', metadata: { name: serviceName, annotations: {} }, spec: { type: 'LoadBalancer', selector: { app }, ports } });
  (body.getIn(['metadata'], true) as YAMLMap).set('annotations', annotations);
  return body;
}

function resolveSlb(slb: string, options: MigrateOptions): SlbResolution {
  if (looksLikeSlbId(slb)) return { id: slb };
  if (/\$/.test(slb)) return { problem: 'offline' };
  return options.resolveSlb ? options.resolveSlb(slb) : { problem: 'offline' };
}

function idComment(slb: string, r: SlbResolution): string {
  if (r.id && r.id === slb) return ` ${t('SLB {0} (an ID in the compose label)', slb)}`;
  if (r.id) return ` ${t('SLB name {0} resolved to its ID through the account catalog', slb)}`;
  if (r.problem === 'ambiguous') return ` ${t('PLACEHOLDER: SLB name {0} matches {1}; write the ID of the right one', slb, (r.candidates ?? []).join(', '))}`;
  if (r.problem === 'not-found') return ` ${t('PLACEHOLDER: no CLB named {0} in the account region; write the ID of the CLB to use', slb)}`;
  if (/\$/.test(slb)) return ` ${t('PLACEHOLDER: the compose file takes the SLB from {0}; write the CLB ID', slb)}`;
  return ` ${t('PLACEHOLDER: {0} is an SLB name; the id annotation takes only IDs (lb-…). Run with credentials to resolve it, or write the ID', slb)}`;
}

/** Does a compose text have a service with lb labels (for the code action)? */
export function hasLbLabels(service: ComposeService): boolean {
  return service.labels.some((l) => l.key.startsWith(LB_KEY_PREFIX));
}
