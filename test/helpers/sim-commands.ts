/**
 * The commands a simulated node refused (its `var/sim/commands.log`): an error exit, or a task failure
 * that exits 0. Polling the guest agent while a VM boots is answered "not running" by design and is not
 * counted: phoenix asks until it answers. Nor are reads answered "not there" — refresh and the collision
 * check ask the node whether objects exist before creating them (`zfs get` of datasets to be created,
 * `zpool import` listing importable pools).
 */
import { readCommandLog } from '../../src/sim/core/command-log.js';

export function rejectedCommands(simDir: string): string[] {
  return readCommandLog(simDir)
    .filter((e) => e.rejected)
    .filter((e) => !(e.tool === 'qm' && e.args[0] === 'guest' && e.args[1] === 'cmd' && /guest agent is not running/.test(e.stderr)))
    .filter((e) => !(isRead(e.tool, e.args) && e.stderr.trim().split('\n').every((line) => ABSENT.test(line))))
    .map((e) => `${e.tool} ${e.args.join(' ')} => ${e.exitCode}: ${e.stderr.trim()}`);
}

/** Each line of a read that found nothing. */
const ABSENT = /dataset does not exist|no pools available to import|no such pool/;

function isRead(tool: string, args: string[]): boolean {
  if (tool === 'zfs') return args[0] === 'get' || args[0] === 'list';
  if (tool === 'zpool') return args[0] === 'list' || args[0] === 'get' || args[0] === 'status' || (args[0] === 'import' && args.filter((a) => !a.startsWith('-')).length === 1);
  return false;
}
