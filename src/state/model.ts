/**
 * The state file model (format_version 1). JSON, written atomically by the backends.
 */
import type { Attrs, Value } from '../config/values.js';

export const STATE_FORMAT_VERSION = 1;

export interface ResourceState {
  /** Full instance address: `lxc.web`, `lxc.web[0]`, `lxc.web["a"]`. */
  address: string;
  type: string;
  name: string;
  /** count index or for_each key, absent for single instances. */
  index?: number | string;
  /** `builtin` or the plugin module that provided the type. */
  provider: string;
  attributes: Attrs;
  /** Attribute paths holding sensitive values (redacted in output, kept in state). */
  sensitive_attributes: string[][];
  /** Addresses (instance or resource) this instance depended on when last applied: destroy order. */
  dependencies: string[];
  create_before_destroy?: boolean;
  /**
   * The ownership proof token written onto the object by the create (or import) that made it phoenix's
   * (provider OWNER_KEY). Absent for types without proof and for states written before proofs existed.
   */
  owner?: string;
}

/**
 * An operation that started on a host but has not been recorded as finished. Written before the first
 * host command of a create/delete so a crash never leaves an object phoenix has forgotten; the next plan
 * reads the host for each pending record and reconciles it.
 */
export interface PendingOperation {
  id: string;
  address: string;
  type: string;
  action: 'create' | 'delete';
  /** What the operation creates or deletes, e.g. { node: "pve", vmid: 101 }. */
  identity: Attrs;
  /**
   * The object's full attributes — planned for a create (so a finished-but-unrecorded create can be
   * adopted), recorded for a delete — so the next plan can read it back: an identity alone does not name
   * every object (a file's volume id needs its storage and name).
   */
  planned?: Attrs;
  /** The proof token this create writes onto the object: the next plan adopts the object only if it carries it. */
  owner?: string;
  dependencies: string[];
  started_at: string;
}

export interface OutputState {
  value: Value;
  sensitive: boolean;
}

export interface StateFile {
  format_version: number;
  phoenix_version: string;
  serial: number;
  lineage: string;
  resources: ResourceState[];
  outputs: Record<string, OutputState>;
  pending: PendingOperation[];
}

export function emptyState(lineage: string, phoenixVersion: string): StateFile {
  return {
    format_version: STATE_FORMAT_VERSION,
    phoenix_version: phoenixVersion,
    serial: 0,
    lineage,
    resources: [],
    outputs: {},
    pending: [],
  };
}
