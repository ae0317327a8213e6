// Live SLB card for hover and the completion items built from the catalog. Pure functions.
import type { CloudSlb } from '../features/completion';
import { t } from '../i18n';
import type { CatalogSlb, CatalogSnapshot, HealthEntry } from './catalog';
import { listenerText, lookupSlb } from './onlineRules';

export function toCloudSlbs(snapshot: CatalogSnapshot | undefined): CloudSlb[] | undefined {
  if (!snapshot) return undefined;
  return snapshot.slbs.map((s) => ({
    id: s.id,
    name: s.name,
    address: s.address,
    addressType: s.addressType,
    status: s.status,
    listeners: s.listeners.map(listenerText),
  }));
}

function cell(text: string | number | undefined): string {
  return String(text ?? '-').replace(/\|/g, '\\|');
}

function one(s: CatalogSlb, health: HealthEntry | undefined): string[] {
  // Compact: one line of facts, then the listeners (what a label needs) and the backend health.
  const lines = [
    `**${t('SLB {0}', cell(s.name || s.id))}** · ${t('live')}`,
    '',
    [`\`${s.id}\``, `${cell(s.address)} (${cell(s.addressType)})`, `${t('Status')}: ${cell(s.status)}`, cell(s.regionId), cell(s.networkType)].join(' · '),
  ];
  if (!s.listenersKnown) lines.push('', `${t('Listeners')}: ${t('unknown')}`);
  else if (s.listeners.length === 0) lines.push('', `${t('Listeners')}: ${t('none yet')}`);
  else {
    lines.push('', `| ${t('Front port')} | ${t('Protocol')} | ${t('Backend port')} | ${t('Status')} |`, '|---|---|---|---|');
    for (const l of s.listeners) lines.push(`| ${l.port} | ${l.protocol.toUpperCase()} | ${cell(l.backendPort ?? l.vServerGroupId)} | ${cell(l.status)} |`);
  }
  if (health && !health.error) {
    const byStatus = new Map<string, number>();
    for (const b of health.servers) byStatus.set(b.ServerHealthStatus ?? 'unknown', (byStatus.get(b.ServerHealthStatus ?? 'unknown') ?? 0) + 1);
    const summary = [...byStatus].map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push('', `${t('Backend health')}: ${summary || t('no health-checked backends')}`);
  }
  return lines;
}

/** Markdown card for `ref` (name or ID) from the snapshot; undefined when there is no snapshot. */
export function slbCard(snapshot: CatalogSnapshot | undefined, ref: string, healthOf?: (id: string) => HealthEntry | undefined): string | undefined {
  if (!snapshot) return undefined;
  const matches = lookupSlb(snapshot, ref);
  if (matches.length === 0) return `*${t("No SLB '{0}' in region {1} (account catalog).", cell(ref), snapshot.region)}*`;
  const out: string[] = [];
  if (matches.length > 1) out.push(`*${t("{0} SLBs share the name '{1}': use the ID.", matches.length, cell(ref))}*`, '');
  matches.forEach((m, i) => {
    if (i > 0) out.push('', '---', '');
    out.push(...one(m, matches.length === 1 ? healthOf?.(m.id) : undefined));
  });
  return out.join('\n');
}
