/**
 * Firewall configs on disk as Proxmox keeps them: etc/pve/firewall/cluster.fw, etc/pve/firewall/<vmid>.fw and
 * etc/pve/nodes/<node>/host.fw (pve-firewall Firewall.pm load_clusterfw_conf / load_vmfw_conf /
 * load_hostfw_conf / save_*), plus the digests the API hands
 * out (copy_list_with_digest, copy_opject_with_digest).
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { emptyFwConfig, formatFwConfig, parseFwConfig, type FwConfig, type FwRule } from '../../proxmox-data/fw-file.js';
import type { SimEnv } from '../core/env.js';
import { readTextOrNull, writeFileAtomic } from '../core/fsutil.js';
import { verifyRule, type RuleEnv } from './verify.js';

const clusterPath = (env: SimEnv) => env.path('etc/pve/firewall/cluster.fw');
const guestPath = (env: SimEnv, vmid: number) => env.path(`etc/pve/firewall/${vmid}.fw`);
/** $hostfw_conf_filename: the host firewall of the node the API call runs on. */
const hostPath = (env: SimEnv) => env.path('etc/pve/nodes', env.node, 'host.fw');

export function loadCluster(env: SimEnv): FwConfig {
  const text = readTextOrNull(clusterPath(env));
  return text === null ? emptyFwConfig() : parseFwConfig(text);
}

export function loadGuest(env: SimEnv, vmid: number): FwConfig {
  const text = readTextOrNull(guestPath(env, vmid));
  return text === null ? emptyFwConfig() : parseFwConfig(text);
}

export function loadHost(env: SimEnv): FwConfig {
  const text = readTextOrNull(hostPath(env));
  return text === null ? emptyFwConfig() : parseFwConfig(text);
}

export function saveHost(env: SimEnv, conf: FwConfig): void {
  save(hostPath(env), formatFwConfig(conf, 'host'));
}

/** save_clusterfw_conf / save_vmfw_conf: an empty config removes the file. */
export function saveCluster(env: SimEnv, conf: FwConfig): void {
  save(clusterPath(env), formatFwConfig(conf, 'cluster'));
}

export function saveGuest(env: SimEnv, vmid: number, conf: FwConfig): void {
  save(guestPath(env, vmid), formatFwConfig(conf, 'vm'));
}

function save(path: string, raw: string): void {
  if (raw === '') rmSync(path, { force: true });
  else writeFileAtomic(path, raw);
}

/** PVE::Firewall::Helpers::remove_vmfw_conf, run by `pct destroy` / `qm destroy` (LXC.pm, Qemu.pm destroy_vm). */
export function removeGuestFirewall(env: SimEnv, vmid: number): void {
  rmSync(guestPath(env, vmid), { force: true });
}

/** A rule as the API lists it: the parsed rule after verify_rule (noerr), which adds `ipversion`. */
export function ruleRecord(rule: FwRule, cluster: FwConfig, local: FwConfig | undefined, env: RuleEnv): Record<string, string | number> {
  let ipversion: number | undefined;
  try {
    ipversion = verifyRule({ ...rule }, cluster, local, env).ipversion;
  } catch {
    ipversion = undefined;
  }
  return { ...(rule as unknown as Record<string, string | number>), ...(ipversion ? { ipversion } : {}) };
}

/** copy_list_with_digest: SHA-1 over every entry's sorted `key:value\n`; every entry carries the digest. */
export function listWithDigest(list: Record<string, string | number>[]): { list: Record<string, string | number>[]; digest: string } {
  const sha = createHash('sha1');
  for (const entry of list) for (const key of Object.keys(entry).sort()) if (entry[key] !== undefined) sha.update(`${key}:${entry[key]}\n`);
  const digest = sha.digest('hex');
  return { list: list.map((e) => ({ ...e, digest })), digest };
}

/** copy_opject_with_digest. */
export function objectWithDigest(object: Record<string, string | number>): Record<string, string | number> {
  return { ...object, digest: listWithDigest([object]).digest };
}

/** PVE::Tools::assert_if_modified. */
export function assertNotModified(current: string, given: string | undefined): void {
  if (given && current !== given) throw new Error('detected modified configuration - file changed by other user? Try again.');
}
