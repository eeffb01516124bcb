/**
 * Diagnostics in Terraform's layout:
 *
 *   ╷
 *   │ Error: Unsupported argument
 *   │
 *   │   on main.hcl line 12, in resource "lxc" "web":
 *   │   12:   colour = "red"
 *   │         ^^^^^^
 *   │
 *   │ An argument named "colour" is not expected here. Did you mean "color"?
 *   ╵
 *
 * The renderer only sees source text (no AST), so the "in resource ..." context is found by scanning
 * back from the span to the enclosing top-level block header.
 */
import type { Range } from '../config/ast.js';
import type { Diagnostic } from '../config/diagnostics.js';
import { createStyle, type Paint, type Style } from './style.js';

export interface DiagnosticRenderOptions {
  color: boolean;
}

export function formatDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: DiagnosticRenderOptions,
): string {
  const style = createStyle(options.color);
  return diags.map((d) => formatDiagnostic(d, sources, style)).join('');
}

function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>, style: Style): string {
  const paint = d.severity === 'error' ? style.error : style.warning;
  const label = d.severity === 'error' ? 'Error' : 'Warning';
  const body: string[] = [`${style.bold(paint(`${label}:`))} ${style.bold(d.summary)}`];

  if (d.range || d.subject) body.push('');
  if (d.subject) body.push(`  with ${d.subject},`);
  if (d.range) body.push(...describeRange(d.range, sources, paint));
  if (d.detail) {
    body.push('', ...d.detail.trimEnd().split('\n'));
  }
  for (const related of d.related ?? []) {
    body.push('', `  ${related.message}`, ...describeRange(related.range, sources, paint));
  }

  const gutter = paint('│');
  const lines = [paint('╷'), ...body.map((line) => (line === '' ? gutter : `${gutter} ${line}`)), paint('╵')];
  return lines.join('\n') + '\n';
}

/** `  on FILE line N, in BLOCK:` followed by the numbered source lines with the span marked. */
function describeRange(range: Range, sources: ReadonlyMap<string, string>, paint: Paint): string[] {
  const source = sources.get(range.file);
  if (source === undefined) {
    return [`  on ${range.file}:${range.start.line}:${range.start.col}:`];
  }
  const lines = source.split(/\r?\n/);
  const context = enclosingBlock(lines, range.start.line);
  const header = `  on ${range.file} line ${range.start.line}${context ? `, in ${context}` : ''}:`;
  return [header, ...snippet(lines, range, paint)];
}

/**
 * The numbered source line with the span marked. A span over several lines (typically a whole block)
 * is shown by its first line, which is the block header, as Terraform does for block-level problems.
 */
function snippet(lines: string[], range: Range, paint: Paint): string[] {
  const lineNo = range.start.line;
  const text = lines[lineNo - 1];
  if (text === undefined) return [];
  const chars = Array.from(text);
  // End columns are exclusive; a span continuing on later lines is marked to the end of this one.
  const endCol = range.end.line === lineNo ? range.end.col : chars.length + 1;
  const width = Math.max(1, endCol - range.start.col);
  const prefix = `  ${lineNo}: `;
  return [`${prefix}${text}`, ' '.repeat(prefix.length) + leadingWhitespace(chars, range.start.col - 1) + paint('^'.repeat(width))];
}

/** Spaces (tabs kept as tabs) as wide as the first `count` characters, so carets line up with the text. */
function leadingWhitespace(chars: string[], count: number): string {
  return chars
    .slice(0, count)
    .map((c) => (c === '\t' ? '\t' : ' '))
    .join('');
}

const BLOCK_HEADER = /^([A-Za-z_][\w-]*)((?:\s+"(?:[^"\\]|\\.)*")*)\s*\{/;

/**
 * The top-level block containing `lineNo`, rendered as `resource "lxc" "web"`. Top-level blocks start
 * at column 1 and close with `}` at column 1; a closing brace met first means the line is outside any.
 */
function enclosingBlock(lines: string[], lineNo: number): string | undefined {
  for (let i = lineNo - 1; i >= 0; i--) {
    const line = lines[i]!;
    const header = BLOCK_HEADER.exec(line);
    if (header) {
      const labels = header[2]!.trim().split(/\s+(?=")/).filter(Boolean);
      return [header[1], ...labels].join(' ');
    }
    if (i < lineNo - 1 && line.startsWith('}')) return undefined;
  }
  return undefined;
}
