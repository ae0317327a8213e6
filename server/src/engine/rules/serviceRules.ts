// Rules that need only one service: label syntax (reference §3.2), the port chain (§3.3),
// the aliyun.* catalogue and list/map form pitfalls (§1.2).
import { LabelEntry, PortMapping, ServiceModel, Span } from '../compose/model';
import { interpolate } from '../compose/variables';
import { t } from '../i18n';
import { findLabelSpec, suggestLabelKey } from '../labels/catalog';
import { hasVariable, isLbKey, LB_SCHEMES, parseLbKey, parseLbValue, parsePortNumber, slbNameProblem, TextPart, transportOf } from '../labels/lbLabel';
import { Finding, Fix, HostPortUse, LbBinding } from './types';

export interface ServiceRuleResult {
  findings: Finding[];
  bindings: LbBinding[];
  hostPorts: HostPortUse[];
}

type Env = ReadonlyMap<string, string> | undefined;

function sub(span: Span, part: TextPart, exact: boolean): Span {
  return exact ? { start: span.start + part.start, end: span.start + part.end } : span;
}

export function checkService(service: ServiceModel, env: Env): ServiceRuleResult {
  const result: ServiceRuleResult = { findings: [], bindings: [], hostPorts: [] };
  const ports = service.ports.map((p) => (p.unresolved ? resolvePortVariables(p, env) : p));
  for (const p of ports) {
    if (p.hostStart !== undefined && !p.unresolved && !p.invalid) {
      for (let port = p.hostStart; port <= (p.hostEnd ?? p.hostStart) && port - p.hostStart < 1000; port++)
        result.hostPorts.push({ service: service.name, port, protocol: p.protocol, span: p.span });
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
    checkLabel(service, label, ports, env, result);
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

function resolvePortVariables(port: PortMapping, env: Env): PortMapping {
  const resolved = interpolate(port.raw, env);
  if (resolved.value === undefined || port.form === 'long') return port;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseShortPort } = require('../compose/parse') as typeof import('../compose/parse');
  return { ...port, ...parseShortPort(resolved.value), unresolved: false };
}

function quoteFix(label: LabelEntry): Fix {
  const text = label.value ?? '';
  return { title: t('Quote the value: "{0}"', text), edits: [{ span: label.valueNodeSpan, newText: JSON.stringify(text) }], preferred: true };
}

function checkLabel(service: ServiceModel, label: LabelEntry, ports: PortMapping[], env: Env, out: ServiceRuleResult): void {
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
  if (/\s/.test(key)) return;
  const spec = isLbKey(key) ? findLabelSpec('aliyun.lb.port_0') : findLabelSpec(key);
  if (!spec) {
    const suggestion = suggestLabelKey(key);
    out.findings.push({
      code: 'aliyun-label-unknown',
      severity: 'warning',
      message: suggestion
        ? t("Unknown Container Service label '{0}'. Did you mean '{1}'?", key, suggestion)
        : t("Unknown Container Service label '{0}': Container Service ignores it. Check the spelling against the label reference.", key),
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

function checkLbLabel(service: ServiceModel, label: LabelEntry, ports: PortMapping[], env: Env, out: ServiceRuleResult): void {
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
    const wholeSpan = sub(label.valueSpan, b.whole, exact);
    if (b.shapeProblem === 'empty') {
      out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("Empty entry between ';': remove the extra ';'."), span: wholeSpan });
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
      out.findings.push({ code: 'lb-value-malformed', severity: 'error', message: t("The SLB binding must not contain spaces: '{0}'.", b.whole.text), span: wholeSpan, fixes: exact ? [{ title: t('Remove the spaces'), edits: [{ span: wholeSpan, newText: b.whole.text.replace(/\s+/g, '') }], preferred: true }] : undefined });
      continue;
    }
    const schemeSpan = sub(label.valueSpan, b.scheme, exact);
    const slbSpan = sub(label.valueSpan, b.slb, exact);
    const portSpan = sub(label.valueSpan, b.frontPort, exact);
    // Resolve variables part by part so ranges stay exact where no variable is involved.
    const scheme = interpolate(b.scheme.text, env).value;
    const slb = interpolate(b.slb.text, env).value;
    const portText = interpolate(b.frontPort.text, env).value;
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
      out.bindings.push({ service: service.name, labelKey: label.key, containerPort, scheme, slb, frontPort, hostPort, keySpan: label.keySpan, slbSpan, frontPortSpan: portSpan, wholeSpan });
    }
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** Reference §3.3: the container port must be published on a fixed host port of the same protocol. Returns the host (backend) port. */
function checkPortChain(service: ServiceModel, label: LabelEntry, containerPort: number, scheme: string, ports: PortMapping[], schemeSpan: Span, out: ServiceRuleResult): number | undefined {
  const transport = transportOf(scheme);
  const covering = ports.filter((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && p.containerStart <= containerPort && containerPort <= (p.containerEnd ?? p.containerStart));
  const anyUnresolved = ports.some((p) => p.unresolved);
  const sameProtocol = covering.filter((p) => p.protocol === transport);
  const keyPortSpan = label.keySpan;
  if (sameProtocol.length === 0) {
    if (covering.length > 0) {
      const other = covering[0];
      const fixes: Fix[] = [];
      if (other.form === 'short' && !other.inherited) {
        const newRaw = transport === 'udp' ? `${other.raw.replace(/\/\w+$/, '')}/udp` : other.raw.replace(/\/\w+$/, '');
        fixes.push({ title: t("Publish it as '{0}'", newRaw), edits: [{ span: other.span, newText: JSON.stringify(newRaw) }] });
      }
      if (label.exactOffsets && (other.protocol === 'udp' || other.protocol === 'tcp')) {
        const newScheme = other.protocol === 'udp' ? 'udp' : 'tcp';
        fixes.push({ title: t("Change the scheme to '{0}'", newScheme), edits: [{ span: schemeSpan, newText: newScheme }] });
      }
      out.findings.push({
        code: 'lb-protocol-mismatch',
        severity: 'error',
        message:
          transport === 'udp'
            ? t("udp SLB binding on container port {0}, but the port is published as {1}. The SLB listener and the backend port must use the same protocol: publish it as '{2}' or change the scheme to tcp.", containerPort, other.protocol, `${containerPort}:${containerPort}/udp`)
            : t("{0} SLB binding on container port {1}, but the port is published only as {2}. The SLB listener and the backend port must use the same protocol: publish it as TCP ('{3}') or change the scheme to udp.", scheme, containerPort, other.protocol, `${containerPort}:${containerPort}`),
        span: schemeSpan,
        related: [{ span: other.span, message: t('Published here as {0}', other.protocol) }],
        fixes,
      });
      return undefined;
    }
    if (anyUnresolved) return undefined; // a ${VAR} mapping may cover it: don't guess
    const exposed = service.expose.find((e) => e.start !== undefined && e.start <= containerPort && containerPort <= (e.end ?? e.start));
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
    const newRaw = withHost.raw.replace(/^(\[[^\]]*\]|[^:]*):/, '');
    out.findings.push({
      code: 'lb-port-loopback-only',
      severity: 'error',
      message: t("Host port of container port {0} is bound to {1} only, which the SLB cannot reach: the SLB connects to the node's network address. Publish it without the loopback address ('{2}').", containerPort, withHost.hostIp, newRaw),
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
    return { title, edits: [{ span: { start: last.span.end, end: last.span.end }, newText: `\n\u0000INDENT\u0000- "${mapping}"` }], preferred: true };
  }
  if (label.inherited) return undefined;
  // No ports at all: insert a ports block before the labels key (same indentation as labels).
  if (service.labelsKeySpan) {
    return { title, edits: [{ span: { start: service.labelsKeySpan.start, end: service.labelsKeySpan.start }, newText: `ports:\n\u0000INDENT\u0000  - "${mapping}"\n\u0000INDENT\u0000` }], preferred: true };
  }
  return undefined;
}
