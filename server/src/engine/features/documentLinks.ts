// `aliyun.lb.port_80: http://slb_web:80` is not a web address, yet editors detect `http://slb_web:80`
// as one and ctrl+click opens a browser on a host that does not exist. An editor's own URL
// detection cannot be switched off by a server, but a link a language provides over the same range
// takes its place (VS Code keeps the more specific provider's link where two overlap). So each
// http/https binding of an lb label gets a link to the label's documentation, with a tooltip that
// says what the text is.
import type { DocumentLink } from 'vscode-languageserver-types';
import { t } from '../i18n';
import { LB_DOCS_URL } from '../labels/catalog';
import { TextLike } from '../text';

const LB_LINE = /aliyun\.lb\.port_[^\s:=]*\s*[:=]\s*["']?/;
const WEB_BINDING = /https?:\/\/[^\s"';#]+/g;

export function lbDocumentLinks(doc: TextLike): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineText(line);
    if (!text.includes('aliyun.lb.port_')) continue;
    const key = LB_LINE.exec(text);
    if (!key) continue;
    const valueStart = key.index + key[0].length;
    WEB_BINDING.lastIndex = valueStart;
    for (let m = WEB_BINDING.exec(text); m; m = WEB_BINDING.exec(text)) {
      links.push({
        range: { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } },
        target: LB_DOCS_URL,
        tooltip: t('{0} is an SLB binding (scheme://SLB:front port), not a web address. Ctrl+click opens the label documentation.', m[0]),
      });
    }
  }
  return links;
}
