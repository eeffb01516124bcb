/**
 * `phoenix validate`: check the configuration without touching state or hosts. Beyond syntax and
 * references, every resource is planned against an empty state with refresh off, so unknown
 * attributes, type errors and provider rules are reported too.
 */
import { randomUUID } from 'node:crypto';
import { hasErrors } from '../../config/diagnostics.js';
import { createPlan } from '../../plan/planner.js';
import { emptyState } from '../../state/model.js';
import type { Command } from '../command.js';
import { SourcedDiagnosticError } from '../errors.js';
import { COLOR_FLAGS, VARIABLE_FLAGS } from '../flags.js';
import { PHOENIX_VERSION } from '../version.js';
import { openWorkdir } from './planning.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check whether the configuration is valid',
  usage: 'phoenix [global options] validate [options]',
  description:
    'Validates the configuration files of the working directory: syntax, references, types, resource\n' +
    'arguments and provider rules. Reads no state and contacts no host. Variables without a default\n' +
    'need a value (-var, -var-file, *.auto.hcl or PHOENIX_VAR_name).',
  flags: [...COLOR_FLAGS, ...VARIABLE_FLAGS],
  async run(ctx) {
    const workdir = await openWorkdir(ctx);
    try {
      const result = await createPlan({
        ...workdir.engineInput(),
        state: emptyState(randomUUID(), PHOENIX_VERSION),
        options: { mode: 'normal', refresh: false, targets: [], replace: [], parallelism: 1 },
      });
      if (hasErrors(result.diagnostics)) throw new SourcedDiagnosticError(result.diagnostics, workdir.sources);
      ctx.ui.diagnostics(result.diagnostics, workdir.sources);
      ctx.ui.out(`${ctx.ui.style.bold(ctx.ui.style.create('Success!'))} The configuration is valid.`);
      return 0;
    } finally {
      await workdir.close();
    }
  },
};
