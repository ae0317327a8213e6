// Typed reading and validation of action parameters (ranges of the facts sheet §6/§7).
import { ApiError, invalid, missing } from './wire';

export interface IntOpts {
  required?: boolean;
  /** Other accepted wire spellings (e.g. healthCheckInterval). */
  alt?: string[];
}

export class Params {
  constructor(readonly map: Map<string, string>) {}

  has(name: string): boolean {
    return this.map.has(name) && this.map.get(name) !== '';
  }

  private raw(name: string, alt: string[] = []): { name: string; value: string } | undefined {
    for (const n of [name, ...alt]) {
      const v = this.map.get(n);
      if (v !== undefined && v !== '') return { name: n, value: v };
    }
    return undefined;
  }

  str(name: string, opts: { required?: boolean; alt?: string[]; min?: number; max?: number; pattern?: RegExp } = {}): string | undefined {
    const r = this.raw(name, opts.alt);
    if (!r) {
      if (opts.required) throw missing(name);
      return undefined;
    }
    const len = [...r.value].length;
    if (opts.min !== undefined && len < opts.min) throw invalid(name, `It must be at least ${opts.min} characters long.`);
    if (opts.max !== undefined && len > opts.max) throw invalid(name, `It must be at most ${opts.max} characters long.`);
    if (opts.pattern && !opts.pattern.test(r.value)) throw invalid(name, `"${r.value}" has an invalid format.`);
    return r.value;
  }

  int(name: string, min: number, max: number, opts: IntOpts = {}): number | undefined {
    const r = this.raw(name, opts.alt);
    if (!r) {
      if (opts.required) throw missing(name);
      return undefined;
    }
    if (!/^-?\d+$/.test(r.value.trim())) throw invalid(name, `"${r.value}" is not an integer.`);
    const n = Number(r.value.trim());
    if (n < min || n > max) throw invalid(name, `It must be between ${min} and ${max}; got ${n}.`);
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: { required?: boolean; alt?: string[]; ignoreCase?: boolean } = {}): T | undefined {
    const r = this.raw(name, opts.alt);
    if (!r) {
      if (opts.required) throw missing(name);
      return undefined;
    }
    const v = opts.ignoreCase ? values.find((x) => x.toLowerCase() === r.value.toLowerCase()) : values.find((x) => x === r.value);
    if (v === undefined) throw invalid(name, `It must be one of ${values.join(', ')}; got "${r.value}".`);
    return v;
  }

  bool(name: string): boolean | undefined {
    const r = this.raw(name);
    if (!r) return undefined;
    if (r.value === 'true') return true;
    if (r.value === 'false') return false;
    throw invalid(name, `It must be true or false; got "${r.value}".`);
  }

  /** A flattened array: Name.1, Name.2, … (1-based, in index order). */
  list(name: string): string[] {
    const out: [number, string][] = [];
    const re = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)$`);
    for (const [k, v] of this.map) {
      const m = re.exec(k);
      if (m && v !== '') out.push([Number(m[1]), v]);
    }
    return out.sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  }

  /** Tag.N.Key / Tag.N.Value, validated as the facts sheet says (≤20; key 1–64, value ≤128). */
  tags(): { TagKey: string; TagValue: string }[] {
    const byIndex = new Map<number, { TagKey?: string; TagValue?: string }>();
    for (const [k, v] of this.map) {
      const m = /^Tag\.(\d+)\.(Key|Value)$/.exec(k);
      if (!m) continue;
      const e = byIndex.get(Number(m[1])) ?? {};
      if (m[2] === 'Key') e.TagKey = v;
      else e.TagValue = v;
      byIndex.set(Number(m[1]), e);
    }
    const tags = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([i, t]) => {
      if (!t.TagKey) throw missing(`Tag.${i}.Key`);
      const value = t.TagValue ?? '';
      const bad = (s: string) => /^(aliyun|acs:)/i.test(s) || /https?:\/\//i.test(s);
      if ([...t.TagKey].length > 64 || bad(t.TagKey)) throw invalid('Tag.Key', `"${t.TagKey}" is not allowed.`);
      if ([...value].length > 128 || bad(value)) throw invalid('Tag.Value', `"${value}" is not allowed.`);
      return { TagKey: t.TagKey, TagValue: value };
    });
    if (tags.length > 20) throw invalid('Tag', 'At most 20 tags are allowed.');
    return tags;
  }
}

export function requireListenerPort(p: Params): number {
  return p.int('ListenerPort', 1, 65535, { required: true })!;
}

export function unsupported(name: string, what: string): ApiError {
  return invalid(name, `${what} is not supported by the sandbox.`);
}
