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

/**
 * Each open document's bindings from its last validation, for the CodeLens states. The client asks
 * right after an edit, before that edit's validation has landed: `current` waits (bounded) for the
 * bindings of the document's current version instead of answering from the previous one's, which
 * left the lens one edit behind.
 */
export class CurrentBindings {
  private readonly last = new Map<string, { version: number; bindings: readonly PlacedBinding[] }>();
  private readonly waiters = new Map<string, Array<{ version: number; done: () => void }>>();
  /** Documents answered "not known" because their validation had not finished in time. */
  private readonly answeredEarly = new Set<string>();

  constructor(private readonly waitMs = 2000) {}

  /** Stores a validation's bindings; true when a request was answered early (tell the client to ask again). */
  set(uri: string, version: number, bindings: readonly PlacedBinding[]): boolean {
    this.last.set(uri, { version, bindings });
    return this.answeredEarly.delete(uri);
  }

  /** The validation of `version` is over (whatever it produced): wake the requests waiting for it. */
  validated(uri: string, version: number): void {
    for (const w of this.waiters.get(uri)?.slice() ?? []) if (w.version <= version) w.done();
  }

  delete(uri: string): void {
    this.last.delete(uri);
    this.answeredEarly.delete(uri);
    this.validated(uri, Infinity);
  }

  /**
   * The bindings of the document's current version (`version()` is read again after every wait: keys
   * may keep coming); undefined when they are not there within the wait or the document closed.
   */
  async current(uri: string, version: () => number | undefined): Promise<readonly PlacedBinding[] | undefined> {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const v = version();
      if (v === undefined) return undefined;
      const last = this.last.get(uri);
      if (last && last.version === v) return last.bindings;
      if (Date.now() >= deadline) {
        this.answeredEarly.add(uri);
        return undefined;
      }
      await this.until(uri, v, deadline - Date.now());
    }
  }

  private until(uri: string, version: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { version, done: () => finish() };
      const timer = setTimeout(waiter.done, Math.max(0, timeoutMs));
      this.waiters.set(uri, [...(this.waiters.get(uri) ?? []), waiter]);
      const finish = () => {
        clearTimeout(timer);
        const rest = (this.waiters.get(uri) ?? []).filter((w) => w !== waiter);
        if (rest.length) this.waiters.set(uri, rest);
        else this.waiters.delete(uri);
        resolve();
      };
    });
  }
}
