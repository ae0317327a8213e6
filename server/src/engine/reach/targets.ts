// Which labels a reachability check covers: every `aliyun.lb.port_N` label of every service,
// one target per `scheme://slb:port` binding, with the offline problems and unresolved variables
// that stop the walk at step 1.
import type { Analysis } from '../analysis';
import type { LabelEntry, ServiceModel } from '../compose/model';
import { pushAll } from '../arrays';
import { lineStartOf } from '../compose/labelsBlock';
import { interpolate } from '../compose/variables';
import { isLbKey, parseLbKey, parseLbValue, parsePortNumber } from '../labels/lbLabel';
import type { ReachTarget } from './types';

export interface TargetOptions {
  env?: ReadonlyMap<string, string>;
}

/** Every lb label of the analysed file, in document order. */
export function reachTargets(analysis: Pick<Analysis, 'units' | 'findings' | 'bindings'>, options: TargetOptions = {}): ReachTarget[] {
  const targets: ReachTarget[] = [];
  const errors = analysis.findings.filter((f) => f.severity === 'error');
  for (const unit of analysis.units) {
    for (const service of unit.parsed.services) {
      for (const label of service.labels) {
        if (!isLbKey(label.key) || label.inherited) continue;
        pushAll(targets, targetsOfLabel(analysis, errors, unit.base, service, label, options));
      }
    }
  }
  return targets;
}

function targetsOfLabel(
  analysis: Pick<Analysis, 'bindings'>,
  errors: Analysis['findings'],
  base: number,
  service: ServiceModel,
  label: LabelEntry,
  options: TargetOptions,
): ReachTarget[] {
  const keySpan = { start: base + label.keySpan.start, end: base + label.keySpan.end };
  const labelSpan = { start: keySpan.start, end: Math.max(keySpan.end, base + label.valueNodeSpan.end) };
  const problems = errors
    .filter((f) => f.span.start >= labelSpan.start && f.span.start <= labelSpan.end)
    .map((f) => ({ code: f.code, message: f.message }));
  const image = service.image === undefined ? undefined : (interpolate(service.image, options.env).value ?? service.image);
  const containerPort = parseLbKey(label.key).port;
  const bindings = analysis.bindings.filter((b) => b.service === service.name && b.base + b.keySpan.start === keySpan.start);
  const common = { label: label.key, service: service.name, containerPort, image, keySpan, labelSpan, problems };
  if (bindings.length > 0) {
    return bindings.map((b) => {
      const unresolved: string[] = [];
      if (b.hostPort === undefined && problems.length === 0) unresolved.push('backend-port');
      return {
        ...common,
        protocol: b.scheme,
        slb: b.slb,
        frontPort: b.frontPort,
        backendPort: b.hostPort,
        binding: `${b.scheme}://${b.slb}:${b.frontPort}`,
        unresolved,
      };
    });
  }
  // No binding: the label has errors (step 1 says which), or variables without a value.
  const value = label.value ?? '';
  const entries = parseLbValue(value).filter((e) => e.shapeProblem !== 'empty' || value.trim() === '');
  const list = entries.length > 0 ? entries : [{ whole: { text: value, start: 0, end: value.length } } as ReturnType<typeof parseLbValue>[number]];
  return list.map((e) => {
    const scheme = e.scheme ? interpolate(e.scheme.text, options.env) : undefined;
    const slb = e.slb ? interpolate(e.slb.text, options.env) : undefined;
    const port = e.frontPort ? interpolate(e.frontPort.text, options.env) : undefined;
    const unresolved = [...new Set([...(scheme?.unresolved ?? []), ...(slb?.unresolved ?? []), ...(port?.unresolved ?? [])])];
    if (problems.length === 0 && unresolved.length === 0) pushAll(unresolved, variablesIn(value));
    return {
      ...common,
      protocol: scheme?.value ?? e.scheme?.text ?? '',
      slb: slb?.value ?? e.slb?.text,
      frontPort: port?.value !== undefined ? parsePortNumber(port.value) : undefined,
      backendPort: undefined,
      binding: e.whole.text.trim(),
      unresolved: problems.length > 0 ? [] : unresolved.length > 0 ? unresolved : ['value'],
    };
  });
}

function variablesIn(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return [...names];
}

/** The target whose label (key to end of value) contains the offset, else the one on the same line. */
export function targetAt(targets: ReachTarget[], text: string, offset: number): ReachTarget[] {
  const inside = targets.filter((t) => offset >= t.labelSpan.start && offset <= t.labelSpan.end);
  if (inside.length > 0) return inside;
  const lineStart = lineStartOf(text, offset);
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  return targets.filter((t) => t.keySpan.start >= lineStart && t.keySpan.start <= lineEnd);
}
