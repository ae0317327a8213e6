// Online checks: the lb bindings of a compose file against the SLB catalog of the account.
// Pure: bindings + snapshot in, findings out. No snapshot (no credentials, not loaded yet, or the
// last refresh failed) means no findings at all: online rules never guess.
import type { PlacedBinding } from '../rules/crossServiceRules';
import type { Finding } from '../rules/types';
import { t } from '../i18n';
import { hasVariable, looksLikeSlbId, portSpaceOf, regionOfOldStyleId } from '../labels/lbLabel';
import type { CatalogListener, CatalogSlb, CatalogSnapshot, ElsewhereResult } from './catalog';
import { SERVER_COMMANDS } from '../../../../common/protocol';
import { rule, RuleProvider } from '../rules/ruleSpec';

export const ONLINE_CODES = {
  notFound: 'slb-not-found',
  ambiguous: 'slb-name-ambiguous',
  inactive: 'slb-inactive',
  intranet: 'slb-intranet',
  listenerMissing: 'slb-listener-missing',
  listenerMismatch: 'slb-listener-mismatch',
  httpsNoCertificate: 'slb-https-no-certificate',
  listenerStopped: 'slb-listener-stopped',
  sameByNameAndId: 'slb-same-by-name-and-id',
} as const;

export interface OnlineInputs {
  /** The trusted snapshot; undefined = say nothing. */
  snapshot: CatalogSnapshot | undefined;
  /** Other-region lookups (undefined = not known yet). */
  elsewhereOf?: (ref: string) => ElsewhereResult | undefined;
}

export interface OnlineResult {
  findings: Finding[];
  /** Names/IDs not found in the region (candidates for an other-region lookup). */
  missing: string[];
}

/** Resolve an SLB reference (ID first, then name) in a snapshot. */
export function lookupSlb(snapshot: CatalogSnapshot, ref: string): CatalogSlb[] {
  const byId = snapshot.byId.get(ref);
  if (byId) return [byId];
  return snapshot.byName.get(ref) ?? [];
}

export function checkOnline(bindings: readonly PlacedBinding[], inputs: OnlineInputs): OnlineResult {
  const snapshot = inputs.snapshot;
  const result: OnlineResult = { findings: [], missing: [] };
  if (!snapshot) return result;
  const reportedSlb = new Set<string>();
  const intranetReported = new Set<string>();
  for (const b of bindings) {
    if (!b.slb || hasVariable(b.slb)) continue;
    const slbSpan = { start: b.base + b.slbSpan.start, end: b.base + b.slbSpan.end };
    const portSpan = { start: b.base + b.frontPortSpan.start, end: b.base + b.frontPortSpan.end };
    // SLB-level findings once per SLB span (a label may list the same SLB twice only on different ports).
    const slbKey = `${slbSpan.start}:${slbSpan.end}`;
    const firstForSpan = !reportedSlb.has(slbKey);
    reportedSlb.add(slbKey);
    const matches = lookupSlb(snapshot, b.slb);
    if (matches.length === 0) {
      if (!result.missing.includes(b.slb)) result.missing.push(b.slb);
      if (firstForSpan) result.findings.push(notFound(b.slb, snapshot.region, slbSpan, inputs.elsewhereOf?.(b.slb)));
      continue;
    }
    if (matches.length > 1) {
      if (firstForSpan) {
        result.findings.push({
          code: ONLINE_CODES.ambiguous,
          severity: 'warning',
          message: t("SLB name '{0}' matches {1} SLBs in {2}: {3}. The label cannot tell them apart: use the ID instead.", b.slb, matches.length, snapshot.region, matches.map((m) => m.id).join(', ')),
          span: slbSpan,
          fixes: matches.map((m) => ({
            title: t('Use SLB ID {0} ({1})', m.id, [m.address, m.addressType, m.status].filter(Boolean).join(', ')),
            edits: [{ span: slbSpan, newText: m.id }],
          })),
        });
      }
      continue;
    }
    const slb = matches[0];
    const label = slb.name && slb.name !== b.slb ? `${b.slb} (${slb.name})` : b.slb;
    if (firstForSpan && slb.status && slb.status !== 'active') {
      result.findings.push({
        code: ONLINE_CODES.inactive,
        severity: 'warning',
        message:
          slb.status === 'locked'
            ? t("SLB '{0}' is locked (overdue or expired): it takes no traffic and its listeners cannot be changed. Renew it, or use another SLB.", label)
            : t("SLB '{0}' is {1}: it takes no traffic. Start it in the SLB console, or use another SLB.", label, slb.status),
        span: slbSpan,
      });
    }
    if (slb.addressType === 'intranet' && !intranetReported.has(slb.id)) {
      intranetReported.add(slb.id);
      result.findings.push({
        code: ONLINE_CODES.intranet,
        severity: 'information',
        message: t("SLB '{0}' has an intranet address ({1}): it is reachable from its VPC only, not from the internet.", label, slb.address ?? '-'),
        span: slbSpan,
      });
    }
    if (!slb.listenersKnown) continue;
    const space = portSpaceOf(b.scheme);
    const onPort = slb.listeners.filter((l) => l.port === b.frontPort && portSpaceOf(l.protocol) === space);
    if (onPort.length === 0) {
      result.findings.push({
        code: ONLINE_CODES.listenerMissing,
        severity: 'information',
        message:
          b.hostPort !== undefined
            ? t("No listener on front port {0} of SLB '{1}' yet: run 'Provision listener' to create a {2} listener forwarding to backend port {3}.", b.frontPort, label, b.scheme.toUpperCase(), b.hostPort)
            : t("No listener on front port {0} of SLB '{1}' yet: run 'Provision listener' to create a {2} listener.", b.frontPort, label, b.scheme.toUpperCase()),
        span: portSpan,
        // The code action passes [{uri, position}] of this diagnostic (features/codeActions.ts).
        fixes: [{ title: t('Provision the {0} listener on front port {1}…', b.scheme.toUpperCase(), b.frontPort), edits: [], command: { command: SERVER_COMMANDS.provision } }],
      });
      continue;
    }
    const same = onPort.find((l) => l.protocol === b.scheme);
    if (!same) {
      const other = onPort[0];
      result.findings.push({
        code: ONLINE_CODES.listenerMismatch,
        severity: 'warning',
        message: t("Front port {0} of SLB '{1}' already has a {2} listener, but this label needs {3}. Use another front port, or change the listener.", b.frontPort, label, other.protocol.toUpperCase(), b.scheme.toUpperCase()),
        span: portSpan,
      });
      continue;
    }
    // (On an inactive SLB the slb-inactive finding says it all: starting the listener would not help.)
    if (same.status === 'stopped' && (!slb.status || slb.status === 'active')) {
      // The quick fix runs the same plan -> confirm -> apply path as provisioning (its plan starts a stopped listener).
      result.findings.push({
        code: ONLINE_CODES.listenerStopped,
        severity: 'warning',
        message: t("The {0} listener on front port {1} of SLB '{2}' exists but is stopped: it takes no traffic. Start it ('Provision listener' plans the start and asks before applying it).", same.protocol.toUpperCase(), b.frontPort, label),
        span: portSpan,
        fixes: [{ title: t('Start the {0} listener on front port {1}…', same.protocol.toUpperCase(), b.frontPort), edits: [], command: { command: SERVER_COMMANDS.provision } }],
      });
    }
    if (b.hostPort !== undefined && same.backendPort !== undefined && !same.vServerGroupId && same.backendPort !== b.hostPort) {
      result.findings.push({
        code: ONLINE_CODES.listenerMismatch,
        severity: 'warning',
        message: t("The {0} listener on front port {1} of SLB '{2}' forwards to backend port {3}, but this service publishes host port {4}. Publish host port {3}, or change the listener's backend port.", same.protocol.toUpperCase(), b.frontPort, label, same.backendPort, b.hostPort),
        span: portSpan,
      });
    }
    if (same.protocol === 'https' && !same.serverCertificateId) {
      result.findings.push({
        code: ONLINE_CODES.httpsNoCertificate,
        severity: 'warning',
        message: t("The HTTPS listener on front port {0} of SLB '{1}' has no server certificate: upload one to SLB and set it on the listener.", b.frontPort, label),
        span: portSpan,
      });
    }
  }
  result.findings.push(...sameSlbByNameAndId(bindings, snapshot));
  return result;
}

/**
 * X2: one SLB named by its name in one service and by its ID in another. Offline the two texts
 * look like two SLBs; only the catalog knows they are one. Information: the reference rates it so,
 * and the file alone does not say whether the sharing is intended.
 */
function sameSlbByNameAndId(bindings: readonly PlacedBinding[], snapshot: CatalogSnapshot): Finding[] {
  const first = new Map<string, PlacedBinding>(); // SLB ID -> the first binding that refers to it
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const b of bindings) {
    if (!b.slb || hasVariable(b.slb)) continue;
    const matches = lookupSlb(snapshot, b.slb);
    if (matches.length !== 1) continue;
    const id = matches[0].id;
    const owner = first.get(id);
    if (!owner) {
      first.set(id, b);
      continue;
    }
    // Two different texts for one SLB in two services: one is the name, the other the ID.
    if (owner.service === b.service || owner.slb === b.slb) continue;
    const key = `${b.service}\u0000${id}`;
    if (reported.has(key)) continue;
    reported.add(key);
    findings.push({
      code: ONLINE_CODES.sameByNameAndId,
      severity: 'information',
      message: t("'{0}' and '{1}' (service '{2}') are the same SLB {3}, once by name and once by ID. Two services on one SLB remove each other's backend servers: if that is not intended, give this service its own SLB.", b.slb, owner.slb, owner.service, id),
      span: { start: b.base + b.slbSpan.start, end: b.base + b.slbSpan.end },
      related: [{ span: { start: owner.base + owner.slbSpan.start, end: owner.base + owner.slbSpan.end }, message: t("SLB {0} used by service '{1}'", id, owner.service) }],
    });
  }
  return findings;
}

function notFound(ref: string, region: string, span: { start: number; end: number }, elsewhere: ElsewhereResult | undefined): Finding {
  const isId = looksLikeSlbId(ref);
  const regions = new Set(elsewhere?.regions ?? []);
  const embedded = regionOfOldStyleId(ref);
  if (embedded && embedded !== region && !elsewhere) regions.add(embedded);
  regions.delete(region);
  const where = [...regions].sort();
  let message: string;
  if (where.length > 0) {
    message = isId
      ? t("SLB '{0}' is not in region {1}: it is in {2}. Switch the region (command 'Select region') or use an SLB of {1}.", ref, region, where.join(', '))
      : t("No SLB named '{0}' in region {1}, but one exists in {2}. Switch the region (command 'Select region') or use an SLB of {1}.", ref, region, where.join(', '));
  } else {
    message = isId
      ? t("No SLB with ID '{0}' in region {1} of this account. Check the ID and the region.", ref, region)
      : t("No SLB named '{0}' in region {1} of this account. Check the name (names are case-sensitive) or create the SLB first.", ref, region);
  }
  return { code: ONLINE_CODES.notFound, severity: 'warning', message, span };
}

/** One-line listener text for completion details and cards: `TCP 6379 → 6379 (running)`. */
export function listenerText(l: CatalogListener): string {
  const backend = l.backendPort !== undefined ? ` → ${l.backendPort}` : l.vServerGroupId ? ` → ${l.vServerGroupId}` : '';
  return `${l.protocol.toUpperCase()} ${l.port}${backend}${l.status ? ` (${l.status})` : ''}`;
}

/** The rules this module checks (registered in rules/registry.ts). They need credentials and run only with a trusted catalog snapshot. */
export const ONLINE_RULES: RuleProvider = {
  id: 'cloud/onlineRules',
  rules: [
    rule(ONLINE_CODES.notFound, 'warning', 'online', 'workspace', '`tcp://slb_typo:80`',
      ['No SLB with this name or ID in the region.', 'The agent cannot bind the service; the SLB may be in another region (the finding says which) or the name is misspelled (names are case-sensitive).', 'Check the name and the region, or create the SLB first.'],
      ['该地域中没有此名称或 ID 的 SLB。', '代理无法绑定服务；SLB 可能在其他地域（诊断会说明是哪个），或名称拼写有误（名称区分大小写）。', '检查名称和地域，或先创建 SLB。']),
    rule(ONLINE_CODES.ambiguous, 'warning', 'online', 'workspace', '`tcp://web:80` with two SLBs named web',
      ['The SLB name matches several SLBs.', 'The label cannot tell them apart.', 'Use the ID instead.'],
      ['该 SLB 名称匹配到多个 SLB。', '标签无法区分它们。', '改用 ID。'],
      { fix: 'Use SLB ID …' }),
    rule(ONLINE_CODES.inactive, 'warning', 'online', 'workspace', 'an SLB that is stopped or locked',
      ['The SLB is not active.', 'An inactive or locked SLB takes no traffic.', 'Start or renew it, or use another SLB.'],
      ['SLB 未处于运行状态。', '已停止或被锁定的 SLB 不接收流量。', '启动或续费该 SLB，或换用其他 SLB。']),
    rule(ONLINE_CODES.intranet, 'information', 'online', 'workspace', 'an SLB with an intranet address',
      ['The SLB has an intranet address.', 'It is reachable from its VPC only, not from the internet.', 'Use an internet SLB if clients outside the VPC must reach the service.'],
      ['该 SLB 是私网地址。', '它只能从所在 VPC 访问，不能从公网访问。', '如需从 VPC 外访问，请使用公网 SLB。']),
    rule(ONLINE_CODES.listenerMissing, 'information', 'online', 'workspace', 'no listener on the front port yet',
      ['The SLB has no listener on the front port yet.', 'The lb label needs a listener that you create; the agent only registers backends.', "Run 'Provision listener' (plan, confirm, apply)."],
      ['该 SLB 在前端端口上还没有监听。', 'lb 标签需要你自己创建的监听；代理只注册后端服务器。', "运行“创建监听”（计划、确认、执行）。"],
      { fix: 'Provision the listener…' }),
    rule(ONLINE_CODES.listenerMismatch, 'warning', 'online', 'workspace', 'a udp listener where the label says tcp',
      ["The listener's protocol or backend port differs from the label.", 'Traffic would go to the wrong protocol or port.', 'Change the label, the ports mapping or the listener.']
      , ['监听的协议或后端端口与标签不一致。', '流量会发往错误的协议或端口。', '修改标签、端口映射或监听。']),
    rule(ONLINE_CODES.listenerStopped, 'warning', 'online', 'workspace', 'a listener on the front port that is stopped',
      ['The listener exists but is stopped.', 'A stopped listener takes no traffic; completion and hover showed it, but nothing warned.', "Start it with the quick fix, which runs 'Provision listener' (plan, confirm, apply)."],
      ['监听存在但已停止。', '已停止的监听不接收流量。', '使用快速修复启动它：快速修复会运行“创建监听”（计划、确认、执行）。'],
      { fix: 'Start the listener…' }),
    rule(ONLINE_CODES.sameByNameAndId, 'information', 'online', 'workspace', '`tcp://slb_web:80` in one service, `tcp://lb-bp1…:81` (its ID) in another',
      ['One SLB named by name in one service and by ID in another.', 'Offline the two look like two SLBs; the catalog shows they are one, so the services share an SLB and remove each other\'s backend servers (rule X1).', 'Give each service its own SLB, or ignore this if the sharing is intended.'],
      ['一个 SLB 在一个服务中用名称引用，在另一个服务中用 ID 引用。', '离线看起来是两个 SLB；目录显示它们是同一个，因此这两个服务共用一个 SLB，会互相移除对方的后端服务器（规则 X1）。', '为每个服务使用独立的 SLB；如果确实有意共用，可忽略。']),
    rule(ONLINE_CODES.httpsNoCertificate, 'warning', 'online', 'workspace', 'an https listener without certificate',
      ['The HTTPS listener has no server certificate.', 'An HTTPS listener cannot terminate TLS without one.', 'Upload a certificate to SLB and set it on the listener.'],
      ['HTTPS 监听没有服务器证书。', '没有证书的 HTTPS 监听无法终止 TLS。', '向 SLB 上传证书并配置到该监听。']),
  ],
};
