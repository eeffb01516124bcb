/**
 * The host part of phoenix_hypervisor_config.json: zfs.pools, nfs.exports (+ network.nfs_server, or the
 * node's own address, which the legacy NFS setup mounts its exports from), samba.user and samba.shares.
 * Fields read here are consumed; the rest of `network`, `nfs` and `samba` stays a comment.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields, type UnmodelledField } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import type { LegacyHost, LegacyNfsExport, LegacyPool, LegacySambaShare } from './model.js';

const RAID_LEVELS = ['mirror', 'single', 'stripe', 'raidz', 'raidz1', 'raidz2', 'raidz3'];

export function readPools(zfs: LegacyFields, diagnostics: Diagnostic[]): LegacyPool[] {
  const pools: LegacyPool[] = [];
  (zfs.array('pools') ?? []).forEach((item, index) => {
    const f = LegacyFields.of(item, zfs.at('pools', index), diagnostics);
    const name = f.string('name');
    // hypervisor_feature_setup_zfs.sh compares "mirror" and "RAIDZ1": the case varies.
    const raidLevel = (f.string('raid_level') ?? 'single').toLowerCase();
    const disks = f.strings('disks').map((d) => d.value);
    if (name === undefined || disks.length === 0) {
      diagnostics.push(legacyDiagnostic('warning', f.location, 'Pool without "name" or "disks" skipped', 'Both are needed to declare a zfs_pool.'));
      return;
    }
    if (!RAID_LEVELS.includes(raidLevel)) {
      diagnostics.push(legacyDiagnostic('warning', f.at('raid_level'), `Unknown raid_level "${raidLevel}"`, `Use one of ${RAID_LEVELS.join(', ')}; pool ${name} was not converted.`));
      return;
    }
    f.reportUnmodelled(`pool ${name}`);
    pools.push({ name, raidLevel, disks, location: f.location });
  });
  return pools;
}

export function readHost(top: LegacyFields, pools: LegacyPool[], diagnostics: Diagnostic[]): { host: LegacyHost; unmodelled: UnmodelledField[] } {
  const unmodelled: UnmodelledField[] = [];
  const host: LegacyHost = { pools, nfsExports: [], sambaShares: [] };
  const nfs = top.object('nfs');
  if (nfs) {
    (nfs.array('exports') ?? []).forEach((item, index) => {
      const f = LegacyFields.of(item, nfs.at('exports', index), diagnostics);
      const path = f.string('path');
      if (path === undefined) return;
      const share: LegacyNfsExport = { path, clients: f.strings('clients').map((c) => c.value), options: f.strings('options').map((o) => o.value), location: f.location };
      f.reportUnmodelled(`NFS export ${path}`);
      host.nfsExports.push(share);
    });
    unmodelled.push(...nfs.reportUnmodelled('the NFS exports').map((f) => ({ ...f, key: `nfs.${f.key}` })));
  }
  const network = top.object('network');
  if (network) {
    host.nfsServer = network.string('nfs_server');
    const address = network.object('interfaces')?.string('address');
    host.nfsServer ??= address?.split('/')[0];
    // Only the NFS server address is used: the rest of the network settings stays a comment, as before.
    unmodelled.push({ key: 'network', value: network.json, location: top.at('network') });
    diagnostics.push(legacyDiagnostic('warning', top.at('network'), 'Legacy field "network" is not modelled by phoenix', 'Kept as a comment next to the node; only the NFS server address is used.'));
  }
  const samba = top.object('samba');
  if (samba) {
    host.sambaUser = samba.string('user');
    (samba.array('shares') ?? []).forEach((item, index) => {
      const f = LegacyFields.of(item, samba.at('shares', index), diagnostics);
      const name = f.string('name');
      const path = f.string('path');
      if (name === undefined || path === undefined) return;
      const share: LegacySambaShare = { name, path, options: f.string('options') ?? '', validUsers: f.strings('valid_users').map((u) => u.value), location: f.location };
      f.reportUnmodelled(`Samba share ${name}`);
      host.sambaShares.push(share);
    });
    unmodelled.push(...samba.reportUnmodelled('the Samba shares').map((f) => ({ ...f, key: `samba.${f.key}` })));
  }
  return { host, unmodelled };
}
