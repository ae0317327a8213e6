/**
 * Finding Alibaba Cloud credentials the way Alibaba's own tools do, without anything that can
 * stall the editor (no ECS metadata probe, no credentials URI, no STS/OIDC network calls).
 *
 * Order (first usable source wins):
 *   1. explicit   — passed in by the host (the VS Code client keeps them in SecretStorage);
 *   2. env        — ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET
 *                   (+ ALIBABA_CLOUD_SECURITY_TOKEN → STS);
 *   3. aliyun-cli — ~/.aliyun/config.json, profile = chosen name, else env ALIBABA_CLOUD_PROFILE,
 *                   else `current`; modes AK and StsToken (other modes are reported as not
 *                   supported yet, and the lookup goes on). Disabled by
 *                   ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true like the official chain;
 *   4. credentials-file — ~/.alibabacloud/credentials (or ALIBABA_CLOUD_CREDENTIALS_FILE), INI,
 *                   section = chosen name, else ALIBABA_CLOUD_PROFILE, else `default`; type access_key.
 *
 * Region: the explicit region setting, else the profile's (`region_id`), else undefined (the UI asks).
 *
 * The stock `new Credential()` default chain of @alicloud/credentials is deliberately NOT used:
 * with nothing configured it probes 100.100.100.200 and `https://undefined/` (seconds of waiting).
 * We build a static `Credential` (type access_key or sts) from what we found.
 *
 * Secrets live only in the non-enumerable `credentials` property of a found result; JSON and
 * `describeCredentialSource()` never show them.
 *
 * Transport-free: no vscode import.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { defaultTranslate, maskKeyId, Translate } from './slbErrors';

// `ini` ships no types and @types/ini is not installed: type the one function we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ini = require('ini') as { parse(text: string): Record<string, unknown> };

export type CredentialSource = 'explicit' | 'env' | 'aliyun-cli' | 'credentials-file';

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
  /** Upper bound for all file reads together (default 1000 ms). */
  timeoutMs?: number;
  t?: Translate;
}

/** A problem met on the way (a source present but unusable). Safe to log. */
export interface CredentialProblem {
  source: CredentialSource;
  code: 'unsupported-mode' | 'incomplete' | 'profile-not-found' | 'unreadable' | 'invalid-json' | 'invalid-ini' | 'timeout';
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
  /** Masked key id (`SAND****0001`), safe to show. */
  maskedAccessKeyId: string;
  /** The secrets. NON-enumerable: not in JSON.stringify, not in util.inspect. */
  readonly credentials: StaticCredentials;
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

/** The Credential to hand to openapi-core for a found result. */
export function toCredential(found: CredentialsFound): Credential {
  return makeStaticCredential(found.credentials);
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

async function readSmallFile(file: string): Promise<string | undefined> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_FILE_BYTES) throw Object.assign(new Error('not a small regular file'), { code: 'ETOOBIG' });
    return await handle.readFile('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function makeFound(
  base: Omit<CredentialsFound, 'credentials' | 'maskedAccessKeyId' | 'kind' | 'ok'>,
  creds: StaticCredentials,
): CredentialsFound {
  const found = {
    ok: true as const,
    ...base,
    kind: creds.securityToken ? ('sts' as const) : ('access_key' as const),
    maskedAccessKeyId: maskKeyId(creds.accessKeyId),
  } as CredentialsFound;
  Object.defineProperty(found, 'credentials', { value: Object.freeze({ ...creds }), enumerable: false, writable: false });
  return found;
}

interface SourceOutcome {
  creds?: StaticCredentials;
  profile?: string;
  file?: string;
  region?: string;
  problems: CredentialProblem[];
}

/**
 * Find credentials. Never rejects, never touches the network; bounded by `timeoutMs`.
 */
export async function resolveCredentials(input: CredentialLookupInput = {}): Promise<CredentialLookupResult> {
  const t = input.t ?? defaultTranslate;
  const env = input.env ?? process.env;
  const home = input.homeDir ?? safeHomedir();
  const chosenProfile = nonEmpty(input.profile) ?? nonEmpty(env.ALIBABA_CLOUD_PROFILE);
  const regionSetting = nonEmpty(input.region);
  const problems: CredentialProblem[] = [];

  const finish = (source: CredentialSource, o: SourceOutcome, regionFromEnv?: string): CredentialsFound => {
    const profileRegion = nonEmpty(o.region);
    const region = regionSetting ?? profileRegion ?? regionFromEnv;
    const regionSource = regionSetting ? 'setting' : profileRegion ? 'profile' : regionFromEnv ? 'env' : undefined;
    return makeFound({ source, profile: o.profile, file: o.file, region, regionSource, problems: [...problems] }, o.creds!);
  };

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

  // 3 + 4: files, bounded in time.
  const timeoutMs = input.timeoutMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  try {
    const files = (async () => {
      if (!isTrue(env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED) && home) {
        const cli = await fromAliyunCli(path.join(home, '.aliyun', 'config.json'), chosenProfile, home, t);
        problems.push(...cli.problems);
        if (cli.creds) return finish('aliyun-cli', cli);
      }
      const iniFile = nonEmpty(env.ALIBABA_CLOUD_CREDENTIALS_FILE) ?? (home ? path.join(home, '.alibabacloud', 'credentials') : undefined);
      if (iniFile) {
        const f = await fromCredentialsFile(iniFile, chosenProfile ?? 'default', home, t);
        problems.push(...f.problems);
        if (f.creds) return finish('credentials-file', f);
      }
      return undefined;
    })();
    const r = await Promise.race([files, timedOut]);
    if (r === 'timeout') {
      problems.push({ source: 'aliyun-cli', code: 'timeout', message: t('Reading the credential files took longer than {0} ms; skipped.', timeoutMs) });
    } else if (r) {
      return r;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }

  // Nothing usable.
  const first = problems.find((p) => p.code === 'unsupported-mode') ?? problems[0];
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

interface AliyunProfile {
  name?: unknown;
  mode?: unknown;
  access_key_id?: unknown;
  access_key_secret?: unknown;
  sts_token?: unknown;
  region_id?: unknown;
}

async function fromAliyunCli(file: string, chosen: string | undefined, home: string, t: Translate): Promise<SourceOutcome> {
  const shown = displayPath(file, home);
  let text: string | undefined;
  try {
    text = await readSmallFile(file);
  } catch (e) {
    return { problems: [{ source: 'aliyun-cli', code: 'unreadable', file, message: t('Cannot read {0} ({1}).', shown, String((e as NodeJS.ErrnoException).code ?? 'error')) }] };
  }
  if (text === undefined) return { problems: [] };
  let conf: { current?: unknown; profiles?: unknown };
  try {
    conf = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { problems: [{ source: 'aliyun-cli', code: 'invalid-json', file, message: t('{0} is not valid JSON; ignored.', shown) }] };
  }
  const profiles = Array.isArray(conf?.profiles) ? (conf.profiles as AliyunProfile[]) : [];
  const name = chosen ?? nonEmpty(conf?.current) ?? 'default';
  const p = profiles.find((x) => x && x.name === name);
  if (!p) {
    // Only worth reporting when the user chose it, or when the file has profiles at all.
    return profiles.length > 0 || chosen
      ? { problems: [{ source: 'aliyun-cli', code: 'profile-not-found', profile: name, file, message: t('Profile "{0}" is not in {1}.', name, shown) }] }
      : { problems: [] };
  }
  const mode = nonEmpty(p.mode) ?? 'AK';
  const region = nonEmpty(p.region_id);
  if (mode !== 'AK' && mode !== 'StsToken') {
    return { profile: name, file, region, problems: [{ source: 'aliyun-cli', code: 'unsupported-mode', profile: name, file,
      message: t('The aliyun CLI profile "{0}" uses mode {1}, which is not supported yet: use an AK or StsToken profile, or set an AccessKey.', name, mode) }] };
  }
  const id = nonEmpty(p.access_key_id);
  const secret = nonEmpty(p.access_key_secret);
  const token = nonEmpty(p.sts_token);
  if (!id || !secret || (mode === 'StsToken' && !token)) {
    return { profile: name, file, region, problems: [{ source: 'aliyun-cli', code: 'incomplete', profile: name, file,
      message: t('The aliyun CLI profile "{0}" ({1}) lacks its AccessKey ID, secret or STS token.', name, mode) }] };
  }
  return { creds: { accessKeyId: id, accessKeySecret: secret, securityToken: mode === 'StsToken' ? token : undefined }, profile: name, file, region, problems: [] };
}

async function fromCredentialsFile(file: string, section: string, home: string, t: Translate): Promise<SourceOutcome> {
  const shown = displayPath(file, home);
  let text: string | undefined;
  try {
    text = await readSmallFile(file);
  } catch (e) {
    return { problems: [{ source: 'credentials-file', code: 'unreadable', file, message: t('Cannot read {0} ({1}).', shown, String((e as NodeJS.ErrnoException).code ?? 'error')) }] };
  }
  if (text === undefined) return { problems: [] };
  let parsed: Record<string, unknown>;
  try {
    parsed = ini.parse(text);
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
  if (type !== 'access_key') {
    return { profile: section, file, region, problems: [{ source: 'credentials-file', code: 'unsupported-mode', profile: section, file,
      message: t('The credential type {0} in section [{1}] of {2} is not supported yet: use type access_key, or set an AccessKey.', String(type ?? '?'), section, shown) }] };
  }
  const id = nonEmpty(s.access_key_id);
  const secret = nonEmpty(s.access_key_secret);
  if (!id || !secret) {
    return { profile: section, file, region, problems: [{ source: 'credentials-file', code: 'incomplete', profile: section, file,
      message: t('Section [{0}] of {1} lacks access_key_id or access_key_secret.', section, shown) }] };
  }
  return { creds: { accessKeyId: id, accessKeySecret: secret }, profile: section, file, region, problems: [] };
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
  const region = r.region ? t('region {0}', r.region) : t('no region');
  return `${where}, ${region}`;
}
