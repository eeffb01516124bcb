/**
 * Checks that keep one object from being claimed twice, run by every plan (and so by `validate`)
 * before anything touches a host:
 *  - two config instances with one identity key (vmid across lxc and vm, dataset name, storage ID);
 *  - a destroy and a create of one identity under different addresses: a rename, which must be a
 *    `moved` block, never a destroy (that would take the object) followed by a create;
 *  - a create whose identity is already taken on the refreshed node by an object not in state: phoenix
 *    did not create it, so the plan stops and names the `phoenix import` that would adopt it.
 */
import { attributes, blocks, type Range } from '../config/ast.js';
import { error, type Diagnostic } from '../config/diagnostics.js';
import { containsUnknown, type Attrs } from '../config/values.js';
import type { ResourceProvider } from '../resources/provider.js';
import type { ProviderRegistry } from '../resources/registry.js';
import type { ResourceState } from '../state/model.js';
import type { ResourceInstance } from './expand.js';
import { importId } from './import-id.js';
import type { ResourceChange } from './model.js';
import { readInBatches, type BatchReadInput } from './read-batch.js';
import { describeObject } from './reconcile.js';

interface KeyedChange {
  change: ResourceChange;
  key: string;
  attribute: string;
  label: string;
  unique?: boolean;
}

/** Identity keys of known attribute values (an unknown vmid cannot collide yet). */
function keysOf(provider: ResourceProvider | undefined, attrs: Attrs | null): ReturnType<NonNullable<ResourceProvider['identityKeys']>> {
  if (!provider?.identityKeys || !attrs) return [];
  const known = Object.fromEntries(Object.entries(attrs).filter(([, v]) => !containsUnknown(v)));
  return provider.identityKeys(known);
}

/** Where an attribute is written in the instance's block (`storage { id = … }` counts as `storage`). */
export function attributeRange(instance: ResourceInstance | undefined, attribute: string): Range | undefined {
  if (!instance) return undefined;
  const body = instance.decl.body;
  return attributes(body).find((a) => a.name === attribute)?.range ?? blocks(body, attribute)[0]?.range ?? instance.decl.range;
}

/** Two config instances with one identity: both named, the caret on the attribute of each. */
export function duplicateIdentities(
  changes: readonly ResourceChange[],
  registry: ProviderRegistry,
  instances: ReadonlyMap<string, ResourceInstance>,
): Diagnostic[] {
  const byKey = new Map<string, KeyedChange[]>();
  for (const change of changes) {
    if (change.action === 'delete') continue;
    for (const k of keysOf(registry.get(change.type), change.after)) {
      const list = byKey.get(k.key) ?? [];
      list.push({ change, ...k });
      byKey.set(k.key, list);
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const holders of byKey.values()) {
    if (holders.length < 2) continue;
    const [first, ...others] = holders as [KeyedChange, ...KeyedChange[]];
    const names = holders.map((h) => h.change.address);
    diagnostics.push({
      ...error(
        `Two resources with one ${first.label}`,
        `${names.join(' and ')} both declare ${first.label}. Each object can belong to one resource only: give each its own.`,
        attributeRange(instances.get(first.change.address), first.attribute),
      ),
      subject: first.change.address,
      related: others.flatMap((h) => {
        const range = attributeRange(instances.get(h.change.address), h.attribute);
        return range ? [{ message: `${h.change.address} declares the same ${h.label} here:`, range }] : [];
      }),
    });
  }
  return diagnostics;
}

/** The `moved` block that expresses renaming `from` to `to`. */
export function movedBlock(from: string, to: string): string {
  return `moved {\n  from = ${from}\n  to   = ${to}\n}`;
}

/**
 * A delete at one address and a create at another with the same identity: refused, with the `moved`
 * block that renames instead (the delete would destroy the very object the create wants).
 */
export function renamesAsReplacement(
  changes: readonly ResourceChange[],
  registry: ProviderRegistry,
  instances: ReadonlyMap<string, ResourceInstance>,
): Diagnostic[] {
  const deleted = new Map<string, ResourceChange>();
  for (const change of changes) {
    if (change.action !== 'delete') continue;
    for (const k of keysOf(registry.get(change.type), change.before)) deleted.set(k.key, change);
  }
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const change of changes) {
    if (change.action !== 'create' && change.action !== 'replace') continue;
    for (const k of keysOf(registry.get(change.type), change.after)) {
      const old = deleted.get(k.key);
      if (!old || old.address === change.address || reported.has(`${old.address} ${change.address}`)) continue;
      reported.add(`${old.address} ${change.address}`);
      const sameType = old.type === change.type;
      diagnostics.push({
        ...error(
          `${old.address} would be destroyed and ${change.address} created with the same ${k.label}`,
          `This plan would destroy the object of ${old.address} and then create ${change.address} with the same ${k.label}: ` +
            'the destroy would take the very object the create wants. phoenix does not run that. ' +
            (sameType
              ? `If this is a rename, say so with a moved block and plan again:\n\n${movedBlock(old.address, change.address)}`
              : `Destroy ${old.address} first (phoenix destroy -target=${old.address}), then plan again.`),
          attributeRange(instances.get(change.address), k.attribute),
        ),
        subject: change.address,
      });
    }
  }
  return diagnostics;
}

/**
 * Creates whose identity is taken on the node by an object phoenix does not hold in state. The read
 * covers every type sharing the key (a vmid used by a VM blocks a container).
 */
export async function occupiedIdentities(
  changes: readonly ResourceChange[],
  state: readonly ResourceState[],
  instances: ReadonlyMap<string, ResourceInstance>,
  input: BatchReadInput & { registry: ProviderRegistry },
): Promise<Diagnostic[]> {
  const { registry } = input;
  const held = new Set(state.flatMap((r) => keysOf(registry.get(r.type), r.attributes).map((k) => k.key)));
  const probes: { change: ResourceChange; type: string; prior: Attrs; key: KeyedChange }[] = [];
  for (const change of changes) {
    if (change.action !== 'create' && change.action !== 'replace') continue;
    const provider = registry.get(change.type);
    const before = new Set(keysOf(provider, change.before).map((k) => k.key));
    for (const k of keysOf(provider, change.after)) {
      if (before.has(k.key) || held.has(k.key)) continue; // a replace of the same object, or a rename (checked apart)
      const prior = Object.fromEntries(Object.entries(change.after!).filter(([, v]) => !containsUnknown(v)));
      for (const type of registry.types()) {
        if (keysOf(registry.get(type), prior).some((other) => other.key === k.key)) probes.push({ change, type, prior, key: { change, ...k } });
      }
    }
  }
  if (probes.length === 0) return [];
  const { results, diagnostics } = await readInBatches(
    probes.map((p) => ({ address: p.change.address, type: p.type, prior: p.prior })),
    input,
  );
  const reported = new Set<string>();
  probes.forEach((probe, i) => {
    if (!results[i] || reported.has(probe.change.address)) return;
    reported.add(probe.change.address);
    const { change, type, key } = probe;
    const provider = registry.get(change.type)!;
    const identity = provider.identity(probe.prior);
    const object = describeObject({ type, identity });
    const adopt =
      type === change.type
        ? `To manage it with ${change.address}, import it:\n\n  phoenix import ${change.address} ${importId(identity)}\n\n` +
          (key.unique ? `Otherwise remove ${change.address} from the configuration: there is only one.` : `Otherwise give ${change.address} another ${key.attribute}.`)
        : `It is a ${type}, so ${change.address} cannot adopt it: give ${change.address} another ${key.attribute}.`;
    diagnostics.push({
      ...error(
        `${key.label} is already taken on the node`,
        `${change.address} declares ${key.label}, but ${object} already exists and is not in phoenix's state: ` +
          `phoenix did not create it and leaves it alone. ${adopt}`,
        attributeRange(instances.get(change.address), key.attribute),
      ),
      subject: change.address,
    });
  });
  return diagnostics;
}
