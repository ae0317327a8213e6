// The sandbox's HTTP front: the SLB RPC API (signed), fault injection and the admin endpoints.
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ACTIONS } from './actions';
import { DataPlane } from './dataplane';
import { Params } from './params';
import { NonceCache, SignatureVerifier } from './signature';
import { SandboxSts, STS_API_VERSION } from './sts';
import { loadSeed, Store } from './store';
import { findVServerGroup } from './vServerGroups';
import type { FaultKind, FaultSpec, HealthStatus, ListenerProtocol, SandboxHandle, SandboxOptions, SandboxRequestRecord, SandboxState, SeedObject } from './types';
import { API_VERSION, ApiError, BAD_GATEWAY_HTML, errorBody, newRequestId, parseParams, sendError, sendJson } from './wire';

export const DEFAULT_ACCESS_KEY_ID = 'SANDBOXDEMOKEYID0001';
export const DEFAULT_ACCESS_KEY_SECRET = 'sandbox-demo-secret-not-real';
export const DEFAULT_ADDRESS_BASE = '127.0.0.2';

const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error-json', 'server-error-html', 'slow', 'slow-response', 'hang'];
const MAX_BODY = 1 << 20;
const MAX_LOG = 500;

/** Loopback only: 127.0.0.0/8, ::1 or localhost. Returns the address to bind. */
export function loopbackHost(host: string | undefined): string {
  const h = (host ?? '127.0.0.1').trim().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return '127.0.0.1';
  if ((net.isIPv4(h) && h.startsWith('127.')) || h === '::1') return h;
  throw new Error(`Refusing to bind the SLB sandbox to "${host}": it binds to loopback only (127.0.0.1, another 127.x.y.z, ::1 or localhost), never to a network interface.`);
}

export function validateFault(raw: unknown): FaultSpec {
  const f = raw as Partial<FaultSpec> | null;
  if (!f || typeof f !== 'object') throw new Error('A fault must be a JSON object.');
  if (!f.kind || !FAULT_KINDS.includes(f.kind)) throw new Error(`Fault "kind" must be one of ${FAULT_KINDS.join(', ')}.`);
  if (f.action !== undefined && typeof f.action !== 'string') throw new Error('Fault "action" must be a string.');
  if (f.times !== undefined && (!Number.isInteger(f.times) || (f.times < 1 && f.times !== -1))) throw new Error('Fault "times" must be a positive integer or -1 (until cleared).');
  for (const n of ['delayMs', 'retryAfterMs'] as const) {
    if (f[n] !== undefined && (typeof f[n] !== 'number' || f[n]! < 0)) throw new Error(`Fault "${n}" must be a number >= 0.`);
  }
  if (f.status !== undefined && (!Number.isInteger(f.status) || f.status < 500 || f.status > 599)) throw new Error('Fault "status" must be a 5xx integer.');
  return { kind: f.kind, action: f.action, times: f.times ?? 1, delayMs: f.delayMs, retryAfterMs: f.retryAfterMs, status: f.status };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'InvalidParameter', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const log = options.log ?? (() => undefined);
  const bindHost = loopbackHost(options.host);
  const now = options.now ?? Date.now;
  const windowMs = options.timestampWindowMs ?? 15 * 60_000;
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const creds = { accessKeyId, accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET, securityToken: options.securityToken };
  if (!creds.accessKeyId || !creds.accessKeySecret) throw new Error('The sandbox AccessKey ID and secret must not be empty.');
  const addressBase = options.addressBase ?? DEFAULT_ADDRESS_BASE;
  const seed: SeedObject = loadSeed(options.seed);

  let store = new Store(seed, addressBase);
  const nonces = new NonceCache(windowMs * 2);
  const sts = new SandboxSts(creds, { roles: options.roles, ecsRoleName: options.ecsRoleName, issuedTtlMs: options.issuedCredentialsTtlMs }, now);
  const verifier = new SignatureVerifier((id) => sts.lookup(id), nonces, now, windowMs);
  const dataPlane = new DataPlane({
    enabled: options.dataPlane !== false,
    log,
    healthCheckIntervalMs: options.healthCheckIntervalMs,
    certificate: (id) => store.certificate(id),
    // Read from the current store at each connection: the group's backends as they are now.
    groupBackends: (lb, l) => {
      if (!l.VServerGroupId) return undefined;
      const group = findVServerGroup(store, l.VServerGroupId);
      return group ? group.backends.map((b) => ({ ServerId: b.ServerId, Port: b.Port, Weight: b.Weight })) : [];
    },
  });
  let faults: FaultSpec[] = (options.faults ?? []).map(validateFault);
  let requests: SandboxRequestRecord[] = [];
  const hung = new Set<http.ServerResponse>();
  let url = '';

  const record = (r: SandboxRequestRecord) => {
    requests.push(r);
    if (requests.length > MAX_LOG) requests = requests.slice(-MAX_LOG);
  };

  const takeFault = (action: string): FaultSpec | undefined => {
    const f = faults.find((x) => !x.action || x.action === action);
    if (!f) return undefined;
    if (f.times !== -1) {
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) faults = faults.filter((x) => x !== f);
    }
    return f;
  };

  const syncAll = async () => {
    for (const lb of store.loadBalancers) for (const l of lb.listeners) await dataPlane.sync(lb, l);
  };

  const snapshot = (): SandboxState => ({
    url,
    accessKeyId,
    regions: store.regions.map((r) => r.RegionId),
    loadBalancers: store.loadBalancers.map((lb) => ({
      LoadBalancerId: lb.LoadBalancerId,
      LoadBalancerName: lb.LoadBalancerName,
      RegionId: lb.RegionId,
      LoadBalancerStatus: lb.LoadBalancerStatus,
      Address: lb.Address,
      AddressType: lb.AddressType,
      BackendServers: lb.BackendServers.map((b) => ({ ...b })),
      Listeners: lb.listeners.map((l) => ({
        LoadBalancerId: l.LoadBalancerId,
        ListenerPort: l.ListenerPort,
        ListenerProtocol: l.ListenerProtocol,
        BackendServerPort: l.BackendServerPort,
        ...(l.VServerGroupId ? { VServerGroupId: l.VServerGroupId } : {}),
        Status: l.Status,
        Description: l.Description,
        config: { ...l.cfg },
        health: dataPlane.health(lb.LoadBalancerId, l),
        dataPlane: dataPlane.status(lb.LoadBalancerId, l),
      })),
    })),
    serverCertificates: store.certificates.map((c) => ({ ServerCertificateId: c.ServerCertificateId, ServerCertificateName: c.ServerCertificateName, RegionId: c.RegionId })),
    faults: faults.map((f) => ({ ...f })),
    requests: requests.map((r) => ({ ...r })),
    stsIssued: sts.issuedCount(),
  });

  const reset = async () => {
    await dataPlane.closeAll();
    store = new Store(loadSeed(options.seed), addressBase);
    faults = [];
    requests = [];
    nonces.clear();
    sts.clear();
    await syncAll();
  };

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const body = await readBody(req);
    const json = (status: number, value: unknown) => sendJson(res, status, value);
    try {
      if (path === '/__sandbox/state' && req.method === 'GET') return json(200, snapshot());
      if (path === '/__sandbox/faults' && req.method === 'GET') return json(200, { faults });
      if (path === '/__sandbox/faults' && req.method === 'DELETE') {
        faults = [];
        return json(200, { faults });
      }
      if (path === '/__sandbox/faults' && req.method === 'POST') {
        const parsed = JSON.parse(body.toString('utf8') || 'null') as unknown;
        const list = (Array.isArray(parsed) ? parsed : [parsed]).map(validateFault);
        faults.push(...list);
        log(`SLB sandbox: armed fault(s) ${list.map((f) => `${f.kind}${f.action ? ' on ' + f.action : ''} x${f.times}`).join(', ')}`);
        return json(200, { faults });
      }
      // A credentials URI (aliyun CLI mode CredentialsURI) for tests and the demo: fresh STS credentials.
      if (path === '/__sandbox/credentials' && req.method === 'GET') return json(200, sts.credentialsUri());
      if (path === '/__sandbox/reset' && req.method === 'POST') {
        await reset();
        return json(200, { ok: true });
      }
      return json(404, { error: `Unknown admin endpoint ${req.method} ${path}. See sandbox/README.md.` });
    } catch (e) {
      return json(400, { error: (e as Error).message });
    }
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, rawUrl: string): Promise<void> {
    const requestId = newRequestId();
    const rec: SandboxRequestRecord = { at: Date.now(), action: '', signatureVersion: 'none', status: 200 };
    const fail = (err: ApiError) => {
      rec.status = err.status;
      rec.code = err.code;
      record(rec);
      sendError(res, requestId, err);
    };
    try {
      if (req.method !== 'POST' && req.method !== 'GET') throw new ApiError(405, 'UnsupportedHTTPMethod', `The HTTP method ${req.method} is not supported; use POST (or GET).`);
      const body = await readBody(req);
      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const query = parseParams(q < 0 ? '' : rawUrl.slice(q + 1));
      const form = /application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? '')) ? parseParams(body.toString('utf8')) : new Map<string, string>();
      rec.action = String(req.headers['x-acs-action'] ?? query.get('Action') ?? form.get('Action') ?? '');
      // The scheme the request is signed with, logged also when its check fails (wrong secret etc.).
      rec.signatureVersion = String(req.headers.authorization ?? '').trim() ? 'v3' : query.has('Signature') || form.has('Signature') ? 'v1' : 'none';
      const v = verifier.verify({ method: req.method ?? 'POST', path, query, form, body, headers: req.headers });
      rec.signatureVersion = v.signatureVersion;
      rec.accessKeyId = v.accessKeyId;
      if (!v.action) throw new ApiError(400, 'MissingParameter.Action', 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
      rec.action = v.action;
      if (!v.version) throw new ApiError(400, 'MissingParameter.Version', 'The input parameter "Version" that is mandatory for processing this request is not supplied.');
      const isSts = v.action === 'AssumeRole' && v.version === STS_API_VERSION;
      const handler = Object.prototype.hasOwnProperty.call(ACTIONS, v.action) ? ACTIONS[v.action] : undefined;
      if (!isSts && (v.version !== API_VERSION || !handler)) {
        throw new ApiError(404, 'InvalidAction.NotFound', `Specified api is not found, please check your url and method: ${v.action} (version ${v.version}).`);
      }

      const fault = takeFault(v.action);
      if (fault) {
        rec.fault = fault.kind;
        log(`SLB sandbox: injecting ${fault.kind} into ${v.action}`);
        switch (fault.kind) {
          case 'throttle':
            throw new ApiError(400, 'Throttling.User', 'Request was denied due to user flow control.', { 'x-acs-retry-after': String(fault.retryAfterMs ?? 1500) });
          case 'server-error-json':
            if ((fault.status ?? 503) === 503) throw new ApiError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
            throw new ApiError(fault.status!, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
          case 'server-error-html':
            rec.status = 502;
            record(rec);
            res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(BAD_GATEWAY_HTML), server: 'Tengine' });
            res.end(BAD_GATEWAY_HTML);
            return;
          case 'hang':
            rec.status = 0;
            record(rec);
            hung.add(res);
            res.on('close', () => hung.delete(res));
            return; // never answered; closed by the client's timeout or by close()
          case 'slow':
            await sleep(fault.delayMs ?? 1000);
            break;
          case 'slow-response':
            break; // below: the action runs now, the answer waits
        }
      }

      const result = isSts ? sts.assumeRole(v.accessKeyId, v.params) : await handler!({ p: new Params(v.params), store, dataPlane });
      if (fault?.kind === 'slow-response') await sleep(fault.delayMs ?? 1000);
      record(rec);
      sendJson(res, 200, { RequestId: requestId, ...result });
    } catch (e) {
      if (e instanceof ApiError) return fail(e);
      log(`SLB sandbox: internal error: ${(e as Error).stack ?? e}`);
      fail(new ApiError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.'));
    }
  }

  /** The ECS metadata service (no signature, like the real one; reachable only from the instance). */
  async function handleMetadata(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    await readBody(req);
    const fault = takeFault('Metadata');
    if (fault?.kind === 'hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
    const [status, type, body] = sts.metadata(req.method ?? 'GET', path, req.headers);
    record({ at: Date.now(), action: `Metadata ${req.method} ${path.startsWith('/latest/meta-data/ram/security-credentials/') ? '/latest/meta-data/ram/security-credentials/…' : path}`, signatureVersion: 'none', status, fault: fault?.kind });
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0];
    const work = path.startsWith('/__sandbox/') ? handleAdmin(req, res, path) : path.startsWith('/latest/') ? handleMetadata(req, res, path) : handleApi(req, res, rawUrl);
    work.catch((e) => {
      if (!res.headersSent) {
        const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', 'Internal error.');
        sendJson(res, err.status, errorBody(newRequestId(), err.code, err.message));
      } else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`The SLB sandbox cannot listen on ${bindHost}:${options.port ?? 0}: ${e.code === 'EADDRINUSE' ? 'the port is already in use (pick another with --port, or 0 for any free port)' : e.message}`)),
    );
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  url = `http://${hostForUrl}:${port}`;
  try {
    await syncAll();
  } catch (e) {
    log(`SLB sandbox data plane: ${(e as Error).message}`);
  }

  let closed: Promise<void> | undefined;
  const handle: SandboxHandle = {
    url,
    host: bindHost,
    port,
    endpoint: `${hostForUrl}:${port}`,
    accessKeyId,
    state: snapshot,
    injectFault: (f) => {
      faults.push(validateFault(f));
    },
    clearFaults: () => {
      faults = [];
    },
    issuedCredentials: () => sts.issuedCredentials(),
    reset,
    async waitForHealth(loadBalancerId: string, listenerPort: number, status: HealthStatus, timeoutMs = 5000, protocol?: ListenerProtocol) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lb = store.loadBalancers.find((x) => x.LoadBalancerId === loadBalancerId);
        const l = lb?.listeners.find((x) => x.ListenerPort === listenerPort && (!protocol || x.ListenerProtocol === protocol));
        if (lb && l && dataPlane.health(lb.LoadBalancerId, l).status === status) return true;
        if (Date.now() >= deadline) return false;
        await sleep(20);
      }
    },
    close() {
      closed ??= (async () => {
        for (const r of hung) r.destroy();
        hung.clear();
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await dataPlane.shutdown();
        await done;
      })();
      return closed;
    },
  };
  return handle;
}
