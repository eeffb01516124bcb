/**
 * Line and column of every range come from the line index (binary search), not from scanning the line;
 * they must still be exactly the positions the lexer counted, astral characters and a BOM included.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { lex } from '../../src/config/lexer.js';
import { SourceLines } from '../../src/config/source-range.js';

const pieces = fc.constantFrom('a', ' ', '\n', '\r\n', '"x😀y"', '😀', 'é', '# c😀\n', '= ', '{', '}', '"${b}"', '1.5', '\t', '<<E\n😀\nE\n');

it('every token position equals the line index position of its offset', () => {
  fc.assert(
    fc.property(fc.boolean(), fc.array(pieces, { maxLength: 60 }), (bom, parts) => {
      const source = (bom ? '\ufeff' : '') + parts.join('');
      const { tokens } = lex(source, 'p.hcl');
      const lines = new SourceLines('p.hcl', tokens.lineStarts, tokens.astralOffsets);
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens.get(i);
        expect(lines.pos(t.startOffset)).toEqual(t.start);
        expect(lines.pos(t.endOffset)).toEqual(t.end);
      }
    }),
    { numRuns: 500 },
  );
});
