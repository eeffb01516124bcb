/** Output values: planned (may be unknown) for the plan, final for state after apply. */
import { error, tooDeepValue, type Diagnostic } from '../config/diagnostics.js';
import type { Value } from '../config/values.js';
import { containsUnknown, MAX_VALUE_NESTING, nestsDeeperThan, UNKNOWN, valuesEqual } from '../config/values.js';
import type { OutputState } from '../state/model.js';
import { evaluate } from './config-api.js';
import type { EvalContext } from './eval-context.js';
import type { OutputChange } from './model.js';
import { compare } from './refresh.js';

export interface EvaluatedOutput {
  name: string;
  value: Value;
  sensitive: boolean;
}

export function evaluateOutputs(context: EvalContext): { outputs: EvaluatedOutput[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const outputs: EvaluatedOutput[] = [];
  for (const decl of context.config.outputs.values()) {
    const result = evaluate(decl.expr, context.scope());
    diagnostics.push(...result.diagnostics);
    if (nestsDeeperThan(result.value, MAX_VALUE_NESTING)) {
      diagnostics.push(tooDeepValue(`Output "${decl.name}"`, decl.expr.range));
      result.value = UNKNOWN;
    }
    if (result.sensitive && !decl.sensitive) {
      diagnostics.push(
        error(
          'Output refers to sensitive values',
          `Output "${decl.name}" uses sensitive values; to show it only as (sensitive value), add sensitive = true to the output block.`,
          decl.range,
        ),
      );
    }
    const sensitive = decl.sensitive || result.sensitive;
    if (sensitive) context.sensitive.add(result.value);
    outputs.push({ name: decl.name, value: result.value, sensitive });
  }
  return { outputs, diagnostics };
}

export function outputChanges(
  planned: readonly EvaluatedOutput[],
  prior: Record<string, OutputState>,
): OutputChange[] {
  const changes: OutputChange[] = planned.map((o) => {
    const before = prior[o.name];
    const action = !before ? 'create' : valuesEqual(before.value, o.value) ? 'no-op' : 'update';
    return { name: o.name, action, before: before?.value ?? null, after: o.value, sensitive: o.sensitive || !!before?.sensitive };
  });
  const planNames = new Set(planned.map((o) => o.name));
  for (const [name, before] of Object.entries(prior)) {
    if (!planNames.has(name)) changes.push({ name, action: 'delete', before: before.value, after: null, sensitive: before.sensitive });
  }
  return changes.sort((a, b) => compare(a.name, b.name));
}

/** Outputs as recorded in state after apply; an output still unknown (a failed upstream) is left out. */
export function outputState(outputs: readonly EvaluatedOutput[]): Record<string, OutputState> {
  const state: Record<string, OutputState> = {};
  for (const o of outputs) if (!containsUnknown(o.value)) state[o.name] = { value: o.value, sensitive: o.sensitive };
  return state;
}
