/** The `machine` attribute of `vm` and what depends on it, with qemu-server's own rules. */
import type { Attrs } from '../../config/values.js';
import { str, strList } from '../proxmox/attrs.js';
import type { Checks } from '../proxmox/checks.js';
import { parsePropertyString } from '../proxmox/property-string.js';

/** qemu-server PVE/QemuServer/Machine.pm $machine_fmt: the `type` pattern (anchored, as JSONSchema does). */
const MACHINE_TYPE = /^(pc|pc(-i440fx)?-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|q35|pc-q35-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|virt(?:-\d+(\.\d+)+)?(\+pve\d+)?)$/;
const MACHINE_KEYS = new Set(['type', 'viommu', 'aw-bits', 'enable-s3', 'enable-s4']);
const ACCEPTED =
  'Proxmox accepts "pc", "q35", "pc-i440fx-X.Y[+pveN]", "pc-q35-X.Y[+pveN]" or "virt", then `,viommu=intel|virtio`, `,aw-bits=N`, `,enable-s3=0|1`, `,enable-s4=0|1`.';

/** $machine_fmt and assert_valid_machine_property (Machine.pm); hostpci `pcie=1` needs q35 (QemuServer/PCI.pm). */
export function checkMachine(c: Checks, attrs: Attrs): void {
  const machine = str(attrs, 'machine');
  const fields = machine === undefined ? new Map<string, string>() : parsePropertyString(machine, 'type');
  for (const key of fields.keys()) if (!MACHINE_KEYS.has(key)) c.error(['machine'], `Invalid machine option "${key}"`, ACCEPTED);
  const type = fields.get('type');
  if (type !== undefined && (type.length > 40 || !MACHINE_TYPE.test(type))) c.error(['machine'], `Invalid machine type "${type}"`, ACCEPTED);
  const viommu = fields.get('viommu');
  if (viommu !== undefined && viommu !== 'intel' && viommu !== 'virtio') c.error(['machine'], `Invalid machine viommu "${viommu}"`, 'Use "intel" or "virtio".');
  if (viommu === 'intel' && !/q35/.test(type ?? '')) c.error(['machine'], 'Intel vIOMMU needs a q35 machine', 'to use Intel vIOMMU please set the machine type to q35 (qemu-server Machine.pm).');
  if (fields.get('aw-bits') !== undefined && viommu === undefined) c.error(['machine'], 'aw-bits needs a vIOMMU', 'cannot set aw-bits if no vIOMMU is configured (qemu-server Machine.pm).');
  if (/q35/.test(type ?? '')) return;
  strList(attrs, 'hostpci').forEach((device, i) => {
    const pcie = parsePropertyString(device, 'host').get('pcie');
    if (pcie !== '1' && pcie !== 'on' && pcie !== 'yes' && pcie !== 'true') return;
    c.error(
      ['hostpci', String(i)],
      `hostpci "${device}" needs machine = "q35"`,
      'PCIe passthrough (pcie=1) needs a q35 machine: Proxmox refuses to start the VM with "q35 machine model is not enabled" ' +
        '(qemu-server QemuServer/PCI.pm). Set `machine = "q35"` or drop `pcie=1`.',
    );
  });
}
