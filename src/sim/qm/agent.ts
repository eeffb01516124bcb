/** `qm guest exec` (the guest agent, answered from the guest's directory) and `qm cloudinit update`. */
import { parseArgs } from '../core/args.js';
import { arg, vmidArg } from '../core/guest-args.js';
import type { CommandContext } from '../core/context.js';
import { SimError, verificationError } from '../core/errors.js';
import { dispatch } from '../core/dispatch.js';
import { parsePropString } from '../core/schema.js';
import { sleep } from '../core/fsutil.js';
import { appendExecLog, envLikeArgs, isScript, readsStdin, runInGuest, type ExecResult } from '../guest/exec-engine.js';
import type { GuestConfigFile } from '../guest/config-file.js';
import { randomPid } from '../guest/normalize.js';
import { agentRunning, loadConfig, readRuntime, rootfsDir, withGuestTask, writeRuntime } from '../guest/store.js';
import { configView } from '../guest/view.js';
import { perlPrettyJson } from './perl-json.js';
import { AGENT_FORMAT, CLOUDINIT_OPTIONS } from './schema.js';

function agentEnabled(agent: string | undefined): boolean {
  if (!agent) return false;
  return parsePropString('agent', agent, AGENT_FORMAT, {}).enabled === '1';
}

/** QemuServer/Agent.pm assert_agent_available: configured, VM running, agent answering guest-ping. */
function assertAgentAvailable(ctx: CommandContext, vmid: number, file: GuestConfigFile): void {
  if (!agentEnabled(file.current.values.agent)) throw new SimError('No QEMU guest agent configured');
  const runtime = readRuntime(ctx.env, vmid);
  if (runtime.status !== 'running') throw new SimError(`VM ${vmid} is not running`);
  if (!agentRunning(ctx.env, runtime)) throw new SimError('QEMU guest agent is not running');
}

/** The commands of qemu-server API2/Qemu/Agent.pm $guest_agent_commands. */
const AGENT_COMMANDS = [
  'fsfreeze-freeze', 'fsfreeze-status', 'fsfreeze-thaw', 'fstrim', 'get-fsinfo', 'get-host-name', 'get-memory-block-info',
  'get-memory-blocks', 'get-osinfo', 'get-time', 'get-users', 'get-vcpus', 'info', 'network-get-interfaces', 'ping',
  'shutdown', 'suspend-disk', 'suspend-hybrid', 'suspend-ram',
];

/** `qm guest cmd <vmid> <command>`: only `ping` is answered meaningfully (an empty result prints nothing). */
function guestCmd(ctx: CommandContext, args: string[]): void {
  const parsed = parseArgs(
    { usage: 'qm guest cmd <vmid> <command>', positionals: [vmidArg, arg('command', { type: 'string', enum: AGENT_COMMANDS })], options: {} },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  assertAgentAvailable(ctx, vmid, loadConfig(ctx.env, 'qemu', vmid).file);
  if (parsed.positionals.command !== 'ping') ctx.out.line(perlPrettyJson({}).trimEnd());
}

/** qm.pm exec: --timeout (default 30) bounds the synchronous wait; 0 waits for ever. */
const DEFAULT_EXEC_TIMEOUT_S = 30;

async function guestExec(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    {
      usage: 'qm guest exec <vmid> [<extra-args>] [OPTIONS]',
      positionals: [vmidArg],
      options: { timeout: { type: 'integer', min: 0 }, 'pass-stdin': { type: 'boolean' }, synchronous: { type: 'boolean' } },
      extraArgs: true,
    },
    args,
  );
  const synchronous = parsed.options.synchronous !== '0';
  if (parsed.options.timeout !== undefined && !synchronous) throw verificationError({ synchronous: "needs to be set for 'timeout'" });
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  const { file } = loadConfig(env, 'qemu', vmid);
  assertAgentAvailable(ctx, vmid, file);
  const argv = parsed.extra;
  const passStdin = parsed.options['pass-stdin'] === '1' || readsStdin(argv);
  const stdin = passStdin ? await ctx.readStdin() : undefined;
  // A script runs `script_run_s` guest seconds. qm waits at most --timeout seconds, then prints only the
  // pid (with a warning) and exits 0 while the command goes on in the guest (qm.pm exec).
  const runSeconds = isScript(argv) ? env.scriptRunSeconds : 0;
  const timeout = Number(parsed.options.timeout ?? DEFAULT_EXEC_TIMEOUT_S);
  if (!synchronous || (timeout !== 0 && runSeconds > timeout)) {
    if (synchronous) await sleep(env.guestMs(timeout));
    appendExecLog(env, { time: new Date().toISOString(), tool: 'qm', vmid, argv, env: envLikeArgs(argv), stdin, exitCode: -1 });
    if (synchronous) ctx.out.err('timeout reached, returning pid');
    ctx.out.line(perlPrettyJson({ pid: randomPid() }).trimEnd());
    return;
  }
  if (runSeconds > 0) await sleep(env.guestMs(runSeconds));
  const result: ExecResult = ctx.execFault
    ? { exitCode: ctx.execFault.exitCode ?? 1, stdout: ctx.execFault.stdout ?? '', stderr: ctx.execFault.stderr ?? '' }
    : runInGuest(rootfsDir(env, vmid), argv, stdin ?? '');
  appendExecLog(env, { time: new Date().toISOString(), tool: 'qm', vmid, argv, env: envLikeArgs(argv), stdin, exitCode: result.exitCode });
  const report: Record<string, unknown> = { exitcode: result.exitCode, exited: 1 };
  if (result.stdout) report['out-data'] = result.stdout;
  if (result.stderr) report['err-data'] = result.stderr;
  ctx.out.line(perlPrettyJson(report).trimEnd());
}

export function qmGuest(ctx: CommandContext, args: string[]): Promise<void> {
  return dispatch('qm guest', { exec: guestExec, cmd: guestCmd }, ctx, args);
}

async function cloudinitUpdate(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs({ usage: 'qm cloudinit update <vmid>', positionals: [vmidArg], options: {} }, args);
  const vmid = Number(parsed.positionals.vmid);
  const { env } = ctx;
  await withGuestTask(env, 'qemu', vmid, () => {
    const { file } = loadConfig(env, 'qemu', vmid);
    const view = configView(file, true);
    const cloudinit: Record<string, string> = {};
    for (const key of Object.keys(CLOUDINIT_OPTIONS)) if (view.values[key] !== undefined) cloudinit[key] = view.values[key]!;
    writeRuntime(env, vmid, { ...readRuntime(env, vmid), cloudinit });
  });
}

async function cloudinitDump(ctx: CommandContext, args: string[]): Promise<void> {
  const parsed = parseArgs(
    { usage: 'qm cloudinit dump <vmid> <type>', positionals: [vmidArg, arg('type', { type: 'string', enum: ['user', 'network', 'meta'] })], options: {} },
    args,
  );
  const vmid = Number(parsed.positionals.vmid);
  const values = configView(loadConfig(ctx.env, 'qemu', vmid).file, true).values;
  if (parsed.positionals.type === 'user') {
    ctx.out.line('#cloud-config');
    if (values.ciuser) ctx.out.line(`user: ${values.ciuser}`);
    if (values.sshkeys) {
      ctx.out.line('ssh_authorized_keys:');
      for (const key of decodeURIComponent(values.sshkeys).split('\n').filter(Boolean)) ctx.out.line(`  - ${key}`);
    }
  } else if (parsed.positionals.type === 'network') {
    ctx.out.line('version: 1');
  } else {
    ctx.out.line(`instance-id: ${vmid}`);
  }
}

export function qmCloudinit(ctx: CommandContext, args: string[]): Promise<void> {
  return dispatch('qm cloudinit', { update: cloudinitUpdate, dump: cloudinitDump }, ctx, args);
}
