/** The resource types phoenix ships with. */
import { featureProvider } from './feature/provider.js';
import { lxcProvider } from './lxc/provider.js';
import type { ResourceProvider } from './provider.js';
import { snapshotProvider } from './snapshot/provider.js';
import { testResourceProvider } from './test_resource/index.js';
import { vmProvider } from './vm/provider.js';
import { zfsDatasetProvider } from './zfs_dataset/provider.js';
import { zfsPoolProvider } from './zfs_pool/provider.js';
import { storageProvider } from './storage/provider.js';
import { backupJobProvider } from './backup_job/provider.js';

export function builtinProviders(): ResourceProvider[] {
  return [lxcProvider, vmProvider, zfsPoolProvider, zfsDatasetProvider, storageProvider, backupJobProvider, featureProvider, snapshotProvider, testResourceProvider];
}
