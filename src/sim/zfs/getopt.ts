/** Pieces zfs(8) and zpool(8) share: POSIX getopt, their tables, and mapping model errors to exit 1. */
import { SimError } from '../core/errors.js';
import { ZfsError } from './model.js';

export interface Getopt {
  flags: Set<string>;
  values: Record<string, string[]>;
  operands: string[];
}

/** POSIX getopt: bundled flags (`-rp`), options with arguments (`-o x` / `-ox`), operands after. */
export function getopt(args: string[], flagLetters: string, valueLetters: string, usageError: (message: string) => SimError): Getopt {
  const result: Getopt = { flags: new Set(), values: {}, operands: [] };
  let i = 0;
  for (; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      i++;
      break;
    }
    if (!token.startsWith('-') || token === '-') break;
    for (let j = 1; j < token.length; j++) {
      const letter = token[j]!;
      if (valueLetters.includes(letter)) {
        const value = j + 1 < token.length ? token.slice(j + 1) : args[++i];
        if (value === undefined) throw usageError(`missing argument for '${letter}' option`);
        (result.values[letter] ??= []).push(value);
        break;
      }
      if (!flagLetters.includes(letter)) throw usageError(`invalid option '${letter}'`);
      result.flags.add(letter);
    }
  }
  result.operands = args.slice(i);
  return result;
}

/** Lines of a table: tab-separated with -H, otherwise padded columns under an upper-case header. */
export function renderTable(header: string[], rows: string[][], scripted: boolean, rightAligned: boolean[]): string {
  if (scripted) return rows.map((r) => r.join('\t') + '\n').join('');
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 && !rightAligned[c] ? cell : rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ') + '\n',
    )
    .join('');
}

/** A model error is the command's message with exit code 1. */
export function zfsFailure(e: unknown): never {
  if (e instanceof ZfsError) throw new SimError(e.message, 1);
  throw e;
}
