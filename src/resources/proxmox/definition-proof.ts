/**
 * Ownership proof for definitions that have no field to carry a token (a storage in storage.cfg, the
 * cluster's or a node's firewall options and rules): an object found at an interrupted create's identity
 * is what that create made when the node holds exactly the definition the create wrote — every planned
 * attribute the read reports is equal. Weaker than a token (a hand-made identical definition passes), so
 * it serves only definitions whose removal deletes no data; anything else differing leaves it alone.
 */
import { containsUnknown, valuesEqual, type Attrs } from '../../config/values.js';
import { OWNER_KEY, type ProviderContext, type ResourceProvider } from '../provider.js';

export async function proveByDefinition(provider: ResourceProvider, ctx: ProviderContext, planned: Attrs): Promise<string | undefined> {
  const [found] = await provider.read(ctx, [{ address: '', prior: planned }]);
  if (!found) return 'it disappeared while phoenix looked at it';
  const differing = Object.keys(planned).filter(
    (key) => key !== OWNER_KEY && key in found && planned[key] !== null && !containsUnknown(planned[key]!) && !valuesEqual(planned[key]!, found[key] ?? null),
  );
  return differing.length === 0 ? undefined : `its ${differing.sort().join(', ')} ${differing.length === 1 ? 'is' : 'are'} not what that create wrote`;
}
