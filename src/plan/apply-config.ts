/**
 * Apply-time evaluation: each instance's config is evaluated again now that upstream objects exist.
 * Values that were known in the plan must come out the same; otherwise the plan no longer describes
 * what would happen and the operation stops ("Provider produced inconsistent final plan" in Terraform).
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import type { ResourceProvider } from '../resources/provider.js';
import { inconsistentPaths } from './diff.js';
import type { EvalContext } from './eval-context.js';
import type { ResourceInstance } from './expand.js';
import { decodeInstance, plannedAttributes, withoutUnknowns } from './instance-config.js';
import type { ResourceChange } from './model.js';

export type FinalConfig = { attrs: Attrs } | { diagnostics: Diagnostic[] };

export function finalAttributes(
  change: ResourceChange,
  instance: ResourceInstance | undefined,
  provider: ResourceProvider,
  context: EvalContext,
  newObject: boolean,
): FinalConfig {
  if (!instance) {
    return {
      diagnostics: [
        { ...error('Resource no longer in configuration', `${change.address} was planned but the configuration no longer declares it; plan again.`), subject: change.address },
      ],
    };
  }
  const decoded = decodeInstance(instance, provider, context);
  if (decoded.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: decoded.diagnostics };
  const final = plannedAttributes(provider, decoded.attrs, change.before ?? undefined, newObject, instance.decl.lifecycle);
  const differing = inconsistentPaths(change.after ?? {}, final);
  if (differing.length > 0) {
    const paths = differing.map((p) => p.join('.')).join(', ');
    return {
      diagnostics: [
        {
          ...error(
            'Inconsistent final plan',
            `When applying changes to ${change.address}, the configuration produced values that differ from the plan for: ${paths}. ` +
              'Something changed between plan and apply (a file, a variable, an upstream object). Run plan again.',
            instance.decl.range,
          ),
          subject: change.address,
        },
      ],
    };
  }
  return { attrs: withoutUnknowns(final) };
}
