// In-memory state of the sandbox, built from a seed (JSON file or object).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LoadBalancerStatus, SeedBackendServer, SeedLoadBalancer, SeedObject, SeedRegion, SeedTag } from './types';
import { Params } from './params';
import { buildListener, Listener, listenerKey, transportOf } from './listeners';
import { ApiError } from './wire';
import defaultSeedJson from '../seed/default.json';

export interface LoadBalancer {
  LoadBalancerId: string;
  LoadBalancerName: string;
  RegionId: string;
  LoadBalancerStatus: LoadBalancerStatus;
  Address: string;
  AddressType: string;
  AddressIPVersion: string;
  NetworkType: string;
  VpcId: string;
  VSwitchId: string;
  MasterZoneId: string;
  SlaveZoneId: string;
  Bandwidth?: number;
  InternetChargeType: string;
  InstanceChargeType: string;
  PayType: string;
  LoadBalancerSpec: string;
  CreateTime: string;
  CreateTimeStamp: number;
  ResourceGroupId: string;
  DeleteProtection: string;
  Tags: SeedTag[];
  BackendServers: Required<SeedBackendServer>[];
  listeners: Listener[];
}

export interface ServerCertificate {
  ServerCertificateId: string;
  ServerCertificateName: string;
  RegionId: string;
  ResourceGroupId: string;
  CreateTime: string;
  CreateTimeStamp: number;
  Fingerprint: string;
  CommonName: string;
  SubjectAlternativeNames: string[];
  ExpireTime: string;
  ExpireTimeStamp: number;
  Tags: SeedTag[];
  certificatePem: string;
  privateKeyPem: string;
}

export const DEFAULT_SEED = defaultSeedJson as unknown as SeedObject;

const isoNoMillis = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** 127.0.0.2 → 127.0.0.3 …; stays inside 127.0.0.0/8. */
export function nthAddress(base: string, n: number): string {
  const parts = base.split('.').map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isInteger(x) || x < 0 || x > 255) || parts[0] !== 127) {
    throw new Error(`addressBase must be an IPv4 loopback address (127.x.y.z); got "${base}".`);
  }
  const v = ((parts[1] << 16) | (parts[2] << 8) | parts[3]) + n;
  if (v > 0xfffffe) throw new Error(`Too many load balancers for addressBase ${base}.`);
  return `127.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`;
}

export function loadSeed(seed: string | SeedObject | undefined): SeedObject {
  if (seed === undefined) return structuredClone(DEFAULT_SEED);
  if (typeof seed !== 'string') return structuredClone(seed);
  let text: string;
  try {
    text = readFileSync(seed, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the seed file ${seed}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedObject;
  } catch (e) {
    throw new Error(`The seed file ${seed} is not valid JSON: ${(e as Error).message}`);
  }
}

export class Store {
  regions: SeedRegion[] = [];
  loadBalancers: LoadBalancer[] = [];
  certificates: ServerCertificate[] = [];

  constructor(seed: SeedObject, addressBase: string) {
    if (!seed || !Array.isArray(seed.regions) || !Array.isArray(seed.loadBalancers)) {
      throw new Error('Invalid seed: it needs "regions" and "loadBalancers" arrays.');
    }
    this.regions = seed.regions.map((r) => {
      if (!r.RegionId || !r.LocalName) throw new Error('Invalid seed: every region needs RegionId and LocalName.');
      return { ...r };
    });
    for (const c of seed.serverCertificates ?? []) this.certificates.push(this.makeCertificate(c));
    const ids = new Set<string>();
    seed.loadBalancers.forEach((s, i) => {
      if (ids.has(s.LoadBalancerId)) throw new Error(`Invalid seed: duplicate LoadBalancerId ${s.LoadBalancerId}.`);
      ids.add(s.LoadBalancerId);
      this.loadBalancers.push(this.makeLoadBalancer(s, nthAddress(addressBase, i)));
    });
  }

  hasRegion(id: string): boolean {
    return this.regions.some((r) => r.RegionId === id);
  }

  certificate(id: string, regionId?: string): ServerCertificate | undefined {
    return this.certificates.find((c) => c.ServerCertificateId === id && (!regionId || c.RegionId === regionId));
  }

  private makeCertificate(c: NonNullable<SeedObject['serverCertificates']>[number]): ServerCertificate {
    const where = `Invalid seed: server certificate ${c.ServerCertificateId}`;
    if (!c.ServerCertificateId || !c.RegionId || !c.Certificate || !c.PrivateKey) throw new Error(`${where}: ServerCertificateId, RegionId, Certificate and PrivateKey are required.`);
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(c.Certificate);
      createPrivateKey(c.PrivateKey);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1] ?? '';
    const sans = (x509.subjectAltName ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4));
    const expire = Date.parse(x509.validTo);
    const created = c.CreateTime ? Date.parse(c.CreateTime) : Date.parse(x509.validFrom);
    return {
      ServerCertificateId: c.ServerCertificateId,
      ServerCertificateName: c.ServerCertificateName ?? c.ServerCertificateId,
      RegionId: c.RegionId,
      ResourceGroupId: c.ResourceGroupId ?? '',
      CreateTime: isoNoMillis(created),
      CreateTimeStamp: created,
      Fingerprint: x509.fingerprint.toLowerCase(),
      CommonName: cn,
      SubjectAlternativeNames: sans,
      ExpireTime: isoNoMillis(expire),
      ExpireTimeStamp: expire,
      Tags: (c.Tags ?? []).map((t) => ({ ...t })),
      certificatePem: c.Certificate,
      privateKeyPem: c.PrivateKey,
    };
  }

  private makeLoadBalancer(s: SeedLoadBalancer, address: string): LoadBalancer {
    const where = `Invalid seed: load balancer ${s.LoadBalancerId ?? '(no id)'}`;
    if (!s.LoadBalancerId || !s.LoadBalancerName || !s.RegionId) throw new Error(`${where}: LoadBalancerId, LoadBalancerName and RegionId are required.`);
    if (!this.hasRegion(s.RegionId)) throw new Error(`${where}: region ${s.RegionId} is not in "regions".`);
    const created = s.CreateTime ? Date.parse(s.CreateTime) : Date.UTC(2024, 0, 1);
    if (Number.isNaN(created)) throw new Error(`${where}: CreateTime is not a date.`);
    const classic = s.NetworkType === 'classic';
    const lb: LoadBalancer = {
      LoadBalancerId: s.LoadBalancerId,
      LoadBalancerName: s.LoadBalancerName,
      RegionId: s.RegionId,
      LoadBalancerStatus: s.LoadBalancerStatus ?? 'active',
      Address: address,
      AddressType: s.AddressType ?? 'internet',
      AddressIPVersion: s.AddressIPVersion ?? 'ipv4',
      NetworkType: s.NetworkType ?? 'vpc',
      VpcId: classic ? '' : s.VpcId ?? '',
      VSwitchId: classic ? '' : s.VSwitchId ?? '',
      MasterZoneId: s.MasterZoneId ?? `${s.RegionId}-a`,
      SlaveZoneId: s.SlaveZoneId ?? `${s.RegionId}-b`,
      Bandwidth: s.Bandwidth,
      InternetChargeType: s.InternetChargeType ?? 'paybytraffic',
      InstanceChargeType: s.InstanceChargeType ?? 'PayBySpec',
      PayType: s.PayType ?? 'PayOnDemand',
      LoadBalancerSpec: s.LoadBalancerSpec ?? 'slb.s1.small',
      CreateTime: isoNoMillis(created),
      CreateTimeStamp: created,
      ResourceGroupId: s.ResourceGroupId ?? '',
      DeleteProtection: s.DeleteProtection ?? 'off',
      Tags: (s.Tags ?? []).map((t) => ({ ...t })),
      BackendServers: (s.BackendServers ?? []).map((b) => ({
        ServerId: b.ServerId,
        ServerIp: b.ServerIp ?? '',
        Weight: b.Weight ?? 100,
        Type: b.Type ?? 'ecs',
        Description: b.Description ?? '',
      })),
      listeners: [],
    };
    for (const sl of s.Listeners ?? []) {
      const map = new Map<string, string>();
      for (const [k, v] of Object.entries(sl)) if (v !== undefined && k !== 'Status' && k !== 'ListenerProtocol') map.set(k, String(v));
      if (!['tcp', 'udp', 'http', 'https'].includes(sl.ListenerProtocol)) throw new Error(`${where}: listener protocol "${sl.ListenerProtocol}" is not tcp, udp, http or https.`);
      let l: Listener;
      try {
        l = buildListener(sl.ListenerProtocol, lb.LoadBalancerId, new Params(map), { certificateExists: (id) => !!this.certificate(id, lb.RegionId) });
      } catch (e) {
        const msg = e instanceof ApiError ? `${e.code}: ${e.message}` : (e as Error).message;
        throw new Error(`${where}, listener ${sl.ListenerProtocol}/${sl.ListenerPort}: ${msg}`);
      }
      if (lb.listeners.some((x) => x.ListenerPort === l.ListenerPort && transportOf(x.ListenerProtocol) === transportOf(l.ListenerProtocol))) {
        throw new Error(`${where}: two listeners on port ${l.ListenerPort} (${listenerKey(l)}).`);
      }
      l.Status = sl.Status === 'running' ? 'running' : 'stopped';
      lb.listeners.push(l);
    }
    return lb;
  }
}
