/** The `vm` resource type: QEMU virtual machines driven through `qm`. */
import type { ResourceProvider } from '../provider.js';
import { num, objList, str } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { guestExec } from '../proxmox/guest-exec.js';
import { validateGuestWith } from '../proxmox/guest-rules.js';
import { healthChecksOf, runHealthChecks } from '../proxmox/health.js';
import { requireNode } from '../proxmox/host.js';
import { readGuest } from '../proxmox/inventory.js';
import { claimGuest, guestIdentityKeys } from '../proxmox/ownership.js';
import { createVm, deleteVm, updateVm } from './apply.js';
import { adoptConfiguredVm, completeVmPlanned, diffVm } from './diff.js';
import { normalizeVm } from './options.js';
import { readVms, vmAttrsFromRecord } from './read.js';
import { validateVm } from './validate.js';
import { checkVmOnHost } from './host-checks.js';
import { vmSchema } from './schema.js';

export const vmProvider: ResourceProvider = {
  type: 'vm',
  schema: vmSchema,
  validate: validateVm,
  validateWith: (attrs, planned) => validateGuestWith('vm', attrs, planned),
  checkOnHost: checkVmOnHost,
  normalize: normalizeVm,
  diff: diffVm,
  completePlanned: completeVmPlanned,
  adoptConfigured: adoptConfiguredVm,
  identity: (planned) => ({ node: planned.node ?? null, vmid: planned.vmid ?? null }),
  identityKeys: guestIdentityKeys,
  ownershipProof: 'token',
  read: (ctx, requests) => readVms(ctx, requests.map((r) => r.prior)),
  create: (ctx, planned) => createVm(ctx, requireNode(ctx), planned),
  update: (ctx, prior, planned, diff) => updateVm(ctx, requireNode(ctx), prior, planned, diff),
  delete: (ctx, prior) => deleteVm(requireNode(ctx), prior),

  async import(ctx, id, owner) {
    const node = requireNode(ctx);
    const vmid = Number(id);
    if (!Number.isInteger(vmid)) throw diagnosticError(`Invalid VM ID "${id}"`, 'Import a vm resource by its vmid, e.g. 9000.');
    const record = await readGuest(node, 'qemu', vmid);
    if (!record) throw diagnosticError(`VM ${vmid} does not exist`, `No VM with ID ${vmid} in node ${node.name}'s cluster.`);
    if (owner === undefined) return vmAttrsFromRecord(record, {}, true);
    await claimGuest(node, record, owner);
    const claimed = await readGuest(node, 'qemu', vmid);
    if (!claimed) throw diagnosticError(`${vmid} disappeared during import`);
    return vmAttrsFromRecord(claimed, {}, true);
  },

  async check(ctx, attrs) {
    const node = requireNode(ctx);
    const vmid = num(attrs, 'vmid')!;
    return runHealthChecks(ctx, healthChecksOf(objList(attrs, 'health_check')), (command) => guestExec(node, vmid, ['sh', '-c', command]));
  },
};
