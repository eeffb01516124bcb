/** List and map functions. Where Terraform keeps a result known despite unknown elements, so do these. */
import { compareValues, kindOf, toStringValue } from '../../convert.js';
import { appendAll } from '../../diagnostics.js';
import { isObject, isUnknown, UNKNOWN, valuesEqual, type Value, type ValueObject } from '../../values.js';
import { FunctionError, p, type FunctionTable } from './types.js';

const list = (v: Value) => v as Value[];
const map = (v: Value) => v as ValueObject;

/** Terraform caps range() so a typo cannot allocate a huge list. */
const RANGE_LIMIT = 1024;

function wholeNumber(v: Value, name: string, argIndex: number): number | FunctionError {
  const n = v as number;
  return Number.isInteger(n) ? n : new FunctionError(`${name} must be a whole number`, argIndex);
}

export const collectionFunctions: FunctionTable = {
  length: {
    params: [p('value', 'any', { allowUnknown: true })],
    impl([value]) {
      if (typeof value === 'string') return Array.from(value).length;
      if (Array.isArray(value)) return value.length;
      if (isObject(value)) return Object.keys(value).length;
      return new FunctionError(`argument must be a string, a list or a map, not ${kindOf(value)}`, 0);
    },
  },
  concat: {
    params: [],
    variadic: p('lists', 'list', { allowUnknown: true }),
    impl: (lists) => lists.flatMap((l) => list(l)),
  },
  merge: {
    params: [],
    variadic: p('maps', 'map', { allowNull: true, allowUnknown: true }),
    impl: (maps) => Object.assign({}, ...maps.filter((m) => m !== null)) as ValueObject,
  },
  lookup: {
    params: [p('inputMap', 'map', { allowUnknown: true }), p('key', 'string')],
    variadic: p('default', 'any', { allowNull: true, allowUnknown: true }),
    impl([m, key, ...fallback]) {
      if (fallback.length > 1) return new FunctionError('lookup() takes at most 3 arguments', 3);
      const k = key as string;
      if (Object.prototype.hasOwnProperty.call(m, k)) return map(m)[k]!;
      if (fallback.length === 1) return fallback[0]!;
      return new FunctionError(`the given key "${k}" is not in the map`, 1);
    },
  },
  keys: {
    params: [p('inputMap', 'map', { allowUnknown: true })],
    impl: ([m]) => Object.keys(map(m)).sort(),
  },
  values: {
    params: [p('mapping', 'map', { allowUnknown: true })],
    impl: ([m]) => Object.keys(map(m)).sort().map((k) => map(m)[k]!),
  },
  contains: {
    params: [p('list', 'list'), p('value', 'any', { allowNull: true })],
    impl: ([l, value]) => list(l).some((item) => valuesEqual(item, value)),
  },
  coalesce: {
    params: [],
    variadic: p('vals', 'any', { allowNull: true }),
    impl(vals) {
      const found = vals.find((v) => v !== null && v !== '');
      return found === undefined ? new FunctionError('no non-null, non-empty-string arguments') : found;
    },
  },
  element: {
    params: [p('list', 'list', { allowUnknown: true }), p('index', 'number')],
    impl([l, indexValue]) {
      const i = wholeNumber(indexValue, 'index', 1);
      if (i instanceof FunctionError) return i;
      if (i < 0) return new FunctionError('cannot use element function with a negative index', 1);
      if (list(l).length === 0) return new FunctionError('cannot use element function with an empty list', 0);
      return list(l)[i % list(l).length]!;
    },
  },
  index: {
    params: [p('list', 'list'), p('value', 'any')],
    impl([l, value]) {
      const i = list(l).findIndex((item) => valuesEqual(item, value));
      return i < 0 ? new FunctionError('item not found', 1) : i;
    },
  },
  flatten: {
    params: [p('list', 'list', { allowUnknown: true })],
    impl([l]) {
      // A nested unknown might be a list, so how many elements result is undecided.
      if (list(l).some(isUnknown)) return UNKNOWN;
      return flattenDeep(list(l));
    },
  },
  distinct: {
    params: [p('list', 'list')],
    impl: ([l]) => list(l).filter((item, i, all) => all.findIndex((other) => valuesEqual(other, item)) === i),
  },
  sort: {
    params: [p('list', 'list')],
    impl([l]) {
      const strings: string[] = [];
      for (const item of list(l)) {
        const s = item === null ? undefined : toStringValue(item);
        if (s === undefined) return new FunctionError('given list element is not a string', 0);
        strings.push(s);
      }
      return strings.sort(compareValues);
    },
  },
  reverse: {
    params: [p('list', 'list', { allowUnknown: true })],
    impl: ([l]) => [...list(l)].reverse(),
  },
  slice: {
    params: [p('list', 'list', { allowUnknown: true }), p('start_index', 'number'), p('end_index', 'number')],
    impl([l, startValue, endValue]) {
      const start = wholeNumber(startValue, 'start_index', 1);
      if (start instanceof FunctionError) return start;
      const end = wholeNumber(endValue, 'end_index', 2);
      if (end instanceof FunctionError) return end;
      if (start < 0) return new FunctionError('start_index must be greater than or equal to 0', 1);
      if (end > list(l).length) return new FunctionError('end_index must be less than or equal to the length of the list', 2);
      if (start > end) return new FunctionError('start_index must be less than or equal to end_index', 1);
      return list(l).slice(start, end);
    },
  },
  zipmap: {
    params: [p('keys', 'list'), p('values', 'list', { allowUnknown: true })],
    impl([keyList, valueList]) {
      if (list(keyList).length !== list(valueList).length) {
        return new FunctionError(`number of keys (${list(keyList).length}) does not match number of values (${list(valueList).length})`);
      }
      const out: ValueObject = {};
      for (let i = 0; i < list(keyList).length; i++) {
        const key = list(keyList)[i]!;
        const k = key === null ? undefined : toStringValue(key);
        if (k === undefined) return new FunctionError(`key ${i} is not a string`, 0);
        out[k] = list(valueList)[i]!;
      }
      return out;
    },
  },
  range: {
    params: [p('start_or_limit', 'number')],
    variadic: p('end_and_step', 'number'),
    impl(args) {
      if (args.length > 3) return new FunctionError('range() takes at most 3 arguments', 3);
      const [a, b, c] = args as number[];
      const start = args.length === 1 ? 0 : a!;
      const end = args.length === 1 ? a! : b!;
      const step = c ?? (end >= start ? 1 : -1);
      if (step === 0) return new FunctionError('step must not be zero', 2);
      if ((step > 0 && end < start) || (step < 0 && end > start)) {
        return new FunctionError(`step must be ${step > 0 ? 'negative' : 'positive'} to count from ${start} to ${end}`, 2);
      }
      const out: number[] = [];
      for (let n = start; step > 0 ? n < end : n > end; n += step) {
        if (out.length >= RANGE_LIMIT) return new FunctionError(`more than ${RANGE_LIMIT} values were generated; the limit is ${RANGE_LIMIT}`);
        out.push(n);
      }
      return out;
    },
  },
};

function flattenDeep(items: readonly Value[]): Value {
  const out: Value[] = [];
  for (const item of items) {
    if (isUnknown(item)) return UNKNOWN;
    if (Array.isArray(item)) {
      const inner = flattenDeep(item);
      if (isUnknown(inner)) return UNKNOWN;
      appendAll(out, inner as Value[]);
    } else out.push(item);
  }
  return out;
}

