/**
 * Proxmox storage registrations of datasets, read from `/etc/pve/storage.cfg` (section config:
 * `TYPE: ID` headers followed by tab-indented `key value` lines).
 */
import type { ValueObject } from '../../config/values.js';

export interface StorageEntry {
  type: string;
  id: string;
  props: Record<string, string>;
}

export function parseStorageCfg(text: string): StorageEntry[] {
  const entries: StorageEntry[] = [];
  let current: StorageEntry | undefined;
  for (const line of text.split('\n')) {
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

/** The storage entry backed by this dataset: a zfspool on it, or a dir at its mountpoint. */
export function storageFor(entries: StorageEntry[], dataset: string, mountpoint: string | undefined): ValueObject | null {
  const entry = entries.find(
    (e) => (e.type === 'zfspool' && e.props.pool === dataset) || (e.type === 'dir' && mountpoint !== undefined && e.props.path === mountpoint),
  );
  if (!entry) return null;
  const content = (entry.props.content ?? '').split(',').filter((c) => c !== '').sort();
  return { id: entry.id, type: entry.type, content };
}
