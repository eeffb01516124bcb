/**
 * The simulated node's verification against the shared table of values Proxmox accepts and rejects
 * (test/fixtures/proxmox-values.ts); test/resources/formats.test.ts holds phoenix's validation to it.
 */
import { describe, expect, it } from 'vitest';
import { validateSshPublicKeys } from '../../src/sim/core/formats.js';
import { parsePropString, SNAPNAME, verifyValue, type PropFormat } from '../../src/sim/core/schema.js';
import { CONFIG_OPTIONS as PCT, DEV_FORMAT, FEATURES_FORMAT, MP_FORMAT, NET_FORMAT as PCT_NET } from '../../src/sim/pct/schema.js';
import { CONFIG_OPTIONS as QM, HOSTPCI_FORMAT, IPCONFIG_FORMAT, isDriveKey, NET_FORMAT as QM_NET } from '../../src/sim/qm/schema.js';
import { rawLineVerdict } from '../../src/sim/pct/raw-keys.js';
import { normaliseProperty } from '../../src/sim/zfs/model.js';
import { INJECTED_VALUES, PROXMOX_VALUES, type ProxmoxOption } from '../fixtures/proxmox-values.js';

/** The message the simulated tool would print, or undefined when it accepts the value. */
type SimCheck = (value: string) => string | undefined;

const option = (spec: (typeof PCT)[string]): SimCheck => (v) => verifyValue(spec, v)[1];
const propString = (format: PropFormat, text: (v: string) => string): SimCheck => (v) => {
  const errors: Record<string, string> = {};
  parsePropString('opt', text(v), format, errors);
  return Object.values(errors)[0];
};
const pctNet = (key: string): SimCheck => propString(PCT_NET, (v) => (key === 'bridge' ? `name=eth0,bridge=${v}` : `name=eth0,bridge=vmbr0,${key}=${v}`));
const zfs = (property: string): SimCheck => (v) => {
  try {
    normaliseProperty(`cannot set property for 'tank/x'`, 'filesystem', property, v, 'set');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

/** A `qm` option as qemu-server verifies it (a property string through its format), `text` building the value. */
const qm = (key: string, text: (v: string) => string = (v) => v): SimCheck => (v) => {
  const spec = QM[key]!;
  return spec.format ? propString(spec.format, text)(v) : verifyValue(spec, text(v))[1];
};

const SIMULATOR: Record<ProxmoxOption, SimCheck> = {
  'lxc hostname': option(PCT.hostname!),
  'lxc net.ip': pctNet('ip'),
  'lxc net.gw': pctNet('gw'),
  'lxc net.ip6': pctNet('ip6'),
  'lxc net.gw6': pctNet('gw6'),
  'lxc net.hwaddr': pctNet('hwaddr'),
  'lxc net.tag': pctNet('tag'),
  'lxc net.mtu': pctNet('mtu'),
  'lxc net.bridge': pctNet('bridge'),
  'lxc mp.path': propString(MP_FORMAT, (v) => `/tank/x,mp=${v}`),
  'lxc nameserver': option(PCT.nameserver!),
  'lxc searchdomain': option(PCT.searchdomain!),
  'guest tag': option(QM.tags!),
  'guest startup.order': (v) => verifyValue(PCT.startup!, `order=${v}`)[1],
  'vm net.model': propString(QM_NET, (v) => `model=${v},bridge=vmbr0`),
  'vm net.tag': propString(QM_NET, (v) => `model=virtio,bridge=vmbr0,tag=${v}`),
  'vm disk slot': (v) => (isDriveKey(v) ? undefined : `property is not defined in schema and the schema does not allow additional properties`),
  'vm ipconfig': propString(IPCONFIG_FORMAT, (v) => v),
  'vm hostpci': propString(HOSTPCI_FORMAT, (v) => v),
  'vm bios': qm('bios'),
  'vm efidisk.efitype': qm('efidisk0', (v) => `local-zfs:1,efitype=${v}`),
  'vm tpmstate.version': qm('tpmstate0', (v) => `local-zfs:1,version=${v}`),
  'vm boot device': qm('boot', (v) => `order=${v}`),
  'vm serial': qm('serial0'),
  'vm vga.type': qm('vga'),
  'vm vga.memory': qm('vga', (v) => `std,memory=${v}`),
  'vm usb.host': qm('usb0'),
  'vm cpu model': qm('cpu'),
  'vm cpu flags': qm('cpu', (v) => `host,flags=${v}`),
  'vm disk cache': qm('scsi0', (v) => `local-zfs:vm-100-disk-0,cache=${v}`),
  'vm disk aio': qm('scsi0', (v) => `local-zfs:vm-100-disk-0,aio=${v}`),
  'vm balloon': qm('balloon'),
  'vm shares': qm('shares'),
  'vm option ostype': qm('ostype'),
  'vm option hotplug': qm('hotplug'),
  'vm option affinity': qm('affinity'),
  'vm option watchdog': qm('watchdog'),
  'vm option tablet': qm('tablet'),
  'ssh public keys': (v) => {
    try {
      validateSshPublicKeys(v);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  },
  'snapshot name': option(SNAPNAME),
  'zfs compression': zfs('compression'),
  'zfs quota': zfs('quota'),
  'zfs recordsize': zfs('recordsize'),
  'zfs atime': zfs('atime'),
  'zfs mountpoint': zfs('mountpoint'),
  'lxc raw line': (v) => {
    const m = /^(lxc\.[a-z0-9_\-.]+)(?::|\s*=)\s*(.*?)\s*$/.exec(v);
    if (!m) return `vm 100 - unable to parse config: ${v}`;
    const verdict = rawLineVerdict(100, m[1]!, m[2]!);
    return verdict.kept ? undefined : verdict.warning;
  },
  'lxc cpulimit': option(PCT.cpulimit!),
  'lxc cpuunits': option(PCT.cpuunits!),
  'lxc dev.path': propString(DEV_FORMAT, (v) => v),
  'lxc dev.mode': propString(DEV_FORMAT, (v) => `/dev/null,mode=${v}`),
  'lxc mp.mountoptions': propString(MP_FORMAT, (v) => `/tank/x,mp=/x,mountoptions=${v}`),
  'lxc features.mount': propString(FEATURES_FORMAT, (v) => `mount=${v}`),
};

describe('the simulator verifies values as Proxmox does', () => {
  for (const [name, cases] of Object.entries(PROXMOX_VALUES) as [ProxmoxOption, (typeof PROXMOX_VALUES)[ProxmoxOption]][]) {
    it(`${name} (${cases.upstream})`, () => {
      const check = SIMULATOR[name];
      for (const value of cases.accepted) expect(check(value), `accepts ${JSON.stringify(value)}`).toBeUndefined();
      for (const value of cases.rejected) expect(check(value), `rejects ${JSON.stringify(value)}`).toBeTypeOf('string');
    });
  }

  it('takes property strings with extra keys as Proxmox does (why phoenix must refuse them itself)', () => {
    expect(pctNet('ip')(INJECTED_VALUES['lxc net.ip'][0]!)).toBeUndefined();
    expect(pctNet('bridge')(INJECTED_VALUES['lxc net.bridge'][0]!)).toBeUndefined();
  });

  it('prints Proxmox\'s own texts', () => {
    expect(pctNet('ip')('10.0.0.300/24')).toBe('invalid format - value does not look like a valid ipv4 network configuration');
    expect(pctNet('hwaddr')('BC:24:11:ZZ:00:01')).toBe('invalid format - value does not look like a valid unicast MAC address');
    expect(option(PCT.hostname!)('web_server')).toBe('invalid format - value does not look like a valid DNS name');
    expect(pctNet('tag')('5000')).toBe('value must have a maximum value of 4094');
    expect(zfs('compression')('gzip-12')).toBe(
      "cannot set property for 'tank/x': 'compression' must be one of 'on | off | lzjb | gzip | gzip-[1-9] | zle | lz4 | zstd | zstd-[1-19] | zstd-fast | zstd-fast-[1-10,20,30,40,50,60,70,80,90,100,500,1000]'",
    );
    expect(zfs('quota')('lots')).toBe("cannot set property for 'tank/x': bad numeric value 'lots'");
    expect(SIMULATOR['ssh public keys']('not a key')).toBe('SSH public key validation error');
    expect(SIMULATOR['vm cpu model']('Skylake')).toBe("invalid format - Built-in cputype 'Skylake' is not defined (missing 'custom-' prefix?)");
    expect(SIMULATOR['vm cpu flags']('+avx')).toMatch(/^invalid format - VM-specific CPU flags must be a subset of: aes, amd-no-ssb, .*virt-ssbd$/);
    expect(SIMULATOR['vm boot device']('efidisk0')).toBe("invalid format - invalid boot device 'efidisk0'");
    expect(qm('ide0', (v) => `local-zfs:vm-100-disk-0,iothread=${v}`)('1')).toBe('property is not defined in schema and the schema does not allow additional properties');
    expect(qm('virtio0', (v) => `local-zfs:vm-100-disk-0,ssd=${v}`)('1')).toBe('property is not defined in schema and the schema does not allow additional properties');
    expect(qm('scsi0', (v) => `local-zfs:vm-100-disk-0,efitype=${v}`)('4m')).toBe('property is not defined in schema and the schema does not allow additional properties');
  });
});
