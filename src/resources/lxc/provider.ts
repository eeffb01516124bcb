/** The `lxc` resource type: Proxmox containers driven through `pct`. */
import type { ResourceProvider } from '../provider.js';
import { num, objList } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { validateGuestWith } from '../proxmox/guest-rules.js';
import { healthChecksOf, runHealthChecks } from '../proxmox/health.js';
import { pctExecArgv } from '../proxmox/guest-exec.js';
import { requireNode, runOnHost } from '../proxmox/host.js';
import { readGuest } from '../proxmox/inventory.js';
import { checkCloneSourceOnHost } from '../proxmox/clone-source.js';
import { claimGuest, guestIdentityKeys } from '../proxmox/ownership.js';
import { createContainer, deleteContainer, updateContainer } from './apply.js';
import { adoptConfiguredLxc, completeLxcPlanned, diffLxc } from './diff.js';
import { normalizeLxc } from './options.js';
import { lxcAttrsFromRecord, readContainers } from './read.js';
import { lxcSchema } from './schema.js';
import { validateLxc } from './validate.js';

export const lxcProvider: ResourceProvider = {
  type: 'lxc',
  schema: lxcSchema,
  validate: validateLxc,
  validateWith: (attrs, planned) => validateGuestWith('lxc', attrs, planned),
  checkOnHost: (ctx, configured, plan) => checkCloneSourceOnHost(ctx, configured, 'lxc', plan),
  normalize: normalizeLxc,
  diff: diffLxc,
  completePlanned: completeLxcPlanned,
  adoptConfigured: adoptConfiguredLxc,

  identity: (planned) => ({ node: planned.node ?? null, vmid: planned.vmid ?? null }),
  identityKeys: guestIdentityKeys,
  ownershipProof: 'token',

  read: (ctx, requests) => readContainers(ctx, requests.map((r) => r.prior)),

  create: (ctx, planned) => createContainer(ctx, requireNode(ctx), planned),

  update: (ctx, prior, planned, diff) => updateContainer(ctx, requireNode(ctx), prior, planned, diff),

  delete: (ctx, prior) => deleteContainer(requireNode(ctx), prior),

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const vmid = Number(id);
    if (!Number.isInteger(vmid)) throw diagnosticError(`Invalid container ID "${id}"`, 'Import an lxc resource by its vmid, e.g. 101.');
    const record = await readGuest(node, 'lxc', vmid);
    if (!record) throw diagnosticError(`CT ${vmid} does not exist`, `No container with ID ${vmid} on node ${node.name}'s cluster.`);
    if (owner === undefined) return lxcAttrsFromRecord(record, {});
    await claimGuest(node, record, owner);
    const claimed = await readGuest(node, 'lxc', vmid);
    if (!claimed) throw diagnosticError(`${vmid} disappeared during import`);
    return lxcAttrsFromRecord(claimed, {});
  },

  async check(ctx, attrs) {
    const node = requireNode(ctx);
    const vmid = num(attrs, 'vmid')!;
    return runHealthChecks(ctx, healthChecksOf(objList(attrs, 'health_check')), async (command) => {
      const result = await runOnHost(node, pctExecArgv(vmid, ['sh', '-c', command]), { allowFailure: true });
      return { ok: result.exitCode === 0, output: result.stdout + result.stderr };
    });
  },
};
