/** The `vm` resource type: QEMU virtual machines driven through `qm`. */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { ResourceProvider } from '../provider.js';
import { num, objList, str } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { guestExec } from '../proxmox/guest-exec.js';
import { healthChecksOf, runHealthChecks } from '../proxmox/health.js';
import { requireNode } from '../proxmox/host.js';
import { readGuest } from '../proxmox/inventory.js';
import { claimGuest, guestIdentityKeys } from '../proxmox/ownership.js';
import { isValidSize } from '../proxmox/sizes.js';
import { validateGuestCommon } from '../proxmox/validate-guest.js';
import { createVm, deleteVm, updateVm } from './apply.js';
import { adoptConfiguredVm, completeVmPlanned, diffVm } from './diff.js';
import { normalizeVm } from './options.js';
import { readVms, vmAttrsFromRecord } from './read.js';
import { vmSchema } from './schema.js';

function validateVm(attrs: Attrs): Diagnostic[] {
  const diags = validateGuestCommon(attrs);
  for (const disk of objList(attrs, 'disks')) {
    const slot = str(disk, 'slot');
    if (slot !== undefined && !/^(scsi|virtio|sata|ide)\d+$/.test(slot)) {
      diags.push({ severity: 'error', summary: `Invalid disk slot "${slot}"`, detail: 'Use scsiN, virtioN, sataN or ideN.' });
    }
    const size = str(disk, 'size');
    if (size !== undefined && !isValidSize(size)) diags.push({ severity: 'error', summary: `Invalid disk size "${size}"` });
  }
  return diags;
}

export const vmProvider: ResourceProvider = {
  type: 'vm',
  schema: vmSchema,
  validate: validateVm,
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
    if (owner === undefined) return vmAttrsFromRecord(record, {});
    await claimGuest(node, record, owner);
    const claimed = await readGuest(node, 'qemu', vmid);
    if (!claimed) throw diagnosticError(`${vmid} disappeared during import`);
    return vmAttrsFromRecord(claimed, {});
  },

  async check(ctx, attrs) {
    const node = requireNode(ctx);
    const vmid = num(attrs, 'vmid')!;
    return runHealthChecks(ctx, healthChecksOf(objList(attrs, 'health_check')), (command) => guestExec(node, vmid, ['sh', '-c', command]));
  },
};
