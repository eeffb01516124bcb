/**
 * First use of a state directory: lay out the host-like tree and seed storages, pools and templates.
 * A marker file keeps later invocations to one `existsSync`.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SimEnv } from './env.js';
import { withNodeLock } from './node-lock.js';
import { DEFAULT_STORAGES, saveStorages, type StorageEntry } from '../storage/config.js';
import { loadZfs, saveZfs, seedPools } from '../zfs/model.js';
import { seedPoolLayouts } from '../zpool/model.js';
import { applianceContent } from '../storage/remote.js';

export const SEEDED_TEMPLATES = [
  'debian-12-standard_12.7-1_amd64.tar.zst',
  'debian-13-standard_13.1-2_amd64.tar.zst',
  'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
  'ubuntu-22.04-standard_22.04-1_amd64.tar.zst',
  'alpine-3.20-default_20240908_amd64.tar.xz',
];

/** Cloud images an operator has downloaded for `import-from` (host paths under the node's root). */
export const SEEDED_IMAGES = [
  'var/lib/vz/import/debian-12-genericcloud-amd64.qcow2',
  'var/lib/vz/template/iso/debian-12-genericcloud-amd64.qcow2',
  'var/lib/vz/template/iso/noble-server-cloudimg-amd64.img',
];

/**
 * /etc/subuid and /etc/subgid: the range Proxmox gives root for unprivileged containers, and uid/gid 1000
 * as the Proxmox wiki ("Unprivileged LXC containers") has an operator add to share files with the host
 * (the homelab's id-mapped container). Tests edit the files to take that away.
 */
export const SEEDED_SUBIDS = 'root:100000:65536\nroot:1000:1\n';

const DEFAULT_POOLS = ['rpool', 'rpool/data', 'tank'];

/** sim.json `storages` as storage.cfg entries (a `dir` storage's directory is created). */
function seededStorages(env: SimEnv): StorageEntry[] {
  return (env.settings.storages ?? []).map((s) => {
    if (s.type === 'dir') mkdirSync(env.path(s.path ?? `/mnt/${s.id}`), { recursive: true });
    const props: Record<string, string> = s.type === 'zfspool' ? { pool: s.pool ?? `rpool/data/${s.id}`, sparse: '1' } : { path: s.path ?? `/mnt/${s.id}` };
    return { type: s.type, id: s.id, props: { ...props, content: s.content ?? 'images,rootdir' } };
  });
}

export async function ensureInitialised(env: SimEnv): Promise<void> {
  const marker = join(env.simDir, 'initialised');
  if (existsSync(marker)) return;
  mkdirSync(env.path('run/lock'), { recursive: true });
  await withNodeLock(env, () => {
    if (existsSync(marker)) return;
    for (const kind of ['lxc', 'qemu'] as const) mkdirSync(env.configDir(kind), { recursive: true });
    mkdirSync(env.path('run/lock/lxc'), { recursive: true });
    mkdirSync(env.path('run/lock/qemu-server'), { recursive: true });
    mkdirSync(env.path('var'), { recursive: true });
    if (!existsSync(env.path('var/lock'))) symlinkSync('../run/lock', env.path('var/lock'));
    if (!existsSync(env.storageConfigPath)) saveStorages(env, [...DEFAULT_STORAGES, ...seededStorages(env)]);
    const cache = env.path('var/lib/vz/template/cache');
    mkdirSync(cache, { recursive: true });
    mkdirSync(env.path('var/lib/vz/template/iso'), { recursive: true });
    for (const template of [...SEEDED_TEMPLATES, ...(env.settings.templates ?? [])]) writeFileSync(join(cache, basename(template)), applianceContent(basename(template)));
    mkdirSync(env.path('var/lib/vz/import'), { recursive: true });
    for (const image of [...SEEDED_IMAGES, ...(env.settings.images ?? [])]) {
      mkdirSync(dirname(env.path(image)), { recursive: true });
      writeFileSync(env.path(image), '');
    }
    for (const directory of env.settings.directories ?? []) mkdirSync(env.path(directory), { recursive: true });
    const zfs = loadZfs(env);
    const storagePools = (env.settings.storages ?? []).flatMap((s) => (s.type === 'zfspool' && s.pool ? [s.pool] : []));
    seedPools(zfs, [...(env.settings.pools ?? DEFAULT_POOLS), ...storagePools].filter((p) => typeof p === 'string' || !p.exported));
    seedPoolLayouts(zfs, env.settings.pools ?? []);
    saveZfs(env, zfs);
    mkdirSync(env.path('var/sim/guests'), { recursive: true });
    for (const file of ['etc/subuid', 'etc/subgid']) writeFileSync(env.path(file), SEEDED_SUBIDS);
    writeFileSync(marker, new Date().toISOString() + '\n');
  });
}
