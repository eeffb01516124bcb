/**
 * hclwrite's own formatter test cases (hashicorp/hcl hclwrite/format_test.go TestFormat, extracted into
 * test/fixtures/hclwrite/format-cases.json). Cases whose input is not a valid configuration body
 * (expression fragments such as `( a+2 )`) are out of scope: `phoenix fmt` formats files only.
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
const files = cases.map((c, index) => ({ ...c, index })).filter((c) => parseHcl(c.input, 'case.hcl').diagnostics.length === 0);
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
