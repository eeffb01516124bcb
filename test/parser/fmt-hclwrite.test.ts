/**
 * hclwrite's own formatter test cases (hashicorp/hcl hclwrite/format_test.go TestFormat, extracted into
 * test/fixtures/hclwrite/format-cases.json). Cases whose input is an expression rather than a
 * configuration body (`( a+2 )`) are formatted as the value of an argument, `x = ( a+2 )`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHcl } from '../../src/config/fmt.js';
import { parseHcl } from '../../src/config/parser.js';

interface Case {
  input: string;
  want: string;
}

const { cases } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'hclwrite', 'format-cases.json'), 'utf8')) as { cases: Case[] };
const indexed = cases.map((c, index) => ({ ...c, index }));
const isFile = (c: Case): boolean => parseHcl(c.input, 'case.hcl').diagnostics.length === 0;
const files = indexed.filter(isFile);
const expressions = indexed.filter((c) => !isFile(c));
describe('hclwrite format_test.go cases', () => {
  it('has the valid-file cases of the upstream table', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files.map((c) => [c.index, c] as const))('case %i', (_index, c) => {
    const output = formatHcl(c.input, 'case.hcl').output;
    expect(output).toBe(c.want);
    expect(formatHcl(output, 'case.hcl').output).toBe(output);
  });
});

describe('hclwrite format_test.go expression cases, as the value of an argument', () => {
  it('has the expression cases of the upstream table', () => {
    expect(expressions.length).toBeGreaterThanOrEqual(18);
  });

  it.each(expressions.map((c) => [c.index, c] as const))('case %i', (_index, c) => {
    const { output, diagnostics } = formatHcl(`x = ${c.input.trimStart()}`, 'case.hcl');
    expect(diagnostics).toEqual([]);
    expect(output).toBe(`x = ${c.want.trimStart()}`);
  });
});
