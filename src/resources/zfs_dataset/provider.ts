/**
 * The `zfs_dataset` resource type: `zfs create/set/inherit/destroy`, plus `pvesm` storage registration. A
 * removed property goes back to its inherited value (`zfs inherit`), or, for those ZFS cannot inherit
 * (quota, reservation, canmount...), to its default with `zfs set PROP=none|on`.
 */
import { isObject, isUnknown, valuesEqual, type Attrs, type Value } from '../../config/values.js';
import type { ResourceProvider } from '../provider.js';
import { bool, obj, str, strMap } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { DiagnosticError } from '../../config/diagnostics.js';
import { diagnosticError, hostErrorDiagnostic } from '../proxmox/errors.js';
import { ownerOf } from '../proxmox/ownership.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { ancestorsOf, datasetAttrs, OWNER_PROPERTY, ownerPropertyValue, readDatasets, readOne, readStorageCfg, syncStorage } from './host.js';
import { NON_INHERITABLE_CLEAR_VALUES, normalizeProperties } from './properties.js';
import { CREATE_ONLY_PROPERTIES, zfsDatasetSchema } from './schema.js';
import { storageFor } from './storage-config.js';
import { validateZfsDataset } from './validate.js';

const rules: DiffRules = {
  schema: zfsDatasetSchema,
  createOnly: [],
  classify(attribute, prior, planned) {
    if (attribute !== 'properties') return undefined;
    const before = isObject(prior) ? prior : {};
    const after = isObject(planned) ? planned : {};
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].some((k) => CREATE_ONLY_PROPERTIES.has(k) && !valuesEqual(before[k] ?? null, after[k] ?? null)) ? 'replace' : 'in-place';
  },
};

function normalizeStorage(v: Value | undefined): Value {
  if (!isObject(v)) return v ?? null;
  const content = Array.isArray(v.content) ? [...v.content].map(String).sort() : [];
  return { id: v.id ?? null, type: v.type ?? 'zfspool', content };
}

export const zfsDatasetProvider: ResourceProvider = {
  type: 'zfs_dataset',
  schema: zfsDatasetSchema,
  validate: validateZfsDataset,

  normalize(planned) {
    const props = planned.properties;
    return {
      ...planned,
      properties: isObject(props) && !Object.values(props).some(isUnknown) ? normalizeProperties(strMap(planned, 'properties')) : (props ?? {}),
      storage: isUnknown(planned.storage) ? planned.storage : normalizeStorage(planned.storage),
      recursive: planned.recursive ?? false,
    };
  },

  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(zfsDatasetSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, name: planned.name ?? null }),
  ownershipProof: 'token',
  identityKeys(planned) {
    const keys: { key: string; attribute: string; label: string }[] = [];
    const name = str(planned, 'name');
    if (name !== undefined) keys.push({ key: `zfs_dataset:${str(planned, 'node') ?? ''}/${name}`, attribute: 'name', label: `dataset ${name}` });
    const storage = obj(planned, 'storage');
    const id = storage ? str(storage, 'id') : undefined;
    // Storage IDs are cluster-wide (/etc/pve/storage.cfg).
    if (id !== undefined) keys.push({ key: `storage:${id}`, attribute: 'storage', label: `storage ID ${id}` });
    return keys;
  },

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const names = requests.map((r) => str(r.prior, 'name')).filter((n): n is string => n !== undefined);
    const datasets = await readDatasets(node, names);
    const needStorage = requests.some((r) => isObject(r.prior.storage));
    const storageEntries = needStorage ? await readStorageCfg(node) : [];
    return requests.map(({ prior }) => {
      const name = str(prior, 'name');
      const props = name === undefined ? undefined : datasets.get(name);
      if (!name || !props) return null;
      const storage = isObject(prior.storage) ? storageFor(storageEntries, name, props.get('mountpoint')?.value) : null;
      return datasetAttrs(name, node.name, props, prior, storage);
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const name = str(planned, 'name')!;
    const props = strMap(planned, 'properties');
    const token = ownerOf(planned);
    const proof = (dataset: string) => (token === undefined ? [] : ['-o', `${OWNER_PROPERTY}=${ownerPropertyValue(token, dataset)}`]);
    const options = Object.keys(props).sort().flatMap((k) => ['-o', `${k}=${props[k]}`]);
    ctx.progress(`creating dataset ${name}`);
    // No `-p` (OpenZFS returns 0 for an existing dataset with -p and ignores -o): a dataset that appeared
    // since the plan fails the create. Missing parents are created one by one, each carrying the proof.
    const ancestors = ancestorsOf(name);
    const existing = await readDatasets(node, ancestors);
    for (const parent of ancestors.filter((a) => !existing.has(a))) {
      await runOnHost(node, ['zfs', 'create', ...proof(parent), parent], { what: `creating dataset ${parent} (parent of ${name})` });
    }
    await runOnHost(node, ['zfs', 'create', ...options, ...proof(name), name], { what: `creating dataset ${name}` });
    const created = await readOne(node, name, { ...planned, storage: null });
    await syncStorage(node, name, undefined, obj(planned, 'storage'), str(created, 'mountpoint'));
    return readOne(node, name, planned);
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    const before = strMap(prior, 'properties');
    const after = strMap(planned, 'properties');
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]).sort();
    if (changed.length > 0) await runOnHost(node, ['zfs', 'set', ...changed.map((k) => `${k}=${after[k]}`), name], { what: `updating dataset ${name}` });
    for (const removed of Object.keys(before).filter((k) => !(k in after)).sort()) {
      if (!(removed in NON_INHERITABLE_CLEAR_VALUES)) {
        await runOnHost(node, ['zfs', 'inherit', removed, name], { what: `resetting ${removed} of ${name}` });
        continue;
      }
      const clear = NON_INHERITABLE_CLEAR_VALUES[removed];
      if (clear !== null && clear !== undefined) await runOnHost(node, ['zfs', 'set', `${removed}=${clear}`, name], { what: `clearing ${removed} of ${name}` });
    }
    await syncStorage(node, name, obj(prior, 'storage'), obj(planned, 'storage'), str(prior, 'mountpoint'));
    return readOne(node, name, planned);
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const name = str(prior, 'name')!;
    await syncStorage(node, name, obj(prior, 'storage'), undefined, undefined);
    const args = ['zfs', 'destroy', ...(bool(prior, 'recursive') ? ['-r'] : []), name];
    const result = await runOnHost(node, args, { allowFailure: true });
    // Every failure reaches the user verbatim ("filesystem has children" without recursive); the engine
    // reads the node afterwards and drops the dataset from state only when it is gone.
    if (result.exitCode !== 0) throw new DiagnosticError([hostErrorDiagnostic(`destroying dataset ${name}`, result)]);
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    let props = (await readDatasets(node, [id])).get(id);
    if (!props) throw diagnosticError(`Dataset ${id} does not exist`, `zfs on node ${node.name} has no dataset named "${id}".`);
    if (owner !== undefined) {
      await runOnHost(node, ['zfs', 'set', `${OWNER_PROPERTY}=${ownerPropertyValue(owner, id)}`, id], { what: `writing phoenix's ownership proof on ${id}` });
      props = (await readDatasets(node, [id])).get(id);
      if (!props) throw diagnosticError(`Dataset ${id} disappeared during import`);
    }
    const storage = storageFor(await readStorageCfg(node), id, props.get('mountpoint')?.value);
    return datasetAttrs(id, node.name, props, {}, storage);
  },
};
