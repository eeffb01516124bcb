/**
 * First-class id maps and the owners of bind mounts: the `lxc.idmap` ranges phoenix writes around the
 * mapped ids (the layout of lxc-manager.sh and the Proxmox wiki), the host id a container id is stored
 * as, reading the lines back, and the values validate refuses before any host is asked.
 */
import { describe, expect, it } from 'vitest';
import type { Attrs } from '../../src/config/values.js';
import { containerIdOf, hostIdOf, idMapLines, idMapsFromLines } from '../../src/resources/lxc/idmap.js';
import { validateLxc } from '../../src/resources/lxc/validate.js';

const lxc = (extra: Attrs) => validateLxc({ vmid: 100, ostemplate: 'local:vztmpl/debian-12.tar.zst', unprivileged: true, ...extra });
const summaries = (extra: Attrs) => lxc(extra).filter((d) => d.severity === 'error').map((d) => `${d.attribute?.join('.')}: ${d.summary}`);
const BIND = { slot: 'mp0', volume: '/tank/photos', path: '/photos' };

describe('lxc id maps', () => {
  it('writes the ranges around mapped ids, uid and gid, every other id shifted by 100000', () => {
    expect(idMapLines([{ container_uid: 1000, host_uid: 1000, container_gid: 1000, host_gid: 1000 }])).toEqual([
      'lxc.idmap: u 0 100000 1000',
      'lxc.idmap: u 1000 1000 1',
      'lxc.idmap: u 1001 101001 64535',
      'lxc.idmap: g 0 100000 1000',
      'lxc.idmap: g 1000 1000 1',
      'lxc.idmap: g 1001 101001 64535',
    ]);
    // Only a gid mapped, a range of 3, and a second map below it: uids keep the plain shift.
    expect(idMapLines([{ container_gid: 44, host_gid: 44, count: 3 }, { container_gid: 10, host_gid: 5000 }])).toEqual([
      'lxc.idmap: u 0 100000 65536',
      'lxc.idmap: g 0 100000 10',
      'lxc.idmap: g 10 5000 1',
      'lxc.idmap: g 11 100011 33',
      'lxc.idmap: g 44 44 3',
      'lxc.idmap: g 47 100047 65489',
    ]);
    // A map that is the default shift writes nothing: Proxmox's own map applies.
    expect(idMapLines([{ container_uid: 5, host_uid: 100005 }])).toEqual([]);
  });

  it('reads its own lines back as the same list, and leaves foreign lines raw', () => {
    const declared = [{ container_uid: 1000, host_uid: 1000, container_gid: 1000, host_gid: 1000, count: 1 }];
    expect(idMapsFromLines([...idMapLines(declared), 'lxc.cap.drop: sys_time'])).toEqual({ idMaps: declared, rest: ['lxc.cap.drop: sys_time'] });
    // Hand-written: uid 1000 mapped, but the ids above it left out (and no gid ranges).
    const foreign = ['lxc.idmap: u 0 100000 1000', 'lxc.idmap: u 1000 1000 1'];
    expect(idMapsFromLines(foreign)).toEqual({ idMaps: [], rest: foreign });
  });

  it('stores a container id as its host id through the maps, and reads it back', () => {
    const maps = [{ container_uid: 1000, host_uid: 1000 }];
    expect(hostIdOf(1000, 'u', true, maps)).toBe(1000);
    expect(hostIdOf(1000, 'g', true, maps)).toBe(101000);
    expect(hostIdOf(2000, 'u', true, [])).toBe(102000);
    expect(hostIdOf(2000, 'u', false, [])).toBe(2000);
    expect(hostIdOf(70000, 'u', true, [])).toBeUndefined();
    expect(containerIdOf(101000, 'g', true, maps)).toBe(1000);
    expect(containerIdOf(1000, 'u', true, [])).toBeUndefined();
  });

  it('refuses overlapping maps, half a pair, maps of a privileged container, and owners it cannot map', () => {
    expect(summaries({ id_map: [{ container_uid: 1000, host_uid: 1000 }] })).toEqual([]);
    expect(summaries({ id_map: [{ container_uid: 1000, host_uid: 1000 }, { container_uid: 1000, host_uid: 2000 }] })).toEqual(['id_map: Overlapping id maps']);
    // Host id 100500 is where the default shift puts container id 500.
    expect(summaries({ id_map: [{ container_uid: 1000, host_uid: 100500 }] })).toEqual(['id_map: Overlapping id maps']);
    expect(summaries({ id_map: [{ container_uid: 1000 }] })).toEqual(['id_map.0.container_uid: id_map[0] needs both container_uid and host_uid']);
    expect(summaries({ id_map: [{ container_uid: 1000, host_uid: 1000 }], unprivileged: false })).toEqual(['id_map: id_map needs unprivileged = true']);
    expect(summaries({ id_map: [{ container_uid: 1000, host_uid: 1000 }], unprivileged: undefined })).toEqual(['id_map: id_map needs unprivileged = true']);

    expect(summaries({ mountpoint: [{ ...BIND, owner_uid: 1000, owner_gid: 1000 }] })).toEqual([]);
    expect(summaries({ mountpoint: [{ ...BIND, owner_uid: 70000 }] })).toEqual(['mountpoint.0.owner_uid: owner_uid 70000 is not mapped']);
    expect(summaries({ mountpoint: [{ ...BIND, volume: 'local-zfs', size: '4G', owner_uid: 1000 }] })).toEqual([
      'mountpoint.0.owner_uid: owner_uid needs a bind mount',
    ]);
    expect(summaries({ mountpoint: [{ ...BIND, owner_uid: 1000 }], unprivileged: undefined })).toEqual([
      'mountpoint.0.owner_uid: owner_uid needs unprivileged to be set',
    ]);
  });
});
