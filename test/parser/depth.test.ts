/**
 * Depth and size: nesting up to the documented MAX_NESTING parses and evaluates; past it, one
 * positioned "Nesting too deep" error (never "Internal parser error" or a stack overflow). Long
 * operator chains and files with very many errors are handled without deep recursion or spreading.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { evaluate } from '../../src/config/eval/index.js';
import { parseHcl } from '../../src/config/parser.js';
import { findReferences } from '../../src/config/references.js';
import { MAX_NESTING } from '../../src/config/syntax/cursor.js';
import { makeScope } from '../config/helpers.js';

const SHAPES: Record<string, (n: number) => string> = {
  parentheses: (n) => '('.repeat(n) + '1' + ')'.repeat(n),
  tuples: (n) => '['.repeat(n) + '1' + ']'.repeat(n),
  objects: (n) => '{a='.repeat(n) + '1' + '}'.repeat(n),
  calls: (n) => 'abs('.repeat(n) + '1' + ')'.repeat(n),
  templates: (n) => '"${'.repeat(n) + '1' + '}"'.repeat(n),
  conditionals: (n) => 'true ? '.repeat(n) + '1' + ' : 2'.repeat(n),
  'if directives': (n) => '"' + '%{if true}'.repeat(n) + 'x' + '%{endif}'.repeat(n) + '"',
  'full splats': (n) => '[[1]]' + '[*]'.repeat(n),
};

describe(`nesting up to MAX_NESTING (${MAX_NESTING})`, () => {
  it.each(Object.keys(SHAPES))('%s nested to the limit parse and evaluate', (shape) => {
    // The attribute's own expression is the first level.
    const { file, diagnostics } = parseHcl(`x = ${SHAPES[shape]!(MAX_NESTING - 2)}\n`, 'deep.hcl');
    expect(diagnostics).toEqual([]);
    const attr = file.body.items[0]!;
    if (attr.kind !== 'attribute') throw new Error('expected an attribute');
    expect(findReferences(attr.expr)).toEqual([]);
    expect(evaluate(attr.expr, makeScope()).diagnostics).toEqual([]);
  });

  it.each(Object.keys(SHAPES))('%s nested past the limit give one positioned error', (shape) => {
    const { diagnostics } = parseHcl(`x = ${SHAPES[shape]!(MAX_NESTING * 10)}\n`, 'deep.hcl');
    expect(diagnostics.map((d) => d.summary)).toEqual(['Nesting too deep']);
    expect(diagnostics[0]!.range).toMatchObject({ file: 'deep.hcl', start: { line: 1 } });
    expect(diagnostics[0]!.range!.start.col).toBeGreaterThan(MAX_NESTING);
  });

  it('nested blocks past the limit give one positioned error', () => {
    const source = 'b {\n'.repeat(MAX_NESTING + 5) + '}\n'.repeat(MAX_NESTING + 5);
    const { diagnostics } = parseHcl(source, 'deep.hcl');
    expect(diagnostics.map((d) => [d.summary, d.range?.start.line])).toEqual([['Nesting too deep', MAX_NESTING + 1]]);
  });
});

describe('size', () => {
  it('validates a 4,000-term sum: references and evaluation walk it without recursion', () => {
    const sum = Array(4000).fill('1').join(' + ');
    const { config, diagnostics } = loadConfig([{ name: 'main.hcl', source: `locals {\n  x = ${sum} + local.y\n  y = 1\n}\n` }]);
    expect(diagnostics).toEqual([]);
    const x = config.locals.get('x')!;
    expect(findReferences(x.expr).map((r) => r.kind)).toEqual(['local']);
    expect(evaluate(x.expr, makeScope({ locals: { y: 1 } })).value).toBe(4001);
  });

  it('loads a file with 125,000 errors', () => {
    const source = 'a = 1 2\n'.repeat(125_000);
    const { diagnostics } = loadConfig([{ name: 'main.hcl', source }]);
    expect(diagnostics.filter((d) => d.summary === 'Missing newline after argument')).toHaveLength(125_000);
  });
});
