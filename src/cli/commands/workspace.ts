/**
 * `phoenix workspace list|show|new|select|delete`: several estates in one pg schema. The selection is
 * kept in .phoenix/environment; PHOENIX_WORKSPACE overrides it (CI).
 */
import { DiagnosticError, error } from '../../config/diagnostics.js';
import { currentWorkspace, DEFAULT_WORKSPACE, recordWorkspace, WORKSPACE_ENV } from '../../state/factory.js';
import { usageError } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';
import { lockInfo } from '../session.js';
import { requirePg, withBackend } from '../with-backend.js';

const workspaceList: Command = {
  name: 'list',
  summary: 'List the workspaces',
  usage: 'phoenix [global options] workspace list',
  description: 'Lists the workspaces of the backend; * marks the selected one.',
  flags: [...COLOR_FLAGS],
  async run(ctx) {
    noArguments(ctx, 'workspace list');
    const selected = currentWorkspace(ctx.cwd, ctx.env);
    const workspaces = await withBackend(ctx, (backend) => requirePg(backend, 'Workspace management').listWorkspaces());
    ctx.ui.out(workspaces.map((w) => `${w.name === selected ? '*' : ' '} ${w.name}`).join('\n'));
    return 0;
  },
};

const workspaceShow: Command = {
  name: 'show',
  summary: 'Show the selected workspace',
  usage: 'phoenix [global options] workspace show',
  description: `Prints the name of the selected workspace (${WORKSPACE_ENV}, else the one last selected, else default).`,
  flags: [...COLOR_FLAGS],
  async run(ctx) {
    noArguments(ctx, 'workspace show');
    ctx.ui.out(currentWorkspace(ctx.cwd, ctx.env));
    return 0;
  },
};

const workspaceNew: Command = {
  name: 'new',
  summary: 'Create a workspace and select it',
  usage: 'phoenix [global options] workspace new NAME',
  description: 'Creates an empty workspace in the backend and selects it.',
  flags: [...COLOR_FLAGS],
  async run(ctx) {
    const name = oneName(ctx, 'workspace new');
    await withBackend(ctx, (backend) => requirePg(backend, 'Workspace management').createWorkspace(name));
    await select(ctx, name);
    ctx.ui.out(ctx.ui.style.create(`Created and switched to workspace "${name}"!`));
    ctx.ui.out("\nYou're now on a new, empty workspace. Its state is separate from the other workspaces'.");
    return 0;
  },
};

const workspaceSelect: Command = {
  name: 'select',
  summary: 'Select a workspace',
  usage: 'phoenix [global options] workspace select NAME',
  description: 'Selects an existing workspace for the following runs in this working directory.',
  flags: [...COLOR_FLAGS],
  async run(ctx) {
    const name = oneName(ctx, 'workspace select');
    if (name !== DEFAULT_WORKSPACE) {
      const workspaces = await withBackend(ctx, (backend) => requirePg(backend, 'Workspace management').listWorkspaces());
      if (!workspaces.some((w) => w.name === name)) {
        throw new DiagnosticError([
          error(`Workspace "${name}" doesn't exist`, `Create it with "phoenix workspace new ${name}"; "phoenix workspace list" shows the existing ones.`),
        ]);
      }
    }
    await select(ctx, name);
    ctx.ui.out(ctx.ui.style.create(`Switched to workspace "${name}".`));
    return 0;
  },
};

const workspaceDelete: Command = {
  name: 'delete',
  summary: 'Delete a workspace and its state history',
  usage: 'phoenix [global options] workspace delete [options] NAME',
  description:
    'Deletes a workspace with all its stored versions, under its lock. Refused for the default and the\n' +
    'selected workspace, and — unless -force — while its state still records resources (they would be\n' +
    'forgotten, not destroyed: run "phoenix destroy" in it first).',
  flags: [
    ...COLOR_FLAGS,
    { name: 'force', kind: 'bool', description: 'Delete even though the state still records resources.' },
    { name: 'lock-timeout', kind: 'duration', default: '0s', metavar: 'DURATION', description: 'How long to retry taking the lock (default 0s).' },
  ],
  async run(ctx) {
    const name = oneName(ctx, 'workspace delete');
    if (name === DEFAULT_WORKSPACE) throw refusal('Cannot delete the default workspace', 'The default workspace always exists.');
    if (name === currentWorkspace(ctx.cwd, ctx.env)) {
      throw refusal(`Workspace "${name}" is selected`, 'Select another workspace first ("phoenix workspace select default").');
    }
    // The same backend, pointed at the workspace being deleted.
    const target = { ...ctx, env: { ...ctx.env, [WORKSPACE_ENV]: name } };
    await withBackend(target, async (backend) => {
      const pg = requirePg(backend, 'Workspace management');
      const lock = await pg.lock(lockInfo('workspace delete'), ctx.args.flags.durationMs('lock-timeout'));
      try {
        const state = await pg.read();
        const resources = state?.resources.length ?? 0;
        if (resources > 0 && !ctx.args.flags.bool('force')) {
          throw refusal(
            `Workspace "${name}" is not empty`,
            `Its state still records ${resources} resource instance(s). Deleting the workspace would forget them, ` +
              'not destroy them. Destroy them first (select the workspace and run "phoenix destroy"), or use -force.',
          );
        }
        await pg.deleteWorkspace();
      } finally {
        await lock.release();
      }
    });
    ctx.ui.out(ctx.ui.style.create(`Deleted workspace "${name}"!`));
    return 0;
  },
};

export const workspaceCommand: Command = {
  name: 'workspace',
  summary: 'Workspace management',
  usage: 'phoenix [global options] workspace SUBCOMMAND [options] [args]',
  description:
    'Workspaces keep several estates (each with its own state, history and lock) in one pg backend.\n' +
    `The selection is stored in .phoenix/environment; ${WORKSPACE_ENV} overrides it.`,
  flags: [],
  subcommands: [workspaceList, workspaceShow, workspaceNew, workspaceSelect, workspaceDelete],
};

async function select(ctx: CommandContext, name: string): Promise<void> {
  await recordWorkspace(ctx.cwd, name);
  const forced = ctx.env[WORKSPACE_ENV];
  if (forced !== undefined && forced !== '' && forced !== name) {
    ctx.ui.err(ctx.ui.style.note(`Note: ${WORKSPACE_ENV}=${forced} is set and overrides this selection.`));
  }
}

function oneName(ctx: CommandContext, command: string): string {
  if (ctx.args.positionals.length !== 1) throw usageError(command, 'Exactly one argument expected: the workspace name.');
  return ctx.args.positionals[0]!;
}

function noArguments(ctx: CommandContext, command: string): void {
  if (ctx.args.positionals.length > 0) throw usageError(command, `Unexpected argument: ${command} takes none.`);
}

function refusal(summary: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(summary, detail)]);
}
