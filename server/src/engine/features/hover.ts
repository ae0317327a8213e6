// Hover on label keys and values: the three-port chain for lb labels, docs for other aliyun.* labels.
import { Hover, MarkupKind, Position } from 'vscode-languageserver-types';
import { ComposeAnalyzer } from '../analysis';
import { LabelEntry, ServiceModel } from '../compose/model';
import { interpolate } from '../compose/variables';
import { t } from '../i18n';
import { findLabelSpec, labelDoc, LABEL_DOCS_URL, LB_DOCS_URL } from '../labels/catalog';
import { isLbKey, LbBindingSyntax, looksLikeSlbId, parseLbKey, parseLbValue, portSpaceOf, transportOf } from '../labels/lbLabel';
import { resolvedPorts, scaleNeedingNodes } from '../rules/serviceRules';
import { TextLike } from '../text';
import { cursorContext } from './cursorContext';
import { CloudListener, CloudSlb, schemeDoc } from './completion';
import { serviceModelAt } from './serviceAtCursor';

export interface HoverInputs {
  analyzer: ComposeAnalyzer;
  env?: ReadonlyMap<string, string>;
  /** Live SLB card from the cloud layer, when available. */
  describeSlb?: (slb: string) => string | undefined;
  /** The account's SLBs and one SLB's listeners (cached catalog, no I/O): the verdict line. */
  cloudSlbs?: CloudSlb[];
  cloudListeners?: (slb: string) => CloudListener[] | undefined;
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
  if (!isLbKey(label.key)) {
    const value = otherHover(label);
    return value ? { contents: { kind: MarkupKind.Markdown, value }, range: hoverRange } : null;
  }
  // The SLB name has its own focus (the SLB: verdict and live card); the key, scheme and front
  // port share the port chain's. Each part is its own hover range, so moving between them re-asks.
  const bindings = parseLbValue(label.value ?? '');
  if (label.exactOffsets && offset >= label.valueSpan.start) {
    const at = offset - label.valueSpan.start;
    for (const b of bindings) {
      for (const part of [b.scheme, b.slb, b.frontPort]) {
        if (!part || at < part.start || at > part.end) continue;
        const range = { start: doc.positionAt(base + label.valueSpan.start + part.start), end: doc.positionAt(base + label.valueSpan.start + part.end) };
        const value = part === b.slb ? lbHover(service, label, inputs, b) : lbHover(service, label, inputs);
        return { contents: { kind: MarkupKind.Markdown, value }, range };
      }
    }
  }
  const keyRange = offset <= label.keySpan.end ? { start: doc.positionAt(base + label.keySpan.start), end: doc.positionAt(base + label.keySpan.end) } : hoverRange;
  return { contents: { kind: MarkupKind.Markdown, value: lbHover(service, label, inputs) }, range: keyRange };
}

function otherHover(label: LabelEntry): string | undefined {
  const spec = findLabelSpec(label.key);
  if (!spec) return undefined;
  return [`**${label.key}**`, '', labelDoc(spec), '', `${t('Value')}: \`${spec.valueFormat}\``, '', `[${t('Label documentation')}](${LABEL_DOCS_URL})`].join('\n');
}

/**
 * The lb label's hover: per binding, the one-line chain and the verdict first, then the notes.
 * With `slbFocus` (the cursor on that binding's SLB name): the chain and verdict of that binding,
 * then the SLB's compact live card and what matters about the name.
 */
function lbHover(service: ServiceModel, label: LabelEntry, inputs: HoverInputs, slbFocus?: LbBindingSyntax): string {
  const key = parseLbKey(label.key);
  // The same port reading as the rules, so hover and diagnostics agree (${HP} from .env included).
  const ports = resolvedPorts(service, inputs.env);
  const lines: string[] = [];
  const bindings = parseLbValue(label.value ?? '').filter((b) => b.scheme && b.slb && b.frontPort && (!slbFocus || b.whole.start === slbFocus.whole.start));
  for (const b of bindings) {
    const scheme = interpolate(b.scheme!.text, inputs.env);
    const slb = interpolate(b.slb!.text, inputs.env);
    const front = interpolate(b.frontPort!.text, inputs.env);
    const schemeText = scheme.value ?? b.scheme!.text;
    const slbText = slb.value ?? b.slb!.text;
    const frontText = front.value ?? b.frontPort!.text;
    const transport = transportOf(schemeText);
    const mapping = ports.find((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && key.port !== undefined && p.containerStart <= key.port && key.port <= (p.containerEnd ?? p.containerStart) && p.protocol === transport);
    const host = mapping?.hostStart !== undefined && key.port !== undefined ? String(mapping.hostStart + (key.port - mapping.containerStart!)) : '?';
    const otherProtocol = host === '?' && key.port !== undefined ? ports.find((p) => !p.unresolved && !p.invalid && p.containerStart !== undefined && p.containerStart <= key.port! && key.port! <= (p.containerEnd ?? p.containerStart) && p.protocol !== transport) : undefined;
    const notes: string[] = [];
    let verdict: string;
    if (otherProtocol) verdict = `✗ ${t('Container port {0} is published as {1}, but this label binds it with {2}: the protocols must match.', key.port ?? '?', otherProtocol.protocol, transport)}`;
    else if (host === '?' && ports.some((p) => p.unresolved)) verdict = `⚠ ${t('A port mapping uses variables that are not set in .env, so the backend port is known only at deploy time.')}`;
    else if (host === '?') verdict = `✗ ${t('No fixed host port is published for container port {0}, so the backend port is unknown.', key.port ?? '?')}`;
    else verdict = liveVerdict(slbText, schemeText, Number(frontText), Number(host), inputs) ?? `✓ ${t('The ports line up. The label does not create the SLB or the listener: a {0} listener on port {1} with backend port {2} must exist on the SLB.', schemeText.toUpperCase(), frontText, host)}`;
    lines.push(`**${t('SLB {0} {1} {2} -> host {3} (backend port) -> container {4}', `\`${slbText}\``, schemeText.toUpperCase(), frontText, host, key.port ?? '?')}**`, '', verdict, '');
    const nameNote = looksLikeSlbId(slbText) ? t('`{0}` is an SLB instance ID.', slbText) : t('`{0}` is an SLB name: it must match exactly one SLB in the region (IDs are safer).', slbText);
    for (const v of [...slb.unresolved, ...scheme.unresolved, ...front.unresolved]) notes.push(t('`${0}` is not set in .env: it is asked for when the application is deployed.', v));
    for (const d of [...slb.defaultsUsed, ...front.defaultsUsed]) notes.push(t('`${0}` is not set: the default `{1}` is assumed.', d.name, d.value));
    if (slbFocus) {
      const card = inputs.describeSlb?.(slbText);
      if (card) lines.push(card, '');
      notes.push(nameNote, t("One SLB per service: two services bound to the same SLB remove each other's backend servers."));
    } else {
      if (schemeDoc(schemeText)) notes.push(schemeDoc(schemeText));
      notes.push(nameNote);
      const scale = host !== '?' ? scaleNeedingNodes(service) : undefined;
      if (scale !== undefined) notes.push(t('With the fixed host port {0} at most one container of this service fits on a node: a scale of {1} needs at least {1} nodes (or use aliyun.global: "true").', host, scale));
    }
    for (const n of notes) lines.push(`- ${n}`);
    lines.push('');
  }
  if (bindings.length === 0) lines.push(`**${label.key}** — ${t('SLB binding of container port {0}', key.port ?? key.portText)}`, '');
  if (!slbFocus) {
    lines.push(`- ${t("One SLB per service: two services bound to the same SLB remove each other's backend servers.")}`);
    if (inputs.describeSlb && bindings.length) lines.push(`- ${t('Hover the SLB name for its live card.')}`);
  }
  lines.push('', `[${t('Label documentation')}](${LB_DOCS_URL})`);
  return lines.join('\n');
}

/** What the account says about this binding, in one line; undefined without a catalog. */
function liveVerdict(slb: string, scheme: string, front: number, host: number, inputs: HoverInputs): string | undefined {
  if (!inputs.cloudSlbs || hasVariableText(slb)) return undefined;
  const matches = inputs.cloudSlbs.filter((s) => s.name === slb || s.id === slb);
  if (matches.length === 0) return `✗ ${t("No SLB '{0}' in this region of the account.", slb)}`;
  if (matches.length > 1) return `⚠ ${t("{0} SLBs share the name '{1}': use the ID.", matches.length, slb)}`;
  const status = matches[0].status;
  if (status && status !== 'active') return `⚠ ${t('The SLB is {0}: it does not forward traffic until it is active again.', status)}`;
  const listeners = inputs.cloudListeners?.(slb);
  if (!listeners) return undefined;
  const space = portSpaceOf(scheme);
  const onPort = listeners.find((l) => l.port === front && portSpaceOf(l.protocol) === space);
  if (!onPort) return `${t('No listener on front port {0} yet: "Provision listener" creates a {1} listener → backend port {2}.', front, scheme.toUpperCase(), host)}`;
  if (onPort.protocol !== scheme || (onPort.backendPort !== undefined && onPort.backendPort !== host)) return `✗ ${t('Front port {0} is taken by a {1} listener → backend port {2}; this label needs {3} → {4}.', front, onPort.protocol.toUpperCase(), onPort.backendPort ?? '?', scheme.toUpperCase(), host)}`;
  if (onPort.status && onPort.status !== 'running') return `⚠ ${t('The {0} listener {1} → {2} exists but is {3}: "Provision listener" starts it.', scheme.toUpperCase(), front, host, onPort.status)}`;
  return `✓ ${t('The {0} listener {1} → {2} is running: this label is ready.', scheme.toUpperCase(), front, host)}`;
}

function hasVariableText(text: string): boolean {
  return text.includes('$');
}
