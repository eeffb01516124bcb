/**
 * The kill campaign's view of a simulated node (src/bench/kill-campaign.ts): every object phoenix can
 * create — guests, datasets, pools, storages, backup jobs, downloaded files — each with a fingerprint
 * (to prove an object was left untouched) and the ownership proof it carries; which node object each
 * state record stands for; and hand-made objects ("squatters") planted at identities phoenix may want.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { splitCommentMarker } from '../resources/proxmox/comment-marker.js';
import type { StateFile } from '../state/model.js';

export const SIM_BIN = join(import.meta.dirname, '../sim/bin');
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
/** Volumes of a guest (rpool/data/subvol-900-disk-0, vm-301-cloudinit…) belong to the guest. */
const GUEST_VOLUME = /(?:^|\/)(?:subvol|basevol|vm|base)-\d+-(?:disk|cloudinit|state)[^/]*$/;
/** Storages whose files the campaign watches (the ones its config downloads into). */
const FILE_STORAGES = ['local'];

/** One object on the node: `ct:105`, `ds:tank/media`, `file:local:iso/x.iso`… */
export interface NodeObject {
  /** What identifies its content and settings: changes when anything about it changes. */
  fingerprint: string;
  /** The ownership proof it carries (guest marker token, dataset or pool `phoenix:owner`, job comment marker, file stamp), or null. */
  proof: string | null;
}

export class SimNode {
  constructor(readonly simDir: string) {}

  tool(tool: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [join(SIM_BIN, tool), ...args], { encoding: 'utf8', env: { ...process.env, PHOENIX_SIM_DIR: this.simDir } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  objects(): Map<string, NodeObject> {
    const found = new Map<string, NodeObject>();
    this.guests(found);
    this.datasets(found);
    for (const section of this.configSections('storage.cfg')) found.set(`storage:${section.id}`, { fingerprint: section.text, proof: null });
    for (const section of this.configSections('jobs.cfg')) {
      // A job's proof is the marker at the end of its comment, read as the provider reads it.
      const comment = /^\tcomment (.*)$/m.exec(section.text)?.[1] ?? null;
      found.set(`job:${section.id}`, { fingerprint: section.text, proof: splitCommentMarker(comment, `backup_job/${section.id}`).owner });
    }
    for (const storage of FILE_STORAGES) {
      const listing = this.tool('pvesh', 'get', `/nodes/pve/storage/${storage}/content`, '--output-format', 'json');
      for (const file of JSON.parse(listing.stdout || '[]') as { volid: string; size: number; ctime: number }[]) {
        const stamp = `file-ctime:${file.ctime}/size:${file.size}`;
        found.set(`file:${file.volid}`, { fingerprint: `${stamp}/${this.fileDigest(file.volid)}`, proof: stamp });
      }
    }
    return found;
  }

  private guests(found: Map<string, NodeObject>): void {
    for (const [tool, kind, dir] of [['pct', 'ct', 'lxc'], ['qm', 'vm', 'qemu-server']] as const) {
      for (const line of this.tool(tool, 'list').stdout.split('\n').slice(1)) {
        const vmid = Number(line.trim().split(/\s+/)[0]);
        if (!(vmid > 0)) continue;
        const path = join(this.simDir, 'etc/pve/nodes/pve', dir, `${vmid}.conf`);
        const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
        const marker = new RegExp(`^#phoenix-owner: (\\S+) ${kind === 'ct' ? 'lxc' : 'qemu'}/${vmid}$`, 'm').exec(decodeLines(text.split('\n[')[0]!));
        found.set(`${kind}:${vmid}`, { fingerprint: text, proof: marker ? marker[1]! : null });
      }
    }
  }

  private datasets(found: Map<string, NodeObject>): void {
    const pools = new Set(this.tool('zpool', 'list', '-H', '-o', 'name').stdout.split('\n').filter(Boolean));
    const local = new Map<string, string[]>();
    for (const line of this.tool('zfs', 'get', '-H', '-o', 'name,property,value,source', 'all').stdout.split('\n')) {
      const [name, property, value, source] = line.split('\t');
      if (!name || GUEST_VOLUME.test(name)) continue;
      if (!local.has(name)) local.set(name, []);
      if (source === 'local') local.get(name)!.push(`${property}=${value}`);
    }
    for (const [name, properties] of local) {
      const owner = properties.find((p) => p.startsWith('phoenix:owner='))?.slice('phoenix:owner='.length).split(' ');
      const proof = owner && owner[1] === name ? owner[0]! : null;
      // A pool's root dataset is the pool.
      found.set(pools.has(name) ? `pool:${name}` : `ds:${name}`, { fingerprint: properties.sort().join('\n'), proof });
    }
  }

  /** `type: id` sections of a cluster config file (storage.cfg, jobs.cfg) with their text. */
  private configSections(file: string): { id: string; text: string }[] {
    const path = join(this.simDir, 'etc/pve', file);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split(/\n(?=\S)/)
      .map((text) => ({ id: /^\S+:\s*(\S+)/.exec(text)?.[1], text: text.trim() }))
      .filter((s): s is { id: string; text: string } => s.id !== undefined);
  }

  /** Where the simulator keeps a file of the `local` storage (/var/lib/vz). */
  filePath(volid: string): string {
    const match = /^local:(iso|vztmpl)\/(.+)$/.exec(volid)!;
    return join(this.simDir, 'var/lib/vz/template', match[1] === 'iso' ? 'iso' : 'cache', match[2]!);
  }

  private fileDigest(volid: string): string {
    const path = this.filePath(volid);
    return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
  }

  /** Makes an object by hand (not through phoenix) at `key`; false when the node refuses. */
  plant(key: string): boolean {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'ct') return this.tool('pct', 'create', id, TEMPLATE, '--rootfs', 'local-zfs:4', '--hostname', 'squatter', '--description', 'made by hand').code === 0;
    if (kind === 'vm') return this.tool('qm', 'create', id, '--name', 'squatter', '--description', 'made by hand').code === 0;
    if (kind === 'ds') return this.tool('zfs', 'create', '-o', 'comment:by=hand', id).code === 0;
    if (kind === 'file') {
      const path = this.filePath(id);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `a file made by hand at ${id}\n`);
      return true;
    }
    return false;
  }

  remove(key: string): void {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'ct') this.tool('pct', 'destroy', id);
    else if (kind === 'vm') this.tool('qm', 'destroy', id);
    else if (kind === 'ds') this.tool('zfs', 'destroy', '-r', id);
    else if (kind === 'file') this.tool('pvesh', 'delete', `/nodes/pve/storage/${id.slice(0, id.indexOf(':'))}/content/${id}`);
  }
}

/** The node objects a state record (or a pending create's attributes) stands for. */
export function objectKeys(type: string, attrs: Record<string, unknown>): string[] {
  const keys: string[] = [];
  const storage = attrs.storage as { id?: unknown } | null | undefined;
  if ((type === 'lxc' || type === 'vm') && typeof attrs.vmid === 'number') keys.push(`${type === 'lxc' ? 'ct' : 'vm'}:${attrs.vmid}`);
  if (type === 'zfs_dataset' && typeof attrs.name === 'string') {
    keys.push(`ds:${attrs.name}`);
    if (storage && typeof storage === 'object' && typeof storage.id === 'string') keys.push(`storage:${storage.id}`);
  }
  if (type === 'zfs_pool' && typeof attrs.name === 'string') keys.push(`pool:${attrs.name}`);
  if (type === 'storage' && typeof attrs.id === 'string') keys.push(`storage:${attrs.id}`);
  if (type === 'backup_job' && typeof attrs.id === 'string') keys.push(`job:${attrs.id}`);
  if ((type === 'os_template' || type === 'download_file') && typeof (attrs.volid ?? attrs.id) === 'string') keys.push(`file:${String(attrs.volid ?? attrs.id)}`);
  return keys;
}

/** Every node object the state holds, with the proof it recorded for it (undefined: a type without proof). */
export function heldObjects(state: StateFile): Map<string, { address: string; owner: string | undefined }> {
  const held = new Map<string, { address: string; owner: string | undefined }>();
  for (const r of state.resources) {
    objectKeys(r.type, r.attributes).forEach((key, i) => held.set(key, { address: r.address, owner: i === 0 ? r.owner : undefined }));
  }
  return held;
}

/** The identity of a pending create, as node keys (the object it was creating). */
export function pendingKeys(state: StateFile): { key: string; address: string }[] {
  return state.pending
    .filter((p) => p.action === 'create')
    .flatMap((p) => objectKeys(p.type, { ...(p.planned ?? {}), ...p.identity }).slice(0, 1).map((key) => ({ key, address: p.address })));
}

function decodeLines(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
