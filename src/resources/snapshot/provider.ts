/**
 * The `snapshot` resource type: a named guest snapshot, typically taken after the guest's features are
 * installed (depend on them) and used as the source of clones (`clone { snapshot = snapshot.base.name }`).
 */
import { DiagnosticError } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { AttributeDiagnostic, ProviderContext, ResourceProvider, ResourceSchema } from '../provider.js';
import { Checks } from '../proxmox/checks.js';
import { SNAPSHOT_NAME } from '../proxmox/formats.js';
import { checkGuestRef, guestTypeAttribute, inferGuestType } from '../proxmox/guest-ref.js';
import { num, str } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { classifyHostError, diagnosticError, hostErrorDiagnostic } from '../proxmox/errors.js';
import { nodeAttribute } from '../proxmox/guest-schema.js';
import { validateSnapshotWith } from '../proxmox/guest-rules.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { listClusterGuests, readGuests } from '../proxmox/inventory.js';

export const snapshotSchema: ResourceSchema = {
  description: 'A named snapshot of a container or VM (`pct snapshot` / `qm snapshot`), e.g. the state after its features were installed.',
  attributes: {
    guest: { type: 'number', required: true, forceNew: true, description: 'vmid of the guest, e.g. `lxc.base.vmid`.' },
    guest_type: guestTypeAttribute,
    node: nodeAttribute,
    name: { type: 'string', required: true, forceNew: true, description: 'Snapshot name: a letter, then letters, digits, "_" or "-" (2-40 characters).' },
    description: { type: 'string', optional: true, forceNew: true, description: 'Snapshot description.' },
    triggers: {
      type: { map: 'string' },
      optional: true,
      default: {},
      forceNew: true,
      description: 'Values whose change retakes the snapshot, e.g. `{ docker = feature.docker.sha256 }` so the snapshot always includes the current features.',
    },
  },
};

const rules: DiffRules = { schema: snapshotSchema, createOnly: [] };

function tool(attrs: Attrs): 'pct' | 'qm' {
  return str(attrs, 'guest_type') === 'vm' ? 'qm' : 'pct';
}

function validate(attrs: Attrs): AttributeDiagnostic[] {
  const c = new Checks();
  c.controlCharacters(attrs, ['description', 'triggers']);
  checkGuestRef(c, attrs);
  // pve-guest-common GuestHelpers/AbstractConfig snapshot names are pve-configid: a letter first, so
  // the positional name of `pct snapshot` / `qm snapshot` can never be read as an option.
  c.string(['name'], attrs.name, SNAPSHOT_NAME);
  return c.diagnostics;
}

async function readSnapshots(ctx: ProviderContext, priors: Attrs[]): Promise<(Attrs | null)[]> {
  const node = requireNode(ctx);
  const vmidsOf = (kind: 'lxc' | 'vm') => priors.filter((p) => (p.guest_type === 'vm' ? 'vm' : 'lxc') === kind).map((p) => num(p, 'guest')).filter((v): v is number => v !== undefined);
  const cluster = await listClusterGuests(node, ctx);
  // Snapshots need the configs only, not the guests' power state.
  const [containers, vms] = await Promise.all([readGuests(node, 'lxc', vmidsOf('lxc'), { cluster, liveStatus: false }), readGuests(node, 'qemu', vmidsOf('vm'), { cluster, liveStatus: false })]);
  return priors.map((prior) => {
    const guest = (prior.guest_type === 'vm' ? vms : containers).get(num(prior, 'guest') ?? -1);
    const name = str(prior, 'name');
    return guest && name !== undefined && guest.config.snapshots.includes(name) ? { ...prior, node: guest.node } : null;
  });
}

export const snapshotProvider: ResourceProvider = {
  type: 'snapshot',
  schema: snapshotSchema,
  validate,
  validateWith: validateSnapshotWith,
  inferFromReferences: inferGuestType,
  normalize: (planned) => ({ ...planned, guest_type: planned.guest_type ?? 'lxc', triggers: planned.triggers ?? {} }),
  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(snapshotSchema, prior, planned), proposed),
  identity: (planned) => ({ node: planned.node ?? null, guest: planned.guest ?? null, name: planned.name ?? null }),
  read: (ctx, requests) => readSnapshots(ctx, requests.map((r) => r.prior)),

  async create(ctx, planned) {
    const node = requireNode(ctx);
    const vmid = String(num(planned, 'guest'));
    const name = str(planned, 'name')!;
    const description = str(planned, 'description');
    ctx.progress(`taking snapshot ${name} of ${vmid}`);
    await runOnHost(node, [tool(planned), 'snapshot', vmid, name, ...(description ? ['--description', description] : [])], { what: `snapshotting ${vmid}` });
    return { ...planned, node: planned.node ?? node.name };
  },

  async update(_ctx, prior, planned) {
    return { ...prior, ...planned, node: planned.node ?? prior.node ?? null };
  },

  async delete(ctx, prior) {
    const node = requireNode(ctx);
    const vmid = String(num(prior, 'guest'));
    const result = await runOnHost(node, [tool(prior), 'delsnapshot', vmid, str(prior, 'name')!], { allowFailure: true });
    if (result.exitCode === 0 || classifyHostError(result.stderr) === 'missing') return;
    throw new DiagnosticError([hostErrorDiagnostic(`deleting snapshot ${str(prior, 'name')} of ${vmid}`, result)]);
  },

  async import(ctx, id) {
    const [guest, name] = id.split('/');
    const vmid = Number(guest);
    if (!Number.isInteger(vmid) || !name) throw diagnosticError(`Invalid snapshot ID "${id}"`, 'Import a snapshot as VMID/NAME, e.g. 9000/base.');
    const containers = await readGuests(requireNode(ctx), 'lxc', [vmid]);
    const type = containers.has(vmid) ? 'lxc' : 'vm';
    const [found] = await readSnapshots(ctx, [{ guest: vmid, guest_type: type, name }]);
    if (!found) throw diagnosticError(`Snapshot ${name} of guest ${vmid} does not exist`);
    return { ...found, description: null, triggers: {} };
  },
};
