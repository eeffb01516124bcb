/**
 * The parser's compact Range. A large configuration has hundreds of thousands of AST ranges; as plain
 * `{file, start: {...}, end: {...}}` literals each cost three heap objects, and collecting them dominated
 * parse time and memory. A SourceRange keeps two offsets and builds each `Pos` only when read, from the
 * line starts the lexer recorded, so every consumer still sees the `Range` shape of ast.ts.
 */
import type { Pos, Range } from './ast.js';

/** One parsed source: enough to turn an offset back into the lexer's line and column. */
export class SourceLines {
  /**
   * @param lineStarts offset of the first character of each line, ascending (line 1 starts at 0),
   *   exactly where the lexer counted a new line.
   */
  constructor(
    readonly file: string,
    private readonly source: string,
    private readonly lineStarts: readonly number[],
  ) {}

  /** The position the lexer reported at `offset` (an offset the lexer stopped at: a token boundary). */
  pos(offset: number): Pos {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    // Columns count code points the way the lexer steps: a high surrogate and what follows it are one.
    let col = 1;
    for (let i = starts[low]!; i < offset; col++) {
      const c = this.source.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return { line: low + 1, col, offset };
  }
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
