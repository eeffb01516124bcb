/** `phoenix check`: run the health checks of the objects recorded in state (optionally some of them). */
import type { StateFile } from '../state/model.js';
import { addressMatches } from './address.js';
import type { EngineInput } from './engine-types.js';
import { checkHealth, type HealthCheckResult, type HealthReport } from './health.js';

export type { HealthReport, HealthCheckResult };

export interface HealthCheckInput extends Pick<EngineInput, 'registry' | 'nodes' | 'sensitive'> {
  state: StateFile;
  /** Addresses (instance or resource) to check; all when empty or absent. */
  targets?: string[];
  parallelism?: number;
  onResult?(result: HealthCheckResult): void;
}

export function runHealthChecks(input: HealthCheckInput): Promise<HealthReport> {
  const targets = input.targets ?? [];
  const selected = input.state.resources.filter((r) => targets.length === 0 || targets.some((t) => addressMatches(t, r.address)));
  for (const r of selected) input.sensitive?.addPaths(r.attributes, r.sensitive_attributes);
  return checkHealth(
    selected.map((r) => ({ address: r.address, type: r.type, attrs: r.attributes })),
    { registry: input.registry, nodes: input.nodes, parallelism: input.parallelism ?? 4, sensitive: input.sensitive, onResult: input.onResult },
  );
}
