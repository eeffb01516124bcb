/** The `storage` resource type: nfs, cifs, pbs and lvmthin storage definitions through `pvesm`. */
import type { Diagnostic } from '../../config/diagnostics.js';
import { containsUnknown, isObject, isUnknown, valuesEqual, type Attrs, type Value } from '../../config/values.js';
import type { NodeHandle, ProviderContext, ResourceProvider } from '../provider.js';
import { proveByDefinition } from '../proxmox/definition-proof.js';
import { num, str, strList } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError, refusedWhenTaken } from '../proxmox/errors.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { formatPruneBackups, parsePruneBackups, pruneBackupsProblem } from '../proxmox/prune-backups.js';
import { readStorageCfg } from '../zfs_dataset/host.js';
import type { StorageEntry } from '../zfs_dataset/storage-config.js';
import { OPTION_KEYS, STORAGE_TYPE_RULES, storageSchema } from './schema.js';

const rules: DiffRules = { schema: storageSchema, createOnly: [] };

/** Attributes of a storage.cfg entry; the password comes from state (Proxmox never shows it). */
function entryAttrs(entry: StorageEntry, nodeName: string, prior: Attrs): Attrs {
  const typeRules = STORAGE_TYPE_RULES[entry.type];
  const attrs: Attrs = { id: entry.id, type: entry.type, node: nodeName };
  for (const [attr, key] of Object.entries(OPTION_KEYS)) {
    const value = entry.props[key];
    attrs[attr] = value === undefined ? null : attr === 'port' ? Number(value) : value;
  }
  const content = entry.props.content?.split(',').filter(Boolean);
  attrs.content = [...(content ?? typeRules?.defaultContent ?? [])].sort();
  attrs.nodes = (entry.props.nodes ?? '').split(/[,;\s]+/).filter(Boolean).sort();
  attrs.disable = entry.props.disable === '1';
  attrs.prune_backups = parsePruneBackups(entry.props['prune-backups']);
  attrs.password = prior.password ?? null;
  return attrs;
}

/** `--key value` options for the attributes in `names` (null ones are left out). */
function optionArgs(attrs: Attrs, names: string[]): string[] {
  const args: string[] = [];
  for (const name of names) {
    const value = attrs[name];
    if (value === null || value === undefined) continue;
    if (name in OPTION_KEYS || name === 'password') args.push(`--${OPTION_KEYS[name] ?? name}`, String(value));
    else if (name === 'content') args.push('--content', strList(attrs, 'content').join(','));
    else if (name === 'nodes') args.push('--nodes', strList(attrs, 'nodes').join(','));
    else if (name === 'disable') args.push('--disable', value === true ? '1' : '0');
    else if (name === 'prune_backups') {
      const text = formatPruneBackups(isObject(value) ? value : null);
      if (text !== undefined) args.push('--prune-backups', text);
    }
  }
  return args;
}

/** The Proxmox option name an attribute is deleted by (`pvesm set --delete`). */
function optionName(attr: string): string {
  return attr === 'prune_backups' ? 'prune-backups' : (OPTION_KEYS[attr] ?? attr);
}

function isEmpty(value: Value | undefined): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === false;
}

async function readEntry(node: NodeHandle, id: string): Promise<StorageEntry | undefined> {
  return (await readStorageCfg(node)).find((e) => e.id === id);
}

async function readBack(ctx: ProviderContext, planned: Attrs): Promise<Attrs> {
  const node = requireNode(ctx);
  const entry = await readEntry(node, str(planned, 'id')!);
  if (!entry) throw diagnosticError(`Storage ${str(planned, 'id')} disappeared during apply`);
  return entryAttrs(entry, node.name, planned);
}

function validate(attrs: Attrs): Diagnostic[] {
  const type = str(attrs, 'type');
  if (type === undefined) return [];
  const typeRules = STORAGE_TYPE_RULES[type];
  if (!typeRules) return [{ severity: 'error', summary: `Invalid storage type "${type}"`, detail: `Use ${Object.keys(STORAGE_TYPE_RULES).join(', ')}. ZFS datasets register zfspool/dir storages with zfs_dataset storage {}.` }];
  const problems: string[] = [];
  const id = str(attrs, 'id');
  // PVE::JSONSchema parse_storage_id.
  if (id !== undefined && !/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(id)) problems.push(`Storage ID "${id}" is invalid: a letter, then letters, digits, "-", "_" or ".", ending with a letter or digit (at least 2 characters).`);
  for (const attr of typeRules.required) if (attrs[attr] === null || attrs[attr] === undefined) problems.push(`A ${type} storage needs "${attr}".`);
  for (const [attr, schema] of Object.entries(storageSchema.attributes)) {
    if (schema.required || schema.computed && !schema.optional || ['node', 'content', 'nodes', 'disable'].includes(attr)) continue;
    if (!isEmpty(attrs[attr]) && !isUnknown(attrs[attr]) && !typeRules.allowed.includes(attr)) problems.push(`"${attr}" does not apply to a ${type} storage.`);
  }
  for (const item of strList(attrs, 'content')) if (!typeRules.content.includes(item)) problems.push(`A ${type} storage does not hold content type "${item}" (it holds ${typeRules.content.join(', ')}).`);
  const fingerprint = str(attrs, 'fingerprint');
  if (fingerprint !== undefined && !/^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$/.test(fingerprint)) problems.push('fingerprint must be a SHA-256 fingerprint: 32 hex pairs separated by ":".');
  const port = num(attrs, 'port');
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) problems.push(`port ${port} is not between 1 and 65535.`);
  for (const attr of ['export', 'path', 'subdir']) {
    const value = str(attrs, attr);
    if (value !== undefined && !value.startsWith('/')) problems.push(`${attr} must be an absolute path.`);
  }
  const keep = isObject(attrs.prune_backups) ? attrs.prune_backups : null;
  const pruneProblem = containsUnknown(attrs.prune_backups ?? null) ? undefined : pruneBackupsProblem(keep);
  if (pruneProblem) problems.push(`prune_backups: ${pruneProblem}.`);
  return problems.map((detail) => ({ severity: 'error', summary: 'Invalid storage', detail }));
}

export const storageProvider: ResourceProvider = {
  type: 'storage',
  schema: storageSchema,
  validate,

  normalize(planned) {
    const type = str(planned, 'type');
    const typeRules = type === undefined ? undefined : STORAGE_TYPE_RULES[type];
    const sorted = (key: string, fallback: string[]) => (isUnknown(planned[key]) ? planned[key]! : [...(Array.isArray(planned[key]) ? strList(planned, key) : fallback)].sort());
    const id = str(planned, 'id');
    const mounts = type === 'nfs' || type === 'cifs';
    return {
      ...planned,
      content: sorted('content', typeRules?.defaultContent ?? []),
      nodes: sorted('nodes', []),
      disable: planned.disable ?? false,
      // NFSPlugin.pm / CIFSPlugin.pm check_config: path defaults to /mnt/pve/ID.
      path: planned.path ?? (mounts && id !== undefined ? `/mnt/pve/${id}` : null),
    };
  },

  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(storageSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, id: planned.id ?? null }),
  // storage.cfg has no free-text field to carry a proof token: the definition itself is the proof.
  ownershipProof: 'content',
  proveCreated: (ctx, planned) => proveByDefinition(storageProvider, ctx, planned),
  // Storage IDs are cluster-wide (/etc/pve/storage.cfg), shared with zfs_dataset's storage registration.
  identityKeys: (planned) => (typeof planned.id === 'string' ? [{ key: `storage:${planned.id}`, attribute: 'id', label: `storage ID ${planned.id}` }] : []),

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const entries = await readStorageCfg(node);
    return requests.map(({ prior }) => {
      const entry = entries.find((e) => e.id === str(prior, 'id'));
      return entry ? entryAttrs(entry, node.name, prior) : null;
    });
  },

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const id = str(planned, 'id')!;
    const type = str(planned, 'type')!;
    const names = STORAGE_TYPE_RULES[type]!.allowed.filter((n) => !(n === 'nodes' && strList(planned, 'nodes').length === 0) && !(n === 'disable' && planned.disable !== true));
    ctx.progress(`adding ${type} storage ${id}`);
    await refusedWhenTaken(() => runOnHost(node, ['pvesm', 'add', type, id, ...optionArgs(planned, names)], { what: `adding storage ${id}` }));
    return readBack(ctx, planned);
  },

  async update(ctx, prior, planned) {
    const node = requireNode(ctx);
    const id = str(prior, 'id')!;
    const changed = STORAGE_TYPE_RULES[str(prior, 'type')!]!.allowed.filter((n) => !storageSchema.attributes[n]!.forceNew && !valuesEqual(prior[n] ?? null, planned[n] ?? null));
    const removed = changed.filter((n) => isEmpty(planned[n]) && !isEmpty(prior[n]) && n !== 'disable');
    const set = changed.filter((n) => !removed.includes(n));
    if (set.length === 0 && removed.length === 0) return readBack(ctx, planned);
    const args = [...optionArgs(planned, set), ...(removed.length > 0 ? ['--delete', removed.map(optionName).join(',')] : [])];
    await runOnHost(node, ['pvesm', 'set', id, ...args], { what: `updating storage ${id}` });
    return readBack(ctx, planned);
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const id = str(prior, 'id')!;
    if (!(await readEntry(node, id))) return; // already gone
    await runOnHost(node, ['pvesm', 'remove', id], { what: `removing storage ${id}` });
  },

  async import(ctx, id) {
    const node = requireNode(ctx);
    const entry = await readEntry(node, id);
    if (!entry) throw diagnosticError(`Storage ${id} does not exist`, `/etc/pve/storage.cfg on node ${node.name} has no storage "${id}".`);
    if (!STORAGE_TYPE_RULES[entry.type]) throw diagnosticError(`Storage ${id} is a ${entry.type} storage`, 'The storage resource manages nfs, cifs, pbs and lvmthin storages; zfs_dataset registers zfspool and dir storages.');
    // The password cannot be read: null, so the first apply writes the configured one (`pvesm set --password`).
    return entryAttrs(entry, node.name, {});
  },
};
