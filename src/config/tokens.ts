/**
 * Token storage for the scanner. A large configuration has about a million tokens; keeping each as
 * an object made garbage collection dominate parse time, so positions live in typed arrays and a
 * `Token` object is built only when the parser looks at one (a small cache avoids rebuilding).
 */
import type { Pos } from './ast.js';

export type TokenType =
  | 'ident'
  | 'number'
  | 'newline'
  | 'comment'
  | 'eof'
  | 'invalid'
  | 'punct'
  /** Opening `"` of a quoted template. */
  | 'oquote'
  /** Closing `"`; `synthetic` when the lexer closed an unterminated string itself. */
  | 'cquote'
  /** `<<EOT` or `<<-EOT` including the newline that follows. */
  | 'oheredoc'
  /** The closing marker line of a heredoc (leading whitespace included, newline excluded). */
  | 'cheredoc'
  /** A run of literal template text, still escaped (decoding happens in the parser). */
  | 'lit'
  /** `${` or `${~` */
  | 'interp'
  /** `%{` or `%{~` */
  | 'control'
  /** `}` or `~}` closing an interpolation or directive. */
  | 'tend';

/** A materialised view of one token. */
export class Token {
  constructor(
    readonly type: TokenType,
    /** Source text of the token. */
    readonly text: string,
    readonly startLine: number,
    readonly startCol: number,
    readonly startOffset: number,
    readonly endLine: number,
    readonly endCol: number,
    readonly endOffset: number,
    /** Heredoc literal that begins a line (needed for `<<-` indentation stripping). */
    readonly lineStart: boolean,
    /** A closing token invented to recover from an unterminated string or heredoc. */
    readonly synthetic: boolean,
  ) {}

  private startPos: Pos | undefined;
  private endPos: Pos | undefined;

  /** Memoised so AST nodes that start or end at the same token share one Pos object. */
  get start(): Pos {
    return (this.startPos ??= { line: this.startLine, col: this.startCol, offset: this.startOffset });
  }

  get end(): Pos {
    return (this.endPos ??= { line: this.endLine, col: this.endCol, offset: this.endOffset });
  }
}

/** Token types are stored as small integers; this is the code → type table. */
const TYPES: readonly TokenType[] = [
  'ident', 'number', 'newline', 'comment', 'eof', 'invalid', 'punct', 'oquote', 'cquote', 'oheredoc', 'cheredoc', 'lit', 'interp', 'control', 'tend',
];
const TYPE_CODE = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<TokenType, number>;

const FIELDS = 6; // startLine, startCol, startOffset, endLine, endCol, endOffset
const LINE_START = 1;
const SYNTHETIC = 2;
const CACHE_SIZE = 16;

export class TokenList {
  private count = 0;
  private types: Uint8Array;
  private positions: Int32Array;
  private flags: Uint8Array;
  private readonly cacheIndex = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cache: (Token | undefined)[] = new Array<Token | undefined>(CACHE_SIZE);
  /** Offset at which each line starts (line 1 at 0), as the scanner counted lines; see SourceLines. */
  readonly lineStarts: number[] = [0];
  /** Offset of every astral character (a surrogate pair, one column wide), ascending; see SourceLines. */
  readonly astralOffsets: number[] = [];

  constructor(private readonly source: string) {
    // Roughly one token per six characters of configuration; grown by doubling when exceeded.
    const capacity = Math.max(1024, Math.ceil(source.length / 4));
    this.positions = new Int32Array(capacity * FIELDS);
    this.flags = new Uint8Array(capacity);
    this.types = new Uint8Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Append a token; returns its index. */
  push(type: TokenType, startLine: number, startCol: number, startOffset: number, endLine: number, endCol: number, endOffset: number): number {
    const index = this.count++;
    if (index >= this.types.length) this.grow();
    const base = index * FIELDS;
    const p = this.positions;
    p[base] = startLine;
    p[base + 1] = startCol;
    p[base + 2] = startOffset;
    p[base + 3] = endLine;
    p[base + 4] = endCol;
    p[base + 5] = endOffset;
    this.types[index] = TYPE_CODE[type];
    return index;
  }

  private grow(): void {
    const positions = new Int32Array(this.positions.length * 2);
    positions.set(this.positions);
    this.positions = positions;
    const flags = new Uint8Array(this.flags.length * 2);
    flags.set(this.flags);
    this.flags = flags;
    const types = new Uint8Array(this.types.length * 2);
    types.set(this.types);
    this.types = types;
  }

  markLineStart(index: number): void {
    this.flags[index]! |= LINE_START;
  }

  markSynthetic(index: number): void {
    this.flags[index]! |= SYNTHETIC;
  }

  /** The type of the token at `index` without building a Token (EOF past the end). */
  type(index: number): TokenType {
    return index < this.count ? TYPES[this.types[index]!]! : 'eof';
  }

  text(index: number): string {
    const base = index * FIELDS;
    return this.source.slice(this.positions[base + 2], this.positions[base + 5]);
  }

  /** The token at `index`, clamped to the last token (always EOF once scanning is done). */
  get(index: number): Token {
    const i = Math.max(0, Math.min(index, this.count - 1));
    const slot = i % CACHE_SIZE;
    if (this.cacheIndex[slot] === i) return this.cache[slot]!;
    const base = i * FIELDS;
    const p = this.positions;
    const flags = this.flags[i]!;
    const token = new Token(
      TYPES[this.types[i]!]!,
      this.source.slice(p[base + 2], p[base + 5]),
      p[base]!,
      p[base + 1]!,
      p[base + 2]!,
      p[base + 3]!,
      p[base + 4]!,
      p[base + 5]!,
      (flags & LINE_START) !== 0,
      (flags & SYNTHETIC) !== 0,
    );
    this.cacheIndex[slot] = i;
    this.cache[slot] = token;
    return token;
  }
}
