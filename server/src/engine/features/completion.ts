// Completion in labels blocks: lb keys for published ports that have no binding yet, the other
// aliyun.* keys, and in an lb value: scheme, then SLB, then front port.
import { CompletionItem, CompletionItemKind, CompletionItemTag, InsertReplaceEdit, InsertTextFormat, MarkupKind, Position, TextEdit } from 'vscode-languageserver-types';
import { ComposeAnalyzer } from '../analysis';
import { ServiceModel } from '../compose/model';
import { t } from '../i18n';
import { LABEL_CATALOG, labelDoc, LB_DOCS_URL } from '../labels/catalog';
import { hasVariable, isLbKey, LB_SCHEMES, parseLbKey, parseLbValue, portSpaceOf, slbNameProblem } from '../labels/lbLabel';
import { portChainBlocker, resolvedPorts } from '../rules/serviceRules';
import { TextLike } from '../text';
import { SlbSummary } from '../workspaceIndex';
import { cursorContext, CursorContext } from './cursorContext';
import { serviceModelAt } from './serviceAtCursor';

/** SLBs known from the account (filled by the cloud layer when credentials exist). */
export interface CloudSlb {
  id: string;
  name: string;
  address?: string;
  addressType?: string;
  status?: string;
  listeners?: string[];
}

/** A listener of an account SLB (from the cached catalog). */
export interface CloudListener {
  port: number;
  /** tcp | udp | http | https (lower case). */
  protocol: string;
  backendPort?: number;
  status?: string;
}

export interface CompletionInputs {
  analyzer: ComposeAnalyzer;
  workspaceSlbs: SlbSummary[];
  cloudSlbs?: CloudSlb[];
  /**
   * Listeners of the SLB named/identified in the label, from the cached catalog (never waits on the
   * network); undefined when unknown (no credentials, no snapshot, no such SLB, ambiguous name).
   */
  cloudListeners?: (slb: string) => CloudListener[] | undefined;
  snippetSupport: boolean;
  /** Variables from the .env next to the file: `${HOST_PORT}:80` counts as published when it is set. */
  env?: ReadonlyMap<string, string>;
  /** The client takes InsertReplaceEdit: completing inside a word can replace the rest of it. */
  insertReplace?: boolean;
}

/** What is left of the token after the cursor, for each kind of value item (with the separator the item inserts). */
const REST_OF_SCHEME = /^[A-Za-z]*(?::\/\/)?/;
const REST_OF_SLB = /^[A-Za-z0-9\-_/.]*:?/;
const REST_OF_PORT = /^[0-9]*/;

/**
 * The edit for a value item: inserts up to the cursor; for clients that support it, a "replace"
 * range also covers the rest of the token after the cursor (editor.suggest.insertMode: replace).
 */
function valueEdit(doc: TextLike, context: CursorContext, start: number, newText: string, rest: RegExp, inputs: CompletionInputs): TextEdit | InsertReplaceEdit {
  const insert = { start: doc.positionAt(start), end: doc.positionAt(context.cursor) };
  const extra = inputs.insertReplace ? (rest.exec(context.after)?.[0].length ?? 0) : 0;
  if (extra === 0) return { range: insert, newText };
  return { newText, insert, replace: { start: insert.start, end: doc.positionAt(context.cursor + extra) } };
}

const SCHEME_DOCS: Record<string, string> = {
  tcp: 'Layer-4 TCP listener: the SLB forwards TCP connections to the backend port unchanged (Redis, MySQL, TLS you terminate yourself).',
  http: 'Layer-7 HTTP listener: the SLB speaks HTTP to clients and to the backend port (adds X-Forwarded-For, HTTP health checks).',
  https: 'Layer-7 HTTPS listener: the SLB terminates TLS with a server certificate you upload to SLB and forwards plain HTTP to the backend port.',
  udp: 'Layer-4 UDP listener: the SLB forwards datagrams; the port must be published as /udp.',
};

export function schemeDoc(scheme: string): string {
  return SCHEME_DOCS[scheme] ? t(SCHEME_DOCS[scheme]) : '';
}

export function complete(doc: TextLike, position: Position, inputs: CompletionInputs): CompletionItem[] {
  const context = cursorContext(doc, position.line, position.character);
  if (context.kind === 'other' || !context.service) return [];
  const service = serviceModelAt(inputs.analyzer, doc, context.service, context.lineStart);
  if (context.kind === 'labelKey') return completeKeys(doc, context, service, inputs);
  if (context.key && isLbKey(context.key)) return completeLbValue(doc, context, service, inputs);
  return completeOtherValue(doc, context);
}

function range(doc: TextLike, context: CursorContext) {
  return { start: doc.positionAt(context.tokenStart), end: doc.positionAt(context.cursor) };
}

interface PublishedPort {
  container: number;
  host: number;
  protocol: 'tcp' | 'udp';
}

/** Ports an lb label can use as they are: fixed host port, same size on both sides, reachable (not loopback). */
function publishedPorts(service: ServiceModel | undefined, env: ReadonlyMap<string, string> | undefined): PublishedPort[] {
  const result: PublishedPort[] = [];
  if (!service) return result;
  for (const p of resolvedPorts(service, env)) {
    // A label on a mapping that breaks a port-chain rule would be an error at once.
    if (p.unresolved || portChainBlocker(p) || p.containerStart === undefined || p.hostStart === undefined) continue;
    if (p.protocol !== 'tcp' && p.protocol !== 'udp') continue;
    const size = (p.containerEnd ?? p.containerStart) - p.containerStart;
    if (size > 20) continue;
    for (let i = 0; i <= size; i++) result.push({ container: p.containerStart + i, host: p.hostStart + i, protocol: p.protocol });
  }
  return result;
}

/**
 * The SLB the key snippet proposes. Accepting the defaults must not create an error: an SLB this
 * service already uses; else an account SLB no compose file of the workspace uses; else a name for
 * a new SLB of this service. Never another service's SLB (two services must not share one).
 */
function defaultSlb(service: ServiceModel | undefined, serviceName: string | undefined, inputs: CompletionInputs): string {
  for (const label of service?.labels ?? []) {
    if (!isLbKey(label.key)) continue;
    const slb = parseLbValue(label.value ?? '')[0]?.slb?.text;
    if (slb && !slbNameProblem(slb) && !hasVariable(slb)) return slb;
  }
  const used = new Set(inputs.workspaceSlbs.map((s) => s.slb));
  const free = inputs.cloudSlbs?.find((s) => s.name && !used.has(s.name) && !used.has(s.id));
  if (free?.name) return free.name;
  // A new name; numbered if some other service already uses it.
  const fromService = `slb_${(serviceName ?? 'name').replace(/[^A-Za-z0-9\-_/.]/g, '_')}`.slice(0, 75);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? fromService : `${fromService}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function completeKeys(doc: TextLike, context: CursorContext, service: ServiceModel | undefined, inputs: CompletionInputs): CompletionItem[] {
  const items: CompletionItem[] = [];
  const editRange = range(doc, context);
  const separator = context.form === 'list' ? '=' : ': ';
  const bound = new Set<number>();
  for (const label of service?.labels ?? []) {
    if (isLbKey(label.key)) {
      const port = parseLbKey(label.key).port;
      if (port !== undefined) bound.add(port);
    }
  }
  const initiallyBound = new Set(bound);
  const slbPlaceholder = defaultSlb(service, context.service?.name, inputs);
  let rank = 0;
  for (const port of publishedPorts(service, inputs.env)) {
    if (bound.has(port.container)) continue;
    bound.add(port.container);
    const key = `aliyun.lb.port_${port.container}`;
    const schemes = port.protocol === 'udp' ? 'udp' : '${1|tcp,http,https|}';
    const snippet = inputs.snippetSupport
      ? `${key}${separator}${schemes}://\${2:${escapeSnippet(slbPlaceholder)}}:\${3:${port.host}}$0`
      : `${key}${separator}${port.protocol === 'udp' ? 'udp' : 'tcp'}://${slbPlaceholder}:${port.host}`;
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      detail: t('SLB binding for container port {0} (published on host port {1}/{2})', port.container, port.host, port.protocol),
      documentation: { kind: MarkupKind.Markdown, value: t('Front port (SLB listener) -> host port {0} (backend port) -> container port {1}. The SLB and its listener must exist.', port.host, port.container) + `\n\n[${t('Label documentation')}](${LB_DOCS_URL})` },
      textEdit: { range: editRange, newText: snippet },
      insertTextFormat: inputs.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      filterText: key,
      sortText: `0${String(rank++).padStart(3, '0')}`,
      preselect: rank === 1,
    });
  }
  // Container ports for the generic lb entry: the published ones without a binding, else every
  // published one (the user may be moving a binding); a placeholder only when nothing is published.
  const published = publishedPorts(service, inputs.env);
  const unbound = published.filter((p) => !initiallyBound.has(p.container));
  const portChoices = [...new Set((unbound.length ? unbound : published).map((p) => p.container))];
  for (const spec of LABEL_CATALOG) {
    if (spec.key === 'aliyun.lb.port_' && spec.prefix) {
      items.push(genericLbItem(spec, portChoices, published, slbPlaceholder, separator, editRange, inputs));
      continue;
    }
    const isPrefix = spec.prefix === true;
    const label = isPrefix ? `${spec.key}${spec.suffixPlaceholder ?? ''}` : spec.key;
    let snippet: string;
    if (spec.nameSuffix !== undefined) snippet = `${spec.key}\${1:name}${spec.nameSuffix}${separator}\${2${spec.valueSnippet ? `:${spec.valueSnippet.replace(/^\$\{1:(.*)\}$/, '$1')}` : ''}}`;
    else if (isPrefix) snippet = `${spec.key}\${1}${separator}\${2}`;
    else if (spec.valueSnippet) snippet = context.form === 'map' ? `${spec.key}: "${spec.valueSnippet}"` : `${spec.key}=${spec.valueSnippet}`;
    else snippet = `${spec.key}${separator}\${1}`;
    const plain = `${spec.key}${spec.nameSuffix ? `name${spec.nameSuffix}` : ''}${separator}`;
    items.push({
      label,
      kind: CompletionItemKind.Property,
      detail: spec.valueFormat,
      documentation: { kind: MarkupKind.Markdown, value: `${labelDoc(spec)}\n\n${t('Value')}: \`${spec.valueFormat}\`` },
      textEdit: { range: editRange, newText: inputs.snippetSupport ? snippet : plain },
      insertTextFormat: inputs.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      filterText: spec.key + (spec.nameSuffix ?? ''),
      // Deprecated spellings last, struck through: a user picking from the top gets today's label.
      sortText: `${spec.deprecated ? '9' : spec.documented ? '1' : '2'}${spec.key}${spec.nameSuffix ?? ''}`,
      ...(spec.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
    });
  }
  return items;
}

/**
 * `aliyun.lb.port_<container_port>`: right after the port-specific entries, and never a bare
 * `aliyun.lb.port_: ` (an error at once): the container port is a choice of the published ports,
 * and tabbing on lands on a choice of schemes, the SLB and the front port.
 */
function genericLbItem(spec: (typeof LABEL_CATALOG)[number], portChoices: number[], published: PublishedPort[], slb: string, separator: string, editRange: { start: Position; end: Position }, inputs: CompletionInputs): CompletionItem {
  const first = published.find((p) => p.container === portChoices[0]);
  const port = portChoices.length > 1 ? `\${1|${portChoices.join(',')}|}` : portChoices.length === 1 ? `\${1:${portChoices[0]}}` : '${1:container_port}';
  const schemes = first?.protocol === 'udp' ? '${2|udp,tcp,http,https|}' : '${2|tcp,http,https,udp|}';
  const snippet = `aliyun.lb.port_${port}${separator}${schemes}://\${3:${escapeSnippet(slb)}}:\${4:${first?.host ?? 80}}$0`;
  const plain = `aliyun.lb.port_${portChoices[0] ?? ''}${separator}`;
  return {
    label: `aliyun.lb.port_${spec.suffixPlaceholder ?? ''}`,
    kind: CompletionItemKind.Property,
    detail: portChoices.length ? t('SLB binding: pick the container port ({0})', portChoices.join(', ')) : spec.valueFormat,
    documentation: { kind: MarkupKind.Markdown, value: `${labelDoc(spec)}\n\n${t('Value')}: \`${spec.valueFormat}\`` },
    textEdit: { range: editRange, newText: inputs.snippetSupport ? snippet : plain },
    insertTextFormat: inputs.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    filterText: spec.key,
    sortText: '05',
  };
}

const RETRIGGER = { title: 'suggest', command: 'editor.action.triggerSuggest' };

function completeLbValue(doc: TextLike, context: CursorContext, service: ServiceModel | undefined, inputs: CompletionInputs): CompletionItem[] {
  const typed = context.typed;
  // Completing the last ';'-separated entry only.
  const entryOffset = typed.lastIndexOf(';') + 1;
  const entry = typed.slice(entryOffset);
  const entryStart = context.tokenStart + entryOffset;
  const containerPort = parseLbKey(context.key!).port;
  const published = publishedPorts(service, inputs.env).find((p) => p.container === containerPort);
  const items: CompletionItem[] = [];
  const schemeEnd = entry.indexOf('://');
  if (schemeEnd < 0) {
    const preferred = published?.protocol === 'udp' ? ['udp'] : ['tcp', 'http', 'https'];
    LB_SCHEMES.forEach((scheme) => {
      items.push({
        label: scheme,
        kind: CompletionItemKind.EnumMember,
        detail: scheme === 'udp' ? t('UDP listener') : scheme === 'tcp' ? t('TCP listener (layer 4)') : t('{0} listener (layer 7)', scheme.toUpperCase()),
        documentation: schemeDoc(scheme),
        textEdit: valueEdit(doc, context, entryStart, `${scheme}://`, REST_OF_SCHEME, inputs),
        sortText: `${preferred.includes(scheme) ? 0 : 1}${preferred.indexOf(scheme)}${scheme}`,
        command: RETRIGGER,
      });
    });
    return items;
  }
  const afterScheme = entry.slice(schemeEnd + 3);
  const slbStart = entryStart + schemeEnd + 3;
  const colon = afterScheme.lastIndexOf(':');
  if (colon < 0) {
    let rank = 0;
    const offered = new Set<string>();
    // One row per SLB: its name (ID in the detail), or its ID when several SLBs share the name.
    // Unusable SLBs (not active) come last and say why.
    const cloud = inputs.cloudSlbs ?? [];
    const nameCount = new Map<string, number>();
    for (const slb of cloud) if (slb.name) nameCount.set(slb.name, (nameCount.get(slb.name) ?? 0) + 1);
    for (const slb of cloud) {
      const ambiguous = !!slb.name && (nameCount.get(slb.name) ?? 0) > 1;
      const label = slb.name && !ambiguous ? slb.name : slb.id;
      if (!label || offered.has(label)) continue;
      offered.add(label);
      if (slb.name) offered.add(slb.name);
      offered.add(slb.id);
      const unusable = unusableReason(slb.status);
      const detail = [
        ambiguous ? t('{0} (name shared by {1} SLBs: use the ID)', slb.name, nameCount.get(slb.name) ?? 0) : slb.name ? slb.id : undefined,
        slb.address,
        slb.addressType,
        unusable ?? slb.status,
      ].filter(Boolean).join(' · ');
      items.push({
        label,
        kind: CompletionItemKind.Value,
        detail,
        documentation: slb.listeners?.length ? t('Listeners: {0}', slb.listeners.join(', ')) : t('No listeners yet'),
        textEdit: valueEdit(doc, context, slbStart, `${label}:`, REST_OF_SLB, inputs),
        // Typing the other spelling (name or ID) still finds the row.
        filterText: `${label} ${slb.name && label !== slb.name ? slb.name : slb.id}`,
        sortText: `${unusable ? 2 : 0}${String(rank++).padStart(4, '0')}`,
        command: RETRIGGER,
      });
    }
    for (const slb of inputs.workspaceSlbs) {
      if (offered.has(slb.slb)) continue;
      offered.add(slb.slb);
      items.push({
        label: slb.slb,
        kind: CompletionItemKind.Value,
        detail: t('Used in {0} compose file(s) of this workspace', slb.files),
        documentation: t('Front ports in use: {0}. Two services must not share one SLB.', [...slb.frontPorts].sort((a, b) => a - b).join(', ') || '-'),
        textEdit: valueEdit(doc, context, slbStart, `${slb.slb}:`, REST_OF_SLB, inputs),
        sortText: `1${String(rank++).padStart(4, '0')}`,
        command: RETRIGGER,
      });
    }
    return items;
  }
  const slbName = afterScheme.slice(0, colon);
  const portStart = slbStart + colon + 1;
  const used = new Set<number>(inputs.workspaceSlbs.find((s) => s.slb === slbName)?.frontPorts ?? []);
  const scheme = entry.slice(0, schemeEnd);
  // Listeners of this SLB in the account: front ports in the label's port space (tcp/http/https
  // share the TCP ports, udp has its own) are taken; one with the label's protocol that already
  // forwards to the host port is what the label wants.
  const space = portSpaceOf(scheme);
  const accountListeners = (slbName && !hasVariable(slbName) ? inputs.cloudListeners?.(slbName) : undefined) ?? [];
  const takenBy = new Map<number, CloudListener>();
  for (const l of accountListeners) if (portSpaceOf(l.protocol) === space && !takenBy.has(l.port)) takenBy.set(l.port, l);
  const seen = new Set<number>();
  let rank = 0;
  const sort = (category: number) => `${category}${String(rank++).padStart(3, '0')}`;
  if (published) {
    for (const l of accountListeners) {
      if (l.protocol !== scheme || l.backendPort !== published.host || seen.has(l.port)) continue;
      seen.add(l.port);
      items.push({
        label: String(l.port),
        kind: CompletionItemKind.Value,
        detail: t('existing listener: matches this label'),
        documentation: cloudListenerText(l),
        textEdit: valueEdit(doc, context, portStart, String(l.port), REST_OF_PORT, inputs),
        sortText: sort(0),
        preselect: true,
      });
    }
  }
  const candidates: { port: number; why: string }[] = [];
  if (published) candidates.push({ port: published.host, why: t('same as the host (backend) port') });
  if (containerPort !== undefined) candidates.push({ port: containerPort, why: t('same as the container port') });
  if (scheme === 'http') candidates.push({ port: 80, why: t('the usual HTTP port') });
  if (scheme === 'https') candidates.push({ port: 443, why: t('the usual HTTPS port') });
  let free = 0;
  for (const c of candidates) {
    if (seen.has(c.port)) continue;
    seen.add(c.port);
    const listener = takenBy.get(c.port);
    const taken = used.has(c.port);
    if (!listener && !taken) free++;
    items.push({
      label: String(c.port),
      kind: CompletionItemKind.Value,
      detail: listener ? t('taken: {0}', cloudListenerText(listener)) : taken ? t('{0}; already used on this SLB in the workspace', c.why) : c.why,
      documentation: listener ? c.why : undefined,
      textEdit: valueEdit(doc, context, portStart, String(c.port), REST_OF_PORT, inputs),
      sortText: sort(listener ? 3 : taken ? 2 : 1),
    });
  }
  // Every suggestion is taken in the account: offer the next port that is free there and in the workspace.
  const base = published?.host ?? containerPort;
  if (free === 0 && takenBy.size > 0 && base !== undefined && !items.some((i) => i.sortText?.startsWith('0'))) {
    let port = base + 1;
    while (port <= 65535 && (takenBy.has(port) || used.has(port) || seen.has(port))) port++;
    if (port <= 65535) {
      items.push({
        label: String(port),
        kind: CompletionItemKind.Value,
        detail: t('free on this SLB (the usual ports are taken)'),
        textEdit: valueEdit(doc, context, portStart, String(port), REST_OF_PORT, inputs),
        sortText: sort(1),
      });
    }
  }
  return items;
}

/** Why an account SLB cannot take a new listener now, in words; undefined when it can. */
function unusableReason(status: string | undefined): string | undefined {
  if (!status || status === 'active') return undefined;
  if (status === 'inactive') return t('inactive: stopped, it forwards nothing (start it in the console)');
  if (status === 'locked') return t('locked: the account is overdue or the SLB is locked, listeners cannot be changed');
  return t('{0}: not active, it may not forward traffic', status);
}

/** `TCP 6379 → 6379, running` */
function cloudListenerText(l: CloudListener): string {
  return `${l.protocol.toUpperCase()} ${l.port}${l.backendPort !== undefined ? ` → ${l.backendPort}` : ''}${l.status ? `, ${l.status}` : ''}`;
}

function completeOtherValue(doc: TextLike, context: CursorContext): CompletionItem[] {
  const spec = LABEL_CATALOG.find((s) => !s.prefix && s.key === context.key);
  if (!spec || !spec.valueSnippet) return [];
  const choices = /\$\{1\|([^|]*)\|\}/.exec(spec.valueSnippet)?.[1]?.split(',');
  if (!choices) return [];
  const editRange = range(doc, context);
  return choices.map((value, i) => ({ label: value, kind: CompletionItemKind.Value, textEdit: { range: editRange, newText: context.form === 'map' && !context.quote ? `"${value}"` : value }, sortText: String(i) }));
}
