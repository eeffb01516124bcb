/**
 * Token cursor shared by the body, expression and template parsers. Comments are always skipped;
 * newlines are significant in bodies and object constructors but ignored inside `()` and `[]`, which
 * the parsers express by pushing a newline mode.
 */
import type { Pos, Range } from '../ast.js';
import { error, type Diagnostic } from '../diagnostics.js';
import { SourceLines, SourceRange } from '../source-range.js';
import type { Token, TokenList } from '../tokens.js';

/**
 * How deeply expressions, templates and blocks may nest. HCL itself has no practical limit (Go stacks
 * grow to a gigabyte); real configurations stay far below this (Terraform's own corpus: under 30
 * levels). Past it the parser reports one positioned error and stops reading the file.
 *
 * Node's call stack is fixed (~1 MB), so the recursive-descent parser does not recurse this deep: once
 * a bracketed construct (`(`, `[`, `{`, a call, a quoted string or heredoc) opens RESUME_DEPTH levels
 * below the current stack's base, it is skipped to its matching closer and left as a placeholder, which
 * is parsed afterwards on an empty stack (see parseDeferred). Every later walk over the tree
 * (evaluation, references, fmt) uses an explicit stack.
 */
export const MAX_NESTING = 10_000;

/** Bracketed levels parsed on one call stack before the rest is deferred. */
const RESUME_DEPTH = 200;

/**
 * Levels of the constructs that cannot be deferred (blocks, template directives, splats, the `then`
 * branch of a conditional) allowed on one call stack: what Node's default stack holds with room to spare.
 */
export const STACK_NESTING = 1_000;

/** A bracketed construct skipped at `tokenIndex`, to be parsed into `placeholder` later. */
export interface Deferred<T> {
  tokenIndex: number;
  newlinesSignificant: boolean;
  depth: number;
  placeholder: T;
}

export class Cursor {
  private index = 0;
  private depth = 0;
  /** The nesting depth at which the current call stack started (0, or a deferred construct's). */
  private stackBase = 0;
  /** Set once nesting passed a limit: the rest of the file is skipped and not reported on. */
  private abandoned = false;
  private newlineModes: boolean[] = [true];
  readonly diagnostics: Diagnostic[] = [];
  /** Constructs skipped for depth, in source order of their skipping. */
  readonly deferred: Deferred<object>[] = [];
  private readonly lines: SourceLines;

  constructor(
    readonly tokens: TokenList,
    readonly source: string,
    readonly filename: string,
  ) {
    this.lines = new SourceLines(filename, tokens.lineStarts, tokens.astralOffsets);
  }

  private newlinesSignificant(): boolean {
    return this.newlineModes[this.newlineModes.length - 1]!;
  }

  /** Run `fn` with newlines significant (`true`) or skipped (`false`), restoring the previous mode. */
  withNewlines<T>(significant: boolean, fn: () => T): T {
    this.newlineModes.push(significant);
    try {
      return fn();
    } finally {
      this.newlineModes.pop();
    }
  }

  /** withNewlines without a closure, for the recursive paths where every stack frame counts. */
  pushNewlines(significant: boolean): void {
    this.newlineModes.push(significant);
  }

  popNewlines(): void {
    this.newlineModes.pop();
  }

  /** One level deeper; false (after reporting it once) when past a limit. Pair with leave(). */
  enter(): boolean {
    if (this.depth < MAX_NESTING && this.depth - this.stackBase < STACK_NESTING) {
      this.depth++;
      return true;
    }
    if (!this.abandoned) {
      const t = this.peek();
      const detail =
        this.depth >= MAX_NESTING
          ? `This configuration nests expressions, templates or blocks more than ${MAX_NESTING} levels deep, which phoenix does not support. Split the nesting into local values.`
          : `This configuration nests blocks, template directives, splats or conditionals more than ${STACK_NESTING} levels deep, which phoenix does not support (brackets, calls and strings may nest up to ${MAX_NESTING} levels). Split the nesting into local values.`;
      this.diagnostics.push(error('Nesting too deep', detail, this.tokenRange(t)));
      this.abandoned = true;
      this.index = this.tokens.length - 1;
      this.deferred.length = 0;
    }
    return false;
  }

  leave(): void {
    this.depth--;
  }

  /**
   * True when the bracketed construct at the cursor should be deferred: it opens RESUME_DEPTH levels
   * below this call stack's base.
   */
  shouldDefer(): boolean {
    return this.depth - this.stackBase >= RESUME_DEPTH && this.depth < MAX_NESTING;
  }

  /**
   * Skip the bracketed construct at the cursor (starting with an opener, or a function name followed by
   * one) to just past its matching closer, recording it to be parsed later into `placeholder`. Returns
   * the first and last tokens skipped, for the placeholder's range.
   */
  defer<T extends object>(placeholder: (first: Token, last: Token) => T): T {
    const start = this.significantFrom(this.index);
    let depth = 0;
    let i = start;
    for (; ; i++) {
      const change = bracketChange(this.tokens.get(i));
      if (change === 0 && this.tokens.type(i) === 'eof') break;
      depth += change;
      if (change < 0 && depth <= 0) break;
    }
    const last = this.tokens.get(i);
    this.index = last.type === 'eof' ? i : i + 1;
    const node = placeholder(this.tokens.get(start), last);
    this.deferred.push({ tokenIndex: start, newlinesSignificant: this.newlinesSignificant(), depth: this.depth, placeholder: node });
    return node;
  }

  /**
   * Parse every deferred construct with `parse`, each on a fresh call stack (this loop's), filling its
   * placeholder in place. Constructs deferred while doing so are parsed in turn.
   */
  parseDeferred<T extends object>(parse: (c: Cursor) => T): void {
    // Indexed, not shifted: the queue can hold one entry per RESUME_DEPTH levels of every deep value.
    for (let i = 0; i < this.deferred.length; i++) {
      const next = this.deferred[i]!;
      this.index = next.tokenIndex;
      this.newlineModes = [next.newlinesSignificant];
      this.depth = next.depth;
      this.stackBase = next.depth;
      const parsed = parse(this);
      for (const key of Object.keys(next.placeholder)) delete (next.placeholder as Record<string, unknown>)[key];
      Object.assign(next.placeholder, parsed);
    }
    this.deferred.length = 0;
  }

  /** True when the next token opens a bracketed construct: an opener, a string, or a call's name. */
  atBracketedConstruct(): boolean {
    const at = this.significantFrom(this.index);
    const t = this.tokens.get(at);
    if (t.type === 'ident') {
      const after = this.tokens.get(at + 1);
      return after.type === 'punct' && after.text === '(';
    }
    return bracketChange(t) > 0;
  }

  /** Index of the next significant token at or after `from` (comments, maybe newlines, skipped). */
  private significantFrom(from: number): number {
    const skipNewlines = !this.newlinesSignificant();
    let i = from;
    for (;;) {
      const type = this.tokens.type(i);
      if (type === 'comment' || (skipNewlines && type === 'newline')) i++;
      else return i;
    }
  }

  peek(): Token {
    return this.tokens.get(this.significantFrom(this.index));
  }

  /** The token after `peek()`. */
  peekSecond(): Token {
    const first = this.significantFrom(this.index);
    if (this.tokens.get(first).type === 'eof') return this.tokens.get(first);
    return this.tokens.get(this.significantFrom(first + 1));
  }

  next(): Token {
    const at = this.significantFrom(this.index);
    const t = this.tokens.get(at);
    this.index = t.type === 'eof' ? at : at + 1;
    return t;
  }

  /** Index of the next raw token in `tokens`. */
  get tokenIndex(): number {
    return this.index;
  }

  /** The raw next token, without skipping comments or newlines (template contents). */
  peekRaw(): Token {
    return this.tokens.get(this.index);
  }

  nextRaw(): Token {
    const t = this.tokens.get(this.index);
    if (t.type !== 'eof') this.index++;
    return t;
  }

  isPunct(text: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.text === text;
  }

  eatPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.next() : undefined;
  }

  /** End position of the most recently consumed token. */
  lastEnd(): Pos {
    for (let i = this.index - 1; i >= 0; i--) {
      const type = this.tokens.type(i);
      if (type !== 'comment' && type !== 'newline') return this.tokens.get(i).end;
    }
    return this.tokens.get(0).start;
  }

  /** `start` and `end` must be positions the lexer produced (token boundaries). */
  range(start: Pos, end: Pos = this.lastEnd()): Range {
    return new SourceRange(this.lines, start.offset, end.offset);
  }

  tokenRange(t: Token): Range {
    return new SourceRange(this.lines, t.startOffset, t.endOffset);
  }

  /** Record an error, unless one was already reported at the same spot (a cascade, not a new mistake). */
  report(summary: string, detail: string, range: Range): void {
    if (this.abandoned) return;
    const previous = this.diagnostics[this.diagnostics.length - 1];
    if (previous?.range?.start.offset === range.start.offset) return;
    this.diagnostics.push(error(summary, detail, range));
  }

  /** Skip to just past the next newline, stepping over nested brackets (error recovery). */
  recoverToLineEnd(): void {
    let depth = 0;
    for (;;) {
      const t = this.tokens.get(this.index);
      if (t.type === 'eof') return;
      if (t.type === 'newline' && depth <= 0) {
        this.index++;
        return;
      }
      if (t.type === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
      if (t.type === 'punct' && (t.text === '}' || t.text === ']' || t.text === ')')) {
        if (depth === 0 && t.text === '}') return; // leave the enclosing block's brace
        depth--;
      }
      this.index++;
    }
  }

  /** Skip to the given closing punctuation at the current nesting level, consuming it if found. */
  recoverTo(close: string): boolean {
    let depth = 0;
    for (;;) {
      const t = this.tokens.get(this.index);
      if (t.type === 'eof') return false;
      if (t.type === 'punct') {
        if (depth === 0 && t.text === close) {
          this.index++;
          return true;
        }
        if (t.text === '{' || t.text === '[' || t.text === '(') depth++;
        else if (t.text === '}' || t.text === ']' || t.text === ')') {
          if (depth === 0) return false;
          depth--;
        }
      }
      this.index++;
    }
  }

  describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'the end of the file';
      case 'newline':
        return 'a newline';
      case 'oquote':
      case 'cquote':
        return 'a quoted string';
      case 'oheredoc':
        return 'a heredoc';
      case 'ident':
        return `"${t.text}"`;
      case 'number':
        return `the number ${t.text}`;
      default:
        return JSON.stringify(t.text);
    }
  }
}

/** +1 for a token that opens a bracketed construct, -1 for one that closes it, else 0. */
function bracketChange(t: Token): number {
  switch (t.type) {
    case 'oquote':
    case 'oheredoc':
    case 'interp':
    case 'control':
      return 1;
    case 'cquote':
    case 'cheredoc':
    case 'tend':
      return -1;
    case 'punct':
      return t.text === '(' || t.text === '[' || t.text === '{' ? 1 : t.text === ')' || t.text === ']' || t.text === '}' ? -1 : 0;
    default:
      return 0;
  }
}

/**
 * `items` copied to an exactly sized array. V8 gives an array grown by `push` (or made by `filter`) room
 * for 17 elements; the AST keeps hundreds of thousands of short lists, so the spare room would be most
 * of the tree's memory.
 */
export function trimmed<T>(items: T[]): T[] {
  return items.slice();
}
