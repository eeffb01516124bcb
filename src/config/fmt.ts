/**
 * `phoenix fmt`: canonical layout in the style of `terraform fmt`. Token based: the source is lexed,
 * split into lines at newline tokens, and each line is re-rendered with two-space indentation by
 * bracket depth, canonical spacing between tokens, and `=` aligned across consecutive argument lines.
 * Strings, heredocs and comments are copied verbatim. Sources with syntax errors are returned
 * unchanged together with the diagnostics, as terraform does.
 */
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import type { Token, TokenList } from './tokens.js';
import { parseHcl } from './parser.js';

export function formatHcl(source: string, filename: string): { output: string; diagnostics: Diagnostic[] } {
  const { diagnostics } = parseHcl(source, filename);
  if (hasErrors(diagnostics)) return { output: source, diagnostics };
  const { lines, endings } = splitIntoLines(lex(source, filename).tokens, source);
  return { output: render(lines, endings), diagnostics };
}

/** A unit of layout: a single token, or a whole quoted string / heredoc copied verbatim. */
interface Chunk {
  text: string;
  /** The token the chunk starts with (for strings: the opening quote or heredoc marker). */
  token: Token;
}

interface Line {
  chunks: Chunk[];
  /** Indentation level (two spaces each). */
  level: number;
}

const OPENERS = new Set(['{', '[', '(']);
const CLOSERS = new Set(['}', ']', ')']);

function isPunct(chunk: Chunk | undefined, ...texts: string[]): boolean {
  return chunk?.token.type === 'punct' && texts.includes(chunk.token.text);
}

/**
 * Group tokens into lines of chunks (`null` entries are blank lines); levels are set by `indent`.
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
    if (token.type === 'oquote' || token.type === 'oheredoc') {
      const { text, end } = renderString(tokens, source, i);
      current.push({ text, token });
      i = end;
      continue;
    }
    const text = token.text;
    current.push({ text, token });
  }
  finishLine();
  indent(lines);
  return { lines, endings };
}

function bracketChange(chunk: Chunk): number {
  if (isPunct(chunk, ...OPENERS)) return 1;
  if (isPunct(chunk, ...CLOSERS)) return -1;
  return 0;
}

/**
 * hclwrite's formatIndent: a line opening brackets on balance indents what follows by one level,
 * however many it opens (`tomap({` is one level); a line closing them on balance returns to the level
 * before the line that opened them, and is itself written at that level.
 */
function indent(lines: (Line | null)[]): void {
  const opened: number[] = [];
  for (const line of lines) {
    if (!line) continue;
    const cells = splitCells(line);
    let net = 0;
    for (const chunk of [...cells.lead, ...cells.assign]) net += bracketChange(chunk);
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

/**
 * A quoted string or heredoc starting at token `start`: literal text verbatim, the expressions inside
 * `${ }` and `%{ }` spaced like any other (`${ name }` → `${name}`, as hclwrite). A sequence holding a
 * newline or comment is copied verbatim. Returns the text and the index of the closing token. Strings
 * nested inside sequences are rendered with an explicit stack: templates may nest 10,000 levels deep.
 */
function renderString(tokens: TokenList, source: string, start: number): { text: string; end: number } {
  interface Open {
    start: number;
    out: string;
    verbatim: boolean;
    /** The `${` or `%{` sequence being read, with the chunks of its expression so far. */
    sequence?: { open: Token; inner: Chunk[] };
  }
  const stack: Open[] = [{ start, out: tokens.get(start).text, verbatim: false }];
  const last = tokens.length - 1;
  for (let i = start + 1; ; i++) {
    const open = stack[stack.length - 1]!;
    const t = tokens.get(Math.min(i, last));
    const sequence = open.sequence;
    if (sequence && t.type !== 'tend' && t.type !== 'eof') {
      if (t.type === 'oquote' || t.type === 'oheredoc') stack.push({ start: i, out: t.text, verbatim: false });
      else {
        if (t.type === 'newline' || t.type === 'comment') open.verbatim = true;
        sequence.inner.push({ text: t.text, token: t });
      }
    } else if (sequence) {
      const { inner } = sequence;
      // Braces next to the sequence's own get a space: `${ { a = 1 } }`.
      const padStart = isPunct(inner[0], '{') ? ' ' : '';
      const padEnd = isPunct(inner[inner.length - 1], '}') ? ' ' : '';
      open.out += sequence.open.text + padStart + renderChunks(inner, 0) + padEnd + (t.type === 'tend' ? t.text : '');
      open.sequence = undefined;
      if (t.type === 'eof') i--; // let the string end at the end of the file
    } else if (t.type === 'interp' || t.type === 'control') {
      open.sequence = { open: t, inner: [] };
    } else if (t.type !== 'cquote' && t.type !== 'cheredoc' && t.type !== 'eof') {
      open.out += t.text;
    } else {
      const end = Math.min(i, last);
      const text = open.verbatim
        ? source.slice(tokens.get(open.start).startOffset, tokens.get(end).endOffset)
        : open.out + (t.type === 'eof' ? '' : t.text);
      stack.pop();
      const outer = stack[stack.length - 1];
      if (!outer) return { text, end };
      outer.sequence!.inner.push({ text, token: tokens.get(open.start) });
      if (t.type === 'eof') i--;
    }
  }
}

/** Words after which an opening bracket starts a new expression rather than indexing. */
const KEYWORDS = new Set(['in', 'if', 'for']);

function isUnaryAt(chunks: Chunk[], index: number): boolean {
  const chunk = chunks[index];
  if (isPunct(chunk, '!')) return true;
  if (!isPunct(chunk, '-')) return false;
  const before = chunks[index - 1];
  if (!before) return true;
  if (before.token.type === 'punct') return !isPunct(before, ...CLOSERS);
  return before.token.type === 'ident' && KEYWORDS.has(before.token.text);
}

/** The separator between chunks[index - 1] and chunks[index]: '' or ' '. */
function spaceBefore(chunks: Chunk[], index: number): string {
  const a = chunks[index - 1]!;
  const b = chunks[index]!;
  if (b.token.type === 'comment') return ' ';
  if (isPunct(a, '(', '[', '.', '::') || isUnaryAt(chunks, index - 1)) return '';
  if (isPunct(b, '::')) return '';
  if (isPunct(b, ')', ']', ',', '.', '...')) return '';
  if (isPunct(a, '{') && isPunct(b, '}')) return '';
  const callOrIndex = isPunct(b, '(', '[') && (a.token.type === 'ident' || a.token.type === 'oquote' || isPunct(a, ')', ']'));
  if (callOrIndex && !(a.token.type === 'ident' && KEYWORDS.has(a.token.text))) return '';
  return ' ';
}

function renderChunks(chunks: Chunk[], from: number): string {
  let out = chunks[from]?.text ?? '';
  for (let i = from + 1; i < chunks.length; i++) out += spaceBefore(chunks, i) + chunks[i]!.text;
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
    const assign = cells.assign.length ? renderChunks([...leadChunks, ...cells.assign], leadChunks.length) : '';
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
