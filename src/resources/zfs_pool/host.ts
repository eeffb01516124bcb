/**
 * Host side of `zfs_pool`: one `zpool status -P` and one `zpool get` for every pool of a node, the
 * `zpool import` listing for exported pools, and the attributes phoenix records.
 */
import { isObject, type Attrs, type ValueObject } from '../../config/values.js';
import { OWNER_KEY, type NodeHandle } from '../provider.js';
import { num } from '../proxmox/attrs.js';
import { runOnHost } from '../proxmox/host.js';
import { OWNER_PROPERTY, ownerNamedIn } from '../zfs_dataset/host.js';
import { canonicalVdevs, parseZpoolStatus, type Layout } from './layout.js';
import { SETTABLE_POOL_PROPERTIES } from './schema.js';

export interface PoolOnHost {
  layout: Layout;
  props: Map<string, { value: string; source: string }>;
  /** The proof token of the create (or import) that made the pool phoenix's, null when it carries none. */
  owner: string | null;
}

/**
 * Every imported pool of the node: three commands, whatever the number of pools. Ownership proof on
 * pools: `zpool create -O phoenix:owner="TOKEN NAME"` sets the user property on the pool's root dataset
 * with the create itself, as on datasets (a locally set value naming this pool; see zfs_dataset/host.ts).
 */
export async function readPools(node: NodeHandle): Promise<Map<string, PoolOnHost>> {
  const status = await runOnHost(node, ['zpool', 'status', '-P'], { what: 'reading pools' });
  const get = await runOnHost(node, ['zpool', 'get', '-H', '-p', '-o', 'name,property,value,source', 'all'], { what: 'reading pool properties' });
  const pools = new Map<string, PoolOnHost>();
  for (const [name, layout] of parseZpoolStatus(status.stdout)) pools.set(name, { layout, props: new Map(), owner: null });
  for (const line of get.stdout.split('\n')) {
    const [name, property, value, source] = line.split('\t');
    if (!name || !property || value === undefined) continue;
    pools.get(name)?.props.set(property, { value, source: source ?? '-' });
  }
  if (pools.size === 0) return pools;
  const owners = await runOnHost(node, ['zfs', 'get', '-H', '-o', 'name,value,source', OWNER_PROPERTY, ...[...pools.keys()].sort()], { what: "reading phoenix's ownership proof on pools" });
  for (const line of owners.stdout.split('\n')) {
    const [name, value, source] = line.split('\t');
    const pool = name === undefined ? undefined : pools.get(name);
    if (pool && value !== undefined && source === 'local') pool.owner = ownerNamedIn(value, name!);
  }
  return pools;
}

/** Layouts of pools `zpool import` could bring in (exported, or from another host). */
export async function importablePools(node: NodeHandle): Promise<Map<string, Layout>> {
  const result = await runOnHost(node, ['zpool', 'import'], { allowFailure: true, what: 'listing importable pools' });
  return result.exitCode === 0 ? parseZpoolStatus(result.stdout) : new Map();
}

/** Attributes of a pool; managed properties are those of `prior` (all locally set ones on import). */
export function poolAttrs(name: string, nodeName: string, pool: PoolOnHost, prior: Attrs): Attrs {
  const managed = isObject(prior.properties)
    ? Object.keys(prior.properties)
    : [...pool.props].filter(([k, p]) => p.source === 'local' && SETTABLE_POOL_PROPERTIES.has(k)).map(([k]) => k);
  const properties: ValueObject = {};
  for (const key of managed.sort()) {
    const p = pool.props.get(key);
    if (p) properties[key] = p.value;
  }
  const ashift = Number(pool.props.get('ashift')?.value ?? 0);
  return {
    name,
    node: nodeName,
    vdev: canonicalVdevs(pool.layout.vdevs),
    cache: pool.layout.cache,
    spares: pool.layout.spares,
    // ashift 0 means "detected per vdev": unset in config.
    ashift: ashift === 0 && num(prior, 'ashift') === undefined ? null : ashift,
    properties,
    allow_destroy: prior.allow_destroy ?? false,
    size: Number(pool.props.get('size')?.value ?? 0),
    health: pool.props.get('health')?.value ?? null,
    guid: pool.props.get('guid')?.value ?? null,
    [OWNER_KEY]: pool.owner,
  };
}
