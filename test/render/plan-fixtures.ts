/** Builders for hand-made plans, so renderer tests state only what matters to each case. */
import { UNKNOWN } from '../../src/config/values.js';
import type { Plan, ResourceChange } from '../../src/plan/model.js';

export { UNKNOWN };

export function change(overrides: Partial<ResourceChange> & Pick<ResourceChange, 'address' | 'action'>): ResourceChange {
  const [type, rest] = [overrides.address.split('.')[0]!, overrides.address.split('.').slice(1).join('.')];
  return {
    type,
    name: rest.replace(/\[.*\]$/, ''),
    before: null,
    after: null,
    changedPaths: [],
    replacePaths: [],
    restartPaths: [],
    sensitivePaths: [],
    dependencies: [],
    ...overrides,
  };
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  const changes = overrides.changes ?? [];
  const count = (actions: string[]) => changes.filter((c) => actions.includes(c.action)).length;
  return {
    format_version: 1,
    phoenix_version: '0.0.0-test',
    created_at: '2026-01-01T00:00:00Z',
    mode: 'normal',
    prior_state: { lineage: 'l', serial: 1 },
    config_hash: 'c',
    variables_hash: 'v',
    drift: [],
    outputs: [],
    warnings: [],
    summary: { add: count(['create', 'replace']), change: count(['update']), destroy: count(['delete', 'replace']), restart: 0 },
    ...overrides,
    changes,
  };
}
