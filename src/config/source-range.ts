/**
 * The parser's compact Range. A large configuration has hundreds of thousands of AST ranges; as plain
 * `{file, start: {...}, end: {...}}` literals each cost three heap objects, and collecting them dominated
 * parse time and memory. This keeps the six numbers in one object and builds a `Pos` only when read,
 * so every consumer still sees the `Range` shape of ast.ts.
 */
import type { Pos, Range } from './ast.js';

export class SourceRange implements Range {
  constructor(
    readonly file: string,
    private readonly startLine: number,
    private readonly startCol: number,
    private readonly startOffset: number,
    private readonly endLine: number,
    private readonly endCol: number,
    private readonly endOffset: number,
  ) {}

  static between(file: string, start: Pos, end: Pos): SourceRange {
    return new SourceRange(file, start.line, start.col, start.offset, end.line, end.col, end.offset);
  }

  get start(): Pos {
    return { line: this.startLine, col: this.startCol, offset: this.startOffset };
  }

  get end(): Pos {
    return { line: this.endLine, col: this.endCol, offset: this.endOffset };
  }

  /** Serialised (e.g. diagnostics in JSON output) exactly like a plain Range. */
  toJSON(): Range {
    return { file: this.file, start: this.start, end: this.end };
  }
}
