/** The config-evaluation functions the engine uses, imported in one place (see docs/MODULE-APIS.md). */
export { evaluate, evaluateLocals } from '../config/eval/index.js';
export { decodeBody } from '../config/decode.js';
export { findReferences, bodyReferences } from '../config/references.js';
export type { EvalScope } from '../config/eval/scope.js';
