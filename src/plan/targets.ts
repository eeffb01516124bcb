/** -target: the targeted instances plus what they need (normal plan) or what needs them (destroy). */
import { dependenciesOf, dependentsOf, type Graph } from '../graph/dag.js';
import { addressMatches } from './address.js';

export const TARGETING_WARNING = {
  summary: 'Resource targeting is in effect',
  detail:
    'You are creating a plan with -target, so it may not show every change the configuration asks for. ' +
    '-target is for exceptional situations such as recovering from errors; do not use it routinely.',
};

/** The selected instance addresses, or undefined when no -target was given. */
export function selectTargets(graph: Graph, targets: readonly string[], mode: 'normal' | 'destroy'): Set<string> | undefined {
  if (targets.length === 0) return undefined;
  const matched = graph.nodes().filter((address) => targets.some((t) => addressMatches(t, address)));
  const related = mode === 'destroy' ? dependentsOf(graph, matched) : dependenciesOf(graph, matched);
  return new Set([...matched, ...related]);
}
