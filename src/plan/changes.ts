/** Building ResourceChange records and the plan summary. */
import type { Attrs } from '../config/values.js';
import type { ChangeAction, PlanSummary, ResourceChange } from './model.js';
import { parseAddress } from './address.js';

export function makeChange(
  fields: Pick<ResourceChange, 'address' | 'type' | 'action' | 'before' | 'after' | 'dependencies'> &
    Partial<Omit<ResourceChange, 'address' | 'type' | 'action' | 'before' | 'after' | 'dependencies'>>,
): ResourceChange {
  const parsed = parseAddress(fields.address);
  const attrs: Attrs | null = fields.after ?? fields.before;
  const node = attrs && typeof attrs.node === 'string' ? attrs.node : undefined;
  return {
    name: parsed?.name ?? fields.address,
    ...(parsed?.index !== undefined ? { index: parsed.index } : {}),
    ...(node !== undefined ? { node } : {}),
    changedPaths: [],
    replacePaths: [],
    restartPaths: [],
    sensitivePaths: [],
    ...fields,
  };
}

export function summarize(changes: readonly ResourceChange[]): PlanSummary {
  const count = (...actions: ChangeAction[]): number => changes.filter((c) => actions.includes(c.action)).length;
  return {
    add: count('create', 'replace'),
    change: count('update'),
    destroy: count('delete', 'replace'),
    restart: changes.filter((c) => c.action === 'update' && c.restartPaths.length > 0).length,
  };
}
