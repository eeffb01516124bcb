/**
 * Host side of `zfs_dataset`: batched property reads (`zfs get`), storage.cfg, and `pvesm` registration.
 */
import { isObject, valuesEqual, type Attrs, type ValueObject } from '../../config/values.js';
import { hostPath, OWNER_KEY, type NodeHandle } from '../provider.js';
import { str, strList } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { runOnHost } from '../proxmox/host.js';
import { normalizeProperties, parseZfsGet, type DatasetProperty } from './properties.js';
import { parseStorageCfg, storageFor, type StorageEntry } from './storage-config.js';

export async function readStorageCfg(node: NodeHandle): Promise<StorageEntry[]> {
  const result = await runOnHost(node, ['cat', hostPath(node, '/etc/pve/storage.cfg')], { allowFailure: true, what: 'reading storage.cfg' });
  return result.exitCode === 0 ? parseStorageCfg(result.stdout) : [];
}

/**
 * One `zfs get` for all datasets. zfs reports a missing dataset on stderr (`cannot open 'X': dataset does
 * not exist`); implementations that then stop early are asked once more without the missing names.
 */
export async function readDatasets(node: NodeHandle, names: string[]): Promise<Map<string, Map<string, DatasetProperty>>> {
  if (names.length === 0) return new Map();
  const get = (list: string[]) =>
    runOnHost(node, ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'all', ...list], { allowFailure: true, what: 'reading datasets' });
  const result = await get(names);
  const found = parseZfsGet(result.stdout);
  const missing = new Set([...result.stderr.matchAll(/cannot open '([^']+)': dataset does not exist/g)].map((m) => m[1]!));
  const unread = names.filter((n) => !found.has(n) && !missing.has(n));
  if (unread.length === 0) return found;
  for (const [name, props] of parseZfsGet((await get(unread)).stdout)) found.set(name, props);
  return found;
}

/** Attributes of a dataset: managed properties are those in `prior` (all locally set ones on import). */
export function datasetAttrs(name: string, nodeName: string, props: Map<string, DatasetProperty>, prior: Attrs, storage: ValueObject | null): Attrs {
  const managed = isObject(prior.properties)
    ? Object.keys(prior.properties)
    : [...props].filter(([k, p]) => p.source === 'local' && k !== OWNER_PROPERTY).map(([k]) => k);
  const properties: Record<string, string> = {};
  for (const key of managed) {
    const p = props.get(key);
    if (p && p.value !== '-') properties[key] = p.value;
  }
  const number = (key: string) => (props.get(key) ? Number(props.get(key)!.value) : null);
  return {
    name,
    node: nodeName,
    properties: normalizeProperties(properties),
    recursive: prior.recursive ?? false,
    storage,
    mountpoint: props.get('mountpoint')?.value ?? null,
    used: number('used'),
    available: number('available'),
    [OWNER_KEY]: ownerOfDataset(name, props),
  };
}

/**
 * Ownership proof on datasets: the user property `phoenix:owner` = "TOKEN NAME", set by the `zfs create
 * -o` that makes the dataset. Only a locally set value naming this dataset counts: children inherit user
 * properties, and `zfs send -p | recv` copies them under another name.
 */
export const OWNER_PROPERTY = 'phoenix:owner';

export function ownerPropertyValue(token: string, name: string): string {
  return `${token} ${name}`;
}

function ownerOfDataset(name: string, props: Map<string, DatasetProperty>): string | null {
  const property = props.get(OWNER_PROPERTY);
  return property && property.source === 'local' ? ownerNamedIn(property.value, name) : null;
}

/** The token of a `phoenix:owner` value written for `name` ("TOKEN NAME"), null when it names another object. */
export function ownerNamedIn(value: string, name: string): string | null {
  const space = value.indexOf(' ');
  return space > 0 && value.slice(space + 1) === name ? value.slice(0, space) : null;
}

/** The ancestors of `name` below its pool, outermost first: tank/a/b/c → tank/a, tank/a/b. */
export function ancestorsOf(name: string): string[] {
  const parts = name.split('/');
  return parts.slice(2).map((_, i) => parts.slice(0, i + 2).join('/'));
}

function storageArgs(storage: ValueObject, dataset: string, mountpoint: string | undefined): string[] {
  const type = str(storage, 'type') ?? 'zfspool';
  const args = ['pvesm', 'add', type, str(storage, 'id')!];
  if (type === 'zfspool') args.push('--pool', dataset);
  else args.push('--path', mountpoint ?? `/${dataset}`);
  const content = strList(storage, 'content');
  if (content.length > 0) args.push('--content', content.join(','));
  return args;
}

export async function readOne(node: NodeHandle, name: string, planned: Attrs): Promise<Attrs> {
  const props = (await readDatasets(node, [name])).get(name);
  if (!props) throw diagnosticError(`Dataset ${name} disappeared during apply`);
  const storage = planned.storage === null || planned.storage === undefined ? null : storageFor(await readStorageCfg(node), name, props.get('mountpoint')?.value);
  return datasetAttrs(name, node.name, props, planned, storage);
}

export async function syncStorage(node: NodeHandle, name: string, prior: ValueObject | undefined, planned: ValueObject | undefined, mountpoint: string | undefined): Promise<void> {
  if (valuesEqual(prior ?? null, planned ?? null)) return;
  const sameEntry = prior && planned && prior.id === planned.id && prior.type === planned.type;
  if (sameEntry) {
    await runOnHost(node, ['pvesm', 'set', str(planned, 'id')!, '--content', strList(planned, 'content').join(',')], { what: `updating storage ${str(planned, 'id')}` });
    return;
  }
  if (prior) await runOnHost(node, ['pvesm', 'remove', str(prior, 'id')!], { what: `removing storage ${str(prior, 'id')}` });
  if (planned) await runOnHost(node, storageArgs(planned, name, mountpoint), { what: `registering storage ${str(planned, 'id')}` });
}
