/** A VM's status record (QemuServer vmstatus): `qm status`, `qm list` and pvesh. */
import type { SimEnv } from '../core/env.js';
import type { GuestConfigFile } from '../guest/config-file.js';
import { readRuntime } from '../guest/store.js';
import { completeStatus, type StatusRecord } from '../guest/status-record.js';
import { driveSize, isCdrom } from './normalize.js';

const MIB = 1024 * 1024;

/** The boot disk: the first disk in `boot: order=...`, else the first non-CD-ROM drive. */
export function bootDiskSize(values: Record<string, string>): number {
  const order = /order=([^,]+)/.exec(values.boot ?? '')?.[1]?.split(';') ?? [];
  const candidates = [...order, ...Object.keys(values).filter((k) => /^(scsi|virtio|sata|ide)\d+$/.test(k)).sort()];
  const disk = candidates.find((k) => values[k] !== undefined && /^(scsi|virtio|sata|ide)\d+$/.test(k) && !isCdrom(values[k]!));
  return disk ? driveSize(values[disk]!) : 0;
}

export function qemuStatus(env: SimEnv, vmid: number, file: GuestConfigFile): StatusRecord {
  const values = file.current.values;
  const runtime = readRuntime(env, vmid);
  const running = runtime.status === 'running';
  const head: StatusRecord = {
    vmid,
    status: runtime.status,
    qmpstatus: runtime.status,
    name: values.name ?? `VM ${vmid}`,
    cpus: Number(values.cores ?? 1) * Number(values.sockets ?? 1),
    maxmem: Number(values.memory ?? 512) * MIB,
    maxdisk: bootDiskSize(values),
    disk: 0,
    mem: running ? 256 * MIB : 0,
  };
  return completeStatus(head, runtime, values);
}
