// Compose semantics around the labels: `extends` that cannot be followed, several YAML documents
// in one compose file, and lb labels on a host-networked service.
import { t } from '../i18n';
import { isLbKey, parseLbKey } from '../labels/lbLabel';
import { rule, RuleProvider, ServiceCheckInput } from './ruleSpec';
import { isHostNetwork } from './serviceRules';
import { Finding, ServiceRuleResult } from './types';

function checkComposeService({ service, extended }: ServiceCheckInput, out: ServiceRuleResult): void {
  if (service.extends && extended?.problem) {
    out.findings.push({
      code: 'compose-extends-unresolved',
      severity: 'information',
      message: t("The ports service '{0}' gets through extends are not known: {1}. Nothing is said about whether its lb labels' ports are published.", service.name, extended.problem),
      span: service.extends.span,
    });
  }
  if (isHostNetwork(service)) checkHostNetwork(service, out);
}

/**
 * `network_mode: host` (v1 `net: host`): Docker ignores port mappings and the container binds the
 * node's ports itself, so container port = node port. The lb documentation derives the SLB backend
 * port from the ports mapping; what the Container Service agent registered for a host-networked
 * container is not documented in any material found. So: information, saying what is known; a
 * warning only for a mapping that points the backend at another port, which is certainly wrong.
 */
function checkHostNetwork(service: ServiceCheckInput['service'], out: ServiceRuleResult): void {
  const mode = service.networkMode!;
  for (const label of service.labels) {
    if (!isLbKey(label.key)) continue;
    const containerPort = parseLbKey(label.key).port;
    if (containerPort === undefined) continue;
    const remapped = service.ports.find((p) => p.containerStart !== undefined && p.hostStart !== undefined && p.containerStart <= containerPort && containerPort <= (p.containerEnd ?? p.containerStart) && p.hostStart + (containerPort - p.containerStart) !== containerPort);
    if (remapped) {
      const hostPort = remapped.hostStart! + (containerPort - remapped.containerStart!);
      out.findings.push({
        code: 'lb-host-network',
        severity: 'warning',
        message: t("With network_mode: host Docker ignores the mapping '{0}': the container listens on node port {1}, not {2}. An SLB listener forwarding to backend port {2} reaches nothing; use backend port {1} (and drop the mapping, or map {1}:{1}).", remapped.raw, containerPort, hostPort),
        span: label.keySpan,
        related: [{ span: remapped.span, message: t('Ignored with host networking') }, { span: mode.span, message: t('Host networking') }],
      });
      continue;
    }
    out.findings.push({
      code: 'lb-host-network',
      severity: 'information',
      message: t("Service '{0}' uses host networking: port mappings do not apply and the container listens on node port {1} itself, so the SLB backend port would be {1}. The lb label documentation takes the backend port from the ports mapping; whether the Container Service agent registers host-networked containers as backends is not documented. Check the listener's backend servers after deploying.", service.name, containerPort),
      span: label.keySpan,
      related: [{ span: mode.span, message: t('Host networking') }],
    });
  }
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/** The `---` that starts a second YAML document: one that comes after content (not the optional first marker). */
function checkComposeFile(text: string): Finding[] {
  if (!text.includes('---')) return [];
  DOCUMENT_START.lastIndex = 0;
  let checkedUpTo = 0; // each stretch of text is looked at once
  for (let m = DOCUMENT_START.exec(text); m; m = DOCUMENT_START.exec(text)) {
    // Content before this marker (a line that is not blank, a comment or a directive)?
    const content = hasContent(text.slice(checkedUpTo, m.index));
    checkedUpTo = m.index + 3;
    if (!content) continue;
    // A trailing '---' with nothing after it: no service is lost, but PyYAML still sees two documents.
    const emptyRest = !hasContent(text.slice(m.index + 3));
    return [
      {
        code: 'compose-multiple-documents',
        severity: 'warning',
        message: emptyRest
          ? t("An empty second YAML document starts here (a '---' with nothing after it). docker-compose 1.x rejects even that ('expected a single document in the stream'): remove this line.")
          : t("A second YAML document starts here. A compose file is one document: docker-compose 1.x (which Container Service used) rejects the file ('expected a single document in the stream'), and libcompose reads only the first document, so the services below are not deployed. Move them into the first document, or into a file of their own."),
        span: { start: m.index, end: m.index + 3 },
      },
    ];
  }
  return [];
}

function hasContent(text: string): boolean {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith('%') && trimmed !== '---' && !trimmed.startsWith('--- #') && trimmed !== '\ufeff') return true;
  }
  return false;
}

/** The rules this module checks (registered in rules/registry.ts). */
export const COMPOSE_RULES: RuleProvider = {
  id: 'rules/composeRules',
  checkService: checkComposeService,
  checkFile: checkComposeFile,
  checkFileWhen: '---',
  rules: [
    rule('compose-extends-unresolved', 'information', 'cross-service', 'service', '`extends: {file: common.yml, service: api-base}` with common.yml missing',
      ['An extends that cannot be followed.', "The extended file is missing or unreadable, names no such service, or the chain loops: the ports the service would get from it are unknown, so its lb labels' ports are not checked.", 'Fix the file name or service name, or ignore this if the file is provided at deploy time.'],
      ['无法解析的 extends。', '被扩展的文件不存在或无法读取、其中没有该服务，或扩展链形成循环：该服务由此获得的端口未知，因此不检查其 lb 标签的端口。', '修正文件名或服务名；如果该文件在部署时才提供，可忽略此提示。']),
    rule('compose-multiple-documents', 'warning', 'syntax', 'file', 'a second `---` after services',
      ['Several YAML documents in one compose file.', 'docker-compose 1.x rejects the file, and libcompose reads only the first document: services after the second --- are not deployed.', 'Put every service into the first document, or split the file.'],
      ['一个 compose 文件中有多个 YAML 文档。', 'docker-compose 1.x 会拒绝该文件，libcompose 只读取第一个文档：第二个 --- 之后的服务不会被部署。', '把所有服务放进第一个文档，或拆分文件。']),
    rule('lb-host-network', 'information', 'port chain', 'service', '`network_mode: host` + `aliyun.lb.port_80: tcp://slb_web:80`',
      ['An lb label on a host-networked service.', "With host networking Docker ignores port mappings and the container listens on the node's port itself. The lb documentation takes the backend port from the mapping; what the Container Service agent does for host-networked containers is not documented (information). A mapping to another host port is certainly wrong (warning).", 'Make the listener forward to the container port; check the backend servers after deploying.'],
      ['主机网络服务上的 lb 标签。', '使用主机网络时 Docker 忽略端口映射，容器直接监听节点端口。lb 文档从端口映射得到后端端口；容器服务代理如何处理主机网络容器没有文档说明（提示）。映射到其他主机端口则肯定有误（警告）。', '让监听转发到容器端口；部署后检查后端服务器。'],
      { otherSeverities: ['warning'] }),
  ],
};
