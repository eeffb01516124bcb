/** String functions. Lengths and offsets count Unicode code points, not UTF-16 units. */
import { toStringValue } from '../../convert.js';
import type { Value } from '../../values.js';
import { formatValues } from './format.js';
import { FunctionError, p, type FunctionTable } from './types.js';

const str = (v: Value) => v as string;

export const stringFunctions: FunctionTable = {
  format: {
    params: [p('format', 'string')],
    variadic: p('args', 'any', { allowNull: true }),
    impl([format, ...args]) {
      const result = formatValues(str(format), args);
      return 'error' in result ? new FunctionError(result.error) : result.text;
    },
  },
  formatlist: {
    params: [p('format', 'string')],
    variadic: p('args', 'any', { allowNull: true }),
    impl([format, ...args]) {
      const lengths = args.filter(Array.isArray).map((a) => a.length);
      if (lengths.some((n) => n !== lengths[0])) return new FunctionError('all list arguments must have the same length');
      const rows = lengths[0] ?? 1;
      const out: Value[] = [];
      for (let row = 0; row < rows; row++) {
        const result = formatValues(str(format), args.map((a) => (Array.isArray(a) ? a[row]! : a)));
        if ('error' in result) return new FunctionError(result.error);
        out.push(result.text);
      }
      return out;
    },
  },
  join: {
    params: [p('separator', 'string')],
    variadic: p('lists', 'list'),
    impl([separator, ...lists]) {
      if (lists.length === 0) return new FunctionError('at least one list is required');
      const items: string[] = [];
      for (let i = 0; i < lists.length; i++) {
        for (const item of lists[i] as Value[]) {
          const s = item === null ? undefined : toStringValue(item);
          if (s === undefined) return new FunctionError(`element of list ${i + 1} is ${item === null ? 'null' : 'not a string'}`, i + 1);
          items.push(s);
        }
      }
      return items.join(str(separator));
    },
  },
  split: {
    params: [p('separator', 'string'), p('str', 'string')],
    impl: ([separator, s]) => (str(s) === '' ? [] : str(s).split(str(separator))),
  },
  upper: { params: [p('str', 'string')], impl: ([s]) => str(s).toUpperCase() },
  lower: { params: [p('str', 'string')], impl: ([s]) => str(s).toLowerCase() },
  trimspace: { params: [p('str', 'string')], impl: ([s]) => str(s).trim() },
  trimprefix: {
    params: [p('str', 'string'), p('prefix', 'string')],
    impl: ([s, prefix]) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : s),
  },
  trimsuffix: {
    params: [p('str', 'string'), p('suffix', 'string')],
    impl: ([s, suffix]) => (str(suffix) !== '' && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : s),
  },
  startswith: { params: [p('str', 'string'), p('prefix', 'string')], impl: ([s, prefix]) => str(s).startsWith(str(prefix)) },
  endswith: { params: [p('str', 'string'), p('suffix', 'string')], impl: ([s, suffix]) => str(s).endsWith(str(suffix)) },
  replace: {
    params: [p('str', 'string'), p('substr', 'string'), p('replace', 'string')],
    impl([s, search, replacement]) {
      const pattern = str(search);
      if (pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
        const re = compileRegex(pattern.slice(1, -1));
        if (typeof re === 'string') return new FunctionError(`invalid regular expression ${pattern}: ${re}`, 1);
        // Go-style `${1}` / `${name}` references become JS `$1` / `$<name>`.
        const jsReplacement = str(replacement).replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{([A-Za-z_]\w*)\}/g, '$$<$1>');
        return str(s).replace(re, jsReplacement);
      }
      return pattern === '' ? s : str(s).split(pattern).join(str(replacement));
    },
  },
  substr: {
    params: [p('str', 'string'), p('offset', 'number'), p('length', 'number')],
    impl([s, offsetValue, lengthValue]) {
      const chars = Array.from(str(s));
      let offset = offsetValue as number;
      const length = lengthValue as number;
      if (!Number.isInteger(offset) || !Number.isInteger(length)) return new FunctionError('offset and length must be whole numbers');
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      if (offset > chars.length) return new FunctionError('offset is beyond the end of the string', 1);
      const end = length < 0 ? chars.length : Math.min(chars.length, offset + length);
      return chars.slice(offset, end).join('');
    },
  },
};

const compiledRegexes = new Map<string, RegExp | string>();

/** A global regex for replace(), compiled once per pattern; an error message when invalid. */
function compileRegex(source: string): RegExp | string {
  let re = compiledRegexes.get(source);
  if (re === undefined) {
    try {
      // Go's named groups `(?P<name>...)` are written `(?<name>...)` in JS.
      re = new RegExp(source.replace(/\(\?P</g, '(?<'), 'gu');
    } catch (e) {
      re = (e as Error).message;
    }
    if (compiledRegexes.size >= 256) compiledRegexes.clear();
    compiledRegexes.set(source, re);
  }
  if (typeof re !== 'string') re.lastIndex = 0;
  return re;
}
