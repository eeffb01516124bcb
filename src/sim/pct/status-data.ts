/** A CT's status record (LXC.pm vmstatus), used by `pct status --verbose`, `pct list` and pvesh. */
import type { SimEnv } from '../core/env.js';
import type { GuestConfigFile } from '../guest/config-file.js';
import { sizeOption } from '../guest/disks.js';
import { propValues } from '../core/args.js';
import { readRuntime } from '../guest/store.js';
import { nowSeconds } from '../guest/normalize.js';
import { ROOTFS_FORMAT } from './schema.js';

const MIB = 1024 * 1024;

export type StatusRecord = Record<string, string | number | undefined>;

export function lxcStatus(env: SimEnv, vmid: number, file: GuestConfigFile): StatusRecord {
  const values = file.current.values;
  const runtime = readRuntime(env, vmid);
  const running = runtime.status === 'running';
  const rootfs = values.rootfs ? propValues('rootfs', values.rootfs, { type: 'string', format: ROOTFS_FORMAT }) : {};
  const record: StatusRecord = {
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
    uptime: running && runtime.startedAt ? Math.max(0, nowSeconds() - runtime.startedAt) : 0,
    cpu: 0,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
  };
  if (running && runtime.pid) record.pid = runtime.pid;
  if (values.tags) record.tags = values.tags;
  if (values.lock) record.lock = values.lock;
  if (values.template === '1') record.template = 1;
  return record;
}
