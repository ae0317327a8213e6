// The k8s entry point for validation: text in, manifest and findings out. Manifests are small
// (one app), so a change parses the whole file again; the last result is kept for unchanged text.
import type { Finding } from '../rules/types';
import type { K8sManifest } from './model';
import { parseManifest } from './parse';
import { checkManifest } from './rules';

export interface ManifestAnalysis {
  manifest: K8sManifest;
  findings: Finding[];
}

const CLB_ANNOTATION_TEXT = /service\.beta\.kubernetes\.io\/(?:alibaba-cloud-loadbalancer-|alicloud-loadbalancer-|backend-type)/;

export class ManifestAnalyzer {
  private last: { text: string; mode: string; locale: string; result: ManifestAnalysis } | undefined;

  analyze(text: string, options: { yamlSyntaxErrors?: 'all' | 'labels' | 'off'; locale?: string } = {}): ManifestAnalysis {
    const mode = options.yamlSyntaxErrors ?? 'all';
    const locale = options.locale ?? '';
    if (this.last && this.last.text === text && this.last.mode === mode && this.last.locale === locale) return this.last.result;
    const manifest = parseManifest(text);
    const findings = checkManifest(manifest);
    // YAML syntax errors only where this extension has a say: a file with CLB annotations, not a
    // template (Helm's {{ }} is not YAML), and not when another YAML extension reports them ('labels').
    if (mode === 'all' && CLB_ANNOTATION_TEXT.test(text) && !text.includes('{{')) {
      for (const p of manifest.problems) findings.unshift({ code: p.code, severity: p.severity, message: p.message, span: p.span });
    }
    const result = { manifest, findings };
    this.last = { text, mode, locale, result };
    return result;
  }
}
