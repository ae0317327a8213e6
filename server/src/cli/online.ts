// `slb-labels lint --online`: the editor's online rules (engine/cloud/onlineRules.ts) on the same
// SLB catalog the language server keeps, read once, within a time budget. Checks that could not run
// (no credentials, no region, API down, out of time) come back as `ran: false` with the reason:
// the caller reports them as such, never as a pass.
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { CatalogClient, SlbCatalog } from '../engine/cloud/catalog';
import { checkOnline } from '../engine/cloud/onlineRules';
import { SlbClient } from '../engine/cloud/slbClient';
import { t } from '../engine/i18n';
import type { K8sManifest } from '../engine/k8s/model';
import { checkManifestOnline, ServerCertificateInfo } from '../engine/k8s/onlineRules';
import type { PlacedBinding } from '../engine/rules/crossServiceRules';
import type { Finding } from '../engine/rules/types';

/** What one input gives the online rules: a compose file's lb bindings, or a Kubernetes manifest. */
export type OnlineSubject = { kind: 'compose'; bindings: readonly PlacedBinding[] } | { kind: 'k8s'; manifest: K8sManifest };

export interface OnlineOptions {
  env: Record<string, string | undefined>;
  homeDir?: string;
  profile?: string;
  region?: string;
  endpoint?: string;
  /** The whole online step, credentials to last lookup. */
  budgetMs: number;
}

export type OnlineOutcome =
  | { ran: true; region: string; source: string; slbCount: number; findings: Finding[][]; notes: string[] }
  | { ran: false; reason: string };

/** Resolves with `fallback` after `ms`; the timer does not keep the process alive. */
function deadline<T>(ms: number, fallback: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
    timer.unref?.();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs the online rules over each input (one entry of findings per input, same order). */
export async function runOnlineChecks(subjects: readonly OnlineSubject[], options: OnlineOptions): Promise<OnlineOutcome> {
  const started = Date.now();
  const remaining = () => options.budgetMs - (Date.now() - started);
  const outOfTime: OnlineOutcome = { ran: false, reason: t('the online checks took longer than {0} s (--timeout)', Math.round(options.budgetMs / 1000)) };
  let catalog: SlbCatalog | undefined;
  const work = (async (): Promise<OnlineOutcome> => {
    const found = await resolveCredentials({ env: options.env, homeDir: options.homeDir, profile: options.profile, region: options.region, t });
    if (!found.ok) return { ran: false, reason: found.message };
    if (!found.region) return { ran: false, reason: t('no region: pass --region (e.g. --region cn-hangzhou) or set the profile\'s region.') };
    const credential = toCredential(found);
    const clients = new Map<string, SlbClient>();
    const clientFor = (region: string): CatalogClient => {
      let c = clients.get(region);
      if (!c) {
        const readTimeoutMs = Math.max(1_000, Math.min(8_000, remaining()));
        c = new SlbClient({ credentials: credential, regionId: region, endpoint: options.endpoint, connectTimeoutMs: Math.min(4_000, readTimeoutMs), readTimeoutMs, retry: { maxAttempts: 2 }, t });
        clients.set(region, c);
      }
      return c;
    };
    try {
      // Constructing the client validates the endpoint: a bad one is a reason, not a crash.
      clientFor(found.region);
    } catch (e) {
      return { ran: false, reason: e instanceof Error ? e.message : String(e) };
    }
    catalog = new SlbCatalog({ clientFor, region: found.region, refreshMinutes: 0, refreshTimeoutMs: Math.max(1_000, remaining()) });
    await catalog.refresh();
    const snapshot = catalog.trustedSnapshot();
    if (!snapshot) {
      const error = catalog.status().error;
      return { ran: false, reason: t('the SLB catalog of {0} could not be read: {1}', found.region, error?.message ?? t('unknown error')) };
    }
    // Names and IDs missing from the region: look for them elsewhere (bounded), for a message that says where they are.
    const missing = new Set<string>();
    for (const subject of subjects) if (subject.kind === 'compose') for (const m of checkOnline(subject.bindings, { snapshot }).missing) missing.add(m);
    if (missing.size > 0) {
      catalog.locateElsewhere([...missing]);
      const wait = deadline(Math.min(remaining(), 15_000), undefined);
      await Promise.race([catalog.idle(), wait.promise]);
      wait.cancel();
    }
    // Kubernetes manifests: the server certificates of the region too (certificate checks), as the editor reads them.
    const notes: string[] = [];
    let certificates: ServerCertificateInfo[] | undefined;
    if (subjects.some((x) => x.kind === 'k8s')) {
      try {
        const body = await (clientFor(found.region) as SlbClient).describeServerCertificates({ RegionId: found.region }, { readTimeoutMs: Math.max(1_000, Math.min(8_000, remaining())) });
        certificates = body.ServerCertificates.ServerCertificate.map((c) => ({ id: c.ServerCertificateId ?? '', name: c.ServerCertificateName, expireTime: c.ExpireTimeStamp }));
      } catch (e) {
        notes.push(t('the server certificates of {0} could not be read, so the certificate checks of Kubernetes manifests did not run: {1}', found.region, e instanceof Error ? e.message : String(e)));
      }
    }
    const current = catalog;
    const findings = subjects.map((subject) =>
      subject.kind === 'compose'
        ? checkOnline(subject.bindings, { snapshot, elsewhereOf: (ref) => current.elsewhereOf(ref) }).findings
        : checkManifestOnline(subject.manifest, { snapshot, certificates }),
    );
    return { ran: true, region: found.region, source: describeCredentialSource(found, t), slbCount: snapshot.slbs.length, findings, notes };
  })();
  const limit = deadline(options.budgetMs, outOfTime);
  try {
    return await Promise.race([work.catch((e: unknown): OnlineOutcome => ({ ran: false, reason: e instanceof Error ? e.message : String(e) })), limit.promise]);
  } finally {
    limit.cancel();
    catalog?.dispose();
  }
}
