/**
 * Refresh: read every object in state (batched per type and node) and replace the recorded attributes
 * with what the host reports. Differences are drift ("Objects have changed outside phoenix").
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { ResourceState, StateFile } from '../state/model.js';
import { changedAttributes } from './diff.js';
import type { ResourceDrift } from './model.js';
import { readInBatches, type BatchReadInput } from './read-batch.js';

export interface RefreshResult {
  state: StateFile;
  drift: ResourceDrift[];
  diagnostics: Diagnostic[];
}

export async function refreshState(state: StateFile, input: BatchReadInput): Promise<RefreshResult> {
  const { results, diagnostics } = await readInBatches(
    state.resources.map((r) => ({ address: r.address, type: r.type, prior: r.attributes })),
    input,
  );
  const drift: ResourceDrift[] = [];
  const resources: ResourceState[] = [];
  state.resources.forEach((resource, i) => {
    const current = results[i];
    if (current === undefined) {
      resources.push(resource); // read failed: keep what we knew (a diagnostic says so)
    } else if (current === null) {
      drift.push({ ...driftBase(resource), action: 'delete', after: null, changedPaths: [] });
    } else {
      const changed = changedAttributes(resource.attributes, current);
      if (changed.length > 0) {
        drift.push({ ...driftBase(resource), action: 'update', after: current, changedPaths: changed.map((c) => [c]) });
        resources.push({ ...resource, attributes: current });
      } else {
        resources.push(resource);
      }
    }
  });
  drift.sort((a, b) => compare(a.address, b.address));
  return { state: { ...state, resources }, drift, diagnostics };
}

function driftBase(resource: ResourceState): Pick<ResourceDrift, 'address' | 'type' | 'before' | 'sensitivePaths'> {
  return {
    address: resource.address,
    type: resource.type,
    before: resource.attributes,
    sensitivePaths: resource.sensitive_attributes,
  };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
