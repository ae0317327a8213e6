// `slb-labels migrate <compose file> [--out dir]`: compose services with aliyun.lb.port_* labels ->
// Kubernetes manifests (engine/k8s/migrate.ts). With credentials and a region, SLB names are
// resolved to IDs through the account catalog; without (or with --offline) they stay placeholders.
import * as fs from 'fs';
import * as path from 'path';
import type { CatalogSnapshot } from '../engine/cloud/catalog';
import { SlbCatalog } from '../engine/cloud/catalog';
import { describeCredentialSource, resolveCredentials, toCredential } from '../engine/cloud/credentials';
import { SlbClient } from '../engine/cloud/slbClient';
import { loadEnvBeside } from '../engine/compose/dotEnv';
import { normaliseLocale, setLocale, t } from '../engine/i18n';
import { ManifestAnalyzer } from '../engine/k8s/analyze';
import { migrateCompose, SlbResolution } from '../engine/k8s/migrate';
import { ArgsIo, COMMANDS, parseCommand, stringValue } from './args';
import { readUserFileSync } from '../engine/userFile';

export interface MigrateCliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface MigrateCliArgs {
  file?: string;
  out?: string;
  service?: string;
  offline?: boolean;
  region?: string;
  endpoint?: string;
  profile?: string;
  locale?: string;
}

/** Name -> ID from a catalog snapshot: exactly one CLB of that name, or a stated problem. */
export function snapshotResolver(snapshot: CatalogSnapshot): (name: string) => SlbResolution {
  return (name) => {
    const matches = snapshot.byName.get(name) ?? [];
    if (matches.length === 1) return { id: matches[0].id };
    if (matches.length > 1) return { problem: 'ambiguous', candidates: matches.map((m) => m.id) };
    return { problem: 'not-found' };
  };
}

async function catalogSnapshot(args: MigrateCliArgs, io: MigrateCliIo): Promise<CatalogSnapshot | undefined> {
  const env = io.env ?? process.env;
  const found = await resolveCredentials({ env, homeDir: io.homeDir, profile: args.profile, region: args.region, t });
  if (!found.ok || !found.region) {
    io.err(t('slb-labels migrate: no credentials or no region ({0}): SLB names stay placeholders.', found.ok ? t('no region') : found.message) + '\n');
    return undefined;
  }
  const credentials = toCredential(found);
  const region = found.region;
  const catalog = new SlbCatalog({
    clientFor: (r) => new SlbClient({ credentials, regionId: r, endpoint: args.endpoint, connectTimeoutMs: 5_000, readTimeoutMs: 10_000, t }),
    region,
    refreshMinutes: 0,
    refreshTimeoutMs: 30_000,
  });
  try {
    io.err(t('Using {0}.', describeCredentialSource(found, t)) + '\n');
    await catalog.refresh();
    const snapshot = catalog.trustedSnapshot();
    if (!snapshot) io.err(t('slb-labels migrate: the CLB catalog of {0} could not be read ({1}): SLB names stay placeholders.', region, catalog.status().error?.message ?? '?') + '\n');
    return snapshot;
  } finally {
    catalog.dispose();
  }
}

/** `slb-labels migrate ...` as the dispatcher calls it: options parsed by args.ts. */
export async function runMigrateCommand(argv: string[], io: ArgsIo): Promise<number> {
  const parsed = parseCommand(COMMANDS.migrate, argv, io);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  return runMigrateCli(
    { file: parsed.operands[0], out: stringValue(v, 'out'), service: stringValue(v, 'service'), offline: v.offline === true, region: stringValue(v, 'region'), endpoint: stringValue(v, 'endpoint'), profile: stringValue(v, 'profile'), locale: stringValue(v, 'locale') },
    { out: io.out, err: io.err, env: io.env },
  );
}

/** Returns the exit code: 0 written, 1 nothing to migrate, 2 bad usage or unreadable file. */
export async function runMigrateCli(args: MigrateCliArgs, io: MigrateCliIo): Promise<number> {
  const env = io.env ?? process.env;
  setLocale(normaliseLocale(args.locale ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG));
  if (!args.file) {
    io.err(t('slb-labels migrate: name a compose file, e.g. slb-labels migrate docker-compose.yml --out k8s/') + '\n');
    return 2;
  }
  const read = readUserFileSync(args.file, { expected: t('a compose file') });
  if (!read.ok) {
    io.err(read.message + '\n');
    return 2;
  }
  const text = read.text;
  const dotEnv = loadEnvBeside(args.file);
  const snapshot = args.offline ? undefined : await catalogSnapshot(args, io);
  const result = migrateCompose(text, { env: dotEnv, resolveSlb: snapshot ? snapshotResolver(snapshot) : undefined, service: args.service });
  for (const s of result.skipped) io.err(t("skipped service '{0}': {1}", s.service, s.reason) + '\n');
  if (result.services.length === 0) {
    io.err(t('slb-labels migrate: {0} has no service with an aliyun.lb.port_* label to migrate.', args.file) + '\n');
    return 1;
  }
  if (args.out) {
    try {
      fs.mkdirSync(args.out, { recursive: true });
    } catch (error) {
      io.err(t('slb-labels migrate: cannot create {0} ({1})', args.out, (error as NodeJS.ErrnoException).code ?? String(error)) + '\n');
      return 2;
    }
  }
  const check = new ManifestAnalyzer();
  for (const s of result.services) {
    const findings = check.analyze(s.yaml).findings;
    if (args.out) {
      const target = path.join(args.out, `${s.composeService.replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`);
      fs.writeFileSync(target, s.yaml);
      io.out(t('wrote {0}', target) + '\n');
    } else {
      io.out(s.yaml + (s === result.services[result.services.length - 1] ? '' : '---\n'));
    }
    if (s.placeholders.length) io.err(t("service '{0}': fill in the CLB ID of {1} (marked PLACEHOLDER); slb-labels lint flags it until then.", s.composeService, s.placeholders.join(', ')) + '\n');
    for (const note of s.notMigrated) io.err(t("service '{0}': not migrated: {1}", s.composeService, note) + '\n');
    // The output passes its own validation except for the placeholders it marks itself.
    const unexpected = findings.filter((f) => f.code !== 'k8s-clb-id-placeholder' && f.code !== 'k8s-annotation-placeholder');
    for (const f of unexpected) io.err(`${s.composeService}: ${f.severity} ${f.message} [${f.code}]\n`);
  }
  return 0;
}
