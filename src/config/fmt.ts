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
  const lines = splitIntoLines(lex(source, filename).tokens, source);
  return { output: render(lines), diagnostics };
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

/** Group tokens into lines of chunks (`null` entries are blank lines) and compute each line's level. */
function splitIntoLines(tokens: TokenList, source: string): (Line | null)[] {
  const lines: (Line | null)[] = [];
  let current: Chunk[] = [];
  let depth = 0;
  const finishLine = (): void => {
    if (current.length === 0) {
      lines.push(null);
      return;
    }
    let leadingClosers = 0;
    while (leadingClosers < current.length && isPunct(current[leadingClosers], ...CLOSERS)) leadingClosers++;
    lines.push({ chunks: current, level: Math.max(0, depth - leadingClosers) });
    for (const chunk of current) {
      if (isPunct(chunk, ...OPENERS)) depth++;
      else if (isPunct(chunk, ...CLOSERS)) depth = Math.max(0, depth - 1);
    }
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens.get(i);
    if (token.type === 'eof') break;
    if (token.type === 'newline') {
      finishLine();
      continue;
    }
    if (token.type === 'oquote' || token.type === 'oheredoc') {
      const close = token.type === 'oquote' ? 'cquote' : 'cheredoc';
      let end = i + 1;
      let nesting = 0;
      // Find the matching closer; strings nested inside `${ }` have their own quotes.
      for (; end < tokens.length; end++) {
        const t = tokens.get(end);
        if (t.type === 'oquote' || t.type === 'oheredoc') nesting++;
        else if ((t.type === 'cquote' || t.type === 'cheredoc') && nesting > 0) nesting--;
        else if (t.type === close || t.type === 'eof') break;
      }
      const last = tokens.get(Math.min(end, tokens.length - 1));
      current.push({ text: source.slice(token.startOffset, last.endOffset), token });
      i = end;
      continue;
    }
    const text = token.type === 'comment' ? token.text.trimEnd() : token.text;
    current.push({ text, token });
  }
  finishLine();
  return lines;
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

/** For `name = ...` / `"key" = ...` lines: the key text, else undefined. */
function assignmentKey(line: Line): string | undefined {
  const [key, equals] = line.chunks;
  if (!key || !isPunct(equals, '=')) return undefined;
  return key.token.type === 'ident' || key.token.type === 'oquote' ? key.text : undefined;
}

function render(lines: (Line | null)[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line) {
      // Collapse runs of blank lines to one, and drop them at the start of the file.
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
      i++;
      continue;
    }
    if (assignmentKey(line) === undefined) {
      out.push('  '.repeat(line.level) + renderChunks(line.chunks, 0));
      i++;
      continue;
    }
    // A run of consecutive argument lines at the same level shares one `=` column.
    let end = i;
    while (end < lines.length && lines[end] && lines[end]!.level === line.level && assignmentKey(lines[end]!) !== undefined) end++;
    const group = lines.slice(i, end) as Line[];
    const width = Math.max(...group.map((l) => [...assignmentKey(l)!].length));
    for (const member of group) {
      const key = assignmentKey(member)!;
      const rest = renderChunks(member.chunks, 2);
      out.push('  '.repeat(member.level) + key + ' '.repeat(width - [...key].length) + ' = ' + rest);
    }
    i = end;
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
