/** Public entry points of the evaluator. */
export { evaluate, type EvalResult } from './evaluate-entry.js';
export { evaluateLocals } from './locals.js';
export { FUNCTION_NAMES } from './functions/index.js';
export type { EvalScope } from './scope.js';
