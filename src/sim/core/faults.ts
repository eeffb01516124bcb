/**
 * Fault injection from `$PHOENIX_SIM_DIR/faults.json`:
 *   [{ "match": "pct clone 900 101", "nth": 2, "times": 1, "action": "fail", "stderr": "...", "exitCode": 255 }]
 * `match` is a substring (or `/regex/`) of the command line `tool arg1 arg2 ...`. Match counters live in
 * `var/sim/fault-counters.json` (updated under the node lock), so "the Nth matching call" counts across
 * all processes. A rule fires for calls nth .. nth+times-1 (defaults: nth 1, times 1).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, writeJson } from './fsutil.js';
import { withNodeLock } from './node-lock.js';
import type { SimEnv } from './env.js';

export interface FaultRule {
  match: string;
  nth?: number;
  times?: number;
  action: 'fail' | 'hang' | 'lock-timeout';
  stderr?: string;
  stdout?: string;
  exitCode?: number;
}

function matches(rule: FaultRule, commandLine: string): boolean {
  const regex = /^\/(.*)\/([a-z]*)$/.exec(rule.match);
  return regex ? new RegExp(regex[1]!, regex[2]).test(commandLine) : commandLine.includes(rule.match);
}

/** The rule that fires for this invocation, if any (counting every matching rule once). */
export async function triggeredFault(env: SimEnv, commandLine: string): Promise<FaultRule | null> {
  const rulesPath = join(env.dir, 'faults.json');
  if (!existsSync(rulesPath)) return null;
  const rules = readJson<FaultRule[]>(rulesPath, []);
  if (!rules.some((rule) => matches(rule, commandLine))) return null;
  return withNodeLock(env, () => {
    const countersPath = join(env.simDir, 'fault-counters.json');
    const counters = readJson<Record<string, number>>(countersPath, {});
    let fired: FaultRule | null = null;
    rules.forEach((rule, index) => {
      if (!matches(rule, commandLine)) return;
      const key = `${index}:${rule.match}`;
      const count = (counters[key] ?? 0) + 1;
      counters[key] = count;
      const nth = rule.nth ?? 1;
      if (!fired && count >= nth && count < nth + (rule.times ?? 1)) fired = rule;
    });
    writeJson(countersPath, counters);
    return fired;
  });
}
