/**
 * Benchmark input generator: a Compose V2 file (`version: '2'` + `services:`)
 * with N services carrying Alibaba Cloud `aliyun.*` labels, shaped like the
 * inputs the competitors were measured with (see lsp-anchors.md section 3).
 *
 * The generated file is VALID by the label rules (aliyun-labels.md 1.x, 3.2–3.4),
 * so a correct server reports 0 problems on it:
 *  - every `aliyun.lb.port_<c>` container port is published with a fixed host
 *    port of the same protocol (udp scheme <-> "H:C/udp", tcp/http/https <-> tcp);
 *  - every host port is unique in the file (no P7 clash between services);
 *  - each service binds only its own SLB(s) (named `slb_<service>` or an
 *    `lb-...` id), never one shared with another service; a service never mixes
 *    a name and an id;
 *  - front ports are unique per SLB; schemes are lower case; ports 1..65535;
 *  - label and environment values are strings (numbers/booleans quoted);
 *  - routing labels sit on a published tcp port that has no lb label (no X6 mix);
 *  - `aliyun.scale` is "1" (a fixed host port allows one container per node, P6).
 *
 * Even services (0-based index) use the map form for labels and environment,
 * odd services the list form (`- key=value`). Output is deterministic for a seed.
 *
 * CLI: node out/bench/generateCompose.js <N> [--seed S] [--shape clean|merge|findings] [--probes] > file.yml
 *      (--probes prints the probe positions as JSON on stderr)
 */

export interface Pos {
  /** 0-based line */
  line: number;
  /** 0-based UTF-16 character (the file is ASCII) */
  character: number;
}

/** A probe that first inserts a line (via didChange), is measured, then reverted. */
export interface InsertLineProbe {
  /** where the text is inserted (character 0 of this line) */
  insertAt: Pos;
  /** the inserted text: the indentation followed by a newline */
  insertText: string;
  /** where the request is made once the text is inserted */
  position: Pos;
}

export interface ComposeProbes {
  /** the middle service (map form) the probes are in */
  service: string;
  serviceIndex: number;
  /** the lb label the probes refer to, e.g. `aliyun.lb.port_80` */
  lbLabelKey: string;
  /** its full value, e.g. `http://slb_web_02500:80` */
  lbLabelValue: string;
  /** the SLB name or id in that value */
  slbName: string;
  /** completion at the first character of the lb label value */
  lbValue: Pos;
  /** completion inside the key right after `aliyun.lb.` */
  lbKeyDot: Pos;
  /** completion on a new line (labels' indentation) inserted after the lb label */
  newLabelLine: InsertLineProbe;
  /** hover on the lb key */
  lbKey: Pos;
  /** hover on the SLB name/id in the value */
  slbNameHover: Pos;
  /** hover on the enclosing `labels:` key (extra, as in the anchors) */
  labelsKey: Pos;
  /** completion on a new line with the service-key indentation after `image:` (extra, as in the anchors) */
  newServiceKey: InsertLineProbe;
  /** end of the service's `image:` value: insert / delete one `x` there, alternating */
  edit: Pos;
}

export interface GenerateOptions {
  /** PRNG seed (default 42) */
  seed?: number;
  /** fraction of services that bind their SLB by id (`lb-...`) instead of by name (default 0.1) */
  slbIdRatio?: number;
  /** index of the service the probes are in (default: the middle one, moved to an even = map-form index) */
  probeService?: number;
  /**
   * `clean` (default): the valid file above. `merge`: the same services written with the usual
   * `x-defaults: &defaults` / `<<: *defaults` pattern (shared defaults, environment and labels
   * through anchors, `environment: *env` on list-form services); still valid, 0 findings.
   * `findings`: the clean file with realistic mistakes planted in about a third of the services
   * (see FINDINGS_SHAPE below).
   */
  shape?: ComposeShape;
}

export type ComposeShape = 'clean' | 'merge' | 'findings';

/**
 * The mistakes of the `findings` shape, each in about a third of the services (chosen by a PRNG of
 * their own, so the rest of the file is the clean one): every published port of such a service on
 * one of a few shared host ports (hundreds of services on host port 8080: host-port-shared), lb
 * labels for four container ports that are not published (lb-port-not-published) and one published
 * without a host port (lb-port-random-host), a udp scheme on a tcp port (lb-protocol-mismatch), an
 * unquoted number and boolean in map-form labels (label-value-not-string), and every tenth of them
 * binds the SLB of the one before (lb-slb-shared).
 */
const FINDINGS_SHARE = 1 / 3;

export interface GeneratedCompose {
  text: string;
  probes: ComposeProbes;
  /** number of lines (the text ends with a newline, which does not start a new counted line) */
  lineCount: number;
  services: number;
}

type Proto = 'tcp' | 'udp';
type Scheme = 'tcp' | 'udp' | 'http' | 'https';

interface PortSpec {
  port: number;
  proto: Proto;
  /** schemes that make sense for an lb binding on this port */
  schemes: Scheme[];
}

interface Role {
  name: string;
  image: string;
  tags: string[];
  ports: PortSpec[];
  team: string;
}

const tcp = (port: number, ...schemes: Scheme[]): PortSpec => ({ port, proto: 'tcp', schemes: schemes.length ? schemes : ['tcp'] });
const udp = (port: number): PortSpec => ({ port, proto: 'udp', schemes: ['udp'] });

const ROLES: Role[] = [
  { name: 'web', image: 'registry.cn-hangzhou.aliyuncs.com/acs-sample/nginx', tags: ['1.25.3-alpine', 'latest'], ports: [tcp(80, 'http', 'tcp'), tcp(443, 'https', 'tcp'), tcp(8080, 'http')], team: 'frontend' },
  { name: 'api', image: 'registry.cn-beijing.aliyuncs.com/acme-prod/order-api', tags: ['v2.14.0', 'v2.15.1'], ports: [tcp(8080, 'http'), tcp(8443, 'https', 'tcp'), tcp(9090, 'http')], team: 'orders' },
  { name: 'redis', image: 'redis', tags: ['7.2-alpine', '6.2'], ports: [tcp(6379), tcp(26379), tcp(9121, 'http')], team: 'platform' },
  { name: 'mysql', image: 'registry.cn-hangzhou.aliyuncs.com/acs-sample/mysql', tags: ['8.0.36', '5.7'], ports: [tcp(3306), tcp(33060), tcp(9104, 'http')], team: 'data' },
  { name: 'worker', image: 'registry.cn-shanghai.aliyuncs.com/acme-prod/worker', tags: ['2024.11.3', 'stable'], ports: [tcp(9090, 'http'), udp(8125), tcp(5000, 'tcp', 'http')], team: 'jobs' },
  { name: 'dns', image: 'coredns/coredns', tags: ['1.11.1'], ports: [udp(53), tcp(9153, 'http'), tcp(8053)], team: 'network' },
  { name: 'syslog', image: 'registry.cn-hangzhou.aliyuncs.com/acs/rsyslog', tags: ['8.2312.0', 'latest'], ports: [udp(514), tcp(601), tcp(6514)], team: 'observability' },
  { name: 'logstash', image: 'docker.elastic.co/logstash/logstash', tags: ['7.17.18', '8.12.2'], ports: [tcp(5044), udp(12201), tcp(9600, 'http')], team: 'observability' },
  { name: 'mongo', image: 'mongo', tags: ['6.0.13', '4.4'], ports: [tcp(27017), tcp(27018), tcp(28017, 'http')], team: 'data' },
  { name: 'gateway', image: 'registry.cn-shenzhen.aliyuncs.com/acme-edge/gateway', tags: ['3.4.1', 'canary'], ports: [tcp(443, 'https', 'tcp'), tcp(80, 'http'), tcp(8081, 'http')], team: 'edge' },
];

const ENV_POOL: Array<(svc: string, i: number, r: () => number) => [string, string]> = [
  () => ['TZ', 'Asia/Shanghai'],
  (_s, _i, r) => ['LOG_LEVEL', ['info', 'warn', 'debug'][Math.floor(r() * 3)]],
  (s) => ['SERVICE_NAME', s],
  (s, i) => ['UPSTREAM_HOST', i > 0 ? serviceName(i - 1) : s],
  (_s, _i, r) => ['MAX_CONNECTIONS', String(128 * (1 + Math.floor(r() * 8)))],
  () => ['REGION_ID', 'cn-hangzhou'],
];

function serviceName(i: number): string {
  return `${ROLES[i % ROLES.length].name}_${pad(i)}`;
}

function pad(n: number): string {
  return String(n).padStart(5, '0');
}

/** mulberry32: small deterministic PRNG (also used by the fuzz tests, so a failure replays from its seed) */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** unique host ports for the whole file: 10000..65535, then 1024..9999 */
class HostPorts {
  private next = 10000;
  private wrapped = false;
  take(): number {
    if (this.next > 65535 && !this.wrapped) {
      this.next = 1024;
      this.wrapped = true;
    }
    if (this.wrapped && this.next >= 10000) {
      throw new Error('generateCompose: too many published ports for unique host ports');
    }
    return this.next++;
  }
}

export function generateCompose(services: number, options: GenerateOptions = {}): GeneratedCompose {
  if (!Number.isInteger(services) || services < 1) {
    throw new Error(`generateCompose: services must be a positive integer, got ${services}`);
  }
  const rand = prng(options.seed ?? 42);
  const slbIdRatio = options.slbIdRatio ?? 0.1;
  let probeIndex = options.probeService ?? Math.floor(services / 2);
  if (probeIndex % 2 === 1) probeIndex -= 1; // map form
  if (probeIndex < 0 || probeIndex >= services) {
    throw new Error(`generateCompose: probeService ${probeIndex} out of range`);
  }

  const shape = options.shape ?? 'clean';
  const hostPorts = new HostPorts();
  const usedIds = new Set<string>();
  const lines: string[] = ["version: '2'"];
  if (shape === 'merge') {
    lines.push(
      'x-defaults: &defaults',
      '  restart: unless-stopped',
      '  logging:',
      '    driver: json-file',
      '    options:',
      '      max-size: 10m',
      '      max-file: "3"',
      '  stop_grace_period: 30s',
      'x-env: &env',
      '  TZ: Asia/Shanghai',
      '  REGION_ID: cn-hangzhou',
      '  LOG_LEVEL: info',
      'x-labels: &labels',
      '  aliyun.scale: "1"',
      '  com.example.managed-by: compose',
    );
  }
  lines.push('services:');
  // The findings shape's own PRNG: the clean file's draws stay as they are.
  const mistakes = prng((options.seed ?? 42) ^ 0x5bd1e995);
  let previousFaultySlb: string | undefined;
  let faultyCount = 0;
  let probes: ComposeProbes | undefined;

  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rand() * arr.length)];

  for (let i = 0; i < services; i++) {
    const role = ROLES[i % ROLES.length];
    const name = serviceName(i);
    const mapForm = i % 2 === 0;
    const isProbe = i === probeIndex;

    // --- ports: 1..3 of the role's ports (20% / 45% / 35%)
    const pr = rand();
    const nPorts = pr < 0.2 ? 1 : pr < 0.65 ? 2 : 3;
    const ports = role.ports.slice(0, nPorts).map((p) => ({ ...p, host: hostPorts.take() }));

    // --- lb labels: on nPorts-1 ports (75%) or all of them; at least one.
    // The unlabelled port (if any) is the last tcp port, used for routing.
    let nLb = nPorts === 1 ? 1 : rand() < 0.75 ? nPorts - 1 : nPorts;
    let free: (typeof ports)[number] | undefined;
    let lbPorts = ports;
    if (nLb < nPorts) {
      const freeIdx = findLastIndex(ports, (p) => p.proto === 'tcp');
      if (freeIdx >= 0 && freeIdx !== 0) {
        free = ports[freeIdx];
        lbPorts = ports.filter((_, k) => k !== freeIdx);
      } else if (freeIdx === 0) {
        // keep the first port labelled so each service's probe label comes first
        lbPorts = ports.slice(0, nLb);
        free = ports.find((p, k) => k >= nLb && p.proto === 'tcp');
      } else {
        nLb = nPorts;
      }
    }

    // --- SLB(s): own to this service; by id or by name (never mixed in one service)
    const byId = rand() < slbIdRatio;
    const twoSlbs = lbPorts.length > 1 && rand() < 0.2;
    const slbIdCache = new Map<string, string>();
    const slbFor = (k: number): string => {
      const suffix = twoSlbs && k > 0 ? 1 : 0;
      if (byId) {
        const key = `${i}:${suffix}`;
        let id = slbIdCache.get(key);
        if (!id) {
          do {
            id = 'lb-' + Array.from({ length: 21 }, () => ID_CHARS[Math.floor(rand() * ID_CHARS.length)]).join('');
          } while (usedIds.has(id));
          usedIds.add(id);
          slbIdCache.set(key, id);
        }
        return id;
      }
      return suffix ? `slb_${name}_b` : `slb_${name}`;
    };
    const frontUsed = new Map<string, Set<number>>(); // slb + family -> front ports
    const lbs = lbPorts.map((p, k) => {
      const scheme = p.proto === 'udp' ? 'udp' : pick(p.schemes);
      const slb = slbFor(k);
      const family = scheme === 'udp' ? 'udp' : 'tcp';
      const used = frontUsed.get(slb + '|' + family) ?? new Set<number>();
      frontUsed.set(slb + '|' + family, used);
      let front = scheme === 'http' ? (p.port === 80 ? 80 : p.port + 10000 <= 65535 ? p.port + 10000 : p.port) : scheme === 'https' ? 443 : p.port;
      while (used.has(front) || front > 65535) front = front > 65535 ? 1 : front + 1;
      used.add(front);
      return { key: `aliyun.lb.port_${p.port}`, value: `${scheme}://${slb}:${front}`, scheme, slb };
    });

    const tag = pick(role.tags);
    const image = `${role.image}:${tag}`;

    // --- environment: 4 or 5 entries
    const nEnv = rand() < 0.5 ? 4 : 5;
    const env = ENV_POOL.slice(0, nEnv).map((f) => f(name, i, rand));

    // --- other labels
    const routing = free ? { key: `aliyun.routing.port_${free.port}`, value: `${role.name}-${pad(i)}` } : undefined;
    const httpPort = ports.find((p) => p.proto === 'tcp');
    const probeUrl = httpPort && rand() < 0.55 ? `http://container:${httpPort.port}/health` : undefined;
    const rolling = rand() < 0.45;
    const depends = i > 0 && rand() < 0.3 ? serviceName(i - 1) : undefined;
    const dependsOn: string[] = [];
    if (i > 0 && rand() < 0.3) {
      dependsOn.push(serviceName(i - 1));
      if (i > 1 && rand() < 0.2) dependsOn.push(serviceName(i - 2));
    }

    // --- findings shape: plant mistakes in about a third of the services (never the probe service)
    const faulty = shape === 'findings' && !isProbe && mistakes() < FINDINGS_SHARE;
    const planted: { key: string; value: string }[] = [];
    if (faulty) {
      faultyCount++;
      // Every port of the service on a shared host port (8080, 8081, 8082 by position).
      ports.forEach((p, k) => (p.host = 8080 + k));
      const tcpLb = lbs.find((lb) => lb.scheme !== 'udp');
      if (tcpLb) tcpLb.value = tcpLb.value.replace(/^\w+:/, 'udp:');
      if (faultyCount % 10 === 0 && previousFaultySlb && !byId) {
        lbs[0].value = lbs[0].value.replace(lbs[0].slb, previousFaultySlb);
      }
      previousFaultySlb = lbs[0].slb;
      // lb labels copied from elsewhere for container ports this service does not publish, and one
      // on a port published without a host port.
      for (const port of [9901, 9902, 9903, 9904, 9905]) planted.push({ key: `aliyun.lb.port_${port}`, value: `tcp://${lbs[0].slb}:${port + 10000}` });
    }

    // --- emit
    lines.push(`  ${name}:`);
    if (shape === 'merge') lines.push('    <<: *defaults');
    const imageLine = lines.length;
    lines.push(`    image: ${image}`);
    lines.push(`    restart: ${i % 3 === 0 ? 'always' : 'unless-stopped'}`);
    lines.push('    ports:');
    for (const p of ports) lines.push(`      - "${p.host}:${p.port}${p.proto === 'udp' ? '/udp' : ''}"`);
    if (faulty) lines.push('      - "9905"');
    if (shape === 'merge' && !mapForm) lines.push('    environment: *env');
    else {
      lines.push('    environment:');
      if (shape === 'merge') lines.push('      <<: *env');
      for (const [k, v] of env) {
        lines.push(mapForm ? `      ${k}: ${/^[0-9]/.test(v) ? `"${v}"` : v}` : `      - ${k}=${v}`);
      }
    }
    const labelsLine = lines.length;
    lines.push('    labels:');
    const label = (k: string, v: string, quote = false) =>
      lines.push(mapForm ? `      ${k}: ${quote ? `"${v}"` : v}` : `      - ${k}=${v}`);
    if (shape === 'merge' && mapForm) lines.push('      <<: *labels');
    else if (faulty && mapForm) lines.push('      aliyun.scale: 1');
    else label('aliyun.scale', '1', true);
    const firstLbLine = lines.length;
    for (const lb of lbs) label(lb.key, lb.value);
    for (const lb of planted) label(lb.key, lb.value);
    if (routing) label(routing.key, routing.value);
    if (probeUrl) label('aliyun.probe.url', probeUrl);
    if (faulty && mapForm) lines.push('      aliyun.rolling_updates: true');
    else if (rolling) label('aliyun.rolling_updates', 'true', true);
    if (depends) label('aliyun.depends', depends);
    label('com.example.team', role.team);
    if (dependsOn.length) {
      lines.push('    depends_on:');
      for (const d of dependsOn) lines.push(`      - ${d}`);
    }

    if (isProbe) {
      const lb = lbs[0];
      const indent = 6;
      const valueStart = indent + lb.key.length + 2; // after `key: `
      const slbStart = valueStart + lb.scheme.length + 3;
      const imageText = lines[imageLine];
      probes = {
        service: name,
        serviceIndex: i,
        lbLabelKey: lb.key,
        lbLabelValue: lb.value,
        slbName: lb.slb,
        lbValue: { line: firstLbLine, character: valueStart },
        lbKeyDot: { line: firstLbLine, character: indent + 'aliyun.lb.'.length },
        newLabelLine: {
          insertAt: { line: firstLbLine + 1, character: 0 },
          insertText: ' '.repeat(indent) + '\n',
          position: { line: firstLbLine + 1, character: indent },
        },
        lbKey: { line: firstLbLine, character: indent + 3 },
        slbNameHover: { line: firstLbLine, character: slbStart + 1 },
        labelsKey: { line: labelsLine, character: 6 },
        newServiceKey: {
          insertAt: { line: imageLine + 1, character: 0 },
          insertText: '    \n',
          position: { line: imageLine + 1, character: 4 },
        },
        edit: { line: imageLine, character: imageText.length },
      };
    }
  }

  return { text: lines.join('\n') + '\n', probes: probes!, lineCount: lines.length, services };
}

function findLastIndex<T>(arr: readonly T[], pred: (x: T) => boolean): number {
  for (let k = arr.length - 1; k >= 0; k--) if (pred(arr[k])) return k;
  return -1;
}

function main(argv: string[]): number {
  const args = argv.slice(2);
  let n: number | undefined;
  let seed: number | undefined;
  let printProbes = false;
  let shape: ComposeShape | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--seed') seed = Number(args[++k]);
    else if (a === '--shape') shape = args[++k] as ComposeShape;
    else if (a === '--probes') printProbes = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node out/bench/generateCompose.js <services> [--seed N] [--shape clean|merge|findings] [--probes] > file.yml\n');
      return 0;
    } else if (n === undefined && /^\d+$/.test(a)) n = Number(a);
    else {
      process.stderr.write(`generateCompose: unexpected argument '${a}'\n`);
      return 2;
    }
  }
  if (!n || n < 1 || (seed !== undefined && !Number.isFinite(seed))) {
    process.stderr.write('usage: node out/bench/generateCompose.js <services> [--seed N] [--shape clean|merge|findings] [--probes] > file.yml\n');
    return 2;
  }
  const out = generateCompose(n, { seed, shape });
  process.stdout.write(out.text);
  if (printProbes) process.stderr.write(JSON.stringify(out.probes, null, 2) + '\n');
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv);
}
