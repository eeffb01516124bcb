/** Config checks for `vm`: disks, and the machine type with what depends on it (qemu-server's own rules). */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import { objList, str, strList } from '../proxmox/attrs.js';
import { parsePropertyString } from '../proxmox/property-string.js';
import { isValidSize } from '../proxmox/sizes.js';
import { validateGuestCommon } from '../proxmox/validate-guest.js';

/** qemu-server PVE/QemuServer/Machine.pm $machine_fmt: the `type` pattern (anchored, as JSONSchema does). */
const MACHINE_TYPE = /^(pc|pc(-i440fx)?-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|q35|pc-q35-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|virt(?:-\d+(\.\d+)+)?(\+pve\d+)?)$/;
const MACHINE_KEYS = new Set(['type', 'viommu', 'aw-bits', 'enable-s3', 'enable-s4']);

const error = (summary: string, detail: string): Diagnostic => ({ severity: 'error', summary, detail });

/** $machine_fmt and assert_valid_machine_property (Machine.pm). */
function validateMachine(machine: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const fields = parsePropertyString(machine, 'type');
  const accepted = 'Proxmox accepts "pc", "q35", "pc-i440fx-X.Y[+pveN]", "pc-q35-X.Y[+pveN]" or "virt", then `,viommu=intel|virtio`, `,aw-bits=N`, `,enable-s3=0|1`, `,enable-s4=0|1`.';
  for (const key of fields.keys()) if (!MACHINE_KEYS.has(key)) diags.push(error(`Invalid machine option "${key}"`, accepted));
  const type = fields.get('type');
  if (type !== undefined && (type.length > 40 || !MACHINE_TYPE.test(type))) diags.push(error(`Invalid machine type "${type}"`, accepted));
  const viommu = fields.get('viommu');
  if (viommu !== undefined && viommu !== 'intel' && viommu !== 'virtio') diags.push(error(`Invalid machine viommu "${viommu}"`, 'Use "intel" or "virtio".'));
  if (viommu === 'intel' && !/q35/.test(type ?? '')) diags.push(error('Intel vIOMMU needs a q35 machine', 'to use Intel vIOMMU please set the machine type to q35 (qemu-server Machine.pm).'));
  const awBits = fields.get('aw-bits');
  if (awBits !== undefined && viommu === undefined) diags.push(error('aw-bits needs a vIOMMU', 'cannot set aw-bits if no vIOMMU is configured (qemu-server Machine.pm).'));
  return diags;
}

/** A `hostpciN` value with `pcie=1` is placed on a PCIe root port, which only q35 has (QemuServer/PCI.pm). */
function pcieDevices(attrs: Attrs): string[] {
  return strList(attrs, 'hostpci').filter((dev) => {
    const pcie = parsePropertyString(dev, 'host').get('pcie');
    return pcie === '1' || pcie === 'on' || pcie === 'yes' || pcie === 'true';
  });
}

export function validateVm(attrs: Attrs): Diagnostic[] {
  const diags = validateGuestCommon(attrs);
  for (const disk of objList(attrs, 'disks')) {
    const slot = str(disk, 'slot');
    if (slot !== undefined && !/^(scsi|virtio|sata|ide)\d+$/.test(slot)) {
      diags.push({ severity: 'error', summary: `Invalid disk slot "${slot}"`, detail: 'Use scsiN, virtioN, sataN or ideN.' });
    }
    const size = str(disk, 'size');
    if (size !== undefined && !isValidSize(size)) diags.push({ severity: 'error', summary: `Invalid disk size "${size}"` });
  }
  const machine = str(attrs, 'machine');
  if (machine !== undefined) diags.push(...validateMachine(machine));
  const machineType = machine === undefined ? undefined : parsePropertyString(machine, 'type').get('type');
  if (!/q35/.test(machineType ?? '')) {
    for (const device of pcieDevices(attrs)) {
      diags.push(
        error(
          `hostpci "${device}" needs machine = "q35"`,
          'PCIe passthrough (pcie=1) needs a q35 machine: Proxmox refuses to start the VM with "q35 machine model is not enabled" ' +
            '(qemu-server QemuServer/PCI.pm). Set `machine = "q35"` or drop `pcie=1`.',
        ),
      );
    }
  }
  return diags;
}
