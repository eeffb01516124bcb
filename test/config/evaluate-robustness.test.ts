/**
 * Whatever expression a user writes, evaluation ends in a value plus diagnostics, never an exception:
 * random expressions built from the whole grammar and the whole function library.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { evaluate, FUNCTION_NAMES } from '../../src/config/eval/index.js';
import { FUNCTIONS } from '../../src/config/eval/functions/index.js';
import { parseExpression } from '../../src/config/parser.js';
import { UNKNOWN } from '../../src/config/values.js';
import { makeScope } from './helpers.js';

const scope = makeScope({
  variables: { s: 'web', n: 3, l: ['a', 'b'], m: { a: 1, b: [2] }, u: UNKNOWN, z: null },
  resources: { 'lxc.web': [{ vmid: 1, ip: UNKNOWN }], 'lxc.db': { vmid: 2 } },
  files: { 't.tpl': 'x=${x}' },
});

function arity(name: string): { minLength: number; maxLength: number } {
  const fn = FUNCTIONS.get(name);
  if (!fn) return { minLength: 1, maxLength: 2 }; // can, try
  return { minLength: fn.params.length, maxLength: fn.params.length + (fn.variadic ? 2 : 0) };
}

const { expr: source } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '-2.5', '0', '3', '"s"', 'true', 'null', '""', '"10.0.0.0/24"', '"t.tpl"', '"%s-%d"'),
    fc.constantFrom('var.s', 'var.n', 'var.l', 'var.m', 'var.u', 'var.z', 'var.nope', 'lxc.web', 'lxc.web[0].ip', 'lxc.db.vmid', 'lxc.web[*].vmid', 'each.key', 'count.index', 'path.root'),
    // Mostly the right number of arguments, so calls get past the arity check into the implementations.
    fc.constantFrom(...FUNCTION_NAMES).chain((f) => fc.array(tie('expr'), arity(f)).map((args) => `${f}(${args.join(', ')})`)),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('!', '-'), tie('expr')).map(([op, a]) => `${op}(${a})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.tuple(tie('expr'), tie('expr')).map(([k, v]) => `{ (${k}) = ${v} }`),
    fc.tuple(tie('expr'), tie('expr')).map(([t, k]) => `(${t})[${k}]`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, v, f]) => `[for k, x in ${c} : ${v} if ${f}]`),
    fc.tuple(tie('expr'), tie('expr')).map(([c, v]) => `{for k, x in ${c} : k => ${v}...}`),
    tie('expr').map((t) => `(${t})[*].a`),
    tie('expr').map((t) => `"pre \${${t}} %{ if x == 1 }one%{ endif }"`),
  ),
}));

test('evaluation never throws, whatever the expression', () => {
  fc.assert(
    fc.property(source, (text) => {
      const { expr } = parseExpression(text, 'fuzz.hcl');
      if (!expr) return;
      const result = evaluate(expr, scope);
      expect(result.value).not.toBeUndefined();
      // Errors inside templatefile() point into the template file.
      for (const d of result.diagnostics) expect(['fuzz.hcl', 't.tpl']).toContain(d.range?.file);
    }),
    { numRuns: 1000 },
  );
}, 120_000);
