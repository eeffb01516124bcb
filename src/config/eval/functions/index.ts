/** The function library, by name. */
import { collectionFunctions } from './collections.js';
import { conversionFunctions } from './conversion.js';
import { encodingFunctions } from './encoding.js';
import { filesystemFunctions } from './filesystem.js';
import { networkFunctions } from './network.js';
import { numericFunctions } from './numeric.js';
import { stringFunctions } from './strings.js';
import type { FunctionDef } from './types.js';

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  Object.entries({
    ...stringFunctions,
    ...collectionFunctions,
    ...numericFunctions,
    ...conversionFunctions,
    ...encodingFunctions,
    ...networkFunctions,
    ...filesystemFunctions,
  }),
);

/** Every callable name, including the special forms handled by the evaluator. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys(), 'can', 'try'];
