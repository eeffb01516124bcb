/**
 * `id_maps` and bind-mount owners of the 2025-11 legacy versions, converted as lxc-manager.sh applied
 * them: id_maps only ever produced Proxmox's default map, owner_uid/owner_gid chowned the host directory
 * to the container's ids under that map (100000 + id).
 */
import { describe, expect, it } from 'vitest';
import { convert, loadOutput, lxcFile, resourceBlock, withSubject } from './helpers.js';

const TEMPLATE = '/var/lib/vz/template/cache/debian-12-standard_12.7-1_amd64.tar.zst';
const at = (id: string, path: string) => `phoenix_lxc_configs.json $.lxc_configs["${id}"]${path}`;

describe('legacy id_maps and bind-mount owners', () => {
  const result = convert({
    'phoenix_lxc_configs.json': lxcFile({
      '900': {
        name: 'web',
        template: TEMPLATE,
        unprivileged: true,
        id_maps: [{ type: 'gid', host_id: 33, container_id: 33, size: 1 }],
        mount_points: [
          { host_path: '/srv/www', container_path: '/var/www', owner_uid: 33, owner_gid: 33 },
          { host_path: '/srv/logs', container_path: '/var/log/web', owner_uid: 33 },
        ],
      },
      '901': { name: 'legacy', template: TEMPLATE, mount_points: [{ host_path: '/srv/ssl', container_path: '/etc/ssl/private', owner_uid: 0, owner_gid: 0 }] },
    }),
  });

  it('declares no id map, and says the entries were never applied', () => {
    expect(resourceBlock(result, 'lxc', 'web')).not.toContain('id_map');
    expect(withSubject(result.diagnostics, at('900', '.id_maps')).map((d) => d.summary)).toEqual(['id_maps of container 900 were never applied by the legacy tool']);
  });

  it('gives a bind mount with both ids its owner, as the container sees it', () => {
    const web = resourceBlock(result, 'lxc', 'web');
    expect(web).toMatch(/volume\s+= "\/srv\/www"\n\s+path\s+= "\/var\/www"\n\s+owner_uid = 33\n\s+owner_gid = 33/);
    expect(web).toMatch(/volume = "\/srv\/logs"\n\s+path\s+= "\/var\/log\/web"\n\s+\}/);
    expect(withSubject(result.diagnostics, at('900', '.mount_points[1].owner_uid')).map((d) => d.summary)).toEqual(['owner_uid without its pair was ignored']);
  });

  it('warns that the legacy tool shifted the owner of a privileged container\'s mount', () => {
    expect(resourceBlock(result, 'lxc', 'legacy')).toMatch(/owner_uid = 0\n\s+owner_gid = 0/);
    const [warning] = withSubject(result.diagnostics, at('901', '.mount_points[0].owner_uid'));
    expect(warning?.detail).toContain('chowned the directory to 100000:100000');
  });

  it('names every bind-mount source the node must have, and phoenix loads the output without diagnostics', () => {
    const sources = result.diagnostics.filter((d) => d.summary.startsWith('Bind-mount source')).map((d) => d.summary);
    expect(sources).toEqual(['/srv/www', '/srv/logs', '/srv/ssl'].map((p) => `Bind-mount source ${p} must exist on the node`));
    expect(loadOutput(result).diagnostics).toEqual([]);
  });
});
