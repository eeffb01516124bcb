/** How objects are named to `phoenix import`: the ID for an identity. */
import type { Attrs } from '../config/values.js';

/** The id handed to provider.import for an identity: its `id`, else its values other than `node`. */
export function importId(identity: Attrs): string {
  if (typeof identity.id === 'string') return identity.id;
  return Object.entries(identity)
    .filter(([k]) => k !== 'node')
    .map(([, v]) => String(v))
    .join('/');
}
