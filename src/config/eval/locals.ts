/**
 * Local values: their evaluation order (dependencies first) and reference cycles, shared by the loader
 * (which reports cycles) and evaluateLocals.
 */
import { appendAll, error, type Diagnostic } from '../diagnostics.js';
import type { Config, LocalDecl } from '../model.js';
import { findReferences } from '../references.js';
import { UNKNOWN, type Value } from '../values.js';
import { evaluate } from './evaluate-entry.js';
import type { EvalScope } from './scope.js';

/** Locals in dependency order, and each reference cycle found (members in reference order). */
export function orderLocals(locals: ReadonlyMap<string, LocalDecl>): { order: string[]; cycles: string[][] } {
  const order: string[] = [];
  const cycles: string[][] = [];
  const inCycle = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (!locals.has(name) || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = stack.slice(stack.indexOf(name));
      if (!cycle.some((n) => inCycle.has(n))) cycles.push(cycle);
      cycle.forEach((n) => inCycle.add(n));
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const ref of findReferences(locals.get(name)!.expr)) if (ref.kind === 'local') visit(ref.name);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of locals.keys()) visit(name);
  return { order, cycles };
}

/** The diagnostic for one cycle: "Self-referencing local value" or "Cycle in local values". */
export function localCycleDiagnostic(cycle: string[], locals: ReadonlyMap<string, LocalDecl>): Diagnostic {
  const first = cycle[0]!;
  const summary = cycle.length === 1 ? 'Self-referencing local value' : 'Cycle in local values';
  const detail = cycle.length === 1 ? `local.${first} refers to itself.` : `These local values refer to each other: local.${[...cycle, first].join(' → local.')}.`;
  return {
    ...error(summary, detail, locals.get(first)!.range),
    related: cycle.map((n) => ({ message: `local.${n}`, range: locals.get(n)!.range })),
  };
}

/**
 * Evaluates every local in dependency order. A local in a reference cycle is reported and becomes
 * unknown. Also returns which locals are sensitive, to pass on as `EvalScope.sensitiveLocals`.
 * A resource the config declares but the scope has no value for (e.g. before planning) reads as
 * unknown rather than undeclared.
 */
export function evaluateLocals(
  config: Config,
  scope: Omit<EvalScope, 'locals'>,
): { locals: Record<string, Value>; sensitiveLocals: Set<string>; diagnostics: Diagnostic[] } {
  const locals: Record<string, Value> = {};
  const sensitiveLocals = new Set<string>();
  const fullScope: EvalScope = {
    ...scope,
    resourceAddresses: () => config.resources.keys(),
    resource: (address) => scope.resource(address) ?? (config.resources.has(address) ? UNKNOWN : undefined),
    locals,
    sensitiveLocals,
  };
  const { order, cycles } = orderLocals(config.locals);
  const diagnostics = cycles.map((cycle) => localCycleDiagnostic(cycle, config.locals));
  for (const name of cycles.flat()) locals[name] = UNKNOWN;
  for (const name of order) {
    if (name in locals) continue;
    const result = evaluate(config.locals.get(name)!.expr, fullScope);
    locals[name] = result.value;
    if (result.sensitive) sensitiveLocals.add(name);
    appendAll(diagnostics, result.diagnostics);
  }
  return { locals, sensitiveLocals, diagnostics };
}
