/**
 * Plan-time checks that need a host (ResourceProvider.checkOnHost), for the objects a plan creates:
 * a value only the node can judge (an image path to import) fails the plan instead of the apply.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { ProviderRegistry } from '../resources/registry.js';
import type { NodeHandle } from '../resources/provider.js';
import type { ResourceInstance } from './expand.js';
import { placed } from './instance-config.js';
import type { ResourceChange } from './model.js';
import { errorText, providerContext, type ReadMemo } from './provider-context.js';

export interface HostCheckInput {
  registry: ProviderRegistry;
  nodes: ReadonlyMap<string, NodeHandle>;
  parallelism: number;
  /** The plan's read memo: what refresh listed (and what one check reads) is read once per node. */
  memo?: ReadMemo;
}

export async function hostChecks(
  changes: readonly ResourceChange[],
  configured: ReadonlyMap<string, { instance: ResourceInstance; attrs: Attrs; sensitivePaths: string[][] }>,
  input: HostCheckInput,
): Promise<Diagnostic[]> {
  const making = new Set(changes.filter((c) => c.action === 'create' || c.action === 'replace').map((c) => c.address));
  const pending = changes.filter((c) => making.has(c.address) && input.registry.get(c.type)?.checkOnHost && configured.has(c.address));
  const diagnostics: Diagnostic[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const change = pending[next++]!;
      const provider = input.registry.get(change.type)!;
      const { instance, attrs, sensitivePaths } = configured.get(change.address)!;
      const ctx = providerContext(attrs, input.nodes, { memo: input.memo });
      if (!ctx.node) continue; // reported by the node checks
      try {
        // An object whose dependencies are still to be made (a download_file its image comes from) may
        // find on the node only at apply what it needs: the provider is told, and judges what it can.
        const madeFirst = change.dependencies.filter((d) => making.has(d));
        const plan = {
          address: change.address,
          pendingDependencies: madeFirst.length > 0,
          createsFirst: (type: string) => madeFirst.flatMap((d) => (d.startsWith(`${type}.`) && configured.has(d) ? [configured.get(d)!.attrs] : [])),
        };
        diagnostics.push(...placed(await provider.checkOnHost!(ctx, attrs, plan), instance, sensitivePaths));
      } catch (e) {
        diagnostics.push({ severity: 'error', summary: `Error checking ${change.address} on its node`, detail: errorText(e), range: instance.decl.range, subject: change.address });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallelism, pending.length)) }, worker));
  return diagnostics;
}
