/**
 * Finding Alibaba Cloud credentials the way Alibaba's own tools do, without anything that can
 * stall the editor: no ECS metadata probe and no network call unless a profile asks for one.
 *
 * Order (first usable source wins):
 *   1. explicit   — passed in by the host (the VS Code client keeps them in SecretStorage);
 *   2. env        — ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET
 *                   (+ ALIBABA_CLOUD_SECURITY_TOKEN → STS);
 *   3. aliyun-cli — ~/.aliyun/config.json, profile = chosen name, else env ALIBABA_CLOUD_PROFILE,
 *                   else `current`; modes AK, StsToken, RamRoleArn, ChainableRamRoleArn,
 *                   EcsRamRole and CredentialsURI (others are reported as not supported, with what
 *                   to do instead, and the lookup goes on). Disabled by
 *                   ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true like the official chain;
 *   4. credentials-file — ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE), INI,
 *                   section = chosen name, else ALIBABA_CLOUD_PROFILE, else `default`; types
 *                   access_key, ram_role_arn, ecs_ram_role, credentials_uri.
 *
 * Files are read with `readUserFile` (a FIFO, device or directory is refused before any read, so
 * nothing can keep the process alive), all of them together bounded by `timeoutMs`. The modes that
 * fetch credentials (roleCredentials.ts) run only when the chosen profile has that mode, each
 * bounded by its own connect/read timeouts; the result carries a refreshing Credential.
 *
 * Region: the explicit region setting, else the profile's (`region_id`), else undefined (the UI asks).
 *
 * The stock `new Credential()` default chain of @alicloud/credentials is deliberately NOT used:
 * with nothing configured it probes 100.100.100.200 and `https://undefined/` (seconds of waiting).
 *
 * Secrets live only in the non-enumerable `credentials` / `credential` properties of a found
 * result; JSON and `describeCredentialSource()` never show them.
 *
 * Transport-free: no vscode import.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { defaultTranslate, isSlbApiError, maskKeyId, Translate } from './slbErrors';
import { readUserFile } from '../userFile';
import { DEFAULT_METADATA_ENDPOINT, DEFAULT_STS_HOST, displayUrl, FetchOptions, providerFor, RoleSpec } from './roleCredentials';

// `ini` ships no types and @types/ini is not installed: type the one function we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ini = require('ini') as { parse(text: string): Record<string, unknown> };

export type CredentialSource = 'explicit' | 'env' | 'aliyun-cli' | 'credentials-file';

/** How the found credentials are obtained. */
export type CredentialMode = 'AK' | 'StsToken' | 'RamRoleArn' | 'ChainableRamRoleArn' | 'EcsRamRole' | 'CredentialsURI';

export interface StaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CredentialLookupInput {
  /** From the host (SecretStorage). Empty strings count as absent. */
  explicit?: StaticCredentials | null;
  /** Environment (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Home directory (default `os.homedir()`). */
  homeDir?: string;
  /** Profile chosen in the settings (aliyun CLI profile name / INI section). */
  profile?: string;
  /** Region chosen in the settings; wins over the profile's region. */
  region?: string;
  /**
   * STS endpoint for RamRoleArn (setting `aliyunSlbLabels.stsEndpoint`): wins over env
   * ALIBABA_CLOUD_STS_ENDPOINT, the profile's `sts_endpoint` / `sts_region`, and `sts.aliyuncs.com`.
   */
  stsEndpoint?: string;
  /** ECS metadata endpoint for EcsRamRole: wins over env ALIBABA_CLOUD_ECS_METADATA_ENDPOINT and `http://100.100.100.200`. */
  metadataEndpoint?: string;
  /** Upper bound for all file reads together (default 1000 ms). */
  timeoutMs?: number;
  /** Bounds of the network fetches (STS, metadata, credentials URI). */
  fetch?: FetchOptions;
  t?: Translate;
}

/** A problem met on the way (a source present but unusable). Safe to log. */
export interface CredentialProblem {
  source: CredentialSource;
  code: 'unsupported-mode' | 'incomplete' | 'profile-not-found' | 'unreadable' | 'invalid-json' | 'invalid-ini' | 'timeout' | 'fetch-failed';
  profile?: string;
  file?: string;
  message: string;
}

interface ResultCommon {
  /** Region: setting, else profile, else undefined. */
  region?: string;
  regionSource?: 'setting' | 'profile' | 'env';
  /** Problems met before the winning source (or all of them when nothing was found). */
  problems: CredentialProblem[];
}

export interface CredentialsFound extends ResultCommon {
  ok: true;
  source: CredentialSource;
  /** aliyun CLI profile name / INI section; undefined for explicit and env. */
  profile?: string;
  /** The file the credentials were read from. */
  file?: string;
  kind: 'access_key' | 'sts';
  /** How they are obtained (AK and StsToken are static; the others are fetched and refreshed). */
  mode: CredentialMode;
  /** RamRoleArn: the role assumed; EcsRamRole: the instance role (when named); CredentialsURI: the URI without query. */
  role?: string;
  /** Fetched credentials: when the current ones expire (epoch ms), if known. */
  expiresAt?: number;
  /** Masked key id (`SAND****0001`), safe to show. For fetched modes, the current STS key id. */
  maskedAccessKeyId: string;
  /** The current secrets. NON-enumerable: not in JSON.stringify, not in util.inspect. */
  readonly credentials: StaticCredentials;
  /** Fetched modes: a refreshing `@alicloud/credentials` Credential. NON-enumerable. Use {@link toCredential}. */
  readonly credential?: Credential;
}

export interface CredentialsNotFound extends ResultCommon {
  ok: false;
  /** 'none' = nothing configured anywhere; otherwise the most relevant problem's code. */
  reason: 'none' | CredentialProblem['code'];
  /** A sentence for the user (localised). */
  message: string;
}

export type CredentialLookupResult = CredentialsFound | CredentialsNotFound;

/** A static `@alicloud/credentials` Credential (type access_key, or sts with a token). No network. */
export function makeStaticCredential(c: StaticCredentials): Credential {
  const config = c.securityToken
    ? new CredentialConfig({ type: 'sts', accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken })
    : new CredentialConfig({ type: 'access_key', accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret });
  return new Credential(config);
}

/** The Credential to hand to openapi-core / SlbClient for a found result (refreshing for fetched modes). */
export function toCredential(found: CredentialsFound): Credential {
  return found.credential ?? makeStaticCredential(found.credentials);
}

function nonEmpty(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s === '' ? undefined : s;
}

function isTrue(v: string | undefined): boolean {
  return !!v && /^(1|true|yes|on)$/i.test(v.trim());
}

/** `~/…` for messages when the file is under home. */
function displayPath(file: string, home: string): string {
  if (home && (file === home || file.startsWith(home + path.sep))) return '~' + file.slice(home.length);
  return file;
}

const MAX_FILE_BYTES = 1024 * 1024;

type FileRead = { text?: string; problem?: string };

/** undefined text and no problem = the file does not exist (not configured). */
async function readCredentialFile(file: string, shown: string, expected: string, t: Translate): Promise<FileRead> {
  const r = await readUserFile(file, { maxBytes: MAX_FILE_BYTES, displayName: shown, expected, advice: t('Replace it with a regular file, or remove it.') });
  if (r.ok) return { text: r.text };
  if (r.problem === 'missing') return {};
  return { problem: r.message };
}

interface FoundBase {
  source: CredentialSource;
  profile?: string;
  file?: string;
  region?: string;
  regionSource?: ResultCommon['regionSource'];
  problems: CredentialProblem[];
  mode: CredentialMode;
  role?: string;
  expiresAt?: number;
}

function makeFound(base: FoundBase, creds: StaticCredentials, credential?: Credential): CredentialsFound {
  const found = {
    ok: true as const,
    ...base,
    kind: creds.securityToken ? ('sts' as const) : ('access_key' as const),
    maskedAccessKeyId: maskKeyId(creds.accessKeyId),
  } as CredentialsFound;
  Object.defineProperty(found, 'credentials', { value: Object.freeze({ ...creds }), enumerable: false, writable: false });
  if (credential) Object.defineProperty(found, 'credential', { value: credential, enumerable: false, writable: false });
  return found;
}

interface SourceOutcome {
  creds?: StaticCredentials;
  /** A mode that fetches its credentials (fetched after the file phase, with its own bounds). */
  fetch?: RoleSpec;
  mode?: CredentialMode;
  role?: string;
  profile?: string;
  file?: string;
  region?: string;
  problems: CredentialProblem[];
}

interface LookupContext {
  env: Record<string, string | undefined>;
  home: string;
  t: Translate;
  stsEndpoint?: string;
  metadataEndpoint: string;
}

/**
 * Find credentials. Never rejects. File reads are bounded by `timeoutMs` and never block;
 * the network is used only for a profile whose mode fetches credentials, bounded per request.
 */
export async function resolveCredentials(input: CredentialLookupInput = {}): Promise<CredentialLookupResult> {
  const t = input.t ?? defaultTranslate;
  const env = input.env ?? process.env;
  const home = input.homeDir ?? safeHomedir();
  const chosenProfile = nonEmpty(input.profile) ?? nonEmpty(env.ALIBABA_CLOUD_PROFILE);
  const regionSetting = nonEmpty(input.region);
  const problems: CredentialProblem[] = [];
  const ctx: LookupContext = {
    env, home, t,
    stsEndpoint: nonEmpty(input.stsEndpoint) ?? nonEmpty(env.ALIBABA_CLOUD_STS_ENDPOINT),
    metadataEndpoint: nonEmpty(input.metadataEndpoint) ?? nonEmpty(env.ALIBABA_CLOUD_ECS_METADATA_ENDPOINT) ?? DEFAULT_METADATA_ENDPOINT,
  };

  const regionOf = (o: { region?: string }, regionFromEnv?: string) => {
    const profileRegion = nonEmpty(o.region);
    const region = regionSetting ?? profileRegion ?? regionFromEnv;
    const regionSource = regionSetting ? 'setting' as const : profileRegion ? 'profile' as const : regionFromEnv ? 'env' as const : undefined;
    return { region, regionSource };
  };
  const finish = (source: CredentialSource, o: SourceOutcome, regionFromEnv?: string): CredentialsFound =>
    makeFound({ source, profile: o.profile, file: o.file, ...regionOf(o, regionFromEnv), problems: [...problems], mode: o.mode ?? (o.creds?.securityToken ? 'StsToken' : 'AK') }, o.creds!);

  // 1. explicit
  const ex = input.explicit;
  if (ex && nonEmpty(ex.accessKeyId) && nonEmpty(ex.accessKeySecret)) {
    return finish('explicit', {
      creds: { accessKeyId: ex.accessKeyId.trim(), accessKeySecret: ex.accessKeySecret.trim(), securityToken: nonEmpty(ex.securityToken) },
      problems: [],
    });
  }

  // 2. environment
  const envId = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_ID);
  const envSecret = nonEmpty(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  if (envId && envSecret) {
    return finish('env', {
      creds: { accessKeyId: envId, accessKeySecret: envSecret, securityToken: nonEmpty(env.ALIBABA_CLOUD_SECURITY_TOKEN) },
      problems: [],
    }, nonEmpty(env.ALIBABA_CLOUD_REGION_ID));
  }
  if (envId || envSecret) {
    problems.push({ source: 'env', code: 'incomplete',
      message: envId
        ? t('ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not.')
        : t('ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not.') });
  }

  // 3 + 4: files, bounded in time (and each read refuses what could block).
  const timeoutMs = input.timeoutMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  let winner: { source: CredentialSource; outcome: SourceOutcome } | undefined;
  try {
    const files = (async () => {
      if (!isTrue(env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED) && home) {
        const cli = await fromAliyunCli(path.join(home, '.aliyun', 'config.json'), chosenProfile, ctx);
        problems.push(...cli.problems);
        if (cli.creds || cli.fetch) return { source: 'aliyun-cli' as const, outcome: cli };
      }
      const iniFile = nonEmpty(env.ALIBABA_CLOUD_CREDENTIALS_FILE) ?? (home ? path.join(home, '.alibabacloud', 'credentials') : undefined);
      if (iniFile) {
        const f = await fromCredentialsFile(iniFile, chosenProfile ?? 'default', ctx);
        problems.push(...f.problems);
        if (f.creds || f.fetch) return { source: 'credentials-file' as const, outcome: f };
      }
      return undefined;
    })();
    const r = await Promise.race([files, timedOut]);
    if (r === 'timeout') {
      problems.push({ source: 'aliyun-cli', code: 'timeout', message: t('Reading the credential files took longer than {0} ms; skipped.', timeoutMs) });
    } else {
      winner = r;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }

  if (winner?.outcome.creds) return finish(winner.source, winner.outcome);
  if (winner?.outcome.fetch) {
    const o = winner.outcome;
    const provider = providerFor(o.fetch!, { ...input.fetch, t });
    try {
      const c = await provider.get();
      return makeFound(
        { source: winner.source, profile: o.profile, file: o.file, ...regionOf(o), problems: [...problems], mode: o.mode!, role: o.role, expiresAt: c.expiresAt },
        { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken },
        provider.toCredential(),
      );
    } catch (e) {
      const message = isSlbApiError(e) ? e.message : t('Could not get the credentials of profile "{0}".', o.profile ?? '');
      problems.push({ source: winner.source, code: 'fetch-failed', profile: o.profile, file: o.file,
        message: t('Profile "{0}" ({1}): {2}', o.profile ?? '', o.mode ?? '', message) });
    }
  }

  // Nothing usable.
  const first = problems.find((p) => p.code === 'fetch-failed') ?? problems.find((p) => p.code === 'unsupported-mode') ?? problems[0];
  return {
    ok: false,
    reason: first ? first.code : 'none',
    message: first
      ? first.message
      : t('No Alibaba Cloud credentials found: set an AccessKey, set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile with the aliyun CLI.'),
    region: regionSetting,
    regionSource: regionSetting ? 'setting' : undefined,
    problems,
  };
}

function safeHomedir(): string {
  try { return os.homedir(); } catch { return ''; }
}

type AliyunProfile = Record<string, unknown> & { name?: unknown; mode?: unknown };

/** What to do instead, for modes that stay unsupported. */
function unsupportedAdvice(mode: string, t: Translate): string {
  switch (mode) {
    case 'CloudSSO':
      return t('CloudSSO sign-in needs a browser and is not done by this tool: sign in with the aliyun CLI, export the temporary credentials as ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN, or use a RamRoleArn or AK profile.');
    case 'OIDC':
      return t('OIDC role sessions exist inside ACK pods; outside of them use a RamRoleArn, StsToken or AK profile, or export ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN.');
    default:
      return t('use an AK, StsToken, RamRoleArn, EcsRamRole or CredentialsURI profile, or set an AccessKey.');
  }
}

function durationOf(v: unknown): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 900 && n <= 43_200 ? n : 3600;
}

function stsEndpointOf(p: Record<string, unknown>, ctx: LookupContext): string {
  const region = nonEmpty(p.sts_region);
  const vpc = isTrue(nonEmpty(p.enable_vpc) ?? (typeof p.enable_vpc === 'boolean' && p.enable_vpc ? 'true' : undefined));
  return ctx.stsEndpoint ?? nonEmpty(p.sts_endpoint) ?? (region ? `sts${vpc ? '-vpc' : ''}.${region}.aliyuncs.com` : DEFAULT_STS_HOST);
}

function roleSessionName(p: Record<string, unknown>): string {
  const given = nonEmpty(p.ram_session_name) ?? nonEmpty(p.role_session_name);
  return given && /^[\w.@-]{2,64}$/.test(given) ? given : 'slb-labels';
}

async function fromAliyunCli(file: string, chosen: string | undefined, ctx: LookupContext): Promise<SourceOutcome> {
  const { t, home } = ctx;
  const shown = displayPath(file, home);
  const read = await readCredentialFile(file, shown, t('the aliyun CLI configuration (a JSON file)'), t);
  if (read.problem) return { problems: [{ source: 'aliyun-cli', code: 'unreadable', file, message: read.problem }] };
  if (read.text === undefined) return { problems: [] };
  let conf: { current?: unknown; profiles?: unknown };
  try {
    conf = JSON.parse(read.text.replace(/^\uFEFF/, ''));
  } catch {
    return { problems: [{ source: 'aliyun-cli', code: 'invalid-json', file, message: t('{0} is not valid JSON; ignored.', shown) }] };
  }
  const profiles = Array.isArray(conf?.profiles) ? (conf.profiles as AliyunProfile[]).filter((x) => x && typeof x === 'object') : [];
  const name = chosen ?? nonEmpty(conf?.current) ?? 'default';
  const p = profiles.find((x) => x.name === name);
  if (!p) {
    // Only worth reporting when the user chose it, or when the file has profiles at all.
    return profiles.length > 0 || chosen
      ? { problems: [{ source: 'aliyun-cli', code: 'profile-not-found', profile: name, file, message: t('Profile "{0}" is not in {1}.', name, shown) }] }
      : { problems: [] };
  }
  return cliProfile(p, name, profiles, file, ctx, 0);
}

/** One aliyun CLI profile; `depth` bounds ChainableRamRoleArn's source_profile chain. */
function cliProfile(p: AliyunProfile, name: string, profiles: AliyunProfile[], file: string, ctx: LookupContext, depth: number): SourceOutcome {
  const { t } = ctx;
  const mode = nonEmpty(p.mode) ?? 'AK';
  const region = nonEmpty(p.region_id);
  const where = { profile: name, file, region };
  const problem = (code: CredentialProblem['code'], message: string): SourceOutcome =>
    ({ ...where, problems: [{ source: 'aliyun-cli', code, profile: name, file, message }] });
  const id = nonEmpty(p.access_key_id);
  const secret = nonEmpty(p.access_key_secret);
  switch (mode) {
    case 'AK':
    case 'StsToken': {
      const token = nonEmpty(p.sts_token);
      if (!id || !secret || (mode === 'StsToken' && !token)) {
        return problem('incomplete', t('The aliyun CLI profile "{0}" ({1}) lacks its AccessKey ID, secret or STS token.', name, mode));
      }
      return { ...where, mode, creds: { accessKeyId: id, accessKeySecret: secret, securityToken: mode === 'StsToken' ? token : undefined }, problems: [] };
    }
    case 'RamRoleArn':
    case 'ChainableRamRoleArn': {
      const roleArn = nonEmpty(p.ram_role_arn);
      let base: StaticCredentials | undefined;
      if (mode === 'RamRoleArn') {
        if (id && secret) base = { accessKeyId: id, accessKeySecret: secret, securityToken: nonEmpty(p.sts_token) };
      } else {
        const sourceName = nonEmpty(p.source_profile);
        const source = sourceName ? profiles.find((x) => x.name === sourceName) : undefined;
        if (!source || depth >= 4) {
          return problem('incomplete', t('The aliyun CLI profile "{0}" (ChainableRamRoleArn) names the source profile "{1}", which is not usable (missing, or a chain longer than 4).', name, sourceName ?? ''));
        }
        const inner = cliProfile(source, sourceName!, profiles, file, ctx, depth + 1);
        if (!inner.creds) {
          return problem('unsupported-mode', t('The source profile "{0}" of "{1}" must be an AK or StsToken profile.', sourceName!, name));
        }
        base = inner.creds;
      }
      if (!base || !roleArn) {
        return problem('incomplete', t('The aliyun CLI profile "{0}" ({1}) lacks its AccessKey ID, secret or ram_role_arn.', name, mode));
      }
      return {
        ...where, mode, role: roleArn, problems: [],
        fetch: { kind: 'ram-role-arn', base, roleArn, sessionName: roleSessionName(p), durationSeconds: durationOf(p.expired_seconds), externalId: nonEmpty(p.external_id), stsEndpoint: stsEndpointOf(p, ctx) },
      };
    }
    case 'EcsRamRole': {
      const roleName = nonEmpty(p.ram_role_name);
      return { ...where, mode, role: roleName, problems: [],
        fetch: { kind: 'ecs-ram-role', roleName, metadataEndpoint: ctx.metadataEndpoint, imdsV1Disabled: isTrue(ctx.env.ALIBABA_CLOUD_IMDSV1_DISABLED) } };
    }
    case 'CredentialsURI': {
      const uri = nonEmpty(p.credentials_uri);
      if (!uri) return problem('incomplete', t('The aliyun CLI profile "{0}" (CredentialsURI) lacks credentials_uri.', name));
      return { ...where, mode, role: displayUrl(uri), problems: [], fetch: { kind: 'credentials-uri', uri } };
    }
    default:
      return problem('unsupported-mode', t('The aliyun CLI profile "{0}" uses mode {1}, which is not supported: {2}', name, mode, unsupportedAdvice(mode, t)));
  }
}

async function fromCredentialsFile(file: string, section: string, ctx: LookupContext): Promise<SourceOutcome> {
  const { t, home } = ctx;
  const shown = displayPath(file, home);
  const read = await readCredentialFile(file, shown, t('a credentials file (INI)'), t);
  if (read.problem) return { problems: [{ source: 'credentials-file', code: 'unreadable', file, message: read.problem }] };
  if (read.text === undefined) return { problems: [] };
  let parsed: Record<string, unknown>;
  try {
    parsed = ini.parse(read.text);
  } catch {
    return { problems: [{ source: 'credentials-file', code: 'invalid-ini', file, message: t('{0} could not be parsed; ignored.', shown) }] };
  }
  const sec = parsed[section];
  if (!sec || typeof sec !== 'object') {
    return { problems: [{ source: 'credentials-file', code: 'profile-not-found', profile: section, file, message: t('Section [{0}] is not in {1}.', section, shown) }] };
  }
  const s = sec as Record<string, unknown>;
  const type = nonEmpty(s.type) ?? (nonEmpty(s.access_key_id) ? 'access_key' : undefined);
  const region = nonEmpty(s.region_id) ?? nonEmpty(s.region);
  const where = { profile: section, file, region };
  const problem = (code: CredentialProblem['code'], message: string): SourceOutcome =>
    ({ ...where, problems: [{ source: 'credentials-file', code, profile: section, file, message }] });
  const id = nonEmpty(s.access_key_id);
  const secret = nonEmpty(s.access_key_secret);
  switch (type) {
    case 'access_key':
      if (!id || !secret) return problem('incomplete', t('Section [{0}] of {1} lacks access_key_id or access_key_secret.', section, shown));
      return { ...where, mode: 'AK', creds: { accessKeyId: id, accessKeySecret: secret }, problems: [] };
    case 'ram_role_arn': {
      const roleArn = nonEmpty(s.role_arn);
      if (!id || !secret || !roleArn) return problem('incomplete', t('Section [{0}] of {1} lacks access_key_id, access_key_secret or role_arn.', section, shown));
      return { ...where, mode: 'RamRoleArn', role: roleArn, problems: [],
        fetch: { kind: 'ram-role-arn', base: { accessKeyId: id, accessKeySecret: secret }, roleArn, sessionName: roleSessionName(s), durationSeconds: 3600, policy: nonEmpty(s.policy), stsEndpoint: ctx.stsEndpoint ?? DEFAULT_STS_HOST } };
    }
    case 'ecs_ram_role': {
      const roleName = nonEmpty(s.role_name);
      return { ...where, mode: 'EcsRamRole', role: roleName, problems: [],
        fetch: { kind: 'ecs-ram-role', roleName, metadataEndpoint: ctx.metadataEndpoint, imdsV1Disabled: isTrue(ctx.env.ALIBABA_CLOUD_IMDSV1_DISABLED) } };
    }
    case 'credentials_uri': {
      const uri = nonEmpty(s.credentials_uri);
      if (!uri) return problem('incomplete', t('Section [{0}] of {1} lacks credentials_uri.', section, shown));
      return { ...where, mode: 'CredentialsURI', role: displayUrl(uri), problems: [], fetch: { kind: 'credentials-uri', uri } };
    }
    default:
      return problem('unsupported-mode', t('The credential type {0} in section [{1}] of {2} is not supported: use access_key, ram_role_arn, ecs_ram_role or credentials_uri, or set an AccessKey.', String(type ?? '?'), section, shown));
  }
}

/**
 * One line, safe to log and show: where the credentials come from, masked key id, region.
 * Never contains the secret or the token.
 */
export function describeCredentialSource(r: CredentialLookupResult, t: Translate = defaultTranslate, homeDir?: string): string {
  if (!r.ok) return r.message;
  const home = homeDir ?? safeHomedir();
  const file = r.file ? displayPath(r.file, home) : '';
  const kind = r.kind === 'sts' ? t('STS token') : t('AccessKey');
  let where: string;
  switch (r.source) {
    case 'explicit': where = t('{0} {1} stored in the editor', kind, r.maskedAccessKeyId); break;
    case 'env': where = t('{0} {1} from environment variables', kind, r.maskedAccessKeyId); break;
    case 'aliyun-cli': where = t('{0} {1} from aliyun CLI profile "{2}" ({3})', kind, r.maskedAccessKeyId, r.profile ?? '', file); break;
    case 'credentials-file': where = t('{0} {1} from [{2}] in {3}', kind, r.maskedAccessKeyId, r.profile ?? '', file); break;
  }
  switch (r.mode) {
    case 'RamRoleArn':
    case 'ChainableRamRoleArn':
      where += ' ' + t('(assumed role {0})', r.role ?? '');
      break;
    case 'EcsRamRole':
      where += ' ' + (r.role ? t('(ECS instance role {0})', r.role) : t('(ECS instance role)'));
      break;
    case 'CredentialsURI':
      where += ' ' + t('(from {0})', r.role ?? '');
      break;
  }
  const region = r.region ? t('region {0}', r.region) : t('no region');
  return `${where}, ${region}`;
}
