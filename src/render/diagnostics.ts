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

/** Snippets longer than this many lines are cut, with the rest summarised. */
const MAX_SNIPPET_LINES = 4;

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

  if (d.range) {
    body.push('', ...describeRange(d.range, sources, paint));
  }
  if (d.subject) {
    body.push(...(d.range ? [] : ['']), `  with ${d.subject},`);
  }
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

function snippet(lines: string[], range: Range, paint: Paint): string[] {
  const first = range.start.line;
  const last = Math.min(range.end.line, first + MAX_SNIPPET_LINES - 1);
  const numberWidth = String(last).length;
  const out: string[] = [];
  for (let lineNo = first; lineNo <= last; lineNo++) {
    const text = lines[lineNo - 1];
    if (text === undefined) break;
    const chars = Array.from(text);
    const startCol = lineNo === first ? range.start.col : firstNonBlankCol(chars);
    // End columns are exclusive; a span ending at column 1 of the next line covers up to the line end.
    const endCol = lineNo === range.end.line ? range.end.col : chars.length + 1;
    const prefix = `  ${String(lineNo).padStart(numberWidth)}: `;
    out.push(`${prefix}${text}`);
    const width = Math.max(1, endCol - startCol);
    if (startCol <= chars.length + 1) {
      out.push(' '.repeat(prefix.length) + leadingWhitespace(chars, startCol - 1) + paint('^'.repeat(width)));
    }
  }
  if (range.end.line > last) {
    out.push(`  ${' '.repeat(numberWidth)}  (${range.end.line - last} more lines)`);
  }
  return out;
}

/** Spaces (tabs kept as tabs) as wide as the first `count` characters, so carets line up with the text. */
function leadingWhitespace(chars: string[], count: number): string {
  return chars
    .slice(0, count)
    .map((c) => (c === '\t' ? '\t' : ' '))
    .join('');
}

function firstNonBlankCol(chars: string[]): number {
  const index = chars.findIndex((c) => c !== ' ' && c !== '\t');
  return index < 0 ? 1 : index + 1;
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
