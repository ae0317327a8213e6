// What the "Provision listener" CodeLens should say for each lb label: create / start / up to date /
// conflict, from the cached SLB catalog (no I/O) and the bindings of the last validation. Asked by
// the client with `aliyunSlbLabels/labelStates`; the server notifies `aliyunSlbLabels/labelStatesChanged`
// when the catalog or a document's bindings change, so lenses follow provisioning without a reload.
import { CatalogSnapshot } from '../engine/cloud/catalog';
import { lookupSlb } from '../engine/cloud/onlineRules';
import { t } from '../engine/i18n';
import { hasVariable, portSpaceOf } from '../engine/labels/lbLabel';
import type { PlacedBinding } from '../engine/rules/crossServiceRules';
import type { LabelState, LabelStateItem } from '../../../common/protocol';

export function labelStates(bindings: readonly PlacedBinding[], snapshot: CatalogSnapshot | undefined, lineOf: (offset: number) => number): LabelStateItem[] {
  const items: LabelStateItem[] = [];
  for (const b of bindings) {
    const line = lineOf(b.base + b.keySpan.start);
    const item = (state: LabelState, detail: string) => items.push({ line, labelKey: b.labelKey, frontPort: b.frontPort, state, detail });
    if (!snapshot || !b.slb || hasVariable(b.slb)) {
      item('unknown', '');
      continue;
    }
    const matches = lookupSlb(snapshot, b.slb);
    if (matches.length !== 1) {
      item('conflict', matches.length === 0 ? t("No SLB '{0}' in region {1}", b.slb, snapshot.region) : t("{0} SLBs share the name '{1}'", matches.length, b.slb));
      continue;
    }
    const slb = matches[0];
    if (slb.status && slb.status !== 'active') {
      item('conflict', t("SLB '{0}' is {1}", b.slb, slb.status));
      continue;
    }
    if (!slb.listenersKnown) {
      item('unknown', '');
      continue;
    }
    const onPort = slb.listeners.filter((l) => l.port === b.frontPort && portSpaceOf(l.protocol) === portSpaceOf(b.scheme));
    const same = onPort.find((l) => l.protocol === b.scheme);
    const listener = `${b.scheme.toUpperCase()} ${b.frontPort} → ${b.hostPort ?? '?'}`;
    if (onPort.length === 0) item('create', listener);
    else if (!same) item('conflict', t('front port {0} has a {1} listener', b.frontPort, onPort[0].protocol.toUpperCase()));
    else if (b.hostPort !== undefined && same.backendPort !== undefined && !same.vServerGroupId && same.backendPort !== b.hostPort) item('conflict', t('the listener forwards to {0}, not {1}', same.backendPort, b.hostPort));
    else if (same.status && same.status !== 'running') item('start', listener);
    else item('up-to-date', listener);
  }
  return items;
}
