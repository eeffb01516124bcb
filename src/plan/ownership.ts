/**
 * The engine side of ownership proof (see OWNER_KEY in resources/provider.ts): tokens are made here,
 * handed to providers inside the attributes, and taken back out of what providers return, so the
 * token lives in the state record (`owner`) and never among the attributes plans show.
 */
import { randomUUID } from 'node:crypto';
import type { Attrs } from '../config/values.js';
import { OWNER_KEY, type ResourceProvider } from '../resources/provider.js';

/** A new proof token for one create or import; undefined for a type that cannot carry one. */
export function newOwnerToken(provider: ResourceProvider): string | undefined {
  return provider.ownershipProof === 'token' ? randomUUID() : undefined;
}

/**
 * Attributes without the proof key, and the token found on the object: a string, null when the object
 * carries no proof for itself, undefined when the provider does not report proofs.
 */
export function splitOwner(attrs: Attrs): { attrs: Attrs; owner: string | null | undefined } {
  if (!(OWNER_KEY in attrs)) return { attrs, owner: undefined };
  const { [OWNER_KEY]: owner, ...rest } = attrs;
  return { attrs: rest, owner: typeof owner === 'string' ? owner : null };
}

/** Attributes for a provider call, carrying the object's proof token when it has one. */
export function withOwner(attrs: Attrs, owner: string | undefined): Attrs {
  return owner === undefined ? attrs : { ...attrs, [OWNER_KEY]: owner };
}
