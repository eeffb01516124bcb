/**
 * `phoenix fmt`: canonical layout as `terraform fmt` writes it, following hashicorp/hcl's hclwrite
 * formatter (hclwrite/format.go). Token based: the source is lexed, split into lines at newline tokens,
 * and each line is re-rendered with two-space indentation by bracket depth, hclwrite's spacing between
 * tokens, and `=` and trailing comments aligned across consecutive lines. The literal text of strings
 * and heredocs, and comments, are copied verbatim. Sources with syntax errors are returned unchanged
 * together with the diagnostics, as terraform does.
 */
import type { Body, Range } from './ast.js';
import { appendAll, duplicateArgument, hasErrors, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import type { Token, TokenList } from './tokens.js';
import { parseHcl } from './parser.js';

export function formatHcl(source: string, filename: string): { output: string; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parseHcl(source, filename);
  appendAll(diagnostics, duplicateArguments(file.body));
  if (hasErrors(diagnostics)) return { output: source, diagnostics };
  const { lines, endings } = splitIntoLines(lex(source, filename).tokens, source);
  return { output: render(lines, endings), diagnostics };
}

/** Arguments set twice in one body: HCL's parser rejects such a file, so terraform fmt leaves it alone. */
function duplicateArguments(root: Body): Diagnostic[] {
  const found: Diagnostic[] = [];
  const bodies = [root];
  for (let body = bodies.pop(); body; body = bodies.pop()) {
    const seen = new Map<string, Range>();
    for (const item of body.items) {
      if (item.kind === 'block') bodies.push(item.body);
      else if (seen.has(item.name)) found.push(duplicateArgument(item.name, seen.get(item.name)!, item.nameRange));
      else seen.set(item.name, item.nameRange);
    }
  }
  return found.sort((a, b) => a.range!.start.offset - b.range!.start.offset);
}

/** A unit of layout: one token, as hclwrite formats the token sequence (template tokens included). */
interface Chunk {
  text: string;
  token: Token;
}

interface Line {
  chunks: Chunk[];
  /** Indentation level (two spaces each). */
  level: number;
}

function isPunct(chunk: Chunk | undefined, ...texts: string[]): boolean {
  return chunk?.token.type === 'punct' && texts.includes(chunk.token.text);
}

function isType(chunk: Chunk | undefined, ...types: Token['type'][]): boolean {
  return chunk !== undefined && types.includes(chunk.token.type);
}

/**
 * Group tokens into lines of chunks (`null` entries are blank lines); levels are set by `indent`.
 * Strings are split into their tokens, as in hclwrite: a newline inside `${ }` or `%{ }` ends a line
 * like any other (heredoc text lines are literal tokens, not line breaks).
 * `endings[i]` ends line i: `\r\n` where the source had one, as hclwrite keeps newline tokens whole.
 */
function splitIntoLines(tokens: TokenList, source: string): { lines: (Line | null)[]; endings: string[] } {
  const lines: (Line | null)[] = [];
  const endings: string[] = [];
  let current: Chunk[] = [];
  const finishLine = (): void => {
    lines.push(current.length === 0 ? null : { chunks: current, level: 0 });
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens.get(i);
    if (token.type === 'eof') break;
    if (token.type === 'newline') {
      finishLine();
      endings.push(source[token.startOffset - 1] === '\r' ? '\r\n' : '\n');
      continue;
    }
    current.push({ text: token.text, token });
  }
  finishLine();
  indent(lines);
  return { lines, endings };
}

/** hclwrite's tokenBracketChange: `${` and `%{` open like brackets, and their `}` closes. */
function bracketChange(chunk: Chunk): number {
  if (isPunct(chunk, '{', '[', '(') || isType(chunk, 'interp', 'control')) return 1;
  if (isPunct(chunk, '}', ']', ')') || isType(chunk, 'tend')) return -1;
  return 0;
}

/**
 * hclwrite's formatIndent: a line opening brackets on balance indents what follows by one level,
 * however many it opens (`tomap({` is one level); a line closing them on balance returns to the level
 * before the line that opened them, and is itself written at that level. The lead cell is counted up
 * to a heredoc's opening marker, the assign cell whole.
 */
function indent(lines: (Line | null)[]): void {
  const opened: number[] = [];
  for (const line of lines) {
    if (!line) continue;
    const cells = splitCells(line);
    let net = 0;
    for (const chunk of cells.lead) {
      net += bracketChange(chunk);
      if (chunk.token.type === 'oheredoc') break;
    }
    for (const chunk of cells.assign) net += bracketChange(chunk);
    if (net > 0) {
      line.level = opened.length;
      opened.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && opened.length > 0) {
      const top = opened[opened.length - 1]!;
      if (closed >= top) {
        closed -= top;
        opened.pop();
      } else {
        opened[opened.length - 1] = top - closed;
        closed = 0;
      }
    }
    line.level = opened.length;
  }
}

/**
 * hclwrite's cells: `lead`, then `assign` from the `=` on if what follows it is bracket-balanced (a
 * value spanning several lines is not aligned), then a trailing `comment`.
 */
function splitCells(line: Line): { lead: Chunk[]; assign: Chunk[]; comment: Chunk[] } {
  let chunks = line.chunks;
  let comment: Chunk[] = [];
  if (chunks.length > 1 && chunks[chunks.length - 1]!.token.type === 'comment') {
    comment = chunks.slice(-1);
    chunks = chunks.slice(0, -1);
  }
  const equals = chunks.findIndex((chunk, i) => i > 0 && isPunct(chunk, '='));
  if (equals > 0 && chunks.slice(equals).reduce((net, chunk) => net + bracketChange(chunk), 0) === 0) {
    return { lead: chunks.slice(0, equals), assign: chunks.slice(equals), comment };
  }
  return { lead: chunks, assign: [], comment };
}

/** Tokens before which a `-` is a negation (hclwrite: the end of an expression cannot come just before). */
const BEFORE_NEGATION = new Set(['(', '{', '[', '=', ':', ',', '?', '+', '*', '/', '%', '-', '==', '!=', '>', '>=', '<', '<=', '&&', '||', '!']);

/**
 * hclwrite's spaceAfterToken, rule for rule and in its order: whether `subject` (with `before` ahead
 * of it, undefined at the start of a cell) is followed by a space when `after` comes next.
 */
function spaceAfter(subject: Chunk, before: Chunk | undefined, after: Chunk): boolean {
  if (isType(subject, 'ident') && isPunct(after, '(')) return false;
  if ((isType(subject, 'ident') && isPunct(after, '::')) || (isPunct(subject, '::') && isType(after, 'ident'))) return false;
  if (isPunct(subject, '.') || isPunct(after, '.')) return false;
  if (isPunct(after, ',', '...')) return false;
  if (isPunct(subject, ',')) return true;
  // No extra spaces within templates.
  if (isType(subject, 'lit', 'oquote', 'oheredoc') || isType(after, 'lit', 'cquote', 'cheredoc')) return false;
  // `[for x in [foo]: x]`: `in` is the keyword, not a reference being indexed.
  if (subject.token.type === 'ident' && subject.text === 'in' && isType(before, 'ident')) return true;
  if (isPunct(after, '[') && (isType(subject, 'ident', 'number') || bracketChange(subject) < 0)) return false;
  if (isPunct(subject, '!')) return false;
  if (isPunct(subject, '-')) return before !== undefined && !(before.token.type === 'punct' && BEFORE_NEGATION.has(before.text));
  if (isPunct(subject, '{') || isPunct(after, '}')) return !(isPunct(subject, '{') && isPunct(after, '}'));
  // `${ { a = 1 } }`: a space between the sequence's brace and an object's.
  if (isType(subject, 'interp', 'control') && isPunct(after, '{')) return true;
  if (isPunct(subject, '}') && isType(after, 'tend')) return true;
  if (isType(subject, 'tend') && isType(after, 'interp', 'control')) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

/** The separator between chunks[index - 1] and chunks[index] within one cell starting at `from`. */
function spaceBefore(chunks: Chunk[], index: number, from: number): string {
  return spaceAfter(chunks[index - 1]!, index - 1 > from ? chunks[index - 2] : undefined, chunks[index]!) ? ' ' : '';
}

/** The chunks of one cell, `chunks[from..]`, with hclwrite's spacing between them. */
function renderChunks(chunks: Chunk[], from: number): string {
  let out = chunks[from]?.text ?? '';
  for (let i = from + 1; i < chunks.length; i++) out += spaceBefore(chunks, i, from) + chunks[i]!.text;
  return out;
}

/** Width in columns (grapheme clusters, as hclwrite counts them). */
function columns(text: string): number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.length;
  let n = 0;
  for (const _ of GRAPHEMES.segment(text)) n++;
  return n;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface Rendered {
  lead: string;
  assign: string;
  comment: string;
}

/**
 * hclwrite's formatCells: consecutive lines with an `assign` cell align their `=` one column past the
 * widest lead; consecutive lines with a trailing comment align it one past the widest lead + assign.
 * Blank lines, and lines without the cell, end a run. Blank lines are all kept, as HCL does.
 */
function render(lines: (Line | null)[], endings: string[]): string {
  const rendered: (Rendered | null)[] = lines.map((line) => {
    if (!line) return null;
    const cells = splitCells(line);
    const leadChunks = cells.lead;
    const lead = '  '.repeat(line.level) + renderChunks(leadChunks, 0);
    const assign = cells.assign.length ? renderChunks(cells.assign, 0) : '';
    return { lead, assign, comment: cells.comment[0]?.text ?? '' };
  });
  const leadWidth = new Map<Rendered, number>();
  alignRuns(rendered, (r) => r.assign !== '', (r) => columns(r.lead), (r, width) => leadWidth.set(r, width));
  const withAssign = (r: Rendered): string => (r.assign ? r.lead + ' '.repeat(leadWidth.get(r)! - columns(r.lead) + 1) + r.assign : r.lead);
  const out = rendered.map((r) => (r ? withAssign(r) : ''));
  const lineOf = new Map<Rendered, number>();
  rendered.forEach((r, i) => r && lineOf.set(r, i));
  alignRuns(rendered, (r) => r.comment !== '', (r) => columns(withAssign(r)), (r, width) => {
    const i = lineOf.get(r)!;
    out[i] = out[i] + ' '.repeat(width - columns(out[i]!) + 1) + r.comment;
  });
  let text = '';
  for (let i = 0; i < out.length; i++) text += out[i]! + (endings[i] ?? '');
  return text;
}

/** Calls `apply(line, widest)` for each line of every run of consecutive lines that `member` accepts. */
function alignRuns(lines: (Rendered | null)[], member: (r: Rendered) => boolean, width: (r: Rendered) => number, apply: (r: Rendered, widest: number) => void): void {
  let run: Rendered[] = [];
  const close = (): void => {
    let widest = 0;
    for (const r of run) widest = Math.max(widest, width(r));
    for (const r of run) apply(r, widest);
    run = [];
  };
  for (const line of lines) {
    if (line && member(line)) run.push(line);
    else if (run.length > 0) close();
  }
  if (run.length > 0) close();
}
