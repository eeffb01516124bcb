/**
 * Where the simulated node keeps its state and how it is tuned. Everything lives under PHOENIX_SIM_DIR
 * in the same layout as a Proxmox host, so a provider can read it with ordinary commands under a prefix.
 */
import { join } from 'node:path';
import { readJson } from './fsutil.js';
import { SimError } from './errors.js';

export type GuestKind = 'lxc' | 'qemu';

export interface SimSettings {
  latency_ms?: number;
  /** Real milliseconds one simulated second of guest time lasts (agent start, script runs). Default 20. */
  second_ms?: number;
  /** Simulated seconds a VM's guest agent needs after a (re)start before it answers. Default 15. */
  agent_start_s?: number;
  /** Simulated seconds a script (`sh`/`bash`) runs inside a guest. Default 45: longer than qm guest exec's 30 s default. */
  script_run_s?: number;
  /** Real milliseconds /cluster/resources lags behind a power change (pvestatd updates every 10 s). Default 10000. */
  status_lag_ms?: number;
  /** Simulated seconds a full clone copies per GiB of disk (the source stays locked meanwhile). Default 1. */
  clone_s_per_gib?: number;
  /**
   * Pools (and their size in bytes) seeded on first use. Default: rpool, rpool/data, tank. A pool may give
   * its layout (`vdevs: [{ type: "mirror", disks: [...], class?: "special" }]`, else one simulated disk)
   * and be `exported` (then only `zpool import` brings it in).
   */
  pools?: SeedPool[];
  /** Servers network storages cannot reach (`pvesm add` fails: storage 'X' is not online). */
  offline_servers?: string[];
  /** LVM thin pools as VG/LV (default: pve/data, as a default Proxmox install has). */
  lvm_thinpools?: string[];
  /** Storages in storage.cfg besides the default `local` and `local-zfs` (a zfspool's dataset is seeded too). */
  storages?: { id: string; type: 'zfspool' | 'dir'; pool?: string; path?: string; content?: string }[];
  /** More container templates in `local` (var/lib/vz/template/cache), as an operator downloaded them. */
  templates?: string[];
  /** More files under the node's root (cloud images for `import-from`), e.g. var/lib/vz/template/iso/x.img. */
  images?: string[];
  /** Host directories an operator has made (bind-mount sources such as /mnt/pve/x/app), created on first use. */
  directories?: string[];
}

export type SeedPool =
  | string
  | { name: string; size?: number; exported?: boolean; vdevs?: { type: string; disks: string[]; class?: string }[] };

export class SimEnv {
  readonly dir: string;
  readonly node: string;
  readonly settings: SimSettings;
  /** How long a guest-lock acquisition waits before `got timeout` (Proxmox: 10 s). */
  readonly lockWaitSeconds: number;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const dir = env.PHOENIX_SIM_DIR;
    if (!dir) throw new SimError('PHOENIX_SIM_DIR is not set: the simulated node needs a state directory');
    this.dir = dir;
    this.node = env.PHOENIX_SIM_NODE || 'pve';
    this.settings = readJson<SimSettings>(join(dir, 'sim.json'), {});
    this.lockWaitSeconds = Number(env.PHOENIX_SIM_LOCK_WAIT_S ?? 10);
    const latency = env.PHOENIX_SIM_LATENCY_MS ?? this.settings.latency_ms ?? 0;
    this.latencyMs = Number(latency) || 0;
    const knob = (variable: string | undefined, setting: number | undefined, fallback: number) => {
      const value = Number(variable ?? setting ?? fallback);
      return Number.isFinite(value) && value >= 0 ? value : fallback;
    };
    this.secondMs = knob(env.PHOENIX_SIM_SECOND_MS, this.settings.second_ms, 20);
    this.agentStartSeconds = knob(env.PHOENIX_SIM_AGENT_START_S, this.settings.agent_start_s, 15);
    this.scriptRunSeconds = knob(env.PHOENIX_SIM_SCRIPT_RUN_S, this.settings.script_run_s, 45);
    this.statusLagMs = knob(env.PHOENIX_SIM_STATUS_LAG_MS, this.settings.status_lag_ms, 10_000);
    this.cloneSecondsPerGiB = knob(env.PHOENIX_SIM_CLONE_S_PER_GIB, this.settings.clone_s_per_gib, 1);
  }

  readonly latencyMs: number;
  readonly secondMs: number;
  readonly agentStartSeconds: number;
  readonly scriptRunSeconds: number;
  readonly statusLagMs: number;
  readonly cloneSecondsPerGiB: number;

  /** Real milliseconds of `seconds` simulated guest seconds. */
  guestMs(seconds: number): number {
    return seconds * this.secondMs;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** `nodes/NODE/lxc/ID.conf`: the name Proxmox uses in its "does not exist" message. */
  configName(kind: GuestKind, vmid: number, node = this.node): string {
    return `nodes/${node}/${kind === 'lxc' ? 'lxc' : 'qemu-server'}/${vmid}.conf`;
  }

  configDir(kind: GuestKind, node = this.node): string {
    return this.path('etc/pve/nodes', node, kind === 'lxc' ? 'lxc' : 'qemu-server');
  }

  configPath(kind: GuestKind, vmid: number, node = this.node): string {
    return this.path('etc/pve', this.configName(kind, vmid, node));
  }

  /** The lock file as Proxmox names it in messages (host path, without the state-dir prefix). */
  guestLockHostPath(kind: GuestKind, vmid: number): string {
    return kind === 'lxc' ? `/run/lock/lxc/pve-config-${vmid}.lock` : `/var/lock/qemu-server/lock-${vmid}.conf`;
  }

  /** The lock file on disk; /var/lock is a symlink to /run/lock as on a host, so both spellings work. */
  guestLockPath(kind: GuestKind, vmid: number): string {
    return kind === 'lxc'
      ? this.path('run/lock/lxc', `pve-config-${vmid}.lock`)
      : this.path('run/lock/qemu-server', `lock-${vmid}.conf`);
  }

  /** Node-wide lock: vmid allocation and the shared runtime files (zfs, storage, fault counters). */
  get nodeLockPath(): string {
    return this.path('run/lock/phoenix-sim/node.lock');
  }

  get simDir(): string {
    return this.path('var/sim');
  }

  guestDir(vmid: number): string {
    return this.path('var/sim/guests', String(vmid));
  }

  get storageConfigPath(): string {
    return this.path('etc/pve/storage.cfg');
  }

  get zfsStatePath(): string {
    return this.path('var/sim/zfs.json');
  }

  get execLogPath(): string {
    return this.path('var/sim/exec.log');
  }
}
