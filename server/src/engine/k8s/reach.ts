// Reachability of a LoadBalancer Service that is already set up: for every port, the CLB of the id
// annotation, its listener (the protocol R7 gives the port), the listener's status, backend health,
// and a TCP connect to the CLB address (tcp/http/https; UDP has no handshake to test). Read-only
// API calls, bounded probes; the first step that fails is the blocker.
import type { SlbClient } from '../cloud/slbClient';
import { isSlbApiError } from '../cloud/slbErrors';
import { t } from '../i18n';
import { tcpProbe } from '../reach/probes';
import { clbView } from './clbView';
import type { K8sManifest } from './model';
import { isClbId } from './rules';

export type ServiceReachClient = Pick<SlbClient, 'describeLoadBalancers' | 'describeLoadBalancerListeners' | 'describeHealthStatus'>;

export interface ServiceReachStep {
  name: 'clb' | 'listener' | 'health' | 'connect';
  ok: boolean;
  detail: string;
}

export interface ServiceReachResult {
  service: string;
  namespace: string;
  port: number;
  protocol: string;
  clbId: string | null;
  address: string | null;
  reachable: boolean;
  /** What stopped the walk (localised), null when reachable. */
  blocker: string | null;
  steps: ServiceReachStep[];
}

export async function checkServiceReachability(manifest: K8sManifest, options: { client: ServiceReachClient; timeoutMs?: number }): Promise<ServiceReachResult[]> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const results: ServiceReachResult[] = [];
  for (const service of manifest.services) {
    const view = clbView(service);
    if (!view.isLoadBalancer) continue;
    const id = view.reusedId?.value?.trim();
    for (const l of view.listeners) {
      const result: ServiceReachResult = { service: service.name, namespace: service.namespace ?? 'default', port: l.port, protocol: l.protocol, clbId: id ?? null, address: null, reachable: false, blocker: null, steps: [] };
      results.push(result);
      const block = (name: ServiceReachStep['name'], detail: string, blocker: string) => {
        result.steps.push({ name, ok: false, detail });
        result.blocker = blocker;
      };
      if (!id || !isClbId(id)) {
        block('clb', id ? t("'{0}' is not a CLB ID", id) : t('no id annotation: the CCM creates the CLB'), t('Check a CCM-created CLB by its ID: write it in the id annotation (kubectl get svc shows its address), or fix the id.'));
        continue;
      }
      try {
        const found = (await options.client.describeLoadBalancers({ LoadBalancerId: id })).LoadBalancers.LoadBalancer[0];
        if (!found) {
          block('clb', t('CLB {0} does not exist in this region', id), t('Use a CLB of the cluster\'s region.'));
          continue;
        }
        result.address = found.Address ?? null;
        if (found.LoadBalancerStatus && found.LoadBalancerStatus !== 'active') {
          block('clb', t('CLB {0} is {1}', id, found.LoadBalancerStatus), t('Start the CLB in the console (or settle the account if it is locked).'));
          continue;
        }
        result.steps.push({ name: 'clb', ok: true, detail: t('CLB {0} ({1}) is active at {2}', id, found.LoadBalancerName ?? '', found.Address ?? '?') });
        const listeners = (await options.client.describeLoadBalancerListeners({ LoadBalancerId: [id] })).Listeners ?? [];
        const listener = listeners.find((x) => Number(x.ListenerPort) === l.port && String(x.ListenerProtocol).toLowerCase() === l.protocol);
        if (!listener) {
          block('listener', t('no {0} listener on port {1}', l.protocol, l.port), view.forceOverride ? t('The CCM has not created it yet: check the Service events (kubectl describe svc {0}).', service.name) : t('Without force-override-listeners: "true" the CCM creates none: create the {0} listener on port {1}, or set the annotation.', l.protocol, l.port));
          continue;
        }
        if (listener.Status !== 'running') {
          block('listener', t('the {0} listener on port {1} is {2}', l.protocol, l.port, listener.Status ?? '?'), t('Start the listener.'));
          continue;
        }
        result.steps.push({ name: 'listener', ok: true, detail: t('{0} listener on port {1} is running ({2})', l.protocol, l.port, listener.Description ?? '') });
        const health = (await options.client.describeHealthStatus({ LoadBalancerId: id, ListenerPort: l.port, ListenerProtocol: l.protocol as never })).BackendServers.BackendServer;
        const normal = health.filter((b) => b.ServerHealthStatus === 'normal').length;
        const abnormal = health.filter((b) => b.ServerHealthStatus === 'abnormal').length;
        if (health.length > 0 && normal === 0 && abnormal > 0) {
          block('health', t('all {0} backend(s) are unhealthy', abnormal), t('Check the pods behind the Service and the NodePort (or the pod port with eni backends) on the nodes.'));
          continue;
        }
        result.steps.push({ name: 'health', ok: true, detail: health.length ? t('{0} of {1} backend(s) healthy', normal, health.length) : t('no health-checked backends reported') });
      } catch (error) {
        block('clb', isSlbApiError(error) ? error.message : String(error), t('Check the credentials, region and endpoint.'));
        continue;
      }
      if (l.protocol === 'udp') {
        result.steps.push({ name: 'connect', ok: true, detail: t('UDP: no handshake to test; the path up to the listener is in place') });
        result.reachable = true;
        continue;
      }
      if (!result.address) {
        block('connect', t('the CLB has no address'), t('Check the CLB in the console.'));
        continue;
      }
      const probe = await tcpProbe(result.address, l.port, { timeoutMs, settleMs: 100 });
      if (!probe.connected || (probe.failure && probe.failure !== 'timeout')) {
        block('connect', t('no connection to {0}:{1} ({2})', result.address, l.port, probe.failure ?? '?'), t('Check the security group / ACL of the CLB and the backends behind it.'));
        continue;
      }
      result.steps.push({ name: 'connect', ok: true, detail: t('connected to {0}:{1} in {2} ms', result.address, l.port, (probe.connectMs ?? 0).toFixed(1)) });
      result.reachable = true;
    }
  }
  return results;
}

export function formatServiceReach(results: ServiceReachResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.reachable ? t('reachable') : t('blocked')}  ${r.namespace}/${r.service} ${r.protocol}:${r.port}${r.clbId ? ` (${r.clbId})` : ''}`);
    for (const s of r.steps) out.push(`  ${s.ok ? '✓' : '✗'} ${s.name}: ${s.detail}`);
    if (r.blocker) out.push(`  → ${r.blocker}`);
  }
  if (results.length === 0) out.push(t('No Service of type LoadBalancer in this file.'));
  return out.join('\n') + '\n';
}
