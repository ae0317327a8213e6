// The cloud commands (aliyunSlbLabels.plan / .provision / .checkReachability) on a Kubernetes
// manifest: the same commands and result shapes as for compose labels, so the editor's flow
// (plan -> modal -> apply -> notification, reach -> CodeLens verdict) is the same. The plan is the
// CCM's (engine/k8s/ccmApply.ts) for the Service at the position, or every LoadBalancer Service.
// The cluster ID and the node backends come from the command's arguments, else the settings
// aliyunSlbLabels.kubernetes.clusterId / .backends: nothing is guessed.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { t } from '../engine/i18n';
import { parseBackendSpecs, planServicePorts, type CcmApplyClient } from '../engine/k8s/ccmApply';
import { parseManifest } from '../engine/k8s/parse';
import { checkServiceReachability, type ServiceReachResult } from '../engine/k8s/reach';
import type { Plan } from '../engine/provision';
import type { LineDocument } from '../engine/lineDocument';
import type { KubernetesProvisionSettings } from './cloudSession';

export interface K8sSelection {
  position?: { line: number; character: number };
  all?: boolean;
  /** Overrides the setting aliyunSlbLabels.kubernetes.clusterId. */
  clusterId?: string;
  /** Overrides the setting aliyunSlbLabels.kubernetes.backends (`i-…` or `i-…:port`). */
  backends?: string[];
}

/** The plan for the Service at the position (or all); a message when there is nothing to plan or the input is bad. */
export async function planK8sDocument(args: K8sSelection, doc: TextDocument, client: CcmApplyClient, settings: KubernetesProvisionSettings, signal?: AbortSignal): Promise<{ plan: Plan } | { status: 'nothing' | 'error'; message: string }> {
  const clusterId = typeof args.clusterId === 'string' && args.clusterId.trim() ? args.clusterId : settings.clusterId || undefined;
  const raw = Array.isArray(args.backends) ? args.backends.filter((b): b is string => typeof b === 'string') : settings.backends;
  const backends = parseBackendSpecs(raw);
  if ('error' in backends) return { status: 'error', message: backends.error };
  const offset = args.position && !args.all ? doc.offsetAt(args.position) : undefined;
  const plan = await planServicePorts(parseManifest(doc.getText()), client, { clusterId, backends: backends.specs, offset, signal });
  if (plan.lines.length === 0) {
    return { status: 'nothing', message: offset !== undefined ? t('There is no Service of type LoadBalancer here.') : t('No Service of type LoadBalancer in this file.') };
  }
  return { plan };
}

/** One Service port's reachability in the shape the editor shows (the compose result's fields it reads). */
export interface K8sReachLspResult {
  label: string;
  service: string;
  binding: string;
  protocol: string;
  frontPort: number;
  slbId: string | null;
  address: string | null;
  reachable: boolean;
  /** A TCP connect only: no application probe. */
  confirmed: false;
  /** The step that failed (clb, listener, health, connect), null when reachable. */
  blocker: string | null;
  blockerText: string | null;
  fix: string | null;
  steps: ServiceReachResult['steps'];
  latencyMs: null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  verdict: string;
  lens: string;
}

export async function reachK8sDocument(
  args: K8sSelection,
  doc: LineDocument,
  client: Parameters<typeof checkServiceReachability>[1]['client'],
  timeoutMs: number,
): Promise<{ results: K8sReachLspResult[]; summary: string; notification: { severity: 'info' | 'warning'; message: string } } | { error: string }> {
  const manifest = parseManifest(doc.getText());
  const offset = args.position && !args.all ? doc.offsetAt(args.position) : undefined;
  // The Service at the position; on a spec.ports entry only that port.
  const services = offset === undefined
    ? manifest.services
    : manifest.services.filter((s) => offset >= s.span.start && offset <= s.span.end).map((s) => {
        const port = s.ports.find((p) => offset >= p.span.start && offset <= p.span.end);
        return port ? { ...s, ports: [port] } : s;
      });
  const results = await checkServiceReachability({ ...manifest, services }, { client, timeoutMs });
  if (results.length === 0) return { error: offset !== undefined ? t('There is no Service of type LoadBalancer here.') : t('No Service of type LoadBalancer in this file.') };
  const spans = services.flatMap((s) => s.ports.filter((p) => p.port).map((p) => ({ service: `${s.namespace ?? 'default'}/${s.name}`, port: p.port!.value, name: p.name?.value, span: p.span })));
  const lsp = results.map((r): K8sReachLspResult => {
    const service = `${r.namespace}/${r.service}`;
    const at = spans.find((x) => x.service === service && x.port === r.port);
    const span = at?.span ?? { start: 0, end: 0 };
    const failed = r.steps.find((s) => !s.ok);
    const binding = `${r.protocol}://${r.clbId ?? '?'}:${r.port}`;
    return {
      // As the plan names it (the port's name when it has one).
      label: t('port {0}', at?.name ?? r.port),
      service,
      binding,
      protocol: r.protocol,
      frontPort: r.port,
      slbId: r.clbId,
      address: r.address,
      reachable: r.reachable,
      confirmed: false,
      blocker: failed ? failed.name : null,
      blockerText: failed ? failed.detail : null,
      fix: r.blocker,
      steps: r.steps,
      latencyMs: null,
      range: { start: doc.positionAt(span.start), end: doc.positionAt(span.start) },
      verdict: r.reachable ? t('Reachable: {0} through {1}.', binding, r.address ?? '?') : t('Blocked at {0}: {1}. {2}', failed?.name ?? '?', failed?.detail ?? '', r.blocker ?? ''),
      lens: r.reachable ? t('reachable') : t('blocked: {0}', failed?.detail ?? '?'),
    };
  });
  const blocked = lsp.filter((r) => !r.reachable);
  const summary = blocked.length === 0 ? t('All {0} Service port(s) reachable.', lsp.length) : t('{0} of {1} Service port(s) blocked.', blocked.length, lsp.length);
  const first = blocked[0];
  const notification = lsp.length === 1
    ? { severity: lsp[0].reachable ? 'info' as const : 'warning' as const, message: `${lsp[0].label} (${lsp[0].service}): ${lsp[0].verdict}` }
    : { severity: blocked.length ? 'warning' as const : 'info' as const, message: first ? `${summary} ${first.label} (${first.service}): ${first.verdict}` : summary };
  return { results: lsp, summary, notification };
}
