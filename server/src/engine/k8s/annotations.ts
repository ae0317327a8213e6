// The catalogue of CLB annotations the Alibaba Cloud cloud-controller-manager (CCM) reads on a
// LoadBalancer Service (reference ack-service-annotations.md §1, checked against CCM
// reconcile/annotation/annotations.go). One entry per suffix; both spellings of the prefix map here.
import { getLocale } from '../i18n';

export const ANNOTATION_PREFIX = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
export const LEGACY_ANNOTATION_PREFIX = 'service.beta.kubernetes.io/alicloud-loadbalancer-';
/** The one CLB annotation outside the prefix family. */
export const BACKEND_TYPE_KEY = 'service.beta.kubernetes.io/backend-type';
export const CLASS_ANNOTATION_KEY = 'service.beta.kubernetes.io/class';

export type AnnotationType =
  | { kind: 'clbId' }
  | { kind: 'trueOnly' }
  | { kind: 'onOff' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min: number; max: number; also?: readonly number[] }
  | { kind: 'protocolPort' }
  | { kind: 'forwardPort' }
  | { kind: 'certId' }
  | { kind: 'keyValueList' }
  | { kind: 'vgroupPort' }
  | { kind: 'string'; suggestions?: readonly string[] };

export interface AnnotationSpec {
  suffix: string;
  type: AnnotationType;
  default?: string;
  /** Only NLB (loadBalancerClass) reads it: never judged here, but known (no did-you-mean on it). */
  nlbOnly?: boolean;
  /** Fixed once the CLB exists (R10). */
  immutable?: boolean;
  doc: { en: string; zh: string };
}

const ON_OFF = { kind: 'onOff' } as const;
const str = (suggestions?: readonly string[]): AnnotationType => ({ kind: 'string', suggestions });
const int = (min: number, max: number, also?: readonly number[]): AnnotationType => ({ kind: 'int', min, max, also });
const oneOf = (...values: string[]): AnnotationType => ({ kind: 'enum', values });

export const ANNOTATIONS: readonly AnnotationSpec[] = [
  { suffix: 'id', type: { kind: 'clbId' }, doc: { en: 'Reuse an existing CLB by its ID (`lb-…`). The CCM looks it up by ID only: a name finds nothing. A reused CLB is never deleted by the CCM.', zh: '按 ID（`lb-…`）复用已有的 CLB。CCM 只按 ID 查找：写名称找不到。CCM 不会删除复用的 CLB。' } },
  { suffix: 'force-override-listeners', type: { kind: 'trueOnly' }, default: 'false', doc: { en: 'Only the exact string `"true"` lets the CCM create, take over and delete listeners of a reused CLB. Otherwise it builds vServer groups but touches no listener.', zh: '只有字符串 `"true"` 才会让 CCM 创建、接管并删除复用 CLB 的监听；否则只建虚拟服务器组，不动任何监听。' } },
  { suffix: 'protocol-port', type: { kind: 'protocolPort' }, doc: { en: 'Listener protocol per Service port: `proto:port[,proto:port]`, proto one of http, https, tcp, udp (lowercase); port is a `spec.ports[].port`. Ports not listed use `spec.ports[].protocol`.', zh: '每个 Service 端口的监听协议：`协议:端口[,协议:端口]`，协议为小写的 http、https、tcp、udp；端口是 `spec.ports[].port`。未列出的端口使用 `spec.ports[].protocol`。' } },
  { suffix: 'cert-id', type: { kind: 'certId' }, doc: { en: 'Server certificate ID for the https listeners (required for https).', zh: 'https 监听使用的服务器证书 ID（https 必填）。' } },
  { suffix: 'forward-port', type: { kind: 'forwardPort' }, doc: { en: 'HTTP-to-HTTPS redirect: `80:443[,88:6443]`; the http listener on the left port forwards to the listener on the right port. Acts on http listeners only.', zh: 'HTTP 重定向到 HTTPS：`80:443[,88:6443]`，左侧端口的 http 监听转发到右侧端口的监听。仅作用于 http 监听。' } },
  { suffix: 'address-type', type: oneOf('internet', 'intranet'), default: 'internet', immutable: true, doc: { en: 'CLB address type. Fixed after creation; a reused CLB must have this address type.', zh: 'CLB 地址类型。创建后不可修改；复用的 CLB 必须是该地址类型。' } },
  { suffix: 'vswitch-id', type: str(), doc: { en: 'vSwitch of an intranet CLB (`vsw-…`); only meaningful with address-type intranet.', zh: '私网 CLB 的交换机（`vsw-…`），仅在 address-type 为 intranet 时有意义。' } },
  { suffix: 'slb-network-type', type: oneOf('classic', 'vpc'), immutable: true, doc: { en: 'Network type of the CLB; classic drops the vSwitch. Fixed after creation.', zh: 'CLB 的网络类型；classic 不使用交换机。创建后不可修改。' } },
  { suffix: 'spec', type: str(['slb.s1.small', 'slb.s2.small', 'slb.s2.medium', 'slb.s3.small', 'slb.s3.medium', 'slb.s3.large']), default: 'slb.s1.small', doc: { en: 'CLB specification (pay-by-spec only). Edits in the console are reverted by the CCM.', zh: 'CLB 规格（仅按规格计费）。在控制台的修改会被 CCM 改回。' } },
  { suffix: 'instance-charge-type', type: oneOf('PayBySpec', 'PayByCLCU'), doc: { en: 'Instance billing: PayBySpec or PayByCLCU (pay-by-CLCU has no spec).', zh: '实例计费方式：PayBySpec 或 PayByCLCU（按使用量计费时没有规格）。' } },
  { suffix: 'charge-type', type: oneOf('paybytraffic', 'paybybandwidth'), default: 'paybytraffic', doc: { en: 'Internet billing of an internet CLB: paybytraffic or paybybandwidth.', zh: '公网 CLB 的公网计费方式：paybytraffic 或 paybybandwidth。' } },
  { suffix: 'bandwidth', type: int(1, 5120), default: '50', doc: { en: 'Peak bandwidth in Mbit/s; applied only with charge-type paybybandwidth on an internet CLB.', zh: '带宽峰值（Mbit/s），仅在公网 CLB 且 charge-type 为 paybybandwidth 时生效。' } },
  { suffix: 'master-zoneid', type: str(), immutable: true, doc: { en: 'Primary zone of a new CLB; a change later is an error.', zh: '新建 CLB 的主可用区；之后修改会报错。' } },
  { suffix: 'slave-zoneid', type: str(), immutable: true, doc: { en: 'Backup zone of a new CLB; a change later is an error.', zh: '新建 CLB 的备可用区；之后修改会报错。' } },
  { suffix: 'ip-version', type: oneOf('ipv4', 'ipv6'), default: 'ipv4', immutable: true, doc: { en: 'IP version of a new CLB. Fixed after creation.', zh: '新建 CLB 的 IP 版本。创建后不可修改。' } },
  { suffix: 'ip', type: str(), immutable: true, doc: { en: 'Requested IPv4 address of a new intranet CLB. Fixed after creation.', zh: '新建私网 CLB 指定的 IPv4 地址。创建后不可修改。' } },
  { suffix: 'name', type: str(), doc: { en: 'Name of a CLB the CCM creates (default `a` + the Service UID without dashes, at most 32 characters).', zh: 'CCM 新建的 CLB 的名称（默认 `a` + 去掉短横线的 Service UID，最长 32 个字符）。' } },
  { suffix: 'resource-group-id', type: str(), immutable: true, doc: { en: 'Resource group (`rg-…`) of a new CLB. Fixed after creation.', zh: '新建 CLB 的资源组（`rg-…`）。创建后不可修改。' } },
  { suffix: 'additional-resource-tags', type: { kind: 'keyValueList' }, doc: { en: 'Extra tags `k1=v1,k2=v2` on a CLB the CCM creates (not applied to a reused CLB).', zh: '给 CCM 新建的 CLB 添加的标签 `k1=v1,k2=v2`（不作用于复用的 CLB）。' } },
  { suffix: 'delete-protection', type: ON_OFF, default: 'on', doc: { en: 'Deletion protection of a CLB the CCM creates.', zh: 'CCM 新建的 CLB 的删除保护。' } },
  { suffix: 'modification-protection', type: oneOf('ConsoleProtection', 'NonProtection'), default: 'ConsoleProtection', doc: { en: 'Configuration-modification protection of the CLB.', zh: 'CLB 的配置修改保护。' } },
  { suffix: 'preserve-lb-on-delete', type: str(['true']), doc: { en: 'Any non-empty value keeps a CCM-created CLB when the Service is deleted.', zh: '任意非空值：删除 Service 时保留 CCM 新建的 CLB。' } },
  { suffix: 'scheduler', type: oneOf('rr', 'wrr', 'wlc'), default: 'rr', doc: { en: 'Listener scheduling algorithm: rr (round robin), wrr (weighted), wlc (weighted least connections).', zh: '监听调度算法：rr（轮询）、wrr（加权轮询）、wlc（加权最小连接数）。' } },
  { suffix: 'persistence-timeout', type: int(0, 3600), default: '0', doc: { en: 'TCP session persistence in seconds (0 = off); TCP listeners only.', zh: 'TCP 会话保持时间（秒，0 为关闭），仅 TCP 监听。' } },
  { suffix: 'sticky-session', type: ON_OFF, default: 'off', doc: { en: 'Session persistence of http/https listeners; sticky-session-type is required when on.', zh: 'http/https 监听的会话保持；开启时必须设置 sticky-session-type。' } },
  { suffix: 'sticky-session-type', type: oneOf('insert', 'server'), doc: { en: 'insert (the CLB sets a cookie, see cookie-timeout) or server (the backend\'s cookie, see cookie).', zh: 'insert（CLB 植入 cookie，见 cookie-timeout）或 server（重写后端 cookie，见 cookie）。' } },
  { suffix: 'cookie-timeout', type: int(1, 86400), doc: { en: 'Cookie lifetime in seconds for sticky-session-type insert.', zh: 'sticky-session-type 为 insert 时 cookie 的有效期（秒）。' } },
  { suffix: 'cookie', type: str(), doc: { en: 'Cookie name for sticky-session-type server.', zh: 'sticky-session-type 为 server 时的 cookie 名称。' } },
  { suffix: 'health-check-flag', type: ON_OFF, default: 'off', doc: { en: 'Health check of http/https listeners.', zh: 'http/https 监听的健康检查开关。' } },
  { suffix: 'health-check-switch', type: ON_OFF, doc: { en: 'Health check of tcp/udp listeners.', zh: 'tcp/udp 监听的健康检查开关。' } },
  { suffix: 'health-check-type', type: oneOf('tcp', 'http'), default: 'tcp', doc: { en: 'Health check type of a TCP listener: tcp or http.', zh: 'TCP 监听的健康检查类型：tcp 或 http。' } },
  { suffix: 'health-check-uri', type: str(['/']), doc: { en: 'Path of an http health check.', zh: 'http 健康检查的路径。' } },
  { suffix: 'health-check-domain', type: str(['$_ip']), doc: { en: 'Host of an http health check (a domain, or `$_ip` for the backend address).', zh: 'http 健康检查的域名（或 `$_ip` 表示后端地址）。' } },
  { suffix: 'health-check-httpcode', type: str(['http_2xx', 'http_2xx,http_3xx', 'http_2xx,http_3xx,http_4xx']), default: 'http_2xx', doc: { en: 'Status codes that count as healthy: http_2xx, http_3xx, http_4xx, http_5xx, comma-separated.', zh: '视为健康的状态码：http_2xx、http_3xx、http_4xx、http_5xx，用逗号分隔。' } },
  { suffix: 'health-check-method', type: oneOf('head', 'get'), doc: { en: 'HTTP method of the health check: head or get.', zh: '健康检查的 HTTP 方法：head 或 get。' } },
  { suffix: 'health-check-connect-port', type: int(1, 65535, [-520]), doc: { en: 'Port the health check connects to: `-520` for the backend port, or 1–65535.', zh: '健康检查连接的端口：`-520` 表示后端端口，或 1–65535。' } },
  { suffix: 'healthy-threshold', type: int(2, 10), default: '3', doc: { en: 'Successful checks before a backend counts as healthy (2–10).', zh: '后端被判定为健康所需的连续成功次数（2–10）。' } },
  { suffix: 'unhealthy-threshold', type: int(2, 10), default: '3', doc: { en: 'Failed checks before a backend counts as unhealthy (2–10).', zh: '后端被判定为不健康所需的连续失败次数（2–10）。' } },
  { suffix: 'health-check-interval', type: int(1, 50), default: '2', doc: { en: 'Seconds between health checks (1–50).', zh: '健康检查间隔（秒，1–50）。' } },
  { suffix: 'health-check-connect-timeout', type: int(1, 300), default: '5', doc: { en: 'TCP health check timeout in seconds (1–300); below the interval the interval is used.', zh: 'TCP 健康检查超时（秒，1–300）；小于间隔时以间隔为准。' } },
  { suffix: 'health-check-timeout', type: int(1, 300), default: '5', doc: { en: 'HTTP health check timeout in seconds (1–300); below the interval the interval is used.', zh: 'HTTP 健康检查超时（秒，1–300）；小于间隔时以间隔为准。' } },
  { suffix: 'acl-status', type: ON_OFF, default: 'off', doc: { en: 'Access control on all listeners; acl-id and acl-type are required when on.', zh: '所有监听的访问控制；开启时必须设置 acl-id 和 acl-type。' } },
  { suffix: 'acl-id', type: str(), doc: { en: 'Access control list ID (`acl-…`).', zh: '访问控制列表 ID（`acl-…`）。' } },
  { suffix: 'acl-type', type: oneOf('white', 'black'), doc: { en: 'white (allow only the list) or black (deny the list).', zh: 'white（仅允许列表）或 black（拒绝列表）。' } },
  { suffix: 'established-timeout', type: int(10, 900), doc: { en: 'TCP connection idle timeout in seconds (10–900).', zh: 'TCP 连接超时时间（秒，10–900）。' } },
  { suffix: 'idle-timeout', type: int(1, 60), doc: { en: 'HTTP keep-alive idle timeout in seconds (1–60).', zh: 'HTTP 长连接空闲超时（秒，1–60）。' } },
  { suffix: 'request-timeout', type: int(1, 180), doc: { en: 'HTTP request timeout in seconds (1–180).', zh: 'HTTP 请求超时（秒，1–180）。' } },
  { suffix: 'connection-drain', type: ON_OFF, doc: { en: 'Connection draining of tcp/udp listeners; set connection-drain-timeout when on.', zh: 'tcp/udp 监听的连接优雅中断；开启时设置 connection-drain-timeout。' } },
  { suffix: 'connection-drain-timeout', type: int(10, 900), doc: { en: 'Connection draining time in seconds (10–900).', zh: '连接优雅中断时间（秒，10–900）。' } },
  { suffix: 'proxy-protocol', type: ON_OFF, doc: { en: 'Pass the client address with Proxy Protocol (tcp/udp).', zh: '通过 Proxy Protocol 传递客户端地址（tcp/udp）。' } },
  { suffix: 'http2-enabled', type: ON_OFF, doc: { en: 'HTTP/2 on https listeners.', zh: 'https 监听启用 HTTP/2。' } },
  { suffix: 'tls-cipher-policy', type: oneOf('tls_cipher_policy_1_0', 'tls_cipher_policy_1_1', 'tls_cipher_policy_1_2', 'tls_cipher_policy_1_2_strict', 'tls_cipher_policy_1_2_strict_with_1_3'), doc: { en: 'TLS security policy of https listeners.', zh: 'https 监听的 TLS 安全策略。' } },
  { suffix: 'xforwardedfor-proto', type: ON_OFF, doc: { en: 'Add X-Forwarded-Proto with the listener protocol (http/https).', zh: '添加 X-Forwarded-Proto 头，值为监听协议（http/https）。' } },
  { suffix: 'xforwardedfor-slbport', type: ON_OFF, doc: { en: 'Add XForwardedFor_SLBPORT with the listener port (http/https).', zh: '添加 XForwardedFor_SLBPORT 头，值为监听端口（http/https）。' } },
  { suffix: 'xforwardedfor-clientsrcport', type: ON_OFF, doc: { en: 'Add XForwardedFor_ClientSrcPort with the client port (http/https).', zh: '添加 XForwardedFor_ClientSrcPort 头，值为客户端端口（http/https）。' } },
  { suffix: 'domain-extensions', type: str(), doc: { en: 'Extra domains of https listeners: `domain:certId,…`.', zh: 'https 监听的扩展域名：`域名:证书ID,…`。' } },
  { suffix: 'backend-label', type: { kind: 'keyValueList' }, doc: { en: 'Only nodes with all these labels (`k=v[,k=v]`) become backends.', zh: '只有同时具有这些标签（`k=v[,k=v]`）的节点才作为后端。' } },
  { suffix: 'remove-unscheduled-backend', type: ON_OFF, default: 'off', doc: { en: 'on: cordoned (unschedulable) nodes leave the backends.', zh: 'on：不可调度（已 cordon）的节点从后端移除。' } },
  { suffix: 'vgroup-port', type: { kind: 'vgroupPort' }, doc: { en: 'Attach nodes to user-created vServer groups: `vsp-…:port[,…]` (only with `id`).', zh: '把节点挂到用户自建的虚拟服务器组：`vsp-…:端口[,…]`（仅与 `id` 一起使用）。' } },
  { suffix: 'weight', type: int(0, 100), doc: { en: 'Total weight of this Service\'s backends in a shared vServer group (0–100).', zh: '此 Service 的后端在共享虚拟服务器组中的总权重（0–100）。' } },
  { suffix: 'hostname', type: str(), doc: { en: 'Hostname written to status.loadBalancer.ingress instead of the IP.', zh: '写入 status.loadBalancer.ingress 的主机名（替代 IP）。' } },
  { suffix: 'external-ip-type', type: str(), doc: { en: 'External IP type of the load balancer.', zh: '负载均衡的外部 IP 类型。' } },
  { suffix: 'backend-ip-version', type: oneOf('ipv4', 'ipv6'), doc: { en: 'IP version of the backends.', zh: '后端的 IP 版本。' } },
  // Read only for NLB (spec.loadBalancerClass): known, so they are never called misspelled.
  ...['zone-maps', 'security-group-ids', 'bandwidth-package-id', 'cacert-id', 'cacert', 'cps', 'preserve-client-ip', 'server-group-type', 'ppv2-pvl-ep-id-enabled', 'ppv2-pvl-eps-id-enabled', 'ppv2-pvl-vpc-id-enabled'].map(
    (suffix): AnnotationSpec => ({ suffix, type: str(), nlbOnly: true, doc: { en: 'Read for NLB (Network Load Balancer) Services only, not for CLB.', zh: '仅对 NLB（网络型负载均衡）Service 生效，不作用于 CLB。' } }),
  ),
];

const BY_SUFFIX = new Map(ANNOTATIONS.map((a) => [a.suffix, a]));

export const BACKEND_TYPE_SPEC: AnnotationSpec = { suffix: '', type: oneOf('eni', 'ecs'), doc: { en: 'Backend type: `eni` (pod ENIs are the backends, Terway) or `ecs` (nodes, via NodePort). Default: the cluster setting.', zh: '后端类型：`eni`（Pod 的弹性网卡为后端，Terway）或 `ecs`（节点，经 NodePort）。默认：集群设置。' } };

export interface KnownAnnotation {
  spec: AnnotationSpec;
  /** The legacy `alicloud-loadbalancer-` spelling. */
  legacy: boolean;
  suffix: string;
}

/** The catalogue entry of an annotation key, or undefined for a key the CCM does not read. */
export function lookupAnnotation(key: string): KnownAnnotation | undefined {
  if (key === BACKEND_TYPE_KEY) return { spec: BACKEND_TYPE_SPEC, legacy: false, suffix: '' };
  const legacy = key.startsWith(LEGACY_ANNOTATION_PREFIX);
  if (!legacy && !key.startsWith(ANNOTATION_PREFIX)) return undefined;
  const suffix = key.slice((legacy ? LEGACY_ANNOTATION_PREFIX : ANNOTATION_PREFIX).length);
  const spec = BY_SUFFIX.get(suffix);
  return spec ? { spec, legacy, suffix } : undefined;
}

export function annotationKey(suffix: string, legacy = false): string {
  return (legacy ? LEGACY_ANNOTATION_PREFIX : ANNOTATION_PREFIX) + suffix;
}

/** Is this key one of the CLB family (known or not)? Used for R1 and the typo check. */
export function isClbFamilyKey(key: string): boolean {
  return key.startsWith(ANNOTATION_PREFIX) || key.startsWith(LEGACY_ANNOTATION_PREFIX) || key === BACKEND_TYPE_KEY;
}

export function docOf(spec: AnnotationSpec): string {
  return getLocale() === 'zh-cn' ? spec.doc.zh : spec.doc.en;
}
