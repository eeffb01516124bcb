import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Attribute, Block, Expr, TemplateExpr } from '../../src/config/ast.js';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import { parseExpression, parseHcl, parseTemplate } from '../../src/config/parser.js';

function expr(source: string): Expr {
  const { expr, diagnostics } = parseExpression(source, 'expr.hcl');
  expect(diagnostics).toEqual([]);
  return expr!;
}

/** Render an expression with explicit parentheses so precedence is visible in assertions. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'scope':
      return e.name;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'conditional':
      return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'paren':
      return show(e.expr);
    case 'getattr':
      return `${show(e.target)}.${e.name}`;
    case 'index':
      return `${show(e.target)}[${show(e.key)}]`;
    case 'splat':
      return `${show(e.target)}${e.full ? '[*]' : '.*'}{${show(e.each)}}`;
    case 'template':
      return JSON.stringify(literalText(e));
    case 'splatItem':
      return '@';
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    default:
      return e.kind;
  }
}

/** The string value of a template made only of literals (after strip markers and heredoc indent). */
function literalText(e: Expr): string {
  expect(e.kind).toBe('template');
  return (e as TemplateExpr).parts.map((p) => (p.kind === 'literal' ? p.value : `<${p.kind}>`)).join('');
}

function where(d: Diagnostic): string {
  return `${d.range!.file}:${d.range!.start.line}:${d.range!.start.col}`;
}

describe('operator precedence', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a - b - c', '((a - b) - c)'],
    ['a || b && c', '(a || (b && c))'],
    ['a == b && c != d', '((a == b) && (c != d))'],
    ['a < b == c >= d', '((a < b) == (c >= d))'],
    ['-a * b', '((-a) * b)'],
    ['!a && b', '((!a) && b)'],
    ['a % b + c / d', '((a % b) + (c / d))'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['x || y ? 1 + 2 : 3', '((x || y) ? (1 + 2) : 3)'],
  ])('%s parses as %s', (source, expected) => {
    expect(show(expr(source))).toBe(expected);
  });
});

describe('traversals, splats and calls', () => {
  it.each([
    ['a.b[0]["k"]', 'a.b[0]["k"]'],
    ['a.0.name', 'a[0].name'],
    ['a[*].b.c', 'a[*]{@.b.c}'],
    ['a.*.b', 'a.*{@.b}'],
    ['a[*].b[0]', 'a[*]{@.b[0]}'],
    ['max(xs...)', 'max(xs...)'],
    ['f(\n  1,\n  2,\n)', 'f(1, 2)'],
  ])('%s', (source, expected) => {
    expect(show(expr(source))).toBe(expected);
  });

  it('parses object and tuple for expressions with grouping and conditions', () => {
    const e = expr('{ for k, v in m : v.role => k... if v.enabled }');
    expect(e).toMatchObject({ kind: 'for', keyVar: 'k', valueVar: 'v', isObject: true, group: true });
    const t = expr('[for x in xs : x * 2]');
    expect(t).toMatchObject({ kind: 'for', valueVar: 'x', isObject: false, group: false, cond: undefined });
  });

  it('parses numbers with exponents and object keys of every form', () => {
    expect(show(expr('2.5e-3'))).toBe('0.0025');
    const o = expr('{ a = 1, "b" = 2, (c) = 3, d: 4 }');
    expect(o.kind).toBe('object');
    if (o.kind !== 'object') return;
    expect(o.items.map((i) => i.bareKey)).toEqual([true, false, false, true]);
    expect(o.items[2]!.key.kind).toBe('paren');
  });
});

describe('strings and templates', () => {
  it('decodes escapes', () => {
    const source = '"a\\n\\t\\"\\\\ \\u00e9 \\U0001F600 $${x} %%{y}"';
    expect(literalText(expr(source))).toBe('a\n\t"\\ é 😀 ${x} %{y}');
  });

  it('applies strip markers to the neighbouring literals', () => {
    const t = expr('"a  ${~ x ~}  b %{ if c ~}  yes  %{~ endif } z"') as TemplateExpr;
    expect(t.parts[0]).toMatchObject({ kind: 'literal', value: 'a' });
    expect(t.parts[1]).toMatchObject({ kind: 'interp', stripLeft: true, stripRight: true });
    expect(t.parts[2]).toMatchObject({ kind: 'literal', value: 'b ' });
    expect(t.parts[3]).toMatchObject({ kind: 'if', then: [{ kind: 'literal', value: 'yes' }] });
  });

  it('strips the common indentation of <<- heredocs, ignoring blank lines', () => {
    const { file } = parseHcl('x = <<-EOT\n    one\n      two\n\n    three\n  EOT\n', 'h.hcl');
    const attr = file.body.items[0] as Attribute;
    expect(literalText(attr.expr)).toBe('one\n  two\n\nthree\n');
    expect((attr.expr as TemplateExpr).heredoc).toEqual({ marker: 'EOT', strip: true });
  });

  it('keeps indentation in plain heredocs and does not process backslashes there', () => {
    const { file } = parseHcl('x = <<EOT\n  keep \\n\nEOT\n', 'h.hcl');
    expect(literalText((file.body.items[0] as Attribute).expr)).toBe('  keep \\n\n');
  });

  it('parses a template file with for and if directives', () => {
    const { expr: t, diagnostics } = parseTemplate('%{ for s in servers ~}\nserver ${s}\n%{ endfor ~}\n', 't.tpl');
    expect(diagnostics).toEqual([]);
    expect(t!.parts).toHaveLength(1);
    expect(t!.parts[0]).toMatchObject({ kind: 'for', valueVar: 's' });
  });
});

describe('bodies and ranges', () => {
  it('records exact 1-based ranges for blocks, labels and attributes', () => {
    const source = 'resource "lxc" web {\n  vmid = 100\n}\n';
    const { file, diagnostics } = parseHcl(source, 'main.hcl');
    expect(diagnostics).toEqual([]);
    const block = file.body.items[0] as Block;
    expect(block.labels).toEqual(['lxc', 'web']);
    expect(block.labelRanges.map((r) => [r.start.col, r.end.col])).toEqual([[10, 15], [16, 19]]);
    const attr = block.body.items[0] as Attribute;
    expect(attr.nameRange.start).toEqual({ line: 2, col: 3, offset: 23 });
    expect(attr.expr.range.start.col).toBe(10);
    expect(attr.expr.range.end.col).toBe(13);
    expect(block.range.end).toMatchObject({ line: 3, col: 2 });
  });

  it('counts columns in code points', () => {
    const { file } = parseHcl('a = "😀" + b\n', 'u.hcl');
    const attr = file.body.items[0] as Attribute;
    if (attr.expr.kind !== 'binary') throw new Error('expected a binary expression');
    expect(attr.expr.right.range.start.col).toBe(11);
  });

  it('parses one-line blocks', () => {
    const { file, diagnostics } = parseHcl('lifecycle { prevent_destroy = true }\nempty {}\n', 'b.hcl');
    expect(diagnostics).toEqual([]);
    expect(file.body.items.map((i) => (i as Block).body.items.length)).toEqual([1, 0]);
  });
});

describe('diagnostics', () => {
  it('reports each of three mistakes with its own position and keeps parsing', () => {
    const source = 'a = 1\nb = 2 @\nc = \nd = 4\n= 5\ne = 6\n';
    const { file, diagnostics } = parseHcl(source, 'bad.hcl');
    expect(diagnostics.map((d) => `${where(d)} ${d.summary}`)).toEqual([
      'bad.hcl:2:7 Invalid character',
      'bad.hcl:3:5 Invalid expression',
      'bad.hcl:5:1 Argument or block definition required',
    ]);
    expect(file.body.items.map((i) => (i as Attribute).name)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reports one error per mistake across blocks, lines and brackets', () => {
    const source = 'resource "a" "b" {\n  x = [1 2]\n}\nb c = 2\nd = \'single\'\ne = (1 +\n';
    const { diagnostics } = parseHcl(source, 'multi.hcl');
    expect(diagnostics.map((d) => `${where(d)} ${d.summary}`)).toEqual([
      'multi.hcl:2:10 Missing item separator',
      'multi.hcl:4:5 Invalid block definition',
      'multi.hcl:5:5 Invalid character',
      'multi.hcl:7:1 Invalid expression',
    ]);
    expect(diagnostics[2]!.detail).toContain('Single quotes are not valid');
  });

  it('points a missing closing brace at the opening brace', () => {
    const { diagnostics } = parseHcl('resource "lxc" "web" {\n  vmid = 1\n', 'open.hcl');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', summary: 'Missing closing brace' });
    expect(where(diagnostics[0]!)).toBe('open.hcl:1:22');
  });

  it('reports unterminated strings, heredocs and bad escapes', () => {
    expect(parseHcl('a = "abc\nb = 1\n', 'f.hcl').diagnostics.map((d) => [d.summary, where(d)])).toEqual([
      ['Invalid multi-line string', 'f.hcl:1:9'],
    ]);
    expect(parseHcl('a = <<EOT\nabc\n', 'f.hcl').diagnostics.map((d) => d.summary)).toEqual(['Unterminated template string']);
    expect(parseHcl('a = "\\q"\n', 'f.hcl').diagnostics.map((d) => [d.summary, where(d)])).toEqual([
      ['Invalid escape sequence', 'f.hcl:1:6'],
    ]);
  });

  it('rejects trailing tokens in a standalone expression', () => {
    const { diagnostics } = parseExpression('1 2', 'cli');
    expect(diagnostics.map((d) => d.summary)).toEqual(['Extra characters after expression']);
  });

  it('never throws and always terminates on arbitrary input', () => {
    const alphabet = fc.constantFrom(...'abc =+-*/{}[]()"$%~<>!?:,.#\n\t\\0123456789EOT'.split(''), '${', '%{', '<<EOT\n', '/*', '*/');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (pieces) => {
        const source = pieces.join('');
        const result = parseHcl(source, 'fuzz.hcl');
        expect(result.diagnostics.every((d) => d.summary !== 'Internal parser error')).toBe(true);
        parseExpression(source, 'fuzz');
        parseTemplate(source, 'fuzz');
      }),
      { numRuns: 2000 },
    );
  });
});
