/**
 * count / for_each expansion: one ResourceInstance per instance address. An expansion value that is
 * only known after apply is an error, as in Terraform ("Invalid count argument").
 */
import { toNumberValue } from '../config/convert.js';
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { ResourceDecl } from '../config/model.js';
import type { Value } from '../config/values.js';
import { containsUnknown, isObject } from '../config/values.js';
import { instanceAddress } from './address.js';
import { evaluate } from './config-api.js';
import type { EvalContext } from './eval-context.js';

export interface ResourceInstance {
  address: string;
  decl: ResourceDecl;
  index?: number | string;
  each?: { key: Value; value: Value };
  count?: { index: number };
}

export interface Expansion {
  /** In config order (resources), then index/key order. */
  instances: ResourceInstance[];
  byAddress: Map<string, ResourceInstance>;
  diagnostics: Diagnostic[];
}

/** Expands every resource of the config; marks each as expanded in the context's resource values. */
export function expandInstances(context: EvalContext): Expansion {
  const instances: ResourceInstance[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const decl of context.config.resources.values()) {
    const expanded = expandResource(decl, context, diagnostics);
    instances.push(...expanded);
    context.values.markExpanded(decl.address);
  }
  return { instances, byAddress: new Map(instances.map((i) => [i.address, i])), diagnostics };
}

function expandResource(decl: ResourceDecl, context: EvalContext, diagnostics: Diagnostic[]): ResourceInstance[] {
  if (decl.count) {
    const { value, diagnostics: d } = evaluate(decl.count, context.scope());
    diagnostics.push(...d);
    if (d.some((x) => x.severity === 'error')) return [];
    if (containsUnknown(value)) {
      diagnostics.push(unknownExpansion('count', decl, decl.count.range));
      return [];
    }
    // Like Terraform, numeric text ("2" from -var n=2 without a type) converts to a number.
    const count = toNumberValue(value);
    if (count === undefined || !Number.isInteger(count) || count < 0) {
      diagnostics.push(
        error('Invalid count argument', `The "count" argument must be a whole number, zero or greater; got ${JSON.stringify(value)}.`, decl.count.range),
      );
      return [];
    }
    return Array.from({ length: count }, (_, i) => ({
      address: instanceAddress(decl.address, i),
      decl,
      index: i,
      count: { index: i },
    }));
  }
  if (decl.forEach) {
    const { value, diagnostics: d } = evaluate(decl.forEach, context.scope());
    diagnostics.push(...d);
    if (d.some((x) => x.severity === 'error')) return [];
    if (containsUnknown(value)) {
      diagnostics.push(unknownExpansion('for_each', decl, decl.forEach.range));
      return [];
    }
    const entries = forEachEntries(value);
    if (typeof entries === 'string') {
      diagnostics.push(error('Invalid for_each argument', entries, decl.forEach.range));
      return [];
    }
    return entries.map(([key, v]) => ({
      address: instanceAddress(decl.address, key),
      decl,
      index: key,
      each: { key, value: v },
    }));
  }
  return [{ address: decl.address, decl }];
}

/** Map/object entries, or a set (list) of strings; an error message otherwise. */
function forEachEntries(value: Value): [string, Value][] | string {
  if (isObject(value)) return Object.keys(value).sort().map((k) => [k, value[k]!]);
  if (Array.isArray(value)) {
    if (!value.every((v): v is string => typeof v === 'string')) {
      return 'The "for_each" argument must be a map, or a set of strings; this list has non-string elements.';
    }
    const unique = [...new Set(value)].sort();
    if (unique.length !== value.length) {
      return 'The "for_each" set contains duplicate values; use toset() or a map with unique keys.';
    }
    return unique.map((v) => [v, v]);
  }
  return `The "for_each" argument must be a map, or a set of strings; got ${value === null ? 'null' : typeof value}.`;
}

function unknownExpansion(argument: 'count' | 'for_each', decl: ResourceDecl, range: ResourceDecl['range']): Diagnostic {
  return error(
    `Invalid ${argument} argument`,
    `The "${argument}" value of ${decl.address} depends on resource attributes that cannot be determined until apply, ` +
      `so phoenix cannot predict how many instances will be created. Use values known at plan time ` +
      `(variables, locals, literals), or apply the resources it depends on first with -target.`,
    range,
  );
}
