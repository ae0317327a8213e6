// `slb-labels plan <manifest>`: for a Kubernetes manifest, what the CCM would create or change on
// the CLBs its LoadBalancer Services name (engine/k8s/ccmPlan.ts). Read-only.
import { describeCredentialSource, resolveCredentials } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { t } from '../engine/i18n';
import { formatCcmPlan, planHasProblems, planManifest } from '../engine/k8s/ccmPlan';
import { parseManifest } from '../engine/k8s/parse';
import { stringValue, Values } from './args';

export interface K8sPlanIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
  homeDir?: string;
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
  const client = new SlbClient({ credentials: found.credentials, regionId: found.region, endpoint: stringValue(flags, 'endpoint'), connectTimeoutMs: 5_000, readTimeoutMs: 10_000, t });
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
