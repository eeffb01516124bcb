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
import { attr, blank, comment, printHclFile, type HclItem } from './hcl-writer.js';
import { EmitContext, type ConvertOptions } from './emit/context.js';
import { featureResources, snapshotResource } from './emit/features.js';
import { afterFeaturesSnapshot, beforeFeaturesSnapshot } from './emit/lifecycle.js';
import { lxcResource } from './emit/lxc.js';
import { declareSharedValues, mainFile } from './emit/main-file.js';
import { hostFile } from './emit/host.js';
import { storageFile } from './emit/storage.js';
import { vmResource } from './emit/vm.js';

export type { ConvertOptions } from './emit/context.js';

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
    target.push(comment(`${guest.kind === 'lxc' ? 'Container' : 'VM'} ${label(guest)}`), resource, blank, ...ordered.flatMap((f) => [f, blank]));
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
  if (options.simulator) add('simulator.auto.hcl', simulatorValues(ctx));
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

/** Variable values for the shipped simulator: templates it seeds in `local`, no real cloud image path. */
function simulatorValues(ctx: EmitContext): HclItem[] {
  const undeclared = [...new Set(ctx.estate.datasets.map((d) => d.pool))].filter((p) => !ctx.poolNames.has(p));
  const items: HclItem[] = [
    comment(
      'Values for trying the estate on the shipped simulator (delete this file for a real node).',
      ...(undeclared.length > 0 ? [`The simulator must know the undeclared pools first: put {"pools": [${undeclared.map((p) => JSON.stringify(p)).join(', ')}]} into .phoenix-sim/sim.json.`] : []),
    ),
  ];
  for (const variable of ctx.variables.values()) {
    if (variable.name.startsWith('lxc_template') && typeof variable.default === 'string') {
      items.push(attr(variable.name, `local:vztmpl/${variable.default.split('/').pop()}`));
    }
  }
  return items;
}
