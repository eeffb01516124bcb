/**
 * Features installed on the node itself (`host = true`): the script is staged under
 * /root/.phoenix/host-features/ (mkdir + tee through stdin) and run with `env PHOENIX_INPUT_...= sh FILE`
 * through the node's runner; the marker /etc/phoenix/host-features/NAME.sha256 records what was installed.
 * Paths go through hostPath, so on the simulator they live in its state directory and `sh` is its sandbox.
 */
import { hostPath, type NodeHandle } from '../provider.js';
import { diagnosticError } from '../proxmox/errors.js';
import { runOnHost } from '../proxmox/host.js';
import { inputEnvironment } from './runner.js';

export const HOST_SCRIPT_DIR = '/root/.phoenix/host-features';
export const HOST_MARKER_DIR = '/etc/phoenix/host-features';

const SHA256 = /^[0-9a-f]{64}$/;

function markerPath(node: NodeHandle, name: string): string {
  return hostPath(node, `${HOST_MARKER_DIR}/${name}.sha256`);
}

/** The marker hashes of the named host features, in ONE `cat` (missing files only add messages). */
export async function readHostMarkers(node: NodeHandle, names: string[]): Promise<Set<string> | undefined> {
  if (names.length === 0) return new Set();
  const result = await runOnHost(node, ['cat', ...names.map((n) => markerPath(node, n))], { allowFailure: true, what: 'reading host feature markers' });
  if (result.exitCode !== 0 && !/No such file or directory/.test(result.stderr)) return undefined;
  return new Set(result.stdout.split('\n').map((l) => l.trim()).filter((l) => SHA256.test(l)));
}

export async function runHostScript(node: NodeHandle, name: string, script: string, inputs: Record<string, string>, kind: string): Promise<void> {
  const dir = hostPath(node, HOST_SCRIPT_DIR);
  const path = `${dir}/${name}${kind === 'install' ? '' : `.${kind}`}.sh`;
  await runOnHost(node, ['mkdir', '-p', dir, hostPath(node, HOST_MARKER_DIR)], { what: `preparing host feature ${name}` });
  await runOnHost(node, ['tee', path], { stdin: script, what: `staging host feature ${name}` });
  const result = await runOnHost(node, ['env', ...inputEnvironment(inputs), 'sh', path], { allowFailure: true });
  if (result.exitCode !== 0) {
    const tail = (result.stdout + result.stderr).trim().split('\n').slice(-20).join('\n');
    throw diagnosticError(`Feature "${name}" ${kind} failed on node ${node.name}`, tail || undefined);
  }
}

export async function writeHostMarker(node: NodeHandle, name: string, sha256: string): Promise<void> {
  await runOnHost(node, ['tee', markerPath(node, name)], { stdin: `${sha256}\n`, what: `recording host feature ${name}` });
}

export async function removeHostMarker(node: NodeHandle, name: string): Promise<void> {
  await runOnHost(node, ['rm', '-f', markerPath(node, name)], { allowFailure: true });
}
