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
  // Built step by step rather than with spreads between literal keys, which make V8 allocate a new
  // hidden class per change; the keys (and their order) are the same.
  const change: Partial<ResourceChange> = { name: parsed?.name ?? fields.address };
  if (parsed?.index !== undefined) change.index = parsed.index;
  if (node !== undefined) change.node = node;
  change.changedPaths = [];
  change.replacePaths = [];
  change.restartPaths = [];
  change.sensitivePaths = [];
  return Object.assign(change, fields) as ResourceChange;
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
