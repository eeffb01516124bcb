/** `phoenix state pull|push|history`: the whole stored state as text, and its earlier versions (pg). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { readStateText } from '../../state/factory.js';
import { pushState } from '../../state/pg/transfer.js';
import { usageError } from '../args.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS, STATE_FLAGS } from '../flags.js';
import { withStateSession } from '../session.js';
import { configForBackend } from '../state-read.js';
import { requirePg, withBackend } from '../with-backend.js';

const STATE_PATH_FLAG = {
  name: 'state',
  kind: 'string',
  metavar: 'PATH',
  description: 'Path of the local state file (default phoenix.state.json).',
} as const;

export const statePull: Command = {
  name: 'pull',
  summary: 'Print the stored state',
  usage: 'phoenix [global options] state pull [options]',
  description:
    'Prints the stored state exactly as the backend holds it, or with -serial=N an earlier version\n' +
    '(pg backend; "phoenix state history" lists them). Prints nothing if no state was written yet.',
  flags: [...COLOR_FLAGS, STATE_PATH_FLAG, { name: 'serial', kind: 'string', metavar: 'N', description: 'Print the version with this serial.' }],
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw usageError('state pull', 'Unexpected argument: state pull takes none.');
    const serial = parseSerial(ctx.args.flags.string('serial'));
    const text = await withBackend(ctx, async (backend) => {
      if (serial === undefined) return readStateText(backend);
      const pg = requirePg(backend, 'Reading an earlier state version');
      const found = await pg.readVersionText(serial);
      if (found === null) {
        throw new DiagnosticError([
          error(`No state version with serial ${serial}`, `${pg.description} has no version ${serial}. "phoenix state history" lists the stored versions.`),
        ]);
      }
      return found;
    });
    if (text !== null) ctx.ui.out(text);
    return 0;
  },
};

export const statePush: Command = {
  name: 'push',
  summary: 'Replace the stored state with a local file',
  usage: 'phoenix [global options] state push [options] PATH',
  description:
    'Stores the state in PATH ("-" for standard input) as the current state. Refused when the stored state\n' +
    'has the same or a higher serial (it would lose changes) unless -force, which stores the content as the\n' +
    'next serial; the replaced version stays in the history. A state of another lineage is always refused.',
  flags: [...COLOR_FLAGS, ...STATE_FLAGS, { name: 'force', kind: 'bool', description: 'Push even though the stored state is newer.' }],
  async run(ctx) {
    if (ctx.args.positionals.length !== 1) throw usageError('state push', 'Exactly one argument expected: the path of the state to push.');
    const path = ctx.args.positionals[0]!;
    const text = await readInput(path, ctx.cwd);
    const force = ctx.args.flags.bool('force');
    const result = await withStateSession(ctx, configForBackend(ctx), { operation: 'state push', lock: true }, (session) =>
      pushState(session.backend, text, path, force).then((pushed) => ({ ...pushed, description: session.backend.description })),
    );
    ctx.ui.out(`Pushed ${path === '-' ? 'the state from standard input' : path} to ${result.description} as serial ${result.serial}.`);
    return 0;
  },
};

export const stateHistory: Command = {
  name: 'history',
  summary: 'List the stored versions of the state',
  usage: 'phoenix [global options] state history [options]',
  description:
    'Lists every stored version of the current workspace\'s state, newest first (pg backend).\n' +
    'Read one with "phoenix state pull -serial=N"; restore it with "phoenix state push -force FILE".',
  flags: [...COLOR_FLAGS],
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw usageError('state history', 'Unexpected argument: state history takes none.');
    const versions = await withBackend(ctx, (backend) => requirePg(backend, 'State history').history());
    if (versions.length === 0) {
      ctx.ui.out('No state has been written yet.');
      return 0;
    }
    const rows = versions.map((v) => [String(v.serial), v.createdAt, v.writtenBy, String(v.bytes)]);
    const header = ['SERIAL', 'WRITTEN (UTC)', 'BY', 'BYTES'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    ctx.ui.out([line(header), ...rows.map(line)].join('\n'));
    return 0;
  },
};

function parseSerial(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new DiagnosticError([error('Invalid value for -serial: must be a whole number such as 12')]);
  }
  return Number(raw);
}

async function readInput(path: string, cwd: string): Promise<string> {
  try {
    if (path !== '-') return await readFile(resolve(cwd, path), 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    throw new DiagnosticError([error('Cannot read the state to push', `${path}: ${(e as Error).message}`)]);
  }
}
