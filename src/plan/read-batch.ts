/**
 * Batched reads: one provider.read per (type, node) group, groups run with bounded parallelism. Used by
 * refresh, pending-record reconciliation and `import -all`.
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { NodeHandle, ReadResult } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import { splitOwner } from './ownership.js';
import { mapLimit } from './pool.js';
import { errorText, nodeFor, providerContext, type ReadMemo } from './provider-context.js';

export interface ReadItem {
  address: string;
  type: string;
  /** What the provider identifies the object by (state attributes, or identity + planned). */
  prior: Attrs;
}

export interface BatchReadInput {
  registry: ProviderRegistry;
  nodes: ReadonlyMap<string, NodeHandle>;
  parallelism: number;
  signal?: AbortSignal;
  /** Shares host listings between the read groups (and read rounds) of one plan. */
  memo?: ReadMemo;
}

export interface BatchReadResult {
  /** Per item, aligned with `items`; `undefined` where the read failed (a diagnostic says why). */
  results: (ReadResult | undefined)[];
  /** Per item: the proof token found on the object (see ownership.ts), null for none, undefined when not reported. */
  owners: (string | null | undefined)[];
  diagnostics: Diagnostic[];
}

export async function readInBatches(items: readonly ReadItem[], input: BatchReadInput): Promise<BatchReadResult> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = `${item.type}\u0000${nodeFor(item.prior, input.nodes)?.name ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });

  const results = new Array<ReadResult | undefined>(items.length);
  const owners = new Array<string | null | undefined>(items.length);
  const diagnostics: Diagnostic[] = [];
  await mapLimit([...groups.values()], input.parallelism, async (indexes) => {
    const first = items[indexes[0]!]!;
    const provider = input.registry.get(first.type);
    if (!provider) {
      diagnostics.push({ ...error(`Unknown resource type "${first.type}"`, 'No provider serves this type; it cannot be refreshed.'), subject: first.address });
      return;
    }
    const ctx = providerContext(first.prior, input.nodes, { signal: input.signal, memo: input.memo });
    try {
      const read = await provider.read(
        ctx,
        indexes.map((i) => ({ address: items[i]!.address, prior: items[i]!.prior })),
      );
      indexes.forEach((itemIndex, j) => {
        const found = read[j] ?? null;
        if (found === null) results[itemIndex] = null;
        else ({ attrs: results[itemIndex], owner: owners[itemIndex] } = splitOwner(found));
      });
    } catch (e) {
      const where = ctx.node ? ` on node ${ctx.node.name}` : '';
      diagnostics.push({
        ...error(`Failed to read ${first.type} objects${where}`, errorText(e)),
        subject: indexes.map((i) => items[i]!.address).join(', '),
      });
    }
  });
  return { results, owners, diagnostics };
}
