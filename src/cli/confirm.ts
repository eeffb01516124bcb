/**
 * The approval prompt before apply/destroy. Only the exact answer `yes` proceeds. Input may be a
 * terminal or a pipe; when stdin ends without an answer the run stops with a diagnostic telling the
 * user about -auto-approve, instead of hanging or applying unapproved.
 */
import { createInterface } from 'node:readline';
import { DiagnosticError, error } from '../config/diagnostics.js';
import type { Ui } from './ui.js';

export async function askForApproval(ui: Ui, question: string, explanation: string[]): Promise<boolean> {
  ui.out(['', ui.style.bold(question), ...explanation.map((l) => `  ${l}`), ''].join('\n'));
  process.stdout.write(`  ${ui.style.bold('Enter a value:')} `);
  const answer = await readLine();
  process.stdout.write('\n');
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

function readLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
