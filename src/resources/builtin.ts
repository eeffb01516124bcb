/** The resource types phoenix ships with. */
import { downloadFileProvider } from './download_file/provider.js';
import { featureProvider } from './feature/provider.js';
import { lxcProvider } from './lxc/provider.js';
import { osTemplateProvider } from './os_template/provider.js';
import type { ResourceProvider } from './provider.js';
import { snapshotProvider } from './snapshot/provider.js';
import { createTestResourceProvider } from './test_resource/index.js';
import { defaultStore } from './test_resource/store.js';
import { vmProvider } from './vm/provider.js';
import { zfsDatasetProvider } from './zfs_dataset/provider.js';
import { zfsPoolProvider } from './zfs_pool/provider.js';
import { storageProvider } from './storage/provider.js';
import { backupJobProvider } from './backup_job/provider.js';
import { firewallProviders } from './firewall/providers.js';

/**
 * `workingDir`: where host-less providers keep their objects (test_resource's store); without it they keep
 * them in process memory.
 */
export function builtinProviders(workingDir?: string): ResourceProvider[] {
  const testResource = createTestResourceProvider(defaultStore(workingDir));
  return [lxcProvider, vmProvider, zfsPoolProvider, zfsDatasetProvider, storageProvider, backupJobProvider, featureProvider, snapshotProvider, osTemplateProvider, downloadFileProvider, ...firewallProviders, testResource];
}
