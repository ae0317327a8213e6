// `slb-labels plan <manifest>` and `slb-labels reach <manifest>` for Kubernetes manifests: what the
// CCM would create or change on the CLBs the LoadBalancer Services name (engine/k8s/ccmPlan.ts),
// and whether each Service port is reachable through its CLB (engine/k8s/reach.ts). Read-only.
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { t } from '../engine/i18n';
import { formatCcmPlan, planHasProblems, planManifest } from '../engine/k8s/ccmPlan';
import { parseManifest } from '../engine/k8s/parse';
import { checkServiceReachability, formatServiceReach } from '../engine/k8s/reach';
import { stringValue, Values } from './args';

export interface K8sPlanIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

async function clientFor(command: string, flags: Values, io: K8sPlanIo, readTimeoutMs = 10_000): Promise<SlbClient | number> {
  const env = io.env ?? process.env;
  const found = await resolveCredentials({ env, homeDir: io.homeDir, profile: stringValue(flags, 'profile'), region: stringValue(flags, 'region'), t });
  if (!found.ok) {
    io.err(`slb-labels ${command}: ${found.message}\n`);
    return 2;
  }
  if (!found.region) {
    io.err(t('slb-labels {0}: no region: pass --region (e.g. --region cn-hangzhou) or set the profile\'s region.', command) + '\n');
    return 2;
  }
  io.err(t('Using {0}.', describeCredentialSource(found, t)) + '\n');
  return new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: stringValue(flags, 'endpoint'), connectTimeoutMs: 4_000, readTimeoutMs, retry: { maxAttempts: 2 }, t });
}

/** `slb-labels reach <manifest>`: exit 0 when every Service port is reachable, 1 when one is blocked. */
export async function runK8sReachCli(text: string, flags: Values, io: K8sPlanIo): Promise<number> {
  const timeoutMs = Number(stringValue(flags, 'timeout') ?? 3000);
  const client = await clientFor('reach', flags, io, Math.max(timeoutMs, 5_000));
  if (typeof client === 'number') return client;
  try {
    const results = await checkServiceReachability(parseManifest(text), { client, timeoutMs });
    if (stringValue(flags, 'format') === 'json') io.out(JSON.stringify(results, null, 2) + '\n');
    else io.out(formatServiceReach(results));
    return results.some((r) => !r.reachable) ? 1 : 0;
  } catch (e) {
    io.err(`slb-labels reach: ${isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

export async function runK8sPlanCli(text: string, flags: Values, io: K8sPlanIo): Promise<number> {
  const env = io.env ?? process.env;
  const found = await resolveCredentials({ env, homeDir: io.homeDir, profile: stringValue(flags, 'profile'), region: stringValue(flags, 'region'), t });
  if (!found.ok) {
    io.err(`slb-labels plan: ${found.message}\n`);
    return 2;
  }
  if (!found.region) {
    io.err(t('slb-labels {0}: no region: pass --region (e.g. --region cn-hangzhou) or set the profile\'s region.', 'plan') + '\n');
    return 2;
  }
  const client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: stringValue(flags, 'endpoint'), connectTimeoutMs: 5_000, readTimeoutMs: 10_000, t });
  io.err(t('Using {0}.', describeCredentialSource(found, t)) + '\n');
  try {
    const plans = await planManifest(parseManifest(text), client, { clusterId: stringValue(flags, 'cluster-id') });
    if (stringValue(flags, 'format') === 'json') io.out(JSON.stringify(plans, null, 2) + '\n');
    else io.out(formatCcmPlan(plans));
    if (!stringValue(flags, 'cluster-id')) io.err(t('The CCM names vServer groups and listeners with the cluster ID: pass --cluster-id to see the real names.') + '\n');
    return planHasProblems(plans) ? 1 : 0;
  } catch (e) {
    // The account could not be read: a failure (1), not bad usage (2), as for compose files.
    io.err(`slb-labels plan: ${isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
