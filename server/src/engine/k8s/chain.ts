// The path of one Service port through the CLB (reference §2 R13, §3):
// CLB <id> <protocol> <port> -> NodePort (ecs backends) / targetPort (eni backends) -> containerPort.
import { t } from '../i18n';
import { ClbView, clbView, ListenerOfPort } from './clbView';
import type { ContainerPort, K8sManifest, ServiceModel, WorkloadModel } from './model';

/** Workloads in the same namespace whose pod labels satisfy every selector entry. */
export function selectedWorkloads(service: ServiceModel, manifest: K8sManifest): WorkloadModel[] {
  const selector = Object.entries(service.selector);
  if (selector.length === 0) return [];
  return manifest.workloads.filter((w) => (w.namespace ?? 'default') === (service.namespace ?? 'default') && selector.every(([k, v]) => w.podLabels[k] === v));
}

export interface PortChain {
  listener: ListenerOfPort;
  clb: string;
  backend: string;
  container?: { workload: WorkloadModel; port: ContainerPort };
  /** targetPort names or numbers a port no selected container declares. */
  containerMissing?: string;
  text: string;
}

export function portChains(service: ServiceModel, manifest: K8sManifest): PortChain[] {
  const view = clbView(service);
  return view.listeners.map((listener) => chainOf(view, listener, manifest));
}

function chainOf(view: ClbView, listener: ListenerOfPort, manifest: K8sManifest): PortChain {
  const port = listener.servicePort;
  const clb = view.reusedId?.value?.trim() || t('(new CLB the CCM creates)');
  const target = port.targetPort?.value ?? listener.port;
  const nodePort = port.nodePort ? String(port.nodePort.value) : t('(assigned by Kubernetes)');
  const backendType = view.bySuffix.get('')?.value;
  const backend = backendType === 'eni'
    ? t('targetPort {0} (ENI backends: the pods)', target)
    : backendType === 'ecs'
      ? t('NodePort {0} (ECS backends: the nodes)', nodePort)
      : t('NodePort {0} (ECS backends) / targetPort {1} (ENI backends)', nodePort, target);
  let container: PortChain['container'];
  let containerMissing: string | undefined;
  let containerText = '';
  const workloads = selectedWorkloads(view.service, manifest);
  if (workloads.length > 0) {
    for (const workload of workloads) {
      const found = workload.containerPorts.find((c) => (typeof target === 'number' ? c.containerPort?.value === target : c.name === target));
      if (found) {
        container = { workload, port: found };
        break;
      }
    }
    if (container) containerText = ` -> ${t('containerPort {0} ({1} {2}, container {3})', container.port.containerPort?.value ?? '?', container.workload.kind, container.workload.name, container.port.container)}`;
    else {
      containerMissing = String(target);
      containerText = ` -> ${typeof target === 'number' ? t('containerPort {0} (not declared by {1})', target, workloads.map((w) => `${w.kind} ${w.name}`).join(', ')) : t("no container port named '{0}' in {1}", target, workloads.map((w) => `${w.kind} ${w.name}`).join(', '))}`;
    }
  } else if (typeof target === 'number') containerText = ` -> ${t('containerPort {0}', target)}`;
  const text = `CLB ${clb} ${listener.protocol} ${listener.port} -> ${backend}${containerText}`;
  return { listener, clb, backend, container, containerMissing, text };
}
