/**
 * Health checks: a command run inside the guest, retried `retries` times `interval` seconds apart
 * until it exits 0.
 */
import type { ValueObject } from '../../config/values.js';
import type { AttributeSchema, HealthResult, ProviderContext } from '../provider.js';
import { num, str } from './attrs.js';

export interface HealthCheckSpec {
  name: string;
  command: string;
  retries: number;
  intervalSeconds: number;
}

export interface ExecOutcome {
  ok: boolean;
  output: string;
}

export const healthCheckAttribute: AttributeSchema = {
  type: {
    list: {
      object: { name: 'string', command: 'string', retries: 'number', interval: 'number' },
      optional: ['retries', 'interval'],
    },
  },
  block: 'list',
  optional: true,
  description:
    'Health checks run inside the guest after apply and by `phoenix check`: `name`, `command` (run with `sh -c`), ' +
    '`retries` (attempts, default 3) and `interval` (seconds between attempts, default 5).',
};

export function healthChecksOf(list: ValueObject[]): HealthCheckSpec[] {
  return list.map((c, i) => ({
    name: str(c, 'name') ?? `check-${i}`,
    command: str(c, 'command') ?? 'true',
    retries: Math.max(1, num(c, 'retries') ?? 3),
    intervalSeconds: Math.max(0, num(c, 'interval') ?? 5),
  }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

export async function runHealthChecks(
  ctx: ProviderContext,
  checks: HealthCheckSpec[],
  exec: (command: string) => Promise<ExecOutcome>,
): Promise<HealthResult[]> {
  const results: HealthResult[] = [];
  for (const check of checks) {
    let attempts = 0;
    let last: ExecOutcome = { ok: false, output: 'not run' };
    while (attempts < check.retries && !ctx.signal.aborted) {
      if (attempts > 0) await sleep(check.intervalSeconds * 1000, ctx.signal);
      attempts++;
      try {
        last = await exec(check.command);
      } catch (error) {
        last = { ok: false, output: error instanceof Error ? error.message : String(error) };
      }
      if (last.ok) break;
    }
    results.push({ name: check.name, ok: last.ok, attempts, output: last.output.trim() });
  }
  return results;
}
