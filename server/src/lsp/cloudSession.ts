// The cloud side of the language server: credentials, the SLB catalog, and what completion, hover
// and validation get from it. server.ts only creates this and calls a few methods; everything
// about credentials and the network lives here.
//
// Protocol (all names under `aliyunSlbLabels/`):
//   client -> server notification `aliyunSlbLabels/credentials` {accessKeyId, accessKeySecret, securityToken?} | null
//       (from VS Code SecretStorage; null clears them). Never logged.
//   client -> server request `aliyunSlbLabels/regions` -> {regions: {id, name}[], error?}
//   client -> server request `aliyunSlbLabels/refreshCatalog` -> CloudStatusParams
//   client -> server request `aliyunSlbLabels/cloudStatus` -> CloudStatusParams
//   server -> client notification `aliyunSlbLabels/cloudStatus` CloudStatusParams (on every change)
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../engine/analysis';
import { slbCard, toCloudSlbs } from '../engine/cloud/card';
import { SlbCatalog } from '../engine/cloud/catalog';
import { CredentialLookupResult, describeCredentialSource, resolveCredentials, StaticCredentials, toCredential } from '../engine/cloud/credentials';
import { checkOnline, lookupSlb } from '../engine/cloud/onlineRules';
import { SlbClient } from '../engine/cloud/slbClient';
import type { CloudListener, CloudSlb } from '../engine/features/completion';
import { t } from '../engine/i18n';
import type { Finding } from '../engine/rules/types';

export { CLOUD_METHODS } from '../../../common/protocol';
import { CLOUD_METHODS, CloudStatus } from '../../../common/protocol';

export interface CloudSettings {
  region: string;
  endpoint: string;
  profile: string;
  /** STS endpoint for RamRoleArn profiles (empty = the profile's, else sts.aliyuncs.com). */
  stsEndpoint: string;
  enabled: boolean;
  refreshMinutes: number;
}

export function readCloudSettings(raw: unknown): CloudSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const pick = (dotted: string): unknown => {
    if (dotted in s) return s[dotted];
    return dotted.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), s);
  };
  const str = (k: string) => (typeof pick(k) === 'string' ? (pick(k) as string).trim() : '');
  const minutes = Number(pick('online.refreshMinutes'));
  return {
    region: str('region'),
    endpoint: str('endpoint'),
    profile: str('profile'),
    stsEndpoint: str('stsEndpoint'),
    enabled: pick('online.enable') !== false,
    refreshMinutes: Number.isFinite(minutes) && minutes >= 0 ? Math.min(minutes, 24 * 60) : 5,
  };
}

/** Provisioning Service manifests: `kubernetes.clusterId` and `kubernetes.backends` (what the editor cannot guess). */
export interface KubernetesProvisionSettings {
  clusterId: string;
  backends: string[];
}

export function readKubernetesSettings(raw: unknown): KubernetesProvisionSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const k = s['kubernetes.clusterId'] !== undefined || s['kubernetes.backends'] !== undefined ? { clusterId: s['kubernetes.clusterId'], backends: s['kubernetes.backends'] } : (s.kubernetes ?? {});
  return {
    clusterId: typeof k.clusterId === 'string' ? k.clusterId.trim() : '',
    backends: Array.isArray(k.backends) ? k.backends.filter((b: unknown): b is string => typeof b === 'string') : [],
  };
}

/** @deprecated name kept for the server's code; the shape lives in common/protocol.ts. */
export type CloudStatusParams = CloudStatus;

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export class CloudSession {
  readonly catalog: SlbCatalog;
  private settings: CloudSettings = readCloudSettings(undefined);
  private kubernetesSettings: KubernetesProvisionSettings = readKubernetesSettings(undefined);
  private settingsKey = '';
  private explicit: StaticCredentials | undefined;
  private trusted = true;
  private started = false;
  private seq = 0;
  private found: CredentialLookupResult | undefined;
  private lastLoggedProblem = '';
  private readonly clients = new Map<string, SlbClient>();

  constructor(
    private readonly connection: Connection,
    private readonly log: Log,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.catalog = new SlbCatalog({ log });
    this.catalog.onDidChange(() => this.sendStatus());
    connection.onNotification(CLOUD_METHODS.credentials, (p: Partial<StaticCredentials> | null | undefined) => {
      const id = typeof p?.accessKeyId === 'string' ? p.accessKeyId.trim() : '';
      const secret = typeof p?.accessKeySecret === 'string' ? p.accessKeySecret.trim() : '';
      const token = typeof p?.securityToken === 'string' && p.securityToken.trim() ? p.securityToken.trim() : undefined;
      this.explicit = id && secret ? { accessKeyId: id, accessKeySecret: secret, securityToken: token } : undefined;
      this.log('info', this.explicit ? 'Cloud: AccessKey received from the editor.' : 'Cloud: AccessKey from the editor cleared.');
      // Before `initialized` workspace trust is not known yet: start() picks the credentials up.
      if (this.started) void this.reconfigure();
    });
    connection.onRequest(CLOUD_METHODS.regions, async () => {
      try {
        const regions = await this.catalog.regions();
        return { regions: regions.map((r) => ({ id: r.RegionId, name: r.LocalName ?? r.RegionId })) };
      } catch (e) {
        return { regions: [], error: e instanceof Error ? e.message : String(e) };
      }
    });
    connection.onRequest(CLOUD_METHODS.refreshCatalog, async () => {
      if (this.started && this.active()) await this.catalog.refresh();
      return this.status();
    });
    connection.onRequest(CLOUD_METHODS.cloudStatus, () => this.status());
  }

  /** Called with the raw `aliyunSlbLabels` section whenever settings are (re)read. */
  applySettings(raw: unknown): void {
    // Read on each command; they change no connection, so no reconfigure.
    this.kubernetesSettings = readKubernetesSettings(raw);
    this.settings = readCloudSettings(raw);
    const key = JSON.stringify(this.settings);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    if (this.started) void this.reconfigure();
  }

  /** Called once the client is initialized; cloud features stay off in an untrusted workspace. */
  start(workspaceTrusted: boolean): void {
    this.trusted = workspaceTrusted;
    this.started = true;
    void this.reconfigure();
  }

  onDidChange(listener: () => void): void {
    this.catalog.onDidChange(listener);
  }

  active(): boolean {
    return this.settings.enabled && this.trusted;
  }

  /** Online checks run only once a usable catalog exists; until then validation need not ship bindings. */
  needsBindings(): boolean {
    return this.active() && !!this.catalog.trustedSnapshot();
  }

  /** Re-resolve credentials and region, rebuild clients, refresh the catalog in the background. */
  async reconfigure(): Promise<void> {
    const seq = ++this.seq;
    this.clients.clear();
    if (!this.active()) {
      this.found = undefined;
      this.catalog.configure({ clientFor: undefined, region: undefined });
      this.sendStatus();
      return;
    }
    const found = await resolveCredentials({ explicit: this.explicit, env: this.env, profile: this.settings.profile || undefined, region: this.settings.region || undefined, stsEndpoint: this.settings.stsEndpoint || undefined, t });
    if (seq !== this.seq) return;
    this.found = found;
    const problem = found.ok ? (found.region ? '' : 'no-region') : found.message;
    if (problem !== this.lastLoggedProblem) {
      this.lastLoggedProblem = problem;
      if (!found.ok) this.log('info', `Cloud features off: ${found.message}`);
      else if (!found.region) this.log('info', 'Cloud features off: no region is set (setting aliyunSlbLabels.region, or the profile\'s region).');
    }
    if (found.ok) this.log('info', `Cloud: ${describeCredentialSource(found, t)}${this.settings.endpoint ? `, endpoint ${this.settings.endpoint}` : ''}.`);
    if (!found.ok || !found.region) {
      this.catalog.configure({ clientFor: undefined, region: undefined });
      this.sendStatus();
      return;
    }
    const credentials = toCredential(found);
    const endpoint = this.settings.endpoint || undefined;
    const clientFor = (region: string) => {
      let c = this.clients.get(region);
      if (!c) {
        c = new SlbClient({ credentials, regionId: region, endpoint, connectTimeoutMs: 4_000, readTimeoutMs: 8_000, retry: { maxAttempts: 2 }, t });
        this.clients.set(region, c);
      }
      return c;
    };
    this.catalog.configure({ clientFor, region: found.region, refreshMinutes: this.settings.refreshMinutes });
    void this.catalog.refresh();
  }

  /**
   * A fresh SLB client for an explicit command (reachability, provisioning): same credentials
   * (editor AccessKey, env, aliyun CLI, credentials file), profile, region and endpoint as the
   * catalog. Refused in an untrusted workspace; works with online.enable off (the user asked).
   */
  async commandClient(opts: { connectTimeoutMs?: number; readTimeoutMs?: number } = {}): Promise<
    { ok: true; client: SlbClient; region: string; endpoint?: string; sourceDescription: string } | { ok: false; message: string }
  > {
    if (!this.trusted) return { ok: false, message: t('Cloud features are off in an untrusted workspace.') };
    const found = await resolveCredentials({ explicit: this.explicit, env: this.env, profile: this.settings.profile || undefined, region: this.settings.region || undefined, stsEndpoint: this.settings.stsEndpoint || undefined, t });
    if (!found.ok) return { ok: false, message: found.message };
    if (!found.region) return { ok: false, message: t('No region is set: run "Select region" or set aliyunSlbLabels.region.') };
    const endpoint = this.settings.endpoint || undefined;
    const client = new SlbClient({ credentials: toCredential(found), regionId: found.region, endpoint, connectTimeoutMs: opts.connectTimeoutMs ?? 4_000, readTimeoutMs: opts.readTimeoutMs ?? 8_000, retry: { maxAttempts: 2 }, t });
    return { ok: true, client, region: found.region, endpoint, sourceDescription: describeCredentialSource(found, t) };
  }

  /** The cluster ID and node backends for provisioning Service manifests (settings). */
  kubernetes(): KubernetesProvisionSettings {
    return { ...this.kubernetesSettings, backends: [...this.kubernetesSettings.backends] };
  }

  /** Is the workspace trusted (cloud commands refuse otherwise)? */
  isTrusted(): boolean {
    return this.trusted;
  }

  status(): CloudStatusParams {
    const base = { enabled: this.settings.enabled, trusted: this.trusted, endpoint: this.settings.endpoint || undefined };
    if (!this.active()) {
      return { ...base, state: 'off', message: !this.trusted ? t('Cloud features are off in an untrusted workspace.') : t('Cloud features are turned off (aliyunSlbLabels.online.enable).') };
    }
    const found = this.found;
    if (!found) return { ...base, state: 'idle' };
    if (!found.ok) return { ...base, state: 'no-credentials', message: found.message };
    const who = { source: found.source, profile: found.profile, sourceDescription: describeCredentialSource(found, t) };
    if (!found.region) return { ...base, ...who, state: 'no-region', message: t('No region is set: run "Select region" or set aliyunSlbLabels.region.') };
    const s = this.catalog.status();
    return {
      ...base,
      ...who,
      state: s.state === 'off' ? 'idle' : s.state,
      region: found.region,
      count: s.count,
      fetchedAt: s.fetchedAt,
      message: s.error?.message,
      refreshing: s.refreshing,
    };
  }

  private sendStatus(): void {
    if (!this.started) return;
    try {
      void this.connection.sendNotification(CLOUD_METHODS.cloudStatus, this.status());
    } catch {
      // connection closing
    }
  }

  /** SLBs for completion (last snapshot, even if a later refresh failed); undefined without one. */
  cloudSlbs(): CloudSlb[] | undefined {
    if (!this.active()) return undefined;
    return toCloudSlbs(this.catalog.snapshot());
  }

  /**
   * Listeners of one SLB (name or ID) for front-port completion, from the last snapshot (no I/O);
   * undefined without a snapshot, for an unknown or ambiguous name, or when its listeners are unknown.
   */
  readonly cloudListeners = (ref: string): CloudListener[] | undefined => {
    if (!this.active()) return undefined;
    const snapshot = this.catalog.snapshot();
    const matches = snapshot ? lookupSlb(snapshot, ref) : [];
    if (matches.length !== 1 || !matches[0].listenersKnown) return undefined;
    return matches[0].listeners.map((l) => ({ port: l.port, protocol: l.protocol, backendPort: l.backendPort, status: l.status }));
  };

  /** The catalog the online checks trust (no I/O); undefined when inactive or not loaded. */
  trustedSnapshot() {
    return this.active() ? this.catalog.trustedSnapshot() : undefined;
  }

  /** Live hover card of an SLB name/ID; undefined without a snapshot. */
  readonly describeSlb = (ref: string): string | undefined => {
    if (!this.active()) return undefined;
    return slbCard(this.catalog.snapshot(), ref, (id) => this.catalog.healthOf(id));
  };

  /** Online findings for an analysed document's bindings (none unless the last refresh succeeded). Cheap: no I/O. */
  findings(analysis: Pick<Analysis, 'bindings'>): Finding[] {
    if (!this.active()) return [];
    const snapshot = this.catalog.trustedSnapshot();
    if (!snapshot) return [];
    const result = checkOnline(analysis.bindings, { snapshot, elsewhereOf: (ref) => this.catalog.elsewhereOf(ref) });
    if (result.missing.length > 0) this.catalog.locateElsewhere(result.missing);
    return result.findings;
  }

  dispose(): void {
    this.catalog.dispose();
  }
}
