/**
 * The provider interface: the one narrow contract every resource type implements, built-in
 * (src/resources/<type>/) or loaded as a plugin (an ES module in ./plugins/ exporting `providers`).
 */
import { DiagnosticError, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs, TypeExpr, Value } from '../config/values.js';
import type { RunResult, Runner } from '../exec/runner.js';

export interface AttributeSchema {
  type: TypeExpr;
  description: string;
  /** Must be set in config. */
  required?: boolean;
  /** Set by the provider (e.g. a generated MAC). With `optional`, config may set it too. */
  computed?: boolean;
  optional?: boolean;
  /** Value used when config leaves the attribute unset. */
  default?: Value;
  /** Shown as "(sensitive value)" and redacted from plan output. */
  sensitive?: boolean;
  /** For an object-typed attribute (`block: 'single'`): the fields that are sensitive, e.g. `['password']`. */
  sensitiveFields?: string[];
  /** A change destroys and recreates the resource. */
  forceNew?: boolean;
  /** A change is applied in place but takes effect only after the guest restarts; the plan says so. */
  restart?: boolean;
  /** May also be written as nested blocks: `network { ... }` (list) or `lifecycle_like { ... }` (single). */
  block?: 'list' | 'single';
}

export interface ResourceSchema {
  description: string;
  attributes: Record<string, AttributeSchema>;
}

/** The paths the schema itself marks sensitive: `[attr]` for sensitive attributes, `[attr, field]` for sensitive fields. */
export function schemaSensitivePaths(schema: ResourceSchema): string[][] {
  return Object.entries(schema.attributes).flatMap(([name, a]) => [
    ...(a.sensitive ? [[name]] : []),
    ...(a.sensitiveFields ?? []).map((field) => [name, field]),
  ]);
}

/** A Proxmox node as providers see it: a runner plus the limits that apply to it. */
export interface NodeHandle {
  name: string;
  runner: Runner;
  /**
   * Prefix for host paths such as `/etc/pve/nodes/NAME/lxc/101.conf` and `/run/lock/lxc/...`: `""` on a
   * real host, the simulator's state directory on a simulated node. Build paths with `hostPath()`.
   */
  pveRoot: string;
  /** At most this many operations on this node at once (`node:NAME` concurrency key). Default 4. */
  maxParallel: number;
  /** At most this many disk-heavy operations per storage at once (`storage:NODE/STORAGE` keys). Default 1. */
  storageParallel: number;
  /** Run a host command with the node's per-operation timeout and lock-contention retries. */
  run(argv: string[], options?: NodeRunOptions): Promise<RunResult>;
}

export interface NodeRunOptions {
  stdin?: string;
  timeoutMs?: number;
  /** Return the result instead of throwing CommandError on a non-zero exit. */
  allowFailure?: boolean;
}

export function hostPath(node: NodeHandle, absolutePath: string): string {
  return node.pveRoot + absolutePath;
}

export interface ProviderContext {
  /**
   * The node the resource lives on: its `node` attribute, or the only declared node. Undefined only for
   * resource types whose schema has no `node` attribute (e.g. the engine's test provider).
   */
  node?: NodeHandle;
  nodes: ReadonlyMap<string, NodeHandle>;
  /** Progress line for live output ("cloning from 9000..."). */
  progress(message: string): void;
  signal: AbortSignal;
  /**
   * Within one plan's reads: the first call for a key loads, later calls for the key (other resource
   * types on the same node, the pending-record pass and the refresh) share that result, so a listing
   * such as `/cluster/resources` runs once per node and plan. Absent where reads must be fresh (apply).
   */
  memo?<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` holding concurrency keys for just that step of an operation (the copy of a full clone:
   * `storage:NODE/STORAGE`, `clone-source:NODE/VMID`), so the rest of the operation (set, resize,
   * start) runs alongside others. Limits per key as for `concurrencyKeys`. Absent outside apply: call
   * it through `holding()`.
   */
  hold?<T>(keys: readonly string[], work: () => Promise<T>): Promise<T>;
}

/** `ctx.hold(keys, work)` where the engine offers it, else just `work()`. */
export function holding<T>(ctx: ProviderContext, keys: readonly string[], work: () => Promise<T>): Promise<T> {
  return ctx.hold ? ctx.hold(keys, work) : work();
}

/** The key of one storage of a node: at most `storage_parallel` disk-heavy steps on it at once. */
export function storageKey(node: NodeHandle, storage: string): string {
  return `storage:${node.name}/${storage}`;
}

/**
 * The key of a clone source: Proxmox locks the source guest for the whole copy, so a second clone of
 * it fails ("CT is locked (disk)"; for a running VM "can't lock file … got timeout" after 1 s); clones
 * of such a source run one at a time (pve-container src/PVE/API2/LXC.pm clone_vm; qemu-server
 * PVE/API2/Qemu.pm clone_vm, whose lock on a stopped source is shared: no key needed there).
 */
export function cloneSourceKey(node: NodeHandle, vmid: number): string {
  return `clone-source:${node.name}/${vmid}`;
}

export interface ReadRequest {
  address: string;
  /** The attributes recorded in state (or, for pending records, the identity being created). */
  prior: Attrs;
}

/** What a refresh found: the current attributes, or null when the object no longer exists. */
export type ReadResult = Attrs | null;

/**
 * Thrown by a create that stopped before changing anything on the host (e.g. its target already exists
 * and is not phoenix's): the engine keeps no pending record, so nothing is ever adopted from it.
 */
export class CreateRefused extends DiagnosticError {}

/**
 * Thrown by `delete` when the object at the recorded identity is not the one phoenix created (replaced
 * outside phoenix since the plan read it): it is left alone; the engine drops it from state and reports it.
 */
export class NotOwned extends DiagnosticError {}

/** Thrown by a provider hook (diff, validate...) about one attribute: the diagnostic's caret points at it. */
export class AttributeError extends Error {
  constructor(
    message: string,
    readonly attribute: string,
  ) {
    super(message);
  }
}

/** A guest an update restarts, or leaves with changes pending until its next start. */
export interface GuestRestart {
  /** The guest as the operator knows it: "CT 110", "VM 9000". */
  guest: string;
  /** Attributes that take effect only at the guest's next start (changed now or already pending on the host). */
  attributes: string[];
  /** true: apply restarts the guest; false (`reboot_after_update = false`): the changes stay pending. */
  restarts: boolean;
}

/**
 * Ownership proof (providers with `ownershipProof: 'token'`). The engine hands every create, update and
 * import the object's proof token under this key of the attributes; the provider writes it onto the
 * object *with the command that creates it* (a marker line in a guest's description, a ZFS user
 * property) and reports the token it finds under the same key from read/create/update/import (null when
 * the object carries none). The engine moves it out of the attributes into the state record, so it
 * never shows in plans. A token is bound to the object's identity: providers report it only when the
 * marker names the object it is found on (a clone copies its source's description, never its proof).
 */
export const OWNER_KEY = '__phoenix_owner';

/** Result of comparing prior state with the planned attributes; the engine fills it, the provider may refine it. */
export interface DiffResult {
  /** Attribute paths that differ. Empty means no-op. */
  changed: string[][];
  /** Paths among `changed` that force replacement. */
  replacePaths: string[][];
  /** Paths among `changed` applied in place but needing a guest restart. */
  restartPaths: string[][];
  /** Set by guest providers: whether apply restarts the guest, and why. */
  restart?: GuestRestart;
}

/**
 * A problem with one attribute's value: `attribute` is its path in the config (`["network", "0", "ip"]`),
 * which the engine turns into the source range of that value, so the caret lands on it.
 */
export interface AttributeDiagnostic extends Diagnostic {
  attribute?: string[];
  /** The offending value as quoted in summary and detail: the engine replaces it when the value is sensitive. */
  value?: string;
}

/** What a plan creates, as checkOnHost sees it. */
export interface HostCheckPlan {
  /** The address of the object checked, for messages that name a command (`phoenix import ADDRESS ID`). */
  address: string;
  /** Whether objects this one depends on are still to be created. */
  pendingDependencies: boolean;
  /** Configured attributes of the objects of that type the plan creates (or replaces) before this one: its dependencies. */
  createsFirst(type: string): readonly Attrs[];
}

export interface ResourceProvider {
  type: string;
  schema: ResourceSchema;
  /**
   * Checks on the config values (formats Proxmox enforces, cross-attribute rules), before any host is
   * contacted. Values not known yet (UNKNOWN) are skipped: they are checked again when apply knows them.
   */
  validate?(attrs: Attrs): AttributeDiagnostic[];
  /**
   * Fill attributes the config leaves unset from what other attributes refer to, e.g. a feature's guest
   * kind from whether its `guest` reads an `lxc` or a `vm`. `referencedTypes(name)` lists the resource
   * types the expression of attribute `name` refers to.
   */
  inferFromReferences?(attrs: Attrs, referencedTypes: (attribute: string) => string[]): { attrs: Attrs; diagnostics: AttributeDiagnostic[] };
  /**
   * Checks that need the host, run by `plan` (never by `validate`, which contacts no host) on the
   * configured values of an object about to be created, e.g. that an image to import exists on the node.
   * `plan` says what else the plan creates: a check whose subject may still be made (an image a
   * download_file fetches first, a clone source created in the same apply) must not fail for it.
   */
  checkOnHost?(ctx: ProviderContext, configured: Attrs, plan: HostCheckPlan): Promise<AttributeDiagnostic[]>;
  /**
   * Checks against the other objects of the plan (e.g. a snapshot of a container Proxmox cannot
   * snapshot). `planned(type)` lists the planned attributes of every object of that type that stays or
   * is created; values may be unknown (skip those).
   */
  validateWith?(attrs: Attrs, planned: (type: string) => readonly Attrs[]): AttributeDiagnostic[];
  /**
   * Fill in defaults and normalise config values to the form the host stores (tag order, size units),
   * so comparing with what `read` returns shows no perpetual diff. May leave unknowns.
   */
  normalize?(planned: Attrs): Attrs;
  /** Batch read: one call for all instances of this type on one node. Results in request order. */
  read(ctx: ProviderContext, requests: ReadRequest[]): Promise<ReadResult[]>;
  /** Refine the engine's attribute diff (e.g. disk grow = in place, shrink = replace). */
  diff?(prior: Attrs, planned: Attrs, proposed: DiffResult): DiffResult;
  /**
   * For an object that exists: fill nested values the config leaves unset with what the host decided
   * (a NIC's generated MAC, a disk's size), after `normalize`, so plans, references and renderers show
   * the value that will be kept rather than null. Top-level computed attributes the engine fills itself.
   */
  completePlanned?(prior: Attrs, planned: Attrs): Attrs;
  /**
   * Why this object may not be destroyed or replaced (a ZFS pool holding data), or undefined when it may.
   * The planner reports it as an error for any plan that would delete or replace the object.
   */
  deletionRefusal?(prior: Attrs): { summary: string; detail: string } | undefined;
  /** The identity a create will produce (e.g. { node, vmid }), recorded as pending before create starts. */
  identity(planned: Attrs): Attrs;
  /**
   * Keys no two objects may share, e.g. `vmid:105` (cluster-wide, across lxc and vm) or
   * `zfs_dataset:pve/tank/media`: `validate` refuses two instances with one key and the planner refuses
   * to destroy and create one key under different addresses. Each key with the attribute that makes it.
   */
  identityKeys?(planned: Attrs): { key: string; attribute: string; label: string; /** one such object exists per cluster or node: no other to pick */ unique?: boolean }[];
  /**
   * `'token'`: create/update/import write and read report the ownership proof under OWNER_KEY (see there).
   * `'content'`: the object cannot carry a token (a file on a storage); read reports a stamp under
   * OWNER_KEY that changes when the object is replaced, and `proveCreated` decides whether an object
   * found at an interrupted create's identity is what that create made.
   */
  ownershipProof?: 'token' | 'content';
  /**
   * (`ownershipProof: 'content'`) An interrupted create left an object at its identity: is it provably
   * what `planned` creates? undefined when it is, else why not (then it is left alone, never adopted).
   * Must change nothing on the host.
   */
  proveCreated?(ctx: ProviderContext, planned: Attrs): Promise<string | undefined>;
  create(ctx: ProviderContext, planned: Attrs): Promise<Attrs>;
  update(ctx: ProviderContext, prior: Attrs, planned: Attrs, diff: DiffResult): Promise<Attrs>;
  delete(ctx: ProviderContext, prior: Attrs): Promise<void>;
  /**
   * Adopt an existing object by its id (vmid, dataset name...). With `owner` (providers with
   * ownershipProof), write that proof token onto the object too: an imported object is phoenix's.
   */
  import(ctx: ProviderContext, id: string, owner?: string): Promise<Attrs>;
  /**
   * After an import: the imported attributes completed with configured values the host cannot report
   * (create-only inputs such as `clone`, a feature's script), so the first plan shows only real differences.
   */
  adoptConfigured?(imported: Attrs, configured: Attrs): Attrs;
  /**
   * Extra concurrency keys this operation holds for its whole run, on top of `node:NAME` (which only
   * types with a `node` attribute take). Limits per key come from the node settings: `node:NAME`
   * max_parallel, `storage:NODE/STORAGE` storage_parallel, any other key 1. A key needed for one step
   * only is better taken with `ctx.hold`.
   */
  concurrencyKeys?(attrs: Attrs, action: 'create' | 'update' | 'delete'): string[];
  /** Run the resource's health checks (after apply, and by `phoenix check`). */
  check?(ctx: ProviderContext, attrs: Attrs): Promise<HealthResult[]>;
}

export interface HealthResult {
  name: string;
  ok: boolean;
  attempts: number;
  /** Command output or the reason it failed. */
  output: string;
}

/** What a plugin module exports. */
export interface ProviderPlugin {
  providers: ResourceProvider[];
}
