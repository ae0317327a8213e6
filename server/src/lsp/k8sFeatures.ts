// The language server's Kubernetes face: which documents are manifests (by content), and their
// completion, hover and online findings. server.ts asks `isKubernetes` first and hands over;
// offline validation runs in the validation worker (it dispatches on content too).
import type { Diagnostic, Position, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { toDiagnostics } from '../engine/features/diagnostics';
import { ManifestAnalyzer } from '../engine/k8s/analyze';
import { k8sComplete } from '../engine/k8s/completion';
import { k8sHover } from '../engine/k8s/hover';
import type { K8sManifest } from '../engine/k8s/model';
import { checkManifestOnline, ServerCertificateInfo } from '../engine/k8s/onlineRules';
import { linesLookLikeKubernetes, looksLikeKubernetes, parseManifest } from '../engine/k8s/parse';
import { clbPortClaims, crossFileFinding, WorkspaceClbPorts } from '../engine/k8s/workspacePorts';
import { textOf } from '../engine/text';
import type { LineDocument } from '../engine/lineDocument';
import type { CloudSession } from './cloudSession';

const CERTIFICATES_TTL_MS = 5 * 60_000;
/** Above this size (characters) the main thread does not parse a manifest (completion/hover stay fast). */
const MAX_MAIN_THREAD_PARSE = 512 * 1024;

export interface K8sFeaturesDeps {
  cloud: CloudSession;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Validate open manifests again (certificates arrived). */
  revalidate: () => void;
}

export class K8sFeatures {
  private readonly detected = new WeakMap<LineDocument, { version: number; result: boolean }>();
  private readonly parsed = new Map<string, { version: number; manifest: K8sManifest }>();
  private certificates: { region: string; at: number; list: ServerCertificateInfo[] } | undefined;
  private certificatesLoading = false;
  private lastCertificateError = '';
  private certificatesFailedAt = 0;
  /** Listener ports on reused CLBs per manifest of the workspace (R12 across files). */
  private readonly clbPorts = new WorkspaceClbPorts();

  constructor(private readonly deps: K8sFeaturesDeps) {}

  /** A manifest on disk (workspace scan, a closed document): its CLB port claims join the index. */
  indexFile(uri: string, text: string): void {
    // Cheap text checks first: only manifests that reuse a CLB can claim a port.
    const claims = /loadbalancer-id/.test(text) && looksLikeKubernetes(text) ? clbPortClaims(parseManifest(text)) : [];
    if (this.clbPorts.update(uri, claims, textOf(text, uri))) this.deps.revalidate();
  }

  /** An open document's claims, from this version's parse. */
  indexOpen(doc: LineDocument): void {
    // Only a manifest that reuses a CLB can claim a port: others are not parsed here at all.
    const manifest = this.isKubernetes(doc) && doc.includes('loadbalancer-id') ? this.manifest(doc) : undefined;
    if (this.clbPorts.update(doc.uri, manifest ? clbPortClaims(manifest) : [], doc)) this.deps.revalidate();
  }

  unindex(uri: string): void {
    if (this.clbPorts.remove(uri)) this.deps.revalidate();
  }

  /** Services of other files of the workspace on the same CLB port as a Service of this one. */
  workspaceDiagnostics(doc: LineDocument, relatedInformation: boolean): Diagnostic[] {
    if (!this.clbPorts.hasClaimsBesides(doc.uri)) return [];
    const manifest = this.manifest(doc);
    if (!manifest) return [];
    return this.clbPorts.clashes(doc.uri, clbPortClaims(manifest)).map((clash) => {
      const [diagnostic] = toDiagnostics(doc, [crossFileFinding(clash)], doc.uri, relatedInformation);
      if (relatedInformation) diagnostic.relatedInformation = clash.others.map((o) => ({ location: { uri: o.uri, range: o.range }, message: `Service '${o.service}' (${o.namespace})` }));
      return diagnostic;
    });
  }

  /**
   * A YAML document with `apiVersion:` and `kind:` at the top level of some document. Asked on every
   * request, so kept current edit by edit (changed()): a scan of the whole file (70 ms at 90k lines
   * on a busy machine) happens once, not per keystroke of a big compose file.
   */
  isKubernetes(doc: LineDocument): boolean {
    if (doc.languageId !== 'yaml' && doc.languageId !== 'dockercompose') return false;
    const cached = this.detected.get(doc);
    if (cached && cached.version === doc.version) return cached.result;
    const result = linesLookLikeKubernetes(doc.lineCount, (line) => doc.lineText(line));
    this.detected.set(doc, { version: doc.version, result });
    return result;
  }

  /**
   * After an edit: a file that was not a manifest can only become one if a line the edit touched now
   * starts with `apiVersion:` or `kind:`; only then (or when it was one) is it scanned again.
   */
  changed(doc: LineDocument, changes: readonly TextDocumentContentChangeEvent[]): void {
    const cached = this.detected.get(doc);
    if (!cached) return;
    // Several edits in one notification: their ranges shift each other; just scan again.
    if (cached.result || changes.length !== 1) {
      this.detected.delete(doc);
      return;
    }
    for (const change of changes) {
      if (!('range' in change)) {
        this.detected.delete(doc);
        return;
      }
      const first = change.range.start.line;
      const last = Math.min(doc.lineCount - 1, first + (change.text.match(/\r\n|\r|\n/g)?.length ?? 0));
      for (let line = first; line <= last; line++) {
        if (/^(?:apiVersion|kind)[ \t]*:/.test(doc.lineText(line))) {
          this.detected.delete(doc);
          return;
        }
      }
    }
    this.detected.set(doc, { version: doc.version, result: false });
  }

  /**
   * The parsed manifest of this version, on demand (one parse per version: manifests are small).
   * A very large file (a CRD bundle) is not parsed on this thread at all: completion then works from
   * the cursor's line alone, and hover and the online checks say nothing.
   */
  manifest(doc: LineDocument): K8sManifest | undefined {
    if (doc.length > MAX_MAIN_THREAD_PARSE) return undefined;
    const cached = this.parsed.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.manifest;
    const manifest = parseManifest(doc.getText());
    this.parsed.set(doc.uri, { version: doc.version, manifest });
    return manifest;
  }

  closed(uri: string): void {
    this.parsed.delete(uri);
  }

  complete(doc: LineDocument, position: Position, snippetSupport: boolean) {
    this.loadCertificates();
    return k8sComplete(doc, position, { manifest: () => this.manifest(doc), cloudSlbs: this.deps.cloud.cloudSlbs(), certificates: this.currentCertificates(), snippetSupport });
  }

  hover(doc: LineDocument, position: Position) {
    const manifest = this.manifest(doc);
    return manifest ? k8sHover(doc, position, { manifest, describeSlb: this.deps.cloud.describeSlb }) : null;
  }

  /** Online findings (none without a trusted catalog snapshot). Runs after the worker's offline result. */
  onlineDiagnostics(doc: LineDocument, relatedInformation: boolean): Diagnostic[] {
    if (!this.deps.cloud.active()) return [];
    const snapshot = this.deps.cloud.catalog.trustedSnapshot();
    if (!snapshot) return [];
    this.loadCertificates();
    const manifest = this.manifest(doc);
    if (!manifest) return [];
    const findings = checkManifestOnline(manifest, { snapshot, certificates: this.currentCertificates() });
    return toDiagnostics(doc, findings, doc.uri, relatedInformation);
  }

  private currentCertificates(): ServerCertificateInfo[] | undefined {
    const region = this.deps.cloud.catalog.trustedSnapshot()?.region;
    return this.certificates && this.certificates.region === region ? this.certificates.list : undefined;
  }

  /** Server certificates of the catalog's region, fetched in the background at most every 5 minutes. */
  private loadCertificates(): void {
    const region = this.deps.cloud.catalog.trustedSnapshot()?.region;
    if (!region || !this.deps.cloud.active() || this.certificatesLoading) return;
    if (this.certificates && this.certificates.region === region && Date.now() - this.certificates.at < CERTIFICATES_TTL_MS) return;
    if (Date.now() - this.certificatesFailedAt < CERTIFICATES_TTL_MS) return;
    this.certificatesLoading = true;
    void (async () => {
      try {
        const session = await this.deps.cloud.commandClient();
        if (!session.ok) return;
        const body = await session.client.describeServerCertificates({ RegionId: session.region });
        const list = body.ServerCertificates.ServerCertificate.map((c) => ({ id: c.ServerCertificateId ?? '', name: c.ServerCertificateName, expireTime: c.ExpireTimeStamp }));
        this.certificates = { region: session.region, at: Date.now(), list };
        this.lastCertificateError = '';
        this.deps.revalidate();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== this.lastCertificateError) this.deps.log('warn', `Kubernetes: could not list server certificates: ${message}`);
        this.lastCertificateError = message;
        // Try again after the TTL, not on every keystroke; certificate checks stay off meanwhile.
        this.certificatesFailedAt = Date.now();
      } finally {
        this.certificatesLoading = false;
      }
    })();
  }
}
