// Every code the Kubernetes checks emit, declared for the rule registry (rules/registry.ts lists
// them as the provider 'k8s/rules'): code, severity, category, scope, docs {short, full, help} in
// en and zh-cn, example, fix. The checks themselves are in k8s/rules.ts and k8s/onlineRules.ts.
import { rule, RuleSpec } from '../rules/ruleSpec';

/** A k8s rule in the registry: category 'kubernetes' (offline) or 'online'. */
export type K8sRuleSpec = RuleSpec;

const A = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';

const spec = rule;

export const K8S_RULE_SPECS: readonly K8sRuleSpec[] = [
  spec('k8s-annotations-not-loadbalancer', 'warning', 'kubernetes', 'service', `type: ClusterIP with ${A}id`,
    ['CLB annotations on a Service that is not of type LoadBalancer.', 'The CCM reads CLB annotations only on a LoadBalancer Service (R1); on any other type they do nothing, and leaving LoadBalancer deletes a CLB the CCM created.', 'Set spec.type: LoadBalancer, or remove the annotations.'],
    ['非 LoadBalancer 类型的 Service 上有 CLB 注解。', 'CCM 只读取 LoadBalancer 类型 Service 的 CLB 注解（R1）；其他类型下注解不起作用，且从 LoadBalancer 改为其他类型会删除 CCM 创建的 CLB。', '设置 spec.type: LoadBalancer，或删除这些注解。'],
    { fix: 'set spec.type to LoadBalancer' }),
  spec('k8s-annotations-other-controller', 'information', 'kubernetes', 'service', 'spec.loadBalancerClass: alibabacloud.com/nlb',
    ['Another controller owns this Service.', 'With spec.loadBalancerClass or the service.beta.kubernetes.io/class annotation the CLB controller of the CCM skips the Service (R1).', 'Remove the class if the CLB annotations are meant to apply.'],
    ['此 Service 由其他控制器管理。', '设置了 spec.loadBalancerClass 或 service.beta.kubernetes.io/class 注解时，CCM 的 CLB 控制器会跳过该 Service（R1）。', '如果希望 CLB 注解生效，请删除 class 设置。']),
  spec('k8s-annotation-not-string', 'error', 'kubernetes', 'service', `${A}health-check-flag: true`,
    ['An annotation value that YAML reads as a boolean or number.', 'Annotation values must be strings; the API server rejects a Service whose annotation is true, 80 or 1.5 unquoted.', 'Quote the value.'],
    ['YAML 读成布尔值或数字的注解值。', '注解的值必须是字符串；不加引号的 true、80、1.5 会让 API Server 拒绝该 Service。', '给值加上引号。'],
    { fix: 'quote the value' }),
  spec('k8s-annotation-unknown', 'warning', 'kubernetes', 'service', `${A}force-overide-listeners: "true"`,
    ['A misspelled CLB annotation key.', 'The CCM ignores keys it does not know, silently: a typo means the setting is never applied. Keys of the family this extension does not know (newer CCM versions) get a hint only.', 'Use the suggested key.'],
    ['拼写错误的 CLB 注解键。', 'CCM 会静默忽略不认识的键：拼错意味着该设置永远不会生效。本扩展不认识的同系列键（较新的 CCM 版本）只给出提示。', '使用建议的键。'],
    { otherSeverities: ['hint'], fix: 'change to the suggested key' }),
  spec('k8s-annotation-legacy-shadowed', 'warning', 'kubernetes', 'service', `${A}scheduler + service.beta.kubernetes.io/alicloud-loadbalancer-scheduler`,
    ['The same annotation in both spellings, with different values.', 'The CCM reads the alibaba-cloud- spelling first; the legacy alicloud- value is ignored.', 'Keep one spelling.'],
    ['同一注解的两种写法同时存在且值不同。', 'CCM 优先读取 alibaba-cloud- 写法；旧的 alicloud- 写法的值会被忽略。', '只保留一种写法。']),
  spec('k8s-clb-id-not-id', 'error', 'kubernetes', 'service', `${A}id: slb_redis_app`,
    ['The id annotation holds a name, not a CLB ID.', 'The CCM looks the CLB up by ID only (R2): a name finds nothing and the Service never gets its load balancer. Alibaba\'s kompose fork copies SLB names here.', 'Write the ID (lb-…); online, the quick fix of k8s-clb-id-is-name fills it in.'],
    ['id 注解写的是名称，不是 CLB ID。', 'CCM 只按 ID 查找 CLB（R2）：写名称找不到任何 CLB，Service 永远拿不到负载均衡。阿里云的 kompose 分支会把 SLB 名称写在这里。', '填写 ID（lb-…）；在线时 k8s-clb-id-is-name 的快速修复会自动填写。']),
  spec('k8s-clb-id-placeholder', 'error', 'kubernetes', 'service', `${A}id: "<CLB ID of slb_redis_app>"`,
    ['The id annotation is still a placeholder.', 'The migration leaves a marked placeholder where the SLB name could not be resolved to an ID.', 'Write the CLB ID.'],
    ['id 注解仍是占位符。', '迁移在无法把 SLB 名称解析为 ID 的地方留下带标记的占位符。', '填写 CLB ID。']),
  spec('k8s-annotation-placeholder', 'error', 'kubernetes', 'service', `${A}cert-id: "<server certificate ID>"`,
    ['An annotation value is still a <…> placeholder.', 'The migration leaves placeholders for values only the user knows, such as the certificate of an https listener.', 'Write the real value.'],
    ['注解的值仍是 <…> 占位符。', '迁移会为只有用户知道的值留下占位符，例如 https 监听的证书。', '填写真实的值。']),
  spec('k8s-protocol-port-syntax', 'error', 'kubernetes', 'service', `${A}protocol-port: "https:443,tcp"`,
    ['A protocol-port entry that is not proto:port.', 'The CCM splits on "," then ":"; an entry without ":" fails the whole Service (R7).', 'Write entries like https:443.'],
    ['不是 协议:端口 格式的 protocol-port 条目。', 'CCM 先按 "," 再按 ":" 拆分；没有 ":" 的条目会让整个 Service 失败（R7）。', '写成 https:443 这样的条目。']),
  spec('k8s-protocol-port-scheme', 'error', 'kubernetes', 'service', `${A}protocol-port: "HTTPS:443"`,
    ['A listener protocol other than lowercase http, https, tcp or udp.', 'The CCM compares the protocol exactly, without trimming or lowercasing, and fails the Service otherwise (R7).', 'Use http, https, tcp or udp.'],
    ['不是小写 http、https、tcp、udp 的监听协议。', 'CCM 精确比较协议，不去空格也不转小写，否则会让 Service 失败（R7）。', '使用 http、https、tcp 或 udp。'],
    { fix: 'lowercase the protocol' }),
  spec('k8s-protocol-port-unmatched', 'warning', 'kubernetes', 'service', `${A}protocol-port: "http:8080" with spec.ports[].port 80`,
    ['A protocol-port entry whose port is no spec.ports[].port.', 'The CCM ignores it silently (R7), so the port gets the protocol of spec.ports. The entry names the Service port (the listener), not the targetPort or NodePort; kompose writes the host port here.', 'Use a port of spec.ports.'],
    ['端口不在 spec.ports[].port 中的 protocol-port 条目。', 'CCM 会静默忽略它（R7），该端口使用 spec.ports 中的协议。条目应写 Service 端口（即监听端口），而不是 targetPort 或 NodePort；kompose 会在这里写主机端口。', '使用 spec.ports 中的端口。'],
    { fix: 'change to a port of the Service' }),
  spec('k8s-https-without-cert', 'error', 'kubernetes', 'service', `${A}protocol-port: "https:443" without cert-id`,
    ['An https listener without the cert-id annotation.', 'The CCM does not check it; the CreateLoadBalancerHTTPSListener call fails (R8).', 'Add cert-id with the server certificate ID.'],
    ['没有 cert-id 注解的 https 监听。', 'CCM 不会预先检查；CreateLoadBalancerHTTPSListener 调用会失败（R8）。', '添加 cert-id 注解，填写服务器证书 ID。'],
    { fix: 'add the cert-id annotation' }),
  spec('k8s-forward-port', 'warning', 'kubernetes', 'service', `${A}forward-port: "80:443" with tcp:80`,
    ['forward-port on a port that is not an http listener of the Service.', 'The redirect acts only on http listeners (R9); a port that is not a listener redirects nothing. A malformed entry is an error.', 'Make the left port an http listener and the right port a listener of the Service.'],
    ['forward-port 用在了不是此 Service http 监听的端口上。', '重定向只作用于 http 监听（R9）；不是监听的端口不会重定向。格式错误的条目是错误。', '左侧端口应为 http 监听，右侧端口应为此 Service 的监听。'],
    { otherSeverities: ['error'] }),
  spec('k8s-annotation-int', 'error', 'kubernetes', 'service', `${A}bandwidth: "100M"`,
    ['An integer annotation that does not parse, or is out of range.', 'The CCM parses integers with strconv and fails on anything else (R11); ranges come from the API (weights 0-100, thresholds 2-10, ...).', 'Write a whole number in range.'],
    ['无法解析或超出范围的整数注解。', 'CCM 用 strconv 解析整数，其他内容会失败（R11）；范围来自 API（权重 0-100、阈值 2-10 等）。', '填写范围内的整数。'],
    { otherSeverities: ['warning'] }),
  spec('k8s-annotation-value', 'warning', 'kubernetes', 'service', `${A}scheduler: "RR"`,
    ['A value outside the annotation\'s values.', 'Values are case-sensitive: an enum outside its list, on/off spelled otherwise, or anything but "true" for force-override-listeners (which then means false).', 'Use one of the listed values.'],
    ['超出注解取值范围的值。', '取值区分大小写：枚举值不在列表中、on/off 写法不对，或 force-override-listeners 写了 "true" 以外的值（等于 false）。', '使用列出的取值之一。'],
    { fix: 'change to the exact value' }),
  spec('k8s-annotation-requires', 'warning', 'kubernetes', 'service', `${A}sticky-session: "on" without sticky-session-type`,
    ['An annotation that needs a companion.', 'sticky-session on needs sticky-session-type; acl-status on needs acl-id and acl-type; vgroup-port needs id.', 'Add the missing annotation.'],
    ['需要配套注解的注解。', 'sticky-session 为 on 时需要 sticky-session-type；acl-status 为 on 时需要 acl-id 和 acl-type；vgroup-port 需要 id。', '添加缺少的注解。']),
  spec('k8s-clb-port-shared', 'error', 'kubernetes', 'file', 'two Services with the same id and port 80',
    ['Two Services on one port of the same CLB.', 'A CLB port has one listener (R12): the Services take it from each other on every reconcile.', 'Give each Service its own port or CLB.'],
    ['两个 Service 使用同一 CLB 的同一端口。', '一个 CLB 端口只有一个监听（R12）：每次同步时两个 Service 都会把它抢过去。', '为每个 Service 分配不同的端口或 CLB。']),
  spec('k8s-clb-not-found', 'error', 'online', 'service', `${A}id: "lb-bp1doesnotexist"`,
    ['The CLB is not in the account\'s region.', 'The CCM looks the ID up in the cluster\'s region only.', 'Use a CLB of the cluster\'s region.'],
    ['CLB 不在账号的该地域中。', 'CCM 只在集群所在地域按 ID 查找。', '使用集群所在地域的 CLB。']),
  spec('k8s-clb-id-is-name', 'information', 'online', 'service', `${A}id: slb_redis_app`,
    ['The name in the id annotation resolves to a CLB ID.', 'The account catalog knows the CLB of that name; the annotation needs its ID.', 'Apply the quick fix.'],
    ['id 注解中的名称可以解析为 CLB ID。', '账号的 CLB 列表中有该名称的 CLB；注解需要填写它的 ID。', '应用快速修复。'],
    { fix: 'use the CLB ID (one fix per match)' }),
  spec('k8s-clb-not-reusable', 'error', 'online', 'service', `${A}id of a CLB tagged ack.aliyun.com`,
    ['The CLB was created by a Kubernetes cluster.', 'Only CLBs created in the console or by API can be reused; the CCM refuses CLBs with its tags kubernetes.do.not.delete or ack.aliyun.com (R3).', 'Use a CLB you created yourself, or let the CCM create one (no id).'],
    ['该 CLB 是由 Kubernetes 集群创建的。', '只有在控制台或通过 API 创建的 CLB 才能复用；CCM 拒绝带有 kubernetes.do.not.delete 或 ack.aliyun.com 标签的 CLB（R3）。', '使用自己创建的 CLB，或让 CCM 新建一个（不写 id）。']),
  spec('k8s-listener-not-managed', 'warning', 'online', 'service', `${A}id without force-override-listeners`,
    ['Without force-override-listeners: "true" the CCM touches no listener of a reused CLB.', 'It builds vServer groups and backends only (R5): a missing listener is never created (warning), an existing one keeps its old backends (information).', 'Create or repoint the listener by hand, or set force-override-listeners: "true".'],
    ['没有 force-override-listeners: "true" 时，CCM 不处理复用 CLB 的任何监听。', '它只创建虚拟服务器组和后端（R5）：缺少的监听不会被创建（警告），已有的监听继续使用旧后端（信息）。', '手动创建或修改监听，或设置 force-override-listeners: "true"。'],
    { otherSeverities: ['information'] }),
  spec('k8s-listener-takeover', 'information', 'online', 'service', `${A}force-override-listeners: "true" on a CLB with tcp:6379`,
    ['The CCM takes over an existing listener.', 'With override a listener of the same port and protocol is rewritten (description, vServer group) (R6): its current backends stop receiving traffic.', 'Expected when migrating from Swarm; plan the cut-over.'],
    ['CCM 会接管已有监听。', '开启覆盖后，端口和协议相同的监听会被改写（描述、虚拟服务器组）（R6）：当前后端将不再收到流量。', '从 Swarm 迁移时属于预期行为；请安排好切换。']),
  spec('k8s-listener-protocol-conflict', 'error', 'online', 'service', 'port 8080 tcp on a CLB with http:8080',
    ['Another protocol already listens on the port.', 'With override the CCM creates the listener and the API refuses it: port conflict (R6).', 'Change the port or protocol, or delete the other listener.'],
    ['该端口上已有其他协议的监听。', '开启覆盖后 CCM 会创建监听，API 会因端口冲突拒绝（R6）。', '修改端口或协议，或删除另一个监听。']),
  spec('k8s-clb-address-type', 'error', 'online', 'service', `${A}address-type: intranet on an internet CLB`,
    ['The reused CLB has another address type than address-type asks for.', 'A reused CLB must have the address type the annotation names (R10).', 'Fix the annotation or pick another CLB.'],
    ['复用的 CLB 地址类型与 address-type 要求的不同。', '复用的 CLB 必须与注解指定的地址类型一致（R10）。', '修改注解，或换一个 CLB。']),
  spec('k8s-cert-not-found', 'error', 'online', 'service', `${A}cert-id: "1231579085529123_nope"`,
    ['The server certificate does not exist in the region.', 'The https listener cannot be created with it (R8).', 'Use a certificate of the region (completion lists them).'],
    ['该地域中不存在此服务器证书。', '无法用它创建 https 监听（R8）。', '使用该地域的证书（补全会列出）。']),
  spec('k8s-cert-expired', 'error', 'online', 'service', `${A}cert-id of an expired certificate`,
    ['The server certificate has expired.', 'The CCM refuses an expired certificate when the certificate changes (R8).', 'Upload a new certificate and use its ID.'],
    ['服务器证书已过期。', '证书变更时 CCM 拒绝使用过期证书（R8）。', '上传新证书并使用它的 ID。']),
];

const BY_CODE = new Map(K8S_RULE_SPECS.map((s) => [s.code, s]));

export function k8sRuleSpec(code: string): K8sRuleSpec {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`k8s rule ${code} is not declared in k8s/ruleSpecs.ts`);
  return found;
}
