/** Capacity of a storage as pvesm status and pvesh report it (bytes). */
import type { SimEnv } from '../core/env.js';
import { getProperty, loadZfs } from '../zfs/model.js';
import type { StorageEntry } from './config.js';

const DIR_STORAGE_TOTAL = 100 * 1024 ** 3;
const DIR_STORAGE_USED = 3 * 1024 ** 3;

export interface StorageUsage {
  active: boolean;
  total: number;
  used: number;
  avail: number;
}

export function storageUsage(env: SimEnv, storage: StorageEntry): StorageUsage {
  if (storage.type === 'zfspool') {
    const zfs = loadZfs(env);
    const pool = storage.props.pool ?? '';
    if (!zfs.datasets[pool]) return { active: false, total: 0, used: 0, avail: 0 };
    const used = Number(getProperty(zfs, pool, 'used', true)!.value);
    const avail = Number(getProperty(zfs, pool, 'available', true)!.value);
    return { active: true, total: used + avail, used, avail };
  }
  return { active: true, total: DIR_STORAGE_TOTAL, used: DIR_STORAGE_USED, avail: DIR_STORAGE_TOTAL - DIR_STORAGE_USED };
}
