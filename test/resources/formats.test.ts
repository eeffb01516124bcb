/**
 * phoenix's plan-time validation against the shared table of values Proxmox accepts and rejects
 * (test/fixtures/proxmox-values.ts); test/sim/formats.test.ts holds the simulator to the same table.
 */
import { describe, expect, it } from 'vitest';
import { UNKNOWN, type Attrs } from '../../src/config/values.js';
import type { AttributeDiagnostic } from '../../src/resources/provider.js';
import { validateLxc } from '../../src/resources/lxc/validate.js';
import { snapshotProvider } from '../../src/resources/snapshot/provider.js';
import { validateVm } from '../../src/resources/vm/validate.js';
import { validateZfsDataset } from '../../src/resources/zfs_dataset/validate.js';
import { INJECTED_VALUES, PROXMOX_VALUES, type ProxmoxOption } from '../fixtures/proxmox-values.js';

const lxc = (extra: Attrs) => validateLxc({ vmid: 100, ostemplate: 'local:vztmpl/debian-12.tar.zst', ...extra });
const vm = (extra: Attrs) => validateVm({ vmid: 100, ...extra });
const nic = (key: string, value: string) => ({ name: 'eth0', bridge: 'vmbr0', [key]: /^(tag|mtu)$/.test(key) ? Number(value) : value });
const zfs = (property: string) => (value: string) => validateZfsDataset({ name: 'tank/x', properties: { [property]: value } });

/** For each option: the diagnostics phoenix reports for the value, and the attribute path they must name. */
const PHOENIX: Record<ProxmoxOption, { check: (value: string) => AttributeDiagnostic[]; path: string[] }> = {
  'lxc hostname': { check: (v) => lxc({ hostname: v }), path: ['hostname'] },
  'lxc net.ip': { check: (v) => lxc({ network: [nic('ip', v)] }), path: ['network', '0', 'ip'] },
  'lxc net.gw': { check: (v) => lxc({ network: [nic('gw', v)] }), path: ['network', '0', 'gw'] },
  'lxc net.ip6': { check: (v) => lxc({ network: [nic('ip6', v)] }), path: ['network', '0', 'ip6'] },
  'lxc net.gw6': { check: (v) => lxc({ network: [nic('gw6', v)] }), path: ['network', '0', 'gw6'] },
  'lxc net.hwaddr': { check: (v) => lxc({ network: [nic('hwaddr', v)] }), path: ['network', '0', 'hwaddr'] },
  'lxc net.tag': { check: (v) => lxc({ network: [nic('tag', v)] }), path: ['network', '0', 'tag'] },
  'lxc net.mtu': { check: (v) => lxc({ network: [nic('mtu', v)] }), path: ['network', '0', 'mtu'] },
  'lxc net.bridge': { check: (v) => lxc({ network: [nic('bridge', v)] }), path: ['network', '0', 'bridge'] },
  'lxc mp.path': { check: (v) => lxc({ mountpoint: [{ slot: 'mp0', volume: '/tank/x', path: v }] }), path: ['mountpoint', '0', 'path'] },
  'lxc nameserver': { check: (v) => lxc({ nameserver: v }), path: ['nameserver'] },
  'lxc searchdomain': { check: (v) => lxc({ searchdomain: v }), path: ['searchdomain'] },
  'guest tag': { check: (v) => vm({ tags: [v] }), path: ['tags', '0'] },
  'guest startup.order': { check: (v) => lxc({ startup: { order: Number(v) } }), path: ['startup', 'order'] },
  'vm net.model': { check: (v) => vm({ network: [{ model: v, bridge: 'vmbr0' }] }), path: ['network', '0', 'model'] },
  'vm net.tag': { check: (v) => vm({ network: [{ bridge: 'vmbr0', tag: Number(v) }] }), path: ['network', '0', 'tag'] },
  'vm disk slot': { check: (v) => vm({ disks: [{ slot: v, storage: 'local-zfs', size: '8G' }] }), path: ['disks', '0', 'slot'] },
  'vm ipconfig': { check: (v) => vm({ cloud_init: { ipconfig: [v] } }), path: ['cloud_init', 'ipconfig', '0'] },
  // On a q35 machine, so that pcie=1 is judged by the device format alone (machine.ts checks the pairing).
  'vm hostpci': { check: (v) => vm({ machine: 'q35', hostpci: [v] }), path: ['hostpci', '0'] },
  'vm bios': { check: (v) => vm({ bios: v }), path: ['bios'] },
  'vm efidisk.efitype': { check: (v) => vm({ efidisk: { storage: 'local-zfs', efitype: v } }), path: ['efidisk', 'efitype'] },
  'vm tpmstate.version': { check: (v) => vm({ tpmstate: { storage: 'local-zfs', version: v } }), path: ['tpmstate', 'version'] },
  // The devices are not known yet, so only the format is judged here (existence: test/cli/vm-hardware.test.ts).
  'vm boot device': { check: (v) => vm({ boot: [v], disks: UNKNOWN }), path: ['boot', '0'] },
  'vm serial': { check: (v) => vm({ serial: [v] }), path: ['serial', '0'] },
  'vm vga.type': { check: (v) => vm({ vga: { type: v } }), path: ['vga', 'type'] },
  'vm vga.memory': { check: (v) => vm({ vga: { type: 'std', memory: Number(v) } }), path: ['vga', 'memory'] },
  'vm usb.host': { check: (v) => vm({ usb: [{ host: v }] }), path: ['usb', '0', 'host'] },
  'vm cpu model': { check: (v) => vm({ cpu: v }), path: ['cpu'] },
  'vm cpu flags': { check: (v) => vm({ cpu: 'host', cpu_flags: [v] }), path: ['cpu_flags', '0'] },
  'vm disk cache': { check: (v) => vm({ disks: [{ slot: 'scsi0', storage: 'local-zfs', size: '8G', cache: v }] }), path: ['disks', '0', 'cache'] },
  'vm disk aio': { check: (v) => vm({ disks: [{ slot: 'scsi0', storage: 'local-zfs', size: '8G', aio: v }] }), path: ['disks', '0', 'aio'] },
  'vm balloon': { check: (v) => vm({ balloon: Number(v) }), path: ['balloon'] },
  'vm shares': { check: (v) => vm({ shares: Number(v) }), path: ['shares'] },
  'vm option ostype': { check: (v) => vm({ options: { ostype: v } }), path: ['options', 'ostype'] },
  'vm option hotplug': { check: (v) => vm({ options: { hotplug: v } }), path: ['options', 'hotplug'] },
  'vm option affinity': { check: (v) => vm({ options: { affinity: v } }), path: ['options', 'affinity'] },
  'vm option watchdog': { check: (v) => vm({ options: { watchdog: v } }), path: ['options', 'watchdog'] },
  'vm option tablet': { check: (v) => vm({ options: { tablet: v } }), path: ['options', 'tablet'] },
  'ssh public keys': { check: (v) => lxc({ ssh_public_keys: v }), path: ['ssh_public_keys'] },
  'snapshot name': { check: (v) => snapshotProvider.validate!({ guest: 100, name: v }), path: ['name'] },
  'zfs compression': { check: zfs('compression'), path: ['properties', 'compression'] },
  'zfs quota': { check: zfs('quota'), path: ['properties', 'quota'] },
  'zfs recordsize': { check: zfs('recordsize'), path: ['properties', 'recordsize'] },
  'zfs atime': { check: zfs('atime'), path: ['properties', 'atime'] },
  'zfs mountpoint': { check: zfs('mountpoint'), path: ['properties', 'mountpoint'] },
  'lxc raw line': { check: (v) => lxc({ lxc_raw: [v] }), path: ['lxc_raw', '0'] },
  'lxc cpulimit': { check: (v) => lxc({ cpulimit: Number(v) }), path: ['cpulimit'] },
  'lxc cpuunits': { check: (v) => lxc({ cpuunits: Number(v) }), path: ['cpuunits'] },
  'lxc dev.path': { check: (v) => lxc({ device: [{ path: v }] }), path: ['device', '0', 'path'] },
  'lxc dev.mode': { check: (v) => lxc({ device: [{ path: '/dev/null', mode: v }] }), path: ['device', '0', 'mode'] },
  'lxc mp.mountoptions': {
    check: (v) => lxc({ mountpoint: [{ slot: 'mp0', volume: '/tank/x', path: '/x', mount_options: [v] }] }),
    path: ['mountpoint', '0', 'mount_options', '0'],
  },
  'lxc features.mount': { check: (v) => lxc({ features: { mount: [v] } }), path: ['features', 'mount', '0'] },
};

const errorsAt = (diags: AttributeDiagnostic[], path: string[]) =>
  diags.filter((d) => d.severity === 'error' && JSON.stringify(d.attribute) === JSON.stringify(path));

describe('phoenix validate follows Proxmox formats', () => {
  for (const [option, cases] of Object.entries(PROXMOX_VALUES) as [ProxmoxOption, (typeof PROXMOX_VALUES)[ProxmoxOption]][]) {
    const { check, path } = PHOENIX[option];
    it(`${option} (${cases.upstream})`, () => {
      for (const value of cases.accepted) expect(check(value).filter((d) => d.severity === 'error'), `accepts ${JSON.stringify(value)}`).toEqual([]);
      for (const value of cases.rejected) {
        const found = errorsAt(check(value), path);
        expect(found.length, `rejects ${JSON.stringify(value)} at ${path.join('.')}`).toBeGreaterThan(0);
        expect(found[0]!.detail).toMatch(/Proxmox rejects|pve-container would not keep/);
      }
    });
  }
});

describe('no value can add keys to a Proxmox property string', () => {
  for (const [option, values] of Object.entries(INJECTED_VALUES) as [ProxmoxOption, string[]][]) {
    it(option, () => {
      const { check, path } = PHOENIX[option];
      for (const value of values) expect(errorsAt(check(value), path).length, `rejects ${JSON.stringify(value)}`).toBeGreaterThan(0);
    });
  }
});
