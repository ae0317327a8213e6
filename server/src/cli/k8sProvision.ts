// `slb-labels provision <manifest>`: the CCM's vServer groups and listeners for the LoadBalancer
// Services of a Kubernetes manifest (engine/k8s/ccmApply.ts), with the compose flow: the plan, a
// confirmation (or --yes), the apply, the same exit codes (0 all done, 1 something not, 2 usage or
// not confirmed). The backends come only from --backend: the cluster's nodes are not visible from
// the CLB API, and guessing them (e.g. the CLB's default servers) could send traffic to machines
// that are no cluster nodes.
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { isSlbApiError } from '../engine/cloud/slbErrors';
import { t } from '../engine/i18n';
import { applyCcmPlan, parseBackendSpecs, planServicePorts } from '../engine/k8s/ccmApply';
import { parseManifest } from '../engine/k8s/parse';
import { numberValue, stringValue, Values } from './args';
import { confirmPlan, planText, printStep, reportApplied, type ProvisionCliIo } from './provision';

export async function runK8sProvisionCli(file: string, text: string, flags: Values, io: ProvisionCliIo): Promise<number> {
  const raw = flags.backend;
  const backends = parseBackendSpecs(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []);
  if ('error' in backends) {
    io.err(`slb-labels provision: ${backends.error}\n`);
    return 2;
  }
  if (stringValue(flags, 'certificate-id')) {
    io.err(t('slb-labels provision: --certificate-id is for compose files; a Service takes its certificate from the cert-id annotation.') + '\n');
    return 2;
  }
  const env = io.env ?? process.env;
  const found = await resolveCredentials({ env, homeDir: io.homeDir, profile: stringValue(flags, 'profile'), region: stringValue(flags, 'region'), t });
  if (!found.ok) {
    io.err(`slb-labels provision: ${found.message}\n`);
    return 2;
  }
  if (!found.region) {
    io.err(t('slb-labels {0}: no region: pass --region (e.g. --region cn-hangzhou) or set the profile\'s region.', 'provision') + '\n');
    return 2;
  }
  let client: SlbClient;
  try {
    client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint: stringValue(flags, 'endpoint'), connectTimeoutMs: 5_000, readTimeoutMs: numberValue(flags, 'timeout', 10_000), t });
  } catch (e) {
    io.err(`slb-labels provision: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  io.err(t('Using {0}.', describeCredentialSource(found, t)) + '\n');
  const manifest = parseManifest(text);
  let plan;
  try {
    plan = await planServicePorts(manifest, client, { clusterId: stringValue(flags, 'cluster-id'), backends: backends.specs });
  } catch (e) {
    io.err(`slb-labels provision: ${isSlbApiError(e) || e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const json = stringValue(flags, 'format') === 'json';
  if (plan.lines.length === 0) {
    if (json) io.out(JSON.stringify({ plan: [], result: null }, null, 2) + '\n');
    else io.out(t('No Service of type LoadBalancer in this file.') + '\n');
    return 0;
  }
  if (!json) io.out(planText(plan, file, text));
  const refused = await confirmPlan(plan, flags.yes === true, io);
  if (refused !== undefined) return refused;
  const result = await applyCcmPlan(plan, client, { onStep: printStep(io) });
  return reportApplied(io, json, plan, result, file, text);
}
