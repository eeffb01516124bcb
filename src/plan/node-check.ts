/**
 * Every resource with a `node` attribute must live on a declared node: a name no `node` block declares,
 * or no name while several nodes are declared, is a plan-time error (not a failure halfway through apply).
 */
import { didYouMean, error, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { NodeHandle, ResourceProvider } from '../resources/provider.js';
import { attributeRange } from './attribute-range.js';
import type { ResourceInstance } from './expand.js';

export function nodeDiagnostics(
  provider: ResourceProvider,
  attrs: Attrs,
  instance: ResourceInstance,
  nodes: ReadonlyMap<string, NodeHandle>,
): Diagnostic[] {
  if (!('node' in provider.schema.attributes)) return [];
  const declared = [...nodes.keys()];
  const list = declared.map((n) => `"${n}"`).join(', ');
  const node = attrs.node;
  if (typeof node === 'string' && !nodes.has(node)) {
    const suggestion = didYouMean(node, declared);
    return [
      {
        ...error(
          `Undeclared node "${node}"`,
          (suggestion ? `Did you mean "${suggestion}"? ` : '') +
            (declared.length > 0 ? `The declared nodes are ${list}.` : 'No node is declared.') +
            ` Declare it with a \`node "${node}" { connection = ... }\` block, or name a declared node.`,
          attributeRange(instance.decl.body, ['node']) ?? instance.decl.range,
        ),
        subject: instance.address,
      },
    ];
  }
  if ((node === null || node === undefined) && nodes.size > 1) {
    return [
      {
        ...error(
          'Missing node',
          `${nodes.size} nodes are declared (${list}): set \`node = "NAME"\` on ${instance.address} to say which one it lives on.`,
          instance.decl.range,
        ),
        subject: instance.address,
      },
    ];
  }
  return [];
}
