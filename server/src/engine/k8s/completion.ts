// Completion in a Service manifest: annotation keys (new spelling first, legacy last) and values:
// enums, protocol-port entries built from spec.ports, CLB IDs from the account (name, address,
// status), server certificate IDs for cert-id when the certificates are known.
import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Position } from 'vscode-languageserver-types';
import type { CloudSlb } from '../features/completion';
import { t } from '../i18n';
import type { TextLike } from '../text';
import { ANNOTATIONS, annotationKey, BACKEND_TYPE_KEY, BACKEND_TYPE_SPEC, docOf, lookupAnnotation } from './annotations';
import { annotationCursor } from './cursor';
import type { K8sManifest, ServiceModel } from './model';
import { typeSummary } from './hover';
import { clbView, controllerNote } from './clbView';
import type { ServerCertificateInfo } from './onlineRules';

export interface K8sCompletionInputs {
  /** The document's parse, asked only once the cursor is in annotations (undefined: not available). */
  manifest: K8sManifest | undefined | (() => K8sManifest | undefined);
  cloudSlbs?: CloudSlb[];
  certificates?: readonly ServerCertificateInfo[];
  snippetSupport?: boolean;
}

export function k8sComplete(doc: TextLike, position: Position, inputs: K8sCompletionInputs): CompletionItem[] {
  const cursor = annotationCursor(doc, position);
  if (!cursor || (cursor.objectKind && cursor.objectKind !== 'Service')) return [];
  const offset = doc.offsetAt(position);
  const manifest = typeof inputs.manifest === 'function' ? inputs.manifest() : inputs.manifest;
  const service = manifest?.services.find((s) => offset >= s.span.start && offset <= s.span.end + 1);
  const range = { start: { line: cursor.line, character: cursor.start }, end: { line: cursor.line, character: cursor.end } };
  const view = service ? clbView(service) : undefined;
  // Another controller owns the Service: no CLB keys or values. For NLB only the keys that only the
  // NLB controller reads (the CLB catalogue would mislead; NLB values are not known here).
  if (view?.otherController) {
    if (cursor.kind !== 'annotationKey' || !view.nlb) return [];
    const present = new Set(service!.annotations.map((a) => a.key));
    const nlbNote = controllerNote(view)!;
    return ANNOTATIONS.filter((spec) => spec.nlbOnly && !present.has(annotationKey(spec.suffix))).map((spec, i): CompletionItem => {
      const key = annotationKey(spec.suffix);
      return {
        label: key,
        kind: CompletionItemKind.Property,
        detail: t('NLB annotation (not checked)'),
        documentation: { kind: MarkupKind.Markdown, value: `${docOf(spec)}\n\n${nlbNote}` },
        sortText: String(i).padStart(4, '0'),
        filterText: key,
        textEdit: inputs.snippetSupport ? { range, newText: `${key}: "$1"` } : { range, newText: `${key}: ` },
        insertTextFormat: inputs.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      };
    });
  }
  if (cursor.kind === 'annotationKey') {
    const present = new Set(service?.annotations.map((a) => a.key) ?? []);
    const items: CompletionItem[] = [];
    const add = (key: string, docText: string, detail: string, sort: string, legacy: boolean) => {
      if (present.has(key)) return;
      items.push({
        label: key,
        kind: CompletionItemKind.Property,
        detail: legacy ? `${detail} · ${t('legacy spelling')}` : detail,
        documentation: { kind: MarkupKind.Markdown, value: docText },
        sortText: sort,
        filterText: key,
        textEdit: inputs.snippetSupport ? { range, newText: `${key}: "$1"` } : { range, newText: `${key}: ` },
        insertTextFormat: inputs.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      });
    };
    ANNOTATIONS.forEach((spec, i) => {
      if (spec.nlbOnly) return;
      add(annotationKey(spec.suffix), docOf(spec), typeSummary(spec), `0${String(i).padStart(3, '0')}`, false);
      add(annotationKey(spec.suffix, true), docOf(spec), typeSummary(spec), `9${String(i).padStart(3, '0')}`, true);
    });
    add(BACKEND_TYPE_KEY, docOf(BACKEND_TYPE_SPEC), typeSummary(BACKEND_TYPE_SPEC), '0999', false);
    return items;
  }
  const known = lookupAnnotation(cursor.key);
  if (!known) return [];
  // Values are strings to Kubernetes: unquoted, the item writes them quoted ("true", "5").
  const edit = (value: string) => ({ range, newText: cursor.quoted ? value : JSON.stringify(value) });
  const item = (value: string, detail?: string, documentation?: string, sort?: string): CompletionItem => ({
    label: value,
    kind: CompletionItemKind.Value,
    detail,
    documentation: documentation ? { kind: MarkupKind.Markdown, value: documentation } : undefined,
    sortText: sort,
    filterText: cursor.quoted ? value : JSON.stringify(value),
    textEdit: edit(value),
  });
  const type = known.spec.type;
  switch (type.kind) {
    case 'enum':
      return type.values.map((v, i) => item(v, v === known.spec.default ? t('default') : undefined, undefined, String(i)));
    case 'onOff':
      return ['on', 'off'].map((v) => item(v, v === known.spec.default ? t('default') : undefined));
    case 'trueOnly':
      return [
        item('true', t('the CCM manages the listeners of the reused CLB'), t('Listeners on the Service ports are created, taken over (same port and protocol) or deleted (only its own) by the CCM.')),
        item('false', t('the CCM leaves listeners alone'), t('The CCM builds vServer groups and backends only; listeners must be created and pointed at them by hand.')),
      ];
    case 'int':
      return known.spec.default ? [item(known.spec.default, t('default'))] : [];
    case 'string':
      return (type.suggestions ?? []).map((v) => item(v));
    case 'protocolPort':
      return protocolPortItems(service, cursor.valueBefore ?? '', cursor.value ?? '', range, cursor.quoted === true);
    case 'clbId':
      return (inputs.cloudSlbs ?? []).map((s, i) => ({
        ...item(s.id, [s.name, s.address, s.addressType, s.status].filter(Boolean).join(' · '), s.listeners?.length ? `${t('Listeners')}: ${s.listeners.join(', ')}` : undefined, String(i).padStart(4, '0')),
        filterText: `${s.id} ${s.name}`,
      }));
    case 'certId':
      return (inputs.certificates ?? []).map((c) => item(c.id, [c.name, c.expireTime ? t('expires {0}', new Date(c.expireTime).toISOString().slice(0, 10)) : undefined].filter(Boolean).join(' · ')));
    default:
      return [];
  }
}

/** The listener protocol a port most likely wants (only a guess for the whole-value item). */
function guessProtocol(port: number, specProtocol: string): string {
  if (specProtocol === 'udp') return 'udp';
  if (port === 443 || port === 8443) return 'https';
  if (port === 80 || port === 8080) return 'http';
  return 'tcp';
}

function protocolPortItems(service: ServiceModel | undefined, before: string, whole: string, range: { start: Position; end: Position }, quoted: boolean): CompletionItem[] {
  const ports = (service?.ports ?? []).filter((p) => p.port).map((p) => ({ port: p.port!.value, protocol: (p.protocol?.value ?? 'TCP').toLowerCase(), name: p.name?.value }));
  if (ports.length === 0) return [];
  // Complete the entry under the cursor: the text after the last ',' before it.
  const entryStart = before.lastIndexOf(',') + 1;
  const nextComma = whole.indexOf(',', before.length);
  const entryEnd = nextComma < 0 ? whole.length : nextComma;
  const listed = new Set(whole.split(',').map((e) => e.split(':')[1]).filter(Boolean));
  const entryRange = { start: { line: range.start.line, character: range.start.character + entryStart }, end: { line: range.start.line, character: range.start.character + entryEnd } };
  const items: CompletionItem[] = [];
  ports.forEach((p, i) => {
    const protocols = p.protocol === 'udp' ? ['udp'] : ['tcp', 'http', 'https'];
    for (const proto of protocols) {
      const value = `${proto}:${p.port}`;
      items.push({
        label: value,
        kind: CompletionItemKind.Value,
        detail: t('Service port {0}{1}', p.port, p.name ? ` (${p.name})` : ''),
        sortText: `${listed.has(String(p.port)) ? 1 : 0}${String(i).padStart(3, '0')}${proto === guessProtocol(p.port, p.protocol) ? 0 : 1}`,
        // Unquoted values get quotes around the whole value (protocol-port must be a string).
        textEdit: quoted || entryStart > 0 ? { range: entryRange, newText: value } : { range, newText: JSON.stringify(value) },
        filterText: quoted || entryStart > 0 ? value : JSON.stringify(value),
      });
    }
  });
  if (entryStart === 0 && ports.length > 1) {
    const all = ports.map((p) => `${guessProtocol(p.port, p.protocol)}:${p.port}`).join(',');
    items.unshift({ label: all, kind: CompletionItemKind.Value, detail: t('every port of this Service'), sortText: '0', textEdit: { range, newText: quoted ? all : JSON.stringify(all) }, filterText: quoted ? all : JSON.stringify(all) });
  }
  return items;
}
