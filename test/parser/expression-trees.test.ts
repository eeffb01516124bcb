/**
 * Differential test of whole expression trees against HashiCorp's parser (hclsyntax compiled to WASM,
 * its tree exposed by @cdktn/hcl2json's getExpressionAst): every attribute expression of the valid
 * corpus, hand-picked cases, and generated expressions. See expression-trees.ts for what is compared.
 */
import { getExpressionAst } from '@cdktn/hcl2json';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Body, Expr } from '../../src/config/ast.js';
import { parseExpression, parseHcl } from '../../src/config/parser.js';
import { oracleTree, ourTree } from './expression-trees.js';

async function compare(source: string): Promise<void> {
  const { expr, diagnostics } = parseExpression(source, 'e.hcl');
  expect(diagnostics.map((d) => d.summary), source).toEqual([]);
  const oracle = await getExpressionAst('e.hcl', source);
  expect(ourTree(expr!, source), source).toBe(oracleTree(oracle as never));
}

function attributeExpressions(body: Body, out: Expr[] = []): Expr[] {
  for (const item of body.items) {
    if (item.kind === 'attribute') out.push(item.expr);
    else attributeExpressions(item.body, out);
  }
  return out;
}

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'hcl', 'valid');

describe('expression trees match HashiCorp parser', () => {
  it('every attribute expression of the valid corpus', async () => {
    let compared = 0;
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.hcl'))) {
      const source = readFileSync(join(fixtures, name), 'utf8');
      for (const expr of attributeExpressions(parseHcl(source, name).file.body)) {
        // A heredoc's closing marker needs the newline after it.
        await compare(source.slice(expr.range.start.offset, expr.range.end.offset) + '\n');
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  }, 60_000);

  it.each([
    'a + b * c - d / e % f',
    'a || b && c == d != e < f >= g',
    '-a.b[0] + !c',
    'a ? b : c ? d : e',
    '(a + b) * c',
    'local.l[*].b.0',
    'local.n[*].b[*].c',
    'a.*.b.0',
    'x.1e5',
    'a["k"].b[c].d',
    'f(x)[0].y',
    'provider::ns::f(1, 2)',
    'f(a, b...)',
    '{ null = 1, true = 2, "s" = 3, (k) = 4, a.b = 5 }',
    '[for k, v in m : "${k}=${v}" if v != null]',
    '{ for k, v in m : k => v... if k != "x" }',
    '"a\\tb${x}c %{ if y }yes%{ else }no%{ endif } $${lit}"',
    '"%{ for i, x in xs }${i}:${x},%{ endfor }"',
    '<<-EOT\n    hello ${name}\n      indented\n    EOT\n',
    '"${a}"',
    '[1, 1.5e3, true, null, "s"]',
  ])('%s', async (source) => {
    await compare(source);
  });

  it('generated expressions', async () => {
    const names = fc.constantFrom('a', 'b', 'local.x', 'var.y', 'lxc.web', 'each.key');
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        names,
        fc.constantFrom('1', '2.5', '0', 'true', 'null', '"s"', '"x${a}y"'),
        fc.tuple(tie('expr'), fc.constantFrom(...Object.keys({ '+': 1, '-': 1, '*': 1, '/': 1, '%': 1, '==': 1, '!=': 1, '<': 1, '>=': 1, '&&': 1, '||': 1 })), tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
        fc.tuple(fc.constantFrom('-', '!'), tie('expr')).map(([op, e]) => `${op}${e}`),
        fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, t, e]) => `${c} ? ${t} : ${e}`),
        tie('expr').map((e) => `(${e})`),
        fc.tuple(names, fc.constantFrom('.a', '[0]', '["k"]', '.0', '[*].b', '.*.c', '[*][*]', '[a]')).map(([n, s]) => `${n}${s}`),
        fc.array(tie('expr'), { maxLength: 3 }).map((args) => `f(${args.join(', ')})`),
        fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc.tuple(tie('expr'), tie('expr')).map(([k, v]) => `{ k = ${k}, (${k}) = ${v} }`),
        fc.tuple(tie('expr'), tie('expr')).map(([c, v]) => `[for k, x in ${c} : ${v}]`),
        tie('expr').map((e) => `"<\${${e}}>"`),
      ),
    }));
    await fc.assert(fc.asyncProperty(expr, compare), { numRuns: 500 });
  }, 120_000);
});
