/**
 * `phoenix convert --from-legacy`: legacy JSON in, phoenix HCL files out. No I/O here: the caller passes
 * the file contents and a script-existence check (see load.ts), and writes the returned files.
 *
 * Output: main.hcl (node, variables, host-level legacy settings as comments), host.hcl (pools, NFS and
 * Samba host features, NFS storages, legacy host setup scripts), storage.hcl (datasets),
 * containers.hcl and vms.hcl (guests with their features and snapshots, sources first), and with
 * `simulator` a simulator.auto.hcl pointing templates at what the shipped simulator provides.
 */
import { hasErrors, type Diagnostic } from '../config/diagnostics.js';
import { readLegacyEstate, type LegacySources } from './estate.js';
import { analyseGraph, label } from './graph.js';
import { blank, comment, printHclFile, type HclItem } from './hcl-writer.js';
import { legacyDiagnostic } from './json-path.js';
import { EmitContext, type ConvertOptions } from './emit/context.js';
import { featureResources, snapshotResource } from './emit/features.js';
import { afterFeaturesSnapshot, beforeFeaturesSnapshot } from './emit/lifecycle.js';
import { lxcResource } from './emit/lxc.js';
import { declareSharedValues, mainFile } from './emit/main-file.js';
import { hostFile } from './emit/host.js';
import { simulatorSeed, simulatorValues } from './emit/simulator.js';
import { storageFile } from './emit/storage.js';
import { vmResource } from './emit/vm.js';
import { firewallResources } from './emit/firewall.js';

export type { ConvertOptions } from './emit/context.js';

/** The simulated node's first-use seed, in the output directory's default simulator state directory. */
export const SIMULATOR_SEED_FILE = '.phoenix-sim/sim.json';

export interface GeneratedFile {
  name: string;
  content: string;
}

export interface ConvertResult {
  /** Empty when there are errors: a partial estate would plan as if guests were missing. */
  files: GeneratedFile[];
  diagnostics: Diagnostic[];
  summary: { containers: number; vms: number; datasets: number; features: number; snapshots: number; pools: number };
}

export function convertLegacy(sources: LegacySources, options: ConvertOptions): ConvertResult {
  const { estate, mountPointBase, diagnostics } = readLegacyEstate(sources);
  const graph = analyseGraph(estate, diagnostics);
  const ctx = new EmitContext(estate, graph, options, diagnostics, mountPointBase);
  declareSharedValues(ctx);

  const storage = storageFile(ctx);
  const host = hostFile(ctx);
  const containers: HclItem[] = [];
  const vms: HclItem[] = [];
  let features = 0;
  let snapshots = 0;
  for (const guest of graph.order) {
    const target = guest.kind === 'lxc' ? containers : vms;
    const resource = guest.kind === 'lxc' ? lxcResource(ctx, guest) : vmResource(ctx, guest);
    const before = beforeFeaturesSnapshot(ctx, guest);
    const guestFeatures = featureResources(ctx, guest, before?.address);
    const guestSnapshots = [...(before ? [before.item] : []), ...snapshotResource(ctx, guest), ...afterFeaturesSnapshot(ctx, guest)];
    features += guestFeatures.filter((item) => item.kind === 'block' && item.type === 'resource').length;
    snapshots += guestSnapshots.filter((item) => item.kind === 'block').length;
    // In the order they are taken: the snapshot before the features, the features, the snapshots after them.
    const ordered = [...(before ? [before.item] : []), ...guestFeatures, ...guestSnapshots.slice(before ? 1 : 0)];
    target.push(comment(`${guest.kind === 'lxc' ? 'Container' : 'VM'} ${label(guest)}`), resource, blank, ...firewallResources(ctx, guest), ...ordered.flatMap((f) => [f, blank]));
  }
  const main = mainFile(ctx);

  const files: GeneratedFile[] = [];
  const add = (name: string, items: HclItem[]) => {
    if (items.length === 0) return;
    const printed = printHclFile(items, name);
    diagnostics.push(...printed.diagnostics);
    files.push({ name, content: printed.text });
  };
  add('main.hcl', main);
  add('host.hcl', host);
  add('storage.hcl', storage);
  add('containers.hcl', containers);
  add('vms.hcl', vms);
  reportUndeclaredStorages(ctx);
  if (options.simulator) {
    add('simulator.auto.hcl', simulatorValues(ctx));
    files.push({ name: SIMULATOR_SEED_FILE, content: `${JSON.stringify(simulatorSeed(ctx), null, 2)}\n` });
  }
  const summary = {
    containers: estate.guests.filter((g) => g.kind === 'lxc').length,
    vms: estate.guests.filter((g) => g.kind === 'vm').length,
    datasets: estate.datasets.length,
    pools: estate.host?.pools.length ?? 0,
    features,
    snapshots,
  };
  return { files: hasErrors(diagnostics) ? [] : files, diagnostics, summary };
}

/** Storage IDs guests name that no dataset registers: they must exist on the node already. */
function reportUndeclaredStorages(ctx: EmitContext): void {
  for (const [id, guest] of ctx.undeclaredStorages) {
    if (id === 'local' || id === 'local-lvm' || id === 'local-zfs') continue;
    ctx.diagnostics.push(
      legacyDiagnostic(
        'warning',
        guest.storagePool?.value === id ? guest.storagePool.location : guest.location,
        `Storage "${id}" is registered by no dataset`,
        'It must exist on the node (pvesm status), as the legacy tool required; `convert --simulator` seeds it in the simulated node.',
      ),
    );
  }
}
