import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHcl } from '../../src/config/fmt.js';
import { parseHcl } from '../../src/config/parser.js';
import { toOracleShape } from './oracle-shape.js';

const fmt = (source: string): string => {
  const { output, diagnostics } = formatHcl(source, 'main.hcl');
  expect(diagnostics).toEqual([]);
  return output;
};

describe('formatHcl', () => {
  it('indents by two spaces, aligns "=" and normalises spacing', () => {
    const messy = [
      'resource   "lxc"    "web"{',
      '    vmid=100   ',
      '\thostname   =   "web"',
      '  net {',
      '  ip = cidrhost( "10.0.0.0/8",1 )',
      '        tags=[ "a","b" ]',
      '  }',
      '  x = a[ 0 ].b[*].c',
      '  y = f(list ...)',
      '  z = {for k,v in m: k=>v...if v!=null}',
      '  w = 1 -1',
      '  c = !x ? -a : b',
      '}',
    ].join('\n');
    expect(fmt(messy)).toBe(
      [
        'resource "lxc" "web" {',
        '  vmid     = 100',
        '  hostname = "web"',
        '  net {',
        '    ip   = cidrhost("10.0.0.0/8", 1)',
        '    tags = ["a", "b"]',
        '  }',
        '  x = a[0].b[*].c',
        '  y = f(list...)',
        '  z = { for k, v in m : k => v... if v != null }',
        '  w = 1 - 1',
        '  c = !x ? -a : b',
        '}',
      ].join('\n'),
    );
  });

  it('keeps every comment style in place', () => {
    const source = '# top\n// slash\n/* block */\na = 1 # trailing\nb {\n    # inside\n  c = [\n  1, // item\n  ]\n}\n';
    expect(fmt(source)).toBe('# top\n// slash\n/* block */\na = 1 # trailing\nb {\n  # inside\n  c = [\n    1, // item\n  ]\n}\n');
  });

  it('keeps blank lines (leading and trailing too) and strips trailing whitespace, as hclwrite does', () => {
    expect(fmt('\n\na = 1   \n\n\n\nbb = 2\t\n\n')).toBe('\n\na = 1\n\n\n\nbb = 2\n\n');
  });

  it('leaves arguments whose value spans several lines out of the "=" alignment', () => {
    expect(fmt('a = 1\nlonger = {\nx = 1\n}\nbb = 2\n')).toBe('a = 1\nlonger = {\n  x = 1\n}\nbb = 2\n');
  });

  it('indents once after two openers on one line', () => {
    expect(fmt('v = jsonencode({\na = [\n1,\n]\n})\nw = tomap({\nb = 2\n})\n')).toBe(
      'v = jsonencode({\n  a = [\n    1,\n  ]\n})\nw = tomap({\n  b = 2\n})\n',
    );
  });

  it('keeps comments byte for byte, trailing spaces included, as terraform fmt does', () => {
    expect(fmt('# heading  \na = 1 # note \n')).toBe('# heading  \na = 1 # note \n');
  });

  it('keeps CRLF line endings, as terraform fmt does', () => {
    expect(fmt('a=1\r\n\r\nb {\r\nc=2   \r\n}\r\n')).toBe('a = 1\r\n\r\nb {\r\n  c = 2\r\n}\r\n');
  });

  it('aligns trailing comments of consecutive lines', () => {
    expect(fmt('a = 1 # one\nbungle = "bonce" # two\n')).toBe('a      = 1       # one\nbungle = "bonce" # two\n');
  });

  it('aligns only consecutive arguments at the same level', () => {
    expect(fmt('a = 1\nlong_name = 2\n\nx = 3\nblock {\n  y = 1\n}\nzz = 4\n')).toBe(
      'a         = 1\nlong_name = 2\n\nx = 3\nblock {\n  y = 1\n}\nzz = 4\n',
    );
  });

  it('leaves literal text of strings and heredocs untouched and spaces the expressions inside ${ } and %{ }', () => {
    const source = 'a   =   "  spaced  ${ x +1 }  %{ if y }z%{ endif }"\nb = <<-EOT\n      keep   this ${ f( 1,2 ) }\n  EOT\n';
    expect(fmt(source)).toBe('a = "  spaced  ${x + 1}  %{if y}z%{endif}"\nb = <<-EOT\n      keep   this ${f(1, 2)}\n  EOT\n');
  });

  // Expected outputs below are what terraform fmt 1.11 writes for the same input.
  it('formats ${ } and %{ } spanning lines token by token: their lines are indented and their braces count as brackets', () => {
    const source = 'locals {\n  name = "${contains(["foo"], var.v) ? "a" :\n    "b"}-x"\n  wrapped = "${(var.v == null ? 1 :\n  3)}-y"\n  c = 1\n  d = "x${  foo(\n      1,\n  2) }y"\n}\n';
    expect(fmt(source)).toBe(
      'locals {\n  name = "${contains(["foo"], var.v) ? "a" :\n  "b"}-x"\n  wrapped = "${(var.v == null ? 1 :\n  3)}-y"\n  c = 1\n  d = "x${foo(\n    1,\n  2)}y"\n}\n',
    );
  });

  it('spaces an index after a string as hclwrite does', () => {
    expect(fmt('a = "abc"[0]\nb = "${x}"[0]\nc = x[0]\nd = f(1)[0]\n')).toBe('a = "abc" [0]\nb = "${x}" [0]\nc = x[0]\nd = f(1)[0]\n');
  });

  it('returns the source unchanged with diagnostics when it does not parse', () => {
    const { output, diagnostics } = formatHcl('a = {\n', 'bad.hcl');
    expect(output).toBe('a = {\n');
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('leaves a file alone when an argument is set twice in one body, as HCL rejects it', () => {
    const source = 'locals {\na=1\n}\nb {\n  c {\n    x = 1\n    x   = 2\n  }\n}\n';
    const { output, diagnostics } = formatHcl(source, 'dup.hcl');
    expect(output).toBe(source);
    expect(diagnostics.map((d) => [d.summary, d.range?.start.line, d.related?.[0]?.range.start.line])).toEqual([['Duplicate argument', 7, 6]]);
  });

  const corpus = join(import.meta.dirname, '..', 'fixtures', 'hcl', 'valid');
  it.each(readdirSync(corpus).filter((f) => f.endsWith('.hcl')))('is idempotent and meaning-preserving on %s', (name) => {
    const source = readFileSync(join(corpus, name), 'utf8');
    const once = fmt(source);
    expect(fmt(once)).toBe(once);
    // Same structure and values; expression text may differ only in whitespace.
    const shape = (text: string) => JSON.stringify(toOracleShape(parseHcl(text, name).file.body, text)).replace(/\s+/g, '');
    expect(shape(once)).toBe(shape(source));
  });
});
