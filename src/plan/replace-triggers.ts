/**
 * `lifecycle { replace_triggered_by = [...] }`: an instance is replaced when a referenced instance is
 * replaced, or, for an attribute reference, when that attribute's value changes (an unknown planned
 * value counts as a change). Unlike Terraform, an in-place update of a whole referenced instance does
 * not trigger: a feature should re-run when its guest is rebuilt, not when its memory is raised.
 * The loader makes every trigger a dependency too, so referenced instances are planned first.
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { ReplaceTrigger } from '../config/model.js';
import { valuesEqual, type Value } from '../config/values.js';
import { instanceAddress, resourceOf } from './address.js';
import { evaluate } from './config-api.js';
import { getPath } from './diff.js';
import type { EvalContext } from './eval-context.js';
import type { ResourceInstance } from './expand.js';
import type { ResourceChange } from './model.js';

export interface TriggerResult {
  /** What fired: the referenced instance, with the attribute path for an attribute trigger (`vm.k3s[0].vmid`). */
  firedBy?: string;
  diagnostics: Diagnostic[];
}

/** Which of the instance's triggers fires, judged on the changes planned so far (dependencies first). */
export function firedReplaceTrigger(
  instance: ResourceInstance,
  context: EvalContext,
  planned: ReadonlyMap<string, ResourceChange>,
): TriggerResult {
  const diagnostics: Diagnostic[] = [];
  for (const trigger of instance.decl.lifecycle.replaceTriggeredBy ?? []) {
    const referenced = referencedInstance(trigger, instance, context, diagnostics);
    if (referenced === undefined) continue;
    const changes =
      referenced === 'all' ? [...planned.values()].filter((c) => resourceOf(c.address) === trigger.resource) : [planned.get(referenced)].filter((c) => c !== undefined);
    const firing = changes.find((c) => fires(trigger, c));
    if (firing) return { firedBy: [firing.address, ...trigger.path].join('.'), diagnostics };
  }
  return { diagnostics };
}

function fires(trigger: ReplaceTrigger, change: ResourceChange): boolean {
  if (change.action !== 'replace' && change.action !== 'update') return false;
  if (trigger.path.length === 0) return change.action === 'replace';
  const before: Value = getPath(change.before ?? {}, trigger.path) ?? null;
  const after: Value = getPath(change.after ?? {}, trigger.path) ?? null;
  return !valuesEqual(before, after);
}

/** The referenced instance: its address, 'all' without a key, undefined when the key does not evaluate. */
function referencedInstance(
  trigger: ReplaceTrigger,
  instance: ResourceInstance,
  context: EvalContext,
  diagnostics: Diagnostic[],
): string | 'all' | undefined {
  if (!trigger.index) return 'all';
  const { value, diagnostics: d } = evaluate(trigger.index, context.scope({ each: instance.each, count: instance.count }));
  diagnostics.push(...d);
  if (d.length > 0) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    diagnostics.push(error('Invalid replace_triggered_by key', `The instance key must be a number or a string; got ${JSON.stringify(value)}.`, trigger.range));
    return undefined;
  }
  return instanceAddress(trigger.resource, value);
}
