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
 * back from the span to the enclosing top-level block header. At most MAX_DIAGNOSTICS_PER_FILE are
 * printed per file.
 */
import type { Range } from '../config/ast.js';
import type { Diagnostic } from '../config/diagnostics.js';
import { createStyle, type Paint, type Style } from './style.js';

export interface DiagnosticRenderOptions {
  color: boolean;
}

/**
 * At most this many diagnostics are printed per file; the rest are counted in one closing line. A file
 * with 100,000 mistakes is better served by its first ones than by hundreds of megabytes of output.
 */
export const MAX_DIAGNOSTICS_PER_FILE = 50;

/** Source lines wider than this are shown as a window around the marked span. */
const MAX_SNIPPET_WIDTH = 160;

export function formatDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: DiagnosticRenderOptions,
): string {
  return [...renderDiagnostics(diags, sources, options)].join('');
}

/**
 * The diagnostics one at a time, so the caller can write each as it is made; memory stays bounded
 * however many there are. Each source is indexed once, not re-split per diagnostic.
 */
export function* renderDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: DiagnosticRenderOptions,
): Generator<string> {
  const style = createStyle(options.color);
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string): LineIndex | undefined => {
    const source = sources.get(file);
    if (source === undefined) return undefined;
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = new LineIndex(source)));
    return index;
  };
  const shown = new Map<string, number>();
  const omitted = new Map<string, { errors: number; warnings: number }>();
  for (const d of diags) {
    const file = d.range?.file;
    if (file !== undefined) {
      const count = shown.get(file) ?? 0;
      if (count >= MAX_DIAGNOSTICS_PER_FILE) {
        const tally = omitted.get(file) ?? { errors: 0, warnings: 0 };
        if (d.severity === 'error') tally.errors++;
        else tally.warnings++;
        omitted.set(file, tally);
        continue;
      }
      shown.set(file, count + 1);
    }
    yield formatDiagnostic(d, lineIndex, style);
  }
  for (const [file, { errors, warnings }] of omitted) {
    const parts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean);
    yield `${style.bold(`... and ${parts.join(' and ')} more in ${file}`)} (only the first ${MAX_DIAGNOSTICS_PER_FILE} of a file are shown)\n`;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

type LineIndexOf = (file: string) => LineIndex | undefined;

function formatDiagnostic(d: Diagnostic, lineIndex: LineIndexOf, style: Style): string {
  const paint = d.severity === 'error' ? style.error : style.warning;
  const label = d.severity === 'error' ? 'Error' : 'Warning';
  const body: string[] = [`${style.bold(paint(`${label}:`))} ${style.bold(d.summary)}`];

  if (d.range || d.subject) body.push('');
  if (d.subject) body.push(`  with ${d.subject},`);
  if (d.range) body.push(...describeRange(d.range, lineIndex, paint));
  if (d.detail) {
    body.push('', ...d.detail.trimEnd().split('\n'));
  }
  for (const related of d.related ?? []) {
    body.push('', `  ${related.message}`, ...describeRange(related.range, lineIndex, paint));
  }

  const gutter = paint('│');
  const lines = [paint('╷'), ...body.map((line) => (line === '' ? gutter : `${gutter} ${line}`)), paint('╵')];
  return lines.join('\n') + '\n';
}

/** Where each line of a source starts, found once; lines are sliced out on demand. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Offset where 1-based line `lineNo` starts. */
  start(lineNo: number): number {
    return this.starts[lineNo - 1]!;
  }

  /** Offset where line `lineNo` ends, before its `\r\n` or `\n`. */
  end(lineNo: number): number {
    let end = lineNo < this.starts.length ? this.starts[lineNo]! - 1 : this.source.length;
    if (end > this.start(lineNo) && this.source[end - 1] === '\r') end--;
    return end;
  }

  text(lineNo: number): string {
    return this.source.slice(this.start(lineNo), this.end(lineNo));
  }
}

/** `  on FILE line N, in BLOCK:` followed by the numbered source line with the span marked. */
function describeRange(range: Range, lineIndex: LineIndexOf, paint: Paint): string[] {
  const index = lineIndex(range.file);
  if (index === undefined) {
    return [`  on ${range.file}:${range.start.line}:${range.start.col}:`];
  }
  const context = enclosingBlock(index, range.start.line);
  const header = `  on ${range.file} line ${range.start.line}${context ? `, in ${context}` : ''}:`;
  return [header, ...snippet(index, range, paint)];
}

/**
 * The numbered source line with the span marked. A span over several lines (typically a whole block)
 * is shown by its first line, which is the block header, as Terraform does for block-level problems.
 * A very long line is cut to a window around the span, so output stays proportional to the error count.
 */
function snippet(index: LineIndex, range: Range, paint: Paint): string[] {
  const lineNo = range.start.line;
  if (lineNo < 1 || lineNo > index.count) return [];
  const lineStart = index.start(lineNo);
  const lineEnd = index.end(lineNo);
  const source = index.source;
  const from = offsetOfColumn(source, lineStart, lineEnd, range.start.col, range.start.offset);
  // End columns are exclusive; a span continuing on later lines is marked to the end of this one.
  const to = range.end.line === lineNo ? Math.max(from, offsetOfColumn(source, from, lineEnd, range.end.col - range.start.col + 1, range.end.offset)) : lineEnd;
  let shownStart = lineStart;
  let shownEnd = lineEnd;
  if (lineEnd - lineStart > MAX_SNIPPET_WIDTH) {
    shownStart = Math.max(lineStart, Math.min(from - MAX_SNIPPET_WIDTH / 4, lineEnd - MAX_SNIPPET_WIDTH));
    shownEnd = Math.min(lineEnd, shownStart + MAX_SNIPPET_WIDTH);
    shownStart = avoidSplitPair(source, shownStart);
    shownEnd = avoidSplitPair(source, shownEnd);
  }
  const lead = shownStart > lineStart ? '…' : '';
  const trail = shownEnd < lineEnd ? '…' : '';
  const text = lead + source.slice(shownStart, shownEnd) + trail;
  const before = lead + source.slice(shownStart, Math.max(shownStart, from));
  const marked = source.slice(Math.max(from, shownStart), Math.min(Math.max(to, from), shownEnd));
  const width = Math.max(1, codePoints(marked));
  const prefix = `  ${lineNo}: `;
  return [`${prefix}${text}`, ' '.repeat(prefix.length) + leadingWhitespace(before) + paint('^'.repeat(width))];
}

/**
 * Offset of the 1-based code-point column `col` counted from `from`. A parser range carries the
 * offset itself; it is used when it lies within the line (ranges built by hand may carry none).
 */
function offsetOfColumn(source: string, from: number, lineEnd: number, col: number, offset: number): number {
  if (offset >= from && offset <= lineEnd && offset - from >= col - 1) return offset;
  let at = from;
  for (let n = 1; n < col && at < lineEnd; n++) at += isHighSurrogate(source.charCodeAt(at)) ? 2 : 1;
  return at;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function avoidSplitPair(source: string, at: number): number {
  return at > 0 && isHighSurrogate(source.charCodeAt(at - 1)) ? at - 1 : at;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (!isHighSurrogate(text.charCodeAt(i)) || i + 1 >= text.length) n++;
  return n;
}

/** Spaces (tabs kept as tabs) as wide as `text`, so carets line up with the source shown above. */
function leadingWhitespace(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isHighSurrogate(c)) i++;
    out += c === 9 ? '\t' : ' ';
  }
  return out;
}

const BLOCK_HEADER = /^([A-Za-z_][\w-]*)((?:\s+"(?:[^"\\]|\\.)*")*)\s*\{/;

/**
 * The top-level block containing `lineNo`, rendered as `resource "lxc" "web"`. Top-level blocks start
 * at column 1 and close with `}` at column 1; a closing brace met first means the line is outside any.
 */
function enclosingBlock(index: LineIndex, lineNo: number): string | undefined {
  for (let i = Math.min(lineNo, index.count); i >= 1; i--) {
    const source = index.source;
    const start = index.start(i);
    const first = source[start];
    // Only lines starting with a name or a brace can matter; the rest are skipped without slicing.
    if (first === '}' && i < lineNo) return undefined;
    if (first === undefined || !/[A-Za-z_]/.test(first)) continue;
    const header = BLOCK_HEADER.exec(source.slice(start, Math.min(index.end(i), start + 4096)));
    if (header) {
      const labels = header[2]!.trim().split(/\s+(?=")/).filter(Boolean);
      return [header[1], ...labels].join(' ');
    }
  }
  return undefined;
}
