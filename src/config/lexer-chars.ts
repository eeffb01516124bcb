/** Character classes of the HCL scanner (hclsyntax/scan_tokens.rl) and its shared message texts. */

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
