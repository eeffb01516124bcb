/** `phoenix state list|show|rm|mv`: inspect and edit the state by hand. */
import { DiagnosticError, didYouMean, error } from '../../config/diagnostics.js';
import { addressMatches, instanceAddress, parseAddress, resourceOf } from '../../plan/address.js';
import { renderResourceState } from '../../render/human.js';
import type { ResourceState } from '../../state/model.js';
import { usageError } from '../args.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS, STATE_FLAGS } from '../flags.js';
import { readStoredState } from '../state-read.js';
import { editState, requireAddress } from './state-edit.js';
import { stateHistory, statePull, statePush } from './state-transfer.js';

const READ_FLAGS = [
  ...COLOR_FLAGS,
  { name: 'state', kind: 'string', metavar: 'PATH', description: 'Path of the local state file (default phoenix.state.json).' },
] as const;

const stateList: Command = {
  name: 'list',
  summary: 'List resources in the state',
  usage: 'phoenix [global options] state list [options] [ADDRESS...]',
  description: 'Lists the resource instances in the state, optionally only those under the given addresses.',
  flags: [...READ_FLAGS],
  async run(ctx) {
    const filters = ctx.args.positionals;
    const resources = (await readStoredState(ctx))?.resources ?? [];
    const addresses = resources
      .map((r) => r.address)
      .filter((a) => filters.length === 0 || filters.some((f) => addressMatches(f, a)))
      .sort();
    if (addresses.length > 0) ctx.ui.out(addresses.join('\n'));
    return 0;
  },
};

const stateShow: Command = {
  name: 'show',
  summary: 'Show a resource in the state',
  usage: 'phoenix [global options] state show [options] ADDRESS',
  description: 'Shows the attributes recorded for one resource instance.',
  flags: [...READ_FLAGS],
  async run(ctx) {
    if (ctx.args.positionals.length !== 1) throw usageError('state show', 'Exactly one argument expected: the address of a resource instance.');
    const address = ctx.args.positionals[0]!;
    requireAddress(address);
    const resources = (await readStoredState(ctx))?.resources ?? [];
    const found = resources.find((r) => r.address === address);
    if (!found) throw notFound(address, resources);
    ctx.ui.out(renderResourceState(found, { color: ctx.ui.color }));
    return 0;
  },
};

const stateRm: Command = {
  name: 'rm',
  summary: 'Remove instances from the state',
  usage: 'phoenix [global options] state rm [options] ADDRESS...',
  description:
    'Forgets resource instances: removes them from the state without destroying the real objects.\n' +
    'A resource address removes all of its instances.',
  flags: [...COLOR_FLAGS, ...STATE_FLAGS],
  async run(ctx) {
    const targets = ctx.args.positionals;
    if (targets.length === 0) throw usageError('state rm', 'At least one address is required.');
    targets.forEach(requireAddress);
    let removed: ResourceState[] = [];
    await editState(ctx, 'state rm', (state) => {
      for (const target of targets) {
        if (!state.resources.some((r) => addressMatches(target, r.address))) throw notFound(target, state.resources);
      }
      removed = state.resources.filter((r) => targets.some((t) => addressMatches(t, r.address)));
      return { resources: state.resources.filter((r) => !removed.includes(r)) };
    });
    for (const r of removed) ctx.ui.out(`Removed ${r.address}`);
    ctx.ui.out(`Successfully removed ${removed.length} resource instance(s).`);
    return 0;
  },
};

const stateMv: Command = {
  name: 'mv',
  summary: 'Move an item in the state',
  usage: 'phoenix [global options] state mv [options] SOURCE DESTINATION',
  description:
    'Renames a resource or instance in the state (after renaming it in the configuration), so phoenix\n' +
    'does not destroy and recreate it. Both addresses must have the same resource type.',
  flags: [...COLOR_FLAGS, ...STATE_FLAGS],
  async run(ctx) {
    if (ctx.args.positionals.length !== 2) throw usageError('state mv', 'Exactly two arguments expected: the source and destination addresses.');
    const [source, destination] = ctx.args.positionals as [string, string];
    const src = requireAddress(source);
    const dst = requireAddress(destination);
    if (src.type !== dst.type) {
      throw new DiagnosticError([
        error('Invalid state move', `Cannot move ${source} to ${destination}: the resource types differ (${src.type} vs ${dst.type}).`),
      ]);
    }
    const moves: [string, string][] = [];
    await editState(ctx, 'state mv', (state) => {
      const moving = state.resources.filter((r) => addressMatches(source, r.address));
      if (moving.length === 0) throw notFound(source, state.resources);
      const renamed = new Map<string, string>();
      for (const r of moving) {
        // A whole resource keeps each instance's index under the new name.
        const index = src.index === undefined ? r.index : dst.index;
        const target = instanceAddress(dst.resource, index);
        if (state.resources.some((o) => o.address === target && !moving.includes(o))) {
          throw new DiagnosticError([error('Invalid state move', `Cannot move ${r.address} to ${target}: ${target} already exists in the state.`)]);
        }
        renamed.set(r.address, target);
      }
      if (src.index === undefined && dst.index === undefined) renamed.set(src.resource, dst.resource);
      const resources = state.resources.map((r) => {
        const to = renamed.get(r.address);
        const dependencies = r.dependencies.map((d) => renamed.get(d) ?? d);
        if (!to) return { ...r, dependencies };
        moves.push([r.address, to]);
        const parsed = parseAddress(to)!;
        const { index: _old, ...rest } = r;
        return { ...rest, address: to, name: parsed.name, ...(parsed.index !== undefined ? { index: parsed.index } : {}), dependencies };
      });
      return { resources };
    });
    for (const [from, to] of moves) ctx.ui.out(`Move "${from}" to "${to}"`);
    ctx.ui.out(`Successfully moved ${moves.length} object(s).`);
    return 0;
  },
};

function notFound(address: string, resources: ResourceState[]): DiagnosticError {
  const suggestion = didYouMean(address, resources.map((r) => r.address));
  const instances = resources.filter((r) => resourceOf(r.address) === address || resourceOf(r.address) === resourceOf(address));
  const hint = suggestion
    ? ` Did you mean ${suggestion}?`
    : instances.length > 0
      ? ` Instances in the state: ${instances.map((r) => r.address).join(', ')}.`
      : '';
  return new DiagnosticError([error('No matching objects found', `No instance in the state matches ${address}.${hint}`)]);
}

export const stateCommand: Command = {
  name: 'state',
  summary: 'Advanced state management',
  usage: 'phoenix [global options] state <subcommand> [options] [args]',
  description: 'Inspects and edits the phoenix state. Editing subcommands take the state lock.',
  flags: [],
  subcommands: [stateList, stateShow, stateRm, stateMv, statePull, statePush, stateHistory],
};
