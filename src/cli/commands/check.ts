/** `phoenix check [ADDR...]`: run the health checks of the objects recorded in state. Exit 1 if any fails. */
import { hasErrors } from '../../config/diagnostics.js';
import { runHealthChecks } from '../../plan/check.js';
import { renderApplyEvent } from '../../render/human.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS, STATE_FLAGS, VARIABLE_FLAGS } from '../flags.js';
import { withStateSession } from '../session.js';
import { openWorkdir } from './planning.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Run the health checks of managed objects',
  usage: 'phoenix [global options] check [options] [ADDRESS...]',
  description:
    'Runs the health checks (e.g. a service answering inside a container) of every object in the state,\n' +
    'or of the given addresses, and reports each result. Changes nothing.',
  flags: [
    ...COLOR_FLAGS,
    ...VARIABLE_FLAGS,
    ...STATE_FLAGS,
    { name: 'parallelism', kind: 'positive-int', default: 10, metavar: 'N', description: 'Run at most N checks at once (default 10).' },
  ],
  async run(ctx) {
    const workdir = await openWorkdir(ctx);
    try {
      const report = await withStateSession(ctx, workdir.config, { operation: 'check', lock: false }, (session) =>
        runHealthChecks({
          registry: workdir.registry,
          nodes: workdir.nodes,
          sensitive: ctx.ui.sensitive,
          state: session.state,
          targets: ctx.args.positionals,
          parallelism: ctx.args.flags.int('parallelism'),
          onResult: (r) => ctx.ui.out(renderApplyEvent({ type: 'health_check', ...r }, { color: ctx.ui.color })),
        }),
      );
      ctx.ui.diagnostics(report.diagnostics, workdir.sources);
      const failed = report.results.filter((r) => !r.ok).length;
      if (report.results.length === 0) ctx.ui.out('No health checks to run.');
      else ctx.ui.out(`\n${report.results.length - failed} passed, ${failed} failed.`);
      return failed > 0 || hasErrors(report.diagnostics) ? 1 : 0;
    } finally {
      await workdir.close();
    }
  },
};
