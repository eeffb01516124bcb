/** The hostile argument strings live with the campaign that also uses them. */
export { hostileArguments, splitNulTerminated } from '../../src/bench/hostile-strings.js';
