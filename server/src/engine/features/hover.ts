// Hover on label keys and values: the three-port chain for lb labels, docs for other aliyun.* labels.
import { Hover, MarkupKind, Position } from 'vscode-languageserver-types';
import { ComposeAnalyzer } from '../analysis';
import { LabelEntry, ServiceModel } from '../compose/model';
import { interpolate } from '../compose/variables';
import { t } from '../i18n';
import { findLabelSpec, labelDoc, LABEL_DOCS_URL, LB_DOCS_URL } from '../labels/catalog';
import { isLbKey, looksLikeSlbId, parseLbKey, parseLbValue, transportOf } from '../labels/lbLabel';
import { resolvedPorts, scaleNeedingNodes } from '../rules/serviceRules';
import { TextLike } from '../text';
import { cursorContext } from './cursorContext';
import { schemeDoc } from './completion';
import { serviceModelAt } from './serviceAtCursor';

export interface HoverInputs {
  analyzer: ComposeAnalyzer;
  env?: ReadonlyMap<string, string>;
  /** Live SLB card from the cloud layer, when available. */
  describeSlb?: (slb: string) => string | undefined;
}

export function hover(doc: TextLike, position: Position, inputs: HoverInputs): Hover | null {
  const context = cursorContext(doc, position.line, position.character);
  if (!context.service) return null;
  const service = serviceModelAt(inputs.analyzer, doc, context.service);
  if (!service) return null;
  const offset = doc.offsetAt(position) - context.service.start;
  const base = context.service.start;
  // Where a label's text ends: its value, or, when the value is an alias (`*slb`) whose node is the
  // anchor elsewhere in the file, the end of the key's line.
  const labelEnd = (l: LabelEntry) => {
    if (l.valueNodeSpan.start >= l.keySpan.end) return Math.max(l.keySpan.end, l.valueNodeSpan.end, l.valueSpan.end);
    const line = doc.positionAt(base + l.keySpan.start).line;
    return doc.lineStart(line) + doc.lineText(line).length - base;
  };
  const label = service.labels.find((l) => !l.inherited && offset >= l.keySpan.start && offset <= labelEnd(l));
  if (!label || !label.key.startsWith('aliyun.')) return null;
  const hoverRange = { start: doc.positionAt(base + label.keySpan.start), end: doc.positionAt(base + labelEnd(label)) };
  const value = isLbKey(label.key) ? lbHover(service, label, inputs) : otherHover(label);
  return value ? { contents: { kind: MarkupKind.Markdown, value }, range: hoverRange } : null;
}

function otherHover(label: LabelEntry): string | undefined {
  const spec = findLabelSpec(label.key);
  if (!spec) return undefined;
  return [`**${label.key}**`, '', labelDoc(spec), '', `${t('Value')}: \`${spec.valueFormat}\``, '', `[${t('Label documentation')}](${LABEL_DOCS_URL})`].join('\n');
}

function lbHover(service: ServiceModel, label: LabelEntry, inputs: HoverInputs): string {
  const key = parseLbKey(label.key);
  // The same port reading as the rules, so hover and diagnostics agree (${HP} from .env included).
  const ports = resolvedPorts(service, inputs.env);
  const lines: string[] = [`**${label.key}** — ${t('SLB binding of container port {0}', key.port ?? key.portText)}`, ''];
  for (const b of parseLbValue(label.value ?? '')) {
    if (!b.scheme || !b.slb || !b.frontPort) continue;
    const scheme = interpolate(b.scheme.text, inputs.env);
    const slb = interpolate(b.slb.text, inputs.env);
    const front = interpolate(b.frontPort.text, inputs.env);
    const schemeText = scheme.value ?? b.scheme.text;
    const slbText = slb.value ?? b.slb.text;
    const transport = transportOf(schemeText);
    const mapping = ports.find((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && key.port !== undefined && p.containerStart <= key.port && key.port <= (p.containerEnd ?? p.containerStart) && p.protocol === transport);
    const host = mapping?.hostStart !== undefined && key.port !== undefined ? String(mapping.hostStart + (key.port - mapping.containerStart!)) : '?';
    lines.push(t('SLB {0} {1} {2} -> host {3} (backend port) -> container {4}', `\`${slbText}\``, schemeText.toUpperCase(), front.value ?? b.frontPort.text, host, key.port ?? '?'));
    lines.push('');
    if (schemeDoc(schemeText)) lines.push(`- ${schemeDoc(schemeText)}`);
    lines.push(`- ${looksLikeSlbId(slbText) ? t('`{0}` is an SLB instance ID.', slbText) : t('`{0}` is an SLB name: it must match exactly one SLB in the region (IDs are safer).', slbText)}`);
    for (const v of [...slb.unresolved, ...scheme.unresolved, ...front.unresolved]) lines.push(`- ${t('`${0}` is not set in .env: it is asked for when the application is deployed.', v)}`);
    for (const d of [...slb.defaultsUsed, ...front.defaultsUsed]) lines.push(`- ${t('`${0}` is not set: the default `{1}` is assumed.', d.name, d.value)}`);
    const otherProtocol = host === '?' && key.port !== undefined ? ports.find((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && p.containerStart <= key.port! && key.port! <= (p.containerEnd ?? p.containerStart) && p.protocol !== transport) : undefined;
    if (otherProtocol) lines.push(`- ${t('Container port {0} is published as {1}, but this label binds it with {2}: the protocols must match.', key.port ?? '?', otherProtocol.protocol, transport)}`);
    else if (host === '?' && ports.some((p) => p.unresolved)) lines.push(`- ${t('A port mapping uses variables that are not set in .env, so the backend port is known only at deploy time.')}`);
    else if (host === '?') lines.push(`- ${t('No fixed host port is published for container port {0}, so the backend port is unknown.', key.port ?? '?')}`);
    if (host !== '?') lines.push(`- ${t('The label does not create the SLB or the listener: a {0} listener on port {1} with backend port {2} must exist on the SLB.', schemeText.toUpperCase(), front.value ?? b.frontPort.text, host)}`);
    const scale = host !== '?' ? scaleNeedingNodes(service) : undefined;
    if (scale !== undefined) lines.push(`- ${t('With the fixed host port {0} at most one container of this service fits on a node: a scale of {1} needs at least {1} nodes (or use aliyun.global: "true").', host, scale)}`);
    const card = inputs.describeSlb?.(slbText);
    if (card) lines.push('', card);
    lines.push('');
  }
  lines.push(`- ${t('One SLB per service: two services bound to the same SLB remove each other\'s backend servers.')}`);
  lines.push('', `[${t('Label documentation')}](${LB_DOCS_URL})`);
  return lines.join('\n');
}
