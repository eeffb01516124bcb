/**
 * Snapshots shared by pct and qm: a `[name]` config section holding the config at snapshot time (with
 * `snaptime`), `parent:` links forming the tree, and a copy of the guest filesystem that rollback restores
 * and clones start from.
 */
import { rmSync } from 'node:fs';
import { SimError } from '../core/errors.js';
import { replaceDir } from '../core/fsutil.js';
import type { Output } from '../core/output.js';
import type { GuestKind, SimEnv } from '../core/env.js';
import { cloneSection, snapshotNames, type GuestConfigFile } from './config-file.js';
import { newUuid } from './normalize.js';
import { rootfsDir, snapshotFsDir } from './store.js';

/** Keys that describe the guest's state rather than its configuration: not copied into or out of snapshots. */
const NOT_SNAPSHOTTED = ['lock', 'snapstate', 'vmstate', 'runningmachine', 'runningcpu'];

export function assertSnapshotNameUsable(file: GuestConfigFile, name: string): void {
  if (name === 'current') throw new SimError(`unable to use snapshot name 'current' (reserved name)`);
  if (file.sections.has(name)) throw new SimError(`snapshot name '${name}' already used`);
}

export function requireSnapshot(file: GuestConfigFile, name: string): void {
  if (!snapshotNames(file).includes(name)) throw new SimError(`snapshot '${name}' does not exist`);
}

/** A bind or device mount point: its volume is a host path, not a storage volume. */
export function isHostPathMount(key: string, value: string): boolean {
  return /^mp\d+$/.test(key) && value.split(',')[0]!.replace(/^volume=/, '').startsWith('/');
}

/**
 * pve-guest-common AbstractConfig.pm __snapshot_prepare: no snapshot of a template, and only when every
 * volume's storage can snapshot (has_feature 'snapshot'); a CT's bind mount is a host path, which
 * PVE::Storage::volume_has_feature never supports.
 */
function assertSnapshotPossible(kind: GuestKind, file: GuestConfigFile): void {
  const values = file.current.values;
  if (values.template === '1') throw new SimError(`you can't take a snapshot if it's a template`);
  if (kind === 'lxc' && Object.entries(values).some(([key, value]) => isHostPathMount(key, value))) {
    throw new SimError('snapshot feature is not available');
  }
}

export function takeSnapshot(env: SimEnv, kind: GuestKind, vmid: number, file: GuestConfigFile, name: string, description?: string): void {
  assertSnapshotPossible(kind, file);
  assertSnapshotNameUsable(file, name);
  const section = cloneSection(file.current);
  for (const key of NOT_SNAPSHOTTED) delete section.values[key];
  section.values.snaptime = String(Math.floor(Date.now() / 1000));
  section.description = description === undefined ? undefined : description + '\n';
  file.sections.set(name, section);
  file.current.values.parent = name;
  replaceDir(rootfsDir(env, vmid), snapshotFsDir(env, vmid, name));
}

/** Restore config and filesystem from a snapshot (the caller stops the guest first). */
export function rollbackSnapshot(env: SimEnv, kind: GuestKind, vmid: number, file: GuestConfigFile, name: string): void {
  requireSnapshot(file, name);
  const restored = cloneSection(file.sections.get(name)!);
  delete restored.values.snaptime;
  for (const key of NOT_SNAPSHOTTED) delete restored.values[key];
  restored.values.parent = name;
  restored.description = file.current.description;
  // qemu-server QemuConfig.pm __snapshot_rollback_hook: "tell the VM that it's another generation".
  if (kind === 'qemu' && restored.values.vmgenid && restored.values.vmgenid !== '0') restored.values.vmgenid = newUuid();
  file.current = restored;
  file.pending = undefined;
  replaceDir(snapshotFsDir(env, vmid, name), rootfsDir(env, vmid));
}

export function deleteSnapshot(env: SimEnv, vmid: number, file: GuestConfigFile, name: string): void {
  requireSnapshot(file, name);
  const parent = file.sections.get(name)!.values.parent;
  const relink = (values: Record<string, string>) => {
    if (values.parent !== name) return;
    if (parent === undefined) delete values.parent;
    else values.parent = parent;
  };
  relink(file.current.values);
  for (const other of file.sections.values()) relink(other.values);
  file.sections.delete(name);
  rmSync(snapshotFsDir(env, vmid, name), { recursive: true, force: true });
}

interface TreeNode {
  name: string;
  parent?: string;
  snaptime?: number;
  description: string;
  children: string[];
}

/** GuestHelpers::print_snapshot_tree. */
export function printSnapshotTree(out: Output, file: GuestConfigFile): void {
  const nodes = new Map<string, TreeNode>();
  for (const name of snapshotNames(file)) {
    const section = file.sections.get(name)!;
    nodes.set(name, {
      name,
      parent: section.values.parent,
      snaptime: section.values.snaptime ? Number(section.values.snaptime) : undefined,
      description: section.description ?? '',
      children: [],
    });
  }
  nodes.set('current', { name: 'current', parent: file.current.values.parent, description: 'You are here!', children: [] });
  const roots: string[] = [];
  for (const node of nodes.values()) {
    if (node.parent && nodes.has(node.parent)) nodes.get(node.parent)!.children.push(node.name);
    else roots.push(node.name);
  }
  const bySnaptime = (a: string, b: string) => {
    const ta = nodes.get(a)!.snaptime;
    const tb = nodes.get(b)!.snaptime;
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return ta - tb;
  };
  const printNode = (prefix: string, name: string) => {
    const node = nodes.get(name)!;
    const description = (node.description || 'no-description').split('\n')[0];
    const time = node.snaptime === undefined ? '' : formatLocalTime(node.snaptime);
    const width = Math.max(0, 30 - prefix.length);
    out.line(`${prefix} ${name.padEnd(width)} ${time.padEnd(23)} ${description}`);
    for (const child of node.children.sort(bySnaptime)) printNode(`    ${prefix}`, child);
  };
  for (const root of roots.sort(bySnaptime)) printNode('`->', root);
}

/** strftime("%F %H:%M:%S", localtime). */
export function formatLocalTime(epoch: number): string {
  const d = new Date(epoch * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

