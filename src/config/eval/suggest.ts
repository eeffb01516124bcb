/** The " Did you mean ...?" sentence appended to "not declared"/"not expected" details. */
import { didYouMean } from '../diagnostics.js';

/** Empty when no candidate is close enough; `prefix` is shown before the match (e.g. `var.`). */
export function suggest(name: string, candidates: Iterable<string>, prefix: string): string {
  const match = didYouMean(name, candidates);
  return match === undefined ? '' : ` Did you mean "${prefix}${match}"?`;
}
