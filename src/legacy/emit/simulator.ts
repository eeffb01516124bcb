/**
 * `convert --simulator`: what the shipped simulator needs to rehearse the estate with no hand-made file.
 * - simulator.auto.hcl: variable values for it (OS templates as `local:vztmpl/FILE`);
 * - .phoenix-sim/sim.json, the simulated node's first-use seed (src/sim/core/env.ts SimSettings): the
 *   default pools plus the pools datasets live in that zfs.pools does not declare, a zfspool storage for
 *   every storage ID a guest names that no dataset registers (`lxc-disks` of older configs, "shared"
 *   datasets), the OS templates and cloud images the guests are made from, and the host directories of
 *   bind mounts that no dataset create makes (lxc-manager.sh made them with `mkdir -p` when missing).
 * The estate itself stays as it is for the real node.
 */
import { attr, comment, type HclItem } from '../hcl-writer.js';
import type { EmitContext } from './context.js';

/** The simulator's own first-use seed (src/sim/core/init.ts): kept, because a seed replaces the default pools. */
const SIM_DEFAULT_POOLS = ['rpool', 'rpool/data', 'tank'];
const SIM_DEFAULT_STORAGES = new Set(['local', 'local-zfs']);

/** The subset of the simulator's sim.json the converter writes. */
export interface SimulatorSeed {
  pools: string[];
  storages: { id: string; type: 'zfspool'; pool: string; content: string }[];
  templates: string[];
  images: string[];
  directories: string[];
}

export function simulatorValues(ctx: EmitContext): HclItem[] {
  const items: HclItem[] = [comment('Values for trying the estate on the shipped simulator (delete this file and .phoenix-sim for a real node).')];
  for (const variable of ctx.variables.values()) {
    if (variable.name.startsWith('lxc_template') && typeof variable.default === 'string') {
      items.push(attr(variable.name, `local:vztmpl/${variable.default.split('/').pop()}`));
    }
  }
  return items;
}

export function simulatorSeed(ctx: EmitContext): SimulatorSeed {
  const undeclaredPools = [...new Set(ctx.estate.datasets.map((d) => d.pool))].filter((p) => !ctx.poolNames.has(p) && !SIM_DEFAULT_POOLS.includes(p));
  const storages: SimulatorSeed['storages'] = [];
  for (const id of ctx.undeclaredStorages.keys()) {
    if (SIM_DEFAULT_STORAGES.has(id)) continue;
    storages.push({ id, type: 'zfspool', pool: `rpool/sim/${id}`, content: 'images,rootdir' });
  }
  const templates = [...ctx.variables.values()]
    .filter((v) => v.name.startsWith('lxc_template') && typeof v.default === 'string')
    .map((v) => String(v.default).split('/').pop()!);
  const images = ctx.estate.guests.filter((g) => g.kind === 'vm' && g.image && !g.cloneFrom).map((g) => `var/lib/vz/template/iso/${g.image!.value.split('/').pop()}`);
  return {
    pools: [...SIM_DEFAULT_POOLS, ...undeclaredPools, ...storages.map((s) => s.pool)],
    storages,
    templates: [...new Set(templates)],
    images: [...new Set(images)],
    directories: bindMountDirectories(ctx),
  };
}

/** Bind-mount sources no dataset create makes: the legacy tool made them on the node (mkdir -p). */
function bindMountDirectories(ctx: EmitContext): string[] {
  const paths = ctx.estate.guests.flatMap((g) => (g.kind === 'lxc' ? g.bindMounts.map((m) => m.hostPath) : []));
  return [...new Set(paths.filter((path) => !ctx.isDatasetMountpoint(path)))].sort();
}
