/**
 * `phoenix import ADDR ID`: adopt an existing object (e.g. container 101) into the state under a
 * configured address. `phoenix import -all`: adopt every configured instance not yet in state whose
 * object already exists on its host (migration from hand-made or legacy setups).
 */
import { hasErrors } from '../../config/diagnostics.js';
import { importAll, importResource } from '../../plan/import.js';
import type { StateFile } from '../../state/model.js';
import { usageError } from '../args.js';
import type { Command } from '../command.js';
import { SourcedDiagnosticError } from '../errors.js';
import { COLOR_FLAGS, STATE_FLAGS, VARIABLE_FLAGS } from '../flags.js';
import { withStateSession } from '../session.js';
import { openWorkdir } from './planning.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'Associate existing infrastructure with a phoenix resource',
  usage: 'phoenix [global options] import [options] ADDR ID\n       phoenix [global options] import [options] -all',
  description:
    'Records an existing object in the state under ADDR (which must be declared in the configuration),\n' +
    'so phoenix manages it from now on. ID is what the resource type uses to find the object (a vmid,\n' +
    'a dataset name...). With -all, imports every configured instance whose object already exists.',
  flags: [
    ...COLOR_FLAGS,
    ...VARIABLE_FLAGS,
    ...STATE_FLAGS,
    { name: 'all', kind: 'bool', description: 'Import every configured instance that exists on its host and is not in state.' },
    { name: 'parallelism', kind: 'positive-int', default: 10, metavar: 'N', description: 'Read at most N objects at once (default 10).' },
  ],
  async run(ctx) {
    const { flags, positionals } = ctx.args;
    const all = flags.bool('all');
    if (all ? positionals.length !== 0 : positionals.length !== 2) {
      throw usageError('import', all ? 'The -all option takes no arguments.' : 'Exactly two arguments expected: ADDR and ID.');
    }
    const workdir = await openWorkdir(ctx);
    try {
      return await withStateSession(ctx, workdir.config, { operation: 'import', lock: true }, async (session) => {
        const engine = { ...workdir.engineInput(), state: session.state };
        let imported: string[];
        let state: StateFile;
        if (all) {
          const result = await importAll({ ...engine, parallelism: flags.int('parallelism') });
          ctx.ui.diagnostics(result.diagnostics.filter((d) => d.severity === 'warning'), workdir.sources);
          if (hasErrors(result.diagnostics)) throw new SourcedDiagnosticError(result.diagnostics, workdir.sources);
          ({ imported, state } = result);
        } else {
          const [address, id] = positionals as [string, string];
          ctx.ui.out(`${ctx.ui.style.bold(`${address}:`)} Importing from ID "${id}"...`);
          const result = await importResource({ ...engine, address, id });
          if (hasErrors(result.diagnostics)) throw new SourcedDiagnosticError(result.diagnostics, workdir.sources);
          ctx.ui.diagnostics(result.diagnostics, workdir.sources);
          imported = [address];
          state = result.state;
        }
        if (imported.length === 0) {
          ctx.ui.out('No objects to import: every configured instance is already in state or does not exist yet.');
          return 0;
        }
        await session.persist(state);
        for (const address of imported) ctx.ui.out(`${ctx.ui.style.bold(`${address}:`)} Import prepared!`);
        ctx.ui.out(
          `\n${ctx.ui.style.bold(ctx.ui.style.create('Import successful!'))}\n\n` +
            'The resources that were imported are shown above. These resources are now in your phoenix state\n' +
            'and will henceforth be managed by phoenix.',
        );
        return 0;
      });
    } finally {
      await workdir.close();
    }
  },
};
