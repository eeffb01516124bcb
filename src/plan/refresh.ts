/**
 * Refresh: read every object in state (batched per type and node) and replace the recorded attributes
 * with what the host reports. Differences in attributes config can set, and vanished objects, are drift
 * ("Objects have changed outside phoenix").
 */
import { warning, type Diagnostic } from '../config/diagnostics.js';
import type { ResourceProvider } from '../resources/provider.js';
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
  const { results, owners, diagnostics } = await readInBatches(
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
    } else if (resource.owner !== undefined && owners[i] !== undefined && owners[i] !== resource.owner) {
      // Another object now holds the recorded identity (ours was removed, a hand-made one took its place):
      // ours is gone; the new one is not phoenix's and is left alone.
      drift.push({ ...driftBase(resource), action: 'delete', after: null, changedPaths: [] });
      diagnostics.push({
        ...warning(
          'Object replaced outside phoenix',
          `${resource.address}: the object on the node with its identity does not carry the ownership proof phoenix wrote ` +
            'when it created it, so it is not the object phoenix created. phoenix treats its own as gone and leaves this one alone.',
        ),
        subject: resource.address,
      });
    } else {
      const changed = changedAttributes(resource.attributes, current);
      if (changed.length === 0) {
        resources.push(resource);
        return;
      }
      // State always takes what the host reports; only changes that matter are reported as drift.
      resources.push({ ...resource, attributes: current });
      const provider = input.registry.get(resource.type);
      const statistics = provider ? changed.filter((name) => isProviderStatistic(provider, name)) : [];
      if (statistics.length === changed.length) return;
      // The drift record shows the statistics unchanged, so renderers list only the changes that matter.
      const after = { ...current };
      for (const name of statistics) after[name] = resource.attributes[name] ?? null;
      const drifted = changed.filter((name) => !statistics.includes(name));
      drift.push({ ...driftBase(resource), action: 'update', after, changedPaths: drifted.map((c) => [c]) });
    }
  });
  drift.sort((a, b) => compare(a.address, b.address));
  return { state: { ...state, resources }, drift, diagnostics };
}

/**
 * Computed and not optional: owned by the provider, never by config (a dataset's `used`, a generated
 * id). Like Terraform, phoenix does not call a change of these drift: they move on their own and no
 * plan acts on them. A vanished object, or any attribute config can set, is still drift.
 */
function isProviderStatistic(provider: ResourceProvider, name: string): boolean {
  const schema = provider.schema.attributes[name];
  return schema !== undefined && schema.computed === true && schema.optional !== true;
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
