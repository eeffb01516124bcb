/** `pct create <vmid> <ostemplate> [OPTIONS]` (pve-container API2/LXC.pm create_vm). */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type CommandSpec } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import type { SimEnv } from '../core/env.js';
import { readPublicKeyFile } from '../core/formats.js';
import { EXIT_TASK_FAILURE, SimError } from '../core/errors.js';
import { emptyConfigFile } from '../guest/config-file.js';
import { guestPath } from '../guest/exec-engine.js';
import { assertVmidUnused, createdRuntime, rootfsDir, saveConfig, withGuestTask, writeRuntime } from '../guest/store.js';
import { splitVolid } from '../guest/disks.js';
import { findStorage } from '../storage/config.js';
import { loadZfs, saveZfs } from '../zfs/model.js';
import { normaliseOption, prepareDisk } from './normalize.js';
import { CONFIG_OPTIONS, CREATE_ONLY_OPTIONS, isDiskKey } from './schema.js';
import { checkConfigChanges } from './update-checks.js';
import { firstMountFailure, rootfsMountPath } from './mount-checks.js';

const SPEC: CommandSpec = {
  usage: 'pct create <vmid> <ostemplate> [OPTIONS]',
  positionals: [vmidArg, arg('ostemplate')],
  options: { ...CONFIG_OPTIONS, ...CREATE_ONLY_OPTIONS },
};

/** The template's file on its dir storage; `can't find file` as PVE::Storage::abs_filesystem_path says. */
function templateFile(env: SimEnv, ostemplate: string): string {
  const parts = splitVolid(ostemplate);
  const missing = () => new SimError(`can't find file '${ostemplate}'`);
  if (!parts || !parts.volname.startsWith('vztmpl/')) {
    if (existsSync(ostemplate)) return ostemplate;
    throw missing();
  }
  const storage = findStorage(env, parts.storage);
  const file = env.path(storage.props.path ?? '/nonexistent', 'template/cache', parts.volname.slice('vztmpl/'.length));
  if (!existsSync(file)) throw missing();
  return file;
}

function ostypeOf(ostemplate: string): string {
  const name = ostemplate.split('/').pop()!.toLowerCase();
  const known = ['debian', 'ubuntu', 'alpine', 'centos', 'fedora', 'archlinux', 'devuan', 'gentoo', 'opensuse', 'nixos'];
  return known.find((os) => name.startsWith(os)) ?? 'unmanaged';
}

function osRelease(ostemplate: string): string {
  const name = ostemplate.split('/').pop()!;
  const m = /^([a-z]+)-([\d.]+)/.exec(name);
  const id = m?.[1] ?? 'linux';
  return `ID=${id}\nVERSION_ID="${m?.[2] ?? ''}"\nPRETTY_NAME="${id} ${m?.[2] ?? ''} (simulated)"\n`;
}

export async function pctCreate(ctx: CommandContext, args: string[]): Promise<void> {
  const { env } = ctx;
  const parsed = parseArgs(SPEC, args);
  const vmid = Number(parsed.positionals.vmid);
  const ostemplate = parsed.positionals.ostemplate!;
  const options = parsed.options;
  const sshKeys = options['ssh-public-keys'] ? readPublicKeyFile(options['ssh-public-keys']) : undefined;

  await withGuestTask(env, 'lxc', vmid, () => {
    assertVmidUnused(env, vmid);
    templateFile(env, ostemplate);
    const zfs = loadZfs(env);
    const file = emptyConfigFile();
    const values = file.current.values;
    values.arch = 'amd64';
    values.ostype = ostypeOf(ostemplate);
    values.memory = '512';
    values.swap = '512';
    values.unprivileged = '1';
    const taken = new Set<string>();
    const diskOptions: Record<string, string> = { rootfs: `${options.storage ?? 'local'}:4` };
    checkConfigChanges(vmid, {}, Object.fromEntries(Object.entries(options).filter(([key]) => !isDiskKey(key) && !(key in CREATE_ONLY_OPTIONS))), []);
    for (const [key, value] of Object.entries(options)) {
      if (key in CREATE_ONLY_OPTIONS) continue;
      if (key === 'description') file.current.description = value;
      else if (isDiskKey(key)) diskOptions[key] = value;
      else values[key] = normaliseOption(key, value);
    }
    for (const [key, value] of Object.entries(diskOptions)) values[key] = prepareDisk(env, zfs, vmid, key, value, taken);
    // create_vm mounts every mount point (LXC.pm mount_all) to unpack the template: one that cannot be
    // mounted fails the create, and its volumes and config are removed again.
    const failure = firstMountFailure(env, values, rootfsMountPath(vmid));
    if (failure) {
      for (const line of [...failure.output, 'mounting container failed']) ctx.out.err(line);
      throw new SimError(`unable to create CT ${vmid} - ${failure.error}`, EXIT_TASK_FAILURE);
    }
    saveConfig(env, 'lxc', vmid, file);
    saveZfs(env, zfs);
    seedGuestFilesystem(env, vmid, ostemplate, values.hostname ?? `CT${vmid}`, sshKeys);
    writeRuntime(env, vmid, createdRuntime(options.start === '1'));
  });
}

function seedGuestFilesystem(env: SimEnv, vmid: number, ostemplate: string, hostname: string, sshKeys?: string): void {
  const rootfs = rootfsDir(env, vmid);
  for (const dir of ['etc', 'root', 'tmp', 'var/log']) mkdirSync(join(rootfs, dir), { recursive: true });
  writeFileSync(guestPath(rootfs, '/etc/hostname'), hostname + '\n');
  writeFileSync(guestPath(rootfs, '/etc/os-release'), osRelease(ostemplate));
  if (sshKeys !== undefined) {
    mkdirSync(guestPath(rootfs, '/root/.ssh'), { recursive: true });
    writeFileSync(guestPath(rootfs, '/root/.ssh/authorized_keys'), sshKeys);
  }
}
