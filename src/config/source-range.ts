/**
 * The parser's compact Range. A large configuration has hundreds of thousands of AST ranges; as plain
 * `{file, start: {...}, end: {...}}` literals each cost three heap objects, and collecting them dominated
 * parse time and memory. A SourceRange keeps two offsets and builds each `Pos` only when read, from the
 * line starts the lexer recorded, so every consumer still sees the `Range` shape of ast.ts.
 */
import type { Pos, Range } from './ast.js';

/**
 * One parsed source: enough to turn an offset back into the lexer's line and column in O(log n), by
 * binary search over line starts and over the (usually absent) astral characters, which count one
 * column for two UTF-16 units. Scanning the line instead made long lines quadratic.
 */
export class SourceLines {
  /**
   * @param lineStarts offset of the first character of each line, ascending (line 1 starts at 0, or
   *   after a byte-order mark), exactly where the lexer counted a new line.
   * @param astralOffsets offset of each surrogate pair the lexer stepped over, ascending.
   */
  constructor(
    readonly file: string,
    private readonly lineStarts: readonly number[],
    private readonly astralOffsets: readonly number[],
  ) {}

  /** The position the lexer reported at `offset` (an offset the lexer stopped at: a token boundary). */
  pos(offset: number): Pos {
    const index = countAtOrBelow(this.lineStarts, offset) - 1;
    const lineStart = this.lineStarts[Math.max(0, index)]!;
    let col = offset - lineStart + 1;
    if (this.astralOffsets.length > 0) col -= countAtOrBelow(this.astralOffsets, offset - 1) - countAtOrBelow(this.astralOffsets, lineStart - 1);
    return { line: Math.max(0, index) + 1, col: Math.max(1, col), offset };
  }
}

/** How many of the ascending `values` are <= `limit`. */
function countAtOrBelow(values: readonly number[], limit: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class SourceRange implements Range {
  readonly file: string;

  constructor(
    private readonly lines: SourceLines,
    private readonly startOffset: number,
    private readonly endOffset: number,
  ) {
    this.file = lines.file;
  }

  get start(): Pos {
    return this.lines.pos(this.startOffset);
  }

  get end(): Pos {
    return this.lines.pos(this.endOffset);
  }

  /** Serialised (e.g. diagnostics in JSON output) exactly like a plain Range. */
  toJSON(): Range {
    return { file: this.file, start: this.start, end: this.end };
  }

  /** From the start of `from` to the end of `to` (same file), compact when both are. */
  static spanning(from: Range, to: Range): Range {
    if (from instanceof SourceRange && to instanceof SourceRange && from.lines === to.lines) {
      return new SourceRange(from.lines, from.startOffset, to.endOffset);
    }
    return { file: from.file, start: from.start, end: to.end };
  }
}
