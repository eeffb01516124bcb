/**
 * AST ranges are stored compactly (offsets into the file, positions computed when read); what users
 * see — positions in diagnostics, in JSON output, of references — must be the plain line/col/offset.
 */
import { describe, expect, it } from 'vitest';
import type { Attribute, Block } from '../../src/config/ast.js';
import { parseHcl } from '../../src/config/parser.js';
import { findReferences } from '../../src/config/references.js';

describe('source ranges', () => {
  it('serialise to JSON as plain file/start/end positions', () => {
    const { file } = parseHcl('a = 1\n', 'main.hcl');
    const attr = file.body.items[0] as Attribute;
    expect(JSON.parse(JSON.stringify(attr.nameRange))).toEqual({
      file: 'main.hcl',
      start: { line: 1, col: 1, offset: 0 },
      end: { line: 1, col: 2, offset: 1 },
    });
  });

  it('give the line and column of positions after CRLF lines, astral characters and heredocs', () => {
    const source = 'x = "😀😀"\r\nblock {\r\n  doc = <<EOT\r\nline 😀\r\nEOT\r\n  after = 1\r\n}\r\n';
    const { file, diagnostics } = parseHcl(source, 'crlf.hcl');
    expect(diagnostics).toEqual([]);
    const x = file.body.items[0] as Attribute;
    expect(x.expr.range.end).toEqual({ line: 1, col: 9, offset: 10 });
    const block = file.body.items[1] as Block;
    const [doc, after] = block.body.items as Attribute[];
    expect(doc!.expr.range.start).toMatchObject({ line: 3, col: 9 });
    expect(doc!.expr.range.end).toMatchObject({ line: 5, col: 4 });
    expect(after!.nameRange.start).toEqual({ line: 6, col: 3, offset: source.indexOf('after') });
    expect(block.range.end).toMatchObject({ line: 7, col: 2 });
  });

  it('span a reference from its root to its first attribute', () => {
    const { file } = parseHcl('a = 1 + var.size.gb\n', 'ref.hcl');
    const [ref] = findReferences((file.body.items[0] as Attribute).expr);
    expect(ref!.range.start).toEqual({ line: 1, col: 9, offset: 8 });
    expect(ref!.range.end).toEqual({ line: 1, col: 17, offset: 16 });
  });
});
