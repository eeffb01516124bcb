/** Character classes and literal scans of the HCL scanner (hclsyntax/scan_tokens.rl), and its shared message texts. */

export const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '=', ':', ',', '.', '?', '+', '-', '*', '/', '%', '<', '>', '!']);

// HCL's scanner uses Unicode 9's ID_Start/ID_Continue (hclsyntax/unicode_derived.rl); later Unicode
// versions added the zero-width joiners U+200C/U+200D to ID_Continue, which would let two different
// names look the same, so they are excluded.
export const ID_START = /[\p{ID_Start}_]/u;
export const ID_CONTINUE = /(?![\u200c\u200d])[\p{ID_Continue}\-]/u;

export const MULTI_LINE_STRING_DETAIL =
  'Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the "heredoc" multi-line template syntax.';

export function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

export function isAsciiIdContinue(c: number): boolean {
  return isAsciiIdStart(c) || (c >= 48 && c <= 57) || c === 45;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Length of HashiCorp's NumberLit at `start` (a digit): then any run of digits, dots and exponents
 * (`e`, `E`, optional sign, digit) not ending in a dot. So `1.0.1` is one token, which the parser
 * rejects as a number and a legacy index reports as two indexes chained, as HCL does.
 */
export function numberLength(src: string, start: number): number {
  let end = start + 1;
  let last = end;
  for (;;) {
    const c = src[end];
    if (isDigit(src.charCodeAt(end))) last = ++end;
    else if (c === '.') end++;
    else if (c === 'e' || c === 'E') {
      const digit = src[end + 1] === '+' || src[end + 1] === '-' ? end + 2 : end + 1;
      if (!isDigit(src.charCodeAt(digit))) break;
      last = end = digit + 1;
    } else break;
  }
  return last - start;
}

/**
 * End of the heredoc literal run starting at `start`: after the next newline, before `${`/`%{`, or at
 * a CR that no LF follows (HCL's heredoc scanner has no rule for one).
 */
export function heredocLiteralEnd(src: string, start: number): number {
  let end = start;
  while (end < src.length) {
    const ch = src[end];
    if (ch === '\n') return end + 1;
    if (ch === '\r' && src[end + 1] !== '\n') return end;
    if ((ch === '$' || ch === '%') && src[end + 1] === ch && src[end + 2] === '{') {
      end += 3;
      continue;
    }
    if ((ch === '$' || ch === '%') && src[end + 1] === '{') return end;
    end++;
  }
  return end;
}
