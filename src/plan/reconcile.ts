/**
 * Pending records are operations a previous run started but never recorded as finished (a crash, a
 * kill -9). Before planning we ask the host how each one ended:
 *  - create, object exists  → adopt it into state (then it is diffed like any other object);
 *  - create, object missing → drop the record (the plan creates it again);
 *  - delete, object missing → drop the record and the resource from state;
 *  - delete, object exists  → drop the record, keep the resource (the plan deletes it again if needed).
 */
import { warning, type Diagnostic } from '../config/diagnostics.js';
import { schemaSensitivePaths } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import type { PendingOperation, ResourceState, StateFile } from '../state/model.js';
import { parseAddress } from './address.js';
import { readInBatches, type BatchReadInput } from './read-batch.js';

export interface ReconcileResult {
  state: StateFile;
  /** Addresses whose crashed create left nothing behind: their create is planned with reason pending_create. */
  abandonedCreates: Set<string>;
  diagnostics: Diagnostic[];
}

export async function reconcilePending(state: StateFile, input: BatchReadInput & { registry: ProviderRegistry }): Promise<ReconcileResult> {
  if (state.pending.length === 0) return { state, abandonedCreates: new Set(), diagnostics: [] };
  const { results, diagnostics } = await readInBatches(
    state.pending.map((p) => ({ address: p.address, type: p.type, prior: { ...(p.planned ?? {}), ...p.identity } })),
    input,
  );
  const resources = new Map(state.resources.map((r) => [r.address, r]));
  const stillPending: PendingOperation[] = [];
  const abandonedCreates = new Set<string>();

  state.pending.forEach((pending, i) => {
    const found = results[i];
    if (found === undefined) {
      stillPending.push(pending); // could not read: keep the record and try again next time
      return;
    }
    if (pending.action === 'create') {
      if (found === null) {
        abandonedCreates.add(pending.address);
      } else if (resources.has(pending.address)) {
        // A create-before-destroy replacement whose old object is still recorded: keep the record so
        // the new object is not forgotten, and say so.
        stillPending.push(pending);
        diagnostics.push({
          ...warning(
            'Unrecorded object from an interrupted replacement',
            `A previous run created a new object for ${pending.address} (${JSON.stringify(pending.identity)}) but did not record it; ` +
              'state still holds the old object. Remove one of them by hand, then run `phoenix state rm` or import as needed.',
          ),
          subject: pending.address,
        });
      } else {
        resources.set(pending.address, adopted(pending, found, input.registry));
        diagnostics.push({
          ...warning(
            'Adopted an object from an interrupted create',
            `${pending.address} was being created when a previous run stopped or failed; it exists on the host and is now recorded in state.`,
          ),
          subject: pending.address,
        });
      }
    } else if (found === null) {
      resources.delete(pending.address);
    }
  });

  return {
    state: { ...state, resources: [...resources.values()], pending: stillPending },
    abandonedCreates,
    diagnostics,
  };
}

function adopted(pending: PendingOperation, attributes: ResourceState['attributes'], registry: ProviderRegistry): ResourceState {
  const parsed = parseAddress(pending.address);
  const provider = registry.get(pending.type);
  const sensitive = provider ? schemaSensitivePaths(provider.schema) : [];
  return {
    address: pending.address,
    type: pending.type,
    name: parsed?.name ?? pending.address,
    ...(parsed?.index !== undefined ? { index: parsed.index } : {}),
    provider: registry.sourceOf(pending.type) ?? 'builtin',
    attributes,
    sensitive_attributes: sensitive,
    dependencies: pending.dependencies,
  };
}
