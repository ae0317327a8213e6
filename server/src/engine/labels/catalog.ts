// The catalogue of aliyun.* labels (reference §2): what completion offers, hover explains and the
// unknown-label rule checks against. Docs are English keys translated through l10n.
import { t } from '../i18n';

export const LABEL_DOCS_URL = 'https://www.alibabacloud.com/help/doc-detail/26086.htm';
export const LB_DOCS_URL = 'https://www.alibabacloud.com/help/doc-detail/56407.htm';

export interface LabelSpec {
  /** Exact key, or a prefix when `prefix` is true (e.g. aliyun.lb.port_ + container port). */
  key: string;
  prefix?: boolean;
  /** Placeholder shown after the prefix in completion, e.g. `<container_port>`. */
  suffixPlaceholder?: string;
  /**
   * log-pilot style keys `prefix<name><nameSuffix>`: the part after the prefix must be one name
   * (letters, digits, '_', '-'), followed by exactly this suffix ('' for the name alone).
   */
  nameSuffix?: string;
  valueFormat: string;
  /** English doc sentence; translated on use. */
  doc: string;
  /** Snippet for the value in completion (without quotes). */
  valueSnippet?: string;
  documented: boolean;
  /** An older spelling or label that newer ones replace: completion lists it last, struck through. */
  deprecated?: boolean;
}

export const LABEL_CATALOG: LabelSpec[] = [
  { key: 'aliyun.lb.port_', prefix: true, suffixPlaceholder: '<container_port>', valueFormat: 'scheme://slb_name_or_id:front_port', doc: 'Binds the container port to a Server Load Balancer (SLB/CLB) that you created: the SLB listener on the front port forwards to the host port that `ports:` publishes for this container port.', documented: true },
  { key: 'aliyun.scale', valueFormat: '"<count>"', doc: 'Number of containers of this service (default 1). Meaningless together with aliyun.global.', valueSnippet: '${1:1}', documented: true },
  { key: 'aliyun.global', valueFormat: '"true" | "false"', doc: 'Run exactly one container of this service on every node.', valueSnippet: '${1|true,false|}', documented: true },
  { key: 'aliyun.rolling_updates', valueFormat: '"true" | "false"', doc: 'Update containers one batch at a time instead of all at once.', valueSnippet: '${1|true,false|}', documented: true },
  { key: 'aliyun.rolling_updates.parallelism', valueFormat: '"<count>"', doc: 'Batch size of a rolling update (default 1); only effective with aliyun.rolling_updates: "true".', valueSnippet: '${1:1}', documented: true },
  { key: 'aliyun.depends', valueFormat: 'service[,service...]', doc: 'Start this service after the listed services (comma-separated) are running and healthy.', valueSnippet: '${1:service}', documented: true },
  { key: 'aliyun.probe.url', valueFormat: 'http://container[:port]/path | tcp://container:port', doc: 'Health check: an HTTP GET or a TCP connect to the container; the host part must be the word "container".', valueSnippet: '${1|http,tcp|}://container:${2:80}$0', documented: true },
  { key: 'aliyun.probe.cmd', valueFormat: 'shell command', doc: 'Health check: a command run in the container; exit code 0 means healthy.', documented: true },
  { key: 'aliyun.probe.timeout_seconds', valueFormat: '"<seconds>"', doc: 'Timeout of one health check, in seconds.', valueSnippet: '${1:10}', documented: true },
  { key: 'aliyun.probe.initial_delay_seconds', valueFormat: '"<seconds>"', doc: 'Delay before the first health check, in seconds.', valueSnippet: '${1:3}', documented: true },
  { key: 'aliyun.routing.port_', prefix: true, suffixPlaceholder: '<container_port>', valueFormat: '[scheme://]domain_or_prefix[/context][;...]', doc: 'Publishes the container port through the cluster routing (HTTP) SLB under a domain or a prefix of the cluster test domain.', documented: true },
  { key: 'aliyun.routing.session_sticky', valueFormat: 'true | false', doc: 'Cookie-based session stickiness for routed requests.', valueSnippet: '${1|true,false|}', documented: true },
  { key: 'aliyun.routing.weight', valueFormat: '"<weight>"', doc: 'Routing weight (used in blue-green releases); not documented in detail.', documented: false },
  { key: 'aliyun.routing.ssl_cert', valueFormat: 'text', doc: 'Routing certificate setting of Alibaba\'s tooling; not documented in detail.', documented: false },
  { key: 'aliyun.routing.extra_setting', valueFormat: 'text', doc: 'Extra routing setting of Alibaba\'s tooling; not documented in detail.', documented: false },
  { key: 'aliyun.routing.timeout_setting', valueFormat: 'text', doc: 'Routing timeout setting of Alibaba\'s tooling; not documented in detail.', documented: false },
  { key: 'aliyun.routing.worker', valueFormat: 'text', doc: 'Routing worker setting of Alibaba\'s tooling; not documented in detail.', documented: false },
  { key: 'aliyun.vip.port_', prefix: true, suffixPlaceholder: '<container_port>', valueFormat: 'text', doc: 'Virtual IP binding of Alibaba\'s tooling; not documented.', documented: false },
  { key: 'aliyun.log_store_', prefix: true, suffixPlaceholder: '<logstore>', valueFormat: 'stdout | /absolute/path/*.log', doc: 'Collects the container\'s stdout or log files into the Log Service logstore named after the prefix.', valueSnippet: '${1:stdout}', documented: true },
  { key: 'aliyun.log_ttl_', prefix: true, suffixPlaceholder: '<logstore>', valueFormat: '"<days>"', doc: 'Retention in days of the Log Service logstore named after the prefix.', valueSnippet: '${1:30}', documented: true },
  { key: 'aliyun.log_project', valueFormat: 'project name', doc: 'Log Service project of Alibaba\'s tooling; not documented in detail.', documented: false },
  { key: 'aliyun.logs', valueFormat: 'path', doc: 'Older log collection label (2016 samples).', documented: false, deprecated: true },
  // log-pilot (AliyunContainerService/log-pilot, docs/docs.md), the log collector of Container Service nodes.
  { key: 'aliyun.logs.', prefix: true, nameSuffix: '', suffixPlaceholder: '<name>', valueFormat: 'stdout | /path/in/container/*.log', doc: 'log-pilot: collect this container\'s stdout, or the log files matching the path inside the container, as the log named <name> (the index, logstore or topic unless .target says otherwise).', valueSnippet: '${1:stdout}', documented: true },
  { key: 'aliyun.logs.', prefix: true, nameSuffix: '.tags', suffixPlaceholder: '<name>.tags', valueFormat: 'key=value[,key=value...]', doc: 'log-pilot: extra fields added to every record of the log <name>, e.g. "app=web,stage=prod".', documented: true },
  { key: 'aliyun.logs.', prefix: true, nameSuffix: '.format', suffixPlaceholder: '<name>.format', valueFormat: 'none | json | csv | nginx | apache2 | regexp', doc: 'log-pilot: how the records of the log <name> are parsed (default none: one line per record).', documented: true },
  { key: 'aliyun.logs.', prefix: true, nameSuffix: '.format.pattern', suffixPlaceholder: '<name>.format.pattern', valueFormat: 'regular expression', doc: 'log-pilot: the pattern that splits a record of the log <name> into fields, with .format: regexp.', documented: true },
  { key: 'aliyun.logs.', prefix: true, nameSuffix: '.target', suffixPlaceholder: '<name>.target', valueFormat: 'index | logstore | topic', doc: 'log-pilot: where the log <name> goes (Elasticsearch index, Log Service logstore, Kafka topic) instead of <name>.', documented: true },
  { key: 'aliyun.log.timestamp', valueFormat: 'true | false', doc: 'Undocumented log timestamp switch seen in blogs.', documented: false },
  { key: 'aliyun.auto_scaling.', prefix: true, suffixPlaceholder: 'max_cpu | min_cpu | max_memory | min_memory | max_instances | min_instances | step | period', valueFormat: '"<number>"', doc: 'Auto scaling thresholds and limits of the service.', documented: true },
  { key: 'aliyun.latest_image', valueFormat: '"true"', doc: 'Pull the image again on every redeploy.', valueSnippet: '${1|true,false|}', documented: true },
  { key: 'aliyun.custom_addon', valueFormat: '"proxy"', doc: 'Marks this service as an add-on container, e.g. "proxy" for the acs/proxy routing container.', valueSnippet: '${1:proxy}', documented: true },
  { key: 'aliyun.addon', valueFormat: '"proxy" | "dns" | "serverless"', doc: 'Older spelling of aliyun.custom_addon.', documented: true, deprecated: true },
  { key: 'aliyun.proxy.', prefix: true, suffixPlaceholder: 'VIRTUAL_HOST | TCP_PORTS | SSL_CERT | ...', valueFormat: 'see acs/proxy', doc: 'Settings read by the acs/proxy add-on on backend services (VIRTUAL_HOST, TCP_PORTS, SSL_CERT, ...).', documented: true },
  { key: 'aliyun.monitoring.', prefix: true, suffixPlaceholder: 'conf | http | script | tags | interval | ...', valueFormat: 'text', doc: 'Monitoring add-on settings of Alibaba\'s tooling.', documented: false },
  { key: 'aliyun.gpu', valueFormat: '"<count>"', doc: 'Number of GPUs for each container.', valueSnippet: '${1:1}', documented: true },
];

const AUTO_SCALING_KEYS = ['max_cpu', 'min_cpu', 'max_memory', 'min_memory', 'max_internetInRate', 'min_internetInRate', 'max_internetOutRate', 'min_internetOutRate', 'max_instances', 'min_instances', 'step', 'period'];

const LOG_NAME = /^[A-Za-z0-9_-]+$/;

/** Finds the catalogue entry for a key, or undefined when the key is not a known aliyun.* label. */
export function findLabelSpec(key: string): LabelSpec | undefined {
  for (const spec of LABEL_CATALOG) {
    if (spec.nameSuffix !== undefined) {
      if (key.startsWith(spec.key) && key.endsWith(spec.nameSuffix) && LOG_NAME.test(key.slice(spec.key.length, key.length - spec.nameSuffix.length))) return spec;
      continue;
    }
    if (spec.prefix) {
      if (key.startsWith(spec.key) && key.length > spec.key.length) {
        if (spec.key === 'aliyun.auto_scaling.' && !AUTO_SCALING_KEYS.includes(key.slice(spec.key.length))) continue;
        return spec;
      }
    } else if (key === spec.key) {
      return spec;
    }
  }
  return undefined;
}

export function labelDoc(spec: LabelSpec): string {
  return t(spec.doc);
}

/** Damerau-free Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * Did-you-mean for an unknown aliyun.* key. Prefix labels keep the user's suffix:
 * `aliyun.lb.ports_80` -> `aliyun.lb.port_80`, `aliyun.lb_port_80` -> `aliyun.lb.port_80`.
 */
export function suggestLabelKey(key: string): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  const consider = (candidate: string, distance: number) => {
    if (!best || distance < best.distance) best = { candidate, distance };
  };
  for (const spec of LABEL_CATALOG) {
    if (spec.nameSuffix) {
      // aliyun.logs.web.tag -> aliyun.logs.web.tags: the name is the user's, the rest is compared.
      const parts = key.split('.');
      for (let i = 1; i < parts.length - 1 && i < 8; i++) {
        const head = parts.slice(0, i).join('.') + '.';
        const rest = '.' + parts.slice(i + 1).join('.');
        if (LOG_NAME.test(parts[i])) consider(spec.key + parts[i] + spec.nameSuffix, editDistance(head, spec.key) + editDistance(rest, spec.nameSuffix));
      }
      continue;
    }
    if (spec.prefix) {
      if (spec.key === 'aliyun.auto_scaling.') {
        // The suffix is one of a known set: misspellings on either side (auto_scale.max_cpus).
        const dot = key.lastIndexOf('.');
        if (dot < 0) continue;
        const head = key.slice(0, dot + 1);
        const tail = key.slice(dot + 1);
        for (const known of AUTO_SCALING_KEYS) consider(spec.key + known, editDistance(head, spec.key) + editDistance(tail, known));
        continue;
      }
      // Split the user's key into "prefix-like part" + trailing suffix (digits or a name after _ or .).
      const m = /^(.*?[._])([A-Za-z0-9-]+)$/.exec(key);
      if (m) consider(spec.key + m[2], editDistance(m[1], spec.key));
      // A port suffix glued on without its separator: aliyun.lb.port80.
      const digits = /^(.*?)(\d+)$/.exec(key);
      if (digits && spec.key.endsWith('_')) consider(spec.key + digits[2], editDistance(digits[1], spec.key));
    } else {
      consider(spec.key, editDistance(key, spec.key));
    }
  }
  if (!best) return undefined;
  const limit = Math.max(2, Math.floor(key.length / 6));
  return best.distance <= limit && best.candidate !== key ? best.candidate : undefined;
}

