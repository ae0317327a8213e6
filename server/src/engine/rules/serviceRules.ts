// Rules that need only one service: label syntax (reference §3.2), the port chain (§3.3),
// the aliyun.* catalogue and list/map form pitfalls (§1.2).
import { ExtendsResolution } from '../compose/extends';
import { ExposeEntry, LabelEntry, PortMapping, ServiceModel, Span } from '../compose/model';
import { interpolate } from '../compose/variables';
import { t } from '../i18n';
import { findLabelSpec, suggestLabelKey } from '../labels/catalog';
import { hasVariable, isLbKey, LB_SCHEMES, parseLbKey, parseLbValue, parsePortNumber, removeSpacesOutsideVariables, slbNameProblem, TextPart, transportOf } from '../labels/lbLabel';
import { Finding, Fix, ServiceRuleResult } from './types';
import { rule, RuleProvider } from './ruleSpec';

export type { ServiceRuleResult };

type Env = ReadonlyMap<string, string> | undefined;

function sub(span: Span, part: TextPart, exact: boolean): Span {
  return exact ? { start: span.start + part.start, end: span.start + part.end } : span;
}

/**
 * The ports the port-chain rules read: the service's own and those it gets through `extends`.
 * `unknown`: the extends chain could not be followed, so no claim may be made about them.
 * `hostNetwork`: with `network_mode: host` Docker ignores the mappings (composeRules explains).
 */
export interface PortView {
  ports: PortMapping[];
  expose: ExposeEntry[];
  unknown: boolean;
  hostNetwork: boolean;
}

export function checkService(service: ServiceModel, env: Env, extended?: ExtendsResolution): ServiceRuleResult {
  const result: ServiceRuleResult = { findings: [], bindings: [], hostPorts: [] };
  const ports = resolvedPorts(service, env);
  const view: PortView = {
    ports: extended ? [...ports, ...extended.ports.map((p) => (p.unresolved ? resolvePortVariables(p, env) : p))] : ports,
    expose: extended ? [...service.expose, ...extended.expose] : service.expose,
    unknown: extended?.problem !== undefined,
    hostNetwork: isHostNetwork(service),
  };
  view.ports.forEach((p, index) => {
    if (view.hostNetwork) return; // Docker ignores mappings: no host port is taken by them
    // A mapping from `extends` already sits at this service's own `extends` key: no "inherited through an alias" note.
    const viaAnchor = p.inherited && index < ports.length;
    if (p.hostStart !== undefined && !p.unresolved && !p.invalid) {
      for (let port = p.hostStart; port <= (p.hostEnd ?? p.hostStart) && port - p.hostStart < 1000; port++)
        result.hostPorts.push({ service: service.name, port, protocol: p.protocol, span: p.span, inheritedBy: viaAnchor ? service.nameSpan : undefined });
    }
  });
  if (service.labels.some((l) => isLbKey(l.key))) {
    // A mapping that cannot be read would leave the lb checks guessing: say which part is wrong.
    for (const p of ports) if (p.invalid && !p.inherited) result.findings.push(invalidPortFinding(p));
    for (const p of ports) {
      if (p.sexagesimal === undefined || p.inherited) continue;
      result.findings.push({
        code: 'port-sexagesimal',
        severity: 'warning',
        message: t("Unquoted, '{0}' is read by YAML 1.1 parsers (docker-compose 1.x, which Container Service used) as the base-60 number {1}, not as a port mapping. Quote it: \"{0}\".", p.raw, p.sexagesimal),
        span: p.span,
        fixes: [{ title: t('Quote the value: "{0}"', p.raw), edits: [{ span: p.span, newText: JSON.stringify(p.raw) }], preferred: true }],
      });
    }
  }
  for (const dup of service.duplicateLabelKeys) {
    result.findings.push({
      code: 'label-duplicate',
      severity: 'error',
      message: t("Label '{0}' is set twice in service '{1}'; only one value can take effect. Remove one of them.", dup.key, service.name),
      span: dup.second,
      related: [{ span: dup.first, message: t('First definition') }],
    });
  }
  for (const label of service.labels) {
    const before = result.findings.length;
    checkLabel(service, label, view, env, result);
    if (label.inherited) {
      // Reported where the anchor defines the label, pointing back at the service that inherits it.
      for (const f of result.findings.slice(before)) {
        f.related = [...(f.related ?? []), { span: service.nameSpan, message: t("Service '{0}' gets this label through an alias or '<<' merge", service.name) }];
        f.fixes = undefined; // an edit at the anchor changes every service that uses it
      }
    }
  }
  return result;
}

/**
 * P6: with a fixed host port at most one container of the service fits on a node, so a scale of N
 * needs N nodes. The node count is not known offline and most clusters have enough, so this is said
 * in hover, not as a diagnostic on a valid label. Returns the scale when it is more than 1.
 */
export function scaleNeedingNodes(service: ServiceModel): number | undefined {
  const label = (key: string) => service.labels.find((l) => l.key === key);
  if (/^true$/i.test(label('aliyun.global')?.value ?? '') || service.deployMode === 'global') return undefined;
  const scaleText = label('aliyun.scale')?.value ?? '';
  const scale = /^\s*\d+\s*$/.test(scaleText) ? Number(scaleText) : service.replicas?.value;
  return scale !== undefined && scale > 1 ? scale : undefined;
}

/** The service's port mappings with ${VAR}s substituted from .env where every variable is set. */
export function resolvedPorts(service: ServiceModel, env: Env): PortMapping[] {
  return service.ports.map((p) => (p.unresolved ? resolvePortVariables(p, env) : p));
}

function resolvePortVariables(port: PortMapping, env: Env): PortMapping {
  // The long form's raw text is `published:target/protocol`, so both forms read the same way.
  const resolved = interpolate(port.raw, env);
  if (resolved.value === undefined) return port;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseShortPort } = require('../compose/parse') as typeof import('../compose/parse');
  const parsed = parseShortPort(resolved.value);
  return { ...port, ...parsed, hostIp: port.form === 'long' ? port.hostIp : parsed.hostIp, unresolved: false };
}

function invalidPortFinding(p: PortMapping): Finding {
  const what = p.invalid!;
  const message =
    what.part === 'protocol'
      ? t("Port mapping '{0}' has the protocol '{1}': use tcp or udp (SLB listeners have no other).", p.raw, what.text)
      : what.part === 'host'
        ? t("Port mapping '{0}' cannot be read: the host port '{1}' is not a port number or range (1-65535), so Docker rejects it and the SLB backend port is unknown.", p.raw, what.text)
        : t("Port mapping '{0}' cannot be read: the container port '{1}' is not a port number or range (1-65535), so Docker rejects it.", p.raw, what.text);
  return { code: 'port-invalid', severity: 'error', message, span: p.span };
}

function quoteFix(label: LabelEntry): Fix {
  const text = label.value ?? '';
  return { title: t('Quote the value: "{0}"', text), edits: [{ span: label.valueNodeSpan, newText: JSON.stringify(text) }], preferred: true };
}

function checkLabel(service: ServiceModel, label: LabelEntry, ports: PortView, env: Env, out: ServiceRuleResult): void {
  const key = label.key;
  if (label.listItemIsMapping) {
    if (!key.startsWith('aliyun.')) return;
    out.findings.push({
      code: 'label-list-item-mapping',
      severity: 'error',
      message: t("In a list of labels each item must be one string 'key=value'. YAML reads '- {0}: ...' as a mapping, so this label is lost. Write '- {0}={1}'.", key, label.value ?? ''),
      span: label.valueNodeSpan,
      fixes: [{ title: t("Write it as '{0}={1}'", key, label.value ?? ''), edits: [{ span: label.valueNodeSpan, newText: JSON.stringify(`${key}=${label.value ?? ''}`) }], preferred: true }],
    });
    return;
  }
  if (!key.startsWith('aliyun.')) return;
  // `aliyun.x:value` with no space: the YAML syntax rule already says exactly that.
  if (label.form === 'map' && /^aliyun\.[^:\s]*:[^\s]/.test(key)) return;
  if (label.form === 'list' && label.valueKind === 'null') {
    const colon = key.indexOf(':');
    const fixes: Fix[] = [];
    if (colon > 0 && label.exactOffsets) {
      fixes.push({ title: t("Replace the first ':' with '='"), edits: [{ span: { start: label.keySpan.start + colon, end: label.keySpan.start + colon + 1 }, newText: '=' }], preferred: true });
    }
    out.findings.push({
      code: 'label-list-missing-equals',
      severity: 'error',
      message: t("This list-form label has no '=': Docker reads the whole text as the key and the value as empty. Write '- key=value'."),
      span: label.keySpan,
      fixes,
    });
    return;
  }
  if (key.includes('$')) {
    out.findings.push({
      code: 'label-key-variable',
      severity: 'error',
      message: t("Variables are not substituted in label keys: '{0}' stays literally as written. Write the port number in the key.", key),
      span: label.keySpan,
    });
    return;
  }
  // A key that YAML error recovery glued across lines is covered by the syntax error already.
  // (Its source then differs from its value: only a key written as it reads is judged here.)
  if (/\s/.test(key)) {
    if (label.exactOffsets && !/[\r\n]/.test(key)) out.findings.push(keyWhitespaceFinding(label));
    return;
  }
  const spec = isLbKey(key) ? findLabelSpec('aliyun.lb.port_0') : findLabelSpec(key);
  if (!spec) {
    const suggestion = suggestLabelKey(key);
    // Nobody can list every aliyun.* label that agents and tools read: only a near-miss of a known
    // label is likely a mistake (a warning); anything else is at most a hint.
    out.findings.push({
      code: 'aliyun-label-unknown',
      severity: suggestion ? 'warning' : 'hint',
      message: suggestion
        ? t("Unknown Container Service label '{0}'. Did you mean '{1}'?", key, suggestion)
        : t("'{0}' is not an aliyun.* label this extension knows (Container Service, acs/proxy, log-pilot, Alibaba's kompose). If it is meant for one of them, check the spelling; a label your own tooling reads is fine.", key),
      span: label.keySpan,
      fixes: suggestion && label.exactOffsets ? [{ title: t("Change to '{0}'", suggestion), edits: [{ span: label.keySpan, newText: suggestion }], preferred: true }] : undefined,
    });
    return;
  }
  if (label.form === 'map' && (label.valueKind === 'number' || label.valueKind === 'boolean')) {
    out.findings.push({
      code: 'label-value-not-string',
      severity: 'warning',
      message: t("Label values must be strings, but '{0}' is a {1} here. Some compose versions reject it: quote it as \"{0}\".", label.value ?? '', label.valueKind === 'number' ? t('number') : t('boolean')),
      span: label.valueNodeSpan,
      fixes: [quoteFix(label)],
    });
  }
  if (isLbKey(key)) checkLbLabel(service, label, ports, env, out);
}

/** S1: spaces in a key make it another key (`- aliyun.lb.port_80 = tcp://...` has the key 'aliyun.lb.port_80 '). */
function keyWhitespaceFinding(label: LabelEntry): Finding {
  const squeezed = label.key.replace(/\s+/g, '');
  // `aliyun.lb.port 80` meant aliyun.lb.port_80: the spaces stood for a separator.
  const trimmed = findLabelSpec(squeezed) || isLbKey(squeezed) ? squeezed : (suggestLabelKey(squeezed) ?? suggestLabelKey(label.key.trim().replace(/\s+/g, '_')) ?? squeezed);
  const fixes: Fix[] = [];
  if (label.exactOffsets) {
    if (label.form === 'list') {
      // Also drop the spaces after '=', which would otherwise start the value.
      const valueText = label.value ?? '';
      const end = label.valueSpan.start + (valueText.length - valueText.trimStart().length);
      fixes.push({ title: t("Write '{0}'", `${trimmed}=${valueText.trim()}`), edits: [{ span: { start: label.keySpan.start, end }, newText: `${trimmed}=` }], preferred: true });
    } else fixes.push({ title: t("Write '{0}'", trimmed), edits: [{ span: label.keySpan, newText: trimmed }], preferred: true });
  }
  return {
    code: 'label-key-whitespace',
    severity: 'error',
    message:
      label.form === 'list'
        ? t("The label key '{0}' contains spaces, so Container Service does not recognise it: in list form write 'key=value' with no spaces around '='.", label.key)
        : t("The label key '{0}' contains spaces, so Container Service does not recognise it. Remove the spaces.", label.key),
    span: label.keySpan,
    fixes,
  };
}

function checkLbLabel(service: ServiceModel, label: LabelEntry, ports: PortView, env: Env, out: ServiceRuleResult): void {
  const lbKey = parseLbKey(label.key);
  const keyPortSpan = label.exactOffsets ? { start: label.keySpan.start + lbKey.portOffset, end: label.keySpan.end } : label.keySpan;
  if (lbKey.problem) {
    const messages: Record<string, string> = {
      empty: t("The key needs the container port after 'aliyun.lb.port_', e.g. aliyun.lb.port_80."),
      notANumber: t("'{0}' is not a port number: the key must be aliyun.lb.port_ followed by the container port (1-65535), e.g. aliyun.lb.port_80.", lbKey.portText),
      outOfRange: t('Container port {0} is out of range: ports are 1-65535.', lbKey.portText),
      variable: '',
    };
    out.findings.push({ code: 'lb-key-invalid-port', severity: 'error', message: messages[lbKey.problem], span: lbKey.problem === 'empty' ? label.keySpan : keyPortSpan });
    return;
  }
  const containerPort = lbKey.port!;
  if (label.valueKind === 'collection') {
    out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The value must be one string 'scheme://slb:front_port', e.g. tcp://slb_redis_app:6379."), span: label.valueSpan });
    return;
  }
  const value = label.value ?? '';
  if (value.trim() === '') {
    out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The SLB binding is empty. Write 'scheme://slb_name_or_id:front_port', e.g. tcp://slb_redis_app:{0}.", containerPort), span: label.keySpan });
    return;
  }
  const exact = label.exactOffsets;
  const bindings = parseLbValue(value);
  const seen = new Map<string, Span>();
  for (const b of bindings) {
    // Findings about an entry whose value came from a ${VAR:-default} say that the default was assumed (reference §1.4).
    const firstFinding = out.findings.length;
    let assumed = '';
    try {
      const wholeSpan = sub(label.valueSpan, b.whole, exact);
      if (b.shapeProblem === 'empty') {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("Empty entry between ';': remove the extra ';'."), span: wholeSpan });
        continue;
      }
      if (/\$\{[^}]*$/.test(b.whole.text)) {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("'{0}' has a '${' that is never closed: write a variable as ${NAME}.", b.whole.text), span: wholeSpan });
        continue;
      }
      if (b.shapeProblem === 'missingSchemeSeparator' || !b.scheme || !b.slb) {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("'{0}' is not 'scheme://slb_name_or_id:front_port' (e.g. tcp://slb_redis_app:{1}): the '://' after the scheme is missing.", b.whole.text, containerPort), span: wholeSpan });
        continue;
      }
      if (b.shapeProblem === 'missingFrontPort' || !b.frontPort) {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The SLB front port is missing: add ':<port>' after the SLB, e.g. '{0}:{1}'.", b.whole.text, containerPort), span: wholeSpan, fixes: exact ? [{ title: t("Add ':{0}'", containerPort), edits: [{ span: { start: wholeSpan.end, end: wholeSpan.end }, newText: `:${containerPort}` }] }] : undefined });
        continue;
      }
      if (b.shapeProblem === 'whitespace') {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The SLB binding must not contain spaces: '{0}'.", b.whole.text), span: wholeSpan, fixes: exact ? [{ title: t('Remove the spaces'), edits: [{ span: wholeSpan, newText: removeSpacesOutsideVariables(b.whole.text) }], preferred: true }] : undefined });
        continue;
      }
      const schemeSpan = sub(label.valueSpan, b.scheme, exact);
      const slbSpan = sub(label.valueSpan, b.slb, exact);
      const portSpan = sub(label.valueSpan, b.frontPort, exact);
      if (b.scheme.text === '') {
        const separator = sub(label.valueSpan, { text: '://', start: b.scheme.end, end: b.scheme.end + 3 }, exact);
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The scheme is missing before '://': write tcp, http, https or udp, e.g. 'tcp{0}'.", b.whole.text), span: separator });
        continue;
      }
      if (b.frontPort.text === '') {
        out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The SLB front port is missing after the last ':': add the port, e.g. '{0}{1}'.", b.whole.text, containerPort), span: wholeSpan, fixes: exact ? [{ title: t("Add '{0}'", String(containerPort)), edits: [{ span: { start: wholeSpan.end, end: wholeSpan.end }, newText: String(containerPort) }] }] : undefined });
        continue;
      }
      // Resolve variables part by part so ranges stay exact where no variable is involved.
      const schemeValue = interpolate(b.scheme.text, env);
      const slbValue = interpolate(b.slb.text, env);
      const portValue = interpolate(b.frontPort.text, env);
      const scheme = schemeValue.value;
      const slb = slbValue.value;
      const portText = portValue.value;
      const defaults = [...schemeValue.defaultsUsed, ...slbValue.defaultsUsed, ...portValue.defaultsUsed];
      if (defaults.length > 0) assumed = t(' (assuming the default of {0})', defaults.map((d) => `\${${d.name}}: '${d.value}'`).join(', '));
      let ok = true;
      if (scheme !== undefined) {
        if (!(LB_SCHEMES as readonly string[]).includes(scheme)) {
          ok = false;
          const lower = scheme.toLowerCase();
          const suggestion = (LB_SCHEMES as readonly string[]).includes(lower) ? lower : ({ tls: 'tcp', ssl: 'tcp', grpc: 'tcp', ws: 'http', wss: 'https', h2: 'https' } as Record<string, string>)[lower];
          const why = lower === 'ws' || lower === 'wss' ? t(' (ws/wss belong to aliyun.routing labels)') : '';
          out.findings.push({
            code: 'lb-scheme-unknown',
            severity: 'error',
            message: t("Scheme '{0}' is not supported by aliyun.lb{1}: use tcp, http, https or udp.", scheme, why),
            span: schemeSpan,
            fixes: suggestion && !hasVariable(b.scheme.text) && exact ? [{ title: t("Change to '{0}'", suggestion), edits: [{ span: schemeSpan, newText: suggestion }], preferred: true }] : undefined,
          });
        }
      }
      if (slb !== undefined) {
        const problem = slbNameProblem(slb);
        if (problem) {
          ok = false;
          out.findings.push({
            code: 'lb-slb-invalid',
            severity: 'error',
            message:
              problem === 'empty'
                ? t('The SLB name or ID is missing between :// and the front port.')
                : problem === 'tooLong'
                  ? t('SLB name is {0} characters long; names have at most 79.', slb.length)
                  : t("SLB name '{0}' has characters an SLB name cannot have: use letters, digits, '-', '_', '/' and '.'.", slb),
            span: slbSpan,
          });
        }
      }
      let frontPort: number | undefined;
      if (portText !== undefined) {
        frontPort = parsePortNumber(portText);
        if (frontPort === undefined) {
          ok = false;
          out.findings.push({
            code: 'lb-front-port-invalid',
            severity: 'error',
            message: /^\d+$/.test(portText) ? t('SLB front port {0} is out of range: ports are 1-65535.', portText) : t("SLB front port '{0}' is not a number (1-65535).", portText),
            span: portSpan,
          });
        }
      }
      if (!ok || scheme === undefined) continue;
      const bindingKey = `${scheme}://${slb}:${portText}`;
      const previous = seen.get(bindingKey);
      if (previous) {
        out.findings.push({ code: 'lb-binding-duplicate', severity: 'warning', message: t("'{0}' is listed twice in this label. Remove the duplicate.", bindingKey), span: wholeSpan, related: [{ span: previous, message: t('First occurrence') }] });
        continue;
      }
      seen.set(bindingKey, wholeSpan);
      const hostPort = checkPortChain(service, label, containerPort, scheme, ports, schemeSpan, out);
      if (slb !== undefined && frontPort !== undefined) {
        out.bindings.push({ service: service.name, labelKey: label.key, containerPort, scheme, slb, frontPort, hostPort, keySpan: label.keySpan, slbSpan, frontPortSpan: portSpan, wholeSpan, inheritedBy: label.inherited ? service.nameSpan : undefined, assumed: assumed || undefined });
      }
    } finally {
      // Only findings about the value itself rest on the assumed default.
      const value = sub(label.valueSpan, b.whole, exact);
      for (const f of out.findings.slice(firstFinding)) if (f.span.start >= value.start && f.span.end <= value.end) f.message += assumed;
    }
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

export function isHostNetwork(service: Pick<ServiceModel, 'networkMode'>): boolean {
  return service.networkMode?.value === 'host';
}

export function isLoopback(hostIp: string): boolean {
  return LOOPBACK.test(hostIp);
}

/**
 * The port-chain rule an lb label on this (resolved) mapping would break at once, or undefined
 * when the mapping gives a fixed, reachable backend port. Completion offers only ports without one.
 */
export function portChainBlocker(p: PortMapping): 'port-invalid' | 'lb-port-random-host' | 'lb-port-range-one-sided' | 'lb-port-loopback-only' | 'lb-protocol-mismatch' | undefined {
  if (p.invalid || p.containerStart === undefined) return 'port-invalid';
  if (p.hostStart === undefined) return 'lb-port-random-host';
  if ((p.hostEnd ?? p.hostStart) - p.hostStart !== (p.containerEnd ?? p.containerStart) - p.containerStart) return 'lb-port-range-one-sided';
  if (p.hostIp && isLoopback(p.hostIp)) return 'lb-port-loopback-only';
  if (p.protocol !== 'tcp' && p.protocol !== 'udp') return 'lb-protocol-mismatch';
  return undefined;
}

/** Reference §3.3: the container port must be published on a fixed host port of the same protocol. Returns the host (backend) port. */
function checkPortChain(service: ServiceModel, label: LabelEntry, containerPort: number, scheme: string, view: PortView, schemeSpan: Span, out: ServiceRuleResult): number | undefined {
  // Host networking (composeRules' lb-host-network explains it) or an extends chain that cannot be
  // followed: the mappings do not tell the backend port, so nothing is claimed about it.
  if (view.hostNetwork || view.unknown) return undefined;
  const ports = view.ports;
  const transport = transportOf(scheme);
  const covering = ports.filter((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && p.containerStart <= containerPort && containerPort <= (p.containerEnd ?? p.containerStart));
  const anyUnresolved = ports.some((p) => p.unresolved);
  const sameProtocol = covering.filter((p) => p.protocol === transport);
  const keyPortSpan = label.keySpan;
  if (sameProtocol.length === 0) {
    if (covering.length > 0) {
      const other = covering[0];
      const fixes: Fix[] = [];
      // The mapping as it should be: the same one with the label's protocol (short form), or the long form's protocol key.
      const newRaw = transport === 'udp' ? `${other.raw.replace(/\/\w+$/, '')}/udp` : other.raw.replace(/\/\w+$/, '');
      const publishAs = other.form === 'short' ? `'${newRaw}'` : `'protocol: ${transport}'`;
      if (other.form === 'short' && !other.inherited) {
        fixes.push({ title: t("Publish it as '{0}'", newRaw), edits: [{ span: other.span, newText: JSON.stringify(newRaw) }] });
      }
      // Switching the scheme helps only towards a protocol an SLB listener has (not sctp).
      const schemeSwitch = other.protocol === 'udp' ? 'udp' : other.protocol === 'tcp' ? 'tcp' : undefined;
      if (label.exactOffsets && schemeSwitch) {
        fixes.push({ title: t("Change the scheme to '{0}'", schemeSwitch), edits: [{ span: schemeSpan, newText: schemeSwitch }] });
      }
      out.findings.push({
        code: 'lb-protocol-mismatch',
        severity: 'error',
        message: schemeSwitch
          ? t("{0} SLB binding on container port {1}, but the port is published as {2}. The SLB listener and the backend port must use the same protocol: publish it as {3} or change the scheme to {4}.", scheme, containerPort, other.protocol, publishAs, schemeSwitch)
          : t("{0} SLB binding on container port {1}, but the port is published as {2}, which SLB listeners do not support: publish it as {3}.", scheme, containerPort, other.protocol, publishAs),
        span: schemeSpan,
        related: [{ span: other.span, message: t('Published here as {0}', other.protocol) }],
        fixes,
      });
      return undefined;
    }
    if (anyUnresolved) return undefined; // a ${VAR} mapping may cover it: don't guess
    if (ports.some((p) => p.invalid)) return undefined; // an unreadable mapping (reported) may be meant to cover it
    const exposed = view.expose.find((e) => e.start !== undefined && e.start <= containerPort && containerPort <= (e.end ?? e.start));
    const mapping = transport === 'udp' ? `${containerPort}:${containerPort}/udp` : `${containerPort}:${containerPort}`;
    out.findings.push({
      code: 'lb-port-not-published',
      severity: 'error',
      message: exposed
        ? t("Container port {0} is only exposed, not published: the SLB needs a fixed host port as its backend port. Add '{1}' under ports.", containerPort, mapping)
        : t("Container port {0} is not published: the SLB needs a fixed host port as its backend port. Add '{1}' under ports.", containerPort, mapping),
      span: keyPortSpan,
      related: exposed ? [{ span: exposed.span, message: t('Exposed here (container only)') }] : undefined,
      fixes: [addMappingFix(service, mapping, label)].filter((f): f is Fix => f !== undefined),
    });
    return undefined;
  }
  const withHost = sameProtocol.find((p) => p.hostStart !== undefined);
  if (!withHost) {
    const p = sameProtocol[0];
    const newRaw = `${p.hostIp ? `${p.hostIp}:` : ''}${containerPort}:${p.raw.replace(/^.*:/, '').replace(/^\s+/, '')}`;
    out.findings.push({
      code: 'lb-port-random-host',
      severity: 'error',
      message: t("Container port {0} is published without a host port, so Docker picks a random one and the SLB backend port cannot be known. Publish it as '{1}'.", containerPort, newRaw),
      span: keyPortSpan,
      related: [{ span: p.span, message: t('Published here without a host port') }],
      fixes: p.form === 'short' && !p.inherited ? [{ title: t("Publish it as '{0}'", newRaw), edits: [{ span: p.span, newText: JSON.stringify(newRaw) }], preferred: true }] : undefined,
    });
    return undefined;
  }
  const hostSize = (withHost.hostEnd ?? withHost.hostStart!) - withHost.hostStart!;
  const containerSize = (withHost.containerEnd ?? withHost.containerStart!) - withHost.containerStart!;
  if (hostSize !== containerSize) {
    out.findings.push({
      code: 'lb-port-range-one-sided',
      severity: 'warning',
      message: t("'{0}' maps a range on one side only, so Docker may pick any host port in the range and the SLB backend port is not fixed. Use the same range on both sides or a single host port.", withHost.raw),
      span: keyPortSpan,
      related: [{ span: withHost.span, message: t('Published here') }],
    });
    return undefined;
  }
  if (withHost.hostIp && LOOPBACK.test(withHost.hostIp)) {
    // Drop exactly the address and its ':' ('127.0.0.1:', '[::1]:' or the unbracketed '::1:').
    const raw = withHost.raw.trim();
    const newRaw = raw.startsWith('[') ? raw.slice(raw.indexOf(']:') + 2) : raw.slice(withHost.hostIp.length + 1);
    out.findings.push({
      code: 'lb-port-loopback-only',
      severity: 'error',
      message:
        withHost.form === 'long'
          ? t("Host port of container port {0} is bound to {1} only (host_ip), which the SLB cannot reach: the SLB connects to the node's network address. Remove 'host_ip: {1}' from this port.", containerPort, withHost.hostIp)
          : t("Host port of container port {0} is bound to {1} only, which the SLB cannot reach: the SLB connects to the node's network address. Publish it without the loopback address ('{2}').", containerPort, withHost.hostIp, newRaw),
      span: keyPortSpan,
      related: [{ span: withHost.span, message: t('Bound to loopback here') }],
      fixes: withHost.form === 'short' && !withHost.inherited ? [{ title: t("Publish it as '{0}'", newRaw), edits: [{ span: withHost.span, newText: JSON.stringify(newRaw) }], preferred: true }] : undefined,
    });
    return undefined;
  }
  return withHost.hostStart! + (containerPort - withHost.containerStart!);
}

function addMappingFix(service: ServiceModel, mapping: string, label: LabelEntry): Fix | undefined {
  const title = t("Add '{0}' under ports", mapping);
  if (service.portsNodeSpan && service.portsFlow) {
    // ports: ["80:80"] -> ports: ["80:80", "6379:6379"]: insert before the closing bracket.
    if (service.ports.some((p) => p.inherited)) return undefined;
    const close = { start: service.portsNodeSpan.end - 1, end: service.portsNodeSpan.end - 1 };
    return { title, edits: [{ span: close, newText: service.ports.length > 0 ? `, "${mapping}"` : `"${mapping}"` }], preferred: true };
  }
  if (service.portsNodeSpan && service.ports.length > 0) {
    // Append after the last block sequence item, at the same indentation (computed by the caller from text).
    const last = service.ports[service.ports.length - 1];
    if (last.inherited) return undefined;
    // Indented like the last item's first line (for a long-form item that is the '- target:' line).
    return { title, edits: [{ span: { start: last.span.end, end: last.span.end }, newText: `\n\u0000INDENT@${last.span.start}\u0000- "${mapping}"` }], preferred: true };
  }
  if (label.inherited) return undefined;
  // No ports at all: insert a ports block before the labels key (same indentation as labels).
  if (service.labelsKeySpan) {
    return { title, edits: [{ span: { start: service.labelsKeySpan.start, end: service.labelsKeySpan.start }, newText: `ports:\n\u0000INDENT\u0000  - "${mapping}"\n\u0000INDENT\u0000` }], preferred: true };
  }
  return undefined;
}

/** The rules this module checks (registered in rules/registry.ts). */
export const SERVICE_RULES: RuleProvider = {
  id: 'rules/serviceRules',
  checkService: ({ service, env, extended }, out) => {
    const r = checkService(service, env, extended);
    for (const f of r.findings) out.findings.push(f);
    for (const b of r.bindings) out.bindings.push(b);
    for (const h of r.hostPorts) out.hostPorts.push(h);
  },
  rules: [
    rule('lb-key-invalid-port', 'error', 'syntax', 'label line', '`aliyun.lb.port_http: tcp://slb_web:80`',
      ['The lb label key does not end in a container port.', "The key must be aliyun.lb.port_ followed by the container port (1-65535); with anything else Container Service cannot tell which port to bind.", 'Write the container port number after aliyun.lb.port_, e.g. aliyun.lb.port_80.'],
      ['lb 标签的键没有以容器端口结尾。', '键必须是 aliyun.lb.port_ 加容器端口（1-65535）；否则容器服务不知道要绑定哪个端口。', '在 aliyun.lb.port_ 后写容器端口号，例如 aliyun.lb.port_80。']),
    rule('label-key-variable', 'error', 'syntax', 'label line', '`aliyun.lb.port_${PORT}: tcp://slb_web:80`',
      ['A variable in a label key.', 'Compose substitutes variables in values only: the key stays literally as written, so the label means nothing to Container Service.', 'Write the port number in the key.'],
      ['标签键中使用了变量。', 'Compose 只替换值中的变量：键保持原样，容器服务无法识别该标签。', '在键中直接写端口号。']),
    rule('lb-value-malformed', 'error', 'syntax', 'label line', '`aliyun.lb.port_80: tcp://slb_web`',
      ["The lb value is not 'scheme://slb_name_or_id:front_port'.", 'A missing scheme, separator or front port, spaces, an empty entry or an unclosed ${ make the binding unreadable for the agent.', "Write 'scheme://slb_name_or_id:front_port', e.g. tcp://slb_redis_app:6379."],
      ["lb 值不是 'scheme://slb_name_or_id:front_port' 格式。", '缺少协议、分隔符或前端端口，含有空格、空条目或未闭合的 ${，代理都无法读取该绑定。', "写成 'scheme://slb_name_or_id:front_port'，例如 tcp://slb_redis_app:6379。"],
      { fix: "Add ':80'; Remove the spaces" }),
    rule('lb-scheme-unknown', 'error', 'syntax', 'label line', '`aliyun.lb.port_80: TCP://slb_web:80`',
      ['The scheme is not tcp, http, https or udp.', 'SLB listeners of the lb label have four protocols, written in lower case; any other scheme is rejected.', 'Use tcp, http, https or udp.'],
      ['协议不是 tcp、http、https 或 udp。', 'lb 标签的 SLB 监听只有四种协议，且须小写；其他协议会被拒绝。', '使用 tcp、http、https 或 udp。'],
      { fix: "Change to 'tcp'" }),
    rule('lb-slb-invalid', 'error', 'syntax', 'label line', '`aliyun.lb.port_80: tcp://slb_web!:80`',
      ['The SLB name or ID is missing, too long or has characters a name cannot have.', 'SLB names have at most 79 characters: letters, digits, -, _, / and .; a reference that cannot be a name or an ID never finds an SLB.', 'Write the name or ID of an SLB of the cluster\'s region.'],
      ['SLB 名称或 ID 缺失、过长或含有非法字符。', 'SLB 名称最多 79 个字符，只能包含字母、数字、-、_、/ 和 .；不可能是名称或 ID 的引用永远找不到 SLB。', '写集群所在地域中某个 SLB 的名称或 ID。']),
    rule('lb-front-port-invalid', 'error', 'syntax', 'label line', '`aliyun.lb.port_80: tcp://slb_web:70000`',
      ['The SLB front port is not a port number.', 'The front (listener) port must be a number from 1 to 65535.', 'Write a front port between 1 and 65535.'],
      ['SLB 前端端口不是有效端口号。', '前端（监听）端口必须是 1 到 65535 之间的数字。', '写 1 到 65535 之间的前端端口。']),
    rule('lb-binding-duplicate', 'warning', 'syntax', 'label line', '`tcp://a:80;tcp://a:80`',
      ['The same binding is listed twice in one label.', 'The second copy adds nothing.', 'Remove the duplicate.'],
      ['同一个绑定在一个标签中出现了两次。', '第二个副本没有任何作用。', '删除重复项。']),
    rule('port-sexagesimal', 'warning', 'syntax', 'service', '`- 2222:22` (unquoted) in a service with an lb label',
      ['An unquoted port mapping that YAML 1.1 reads as a base-60 number.', 'docker-compose 1.x (PyYAML), which Container Service used, reads 2222:22 as the number 133342, not as a mapping.', 'Quote the mapping: "2222:22".'],
      ['未加引号的端口映射被 YAML 1.1 读成六十进制数。', '容器服务使用的 docker-compose 1.x（PyYAML）会把 2222:22 读成数字 133342，而不是端口映射。', '给映射加引号："2222:22"。'],
      { fix: 'Quote the value' }),
    rule('port-invalid', 'error', 'port chain', 'service', '`ports: ["abc:81"]` in a service with an lb label',
      ['A port mapping cannot be read.', 'Docker rejects the mapping, and the SLB backend port it should give is unknown.', 'Write host and container ports as numbers or ranges (1-65535), the protocol as tcp or udp.'],
      ['端口映射无法解析。', 'Docker 会拒绝该映射，SLB 后端端口也无从得知。', '主机端口和容器端口写成数字或范围（1-65535），协议写 tcp 或 udp。']),
    rule('lb-port-not-published', 'error', 'port chain', 'service', '`aliyun.lb.port_80: http://slb_web:80` without ports',
      ["The label's container port is not published.", 'The SLB forwards to a fixed host port (its backend port), which only a ports mapping of the container port gives.', "Add a mapping such as '80:80' under ports."],
      ['标签中的容器端口没有发布。', 'SLB 转发到固定的主机端口（后端端口），只有该容器端口的 ports 映射才能提供它。', "在 ports 下添加映射，例如 '80:80'。"],
      { fix: "Add '80:80' under ports" }),
    rule('lb-port-random-host', 'error', 'port chain', 'service', '`ports: ["80"]` + lb label on 80',
      ['The container port is published without a host port.', 'Docker then picks a random host port, so the SLB backend port cannot be known.', "Publish it with a fixed host port, e.g. '80:80'."],
      ['容器端口发布时没有指定主机端口。', 'Docker 会随机选择主机端口，SLB 后端端口因此无法确定。', "使用固定主机端口发布，例如 '80:80'。"],
      { fix: "Publish it as '80:80'" }),
    rule('lb-port-range-one-sided', 'warning', 'port chain', 'service', '`ports: ["8000-8010:80"]` + lb label on 80',
      ['A host port range maps to a single container port.', 'Docker may pick any host port of the range, so the SLB backend port is not fixed.', 'Use the same range on both sides, or one host port.'],
      ['主机端口范围映射到单个容器端口。', 'Docker 可能选择范围内的任意主机端口，SLB 后端端口因此不固定。', '两侧使用相同的范围，或只用一个主机端口。']),
    rule('lb-port-loopback-only', 'error', 'port chain', 'service', '`ports: ["127.0.0.1:6379:6379"]` + lb label',
      ['The host port is bound to a loopback address.', "The SLB connects to the node's network address, which a port bound to 127.0.0.1 or ::1 does not accept.", 'Publish the port without the loopback address.'],
      ['主机端口绑定在回环地址上。', 'SLB 连接节点的网络地址，而绑定到 127.0.0.1 或 ::1 的端口不接受这种连接。', '发布端口时去掉回环地址。'],
      { fix: "Publish it as '6379:6379'" }),
    rule('lb-protocol-mismatch', 'error', 'port chain', 'service', '`ports: ["53:53"]` + `aliyun.lb.port_53: udp://slb_dns:53`',
      ['The scheme and the published protocol differ.', 'An SLB listener and its backend port use one protocol: a udp listener cannot reach a port published as tcp, and the reverse.', 'Publish the port with the scheme\'s protocol, or change the scheme.'],
      ['协议与发布端口的协议不一致。', 'SLB 监听与后端端口使用同一协议：udp 监听无法访问以 tcp 发布的端口，反之亦然。', '按协议发布端口，或修改协议。'],
      { fix: "Publish it as '53:53/udp'; Change the scheme to 'tcp'" }),
    rule('label-value-not-string', 'warning', 'catalogue', 'label line', '`aliyun.scale: 2`',
      ['A label value is a number or a boolean.', 'Label values must be strings; some compose versions reject the file.', 'Quote the value.'],
      ['标签值是数字或布尔值。', '标签值必须是字符串；某些 compose 版本会拒绝该文件。', '给值加引号。'],
      { fix: 'Quote the value' }),
    rule('aliyun-label-unknown', 'warning', 'catalogue', 'label line', '`aliyun.rolling_update: "true"`',
      ['An aliyun.* label that no known agent or tool reads.', 'A near-miss of a known label (a warning, with did-you-mean) is most likely a typo that Container Service ignores. A key that resembles no known label gets only a hint: nobody can list every aliyun.* label.', 'Fix the spelling, or ignore the hint for a label your own tooling reads.'],
      ['没有已知代理或工具读取的 aliyun.* 标签。', '与已知标签相近（警告，并提示“您是否想输入”）的键多半是拼写错误，容器服务会忽略它。与已知标签都不相近的键只给出提示：没有人能列出所有 aliyun.* 标签。', '修正拼写；若是自己的工具读取的标签，可忽略该提示。'],
      { fix: "Change to 'aliyun.rolling_updates'", otherSeverities: ['hint'] }),
    rule('label-list-item-mapping', 'error', 'catalogue', 'label line', '`- aliyun.lb.port_80: tcp://slb_web:80`',
      ["A list-form label written as 'key: value'.", 'In a list of labels each item must be one string; YAML reads this item as a mapping and the label is lost.', "Write '- key=value'."],
      ["列表形式的标签写成了 'key: value'。", '标签列表中每一项必须是一个字符串；YAML 会把这一项读成映射，该标签随之丢失。', "写成 '- key=value'。"],
      { fix: "Write it as 'aliyun.lb.port_80=tcp://slb_web:80'" }),
    rule('label-list-missing-equals', 'error', 'catalogue', 'label line', '`- aliyun.scale:2`',
      ["A list-form label without '='.", 'Docker reads the whole text as the key and the value as empty.', "Write '- key=value'."],
      ["列表形式的标签没有 '='。", 'Docker 会把整段文字当作键，值为空。', "写成 '- key=value'。"],
      { fix: "Replace the first ':' with '='" }),
    rule('label-duplicate', 'error', 'catalogue', 'service', '`aliyun.scale` twice (map or list form)',
      ['A label is set twice in one service.', 'Only one of the values takes effect.', 'Remove one of them.'],
      ['同一服务中一个标签设置了两次。', '只有其中一个值生效。', '删除其中一个。']),
    rule('label-key-whitespace', 'error', 'catalogue', 'label line', '`- aliyun.lb.port_80 = tcp://slb_web:80`',
      ['A label key contains spaces.', 'A key with spaces is another key, which Container Service does not recognise.', "Remove the spaces (in list form: 'key=value' with no spaces around '=')."],
      ['标签键中含有空格。', '带空格的键是另一个键，容器服务无法识别。', "删除空格（列表形式写成 'key=value'，'=' 两侧不留空格）。"],
      { fix: "Write 'aliyun.lb.port_80=tcp://slb_web:80'" }),
  ],
};
