/** The parts of "Error acquiring the state lock" that every backend prints the same way. */
import type { LockInfo } from './backend.js';

/** Terraform-style "Lock Info:" table; `where` is the lock's location row, e.g. ['Path', lockPath]. */
export function lockInfoLines(where: [label: string, value: string], info: LockInfo): string {
  const rows: [string, string | number][] = [
    ['ID', info.id],
    where,
    ['Operation', info.operation],
    ['Who', info.who],
    ['Host', info.host],
    ['PID', info.pid],
    ['Version', info.version],
    ['Created', info.created],
  ];
  return ['Lock Info:', ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(11)}${value}`)].join('\n');
}

/** How long a run waited for the lock, as given to -lock-timeout: "0s", "30s", "2.5s". */
export function waitedText(timeoutMs: number): string {
  return `${(Math.max(0, timeoutMs) / 1000).toFixed(timeoutMs % 1000 === 0 ? 0 : 1)}s`;
}
