/**
 * State shared by the emitters: resource names, the variables the output declares, secrets, and the
 * references between generated resources (storage IDs → dataset resources, guests → their addresses).
 */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { EstateGraph } from '../graph.js';
import { raw, type HclExpr, type HclRaw } from '../hcl-writer.js';
import type { LegacyDataset, LegacyEstate, LegacyGuest } from '../model.js';
import { NameAllocator, sanitiseName } from '../names.js';
import type { ScriptDir, ScriptLocator } from '../scripts.js';
import { SecretRegistry } from '../secrets.js';

export interface ConvertOptions {
  /** Where the legacy scripts are (scripts.ts), as written into the estate's `*_dir` variables. */
  scriptDirs: Record<ScriptDir, string>;
  /** Where a script is on disk and whether it exists; without it scripts are not checked. */
  locateScript?: ScriptLocator;
  /** Where the legacy host setup scripts are (`hypervisor_setup_dir` variable); unset: none are converted. */
  hypervisorSetupDir?: string;
  /** Whether a host setup script exists; without it every one is taken as present. */
  hostScriptExists?: (file: string) => boolean;
  nodeName: string;
  /** Default of the `connection` variable: "simulator", "local" or "ssh://root@host". */
  connection: string;
  /** Also write simulator.auto.hcl: template and image values the shipped simulator provides. */
  simulator: boolean;
}

export interface VariableSpec {
  name: string;
  type: string;
  default?: HclExpr;
  description: string;
  sensitive?: boolean;
}

export class EmitContext {
  readonly variables = new Map<string, VariableSpec>();
  readonly secrets = new SecretRegistry();
  private readonly names = new NameAllocator();
  readonly guestNames = new Map<LegacyGuest, string>();
  /** Storage ID → the dataset resource that registers it. */
  readonly storageDatasets = new Map<string, { name: string; dataset: LegacyDataset }>();
  readonly datasetNames = new Map<LegacyDataset, string>();
  /** zfs_pool resource names by pool name. */
  readonly poolNames = new Map<string, string>();
  /** Snapshot resource names, allocated when first referenced (by the guest or by its clones). */
  readonly snapshotNames = new Map<LegacyGuest, string>();
  /** Feature resource addresses per guest, in install order (snapshots and clones wait for them). */
  readonly featureAddresses = new Map<LegacyGuest, string[]>();
  /** Storage IDs guests name that no dataset registers, with the first guest naming each. */
  readonly undeclaredStorages = new Map<string, LegacyGuest>();
  /** Values repeated across guests that became variables: value → variable name, per kind. */
  readonly shared = { bridge: new Map<string, string>(), gateway: new Map<string, string>(), nameserver: new Map<string, string>() };

  constructor(
    readonly estate: LegacyEstate,
    readonly graph: EstateGraph,
    readonly options: ConvertOptions,
    readonly diagnostics: Diagnostic[],
    readonly mountPointBase: string | undefined,
  ) {
    for (const pool of estate.host?.pools ?? []) this.poolNames.set(pool.name, this.allocate('zfs_pool', pool.name, 'pool', pool.name));
    for (const dataset of estate.datasets) {
      const name = this.allocate('zfs_dataset', `${dataset.pool}_${dataset.name}`, 'dataset', `${dataset.pool}/${dataset.name}`);
      this.datasetNames.set(dataset, name);
      if (dataset.storage) this.storageDatasets.set(dataset.storage.id, { name, dataset });
    }
    for (const guest of graph.order) {
      const wanted = guest.name ?? `${guest.kind === 'lxc' ? 'ct' : 'vm'}_${guest.id}`;
      this.guestNames.set(guest, this.allocate(guest.kind, wanted, guest.kind === 'lxc' ? 'ct' : 'vm', guest.id));
    }
  }

  allocate(type: string, wanted: string, prefix: string, disambiguator: string | number): string {
    // The suffix follows an identifier, so it may start with a digit ("web_102").
    return this.names.allocate(type, sanitiseName(wanted, prefix), String(disambiguator).toLowerCase().replace(/[^a-z0-9]+/g, '_'));
  }

  guestAddress(guest: LegacyGuest): string {
    return `${guest.kind}.${this.guestNames.get(guest)!}`;
  }

  declare(variable: VariableSpec): HclRaw {
    if (!this.variables.has(variable.name)) this.variables.set(variable.name, variable);
    return raw(`var.${variable.name}`);
  }

  /** A storage ID as a reference to the dataset resource registering it, else the plain ID (recorded as undeclared). */
  storageRef(storageId: string, user: LegacyGuest): HclExpr {
    const dataset = this.storageDatasets.get(storageId);
    if (dataset) return raw(`zfs_dataset.${dataset.name}.storage.id`);
    if (!this.undeclaredStorages.has(storageId)) this.undeclaredStorages.set(storageId, user);
    return storageId;
  }

  /** The dataset a host path lives in (`/POOL/NAME/...` or under mount_point_base), if declared. */
  datasetOfPath(path: string): string | undefined {
    for (const [dataset, name] of this.datasetNames) {
      if (this.mountpointsOf(dataset).some((p) => path === p || path.startsWith(`${p}/`))) return `zfs_dataset.${name}`;
    }
    return undefined;
  }

  /** Whether `path` is where a dataset of the estate is mounted (the directory its create makes). */
  isDatasetMountpoint(path: string): boolean {
    return [...this.datasetNames.keys()].some((dataset) => this.mountpointsOf(dataset).includes(path));
  }

  private mountpointsOf(dataset: { pool: string; name: string }): string[] {
    const full = `/${dataset.pool}/${dataset.name}`;
    return [full, ...(this.mountPointBase ? [`${this.mountPointBase.replace(/\/+$/, '')}${full}`] : [])];
  }

  /** A value shared by guests: the variable's reference when it became one, else the literal. */
  sharedValue(kind: keyof EmitContext['shared'], value: string): HclExpr {
    const variable = this.shared[kind].get(value);
    return variable ? raw(`var.${variable}`) : value;
  }
}
