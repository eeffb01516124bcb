/** A CT's status record (LXC.pm vmstatus), used by `pct status --verbose`, `pct list` and pvesh. */
import type { SimEnv } from '../core/env.js';
import type { GuestConfigFile } from '../guest/config-file.js';
import { sizeOption } from '../guest/disks.js';
import { propValues } from '../core/args.js';
import { readRuntime } from '../guest/store.js';
import { completeStatus, type StatusRecord } from '../guest/status-record.js';
import { ROOTFS_FORMAT } from './schema.js';

const MIB = 1024 * 1024;

export function lxcStatus(env: SimEnv, vmid: number, file: GuestConfigFile): StatusRecord {
  const values = file.current.values;
  const runtime = readRuntime(env, vmid);
  const running = runtime.status === 'running';
  const rootfs = values.rootfs ? propValues('rootfs', values.rootfs, { type: 'string', format: ROOTFS_FORMAT }) : {};
  const head: StatusRecord = {
    vmid,
    type: 'lxc',
    status: runtime.status,
    name: (values.hostname ?? `CT${vmid}`).replace(/\s/g, ''),
    cpus: Number(values.cores ?? 1),
    maxmem: Number(values.memory ?? 512) * MIB,
    maxswap: Number(values.swap ?? 512) * MIB,
    maxdisk: sizeOption(rootfs),
    disk: running ? 48 * MIB : 0,
    mem: running ? 32 * MIB : 0,
    swap: 0,
  };
  return completeStatus(head, runtime, values);
}
