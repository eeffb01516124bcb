/**
 * The values expressions see for `TYPE.NAME` while planning or applying: per instance the planned (or,
 * at apply, the recorded) attributes; per resource an object, a list (count) or a map (for_each), built
 * on demand and cached until one of its instances changes. Sensitive paths are kept alongside so
 * `isSensitive` can answer for references.
 */
import type { Attrs, Value, ValueObject } from '../config/values.js';
import { isObject, isUnknown, UNKNOWN } from '../config/values.js';
import { parseAddress } from './address.js';
import { SensitiveTexts } from './redaction.js';

export type ExpansionKind = 'single' | 'count' | 'for_each';

interface InstanceValue {
  index?: number | string;
  attrs: Attrs;
  sensitivePaths: string[][];
}

export class ResourceValues {
  private readonly instances = new Map<string, Map<string, InstanceValue>>();
  private readonly cache = new Map<string, Value>();
  /** Resources whose instance set is decided; a list/map of the others is still unknown. */
  private readonly expanded = new Set<string>();
  /** Bumped on every change; lets callers notice that derived values (locals) may be stale. */
  version = 0;

  /** @param kinds How each declared resource (`TYPE.NAME`) is expanded. */
  constructor(
    private readonly kinds: ReadonlyMap<string, ExpansionKind>,
    private readonly sensitive: SensitiveTexts = new SensitiveTexts(),
  ) {}

  set(resource: string, index: number | string | undefined, attrs: Attrs, sensitivePaths: string[][] = []): void {
    let byKey = this.instances.get(resource);
    if (!byKey) this.instances.set(resource, (byKey = new Map()));
    byKey.set(keyOf(index), { index, attrs, sensitivePaths });
    if (sensitivePaths.length > 0) this.sensitive.addPaths(attrs, sensitivePaths);
    this.cache.delete(resource);
    this.version++;
  }

  delete(resource: string, index: number | string | undefined): void {
    this.instances.get(resource)?.delete(keyOf(index));
    this.cache.delete(resource);
    this.version++;
  }

  markExpanded(resource: string): void {
    this.expanded.add(resource);
    this.cache.delete(resource);
    this.version++;
  }

  instance(resource: string, index: number | string | undefined): Attrs | undefined {
    return this.instances.get(resource)?.get(keyOf(index))?.attrs;
  }

  /** EvalScope.resource: accepts `TYPE.NAME` (and, leniently, an instance address). */
  resource(address: string): Value | undefined {
    const parsed = parseAddress(address);
    if (!parsed) return undefined;
    const kind = this.kinds.get(parsed.resource);
    if (!kind) return undefined;
    if (parsed.index !== undefined) return this.instance(parsed.resource, parsed.index) ?? UNKNOWN;
    const cached = this.cache.get(parsed.resource);
    if (cached !== undefined) return cached;
    const value = this.build(parsed.resource, kind);
    this.cache.set(parsed.resource, value);
    return value;
  }

  /** EvalScope.isSensitive: path is the traversal after `TYPE.NAME` (count/for_each key first). */
  isSensitive(address: string, path: readonly string[]): boolean {
    const resource = parseAddress(address)?.resource ?? address;
    const kind = this.kinds.get(resource);
    const byKey = this.instances.get(resource);
    if (!kind || !byKey) return false;
    const candidates =
      kind === 'single'
        ? [...byKey.values()].map((v) => ({ v, rest: path }))
        : path.length === 0 || path[0] === '*'
          ? [...byKey.values()].map((v) => ({ v, rest: path.slice(1) }))
          : [{ v: byKey.get(kind === 'count' ? `n:${path[0]}` : `s:${path[0]}`), rest: path.slice(1) }];
    // A sensitive attribute left null (a VM without a cloud-init password) carries no secret.
    return candidates.some(({ v, rest }) => v !== undefined && v.sensitivePaths.some((p) => overlaps(p, rest) && mayHoldValue(v.attrs, p)));
  }

  private build(resource: string, kind: ExpansionKind): Value {
    const byKey = this.instances.get(resource);
    if (kind === 'single') return byKey?.get(keyOf(undefined))?.attrs ?? UNKNOWN;
    if (!this.expanded.has(resource)) return UNKNOWN;
    const entries = byKey ? [...byKey.values()] : [];
    if (kind === 'count') {
      return entries.sort((a, b) => (a.index as number) - (b.index as number)).map((e) => e.attrs);
    }
    const map: ValueObject = {};
    for (const e of entries.sort((a, b) => String(a.index).localeCompare(String(b.index)))) map[String(e.index)] = e.attrs;
    return map;
  }
}

function keyOf(index: number | string | undefined): string {
  return index === undefined ? '' : typeof index === 'number' ? `n:${index}` : `s:${index}`;
}

/** A sensitive path affects a reference when one is a prefix of the other. */
function overlaps(sensitive: readonly string[], referenced: readonly string[]): boolean {
  const n = Math.min(sensitive.length, referenced.length);
  for (let i = 0; i < n; i++) if (sensitive[i] !== referenced[i] && referenced[i] !== '*') return false;
  return true;
}

/** Whether `path` of `attrs` holds a value or may come to (unknown): a null one carries no secret. */
function mayHoldValue(attrs: Value, path: readonly string[]): boolean {
  let current: Value | undefined = attrs;
  for (const key of path) {
    if (isUnknown(current)) return true;
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return false;
  }
  return current !== null && current !== undefined;
}
