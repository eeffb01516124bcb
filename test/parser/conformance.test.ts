/**
 * Places where the same text must mean what HashiCorp's HCL says it means (hclsyntax parser.go,
 * scan_tokens.rl, spec.md): values a user would see, and files HCL accepts or rejects.
 */
import { describe, expect, it } from 'vitest';
import { parse as oracleParse } from '@cdktn/hcl2json';
import { evaluate } from '../../src/config/eval/index.js';
import { formatHcl } from '../../src/config/fmt.js';
import { parseExpression, parseHcl } from '../../src/config/parser.js';
import { makeScope } from '../config/helpers.js';

const locals = {
  l: [{ b: [10, 20] }, { b: [30, 40] }],
  n: [{ b: [{ c: 1 }, { c: 2 }] }, { b: [{ c: 3 }] }],
};

function evalText(source: string): { value: unknown; errors: string[] } {
  const { expr, diagnostics } = parseExpression(source, 'expr.hcl');
  if (diagnostics.length > 0 || !expr) return { value: undefined, errors: diagnostics.map((d) => d.summary) };
  const result = evaluate(expr, makeScope({ locals }));
  return { value: result.value, errors: result.diagnostics.map((d) => `${d.summary}: ${d.detail}`) };
}

function parseErrors(source: string): string[] {
  return parseHcl(source, 'main.hcl').diagnostics.map((d) => d.summary);
}

describe('traversals and splats', () => {
  it.each([
    ['local.l[*].b.0', [10, 30]],
    ['local.l.*.b.1', [20, 40]],
    ['local.l[*].b[1]', [20, 40]],
    ['local.n[*].b[*].c', [[1, 2], [3]]],
    ['local.n[*].b.*.c', [[1, 2], [3]]],
    ['local.l.1e0.b', [30, 40]],
    ['local.l[*].b.0 == [10, 30]', true],
  ])('%s', (source, expected) => {
    expect(evalText(source)).toEqual({ value: expected, errors: [] });
  });

  it('rejects two legacy indexes that scan as one number, as HCL does', () => {
    const { errors } = evalText('local.l.0.1');
    expect(errors).toEqual(['Invalid legacy index syntax']);
  });

  it('rejects a splat nested in an attribute-only splat', () => {
    expect(evalText('local.l.*.*')).toMatchObject({ errors: ['Nested splat expression not allowed'] });
  });
});

describe('object keys', () => {
  it('takes the keywords null, true and false as names', () => {
    expect(evalText('{ null = 1, true = 2, false = 3 }')).toEqual({ value: { null: 1, true: 2, false: 3 }, errors: [] });
  });

  it('evaluates a parenthesised key', () => {
    expect(evalText('{ (true) = 1 }')).toEqual({ value: { true: 1 }, errors: [] });
  });

  it('refuses to guess what a dotted key means', () => {
    const { errors } = evalText('{ local.l = 1 }');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Ambiguous attribute key: If this expression is intended to be a reference, wrap it in parentheses/);
  });
});

describe('files', () => {
  it('skips a UTF-8 byte-order mark at the start, counting columns after it', () => {
    const { file, diagnostics } = parseHcl('\ufeffname = "x"\n', 'main.hcl');
    expect(diagnostics).toEqual([]);
    const attr = file.body.items[0]!;
    expect(attr.kind === 'attribute' && attr.name).toBe('name');
    expect(attr.range.start).toMatchObject({ line: 1, col: 1 });
  });

  it('reports a byte-order mark elsewhere as an invalid character', () => {
    expect(parseErrors('a = 1\n\ufeffb = 2\n')).toEqual(['Invalid character']);
  });
});

describe('provider-defined functions', () => {
  it('parses provider::ns::f() and reports the unknown namespace when evaluated', () => {
    expect(parseErrors('v = provider::ns::f(1)\n')).toEqual([]);
    expect(evalText('provider::ns::f(1)').errors).toEqual(['Call to unknown function: There are no functions in namespace "provider::ns::".']);
  });

  it('requires a name after ::', () => {
    expect(parseErrors('v = provider::(1)\n')).toContain('Missing function name');
  });
});

describe('invalid HCL is rejected, as by HashiCorp parser', () => {
  it.each([
    ['a closing brace after an argument on its line', 'b {\n  value = 1}\n', '2:12 Missing newline after argument'],
    ['a closing brace after a top-level argument', 'value = 1}\n', '1:10 Missing newline after argument'],
    ['a brace after a block', 'b {\n}}\n', '2:2 Missing newline after block definition'],
    ['a comma after an argument', 'a = 1,\n', '1:6 Unexpected comma after argument'],
    ['a raw carriage return in a quoted string', 'a = "x\ry"\n', '1:7 Invalid multi-line string'],
    ['a lone carriage return between tokens', 'a = 1\rb = 2\n', '1:6 Invalid character'],
    ['a \\u escape of a surrogate', 'a = "\\ud800"\n', '1:6 Invalid escape sequence'],
    ['a \\U escape past U+10FFFF', 'a = "\\U00110000"\n', '1:6 Invalid escape sequence'],
    ['a zero-width joiner inside a name', 'a\u200db = 1\n', '1:2 Invalid character'],
    ['a number with two dots (one token for HCL)', 'a = 1.0.1\n', '1:5 Invalid number literal'],
    ['a tuple item with two dots', 'a = [4.0.10]\n', '1:6 Invalid number literal'],
    ['a number with an empty fraction between dots', 'a = 1..2\n', '1:5 Invalid number literal'],
    ['a lone carriage return in a heredoc', 'a = <<EOT\nx\ry\nEOT\n', '2:2 Invalid character'],
    ['a lone carriage return starting a heredoc line', 'a = <<EOT\n\ry\nEOT\n', '2:1 Invalid character'],
  ])('%s', async (_what, source, expected) => {
    const ours = parseHcl(source, 'main.hcl').diagnostics.map((d) => `${d.range!.start.line}:${d.range!.start.col} ${d.summary}`);
    expect(ours).toEqual([expected]);
    await expect(oracleParse('main.hcl', source)).rejects.toThrow(expected.replace(/^(\d+):(\d+) (.*)$/, 'main.hcl:$1,$2-'));
  });

  it('names the code point a bad escape cannot encode', () => {
    const [d] = parseHcl('a = "\\ud800"\n', 'main.hcl').diagnostics;
    expect(d!.detail).toBe('Cannot encode character U+d800 in UTF-8.');
    expect(d!.range!.end.col - d!.range!.start.col).toBe(6);
  });

  it('keeps CRLF line endings valid', () => {
    expect(parseErrors('a = 1\r\nb {\r\n  c = "x"\r\n}\r\n')).toEqual([]);
    expect(parseErrors('a = <<EOT\r\nx${1}\r\ny\r\nEOT\r\n')).toEqual([]);
  });

  it('reads a number up to the last digit of its run of digits, dots and exponents, as HCL scans it', () => {
    expect(evalText('1.e5')).toEqual({ value: 100000, errors: [] });
    expect(evalText('0.5e-3 * 2')).toEqual({ value: 0.001, errors: [] });
  });
});

describe('strings are NFC-normalised, as cty stores them', () => {
  it.each([
    ['length("l\\u0301")', 1],
    ['"l\\u0301" == "\\u013a"', true],
    ['length("${"l"}\\u0301")', 1],
    ['keys({ "e\\u0301" = 1 })[0] == "\\u00e9"', true],
  ])('%s', (source, expected) => {
    expect(evalText(source)).toEqual({ value: expected, errors: [] });
  });
});

it('fmt leaves a file with a brace after an argument unchanged and reports it', () => {
  const source = 'b {\n  value = 1}\n';
  const { output, diagnostics } = formatHcl(source, 'main.hcl');
  expect(output).toBe(source);
  expect(diagnostics.map((d) => d.summary)).toEqual(['Missing newline after argument']);
});
