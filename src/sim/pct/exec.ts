/** `pct exec <vmid> -- cmd args` and `pct push <vmid> <file> <dest>` against the guest's directory. */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import { taskError, type CommandContext } from '../core/context.js';
import { SimError } from '../core/errors.js';
import { appendExecLog, attachEnvironment, envLikeArgs, guestPath, readsStdin, runInGuest, type ExecResult } from '../guest/exec-engine.js';
import { isRunning, loadConfig, rootfsDir, withGuestLock } from '../guest/store.js';

export async function pctExec(ctx: CommandContext, args: string[]): Promise<void> {
  // pct.pm's exec method: `keep-env` (boolean, default 1) decides between lxc-attach --keep-env and --clear-env.
  const parsed = parseArgs(
    { usage: 'pct exec <vmid> [<extra-args>] [OPTIONS]', positionals: [vmidArg], options: { 'keep-env': { type: 'boolean' } }, extraArgs: true },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  loadConfig(env, 'lxc', vmid);
  if (!isRunning(env, vmid)) throw new SimError(`container '${vmid}' not running!`);
  const argv = parsed.extra;
  // pct.pm: `die "missing command"` (no newline: Perl appends the location) when nothing follows `--`.
  if (argv.length === 0) throw new SimError('missing command');
  const environment = attachEnvironment(process.env, (parsed.options['keep-env'] ?? '1') === '1');
  const stdin = readsStdin(argv) ? await ctx.readStdin() : undefined;
  const result: ExecResult = ctx.execFault
    ? { exitCode: ctx.execFault.exitCode ?? 1, stdout: ctx.execFault.stdout ?? '', stderr: ctx.execFault.stderr ?? '' }
    : runInGuest(rootfsDir(env, vmid), argv, stdin ?? '', environment);
  appendExecLog(env, { time: new Date().toISOString(), tool: 'pct', vmid, argv, env: envLikeArgs(argv), environment, stdin, exitCode: result.exitCode });
  ctx.out.out(result.stdout);
  if (result.stderr) ctx.out.err(result.stderr);
  ctx.exitCode = result.exitCode;
}

export async function pctPush(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'pct push <vmid> <file> <destination> [OPTIONS]',
      positionals: [vmidArg, arg('file'), arg('destination')],
      options: { user: { type: 'string' }, group: { type: 'string' }, perms: { type: 'string', pattern: /^0?[0-7]{3,4}$/ } },
    },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const source = parsed.positionals.file!;
  const destination = parsed.positionals.destination!;
  const { env } = ctx;
  loadConfig(env, 'lxc', vmid);
  if (!isRunning(env, vmid)) throw new SimError('can only push files to a running CT');
  let content: Buffer;
  if (source === '-') content = Buffer.from(await ctx.readStdin());
  else if (!existsSync(source)) {
    // Proxmox reports this from a forked child and still exits 0.
    taskError(ctx, `failed to open ${source} for reading`);
    return;
  } else content = readFileSync(source);
  await withGuestLock(env, 'lxc', vmid, () => {
    const target = guestPath(rootfsDir(env, vmid), destination);
    if (!existsSync(dirname(target))) throw new SimError(`failed to create file: ${destination}: No such file or directory`);
    writeFileSync(target, content);
    chmodSync(target, parseInt(parsed.options.perms ?? '0644', 8));
  });
}
