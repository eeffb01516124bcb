/**
 * Pending records are operations a previous run started but never recorded as finished (a crash, a
 * kill -9). Before planning we ask the host how each one ended:
 *  - create, object exists and carries that create's proof token → adopt it into state (then it is
 *    diffed like any other object); exists without it → drop the record, leave the object alone, warn:
 *    it is not phoenix's (a hand-made guest on the vmid, a create the host refused). Types whose objects
 *    cannot carry a token prove it by content (provider.proveCreated: a file's checksum, a storage
 *    definition or the cluster's firewall options equal to what the create wrote). Types without proofs
 *    (features, snapshots, a guest's firewall options and rules: objects inside a guest phoenix owns) are
 *    adopted when they exist;
 *  - create, object missing → drop the record (the plan creates it again);
 *  - delete, object missing → drop the record and the resource from state (read with the object's
 *    attributes the record keeps: an identity alone does not name every object, and a read that looked
 *    in the wrong place would forget an object that still exists);
 *  - delete, object exists  → drop the record, keep the resource (the plan deletes it again if needed).
 */
import { warning, type Diagnostic } from '../config/diagnostics.js';
import { schemaSensitivePaths } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import type { PendingOperation, ResourceState, StateFile } from '../state/model.js';
import type { Attrs } from '../config/values.js';
import { parseAddress } from './address.js';
import { importId } from './import-id.js';
import { errorText, providerContext } from './provider-context.js';
import { readInBatches, type BatchReadInput } from './read-batch.js';

export interface ReconcileResult {
  state: StateFile;
  /** Addresses whose crashed create left nothing behind: their create is planned with reason pending_create. */
  abandonedCreates: Set<string>;
  diagnostics: Diagnostic[];
}

export async function reconcilePending(state: StateFile, input: BatchReadInput & { registry: ProviderRegistry }): Promise<ReconcileResult> {
  if (state.pending.length === 0) return { state, abandonedCreates: new Set(), diagnostics: [] };
  const recorded = new Map(state.resources.map((r) => [r.address, r.attributes]));
  const { results, owners, diagnostics } = await readInBatches(
    // A delete recorded before its attributes were kept in the record is read with what state holds.
    state.pending.map((p) => ({ address: p.address, type: p.type, prior: { ...(p.action === 'delete' && !p.planned ? recorded.get(p.address) : {}), ...(p.planned ?? {}), ...p.identity } })),
    input,
  );
  const contentProofs = await proveByContent(state.pending, results, input);
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
      } else if (contentProofs.has(i) ? contentProofs.get(i) !== undefined : !proven(pending, owners[i])) {
        const why = contentProofs.get(i) ?? "it does not carry that create's ownership proof";
        diagnostics.push({
          ...warning(
            'Not adopted: an object phoenix did not create',
            `${pending.address} was being created when a previous run stopped or failed, and ${describeObject(pending)} exists, ` +
              `but ${why}: phoenix cannot prove it created it. It is left alone and not recorded; ` +
              `if phoenix should manage it, declare a resource for it and run \`phoenix import ADDRESS ${importId(pending.identity)}\`.`,
          ),
          subject: pending.address,
        });
      } else {
        resources.set(pending.address, adopted(pending, found, input.registry, owners[i]));
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

/**
 * For pending creates of types proven by content whose object exists: undefined when the provider proves
 * the object is what the create made, else why not. A proof that fails to run proves nothing.
 */
async function proveByContent(pending: readonly PendingOperation[], results: readonly (Attrs | null | undefined)[], input: BatchReadInput & { registry: ProviderRegistry }): Promise<Map<number, string | undefined>> {
  const proofs = new Map<number, string | undefined>();
  for (const [i, operation] of pending.entries()) {
    const provider = input.registry.get(operation.type);
    if (operation.action !== 'create' || !results[i] || provider?.ownershipProof !== 'content') continue;
    const planned = { ...(operation.planned ?? {}), ...operation.identity };
    try {
      proofs.set(i, provider.proveCreated ? await provider.proveCreated(providerContext(planned, input.nodes), planned) : 'its type has no way to prove it');
    } catch (e) {
      proofs.set(i, `checking it failed (${errorText(e)})`);
    }
  }
  return proofs;
}

/** Does the object found for a pending create carry that create's proof (types that report proofs)? */
function proven(pending: PendingOperation, found: string | null | undefined): boolean {
  if (found === undefined && pending.owner === undefined) return true; // a type without proofs
  return pending.owner !== undefined && found === pending.owner;
}

/** "lxc 105 on node pve", "zfs_dataset tank/media": the object an identity names, for messages. */
export function describeObject(operation: { type: string; identity: Attrs }): string {
  const node = typeof operation.identity.node === 'string' ? ` on node ${operation.identity.node}` : '';
  return `${operation.type} ${importId(operation.identity)}${node}`;
}

function adopted(pending: PendingOperation, attributes: ResourceState['attributes'], registry: ProviderRegistry, found: string | null | undefined): ResourceState {
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
    // A token type keeps the create's token; a content-proven type records the stamp the object carries.
    ...(pending.owner !== undefined ? { owner: pending.owner } : typeof found === 'string' ? { owner: found } : {}),
  };
}
