// The sandbox's imitation of the credential services: STS AssumeRole (signed RPC, version
// 2015-04-01, the real error codes and response shape), the ECS metadata service's RAM role
// credentials (IMDSv2 token optional), and a credentials-URI answer. Credentials it issues are
// accepted by the sandbox's SLB API with their security token, until they expire.
import { randomBytes } from 'node:crypto';
import type { SandboxCredentials } from './signature';
import { ApiError } from './wire';

export const STS_API_VERSION = '2015-04-01';
export const SANDBOX_ACCOUNT_ID = '1234567890123456';
export const DEFAULT_ROLE_ARN = `acs:ram::${SANDBOX_ACCOUNT_ID}:role/slb-sandbox-operator`;
export const DEFAULT_ECS_ROLE_NAME = 'slb-sandbox-ecs-role';
/** A second AccessKey that exists but may not assume any role (→ NoPermission). */
export const NO_ROLE_ACCESS_KEY_ID = 'SANDBOXNOROLEKEY0002';
export const NO_ROLE_ACCESS_KEY_SECRET = 'sandbox-norole-secret-not-real';

export interface SandboxRole {
  /** `acs:ram::<account>:role/<name>` */
  arn: string;
  /** AccessKey IDs the role's trust policy allows (default: the sandbox's main AccessKey). */
  trusted?: string[];
  /** Max session duration in seconds (default 3600, like a new RAM role). */
  maxSessionDuration?: number;
}

export interface StsOptions {
  roles?: SandboxRole[];
  /** ECS instance role served by the metadata endpoint (default slb-sandbox-ecs-role); null = none. */
  ecsRoleName?: string | null;
  /** Lifetime of issued credentials in ms, overriding DurationSeconds (tests of expiry/refresh). */
  issuedTtlMs?: number;
}

export interface SandboxKey extends SandboxCredentials {
  /** Issued STS credentials: epoch ms after which the token is refused as expired. */
  expiresAt?: number;
}

interface Issued extends SandboxKey {
  securityToken: string;
  expiresAt: number;
  roleArn: string;
}

const MAX_ISSUED = 2000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/[+/=]/g, '');
}

export class SandboxSts {
  private issued = new Map<string, Issued>();
  private metadataTokens = new Map<string, number>();
  readonly roles: SandboxRole[];
  readonly ecsRoleName: string | null;

  constructor(
    private readonly mainKey: SandboxCredentials,
    private readonly options: StsOptions,
    private readonly now: () => number,
  ) {
    this.roles = options.roles ?? [{ arn: DEFAULT_ROLE_ARN }];
    this.ecsRoleName = options.ecsRoleName === undefined ? DEFAULT_ECS_ROLE_NAME : options.ecsRoleName;
  }

  /** Every AccessKey the sandbox accepts: the main one, the no-role one, and unexpired issued STS keys. */
  lookup(id: string): SandboxKey | undefined {
    if (id === this.mainKey.accessKeyId) return this.mainKey;
    if (id === NO_ROLE_ACCESS_KEY_ID) return { accessKeyId: NO_ROLE_ACCESS_KEY_ID, accessKeySecret: NO_ROLE_ACCESS_KEY_SECRET };
    return this.issued.get(id); // expired ones too: the signature checks out, the token is refused as expired
  }

  /** How many STS credentials were issued and are still valid (state()). */
  issuedCount(): number {
    const now = this.now();
    return [...this.issued.values()].filter((i) => i.expiresAt > now).length;
  }

  /** Every credential issued so far (for leak checks in tests; never served over HTTP, never in state()). */
  issuedCredentials(): Array<{ accessKeyId: string; accessKeySecret: string; securityToken: string; expiresAt: number }> {
    return [...this.issued.values()].map((i) => ({ accessKeyId: i.accessKeyId, accessKeySecret: i.accessKeySecret, securityToken: i.securityToken, expiresAt: i.expiresAt }));
  }

  clear(): void {
    this.issued.clear();
    this.metadataTokens.clear();
  }

  private issue(roleArn: string, durationSeconds: number): Issued {
    const now = this.now();
    for (const k of this.issued.keys()) if (this.issued.size >= MAX_ISSUED) this.issued.delete(k);
    const ttl = this.options.issuedTtlMs ?? durationSeconds * 1000;
    const i: Issued = {
      accessKeyId: `STS.${token(18).slice(0, 24)}`,
      accessKeySecret: token(30).slice(0, 40),
      securityToken: `CAIS${token(120)}`,
      expiresAt: now + ttl,
      roleArn,
    };
    this.issued.set(i.accessKeyId, i);
    return i;
  }

  /** STS AssumeRole, called with an already verified signature of `callerKeyId`. */
  assumeRole(callerKeyId: string, params: Map<string, string>): Record<string, unknown> {
    const arn = params.get('RoleArn');
    if (!arn) throw new ApiError(400, 'MissingParameter.RoleArn', 'The input parameter "RoleArn" that is mandatory for processing this request is not supplied.');
    const session = params.get('RoleSessionName');
    if (!session) throw new ApiError(400, 'MissingParameter.RoleSessionName', 'The input parameter "RoleSessionName" that is mandatory for processing this request is not supplied.');
    if (!/^[\w.@-]{2,64}$/.test(session)) throw new ApiError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    if (!/^acs:ram::\d+:role\/[\w.@-]+$/i.test(arn)) throw new ApiError(400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
    const role = this.roles.find((r) => r.arn.toLowerCase() === arn.toLowerCase());
    if (!role) throw new ApiError(404, 'EntityNotExist.Role', `The role not exists: ${arn}.`);
    const caller = this.issued.get(callerKeyId)?.roleArn;
    const trusted = role.trusted ?? [this.mainKey.accessKeyId];
    // An assumed role may assume a role again (ChainableRamRoleArn) when the main key could.
    if (!trusted.includes(callerKeyId) && !(caller && trusted.includes(this.mainKey.accessKeyId))) {
      throw new ApiError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
    }
    const max = role.maxSessionDuration ?? 3600;
    const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : 3600;
    if (!Number.isInteger(duration) || duration < 900) throw new ApiError(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
    if (duration > max) throw new ApiError(400, 'InvalidParameter.DurationSeconds', `The DurationSeconds is beyond the MaxSessionDuration (${max}) of the role.`);
    const i = this.issue(role.arn, duration);
    return {
      AssumedRoleUser: { Arn: `${role.arn}/${session}`, AssumedRoleId: `3${token(12).slice(0, 17)}:${session}` },
      Credentials: { AccessKeyId: i.accessKeyId, AccessKeySecret: i.accessKeySecret, SecurityToken: i.securityToken, Expiration: iso(i.expiresAt) },
    };
  }

  /** A credentials-URI answer (the aliyun CLI's format): fresh credentials of the first role. */
  credentialsUri(): Record<string, unknown> {
    const i = this.issue(this.roles[0]?.arn ?? DEFAULT_ROLE_ARN, 3600);
    return { Code: 'Success', AccessKeyId: i.accessKeyId, AccessKeySecret: i.accessKeySecret, SecurityToken: i.securityToken, Expiration: iso(i.expiresAt) };
  }

  /**
   * The metadata service (`/latest/...`). Returns [status, content type, body].
   * IMDSv2: PUT /latest/api/token gives a session token; a request that sends one must send a valid one.
   */
  metadata(method: string, path: string, headers: Record<string, string | string[] | undefined>): [number, string, string] {
    const text = 'text/plain';
    const now = this.now();
    if (path === '/latest/api/token') {
      if (method !== 'PUT') return [405, text, 'Method Not Allowed'];
      const ttl = Number(headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return [400, text, 'Bad Request: x-aliyun-ecs-metadata-token-ttl-seconds must be 1..21600'];
      const t = token(32);
      for (const [k, exp] of this.metadataTokens) if (exp <= now) this.metadataTokens.delete(k);
      if (this.metadataTokens.size < MAX_ISSUED) this.metadataTokens.set(t, now + ttl * 1000);
      return [200, text, t];
    }
    if (method !== 'GET') return [405, text, 'Method Not Allowed'];
    const sent = headers['x-aliyun-ecs-metadata-token'];
    if (sent !== undefined) {
      const exp = this.metadataTokens.get(String(sent));
      if (!exp || exp <= now) return [401, text, 'Unauthorized'];
    }
    const prefix = '/latest/meta-data/ram/security-credentials/';
    if (path === prefix || path === prefix.slice(0, -1)) {
      return this.ecsRoleName ? [200, text, this.ecsRoleName] : [404, text, '404 - Not Found'];
    }
    if (path.startsWith(prefix)) {
      const name = decodeURIComponent(path.slice(prefix.length));
      if (!this.ecsRoleName || name !== this.ecsRoleName) return [404, text, '404 - Not Found'];
      const i = this.issue(`acs:ram::${SANDBOX_ACCOUNT_ID}:role/${name}`, 6 * 3600);
      return [200, 'application/json', JSON.stringify({
        AccessKeyId: i.accessKeyId, AccessKeySecret: i.accessKeySecret, Expiration: iso(i.expiresAt),
        SecurityToken: i.securityToken, LastUpdated: iso(now), Code: 'Success',
      })];
    }
    return [404, text, '404 - Not Found'];
  }
}
