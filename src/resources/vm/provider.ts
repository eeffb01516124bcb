/** The `vm` resource type: QEMU virtual machines driven through `qm`. */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { ResourceProvider } from '../provider.js';
import { num, obj, objList, str } from '../proxmox/attrs.js';
import { diagnosticError } from '../proxmox/errors.js';
import { guestExec } from '../proxmox/guest-exec.js';
import { healthChecksOf, runHealthChecks } from '../proxmox/health.js';
import { requireNode } from '../proxmox/host.js';
import { readGuest } from '../proxmox/inventory.js';
import { createVm, deleteVm, updateVm } from './apply.js';
import { adoptConfiguredVm, completeVmPlanned, diffVm } from './diff.js';
import { normalizeVm } from './options.js';
import { readVms, vmAttrsFromRecord } from './read.js';
import { checkVmOnHost, validateVm } from './validate.js';
import { vmSchema } from './schema.js';

export const vmProvider: ResourceProvider = {
  type: 'vm',
  schema: vmSchema,
  validate: validateVm,
  checkOnHost: checkVmOnHost,
  normalize: normalizeVm,
  diff: diffVm,
  completePlanned: completeVmPlanned,
  adoptConfigured: adoptConfiguredVm,
  identity: (planned) => ({ node: planned.node ?? null, vmid: planned.vmid ?? null }),
  read: (ctx, requests) => readVms(requireNode(ctx), requests.map((r) => r.prior)),
  create: (ctx, planned) => createVm(ctx, requireNode(ctx), planned),
  update: (ctx, prior, planned) => updateVm(ctx, requireNode(ctx), prior, planned),
  delete: (ctx, prior) => deleteVm(requireNode(ctx), prior),

  async import(ctx, id) {
    const node = requireNode(ctx);
    const vmid = Number(id);
    if (!Number.isInteger(vmid)) throw diagnosticError(`Invalid VM ID "${id}"`, 'Import a vm resource by its vmid, e.g. 9000.');
    const record = await readGuest(node, 'qemu', vmid);
    if (!record) throw diagnosticError(`VM ${vmid} does not exist`, `No VM with ID ${vmid} in node ${node.name}'s cluster.`);
    return vmAttrsFromRecord(record, {});
  },

  concurrencyKeys(attrs, action) {
    if (action !== 'create') return [];
    const clone = obj(attrs, 'clone');
    const storages = new Set<string>();
    if (clone && clone.full === true) {
      const target = str(clone, 'storage') ?? str(objList(attrs, 'disks')[0] ?? {}, 'storage');
      if (target) storages.add(target);
    }
    for (const disk of objList(attrs, 'disks')) if (str(disk, 'import_from') && str(disk, 'storage')) storages.add(str(disk, 'storage')!);
    return [...storages].map((s) => `storage:${str(attrs, 'node') ?? 'default'}/${s}`);
  },

  async check(ctx, attrs) {
    const node = requireNode(ctx);
    const vmid = num(attrs, 'vmid')!;
    return runHealthChecks(ctx, healthChecksOf(objList(attrs, 'health_check')), (command) => guestExec(node, vmid, ['sh', '-c', command]));
  },
};
