/**
 * host.hcl: the hypervisor itself, from phoenix_hypervisor_config.json and the legacy hypervisor_setup
 * scripts. zfs.pools become zfs_pool resources; nfs.exports a host feature writing /etc/exports plus the
 * NFS storages the legacy setup mounted them as (hypervisor_feature_setup_nfs.sh: `nfs-BASENAME` at
 * /mnt/nfs/nfs-BASENAME); samba.shares a host feature writing the shares; the other setup scripts host
 * features in hypervisor-manager.sh's order.
 */
import { legacyDiagnostic } from '../json-path.js';
import { attr, blank, block, call, comment, heredoc, raw, template, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { LegacyHost, LegacyPool } from '../model.js';
import type { EmitContext } from './context.js';

/** hypervisor-manager.sh's setup sequence without the steps phoenix now generates (zfs, nfs, samba). */
export const HOST_SETUP_SCRIPTS = [
  'hypervisor_initial_setup.sh',
  'hypervisor_feature_configure_vfio.sh',
  'hypervisor_feature_install_nvidia.sh',
  'hypervisor_feature_initialize_nvidia_gpus.sh',
  'hypervisor_feature_setup_firewall.sh',
  'hypervisor_feature_create_heads_user.sh',
  'hypervisor_feature_create_admin_user.sh',
  'hypervisor_feature_provision_shared_resources.sh',
  'hypervisor_feature_setup_apparmor.sh',
  'hypervisor_feature_fix_apparmor_tunables.sh',
];

/** hypervisor_feature_setup_nfs.sh: what it adds every export to Proxmox as. */
const NFS_STORAGE_CONTENT = ['backup', 'images', 'iso', 'snippets', 'vztmpl'];
const NFS_MOUNT_OPTIONS = 'vers=4,soft,timeo=30,retrans=3';

const NFS_SCRIPT = `#!/bin/sh
# Writes the NFS exports phoenix manages and reloads them (converted from hypervisor_feature_setup_nfs.sh).
set -eu
command -v exportfs >/dev/null 2>&1 || { apt-get update && apt-get install -y nfs-kernel-server; }
mkdir -p /etc/exports.d
printf '%s\\n' "$PHOENIX_INPUT_EXPORTS" > /etc/exports.d/phoenix.exports
systemctl enable --now nfs-server
exportfs -ra
`;

const SAMBA_SCRIPT = `#!/bin/sh
# Writes the Samba shares phoenix manages and reloads Samba (converted from hypervisor_feature_setup_samba.sh).
# The Samba password of the share user is not converted: set it once with smbpasswd -a.
set -eu
command -v smbd >/dev/null 2>&1 || { apt-get update && apt-get install -y samba; }
printf '%s\\n' "$PHOENIX_INPUT_SHARES" > /etc/samba/phoenix-shares.conf
grep -q '^include = /etc/samba/phoenix-shares.conf' /etc/samba/smb.conf || printf '\\n[global]\\ninclude = /etc/samba/phoenix-shares.conf\\n' >> /etc/samba/smb.conf
systemctl enable --now smbd
smbcontrol all reload-config
`;

function poolResource(ctx: EmitContext, pool: LegacyPool): HclItem {
  const single = pool.raidLevel === 'single' || pool.raidLevel === 'stripe';
  const type = pool.raidLevel === 'raidz' ? 'raidz1' : pool.raidLevel;
  const vdevs = single ? pool.disks.map((d) => [d]) : [pool.disks];
  return block('resource', ['zfs_pool', ctx.poolNames.get(pool.name)!], [
    comment(
      `${pool.raidLevel} of ${pool.disks.length} disk(s); never destroyed unless allow_destroy = true.`,
      'autotrim as hypervisor_feature_setup_zfs.sh created it (its -O compression=lz4 atime=off root settings are not modelled).',
    ),
    attr('name', pool.name),
    ...vdevs.map((disks) => block('vdev', [], [attr('type', single ? 'disk' : type), attr('disks', disks)])),
    attr('properties', { autotrim: 'on' }),
  ]);
}

/** Datasets a set of host paths lives in: the feature that serves them waits for them. */
function datasetDependencies(ctx: EmitContext, paths: string[]): HclExpr[] {
  return [...new Set(paths.map((p) => ctx.datasetOfPath(p)).filter((a): a is string => a !== undefined))].sort().map((a) => raw(a));
}

function nfsItems(ctx: EmitContext, host: LegacyHost): HclItem[] {
  const { nfsExports, nfsServer } = host;
  if (nfsExports.length === 0) return [];
  const exportsText = nfsExports.map((e) => `${e.path} ${e.clients.map((c) => `${c}(${e.options.join(',')})`).join(' ')}`).join('\n');
  const feature = block('resource', ['feature', 'nfs_exports'], [
    attr('host', true),
    attr('name', 'nfs-exports'),
    attr('script', heredoc(NFS_SCRIPT)),
    attr('inputs', { exports: exportsText }),
    attr('depends_on', datasetDependencies(ctx, nfsExports.map((e) => e.path))),
  ]);
  const items: HclItem[] = [comment('NFS exports (nfs.exports), served by the node.'), feature, blank];
  if (nfsServer === undefined) {
    ctx.diagnostics.push(legacyDiagnostic('warning', nfsExports[0]!.location, 'No NFS server address', 'Neither network.nfs_server nor network.interfaces.address is set: the NFS storages were not converted.'));
    return items;
  }
  const server = ctx.declare({ name: 'nfs_server', type: 'string', default: nfsServer, description: 'Address the node mounts its own NFS exports from (network.nfs_server).' });
  items.push(comment('The exports mounted back as Proxmox storages, as hypervisor_feature_setup_nfs.sh did.'));
  for (const share of nfsExports) {
    const id = `nfs-${share.path.split('/').filter(Boolean).pop() ?? 'root'}`;
    items.push(
      block('resource', ['storage', ctx.allocate('storage', id, 'storage', share.path)], [
        attr('id', id),
        attr('type', 'nfs'),
        attr('server', server),
        attr('export', share.path),
        attr('path', `/mnt/nfs/${id}`),
        attr('options', NFS_MOUNT_OPTIONS),
        attr('content', NFS_STORAGE_CONTENT),
        attr('depends_on', [raw('feature.nfs_exports')]),
      ]),
      blank,
    );
  }
  return items;
}

function sambaItems(ctx: EmitContext, host: LegacyHost): HclItem[] {
  const { sambaShares, sambaUser } = host;
  if (sambaShares.length === 0) return [];
  const sections = sambaShares.map((s) =>
    [`[${s.name}]`, `   path = /${s.path.replace(/^\/+/, '')}`, ...s.options.split(/\s+/).filter(Boolean).map((o) => `   ${o.replace('=', ' = ')}`), ...(s.validUsers.length ? [`   valid users = ${s.validUsers.join(' ')}`] : [])].join('\n'),
  );
  return [
    comment(`Samba shares (samba.shares)${sambaUser ? ` for user ${sambaUser}` : ''}.`),
    block('resource', ['feature', 'samba_shares'], [
      attr('host', true),
      attr('name', 'samba-shares'),
      attr('script', heredoc(SAMBA_SCRIPT)),
      attr('inputs', { shares: sections.join('\n\n') }),
      attr('depends_on', datasetDependencies(ctx, sambaShares.map((s) => `/${s.path.replace(/^\/+/, '')}`))),
    ]),
    blank,
  ];
}

/** The legacy setup scripts that exist, as host features in the legacy order. */
function setupScriptItems(ctx: EmitContext): HclItem[] {
  if (ctx.options.hypervisorSetupDir === undefined) return [];
  const dir = ctx.declare({ name: 'hypervisor_setup_dir', type: 'string', default: ctx.options.hypervisorSetupDir, description: 'Where the legacy host setup scripts (bin/hypervisor_setup) are.' });
  const present = HOST_SETUP_SCRIPTS.filter((file) => ctx.options.hostScriptExists?.(file) ?? true);
  if (present.length === 0) return [];
  const items: HclItem[] = [
    comment(
      'The legacy host setup scripts, run on the node in hypervisor-manager.sh\'s order. They read the legacy JSON file',
      'given as $1 and source phoenix_hypervisor_common_utils.sh: port each to read its PHOENIX_INPUT_* values before',
      'applying on a real node (the simulator only records them).',
    ),
  ];
  let previous: string | undefined;
  for (const file of present) {
    const name = file.replace(/^hypervisor_(feature_)?/, '').replace(/\.sh$/, '').replace(/_/g, '-');
    const resource = ctx.allocate('feature', `host_${name}`, 'host', file);
    items.push(
      block('resource', ['feature', resource], [
        attr('host', true),
        attr('name', name),
        attr('script', call('file', template('', dir, `/${file}`))),
        attr('inputs', { config: '/usr/local/phoenix_hypervisor/etc/phoenix_hypervisor_config.json' }),
        ...(previous ? [attr('depends_on', [raw(`feature.${previous}`)])] : []),
      ]),
      blank,
    );
    previous = resource;
  }
  return items;
}

export function hostFile(ctx: EmitContext): HclItem[] {
  const host = ctx.estate.host;
  if (!host) return [];
  const pools = host.pools.flatMap((p) => [poolResource(ctx, p), blank]);
  const items = [
    ...(pools.length ? [comment('ZFS pools (zfs.pools). phoenix adopts a pool that exists with the same layout and never destroys one on its own.'), ...pools] : []),
    ...nfsItems(ctx, host),
    ...sambaItems(ctx, host),
    ...setupScriptItems(ctx),
  ];
  return items.length > 0 ? [comment('The hypervisor itself, converted from phoenix_hypervisor_config.json and bin/hypervisor_setup.'), blank, ...items] : [];
}
