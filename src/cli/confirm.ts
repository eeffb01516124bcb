/**
 * The approval prompt before apply/destroy. Only the exact answer `yes` proceeds. Input may be a
 * terminal or a pipe; when stdin ends without an answer the run stops with a diagnostic telling the
 * user about -auto-approve, instead of hanging or applying unapproved.
 */
import { createInterface } from 'node:readline';
import { DiagnosticError, error } from '../config/diagnostics.js';
import type { Ui } from './ui.js';

/** Ask; true only for `yes`. An interrupt (the signal aborting) while waiting counts as a no. */
export async function askForApproval(ui: Ui, question: string, explanation: string[], interrupt?: AbortSignal): Promise<boolean> {
  ui.out(['', ui.style.bold(question), ...explanation.map((l) => `  ${l}`), ''].join('\n'));
  process.stdout.write(`  ${ui.style.bold('Enter a value:')} `);
  const answer = await readLine(interrupt);
  process.stdout.write('\n');
  if (answer === INTERRUPTED) return false;
  if (answer === undefined) {
    throw new DiagnosticError([
      error(
        'No approval received',
        'The standard input was closed before a value was entered, so nothing was changed. To run without interactive approval, use -auto-approve.',
      ),
    ]);
  }
  return answer.trim() === 'yes';
}

const INTERRUPTED = Symbol('interrupted');

function readLine(interrupt?: AbortSignal): Promise<string | undefined | typeof INTERRUPTED> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let settled = false;
    const settle = (value: string | undefined | typeof INTERRUPTED): void => {
      if (settled) return;
      settled = true;
      interrupt?.removeEventListener('abort', onAbort);
      rl.close();
      resolve(value);
    };
    const onAbort = (): void => settle(INTERRUPTED);
    interrupt?.addEventListener('abort', onAbort);
    rl.once('line', (line) => settle(line));
    rl.once('close', () => settle(undefined));
  });
}
