/**
 * Running feature scripts inside a guest. LXC: the script is staged on the host (mktemp + tee through
 * stdin), `pct push`ed into the guest and run with `pct exec`; the marker is written with `pct exec tee`.
 * VM: once the guest agent answers, `qm guest exec --timeout` with the script as `sh -c` argument; its JSON
 * exitcode decides success.
 */
import { hostPath, type NodeHandle, type ProviderContext } from '../provider.js';
import { listLiveGuests } from '../proxmox/inventory.js';
import { splitGrepOutput } from '../proxmox/guest-config.js';
import { runOnHost, withHostTempFile } from '../proxmox/host.js';
import { diagnosticError } from '../proxmox/errors.js';
import { guestExec, pctExecArgv, SCRIPT_EXEC_TIMEOUT_S, waitForGuestAgent } from '../proxmox/guest-exec.js';

export const SCRIPT_DIR = '/root/.phoenix/features';
export const MARKER_DIR = '/etc/phoenix/features';

export interface FeatureTarget {
  node: NodeHandle;
  vmid: number;
  guestType: 'lxc' | 'vm';
  name: string;
}

/** `PHOENIX_INPUT_<KEY>=value` pairs, keys uppercased with other characters as `_`. */
export function inputEnvironment(inputs: Record<string, string>): string[] {
  return Object.keys(inputs)
    .sort()
    .map((k) => `PHOENIX_INPUT_${k.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}=${inputs[k]}`);
}

export function markerPath(name: string): string {
  return `${MARKER_DIR}/${name}.sha256`;
}

function failure(target: FeatureTarget, what: string, output: string): Error {
  const tail = output.trim().split('\n').slice(-20).join('\n');
  return diagnosticError(`Feature "${target.name}" ${what} failed in guest ${target.vmid}`, tail || undefined);
}

/** The hash recorded in the guest's marker file, if any. */
export async function readMarker(target: FeatureTarget): Promise<string | undefined> {
  const path = markerPath(target.name);
  if (target.guestType === 'vm') {
    const outcome = await guestExec(target.node, target.vmid, ['cat', path]);
    return outcome.ok ? outcome.output.trim() : undefined;
  }
  const result = await runOnHost(target.node, pctExecArgv(target.vmid, ['cat', path]), { allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/**
 * The marker hashes found among the named features' marker files of one guest, in ONE command
 * (`cat` of every path: missing files only add "No such file" messages). The hashes identify what was
 * installed, so a feature is present when its recorded hash is among them. Undefined when the guest
 * could not be asked (agent down, exec refused): the caller keeps what it knew. Used for VMs, whose
 * filesystems only the guest agent reaches; containers are read from the host (readContainerMarkers).
 */
export async function readMarkers(node: NodeHandle, vmid: number, guestType: 'lxc' | 'vm', names: string[]): Promise<Set<string> | undefined> {
  const argv = ['cat', ...names.map(markerPath)];
  let output: string;
  let ok: boolean;
  if (guestType === 'vm') {
    ({ ok, output } = await guestExec(node, vmid, argv));
  } else {
    const result = await runOnHost(node, pctExecArgv(vmid, argv), { allowFailure: true });
    ok = result.exitCode === 0;
    output = result.stdout + result.stderr;
  }
  if (!ok && !/No such file or directory/.test(output)) return undefined;
  return hashesIn(output);
}

/**
 * The marker hashes of many running containers of this node in two host commands whatever their number:
 * the init pid of each from `pvesh get /nodes/NODE/lxc` (PVE::LXC::vmstatus; the plan's listing, shared
 * with the power states of the container reads through ctx.memo), then one `grep -H ''`
 * over `/proc/PID/root/<marker>` — the container's filesystem as its own processes see it (its rootfs
 * is mounted in the container's mount namespace only, so that is the one host path to it). Each
 * guest's list also has `/proc/PID/root/.`, which grep reports as a directory while the container
 * runs; a guest that stopped (or restarted) in between, or runs elsewhere, is left out of the result:
 * the caller keeps what it knew.
 */
export async function readContainerMarkers(node: NodeHandle, guests: { vmid: number; names: string[] }[], ctx?: ProviderContext): Promise<Map<number, Set<string>>> {
  const found = new Map<number, Set<string>>();
  if (guests.length === 0) return found;
  const live = await listLiveGuests(node, 'lxc', node.name, ctx);
  const reads = guests.flatMap(({ vmid, names }) => {
    const pid = live.get(vmid)?.pid;
    if (pid === undefined) return [];
    const root = hostPath(node, `/proc/${pid}/root`);
    return [{ vmid, probe: `${root}/.`, markers: names.map((name) => root + markerPath(name)) }];
  });
  if (reads.length === 0) return found;
  const paths = reads.flatMap((r) => [r.probe, ...r.markers]);
  // Exit 2 for the probes (directories) and for markers not written: expected, the output tells.
  const grep = await runOnHost(node, ['grep', '-H', '', ...paths], { allowFailure: true, what: 'reading feature markers' });
  const contents = splitGrepOutput(grep.stdout, paths);
  const running = new Set(grep.stderr.split('\n').flatMap((line) => (line.endsWith(': Is a directory') ? [line.slice('grep: '.length, -': Is a directory'.length)] : [])));
  for (const read of reads) {
    if (!running.has(read.probe)) continue;
    found.set(read.vmid, hashesIn(read.markers.map((path) => contents.get(path) ?? '').join('\n')));
  }
  return found;
}

function hashesIn(output: string): Set<string> {
  return new Set(output.split('\n').map((line) => line.trim()).filter((line) => SHA256.test(line)));
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Runs a script in the guest; `kind` names it in messages ("install", "uninstall"). */
export async function runScript(target: FeatureTarget, script: string, inputs: Record<string, string>, kind: string): Promise<void> {
  const env = inputEnvironment(inputs);
  if (target.guestType === 'vm') {
    await waitForGuestAgent(target.node, target.vmid);
    const outcome = await guestExec(target.node, target.vmid, ['env', ...env, 'sh', '-c', script], { timeoutSeconds: SCRIPT_EXEC_TIMEOUT_S });
    if (!outcome.ok) throw failure(target, kind, outcome.output);
    return;
  }
  const vmid = String(target.vmid);
  const guestPath = `${SCRIPT_DIR}/${target.name}${kind === 'install' ? '' : `.${kind}`}.sh`;
  await runOnHost(target.node, pctExecArgv(vmid, ['mkdir', '-p', SCRIPT_DIR, MARKER_DIR]), { what: `preparing CT ${vmid} for feature ${target.name}` });
  await withHostTempFile(target.node, script, (hostFile) =>
    runOnHost(target.node, ['pct', 'push', vmid, hostFile, guestPath, '--perms', '0700'], { what: `copying feature ${target.name} into CT ${vmid}` }),
  );
  const result = await runOnHost(target.node, pctExecArgv(vmid, ['env', ...env, 'sh', guestPath]), { allowFailure: true });
  if (result.exitCode !== 0) throw failure(target, kind, result.stdout + result.stderr);
}

export async function writeMarker(target: FeatureTarget, sha256: string): Promise<void> {
  const path = markerPath(target.name);
  if (target.guestType === 'vm') {
    const made = await guestExec(target.node, target.vmid, ['mkdir', '-p', MARKER_DIR]);
    const written = made.ok ? await guestExec(target.node, target.vmid, ['tee', path], { stdin: `${sha256}\n` }) : made;
    if (!written.ok) throw failure(target, 'marker', written.output);
    return;
  }
  await runOnHost(target.node, pctExecArgv(target.vmid, ['tee', path]), { stdin: `${sha256}\n`, what: `recording feature ${target.name} in CT ${target.vmid}` });
}

export async function removeMarker(target: FeatureTarget): Promise<void> {
  const path = markerPath(target.name);
  if (target.guestType === 'vm') await guestExec(target.node, target.vmid, ['rm', '-f', path]);
  else await runOnHost(target.node, pctExecArgv(target.vmid, ['rm', '-f', path]), { allowFailure: true });
}
