/**
 * Guests on disk: their config files (Proxmox format), their runtime state (`var/sim/guests/ID/state.json`)
 * and the per-guest lock Proxmox takes for every config change.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SimError, EXIT_ENOENT } from '../core/errors.js';
import { readJson, readTextOrNull, sleep, writeFileAtomic, writeJson } from '../core/fsutil.js';
import { withLock } from '../core/lock.js';
import { withNodeLock } from '../core/node-lock.js';
import type { GuestKind, SimEnv } from '../core/env.js';
import { parseConfigFile, renderConfigFile, type GuestConfigFile } from './config-file.js';
import { nowSeconds, randomPid } from './normalize.js';

export interface GuestRuntime {
  status: 'running' | 'stopped';
  pid?: number;
  /** Epoch seconds of the last start. */
  startedAt?: number;
  /** Epoch milliseconds of the last (re)boot: a VM's guest agent answers `agent_start_s` later. */
  bootedAtMs?: number;
  /** The power state before the last change, and when it changed: what pvestatd still reports meanwhile. */
  previousStatus?: 'running' | 'stopped';
  statusChangedAtMs?: number;
  /** Cloud-init values the guest was last given (`qm cloudinit update`). */
  cloudinit?: Record<string, string>;
}

export interface LoadedConfig {
  file: GuestConfigFile;
  raw: string;
}

export function kindLabel(kind: GuestKind): 'CT' | 'VM' {
  return kind === 'lxc' ? 'CT' : 'VM';
}

/** The CLI that manages this kind of guest. */
export function toolName(kind: GuestKind): 'pct' | 'qm' {
  return kind === 'lxc' ? 'pct' : 'qm';
}

export function missingConfigError(env: SimEnv, kind: GuestKind, vmid: number, exitCode = EXIT_ENOENT): SimError {
  return new SimError(`Configuration file '${env.configName(kind, vmid)}' does not exist`, exitCode);
}

export function tryLoadConfig(env: SimEnv, kind: GuestKind, vmid: number, node = env.node): LoadedConfig | null {
  const raw = readTextOrNull(env.configPath(kind, vmid, node));
  return raw === null ? null : { file: parseConfigFile(raw), raw };
}

export function loadConfig(env: SimEnv, kind: GuestKind, vmid: number, exitCode = EXIT_ENOENT): LoadedConfig {
  const loaded = tryLoadConfig(env, kind, vmid);
  if (!loaded) throw missingConfigError(env, kind, vmid, exitCode);
  return loaded;
}

export function saveConfig(env: SimEnv, kind: GuestKind, vmid: number, file: GuestConfigFile): void {
  writeFileAtomic(env.configPath(kind, vmid), renderConfigFile(file, kind));
}

export function deleteGuestFiles(env: SimEnv, kind: GuestKind, vmid: number): void {
  const { pid } = readRuntime(env, vmid);
  if (pid) unlinkProcRoot(env, pid);
  rmSync(env.configPath(kind, vmid), { force: true });
  rmSync(env.guestDir(vmid), { recursive: true, force: true });
}

export function listGuestIds(env: SimEnv, kind: GuestKind, node = env.node): number[] {
  const dir = env.configDir(kind, node);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^(\d+)\.conf$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Nodes of the simulated cluster: this one first, then every other node with a directory in etc/pve/nodes. */
export function clusterNodes(env: SimEnv): string[] {
  const nodesDir = env.path('etc/pve/nodes');
  const nodes = existsSync(nodesDir) ? readdirSync(nodesDir).sort() : [];
  return [env.node, ...nodes.filter((n) => n !== env.node)];
}

/** Which node and kind hold this vmid anywhere in the (simulated) cluster. */
export function findGuest(env: SimEnv, vmid: number): { node: string; kind: GuestKind } | null {
  for (const node of clusterNodes(env)) {
    for (const kind of ['lxc', 'qemu'] as const) {
      if (existsSync(env.configPath(kind, vmid, node))) return { node, kind };
    }
  }
  return null;
}

/** PVE::Cluster::check_vmid_unused. Call under the node lock. */
export function assertVmidUnused(env: SimEnv, vmid: number, prefix = ''): void {
  const found = findGuest(env, vmid);
  if (found) throw new SimError(`${prefix}${kindLabel(found.kind)} ${vmid} already exists on node '${found.node}'`);
}

export function readRuntime(env: SimEnv, vmid: number): GuestRuntime {
  return readJson<GuestRuntime>(join(env.guestDir(vmid), 'state.json'), { status: 'stopped' });
}

export function writeRuntime(env: SimEnv, vmid: number, runtime: GuestRuntime): void {
  const before = readRuntime(env, vmid);
  writeJson(join(env.guestDir(vmid), 'state.json'), runtime);
  if (before.pid !== runtime.pid) {
    if (before.pid) unlinkProcRoot(env, before.pid);
    if (runtime.status === 'running' && runtime.pid && existsSync(env.configPath('lxc', vmid))) linkProcRoot(env, vmid, runtime.pid);
  }
}

/**
 * `/proc/PID/root` of a running container's init: on a host, the container's root filesystem as its
 * processes see it (the prestart hook mounts the rootfs in the container's own mount namespace, so
 * `/var/lib/lxc/ID/rootfs` stays empty on the host; pve-container src/lxc-pve-prestart-hook). The
 * simulator keeps that view as a symlink to the guest's directory while it runs. A VM's pid is a
 * QEMU process whose root is the host's: no link.
 */
function linkProcRoot(env: SimEnv, vmid: number, pid: number): void {
  const dir = env.path('proc', String(pid));
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'root'), { force: true });
  symlinkSync(rootfsDir(env, vmid), join(dir, 'root'));
}

function unlinkProcRoot(env: SimEnv, pid: number): void {
  rmSync(env.path('proc', String(pid)), { recursive: true, force: true });
}

/** A power change remembers the state before it (a reboot is no change). */
function statusChange(runtime: GuestRuntime, next: GuestRuntime['status']): Partial<GuestRuntime> {
  return runtime.status === next ? {} : { previousStatus: runtime.status, statusChangedAtMs: Date.now() };
}

/** The runtime after a (re)start: running, with a fresh pid and start time. */
export function startedRuntime(runtime: GuestRuntime): GuestRuntime {
  return { ...runtime, ...statusChange(runtime, 'running'), status: 'running', pid: randomPid(), startedAt: nowSeconds(), bootedAtMs: Date.now() };
}

export function stoppedRuntime(runtime: GuestRuntime): GuestRuntime {
  return { ...runtime, ...statusChange(runtime, 'stopped'), status: 'stopped', pid: undefined, startedAt: undefined, bootedAtMs: undefined };
}

/** A new guest's runtime: stopped, or running when created with `--start`; pvestatd has not seen it yet. */
export function createdRuntime(start: boolean): GuestRuntime {
  const runtime: GuestRuntime = start ? startedRuntime({ status: 'stopped' }) : { status: 'stopped' };
  return { ...runtime, previousStatus: undefined, statusChangedAtMs: Date.now() };
}

/**
 * The status `/cluster/resources` shows: pvestatd refreshes it every 10 s (pve-manager
 * PVE/Service/pvestatd.pm, updatetime), so for `status_lag_ms` after a change it still reports the
 * state before it, or `unknown` for a guest it has not seen yet (PVE/API2Tools.pm extract_vm_stats).
 */
export function reportedStatus(env: SimEnv, runtime: GuestRuntime): string {
  const changedAt = runtime.statusChangedAtMs;
  if (changedAt !== undefined && Date.now() - changedAt < env.statusLagMs) return runtime.previousStatus ?? 'unknown';
  return runtime.status;
}

/** Whether a running VM's guest agent answers yet: it starts `agent_start_s` guest seconds after boot. */
export function agentRunning(env: SimEnv, runtime: GuestRuntime): boolean {
  if (runtime.status !== 'running') return false;
  return runtime.bootedAtMs === undefined || Date.now() - runtime.bootedAtMs >= env.guestMs(env.agentStartSeconds);
}

export function isRunning(env: SimEnv, vmid: number): boolean {
  return readRuntime(env, vmid).status === 'running';
}

export function rootfsDir(env: SimEnv, vmid: number): string {
  return join(env.guestDir(vmid), 'rootfs');
}

export function snapshotFsDir(env: SimEnv, vmid: number, snapname: string): string {
  return join(env.guestDir(vmid), 'snapshots', snapname);
}

export function lockTimeoutError(env: SimEnv, kind: GuestKind, vmid: number): SimError {
  return new SimError(`can't lock file '${env.guestLockHostPath(kind, vmid)}' - got timeout`);
}

/**
 * Hold the guest's config lock for `body`, as Proxmox does for every change. The configured latency is
 * spent inside the lock, so concurrent changes to one guest serialise visibly, like slow real tasks.
 */
export async function withGuestLock<T>(env: SimEnv, kind: GuestKind, vmid: number, body: () => Promise<T> | T, shared = false): Promise<T> {
  return withLock(
    env.guestLockPath(kind, vmid),
    env.lockWaitSeconds,
    () => lockTimeoutError(env, kind, vmid),
    async () => {
      if (env.latencyMs > 0) await sleep(env.latencyMs);
      return body();
    },
    shared,
  );
}

/**
 * The guest's config flock for a short bookkeeping step (no simulated latency: it is part of a command
 * that had it). `waitSeconds`: where Proxmox waits less than lock_config's 10 s (capped by the setting).
 */
export function underConfigLock<T>(env: SimEnv, kind: GuestKind, vmid: number, body: () => Promise<T> | T, shared = false, waitSeconds?: number): Promise<T> {
  const wait = Math.min(waitSeconds ?? env.lockWaitSeconds, env.lockWaitSeconds);
  return withLock(env.guestLockPath(kind, vmid), wait, () => lockTimeoutError(env, kind, vmid), body, shared);
}

/**
 * pve-guest-common AbstractConfig.pm set_lock: under the config flock, refused while another lock is set
 * ("CT is locked (disk)"), then `lock: LOCK` written into the config. `exitCode` for a missing config.
 */
export function setConfigLock(env: SimEnv, kind: GuestKind, vmid: number, lock: string, exitCode?: number): Promise<void> {
  return underConfigLock(env, kind, vmid, () => {
    const { file } = loadConfig(env, kind, vmid, exitCode);
    assertNotLocked(kind, file.current.values);
    file.current.values.lock = lock;
    saveConfig(env, kind, vmid, file);
  });
}

/** AbstractConfig.pm remove_lock: removes `lock: LOCK` (only that lock) from the config. */
export function removeConfigLock(env: SimEnv, kind: GuestKind, vmid: number, lock: string): Promise<void> {
  return underConfigLock(env, kind, vmid, () => {
    const loaded = tryLoadConfig(env, kind, vmid);
    if (!loaded || loaded.file.current.values.lock !== lock) return;
    delete loaded.file.current.values.lock;
    saveConfig(env, kind, vmid, loaded.file);
  });
}

/** A task on one guest: its config lock, then the node lock for the shared state (volumes, ZFS). */
export function withGuestTask<T>(env: SimEnv, kind: GuestKind, vmid: number, body: () => Promise<T> | T): Promise<T> {
  return withGuestLock(env, kind, vmid, () => withNodeLock(env, body));
}

/** Persistent config locks (`lock: backup`) refuse changes as PVE::AbstractConfig::check_lock does. */
export function assertNotLocked(kind: GuestKind, values: Record<string, string>): void {
  if (values.lock) throw new SimError(`${kindLabel(kind)} is locked (${values.lock})`);
}
