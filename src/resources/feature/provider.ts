/** The `feature` resource type: install scripts run inside guests, tracked by a content hash. */
import { createHash } from 'node:crypto';
import { containsUnknown, UNKNOWN, type Attrs } from '../../config/values.js';
import type { AttributeDiagnostic, ProviderContext, ResourceProvider } from '../provider.js';
import { Checks } from '../proxmox/checks.js';
import type { Format } from '../proxmox/formats.js';
import { checkGuestRef, inferGuestType } from '../proxmox/guest-ref.js';
import { bool, num, str, strMap } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { waitForGuestAgent } from '../proxmox/guest-exec.js';
import { requireNode } from '../proxmox/host.js';
import { listClusterGuests, readLiveStatuses } from '../proxmox/inventory.js';
import { readHostMarkers, removeHostMarker, runHostScript, writeHostMarker } from './host-runner.js';
import { readFeatures } from './read.js';
import { readMarker, readMarkers, removeMarker, runScript, writeMarker, type FeatureTarget } from './runner.js';
import { featureSchema } from './schema.js';
import { removeVmRecord, writeVmRecord } from './vm-records.js';

const rules: DiffRules = { schema: featureSchema, createOnly: [] };

/** Hash of what the guest runs: the script and its inputs (sorted, so map order does not matter). */
export function featureHash(script: string, inputs: Record<string, string>): string {
  const hash = createHash('sha256').update(script).update('\0');
  for (const key of Object.keys(inputs).sort()) hash.update(`${key}=${inputs[key]}\0`);
  return hash.digest('hex');
}

function target(ctx: ProviderContext, attrs: Attrs): FeatureTarget {
  return {
    node: requireNode(ctx),
    vmid: num(attrs, 'guest')!,
    guestType: str(attrs, 'guest_type') === 'vm' ? 'vm' : 'lxc',
    name: str(attrs, 'name')!,
  };
}

function isHost(attrs: Attrs): boolean {
  return bool(attrs, 'host') === true;
}

/** Host features: installs unless the node's marker already records this hash. */
async function installOnHost(ctx: ProviderContext, planned: Attrs, sha256: string): Promise<Attrs> {
  const node = requireNode(ctx);
  const name = str(planned, 'name')!;
  if ((await readHostMarkers(node, [name]))?.has(sha256)) {
    ctx.progress(`feature ${name} already present on node ${node.name}`);
  } else {
    ctx.progress(`installing feature ${name} on node ${node.name}`);
    await runHostScript(node, name, str(planned, 'script') ?? '', strMap(planned, 'inputs'), 'install');
    await writeHostMarker(node, name, sha256);
  }
  return { ...planned, node: planned.node ?? node.name, sha256 };
}

/** Installs unless the guest's marker already records this hash (e.g. inherited from a clone's source snapshot). */
async function install(ctx: ProviderContext, planned: Attrs): Promise<Attrs> {
  const sha256 = str(planned, 'sha256') ?? featureHash(str(planned, 'script') ?? '', strMap(planned, 'inputs'));
  if (isHost(planned)) return installOnHost(ctx, planned, sha256);
  const t = target(ctx, planned);
  // A VM started moments ago has no guest agent yet: asking it for the marker would fail.
  if (t.guestType === 'vm') await waitForGuestAgent(t.node, t.vmid);
  if ((await readMarker(t)) === sha256) {
    ctx.progress(`feature ${t.name} already present in guest ${t.vmid}`);
  } else {
    ctx.progress(`installing feature ${t.name} in guest ${t.vmid}`);
    await runScript(t, str(planned, 'script') ?? '', strMap(planned, 'inputs'), 'install');
    await writeMarker(t, sha256);
  }
  // What refresh reads for a VM, in one command per node for all of them (vm-records.ts).
  if (t.guestType === 'vm') await writeVmRecord(t.node, t.vmid, t.name, sha256);
  return { ...planned, node: planned.node ?? t.node.name, sha256 };
}

/**
 * Adopts feature NAME of guest GUEST (id "GUEST/NAME"), e.g. one a legacy tool installed. The guest's
 * marker hash is recorded when there is one; without it the hash is null, so the first apply runs the
 * script once as an in-place update (it is idempotent by contract) and writes the marker.
 */
async function importFeature(ctx: ProviderContext, id: string): Promise<Attrs> {
  // host/NAME; `import -all` derives true/NAME from the identity.
  const hostMatch = /^(?:host|true)\/([^/]+)$/.exec(id);
  if (hostMatch) {
    const node = requireNode(ctx);
    const name = hostMatch[1]!;
    const markers = await readHostMarkers(node, [name]);
    return { host: true, guest: null, node: node.name, name, sha256: markers?.size === 1 ? [...markers][0]! : null };
  }
  const match = /^(\d+)\/([^/]+)$/.exec(id);
  if (!match) throw diagnosticError(`Invalid feature ID "${id}"`, 'Import a feature as GUEST/NAME, e.g. 101/docker, or a host feature as host/NAME.');
  const node = requireNode(ctx);
  const vmid = Number(match[1]);
  const name = match[2]!;
  const guest = (await listClusterGuests(node)).get(vmid);
  if (!guest) throw diagnosticError(`Guest ${vmid} does not exist`, `No guest with ID ${vmid} in node ${node.name}'s cluster: feature ${name} cannot be in it.`);
  const guestType = guest.type === 'qemu' ? 'vm' : 'lxc';
  const live = await readLiveStatuses(node, guest.type === 'qemu' ? 'qemu' : 'lxc', guest.node ?? node.name);
  const markers = (live.get(vmid) ?? guest.status) === 'running' ? await readMarkers(node, vmid, guestType, [name]) : undefined;
  const sha256 = markers?.size === 1 ? [...markers][0]! : null;
  if (guestType === 'vm' && sha256 !== null) await writeVmRecord(node, vmid, name, sha256);
  return { guest: vmid, guest_type: guestType, host: false, node: guest.node ?? node.name, name, sha256 };
}

/** Names the feature's script and marker files in the guest: never a path, never an option. */
const FEATURE_NAME: Format = {
  accepts: 'letters, digits, ".", "_" and "-", starting with a letter or digit (it becomes a file name in the guest)',
  problem: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'not a valid feature name'),
};

/** Inputs become environment variables PHOENIX_INPUT_<KEY>: keys are identifiers. */
const INPUT_KEY: Format = {
  accepts: 'letters, digits and "_", not starting with a digit',
  problem: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'not usable as an environment variable name'),
};

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, ['script', 'uninstall_script', 'inputs']);
  checkGuestRef(c, attrs);
  c.string(['name'], attrs.name, FEATURE_NAME);
  for (const key of Object.keys(strMap(attrs, 'inputs'))) c.string(['inputs', key], key, INPUT_KEY);
  const hasGuest = attrs.guest !== null && attrs.guest !== undefined;
  if (isHost(attrs) && hasGuest) c.error(['host'], 'A feature runs in a guest or on the host, not both', 'Remove `guest` (and `guest_type`) from a feature with host = true.');
  if (!isHost(attrs) && !hasGuest) c.error(['guest'], 'Missing guest', 'Set `guest` to the vmid the feature is installed in, or `host = true` to install it on the node.');
  return c.diagnostics;
}

export const featureProvider: ResourceProvider = {
  type: 'feature',
  schema: featureSchema,
  validate,
  inferFromReferences: inferGuestType,

  normalize(planned) {
    const known = !containsUnknown(planned.script ?? null) && !containsUnknown(planned.inputs ?? null);
    return {
      ...planned,
      guest_type: planned.guest_type ?? 'lxc',
      host: planned.host ?? false,
      inputs: planned.inputs ?? {},
      requires: planned.requires ?? [],
      sha256: known ? featureHash(str(planned, 'script') ?? '', strMap(planned, 'inputs')) : UNKNOWN,
    };
  },

  // States written before host features existed have no `host`: it was false.
  diff: (prior, planned, proposed) => {
    const known = { ...prior, host: prior.host ?? false };
    return refineDiff(rules, known, withComputedFromPrior(featureSchema, known, planned), proposed);
  },

  // Host features: { node, host, name }, so `import -all` asks for "true/NAME" (see importFeature).
  identity: (planned): Attrs =>
    planned.host === true ? { node: planned.node ?? null, host: true, name: planned.name ?? null } : { node: planned.node ?? null, guest: planned.guest ?? null, name: planned.name ?? null },

  read: readFeatures,

  create: install,

  async update(ctx, prior, planned) {
    if (str(prior, 'sha256') === str(planned, 'sha256')) return { ...prior, ...planned };
    return install(ctx, planned);
  },

  async delete(ctx, prior) {
    if (isHost(prior)) {
      const node = requireNode(ctx);
      const uninstall = str(prior, 'uninstall_script');
      if (uninstall !== undefined) await runHostScript(node, str(prior, 'name')!, uninstall, strMap(prior, 'inputs'), 'uninstall');
      await removeHostMarker(node, str(prior, 'name')!);
      return;
    }
    const t = target(ctx, prior);
    const guests = await listClusterGuests(t.node);
    // The guest went first: nothing left to uninstall.
    if (guests.has(t.vmid)) {
      const uninstall = str(prior, 'uninstall_script');
      if (uninstall !== undefined) await runScript(t, uninstall, strMap(prior, 'inputs'), 'uninstall');
      await removeMarker(t);
    }
    if (t.guestType === 'vm') await removeVmRecord(t.node, t.vmid, t.name);
  },

  import: importFeature,

  // The host keeps only the marker hash: script, inputs and the rest are what the configuration says.
  adoptConfigured: (imported, configured) => ({ ...configured, ...imported }),
};
