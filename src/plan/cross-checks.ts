/**
 * Provider checks that need the rest of the plan (ResourceProvider.validateWith): run once every
 * instance is planned, with the planned attributes of all objects that stay or are created.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { Range } from '../config/ast.js';
import type { Attrs } from '../config/values.js';
import type { ResourceProvider } from '../resources/provider.js';
import type { ResourceChange } from './model.js';

export function crossCheckPlan(
  changes: readonly ResourceChange[],
  providerOf: (type: string) => ResourceProvider | undefined,
  /** Where the instance is written; with `attribute`, where that attribute of it is (the caret's place). */
  rangeOf: (address: string, attribute?: readonly string[]) => Range | undefined,
): Diagnostic[] {
  const byType = new Map<string, Attrs[]>();
  for (const change of changes) {
    if (change.after) byType.set(change.type, [...(byType.get(change.type) ?? []), change.after]);
  }
  const planned = (type: string) => byType.get(type) ?? [];
  const diagnostics: Diagnostic[] = [];
  for (const change of changes) {
    const provider = providerOf(change.type);
    if (!change.after || !provider?.validateWith) continue;
    for (const { attribute, value: _value, ...d } of provider.validateWith(change.after, planned)) {
      const range = d.range ?? (attribute ? rangeOf(change.address, attribute) : undefined) ?? rangeOf(change.address);
      diagnostics.push({ ...d, range, subject: d.subject ?? change.address });
    }
  }
  return diagnostics;
}
