/**
 * The part of a guest's status record (LXC.pm / QemuServer vmstatus) both kinds share: uptime, the
 * activity counters the simulator does not model, and the fields present only when set. Each kind builds
 * its own head (name, cpus, sizes); key order is kept, since `pvesh` prints records as built.
 */
import type { Output } from '../core/output.js';
import { nowSeconds } from './normalize.js';
import type { GuestRuntime } from './store.js';

export type StatusRecord = Record<string, string | number | undefined>;

export function completeStatus(head: StatusRecord, runtime: GuestRuntime, values: Record<string, string>): StatusRecord {
  const running = runtime.status === 'running';
  const record: StatusRecord = {
    ...head,
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

/** `<tool> status`: the one summary value, or with --verbose every set field sorted by key. */
export function printStatus(out: Output, record: StatusRecord, summary: string | number | undefined, verbose: boolean): void {
  if (!verbose) {
    out.line(`status: ${summary}`);
    return;
  }
  for (const key of Object.keys(record).sort()) {
    if (record[key] !== undefined) out.line(`${key}: ${record[key]}`);
  }
}
