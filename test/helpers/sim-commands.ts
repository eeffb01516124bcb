/**
 * The commands a simulated node refused (its `var/sim/commands.log`): an error exit, or a task failure
 * that exits 0. Polling the guest agent while a VM boots is answered "not running" by design and is not
 * counted: phoenix asks until it answers.
 */
import { readCommandLog } from '../../src/sim/core/command-log.js';

export function rejectedCommands(simDir: string): string[] {
  return readCommandLog(simDir)
    .filter((e) => e.rejected)
    .filter((e) => !(e.tool === 'qm' && e.args[0] === 'guest' && e.args[1] === 'cmd' && /guest agent is not running/.test(e.stderr)))
    .map((e) => `${e.tool} ${e.args.join(' ')} => ${e.exitCode}: ${e.stderr.trim()}`);
}
