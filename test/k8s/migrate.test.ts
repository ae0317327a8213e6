// Migration compose -> ACK manifests: on the seed's Redis example (offline placeholder, and
// resolved through the real sandbox catalog) and on every valid corpus file with lb labels; the
// output passes the k8s validation except for the placeholders it marks; the CLI writes files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startSandbox } from '../../sandbox/src/index';
import type { SandboxHandle } from '../../sandbox/src/index';
import { ComposeAnalyzer } from '../../server/src/engine/analysis';
import { SlbCatalog } from '../../server/src/engine/cloud/catalog';
import { ManifestAnalyzer } from '../../server/src/engine/k8s/analyze';
import { commandList, migrateCompose } from '../../server/src/engine/k8s/migrate';
import { checkService } from '../../server/src/engine/rules/serviceRules';
import { snapshotResolver } from '../../server/src/cli/migrate';
import { CORPUS_DIR, REPO_ROOT } from '../lsp/lspClient';
import { REDIS_APP_ID, sandboxClient } from '../helpers/sandbox';

const CLI = path.join(REPO_ROOT, 'dist/cli/slb-labels.js');
const SEED_EXAMPLE = path.join(REPO_ROOT, 'examples/demo/docker-compose.yml');
const PLACEHOLDER_CODES = new Set(['k8s-clb-id-placeholder', 'k8s-annotation-placeholder']);
const findingsOf = (yaml: string) => new ManifestAnalyzer().analyze(yaml).findings;

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: { ports?: { port: number; targetPort: number; protocol: string }[] } };
const objects = (yaml: string): Obj[] => parseAllDocuments(yaml).map((d) => d.toJS() as Obj);

describe('migration to ACK manifests', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox({ port: 0, dataPlane: false });
  });
  after(async () => {
    await sandbox?.close();
  });

  it("the seed's Redis example offline: front port, container port, a marked placeholder that validation flags", () => {
    const [out] = migrateCompose(fs.readFileSync(SEED_EXAMPLE, 'utf8')).services;
    const [deployment, service] = objects(out.yaml);
    assert.equal(deployment.kind, 'Deployment');
    assert.deepEqual(service.spec.ports, [{ name: 'tcp-6379', port: 6379, targetPort: 6379, protocol: 'TCP' }]);
    assert.equal(service.metadata.annotations!['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id'], '<CLB ID of slb_redis_app>');
    assert.equal(service.metadata.annotations!['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners'], 'true');
    assert.match(out.yaml, /PLACEHOLDER: slb_redis_app is an SLB name/);
    assert.match(out.yaml, /Swarm nodes stop receiving traffic/);
    assert.deepEqual(findingsOf(out.yaml).map((f) => f.code), ['k8s-clb-id-placeholder']);
  });

  it("the seed's Redis example with the sandbox catalog: the name becomes the ID and nothing is flagged", async () => {
    const catalog = new SlbCatalog({ clientFor: (r) => sandboxClient(sandbox, r), region: 'cn-hangzhou', refreshMinutes: 0 });
    await catalog.refresh();
    const [out] = migrateCompose(fs.readFileSync(SEED_EXAMPLE, 'utf8'), { resolveSlb: snapshotResolver(catalog.trustedSnapshot()!) }).services;
    catalog.dispose();
    const service = objects(out.yaml)[1];
    assert.equal(service.metadata.annotations!['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id'], REDIS_APP_ID);
    assert.deepEqual(findingsOf(out.yaml), []);
  });

  it('an ambiguous name stays a placeholder that names the candidates', async () => {
    const catalog = new SlbCatalog({ clientFor: (r) => sandboxClient(sandbox, r), region: 'cn-hangzhou', refreshMinutes: 0 });
    await catalog.refresh();
    const compose = 'services:\n  dns:\n    image: coredns\n    ports: ["10053:53/udp"]\n    labels:\n      aliyun.lb.port_53: udp://slb_shared_name:10053\n';
    const [out] = migrateCompose(compose, { resolveSlb: snapshotResolver(catalog.trustedSnapshot()!) }).services;
    catalog.dispose();
    assert.match(out.yaml, /PLACEHOLDER: SLB name slb_shared_name matches lb-bp1c9yrcmqh4tq1ovsw5r, lb-bp1n3cm1gkdnt2vuhrv6f/);
    assert.deepEqual(objects(out.yaml)[1].spec.ports, [{ name: 'udp-10053', port: 10053, targetPort: 53, protocol: 'UDP' }]);
  });

  const corpus = fs.existsSync(CORPUS_DIR) ? fs.readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yml')).sort() : [];
  const valid = corpus.filter((file) => {
    const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
    return /^[ \t]*['"]?aliyun\.lb\.port_/m.test(text) && !new ComposeAnalyzer().analyze(text).findings.some((f) => f.severity === 'error');
  });
  it('finds the valid corpus files with lb labels', { skip: corpus.length ? false : 'corpus not present' }, () => {
    assert.deepEqual(valid.map((f) => f.slice(0, 2)), ['03', '04', '07', '08', '09', '10', '11', '12', '36']);
  });
  for (const file of valid) {
    it(`corpus ${file}: Service port = front port, targetPort = container port; only placeholders flagged`, () => {
      const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
      const result = migrateCompose(text);
      const analysis = new ComposeAnalyzer().analyze(text);
      for (const unit of analysis.units) {
        for (const composeService of unit.parsed.services) {
          const bindings = checkService(composeService, undefined).bindings;
          if (bindings.length === 0) continue;
          const out = result.services.find((s) => s.composeService === composeService.name)!;
          assert.ok(out, `${composeService.name} migrated`);
          const ports = objects(out.yaml).filter((o) => o.kind === 'Service').flatMap((o) => o.spec.ports ?? []);
          for (const b of bindings) assert.ok(ports.some((p) => p.port === b.frontPort && p.targetPort === b.containerPort), `${b.labelKey}: ${JSON.stringify(ports)}`);
          const unexpected = findingsOf(out.yaml).filter((f) => !PLACEHOLDER_CODES.has(f.code));
          assert.deepEqual(unexpected, []);
        }
      }
      if (file.startsWith('11')) assert.match(result.skipped[0].reason, /variable/);
    });
  }

  it('corpus 36: the front port differs from the host port (7777:80 behind 8080): port 8080, targetPort 80, not the host port', { skip: corpus.length ? false : 'corpus not present' }, () => {
    const text = fs.readFileSync(path.join(CORPUS_DIR, corpus.find((f) => f.startsWith('36'))!), 'utf8');
    const yaml = migrateCompose(text).services.map((s) => s.yaml).join('---\n');
    const ports = objects(yaml).filter((o) => o.kind === 'Service').flatMap((o) => o.spec.ports ?? []);
    assert.ok(ports.some((p) => p.port === 8080 && p.targetPort === 80));
    assert.ok(!ports.some((p) => p.port === 7777));
    // the https binding gets a cert-id placeholder, flagged until filled in
    assert.ok(findingsOf(yaml).some((f) => f.code === 'k8s-annotation-placeholder'));
  });

  it('corpus 03: labels without a Kubernetes equivalent are listed; aliyun.scale becomes replicas', { skip: corpus.length ? false : 'corpus not present' }, () => {
    const text = fs.readFileSync(path.join(CORPUS_DIR, corpus.find((f) => f.startsWith('03'))!), 'utf8');
    const [out] = migrateCompose(text).services;
    assert.match(out.yaml, /Not migrated/);
    assert.ok(out.notMigrated.some((n) => n.includes('aliyun.global') && n.includes('DaemonSet')), out.notMigrated.join('\n'));
    assert.ok(out.notMigrated.some((n) => n.includes('aliyun.rolling_updates') && n.includes('rollingUpdate')));
    assert.ok(out.notMigrated.some((n) => n.includes('key volumes')));
    assert.equal((objects(out.yaml)[0] as unknown as { spec: { replicas: number } }).spec.replicas, 1);
  });

  it('other published ports become containerPorts and are listed; compose variables in the environment are flagged', () => {
    const compose = 'services:\n  web:\n    image: nginx\n    environment:\n      - DB=${DB_HOST}\n    ports:\n      - "8080:80"\n      - "9090:9090"\n    labels:\n      aliyun.lb.port_80: http://lb-bp1rtfnodmywb43ecu4sf:80\n';
    const [out] = migrateCompose(compose).services;
    const deployment = objects(out.yaml)[0] as unknown as { spec: { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } } };
    assert.deepEqual(deployment.spec.template.spec.containers[0].ports.map((p) => p.containerPort), [80, 9090]);
    assert.ok(out.notMigrated.some((n) => n.startsWith('port 9090:9090')), out.notMigrated.join('\n'));
    assert.ok(out.notMigrated.some((n) => n.startsWith('environment DB: ${DB_HOST}')), out.notMigrated.join('\n'));
    // The Service is only the SLB binding: front port 80 -> container port 80, http.
    assert.deepEqual(objects(out.yaml)[1].spec.ports, [{ name: 'http-80', port: 80, targetPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(findingsOf(out.yaml), []);
  });

  it('compose command strings split into words as compose does', () => {
    assert.deepEqual(commandList(`redis-server --appendonly yes --requirepass "a b"`), ['redis-server', '--appendonly', 'yes', '--requirepass', 'a b']);
    assert.deepEqual(commandList(['sh', '-c', 'x']), ['sh', '-c', 'x']);
    assert.equal(commandList(''), undefined);
  });

  it('CLI: migrate --out writes the files; lint flags the placeholder offline and passes once resolved against the sandbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-migrate-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-migrate-home-'));
    try {
      const base = { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C', ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' };
      // Asynchronous: the sandbox answers from this process's event loop.
      const run = (args: string[], env: Record<string, string> = base) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, ...args], { env, timeout: 30000 });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += String(d)));
          child.stderr.on('data', (d) => (stderr += String(d)));
          child.on('close', (status) => resolve({ status, stdout, stderr }));
        });
      const offline = await run(['migrate', SEED_EXAMPLE, '--out', path.join(dir, 'offline'), '--offline']);
      assert.equal(offline.status, 0, offline.stderr);
      assert.match(offline.stderr, /fill in the CLB ID of slb_redis_app/);
      const lintOffline = await run(['lint', path.join(dir, 'offline', 'redis.yaml')]);
      assert.equal(lintOffline.status, 1, lintOffline.stdout);
      assert.match(lintOffline.stdout, /\[k8s-clb-id-placeholder\]/);
      const creds = { ...base, ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET };
      const online = await run(['migrate', SEED_EXAMPLE, '--out', path.join(dir, 'online'), '--region', 'cn-hangzhou', '--endpoint', sandbox.url], creds);
      assert.equal(online.status, 0, online.stderr);
      assert.ok(!online.stdout.includes(DEFAULT_ACCESS_KEY_SECRET) && !online.stderr.includes(DEFAULT_ACCESS_KEY_SECRET));
      const written = fs.readFileSync(path.join(dir, 'online', 'redis.yaml'), 'utf8');
      assert.match(written, new RegExp(REDIS_APP_ID), online.stderr);
      const lintOnline = await run(['lint', path.join(dir, 'online', 'redis.yaml')]);
      assert.equal(lintOnline.status, 0, lintOnline.stdout);
      assert.match(lintOnline.stdout, /0 error\(s\), 0 warning\(s\)/);
      const bad = await run(['migrate']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /name one compose file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
