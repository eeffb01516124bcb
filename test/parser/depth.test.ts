/**
 * Depth and size: brackets, calls and strings nest up to the documented MAX_NESTING (10,000), the
 * constructs parsed on one call stack (blocks, template directives, splats, `then` branches) up to
 * STACK_NESTING, and operator / else / unary chains without limit. Parsing, reference collection,
 * evaluation and fmt all get through such trees; past a limit there is one positioned "Nesting too
 * deep" error, never "Internal parser error" or a stack overflow.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { evaluate } from '../../src/config/eval/index.js';
import { formatHcl } from '../../src/config/fmt.js';
import { parseHcl } from '../../src/config/parser.js';
import { findReferences } from '../../src/config/references.js';
import { MAX_NESTING, STACK_NESTING } from '../../src/config/syntax/cursor.js';
import { makeScope } from '../config/helpers.js';

/** Shapes the parser defers past a stack's worth of levels: limited only by MAX_NESTING. */
const BRACKETED: Record<string, (n: number) => string> = {
  parentheses: (n) => '('.repeat(n) + '1' + ')'.repeat(n),
  tuples: (n) => '['.repeat(n) + '1' + ']'.repeat(n),
  objects: (n) => '{ a = '.repeat(n) + '1' + ' }'.repeat(n),
  'objects over lines': (n) => '{\na = '.repeat(n) + '1' + '\n}'.repeat(n),
  calls: (n) => 'abs('.repeat(n) + '1' + ')'.repeat(n),
  templates: (n) => '"${'.repeat(n) + '1' + '}"'.repeat(n),
  heredocs: (n) => '<<EOT\n${'.repeat(n) + '1' + '}\nEOT\n'.repeat(n),
  'calls of tuples': (n) => 'flatten(['.repeat(n / 2) + '1' + '])'.repeat(n / 2),
};

/** Shapes parsed on one call stack: limited by STACK_NESTING. */
const STACKED: Record<string, (n: number) => string> = {
  'conditionals in the true branch': (n) => 'true ? '.repeat(n) + '1' + ' : 2'.repeat(n),
  'if directives': (n) => '"' + '%{if true}'.repeat(n) + 'x' + '%{endif}'.repeat(n) + '"',
  'full splats': (n) => '[[1]]' + '[*]'.repeat(n),
};

/** Chains read in loops: no limit. */
const CHAINS: Record<string, (n: number) => string> = {
  'conditionals in the false branch': (n) => 'false ? 1 : '.repeat(n) + '2',
  'unary operators': (n) => '- -'.repeat(n / 2) + '1',
  'binary operators': (n) => Array(n).fill('1').join(' + '),
};

function attributeExpr(source: string) {
  const { file, diagnostics } = parseHcl(source, 'deep.hcl');
  expect(diagnostics).toEqual([]);
  const attr = file.body.items[0]!;
  if (attr.kind !== 'attribute') throw new Error('expected an attribute');
  return attr.expr;
}

/** Parse, references, evaluation and fmt (to a fixed point) all get through `x = SHAPE`. */
function expectWalkable(source: string): void {
  const expr = attributeExpr(source);
  expect(findReferences(expr)).toEqual([]);
  expect(evaluate(expr, makeScope()).diagnostics).toEqual([]);
  const once = formatHcl(source, 'deep.hcl');
  expect(once.diagnostics).toEqual([]);
  expect(once.output.startsWith('x = ')).toBe(true);
  // 10,000 levels over lines indent to 100 MB of output (as terraform fmt would): not formatted twice.
  if (once.output.length < 1_000_000) expect(formatHcl(once.output, 'deep.hcl').output).toBe(once.output);
}

function expectOneTooDeep(source: string): void {
  const { diagnostics } = parseHcl(source, 'deep.hcl');
  expect(diagnostics.map((d) => d.summary)).toEqual(['Nesting too deep']);
  expect(diagnostics[0]!.range).toMatchObject({ file: 'deep.hcl' });
  expect(diagnostics[0]!.range!.start.offset).toBeGreaterThan(0);
}

describe(`brackets, calls and strings nest up to MAX_NESTING (${MAX_NESTING})`, () => {
  // The attribute's own expression is the first level.
  it.each(Object.keys(BRACKETED))('%s nested to the limit parse, evaluate and format', (shape) => {
    expectWalkable(`x = ${BRACKETED[shape]!(MAX_NESTING - 2)}\n`);
  });

  it.each(Object.keys(BRACKETED))('%s nested past the limit give one positioned error', (shape) => {
    expectOneTooDeep(`x = ${BRACKETED[shape]!(MAX_NESTING + 2)}\n`);
  });

  it('the error points at the construct that passes the limit', () => {
    const { diagnostics } = parseHcl(`x = ${'['.repeat(MAX_NESTING + 50)}1${']'.repeat(MAX_NESTING + 50)}\n`, 'deep.hcl');
    // The attribute's value is level 1, so the inside of bracket N is level N + 1: bracket 10,001 is too deep.
    expect(diagnostics[0]!.range!.start).toMatchObject({ line: 1, col: 'x = '.length + MAX_NESTING + 1 });
  });

  it('a deep value inside a block inside a file with other errors reports them all', () => {
    const source = `b {\n  x = ${BRACKETED.objects!(MAX_NESTING / 2)}\n  y = [1 2]\n}\n`;
    const { diagnostics } = parseHcl(source, 'deep.hcl');
    expect(diagnostics.map((d) => [d.summary, d.range?.start.line])).toEqual([['Missing item separator', 3]]);
  });
});

describe(`blocks, directives, splats and true branches nest up to STACK_NESTING (${STACK_NESTING})`, () => {
  it.each(Object.keys(STACKED))('%s nested to the limit parse and evaluate', (shape) => {
    expectWalkable(`x = ${STACKED[shape]!(STACK_NESTING - 2)}\n`);
  });

  it.each(Object.keys(STACKED))('%s nested past the limit give one positioned error', (shape) => {
    expectOneTooDeep(`x = ${STACKED[shape]!(STACK_NESTING * 3)}\n`);
  });

  it('nested blocks past the limit give one positioned error', () => {
    const source = 'b {\n'.repeat(STACK_NESTING + 5) + '}\n'.repeat(STACK_NESTING + 5);
    const { diagnostics } = parseHcl(source, 'deep.hcl');
    expect(diagnostics.map((d) => [d.summary, d.range?.start.line])).toEqual([['Nesting too deep', STACK_NESTING + 1]]);
  });
});

describe('chains have no depth limit', () => {
  // Twice MAX_NESTING, five times the 4,000 terms a recursive walk could not get through.
  it.each(Object.keys(CHAINS))('%s 20,000 long parse, evaluate and format', (shape) => {
    expectWalkable(`x = ${CHAINS[shape]!(20_000)}\n`);
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
