// SlbCatalog: a cached catalog of the account's SLBs in one region (DescribeLoadBalancers, all
// pages, plus DescribeLoadBalancerListeners for their listeners), refreshed in the background.
// Transport-free: no vscode, no LSP. Completion, hover and validation read the last snapshot and
// never wait on the network; with no client (no credentials) there is simply no snapshot.
import { regionOfOldStyleId } from '../labels/lbLabel';
import type { SlbClient } from './slbClient';
import { isSlbApiError, SlbApiError } from './slbErrors';
import type { HealthStatusBackendServer, ListenerSummary, LoadBalancerSummary, SlbRegion } from './slbTypes';

/** The subset of SlbClient the catalog uses (tests may pass a fake). */
export type CatalogClient = Pick<SlbClient, 'describeAllLoadBalancers' | 'describeAllLoadBalancerListeners' | 'describeRegions' | 'describeLoadBalancers' | 'describeHealthStatus'>;

export interface CatalogListener {
  port: number;
  protocol: string;
  backendPort?: number;
  status?: string;
  description?: string;
  /** HTTPS listeners: the server certificate (absent = none configured). */
  serverCertificateId?: string;
  vServerGroupId?: string;
}

export interface CatalogSlb {
  id: string;
  name: string;
  regionId: string;
  status?: string;
  address?: string;
  addressType?: string;
  networkType?: string;
  spec?: string;
  /** Fixed at creation (the CCM compares them with its annotations on a reused CLB, R10). */
  masterZoneId?: string;
  slaveZoneId?: string;
  resourceGroupId?: string;
  addressIPVersion?: string;
  listeners: CatalogListener[];
  /** false when the listener call for this SLB failed (listener checks are then skipped). */
  listenersKnown: boolean;
  /** Resource tags (DescribeLoadBalancers returns them): Kubernetes checks tell cluster-made CLBs by them. */
  tags?: Record<string, string>;
}

export interface CatalogSnapshot {
  region: string;
  fetchedAt: number;
  slbs: CatalogSlb[];
  byId: ReadonlyMap<string, CatalogSlb>;
  byName: ReadonlyMap<string, CatalogSlb[]>;
}

export type CatalogState = 'off' | 'idle' | 'loading' | 'ready' | 'error';

export interface CatalogStatus {
  state: CatalogState;
  region?: string;
  /** Number of SLBs in the last good snapshot. */
  count?: number;
  fetchedAt?: number;
  /** Last error (localised SlbApiError message, never a secret) and its code. */
  error?: { code: string; message: string; kind?: string };
  /** true while a refresh is running (state may stay 'ready'/'error' from the last one). */
  refreshing: boolean;
}

export interface SlbCatalogOptions {
  /** Client for a region; `undefined` when there are no credentials. */
  clientFor?: (regionId: string) => CatalogClient | undefined;
  region?: string;
  /** Background refresh period (default 5 minutes; 0 = only on demand). */
  refreshMinutes?: number;
  /** Deadline of one whole refresh (default 30 s); each call is also bounded by the client's timeouts. */
  refreshTimeoutMs?: number;
  /** Per-call read timeout for catalog calls (default 8 s). */
  readTimeoutMs?: number;
  /** DescribeLoadBalancers page size (default 100, the API's maximum; tests use less). */
  pageSize?: number;
  /** Log sink (no secrets are ever passed to it). Called once per new error, not per read. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  now?: () => number;
}

export interface ElsewhereResult {
  /** Regions (other than the catalog's) where an SLB with that name or ID exists. */
  regions: string[];
}

export interface HealthEntry {
  fetchedAt: number;
  servers: HealthStatusBackendServer[];
  error?: string;
}

type Listener = () => void;

const LISTENER_BATCH = 10;
const HEALTH_TTL_MS = 30_000;
const ELSEWHERE_TTL_MS = 10 * 60_000;
/** Region prefixes of modern SLB IDs (facts sheet §6). */
const ID_REGION_PREFIX: Record<string, string> = { bp: 'cn-hangzhou', uf: 'cn-shanghai', '2z': 'cn-beijing', wz: 'cn-shenzhen' };

export class SlbCatalog {
  private options: SlbCatalogOptions;
  private current: CatalogSnapshot | undefined;
  private lastError: CatalogStatus['error'];
  private lastLogged = '';
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private abort: AbortController | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly elsewhere = new Map<string, { at: number; result?: ElsewhereResult; pending: boolean }>();
  private regionsCache: { at: number; regions: SlbRegion[] } | undefined;
  private readonly health = new Map<string, HealthEntry & { pending: boolean }>();
  private locating: Promise<void> | undefined;
  private disposed = false;
  /** Counters for tests and the status line. */
  readonly stats = { refreshes: 0, overlapsAvoided: 0 };

  constructor(options: SlbCatalogOptions = {}) {
    this.options = { ...options };
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Replace the client factory/region/period. Drops the snapshot when the account or region changes. */
  configure(options: SlbCatalogOptions, opts: { keepSnapshot?: boolean } = {}): void {
    const regionChanged = options.region !== this.options.region;
    this.options = { ...this.options, ...options };
    if (!opts.keepSnapshot || regionChanged) {
      this.generation++;
      this.abort?.abort();
      this.abort = undefined;
      this.inFlight = undefined;
      this.current = undefined;
      this.lastError = undefined;
      this.lastLogged = '';
      this.elsewhere.clear();
      this.health.clear();
      this.regionsCache = undefined;
    }
    this.schedule();
    this.emit();
  }

  /** The last good snapshot (also after a later failed refresh: completion may keep using it). */
  snapshot(): CatalogSnapshot | undefined {
    return this.current;
  }

  /** The snapshot validation may trust: present and the last refresh succeeded (no false positives). */
  trustedSnapshot(): CatalogSnapshot | undefined {
    return this.lastError ? undefined : this.current;
  }

  status(): CatalogStatus {
    const region = this.options.region;
    let state: CatalogState;
    if (!this.options.clientFor || !region) state = 'off';
    else if (this.lastError) state = 'error';
    else if (this.current) state = 'ready';
    else if (this.inFlight) state = 'loading';
    else state = 'idle';
    return { state, region, count: this.current?.slbs.length, fetchedAt: this.current?.fetchedAt, error: this.lastError, refreshing: this.inFlight !== undefined };
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // a listener's failure is not the catalog's
      }
    }
  }

  private client(region = this.options.region): CatalogClient | undefined {
    if (!region || !this.options.clientFor) return undefined;
    try {
      return this.options.clientFor(region);
    } catch (e) {
      this.setError(e);
      return undefined;
    }
  }

  /** Start the periodic refresh (and refresh now). */
  start(): void {
    this.schedule();
    void this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const minutes = this.options.refreshMinutes ?? 5;
    if (this.disposed || !(minutes > 0) || !this.options.clientFor) return;
    this.timer = setInterval(() => void this.refresh(), Math.max(0.1, minutes) * 60_000);
    this.timer.unref?.();
  }

  /**
   * Refresh now, in the background. A call while one runs joins it (no overlapping refreshes).
   * Never rejects.
   */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.stats.overlapsAvoided++;
      return this.inFlight;
    }
    const region = this.options.region;
    const client = this.client(region);
    if (!client || !region) return Promise.resolve();
    const generation = this.generation;
    const abort = new AbortController();
    this.abort = abort;
    const deadline = setTimeout(() => abort.abort(), this.options.refreshTimeoutMs ?? 30_000);
    deadline.unref?.();
    this.stats.refreshes++;
    const run = (async () => {
      try {
        const snapshot = await this.load(client, region, abort.signal);
        if (generation !== this.generation) return;
        this.current = snapshot;
        const hadError = this.lastError !== undefined;
        this.lastError = undefined;
        if (hadError || this.lastLogged) this.options.log?.('info', `SLB catalog: ${snapshot.slbs.length} load balancer(s) in ${region}.`);
        this.lastLogged = '';
      } catch (e) {
        if (generation !== this.generation) return;
        this.setError(abort.signal.aborted && !isSlbApiError(e) ? new Error(`the refresh took longer than ${Math.round((this.options.refreshTimeoutMs ?? 30_000) / 1000)} s`) : e);
      } finally {
        clearTimeout(deadline);
        if (generation === this.generation) {
          this.inFlight = undefined;
          this.abort = undefined;
        }
      }
      this.emit();
    })();
    this.inFlight = run;
    this.emit();
    return run;
  }

  private setError(e: unknown): void {
    const error = isSlbApiError(e)
      ? { code: e.code, message: e.message, kind: e.kind }
      : { code: 'Unknown', message: e instanceof Error ? e.message : String(e) };
    this.lastError = error;
    const key = `${error.code}\u0000${error.message}`;
    if (key !== this.lastLogged) {
      this.lastLogged = key;
      this.options.log?.('warn', `SLB catalog refresh failed: ${isSlbApiError(e) ? e.toLogString() : error.message}`);
    }
  }

  private async load(client: CatalogClient, region: string, signal: AbortSignal): Promise<CatalogSnapshot> {
    const opts = { signal, readTimeoutMs: this.options.readTimeoutMs ?? 8_000 };
    const lbs = await client.describeAllLoadBalancers({ RegionId: region }, { ...opts, pageSize: this.options.pageSize ?? 100, maxPages: 50 });
    const slbs: CatalogSlb[] = lbs.filter((lb) => lb && lb.LoadBalancerId).map((lb) => toCatalogSlb(lb, region));
    const byId = new Map(slbs.map((s) => [s.id, s]));
    // Listeners, 10 load balancers per call (the API's limit), two calls at a time.
    const batches: string[][] = [];
    for (let i = 0; i < slbs.length; i += LISTENER_BATCH) batches.push(slbs.slice(i, i + LISTENER_BATCH).map((s) => s.id));
    let failure: unknown;
    await mapLimit(batches, 2, async (ids) => {
      try {
        const listeners = await client.describeAllLoadBalancerListeners({ RegionId: region, LoadBalancerId: ids }, { ...opts, pageSize: 100, maxPages: 50 });
        for (const id of ids) byId.get(id)!.listenersKnown = true;
        for (const l of listeners) byId.get(l.LoadBalancerId)?.listeners.push(toCatalogListener(l));
      } catch (e) {
        // Auth/permission/network problems fail the whole refresh; the rest leaves those listeners unknown.
        if (!isSlbApiError(e) || e.kind !== 'api' || e.retryable) failure ??= e;
      }
    });
    if (failure) throw failure;
    for (const s of slbs) s.listeners.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
    const byName = new Map<string, CatalogSlb[]>();
    for (const s of slbs) {
      if (!s.name) continue;
      const list = byName.get(s.name) ?? [];
      list.push(s);
      byName.set(s.name, list);
    }
    return { region, fetchedAt: this.now, slbs, byId, byName };
  }

  // -- other regions -------------------------------------------------------------------------

  /** What is known about an SLB name/ID that is not in the catalog's region (undefined = not looked up yet). */
  elsewhereOf(ref: string): ElsewhereResult | undefined {
    return this.elsewhere.get(ref)?.result;
  }

  /**
   * Look names/IDs up in other regions, in the background, at most once per ref per 10 minutes.
   * IDs: the region encoded in the ID first (one call); names: every other region of
   * DescribeRegions (cached), names batched 10 per call, two regions at a time.
   * Emits a change when something new was learnt.
   */
  locateElsewhere(refs: string[]): void {
    const region = this.options.region;
    if (!region || !this.options.clientFor || this.lastError || !this.current) return;
    const now = this.now;
    const todo = [...new Set(refs)].filter((r) => {
      const e = this.elsewhere.get(r);
      return !e || (!e.pending && now - e.at > ELSEWHERE_TTL_MS);
    }).slice(0, 20);
    if (todo.length === 0) return;
    for (const r of todo) this.elsewhere.set(r, { at: now, pending: true, result: this.elsewhere.get(r)?.result });
    const generation = this.generation;
    const previous = this.locating ?? Promise.resolve();
    this.locating = previous.then(() => this.locate(todo, region, generation)).catch(() => undefined).finally(() => {
      if (generation === this.generation) this.emit();
    });
  }

  /** Resolves when background other-region lookups have finished (tests). */
  async idle(): Promise<void> {
    await this.inFlight;
    await this.locating;
  }

  private async locate(refs: string[], region: string, generation: number): Promise<void> {
    const found = new Map<string, Set<string>>(refs.map((r) => [r, new Set<string>()]));
    const signal = AbortSignal.timeout(this.options.refreshTimeoutMs ?? 30_000);
    const opts = { signal, readTimeoutMs: this.options.readTimeoutMs ?? 8_000 };
    const ids = refs.filter((r) => /^lb-[a-z0-9]{8,}$/.test(r) || regionOfOldStyleId(r));
    const names = refs.filter((r) => !ids.includes(r));
    try {
      // IDs: the encoded region, checked with one call each.
      for (const id of ids) {
        const guess = regionOfOldStyleId(id) ?? ID_REGION_PREFIX[id.slice(3, 5)];
        if (!guess || guess === region) continue;
        const client = this.client(guess);
        if (!client) continue;
        try {
          const page = await client.describeLoadBalancers({ RegionId: guess, LoadBalancerId: id }, opts);
          if (page.LoadBalancers.LoadBalancer.some((lb) => lb.LoadBalancerId === id)) found.get(id)!.add(guess);
        } catch {
          // unknown region or no permission there: say nothing
        }
      }
      if (names.length > 0) {
        const regions = (await this.regions(opts)).map((r) => r.RegionId).filter((r) => r && r !== region);
        const batches: string[][] = [];
        for (let i = 0; i < names.length; i += 10) batches.push(names.slice(i, i + 10));
        await mapLimit(regions.slice(0, 40), 2, async (other) => {
          const client = this.client(other);
          if (!client) return;
          for (const batch of batches) {
            try {
              const lbs = await client.describeAllLoadBalancers({ RegionId: other, LoadBalancerName: batch.join(',') }, { ...opts, maxPages: 2 });
              for (const lb of lbs) if (lb.LoadBalancerName && found.has(lb.LoadBalancerName)) found.get(lb.LoadBalancerName)!.add(other);
            } catch {
              // say nothing about regions we cannot read
            }
          }
        });
      }
    } finally {
      if (generation === this.generation) {
        const at = this.now;
        for (const [ref, set] of found) this.elsewhere.set(ref, { at, pending: false, result: { regions: [...set].sort() } });
      }
    }
  }

  /** Regions of the account (DescribeRegions), cached for an hour; [] when unavailable. */
  async regions(opts: { signal?: AbortSignal; readTimeoutMs?: number } = {}): Promise<SlbRegion[]> {
    if (this.regionsCache && this.now - this.regionsCache.at < 3_600_000) return this.regionsCache.regions;
    const client = this.client();
    if (!client) return [];
    const body = await client.describeRegions({ AcceptLanguage: 'en-US' }, { readTimeoutMs: this.options.readTimeoutMs ?? 8_000, ...opts });
    const regions = body.Regions?.Region ?? [];
    this.regionsCache = { at: this.now, regions };
    return regions;
  }

  // -- backend health (for the hover card) ---------------------------------------------------

  /** Cached backend health of an SLB; a stale or missing entry starts a background fetch. */
  healthOf(id: string): HealthEntry | undefined {
    const entry = this.health.get(id);
    if (!entry || (!entry.pending && this.now - entry.fetchedAt > HEALTH_TTL_MS)) this.fetchHealth(id);
    return entry && entry.fetchedAt > 0 ? entry : undefined;
  }

  private fetchHealth(id: string): void {
    const client = this.client();
    if (!client || !this.current?.byId.has(id)) return;
    const previous = this.health.get(id);
    this.health.set(id, { fetchedAt: previous?.fetchedAt ?? 0, servers: previous?.servers ?? [], pending: true });
    const generation = this.generation;
    client
      .describeHealthStatus({ LoadBalancerId: id, RegionId: this.options.region }, { readTimeoutMs: this.options.readTimeoutMs ?? 8_000 })
      .then(
        (body) => ({ fetchedAt: this.now, servers: body.BackendServers.BackendServer, pending: false }),
        (e: unknown) => ({ fetchedAt: this.now, servers: [], pending: false, error: e instanceof SlbApiError ? e.message : String(e) }),
      )
      .then((entry) => {
        if (generation !== this.generation) return;
        this.health.set(id, entry);
      });
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
    this.abort?.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}

function toCatalogSlb(lb: LoadBalancerSummary, region: string): CatalogSlb {
  return {
    id: lb.LoadBalancerId,
    name: lb.LoadBalancerName ?? '',
    regionId: lb.RegionId ?? region,
    status: lb.LoadBalancerStatus,
    address: lb.Address,
    addressType: lb.AddressType,
    networkType: lb.NetworkType,
    spec: lb.LoadBalancerSpec,
    masterZoneId: lb.MasterZoneId,
    slaveZoneId: lb.SlaveZoneId,
    resourceGroupId: lb.ResourceGroupId,
    addressIPVersion: lb.AddressIPVersion,
    listeners: [],
    listenersKnown: false,
    tags: Object.fromEntries((lb.Tags?.Tag ?? []).map((tag) => [tag.TagKey ?? '', tag.TagValue ?? ''])),
  };
}

function toCatalogListener(l: ListenerSummary): CatalogListener {
  const backend = Number(l.BackendServerPort);
  return {
    port: Number(l.ListenerPort),
    protocol: String(l.ListenerProtocol ?? '').toLowerCase(),
    backendPort: Number.isFinite(backend) && backend > 0 ? backend : undefined,
    status: l.Status,
    description: l.Description,
    serverCertificateId: l.HTTPSListenerConfig?.ServerCertificateId || undefined,
    vServerGroupId: l.VServerGroupId || undefined,
  };
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
