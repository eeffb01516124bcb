/**
 * The `zfs_pool` resource type: `zpool create` with a vdev layout and phoenix's ownership proof, `zpool
 * set` for properties, and `zpool destroy` only when the resource allows it. A pool that already exists
 * (imported, or exported and importable) is never taken over by a create: the plan stops and names the
 * `phoenix import` that adopts it (`zpool import` first when it is exported, if its layout matches).
 */
import { DiagnosticError, type Diagnostic } from '../../config/diagnostics.js';
import { containsUnknown, valuesEqual, type Attrs, type ValueObject } from '../../config/values.js';
import { CreateRefused, type AttributeDiagnostic, type HostCheckPlan, type ProviderContext, type ResourceProvider } from '../provider.js';
import { bool, num, objList, str, strList, strMap } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { ownerOf } from '../proxmox/ownership.js';
import { OWNER_PROPERTY, ownerPropertyValue } from '../zfs_dataset/host.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { canonicalVdevs, describeLayout, devicePath, vdevSpec, type Layout } from './layout.js';
import { importablePools, poolAttrs, readPools } from './host.js';
import { SETTABLE_POOL_PROPERTIES, VDEV_CLASSES, VDEV_TYPES, zfsPoolSchema } from './schema.js';

const rules: DiffRules = { schema: zfsPoolSchema, createOnly: [] };

function plannedLayout(attrs: Attrs): Layout {
  const vdevs = objList(attrs, 'vdev').map((v) => ({ type: str(v, 'type') ?? 'disk', class: str(v, 'class') ?? 'data', disks: strList(v, 'disks') }));
  return { vdevs, cache: strList(attrs, 'cache'), spares: strList(attrs, 'spares') };
}

function sameLayout(a: Layout, b: Layout): boolean {
  return (
    valuesEqual(canonicalVdevs(a.vdevs), canonicalVdevs(b.vdevs)) &&
    valuesEqual(a.cache.map(devicePath), b.cache.map(devicePath)) &&
    valuesEqual(a.spares.map(devicePath), b.spares.map(devicePath))
  );
}

function validateVdev(vdev: ValueObject, index: number): string | undefined {
  const type = str(vdev, 'type');
  const cls = str(vdev, 'class') ?? 'data';
  const disks = strList(vdev, 'disks');
  if (type === undefined) return undefined;
  if (!(VDEV_TYPES as readonly string[]).includes(type)) return `vdev ${index}: type "${type}" is not one of ${VDEV_TYPES.join(', ')}`;
  if (!(VDEV_CLASSES as readonly string[]).includes(cls)) return `vdev ${index}: class "${cls}" is not one of ${VDEV_CLASSES.join(', ')}`;
  // zpool_vdev.c is_grouping: a mirror needs 2 devices, raidzN needs N+1; a log is a disk or a mirror.
  const minimum = type === 'disk' ? 1 : type === 'mirror' ? 2 : Number(type.slice(-1)) + 1;
  if (type === 'disk' && disks.length !== 1) return `vdev ${index}: a "disk" vdev has exactly one disk (write one vdev per disk to stripe)`;
  if (disks.length < minimum) return `vdev ${index}: ${type} requires at least ${minimum} devices`;
  if (cls === 'log' && type !== 'disk' && type !== 'mirror') return `vdev ${index}: a log vdev is a disk or a mirror, not ${type}`;
  return undefined;
}

function validate(attrs: Attrs): Diagnostic[] {
  const problems: string[] = [];
  const name = str(attrs, 'name');
  if (name !== undefined && (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(name) || /^(mirror|raidz|draid|spare)/.test(name) || name === 'log')) {
    problems.push(`Pool name "${name}" is invalid: it must begin with a letter, hold only letters, digits, "_.:-", and not be a reserved word (mirror, raidz, draid, spare, log).`);
  }
  const vdevs = objList(attrs, 'vdev');
  vdevs.forEach((v, i) => {
    const problem = validateVdev(v, i);
    if (problem) problems.push(problem);
  });
  if (Array.isArray(attrs.vdev) && !containsUnknown(attrs.vdev) && !vdevs.some((v) => (str(v, 'class') ?? 'data') === 'data')) {
    problems.push('At least one data vdev is needed (a vdev without class, or class = "data").');
  }
  const disks = [...vdevs.flatMap((v) => strList(v, 'disks')), ...strList(attrs, 'cache'), ...strList(attrs, 'spares')].map(devicePath);
  const twice = disks.find((d, i) => disks.indexOf(d) !== i);
  if (twice) problems.push(`Disk ${twice} is used twice in the layout.`);
  const ashift = num(attrs, 'ashift');
  if (ashift !== undefined && ashift !== 0 && (!Number.isInteger(ashift) || ashift < 9 || ashift > 16)) problems.push(`ashift ${ashift}: only values between 9 and 16 are allowed.`);
  for (const key of Object.keys(strMap(attrs, 'properties'))) {
    if (!SETTABLE_POOL_PROPERTIES.has(key)) problems.push(`Pool property "${key}" cannot be managed: use one of ${[...SETTABLE_POOL_PROPERTIES].join(', ')}${key === 'ashift' ? ' (ashift has its own attribute)' : ''}.`);
  }
  return problems.map((p) => ({ severity: 'error', summary: 'Invalid zfs_pool', detail: p }));
}

async function readOne(ctx: ProviderContext, name: string, planned: Attrs): Promise<Attrs> {
  const node = requireNode(ctx);
  const pool = (await readPools(node)).get(name);
  if (!pool) throw diagnosticError(`Pool ${name} disappeared during apply`);
  return poolAttrs(name, node.name, pool, planned);
}

async function setProperties(ctx: ProviderContext, name: string, current: Attrs, planned: Attrs): Promise<void> {
  const node = requireNode(ctx);
  const before = strMap(current, 'properties');
  const after = strMap(planned, 'properties');
  for (const key of Object.keys(after).sort()) {
    if (before[key] !== after[key]) await runOnHost(node, ['zpool', 'set', `${key}=${after[key]}`, name], { what: `setting ${key} of pool ${name}` });
  }
  const ashift = num(planned, 'ashift');
  if (ashift !== undefined && ashift !== (num(current, 'ashift') ?? 0)) await runOnHost(node, ['zpool', 'set', `ashift=${ashift}`, name], { what: `setting ashift of pool ${name}` });
}

async function create(ctx: ProviderContext, planned: Attrs): Promise<Attrs> {
  const node = requireNode(ctx);
  const name = str(planned, 'name')!;
  // The plan refused a pool that existed; one that appeared since (or was exported) is not phoenix's.
  if ((await readPools(node)).has(name) || (await importablePools(node)).has(name)) {
    throw new CreateRefused([{ severity: 'error', summary: `Pool ${name} already exists`, detail: `Pool ${name} appeared on node ${node.name} after the plan: phoenix did not create it and leaves it alone. ${importAdvice(name)}` }]);
  }
  const props = strMap(planned, 'properties');
  const ashift = num(planned, 'ashift');
  const token = ownerOf(planned);
  const options = [
    ...(ashift !== undefined ? ['-o', `ashift=${ashift}`] : []),
    ...Object.keys(props).sort().flatMap((k) => ['-o', `${k}=${props[k]}`]),
    ...(token !== undefined ? ['-O', `${OWNER_PROPERTY}=${ownerPropertyValue(token, name)}`] : []),
  ];
  ctx.progress(`creating pool ${name}`);
  await runOnHost(node, ['zpool', 'create', ...options, name, ...vdevSpec(plannedLayout(planned))], { what: `creating pool ${name}` });
  return readOne(ctx, name, planned);
}

function importAdvice(name: string, address = 'ADDRESS'): string {
  return `To manage it with phoenix, import it (an exported pool is brought in with zpool import first):\n\n  phoenix import ${address} ${name}\n\n`;
}

/** A create of a pool that is exported on the node (`zpool import` lists it) would take it over: stop at plan. */
async function checkPoolOnHost(ctx: ProviderContext, configured: Attrs, plan: HostCheckPlan): Promise<AttributeDiagnostic[]> {
  const name = str(configured, 'name');
  if (!ctx.node || name === undefined || plan.prior) return []; // only a pool to be created can meet an exported one
  const exported = (await importablePools(ctx.node)).get(name);
  if (!exported) return [];
  return [
    {
      severity: 'error',
      summary: `Pool ${name} exists on the node, exported`,
      detail:
        `zpool import on node ${ctx.node.name} lists an exported pool named ${name}:\n${describeLayout(exported)}\n` +
        `phoenix did not create it and will not import it by itself. ${importAdvice(name, plan.address)}Otherwise give this pool another name.` +
        (sameLayout(exported, plannedLayout(configured)) ? '' : `\nIts layout is not the one configured:\n${describeLayout(plannedLayout(configured))}`),
      attribute: ['name'],
      value: name,
    },
  ];
}

/** Why the plan may not destroy or replace this pool. */
export function poolDeletionRefusal(prior: Attrs): { summary: string; detail: string } | undefined {
  if (bool(prior, 'allow_destroy') === true) return undefined;
  const name = str(prior, 'name') ?? '?';
  return {
    summary: 'Pool cannot be destroyed',
    detail:
      `The plan would destroy pool ${name} and every dataset, guest disk and backup on it. zfs_pool has allow_destroy = false by default ` +
      '(as lifecycle.prevent_destroy). A layout change also needs a new pool. To really destroy it: set allow_destroy = true, apply, then remove the resource.',
  };
}

export const zfsPoolProvider: ResourceProvider = {
  type: 'zfs_pool',
  schema: zfsPoolSchema,
  validate,

  normalize(planned) {
    const vdev = Array.isArray(planned.vdev) && !containsUnknown(planned.vdev) ? canonicalVdevs(plannedLayout(planned).vdevs) : planned.vdev;
    const devices = (key: string) => (Array.isArray(planned[key]) && !containsUnknown(planned[key]!) ? strList(planned, key).map(devicePath) : planned[key] ?? []);
    return { ...planned, vdev: vdev ?? null, cache: devices('cache'), spares: devices('spares'), properties: planned.properties ?? {}, allow_destroy: planned.allow_destroy ?? false };
  },

  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(zfsPoolSchema, prior, planned), proposed),

  deletionRefusal: poolDeletionRefusal,

  identity: (planned) => ({ node: planned.node ?? null, name: planned.name ?? null }),
  ownershipProof: 'token',
  identityKeys: (planned) => (typeof planned.name === 'string' ? [{ key: `zfs_pool:${str(planned, 'node') ?? ''}/${planned.name}`, attribute: 'name', label: `pool ${planned.name}` }] : []),
  checkOnHost: checkPoolOnHost,

  async read(ctx, requests) {
    const node = requireNode(ctx);
    const pools = await readPools(node);
    return requests.map(({ prior }) => {
      const name = str(prior, 'name');
      const pool = name === undefined ? undefined : pools.get(name);
      return name && pool ? poolAttrs(name, node.name, pool, prior) : null;
    });
  },

  create,

  async update(ctx, prior, planned) {
    const name = str(prior, 'name')!;
    await setProperties(ctx, name, prior, planned);
    return readOne(ctx, name, planned);
  },

  async delete(ctx, prior) {
    const refusal = poolDeletionRefusal(prior);
    if (refusal) throw diagnosticError(refusal.summary, refusal.detail);
    const name = str(prior, 'name')!;
    const node = requireNode(ctx);
    // `zpool destroy` takes every dataset and volume with it. By the time the pool goes, phoenix's own
    // datasets on it are gone (they depend on it); any left are not phoenix's to destroy.
    const listed = await runOnHost(node, ['zfs', 'list', '-H', '-o', 'name', '-r', '-t', 'filesystem,volume', name], { what: `listing the datasets of pool ${name}` });
    const others = listed.stdout.split('\n').filter((line) => line !== '' && line !== name);
    if (others.length > 0) {
      throw diagnosticError(
        `Pool ${name} still holds datasets: not destroyed`,
        `zpool destroy would destroy ${others.length === 1 ? 'this dataset' : `these ${others.length} datasets`} with it, and phoenix does not manage them: ` +
          `${others.join(', ')}. Destroy or move them yourself (or import them into resources), then destroy the pool again.`,
      );
    }
    await runOnHost(node, ['zpool', 'destroy', name], { what: `destroying pool ${name}` });
  },

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    let pool = (await readPools(node)).get(id);
    if (!pool && (await importablePools(node)).has(id)) {
      ctx.progress(`importing exported pool ${id}`);
      await runOnHost(node, ['zpool', 'import', id], { what: `importing pool ${id}` });
      pool = (await readPools(node)).get(id);
    }
    if (!pool) throw diagnosticError(`Pool ${id} does not exist`, `zpool on node ${node.name} has no imported or exported pool named "${id}".`);
    if (owner === undefined) return poolAttrs(id, node.name, pool, {});
    await runOnHost(node, ['zfs', 'set', `${OWNER_PROPERTY}=${ownerPropertyValue(owner, id)}`, id], { what: `writing phoenix's ownership proof on pool ${id}` });
    return poolAttrs(id, node.name, { ...pool, owner }, {});
  },

  adoptConfigured: (imported, configured) => ({ ...imported, allow_destroy: configured.allow_destroy ?? false }),
};

