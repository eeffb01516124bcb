/**
 * Shared refinement of the engine's attribute diff for Proxmox resources:
 * - optional+computed attributes left unset in config keep what the host has (no diff);
 * - create-only attributes that state does not know (an imported guest) are adopted, not replaced;
 * - value-dependent classification (disk grow = in place, shrink = replace) per proxmox-cli.md §4.
 */
import { valuesEqual, type Attrs, type Value } from '../../config/values.js';
import type { DiffResult, ResourceSchema } from '../provider.js';

export type ChangeKind = 'replace' | 'restart' | 'in-place';

export interface DiffRules {
  schema: ResourceSchema;
  /** Attributes only used at create (ostemplate, password...): unknown in state after an import. */
  createOnly: readonly string[];
  /** Refines the schema's forceNew/restart for one changed attribute, or undefined to use the schema. */
  classify?(attribute: string, prior: Value | undefined, planned: Value | undefined): ChangeKind | undefined;
}

/** Planned attributes with unset optional+computed ones taken from prior (what the host keeps). */
export function withComputedFromPrior(schema: ResourceSchema, prior: Attrs, planned: Attrs): Attrs {
  const out: Attrs = { ...planned };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (attr.computed && (out[name] === null || out[name] === undefined) && prior[name] !== undefined) {
      out[name] = prior[name]!;
    }
  }
  return out;
}

/** Imported attributes with the create-only ones the host cannot report (null after an import) taken from config. */
export function adoptCreateOnly(rules: DiffRules, imported: Attrs, configured: Attrs): Attrs {
  const out: Attrs = { ...imported };
  for (const name of rules.createOnly) {
    if ((out[name] ?? null) === null && configured[name] !== undefined) out[name] = configured[name]!;
  }
  return out;
}

export function attributeChanged(rules: DiffRules, name: string, prior: Attrs, effective: Attrs): boolean {
  const before = prior[name] ?? null;
  const after = effective[name] ?? null;
  if (rules.createOnly.includes(name) && before === null) return false;
  return !valuesEqual(before, after);
}

export function refineDiff(rules: DiffRules, prior: Attrs, effective: Attrs, proposed: DiffResult): DiffResult {
  const changed = proposed.changed.filter((path) => {
    const top = path[0];
    return top === undefined || !(top in rules.schema.attributes) || attributeChanged(rules, top, prior, effective);
  });
  const replacePaths: string[][] = [];
  const restartPaths: string[][] = [];
  for (const path of changed) {
    const top = path[0];
    const attr = top === undefined ? undefined : rules.schema.attributes[top];
    if (!top || !attr) continue;
    const kind = rules.classify?.(top, prior[top], effective[top]) ?? (attr.forceNew ? 'replace' : attr.restart ? 'restart' : 'in-place');
    if (kind === 'replace') replacePaths.push(path);
    else if (kind === 'restart') restartPaths.push(path);
  }
  return { changed, replacePaths, restartPaths };
}

/** Names of top-level attributes that differ (used by update to decide which host options to send). */
export function changedAttributes(rules: DiffRules, prior: Attrs, effective: Attrs): Set<string> {
  return new Set(Object.keys(rules.schema.attributes).filter((name) => attributeChanged(rules, name, prior, effective)));
}

/** Changed attributes that take effect only at the guest's next start (`pending_changes` itself excluded). */
export function restartAttributes(rules: DiffRules, prior: Attrs, effective: Attrs): string[] {
  return [...changedAttributes(rules, prior, effective)].filter((name) => {
    if (name === 'pending_changes') return false;
    const attr = rules.schema.attributes[name]!;
    return (rules.classify?.(name, prior[name], effective[name]) ?? (attr.forceNew ? 'replace' : attr.restart ? 'restart' : 'in-place')) === 'restart';
  });
}
