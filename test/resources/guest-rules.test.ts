/**
 * Plan-time rules across objects (src/resources/proxmox/guest-rules.ts): a template conversion is refused
 * while the guest has snapshots, declared in config or found on the node, with the caret on `template`.
 */
import { describe, expect, it } from 'vitest';
import type { Attrs } from '../../src/config/values.js';
import { UNKNOWN } from '../../src/config/values.js';
import { validateGuestWith } from '../../src/resources/proxmox/guest-rules.js';

const planned = (snapshots: Attrs[]) => (type: string) => (type === 'snapshot' ? snapshots : []);

describe('template with snapshots', () => {
  it('names the snapshots a VM has on the node and how to delete them with qm', () => {
    const vm = { vmid: 9000, node: 'pve', template: true, snapshots: ['pre-upgrade'] };
    const [diag, ...rest] = validateGuestWith('vm', vm, planned([]));
    expect(rest).toEqual([]);
    expect(diag).toMatchObject({ summary: 'VM 9000 cannot be a template: it has snapshots', attribute: ['template'] });
    expect(diag!.detail).toContain('"unable to create template, because VM contains snapshots" (qemu-server API2/Qemu.pm template)');
    expect(diag!.detail).toContain('`qm delsnapshot 9000 pre-upgrade`');
  });

  it('names a declared snapshot once, even when the node holds it too', () => {
    const ct = { vmid: 105, node: 'pve', template: true, snapshots: ['golden'] };
    const diags = validateGuestWith('lxc', ct, planned([{ guest: 105, guest_type: 'lxc', name: 'golden', node: 'pve' }]));
    expect(diags).toHaveLength(1);
    expect(diags[0]!.detail).toContain('remove the snapshot resource of golden;');
    expect(diags[0]!.detail).not.toContain('delsnapshot');
  });

  it('accepts a conversion when the node holds none, and a guest being created (snapshots not known yet)', () => {
    expect(validateGuestWith('lxc', { vmid: 105, template: true, snapshots: [] }, planned([]))).toEqual([]);
    expect(validateGuestWith('vm', { vmid: 9000, template: true, snapshots: UNKNOWN }, planned([]))).toEqual([]);
    expect(validateGuestWith('vm', { vmid: 9000, template: false, snapshots: ['pre'] }, planned([]))).toEqual([]);
  });
});
