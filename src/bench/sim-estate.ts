/**
 * Benchmark fixtures on the simulated node: a large estate of identical containers seeded in seconds,
 * and node handles that count the host commands providers issue.
 *
 * Seeding: one running container is created by the simulator's own `pct create --start` (so its files
 * are exactly what the simulator writes) with a feature's marker in its root filesystem, then cloned on
 * disk N-1 times — config file, runtime state with its own pid and /proc/PID/root, root filesystem,
 * rootfs dataset — with its vmid, hostname and MAC substituted: N featured guests. Likewise one running
 * VM per ten containers (`qm create --start`), its feature recorded on the host for its vmgenid as phoenix
 * records it (vm-records.ts), replicated with a vmgenid of its own. The matching state comes from the lxc
 * and vm providers' own batched reads, the same calls a refresh makes.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Attrs } from '../config/values.js';
import { createNode } from '../exec/node.js';
import { simulatorBinDir } from '../exec/simulator.js';
import { featureProvider } from '../resources/feature/provider.js';
import { lxcProvider } from '../resources/lxc/provider.js';
import { vmProvider } from '../resources/vm/provider.js';
import { VM_RECORD_DIR } from '../resources/feature/vm-records.js';
import type { NodeHandle, ProviderContext } from '../resources/provider.js';
import { compare } from '../plan/refresh.js';
import { emptyState, type ResourceState, type StateFile } from '../state/model.js';

export const FIRST_VMID = 10_000;
export const FIRST_VM_VMID = 50_000;
/** One VM per this many containers. */
const CONTAINERS_PER_VM = 10;
/** Init pids of the replicated containers (the prototype's comes from the simulator). */
const PROTOTYPE_PID_BASE = 3_000_000;
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
const SIM_DIR = '.phoenix-sim';

export interface SeededEstate {
  /** Working directory holding main.hcl and the simulator state in `.phoenix-sim`. */
  dir: string;
  simDir: string;
  /** State recording every seeded container, as a refresh reads it. */
  state: StateFile;
}

export function estateConfig(count: number): string {
  return `node "pve" {
  connection = "simulator"
}

resource "lxc" "guest" {
  count      = ${count}
  vmid       = ${FIRST_VMID} + count.index
  hostname   = "guest-\${count.index}"
  ostemplate = "${TEMPLATE}"
  memory     = 512
  state      = "running"
  rootfs {
    storage = "local-zfs"
    size    = "8G"
  }
  network {
    name   = "eth0"
    bridge = "vmbr0"
    ip     = "dhcp"
  }
}

resource "feature" "tools" {
  count  = ${count}
  guest  = lxc.guest[count.index].vmid
  name   = "${FEATURE}"
  script = ${JSON.stringify(FEATURE_SCRIPT)}
}

resource "vm" "app" {
  count  = ${vmCount(count)}
  vmid   = ${FIRST_VM_VMID} + count.index
  name   = "app-\${count.index}"
  memory = 512
  agent  = true
  state  = "running"
}

resource "feature" "vm_tools" {
  count      = ${vmCount(count)}
  guest      = vm.app[count.index].vmid
  guest_type = "vm"
  name       = "${FEATURE}"
  script     = ${JSON.stringify(FEATURE_SCRIPT)}
}
`;
}

function vmCount(containers: number): number {
  return Math.max(1, Math.floor(containers / CONTAINERS_PER_VM));
}

const FEATURE = 'tools';
const FEATURE_SCRIPT = '#!/bin/sh\necho tools\n';

/** The feature as planned and as a refresh of an installed one reads it back. */
function featureAttrs(vmid: number, guestType: 'lxc' | 'vm' = 'lxc'): Attrs {
  const planned: Attrs = {};
  for (const [name, attribute] of Object.entries(featureProvider.schema.attributes)) planned[name] = attribute.default ?? null;
  return featureProvider.normalize!({ ...planned, guest: vmid, guest_type: guestType, node: 'pve', name: FEATURE, script: FEATURE_SCRIPT });
}

export async function seedEstate(count: number): Promise<SeededEstate> {
  const dir = mkdtempSync(join(tmpdir(), 'phoenix-bench-sim-'));
  const simDir = join(dir, SIM_DIR);
  writeFileSync(join(dir, 'main.hcl'), estateConfig(count));
  createPrototype(simDir);
  replicatePrototype(simDir, count);
  createVms(simDir, vmCount(count));
  return { dir, simDir, state: await stateOfEstate(dir, count) };
}

function createPrototype(simDir: string): void {
  const argv = ['create', String(FIRST_VMID), TEMPLATE, '--hostname', 'guest-0', '--memory', '512', '--rootfs', 'local-zfs:8'];
  argv.push('--net0', 'name=eth0,bridge=vmbr0,ip=dhcp', '--unprivileged', '1', '--start', '1');
  execFileSync(process.execPath, [join(simulatorBinDir(), 'pct'), ...argv], {
    env: { ...process.env, PHOENIX_SIM_DIR: simDir, PHOENIX_SIM_LATENCY_MS: '0' },
    stdio: 'ignore',
  });
  // The feature installed, as its marker file records it (replicated with the root filesystem).
  const markers = join(simDir, 'var/sim/guests', String(FIRST_VMID), 'rootfs/etc/phoenix/features');
  mkdirSync(markers, { recursive: true });
  writeFileSync(join(markers, `${FEATURE}.sha256`), `${String(featureAttrs(FIRST_VMID).sha256)}\n`);
}

function replicatePrototype(simDir: string, count: number): void {
  const confDir = join(simDir, 'etc/pve/nodes/pve/lxc');
  const guestsDir = join(simDir, 'var/sim/guests');
  const prototypeConf = readFileSync(join(confDir, `${FIRST_VMID}.conf`), 'utf8');
  const zfsPath = join(simDir, 'var/sim/zfs.json');
  const zfs = JSON.parse(readFileSync(zfsPath, 'utf8')) as { datasets: Record<string, unknown> };
  const prototypeVolume = `subvol-${FIRST_VMID}-disk-0`;
  const prototypeDataset = zfs.datasets[`rpool/data/${prototypeVolume}`];
  const prototypeMac = /hwaddr=([0-9A-F:]+)/.exec(prototypeConf)![1]!;

  for (let i = 1; i < count; i++) {
    const vmid = FIRST_VMID + i;
    const volume = `subvol-${vmid}-disk-0`;
    const conf = prototypeConf
      .replace(/^hostname: .*$/m, `hostname: guest-${i}`)
      .replace(prototypeVolume, volume)
      .replace(prototypeMac, macFor(i));
    writeFileSync(join(confDir, `${vmid}.conf`), conf);
    cpSync(join(guestsDir, String(FIRST_VMID)), join(guestsDir, String(vmid)), { recursive: true });
    writeFileSync(join(guestsDir, String(vmid), 'rootfs/etc/hostname'), `guest-${i}\n`);
    // Running, with its own init pid and the host's view of its root at /proc/PID/root (as `pct start` leaves it).
    const runtimePath = join(guestsDir, String(vmid), 'state.json');
    const pid = PROTOTYPE_PID_BASE + i;
    writeFileSync(runtimePath, JSON.stringify({ ...JSON.parse(readFileSync(runtimePath, 'utf8')), pid }));
    mkdirSync(join(simDir, 'proc', String(pid)), { recursive: true });
    symlinkSync(join(guestsDir, String(vmid), 'rootfs'), join(simDir, 'proc', String(pid), 'root'));
    zfs.datasets[`rpool/data/${volume}`] = prototypeDataset;
  }
  writeFileSync(zfsPath, JSON.stringify(zfs, null, 2));
}

/** Running VMs with the feature recorded on the host for their vmgenid: one made by `qm create`, copied on disk. */
function createVms(simDir: string, count: number): void {
  const argv = ['create', String(FIRST_VM_VMID), '--name', 'app-0', '--memory', '512', '--agent', '1', '--start', '1'];
  execFileSync(process.execPath, [join(simulatorBinDir(), 'qm'), ...argv], { env: { ...process.env, PHOENIX_SIM_DIR: simDir, PHOENIX_SIM_LATENCY_MS: '0' }, stdio: 'ignore' });
  const confDir = join(simDir, 'etc/pve/nodes/pve/qemu-server');
  const guestsDir = join(simDir, 'var/sim/guests');
  const prototypeConf = readFileSync(join(confDir, `${FIRST_VM_VMID}.conf`), 'utf8');
  const sha256 = String(featureAttrs(FIRST_VM_VMID, 'vm').sha256);
  for (let i = 0; i < count; i++) {
    const vmid = FIRST_VM_VMID + i;
    const vmgenid = randomUUID();
    if (i > 0) {
      writeFileSync(join(confDir, `${vmid}.conf`), prototypeConf.replace(/^name: .*$/m, `name: app-${i}`).replace(/^vmgenid: .*$/m, `vmgenid: ${vmgenid}`));
      cpSync(join(guestsDir, String(FIRST_VM_VMID)), join(guestsDir, String(vmid)), { recursive: true });
    }
    const generation = i === 0 ? /^vmgenid: (.*)$/m.exec(prototypeConf)![1]! : vmgenid;
    const records = join(simDir, VM_RECORD_DIR, String(vmid));
    mkdirSync(records, { recursive: true });
    writeFileSync(join(records, `${FEATURE}.sha256`), `${sha256} vmgenid=${generation}\n`);
  }
}

/** A unicast MAC in Proxmox's BC:24:11 prefix, unique per index. */
function macFor(index: number): string {
  const bytes = [(index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return ['BC', '24', '11', ...bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0'))].join(':');
}

const sensitivePaths = (provider: typeof lxcProvider) =>
  Object.entries(provider.schema.attributes)
    .filter(([, attribute]) => attribute.sensitive)
    .map(([name]) => [name]);
const SENSITIVE = sensitivePaths(lxcProvider);
const VM_SENSITIVE = sensitivePaths(vmProvider);

/** The state a refresh would record: the provider's batched read, with the config's create-only template. */
async function stateOfEstate(dir: string, count: number): Promise<StateFile> {
  const node = createNode({ name: 'pve', connection: 'simulator' }, dir);
  const ctx: ProviderContext = { node, nodes: new Map([['pve', node]]), progress: () => {}, signal: new AbortController().signal };
  const priors: Attrs[] = Array.from({ length: count }, (_, i) => ({ vmid: FIRST_VMID + i, ostemplate: TEMPLATE }));
  const read = await lxcProvider.read(ctx, priors.map((prior, i) => ({ address: `lxc.guest[${i}]`, prior })));
  const vms = await vmProvider.read(ctx, Array.from({ length: vmCount(count) }, (_, i) => ({ address: `vm.app[${i}]`, prior: { vmid: FIRST_VM_VMID + i } })));
  await node.runner.close();
  const resources: ResourceState[] = read.map((attributes, i) => {
    if (!attributes) throw new Error(`seeded container ${FIRST_VMID + i} was not found on the simulated node`);
    return {
      address: `lxc.guest[${i}]`,
      type: 'lxc',
      name: 'guest',
      index: i,
      provider: 'builtin',
      attributes,
      sensitive_attributes: SENSITIVE,
      dependencies: [],
    };
  });
  for (let i = 0; i < count; i++) {
    resources.push({
      address: `feature.tools[${i}]`,
      type: 'feature',
      name: 'tools',
      index: i,
      provider: 'builtin',
      attributes: featureAttrs(FIRST_VMID + i),
      sensitive_attributes: [],
      dependencies: ['lxc.guest'],
    });
  }
  vms.forEach((attributes, i) => {
    if (!attributes) throw new Error(`seeded VM ${FIRST_VM_VMID + i} was not found on the simulated node`);
    resources.push({ address: `vm.app[${i}]`, type: 'vm', name: 'app', index: i, provider: 'builtin', attributes, sensitive_attributes: VM_SENSITIVE, dependencies: [] });
    resources.push({
      address: `feature.vm_tools[${i}]`,
      type: 'feature',
      name: 'vm_tools',
      index: i,
      provider: 'builtin',
      attributes: featureAttrs(FIRST_VM_VMID + i, 'vm'),
      sensitive_attributes: [],
      dependencies: ['vm.app'],
    });
  });
  resources.sort((a, b) => compare(a.address, b.address));
  return { ...emptyState('bench-sim', '0.0.0'), serial: 1, resources };
}

/** A host command issued through a counted node, and how long it took (spawn and latency included). */
export interface IssuedCommand {
  argv: string[];
  ms: number;
}

/** Host commands issued through a set of nodes. */
export interface CommandCounter {
  nodes: Map<string, NodeHandle>;
  /** Every command issued, in the order they finished. */
  commands: IssuedCommand[];
}

/** Wraps each node so every command a provider runs on it is recorded (and still runs for real). */
export function countingNodes(nodes: ReadonlyMap<string, NodeHandle>): CommandCounter {
  const commands: IssuedCommand[] = [];
  const wrapped = new Map<string, NodeHandle>();
  for (const [name, node] of nodes) {
    wrapped.set(name, {
      ...node,
      async run(argv, options) {
        const began = performance.now();
        try {
          return await node.run(argv, options);
        } finally {
          commands.push({ argv, ms: performance.now() - began });
        }
      },
    });
  }
  return { nodes: wrapped, commands };
}
