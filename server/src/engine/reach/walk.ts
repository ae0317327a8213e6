// The reachability walk: label -> SLB -> address -> listener -> backend health -> data plane ->
// application, stopping at the first component that blocks the path. Transport-free; the only
// network it touches is the SLB API (through the given client) and the SLB address that API returned.
import * as net from 'net';
import { isSlbApiError } from '../cloud/slbErrors';
import type { HealthStatusBackendServer, ListenerSummary, LoadBalancerSummary } from '../cloud/slbTypes';
import { t } from '../i18n';
import { blockerWords } from './blockerWords';
import { looksLikeSlbId } from '../labels/lbLabel';
import { httpProbe, isRedisImage, respLineComplete, tcpProbe, udpProbe } from './probes';
import type { BlockerCode, ReachOptions, ReachResult, ReachStep, ReachTarget } from './types';

const DEFAULT_TIMEOUT_MS = 3000;
const INTRANET_TIMEOUT_MS = 1500;
/** After a TCP connect, how long to watch for an immediate close (front with no backend). */
const SETTLE_MS = 150;

interface RunCaches {
  slbs: Map<string, Promise<LoadBalancerSummary[]>>;
  listeners: Map<string, Promise<ListenerSummary[]>>;
  health: Map<string, Promise<HealthStatusBackendServer[]>>;
}

class Blocked extends Error {
  constructor(readonly code: BlockerCode, readonly fix: string) {
    super(code);
  }
}

/**
 * Walks every target (bounded concurrency; each probe bounded by `timeoutMs`, so the whole run takes
 * about one probe timeout when concurrency covers the labels). Results in the order of `targets`.
 * Never rejects: API failures become `API_ERROR`, cancellation `CANCELLED`.
 */
export async function checkReachability(targets: ReachTarget[], options: ReachOptions): Promise<ReachResult[]> {
  const caches: RunCaches = { slbs: new Map(), listeners: new Map(), health: new Map() };
  const results: ReachResult[] = new Array(targets.length);
  const limit = Math.max(1, Math.min(options.concurrency ?? 16, 64));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < targets.length) {
      const index = next++;
      const result = await walkOne(targets[index], options, caches);
      results[index] = result;
      done++;
      try {
        options.onResult?.(result, done, targets.length);
      } catch {
        // a progress callback's failure is not the walk's
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
  return results;
}

async function walkOne(target: ReachTarget, options: ReachOptions, caches: RunCaches): Promise<ReachResult> {
  const started = Date.now();
  const timeoutMs = Math.max(100, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const steps: ReachStep[] = [];
  const result: ReachResult = {
    label: target.label,
    service: target.service,
    slb: target.slb ?? null,
    frontPort: target.frontPort ?? null,
    protocol: target.protocol,
    backendPort: target.backendPort ?? null,
    binding: target.binding,
    reachable: false,
    confirmed: false,
    blocker: null,
    fix: null,
    steps,
    latencyMs: null,
    slbId: null,
    address: null,
    durationMs: 0,
  };
  const step = (name: ReachStep['name'], ok: boolean, detail: string) => steps.push({ name, ok, detail });
  try {
    // 1. The label resolves.
    if (target.problems.length > 0) {
      const p = target.problems[0];
      step('label', false, `${p.message} [${p.code}]` + (target.problems.length > 1 ? t(' (+{0} more)', target.problems.length - 1) : ''));
      throw new Blocked('LABEL_INVALID', t('Fix the problems the editor/`slb-labels lint` reports on this label first.'));
    }
    if (target.unresolved.length > 0 || !target.slb || target.frontPort === undefined || target.backendPort === undefined) {
      const vars = target.unresolved.filter((v) => v !== 'backend-port' && v !== 'value');
      if (vars.length > 0) {
        step('label', false, t('Variables without a value: {0}.', vars.map((v) => '${' + v + '}').join(', ')));
        throw new Blocked('LABEL_UNRESOLVED', t('Set them in the .env file next to the compose file (or in the environment of this check).'));
      }
      step('label', false, t('The backend port is not known: the ports mapping of container port {0} uses a variable without a value.', target.containerPort ?? '?'));
      throw new Blocked('LABEL_UNRESOLVED', t('Give the variables of the ports mapping a value in .env, or publish the port as a fixed host port.'));
    }
    const slbRef = target.slb;
    const frontPort = target.frontPort;
    const backendPort = target.backendPort;
    const protocol = target.protocol;
    step('label', true, t('{0} on backend port {1}', target.binding, backendPort));
    checkCancelled(options.signal);

    // 2. The SLB exists in the region and is active.
    const all = await api(() => lookupSlb(slbRef, options, caches), 'DescribeLoadBalancers', step, 'slb');
    const matches = all.filter((lb) => lb.LoadBalancerId === slbRef || lb.LoadBalancerName === slbRef);
    const region = options.region ?? '';
    if (matches.length === 0) {
      step('slb', false, t("No SLB named or with the ID '{0}' in region {1}.", slbRef, region));
      throw new Blocked('SLB_NOT_FOUND', t('Check the name (names are case-sensitive) and the region; create the SLB in {0} or point the check at the region it lives in.', region));
    }
    if (matches.length > 1) {
      step('slb', false, t("{0} SLBs in {1} are named '{2}': {3}.", matches.length, region, slbRef, matches.map((m) => m.LoadBalancerId).join(', ')));
      throw new Blocked('SLB_AMBIGUOUS', t('Use the SLB ID instead of the name in the label, e.g. {0}://{1}:{2}.', protocol, matches[0].LoadBalancerId, frontPort));
    }
    const lb = matches[0];
    result.slbId = lb.LoadBalancerId;
    const status = lb.LoadBalancerStatus ?? '';
    if (status !== 'active') {
      step('slb', false, t('{0} ({1}) is {2}, not active.', lb.LoadBalancerName || lb.LoadBalancerId, lb.LoadBalancerId, status || t('in an unknown state')));
      throw new Blocked('SLB_INACTIVE', status === 'locked'
        ? t('The SLB is locked (often an overdue payment): settle the account or unlock it in the SLB console.')
        : t('Start the SLB instance in the SLB console (or choose an active SLB for this label).'));
    }
    step('slb', true, t('{0} ({1}) is active in {2}.', lb.LoadBalancerName || lb.LoadBalancerId, lb.LoadBalancerId, lb.RegionId ?? region));

    // 3. Its address.
    const address = lb.Address ?? '';
    if (!address || net.isIP(address) === 0) {
      step('address', false, address ? t("The API returned '{0}', which is not an IP address; nothing is probed.", address) : t('The API returned no address for this SLB.'));
      throw new Blocked('ADDRESS_MISSING', t('Check the SLB in the console: it has no usable service address.'));
    }
    result.address = address;
    const intranet = lb.AddressType === 'intranet';
    const probeTimeout = intranet ? Math.min(timeoutMs, INTRANET_TIMEOUT_MS) : timeoutMs;
    if (intranet) {
      step('address', true, lb.VpcId
        ? t('{0} is an intranet address: reachable only from inside VPC {1}. Trying anyway with a {2} ms timeout.', address, lb.VpcId, probeTimeout)
        : t('{0} is an intranet address: reachable only from inside its VPC. Trying anyway with a {1} ms timeout.', address, probeTimeout));
    } else {
      step('address', true, `${address} (${lb.AddressType || 'internet'})`);
    }
    checkCancelled(options.signal);

    // 4. A listener on the front port with the label's protocol and backend port, running.
    const listeners = await api(() => listenersOf(lb.LoadBalancerId, options, caches), 'DescribeLoadBalancerListeners', step, 'listener');
    const space = (p: string) => (p === 'udp' ? 'udp' : 'tcp');
    const onPort = listeners.filter((l) => Number(l.ListenerPort) === frontPort && space(String(l.ListenerProtocol).toLowerCase()) === space(protocol));
    const listener = onPort.find((l) => String(l.ListenerProtocol).toLowerCase() === protocol);
    const upper = protocol.toUpperCase();
    if (!listener) {
      if (onPort.length > 0) {
        const other = onPort[0];
        step('listener', false, t('Front port {0} has a {1} listener; the label wants {2}.', frontPort, String(other.ListenerProtocol).toUpperCase(), upper));
        throw new Blocked('LISTENER_PROTOCOL_MISMATCH', t('Change the scheme of the label to {0}, or delete that listener and create a {1} listener on port {2}.', String(other.ListenerProtocol).toLowerCase(), upper, frontPort));
      }
      step('listener', false, t('No {0} listener on front port {1}.', upper, frontPort));
      throw new Blocked('LISTENER_MISSING', t('Create it with "Provision listener" (slb-labels provision): {0} {1} -> backend port {2}.', upper, frontPort, backendPort));
    }
    const listenerBackend = listener.BackendServerPort !== undefined ? Number(listener.BackendServerPort) : undefined;
    if (listenerBackend !== undefined && listenerBackend !== backendPort) {
      step('listener', false, t('The {0} listener on {1} forwards to backend port {2}; the service publishes {3}.', upper, frontPort, listenerBackend, backendPort));
      throw new Blocked('LISTENER_BACKEND_PORT_MISMATCH', t('Publish the service on host port {0}, or recreate the listener with backend port {1}.', listenerBackend, backendPort));
    }
    const listenerStatus = String(listener.Status ?? '');
    if (listenerStatus !== 'running') {
      step('listener', false, t('The {0} listener on {1} is {2}.', upper, frontPort, listenerStatus || t('in an unknown state')));
      throw new Blocked('LISTENER_STOPPED', t('Start the listener: "Provision listener" starts it, or StartLoadBalancerListener / the SLB console.'));
    }
    step('listener', true, listenerBackend !== undefined
      ? t('{0} {1} -> backend port {2}, running.', upper, frontPort, listenerBackend)
      : t('{0} {1} -> server group {2}, running.', upper, frontPort, listener.VServerGroupId ?? '?'));
    checkCancelled(options.signal);

    // 5. Backend health.
    const servers = (await api(() => healthOf(lb.LoadBalancerId, frontPort, protocol, options, caches), 'DescribeHealthStatus', step, 'health'))
      .filter((s) => s.ListenerPort === undefined || Number(s.ListenerPort) === frontPort);
    if (servers.length === 0) {
      step('health', false, t('No backend servers are attached to this listener.'));
      throw new Blocked('NO_BACKENDS', t('Add the ECS instances (or ENIs) that run service {0} as backend servers of the SLB.', target.service));
    }
    const describe = (s: HealthStatusBackendServer) => `${s.ServerId ?? '?'} (${s.ServerIp ?? '?'}:${s.Port ?? backendPort})`;
    const normal = servers.filter((s) => s.ServerHealthStatus === 'normal');
    const abnormal = servers.filter((s) => s.ServerHealthStatus === 'abnormal');
    if (normal.length === 0 && abnormal.length > 0) {
      step('health', false, t('All {0} backends fail the health check: {1}.', servers.length, abnormal.map(describe).join(', ')));
      throw new Blocked('BACKENDS_UNHEALTHY', t('Make service {0} listen on host port {1} on {2} (docker compose ps / logs), and check security groups allow the SLB health check.', target.service, backendPort, abnormal.map(describe).join(', ')));
    }
    if (normal.length === 0) {
      step('health', true, t('Health status unavailable for {0} backend(s) (health check off or not run yet); the data plane decides.', servers.length));
    } else if (abnormal.length > 0) {
      step('health', true, t('{0} of {1} backends healthy; down: {2}.', normal.length, servers.length, abnormal.map(describe).join(', ')));
    } else {
      step('health', true, t('{0} of {1} backends healthy.', normal.length, servers.length));
    }
    checkCancelled(options.signal);

    // 6. The data plane from this machine (and 7. the application, for Redis images).
    const intranetBlock = (failedDetail: string): never => {
      step(dataStep(protocol), false, failedDetail);
      throw new Blocked('ADDRESS_INTRANET', t('This machine is not in the SLB\'s VPC: run the check from an ECS instance in that VPC (or over VPN/Express Connect), or use an internet SLB.'));
    };
    if (protocol === 'udp') {
      const r = await udpProbe(address, frontPort, { timeoutMs: probeTimeout, signal: options.signal });
      checkCancelled(options.signal);
      if (r.answered) {
        step('udp', true, t('{0}:{1} answered the probe datagram ({2} bytes) in {3} ms.', address, frontPort, r.bytes ?? 0, r.replyMs ?? 0));
        result.latencyMs = r.replyMs ?? null;
        result.confirmed = true;
      } else if (r.failure === 'refused' || r.failure === 'unreachable') {
        const detail = t('{0}:{1} refused the datagram (ICMP port unreachable: {2}).', address, frontPort, r.error ?? '');
        if (intranet) intranetBlock(detail);
        step('udp', false, detail);
        throw new Blocked('CONNECT_REFUSED', t('Nothing listens on UDP {0} at the SLB address: check the listener is running.', frontPort));
      } else {
        step('udp', true, t('Sent a datagram to {0}:{1}; no answer within {2} ms. No answer is not proof of failure: UDP services often answer only valid requests.', address, frontPort, probeTimeout));
      }
    } else if (protocol === 'http' || protocol === 'https') {
      const secure = protocol === 'https';
      const r = await httpProbe(address, frontPort, secure, { timeoutMs: probeTimeout, signal: options.signal });
      checkCancelled(options.signal);
      const cert = r.certificate;
      const certText = cert
        ? t('certificate {0}, expires {1}{2}{3}', cert.subject || '?', cert.expires ?? cert.validTo, cert.selfSigned ? t(', self-signed') : '', !cert.trusted && !cert.selfSigned && cert.trustError ? t(', not trusted here ({0})', cert.trustError) : '')
        : '';
      if (r.status === undefined) {
        if (r.failure === 'tls') {
          step('https', false, t('TLS handshake with {0}:{1} failed: {2}.', address, frontPort, r.error ?? ''));
          throw new Blocked('TLS_HANDSHAKE_FAILED', t('Check the listener\'s server certificate and TLS policy.'));
        }
        const detail = connectFailureText(address, frontPort, r.failure, r.error, probeTimeout, r.connected);
        if (intranet && !r.connected) intranetBlock(detail);
        step(protocol, false, (cert ? `${certText}; ` : '') + detail);
        throw connectBlocked(r.failure, r.connected, frontPort, protocol, target.service, backendPort);
      }
      result.latencyMs = r.responseMs ?? null;
      const gatewayError = r.status === 502 || r.status === 503 || r.status === 504;
      const statusText = `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`;
      const detail = secure
        ? t('TLS ok ({0}); GET / answered {1} in {2} ms.', certText, statusText, r.responseMs ?? 0)
        : t('GET / answered {0} in {1} ms.', statusText, r.responseMs ?? 0);
      if (gatewayError) {
        step(protocol, false, detail + ' ' + t('The SLB answered for a backend it could not reach.'));
        throw new Blocked('HTTP_ERROR', t('Make service {0} answer HTTP on host port {1}; the SLB gets no usable answer from it.', target.service, backendPort));
      }
      step(protocol, true, detail);
      result.confirmed = true;
    } else {
      const redis = isRedisImage(target.image);
      const r = await tcpProbe(address, frontPort, redis
        ? { timeoutMs: probeTimeout, send: Buffer.from('PING\r\n'), complete: respLineComplete, signal: options.signal }
        : { timeoutMs: probeTimeout, settleMs: Math.min(SETTLE_MS, probeTimeout), signal: options.signal });
      checkCancelled(options.signal);
      if (!r.connected) {
        const detail = connectFailureText(address, frontPort, r.failure, r.error, probeTimeout, false);
        if (intranet) intranetBlock(detail);
        step('connect', false, detail);
        throw connectBlocked(r.failure, false, frontPort, protocol);
      }
      if (!redis && r.failure) {
        step('connect', false, t('Connected to {0}:{1} in {2} ms, but the SLB closed the connection at once: no backend took it.', address, frontPort, r.connectMs ?? 0));
        throw new Blocked('CONNECT_REFUSED', t('Make service {0} listen on host port {1} on the backend servers.', target.service, backendPort));
      }
      step('connect', true, t('Connected to {0}:{1} in {2} ms.', address, frontPort, r.connectMs ?? 0));
      result.latencyMs = r.connectMs ?? null;
      result.confirmed = true;
      if (redis) {
        const line = r.reply ? r.reply.toString('latin1').split('\r\n')[0].slice(0, 80) : '';
        if (line.startsWith('+PONG')) {
          step('app', true, t('Redis answered +PONG to PING in {0} ms.', r.replyMs ?? 0));
          result.latencyMs = r.replyMs ?? result.latencyMs;
        } else if (/^-(NOAUTH|WRONGPASS)/.test(line)) {
          step('app', true, t('Redis answered "{0}" to PING in {1} ms: it is Redis, and it wants a password.', line, r.replyMs ?? 0));
          result.latencyMs = r.replyMs ?? result.latencyMs;
        } else {
          const why = line
            ? t('answered "{0}" instead of +PONG', line.replace(/[^\x20-\x7e]/g, '?'))
            : r.failure === 'timeout'
              ? t('no answer within {0} ms', probeTimeout)
              : t('the connection was closed without an answer');
          step('app', false, t('Redis PING through the SLB: {0}.', why));
          throw new Blocked('APP_PROBE_FAILED', t('Check that service {0} ({1}) runs Redis on host port {2} of the backend servers.', target.service, target.image ?? '', backendPort));
        }
      }
    }
    result.reachable = true;
  } catch (e) {
    if (e instanceof Blocked) {
      result.blocker = e.code;
      result.blockerText = blockerWords(e.code);
      result.fix = e.fix;
    } else {
      result.blocker = 'API_ERROR';
      result.fix = t('Unexpected failure: {0}', e instanceof Error ? e.message : String(e));
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

function dataStep(protocol: string): ReachStep['name'] {
  return protocol === 'udp' ? 'udp' : protocol === 'http' ? 'http' : protocol === 'https' ? 'https' : 'connect';
}

function connectFailureText(address: string, port: number, failure: string | undefined, error: string | undefined, timeoutMs: number, connected: boolean): string {
  // Connected, then silence: the read phase ran out, not the connect phase.
  if (connected && failure === 'timeout') return t('Connected to {0}:{1}, but no answer came within {2} ms.', address, port, timeoutMs);
  if (connected) return t('Connected to {0}:{1}, then the connection failed ({2}).', address, port, error ?? failure ?? '');
  if (failure === 'refused') return t('Connection to {0}:{1} refused.', address, port);
  if (failure === 'timeout') return t('No connection to {0}:{1} within {2} ms.', address, port, timeoutMs);
  return t('Could not connect to {0}:{1} ({2}).', address, port, error ?? failure ?? '');
}

function connectBlocked(failure: string | undefined, connected: boolean, frontPort: number, protocol: string, service?: string, backendPort?: number): Blocked {
  if (connected && failure === 'timeout') {
    return new Blocked('HTTP_ERROR', t('The SLB accepted the connection, but nothing answered: make service {0} answer {1} on host port {2} promptly (a backend that accepts and never answers looks like this).', service ?? '?', protocol.toUpperCase(), backendPort ?? '?'));
  }
  if (failure === 'refused' || connected) return new Blocked('CONNECT_REFUSED', t('Nothing accepts connections on {0} port {1} at the SLB address: check the listener is running, and the backend servers.', protocol.toUpperCase(), frontPort));
  return new Blocked('CONNECT_TIMEOUT', t('Check the network path from this machine to the SLB (firewall, proxy, ACL on the listener).'));
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Blocked('CANCELLED', t('The check was cancelled.'));
}

async function api<T>(call: () => Promise<T>, action: string, step: (name: ReachStep['name'], ok: boolean, detail: string) => void, name: ReachStep['name']): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const message = isSlbApiError(e) ? e.message : e instanceof Error ? e.message : String(e);
    step(name, false, t('{0} failed: {1}', action, message));
    throw new Blocked('API_ERROR', isSlbApiError(e) && e.kind === 'credentials'
      ? t('Set up credentials (AccessKey, aliyun CLI profile or credentials file) and try again.')
      : t('Check credentials, region and endpoint, then try again.'));
  }
}

function callOpts(options: ReachOptions) {
  return { signal: options.signal, readTimeoutMs: options.apiTimeoutMs ?? Math.max(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 5000) };
}

function lookupSlb(ref: string, options: ReachOptions, caches: RunCaches): Promise<LoadBalancerSummary[]> {
  let p = caches.slbs.get(ref);
  if (!p) {
    const request = looksLikeSlbId(ref) ? { LoadBalancerId: ref, PageSize: 100 } : { LoadBalancerName: ref, PageSize: 100 };
    p = options.client.describeLoadBalancers(request, callOpts(options)).then((b) => b.LoadBalancers?.LoadBalancer ?? []);
    caches.slbs.set(ref, p);
  }
  return p;
}

function listenersOf(id: string, options: ReachOptions, caches: RunCaches): Promise<ListenerSummary[]> {
  let p = caches.listeners.get(id);
  if (!p) {
    p = (async () => {
      const all: ListenerSummary[] = [];
      let token: string | undefined;
      for (let page = 0; page < 20; page++) {
        const body = await options.client.describeLoadBalancerListeners({ LoadBalancerId: [id], MaxResults: 100, NextToken: token }, callOpts(options));
        all.push(...(body.Listeners ?? []));
        token = body.NextToken || undefined;
        if (!token) break;
      }
      return all;
    })();
    caches.listeners.set(id, p);
  }
  return p;
}

function healthOf(id: string, port: number, protocol: string, options: ReachOptions, caches: RunCaches): Promise<HealthStatusBackendServer[]> {
  const key = `${id}\u0000${port}\u0000${protocol}`;
  let p = caches.health.get(key);
  if (!p) {
    p = options.client
      .describeHealthStatus({ LoadBalancerId: id, ListenerPort: port, ListenerProtocol: protocol as 'tcp' }, callOpts(options))
      .then((b) => b.BackendServers?.BackendServer ?? []);
    caches.health.set(key, p);
  }
  return p;
}
