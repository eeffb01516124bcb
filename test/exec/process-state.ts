import { readFileSync } from 'node:fs';

/**
 * Whether `pid` is still a running process. A killed process whose parent is gone may linger as a zombie
 * until init reaps it; it no longer runs, so it counts as dead.
 */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // Field 3, after the parenthesised command name (which may itself contain spaces or parentheses).
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
