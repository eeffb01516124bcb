/** Number functions. */
import { FunctionError, p, type FunctionTable } from './types.js';

export const numericFunctions: FunctionTable = {
  min: {
    params: [],
    variadic: p('numbers', 'number'),
    impl: (numbers) => (numbers.length === 0 ? new FunctionError('must pass at least one number') : Math.min(...(numbers as number[]))),
  },
  max: {
    params: [],
    variadic: p('numbers', 'number'),
    impl: (numbers) => (numbers.length === 0 ? new FunctionError('must pass at least one number') : Math.max(...(numbers as number[]))),
  },
  abs: { params: [p('num', 'number')], impl: ([n]) => Math.abs(n as number) },
  ceil: { params: [p('num', 'number')], impl: ([n]) => Math.ceil(n as number) },
  floor: { params: [p('num', 'number')], impl: ([n]) => Math.floor(n as number) },
};
