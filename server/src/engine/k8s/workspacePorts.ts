// R12 across files: which Service of which file has the CCM make a listener on which port of which
// reused CLB. The same-file clash is the file rule k8s-clb-port-shared (rules.ts); this index keeps
// the claims of every manifest of the workspace (open documents and files on disk) so that a
// Service can be told about a Service of another file on the same CLB port.
import type { Range } from 'vscode-languageserver-types';
import { t } from '../i18n';
import type { Finding } from '../rules/types';
import { rangeOf, PositionMapper } from '../text';
import { clbView } from './clbView';
import type { K8sManifest } from './model';
import { isClbId } from './rules';

export interface ClbPortClaim {
  /** `<clb id>\0<port>`. */
  key: string;
  clbId: string;
  port: number;
  service: string;
  namespace: string;
  /** The Service port's `port:` value, in the file. */
  span: { start: number; end: number };
}

/**
 * The listener ports this manifest's Services take on reused CLBs: the same Services the same-file
 * rule judges (LoadBalancer, CLB controller, an ID, force-override-listeners "true": without it the
 * CCM makes no listener, R5).
 */
export function clbPortClaims(manifest: K8sManifest): ClbPortClaim[] {
  const claims: ClbPortClaim[] = [];
  for (const service of manifest.services) {
    const view = clbView(service);
    if (!view.isLoadBalancer || view.otherController || !view.forceOverride || !view.reusedId) continue;
    const clbId = view.reusedId.value!.trim();
    if (!isClbId(clbId)) continue;
    for (const l of view.listeners) {
      claims.push({ key: `${clbId}\u0000${l.port}`, clbId, port: l.port, service: service.name, namespace: service.namespace ?? 'default', span: l.servicePort.port!.span });
    }
  }
  return claims;
}

interface IndexedClaim extends ClbPortClaim {
  range: Range;
}

export interface CrossFileClash {
  claim: ClbPortClaim;
  others: { uri: string; service: string; namespace: string; range: Range }[];
}

export class WorkspaceClbPorts {
  private readonly byFile = new Map<string, IndexedClaim[]>();

  /** Sets a file's claims; true when they changed (other files' findings may change then). */
  update(uri: string, claims: readonly ClbPortClaim[], positions: PositionMapper): boolean {
    const indexed = claims.map((c) => ({ ...c, range: rangeOf(positions, c.span) }));
    const before = this.byFile.get(uri);
    const signature = (list: readonly IndexedClaim[] | undefined) => (list ?? []).map((c) => `${c.key}\u0000${c.service}\u0000${c.namespace}\u0000${c.range.start.line}:${c.range.start.character}`).join('\n');
    if (indexed.length === 0) this.byFile.delete(uri);
    else this.byFile.set(uri, indexed);
    return signature(before) !== signature(indexed);
  }

  /** Does any other file claim a CLB port (else nothing can clash, and nothing need be parsed)? */
  hasClaimsBesides(uri: string): boolean {
    return this.byFile.size > (this.byFile.has(uri) ? 1 : 0);
  }

  remove(uri: string): boolean {
    return this.byFile.delete(uri);
  }

  /**
   * The claims of `uri` that another file's Service also makes. A Service of another file with the
   * name and namespace of a Service of this file on that port is taken for the same Service (a copy,
   * an overlay): not a clash, and a clash with it is the same-file rule's to report.
   */
  clashes(uri: string, claims: readonly ClbPortClaim[]): CrossFileClash[] {
    if (claims.length === 0 || this.byFile.size === 0) return [];
    const result: CrossFileClash[] = [];
    const here = new Set(claims.map((c) => `${c.key}\u0000${c.service}\u0000${c.namespace}`));
    for (const claim of claims) {
      const others: CrossFileClash['others'] = [];
      for (const [otherUri, list] of this.byFile) {
        if (otherUri === uri) continue;
        for (const o of list) {
          if (o.key === claim.key && !here.has(`${o.key}\u0000${o.service}\u0000${o.namespace}`)) others.push({ uri: otherUri, service: o.service, namespace: o.namespace, range: o.range });
        }
      }
      if (others.length > 0) result.push({ claim, others: others.sort((a, b) => a.uri.localeCompare(b.uri)) });
    }
    return result;
  }
}

/** The file of a URI or path for messages: its folder and name (manifests are often all service.yaml). */
function fileName(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z]+:\/\/[^/]*/, ''));
  return path.split('/').filter(Boolean).slice(-2).join('/') || uri;
}

/**
 * A clash as a finding of this file (warning: files of one workspace may be for different
 * clusters or environments and never be applied together, which the files do not tell).
 */
export function crossFileFinding(clash: CrossFileClash): Finding {
  const first = clash.others[0];
  const more = clash.others.length - 1;
  return {
    code: 'k8s-clb-port-shared',
    severity: 'warning',
    message: t("Service '{0}' in {1} also uses port {2} of CLB {3}{4}: one CLB port has one listener, so if both are applied, one Service takes it from the other. If these files are never applied together (other clusters or environments), ignore this.", first.service, fileName(first.uri), clash.claim.port, clash.claim.clbId, more > 0 ? t(' (and {0} more)', more) : ''),
    span: clash.claim.span,
  };
}
