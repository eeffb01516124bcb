/** The `feature` resource type: install scripts run inside guests, tracked by a content hash. */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../config/diagnostics.js';
import { containsUnknown, UNKNOWN, type Attrs } from '../../config/values.js';
import type { ProviderContext, ResourceProvider } from '../provider.js';
import { num, str, strMap } from '../proxmox/attrs.js';
import { refineDiff, withComputedFromPrior, type DiffRules } from '../proxmox/diff-rules.js';
import { diagnosticError } from '../proxmox/errors.js';
import { requireNode } from '../proxmox/host.js';
import { listClusterGuests } from '../proxmox/inventory.js';
import { readFeatures } from './read.js';
import { readMarker, removeMarker, runScript, writeMarker, type FeatureTarget } from './runner.js';
import { featureSchema } from './schema.js';

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

/** Installs unless the guest's marker already records this hash (e.g. inherited from a clone's source snapshot). */
async function install(ctx: ProviderContext, planned: Attrs): Promise<Attrs> {
  const t = target(ctx, planned);
  const sha256 = str(planned, 'sha256') ?? featureHash(str(planned, 'script') ?? '', strMap(planned, 'inputs'));
  if ((await readMarker(t)) === sha256) {
    ctx.progress(`feature ${t.name} already present in guest ${t.vmid}`);
  } else {
    ctx.progress(`installing feature ${t.name} in guest ${t.vmid}`);
    await runScript(t, str(planned, 'script') ?? '', strMap(planned, 'inputs'), 'install');
    await writeMarker(t, sha256);
  }
  return { ...planned, node: planned.node ?? t.node.name, sha256 };
}

function validate(attrs: Attrs): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const type = str(attrs, 'guest_type');
  if (type !== undefined && type !== 'lxc' && type !== 'vm') diags.push({ severity: 'error', summary: `Invalid guest_type "${type}"`, detail: 'Use "lxc" or "vm".' });
  const name = str(attrs, 'name');
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    diags.push({ severity: 'error', summary: `Invalid feature name "${name}"`, detail: 'Letters, digits, ".", "_" and "-" only: the name becomes a file name in the guest.' });
  }
  return diags;
}

export const featureProvider: ResourceProvider = {
  type: 'feature',
  schema: featureSchema,
  validate,

  normalize(planned) {
    const known = !containsUnknown(planned.script ?? null) && !containsUnknown(planned.inputs ?? null);
    return {
      ...planned,
      guest_type: planned.guest_type ?? 'lxc',
      inputs: planned.inputs ?? {},
      requires: planned.requires ?? [],
      sha256: known ? featureHash(str(planned, 'script') ?? '', strMap(planned, 'inputs')) : UNKNOWN,
    };
  },

  diff: (prior, planned, proposed) => refineDiff(rules, prior, withComputedFromPrior(featureSchema, prior, planned), proposed),

  identity: (planned) => ({ node: planned.node ?? null, guest: planned.guest ?? null, name: planned.name ?? null }),

  read: readFeatures,

  create: install,

  async update(ctx, prior, planned) {
    if (str(prior, 'sha256') === str(planned, 'sha256')) return { ...prior, ...planned };
    return install(ctx, planned);
  },

  async delete(ctx, prior) {
    const t = target(ctx, prior);
    const guests = await listClusterGuests(t.node);
    if (!guests.has(t.vmid)) return; // the guest went first: nothing left to uninstall
    const uninstall = str(prior, 'uninstall_script');
    if (uninstall !== undefined) await runScript(t, uninstall, strMap(prior, 'inputs'), 'uninstall');
    await removeMarker(t);
  },

  async import() {
    throw diagnosticError(
      'Features cannot be imported',
      'Declare the feature instead: its first apply finds the marker file and does not re-run a script that already ran.',
    );
  },
};
