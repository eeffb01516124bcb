/**
 * `/etc/pve/storage.cfg` in Proxmox's section-config format:
 *   zfspool: local-zfs
 *   \tpool rpool/data
 *   \tsparse
 *   \tcontent images,rootdir
 */
import { readTextOrNull, writeFileAtomic } from '../core/fsutil.js';
import { SimError } from '../core/errors.js';
import type { SimEnv } from '../core/env.js';

export interface StorageEntry {
  type: string;
  id: string;
  /** Options in file order; flags without a value (e.g. `sparse`) are "1". */
  props: Record<string, string>;
}

export function parseStorageConfig(raw: string): StorageEntry[] {
  const entries: StorageEntry[] = [];
  let current: StorageEntry | undefined;
  for (const line of raw.split('\n')) {
    const header = /^(\S+):\s*(\S+)\s*$/.exec(line);
    if (header) {
      current = { type: header[1]!, id: header[2]!, props: {} };
      entries.push(current);
      continue;
    }
    const prop = /^\s+(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    if (prop && current) current.props[prop[1]!] = prop[2] ?? '1';
  }
  return entries;
}

export function renderStorageConfig(entries: StorageEntry[]): string {
  return entries
    .map((entry) => {
      const lines = [`${entry.type}: ${entry.id}`];
      for (const [key, value] of Object.entries(entry.props)) {
        lines.push(value === '1' && FLAG_PROPS.has(key) ? `\t${key}` : `\t${key} ${value}`);
      }
      return lines.join('\n') + '\n';
    })
    .join('\n');
}

const FLAG_PROPS = new Set(['sparse', 'disable', 'shared', 'mkdir']);

export function loadStorages(env: SimEnv): StorageEntry[] {
  return parseStorageConfig(readTextOrNull(env.storageConfigPath) ?? '');
}

export function saveStorages(env: SimEnv, entries: StorageEntry[]): void {
  writeFileAtomic(env.storageConfigPath, renderStorageConfig(entries));
}

export function findStorage(env: SimEnv, id: string): StorageEntry {
  const storage = loadStorages(env).find((entry) => entry.id === id);
  if (!storage) throw new SimError(`storage '${id}' does not exist`);
  return storage;
}

export function storageContent(storage: StorageEntry): Set<string> {
  return new Set((storage.props.content ?? '').split(',').filter(Boolean));
}

export const DEFAULT_STORAGES: StorageEntry[] = [
  { type: 'dir', id: 'local', props: { path: '/var/lib/vz', content: 'iso,vztmpl,backup' } },
  { type: 'zfspool', id: 'local-zfs', props: { pool: 'rpool/data', sparse: '1', content: 'images,rootdir' } },
];
