/** Explicit type conversions: toset, tolist, tomap, tostring, tonumber. */
import { kindOf, makeSet, toNumberValue, toStringValue } from '../../convert.js';
import { isObject, type Value } from '../../values.js';
import { FunctionError, p, type FunctionTable } from './types.js';

export const conversionFunctions: FunctionTable = {
  toset: { params: [p('v', 'list')], impl: ([v]) => makeSet(v as Value[]) },
  tolist: { params: [p('v', 'list', { allowUnknown: true })], impl: ([v]) => v },
  tomap: {
    params: [p('v', 'any', { allowUnknown: true })],
    impl: ([v]) => (isObject(v) ? v : new FunctionError(`cannot convert ${kindOf(v)} to map`, 0)),
  },
  tostring: {
    params: [p('v', 'any', { allowNull: true })],
    impl: ([v]) => (v === null ? null : (toStringValue(v) ?? new FunctionError(`cannot convert ${kindOf(v)} to string`, 0))),
  },
  tonumber: {
    params: [p('v', 'any', { allowNull: true })],
    impl([v]) {
      if (v === null) return null;
      const n = toNumberValue(v);
      return n === undefined ? new FunctionError(`cannot convert ${typeof v === 'string' ? `"${v}"` : kindOf(v)} to number`, 0) : n;
    },
  },
};
