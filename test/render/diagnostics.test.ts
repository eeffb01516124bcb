import { describe, expect, it } from 'vitest';
import type { Range } from '../../src/config/ast.js';
import { error, warning } from '../../src/config/diagnostics.js';
import { formatDiagnostics, MAX_DIAGNOSTICS_PER_FILE, renderDiagnostics } from '../../src/render/diagnostics.js';
import { parseHcl } from '../../src/config/parser.js';

const MAIN = ['variable "size" {', '  default = 1', '}', '', 'resource "lxc" "web" {', '  hostname = "web"', '  colour   = "red"', '}', ''].join('\n');
const sources = new Map([['main.hcl', MAIN]]);

function range(line: number, col: number, endLine: number, endCol: number, file = 'main.hcl'): Range {
  return { file, start: { line, col, offset: 0 }, end: { line: endLine, col: endCol, offset: 0 } };
}

describe('formatDiagnostics', () => {
  it('renders an error with its location, enclosing block, marked span and detail', () => {
    const out = formatDiagnostics(
      [error('Unsupported argument', 'An argument named "colour" is not expected here. Did you mean "color"?', range(7, 3, 7, 9))],
      sources,
      { color: false },
    );
    expect(out).toBe(
      [
        '╷',
        '│ Error: Unsupported argument',
        '│',
        '│   on main.hcl line 7, in resource "lxc" "web":',
        '│   7:   colour   = "red"',
        '│        ^^^^^^',
        '│',
        '│ An argument named "colour" is not expected here. Did you mean "color"?',
        '╵',
        '',
      ].join('\n'),
    );
  });

  it('renders warnings, subjects and related ranges, and shows a multi-line span by its first line', () => {
    const diag = {
      ...warning('Duplicate-looking blocks', 'These two blocks look alike.', range(5, 1, 6, 19)),
      related: [{ message: 'The variable is declared here:', range: range(1, 10, 1, 16) }],
    };
    const out = formatDiagnostics(
      [diag, { ...error('Apply failed', 'pct exited 255'), subject: 'lxc.web' }, { ...error('Bad', undefined, range(7, 3, 7, 9)), subject: 'lxc.web' }],
      sources,
      { color: false },
    );
    expect(out).toBe(
      [
        '╷',
        '│ Warning: Duplicate-looking blocks',
        '│',
        '│   on main.hcl line 5, in resource "lxc" "web":',
        '│   5: resource "lxc" "web" {',
        '│      ^^^^^^^^^^^^^^^^^^^^^^',
        '│',
        '│ These two blocks look alike.',
        '│',
        '│   The variable is declared here:',
        '│   on main.hcl line 1, in variable "size":',
        '│   1: variable "size" {',
        '│               ^^^^^^',
        '╵',
        '╷',
        '│ Error: Apply failed',
        '│',
        '│   with lxc.web,',
        '│',
        '│ pct exited 255',
        '╵',
        '╷',
        '│ Error: Bad',
        '│',
        '│   with lxc.web,',
        '│   on main.hcl line 7, in resource "lxc" "web":',
        '│   7:   colour   = "red"',
        '│        ^^^^^^',
        '╵',
        '',
      ].join('\n'),
    );
  });

  it('falls back to file:line:col when the source is not available and omits context outside blocks', () => {
    const out = formatDiagnostics(
      [error('Bad value', undefined, range(3, 4, 3, 9, 'vars.auto.hcl')), error('Top level', undefined, range(4, 1, 4, 1))],
      sources,
      { color: false },
    );
    expect(out).toContain('│   on vars.auto.hcl:3:4:');
    expect(out).toContain('│   on main.hcl line 4:\n│   4: \n│      ^');
  });

  it('colours the gutter and label only when asked', () => {
    const diags = [error('Oops', 'detail', range(7, 3, 7, 9))];
    expect(formatDiagnostics(diags, sources, { color: true })).toMatch(/\u001b\[31m│/);
    expect(formatDiagnostics(diags, sources, { color: false })).not.toContain('\u001b[');
  });

  it('prints at most MAX_DIAGNOSTICS_PER_FILE per file and counts the rest', () => {
    const source = 'a = 1 2\n'.repeat(MAX_DIAGNOSTICS_PER_FILE + 7);
    const { diagnostics } = parseHcl(source, 'many.hcl');
    expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 7);
    const chunks = [...renderDiagnostics(diagnostics, new Map([['many.hcl', source]]), { color: false })];
    expect(chunks).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(chunks[MAX_DIAGNOSTICS_PER_FILE - 1]).toContain(`on many.hcl line ${MAX_DIAGNOSTICS_PER_FILE}:`);
    expect(chunks.at(-1)).toBe(`... and 7 errors more in many.hcl (only the first ${MAX_DIAGNOSTICS_PER_FILE} of a file are shown)\n`);
  });

  it('shows a window of a very long line with the caret under the span', () => {
    const terms = Array.from({ length: 20_000 }, (_, i) => (i === 12_345 ? '$' : '1')).join(' + ');
    const source = `x = ${terms}\n`;
    const { diagnostics } = parseHcl(source, 'long.hcl');
    expect(diagnostics.map((d) => d.summary)).toEqual(['Invalid character']);
    const out = formatDiagnostics(diagnostics, new Map([['long.hcl', source]]), { color: false });
    const [shown, carets] = out.split('\n').filter((l) => l.startsWith('│   1: ') || /^│\s+\^/.test(l));
    expect(shown!.length).toBeLessThan(200);
    expect(shown).toMatch(/^│   1: …1 \+ 1 .* \$ .* 1 \+ …$/);
    expect(shown![carets!.indexOf('^')]).toBe('$');
  });
});
