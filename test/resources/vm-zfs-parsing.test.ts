import { describe, expect, it } from 'vitest';
import { parseGuestConfig } from '../../src/resources/proxmox/guest-config.js';
import { nicOption, normalizeVm, vmAttrsFromConfig } from '../../src/resources/vm/options.js';
import { normalizePropertyValue, parseZfsGet } from '../../src/resources/zfs_dataset/properties.js';
import { storageFor, parseStorageCfg } from '../../src/resources/zfs_dataset/storage-config.js';
/** qemu-server's defaults for the disk options a VM disk config leaves unset. */
const DISK_DEFAULTS = { discard: false, ssd: false, iothread: false, cache: null, aio: null, backup: true, replicate: true };

describe('vm config parsing', () => {
  const config = parseGuestConfig(
    [
      'agent: enabled=1',
      'ciuser: ops',
      'ide2: local-zfs:vm-9000-cloudinit,media=cdrom',
      'ipconfig0: ip=dhcp',
      'net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20',
      'scsi0: local-zfs:vm-9000-disk-0,size=32G',
      'scsi1: local-zfs:vm-9000-disk-1,size=1024M',
      'sshkeys: ssh-ed25519%20AAAA%20ops%40lab%0A',
      'cdrom: none',
    ].join('\n'),
  );
  const attrs = vmAttrsFromConfig(config);

  it('reads the model/MAC pair, VLAN and firewall of a NIC', () => {
    expect(attrs.network).toEqual([{ model: 'virtio', bridge: 'vmbr0', hwaddr: 'BC:24:11:00:00:01', tag: 20, firewall: true, mtu: null }]);
  });
  it('lists data disks only (not the cloud-init drive), with normalised sizes', () => {
    expect(attrs.disks).toEqual([
      { slot: 'scsi0', storage: 'local-zfs', size: '32G', import_from: null, ...DISK_DEFAULTS },
      { slot: 'scsi1', storage: 'local-zfs', size: '1G', import_from: null, ...DISK_DEFAULTS },
    ]);
  });
  it('decodes percent-encoded ssh keys and reads agent=enabled=1 as true', () => {
    expect(attrs.cloud_init).toMatchObject({ user: 'ops', ssh_public_keys: 'ssh-ed25519 AAAA ops@lab', ipconfig: ['ip=dhcp'] });
    expect(attrs.agent).toBe(true);
  });
  it('prints a NIC as qemu-server stores it: model=MAC first, bare model without a MAC', () => {
    expect(nicOption({ model: 'virtio', bridge: 'vmbr0', hwaddr: 'BC:24:11:00:00:01', tag: 20, firewall: true, mtu: null })).toBe(
      'virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1,tag=20',
    );
    expect(nicOption({ bridge: 'vmbr0' })).toBe('virtio,bridge=vmbr0');
  });
  it('normalises config disks and keys so they compare with the host', () => {
    const planned = normalizeVm({ disks: [{ slot: 'scsi1', storage: 'local-zfs', size: '1024M' }, { slot: 'scsi0', storage: 'local-zfs', size: '32G' }], cloud_init: { ssh_public_keys: 'ssh-ed25519 AAAA ops@lab\n' } });
    expect(planned.disks).toEqual(attrs.disks);
    expect((planned.cloud_init as { ssh_public_keys: string }).ssh_public_keys).toBe('ssh-ed25519 AAAA ops@lab');
  });
});

describe('zfs properties', () => {
  it('compares sizes in bytes as zfs get -p prints them, and none as 0', () => {
    expect(normalizePropertyValue('quota', '10G')).toBe('10737418240');
    expect(normalizePropertyValue('recordsize', '1M')).toBe('1048576');
    expect(normalizePropertyValue('quota', 'none')).toBe('0');
    expect(normalizePropertyValue('compression', 'lz4')).toBe('lz4');
  });
  it('parses tab-separated zfs get output per dataset', () => {
    const parsed = parseZfsGet('tank/a\tcompression\tlz4\tlocal\ntank/a\tused\t1024\t-\ntank/b\tcompression\toff\tinherited from tank\n');
    expect(parsed.get('tank/a')?.get('compression')).toEqual({ value: 'lz4', source: 'local' });
    expect(parsed.get('tank/b')?.get('compression')?.source).toBe('inherited from tank');
  });
  it('finds the storage registration of a dataset in storage.cfg', () => {
    const entries = parseStorageCfg('dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl\n\nzfspool: tank-vols\n\tpool tank/vols\n\tcontent rootdir,images\n\tsparse\n');
    expect(storageFor(entries, 'tank/vols', '/tank/vols')).toEqual({ id: 'tank-vols', type: 'zfspool', content: ['images', 'rootdir'] });
    expect(storageFor(entries, 'tank/other', '/tank/other')).toBeNull();
  });
});
