/**
 * The legacy estate as the converter understands it, independent of which format version the JSON
 * files were written in. Every item keeps its JSON location for diagnostics, and its unmodelled fields.
 */
import type { UnmodelledField } from './fields.js';
import type { JsonLocation } from './json-path.js';
import type { JsonValue } from './json-reader.js';

export type GuestKind = 'lxc' | 'vm';

export interface Located<T> {
  value: T;
  location: JsonLocation;
}

export interface LegacyNetwork {
  name?: string;
  bridge?: string;
  ip?: string;
  gw?: string;
  nameserver?: string;
  mac?: string;
}

export interface LegacyVolume {
  /** Proxmox storage ID the volume is allocated on. */
  storage: Located<string>;
  sizeGb?: number;
  mountPoint: string;
  location: JsonLocation;
}

export interface LegacyBindMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
  /** The container's uid/gid to own the host directory (owner_uid/owner_gid). */
  owner?: { uid: number; gid: number };
  location: JsonLocation;
}

export interface LegacyHealthCheck {
  command: string;
  retries?: number;
  interval?: number;
}

/** One script of a `tests` suite (tests/test_runner.sh): `path` is relative to bin/tests. */
export interface LegacyTest {
  suite: string;
  name: string;
  path: string;
  location: JsonLocation;
}

/** Snapshots taken around the features (lxc `enable_lifecycle_snapshots`, vm `snapshots{pre-features,post-features}`). */
export interface LegacyLifecycleSnapshots {
  beforeFeatures?: string;
  afterFeatures?: string;
  location: JsonLocation;
}

export interface LegacyGuest {
  kind: GuestKind;
  id: number;
  location: JsonLocation;
  name?: string;
  cores?: number;
  memoryMb?: number;
  swapMb?: number;
  diskGb?: number;
  /** The Proxmox storage ID of the root disk. */
  storagePool?: Located<string>;
  /** LXC: the OS template tarball; VM: the cloud image file of a template. */
  image?: Located<string>;
  isTemplate?: boolean;
  cloneFrom?: Located<number>;
  /** The snapshot taken after setup; clones of this guest are made from it. */
  snapshotName?: string;
  network?: LegacyNetwork;
  unprivileged?: boolean;
  containerFeatures: { nesting?: boolean; keyctl?: boolean; fuse?: boolean; mknod?: boolean; mount?: string[] };
  /** `lxc.apparmor.profile` as lxc-manager.sh left it (unset: Proxmox's generated profile). */
  apparmorProfile?: string;
  /** Raw `lxc.*` lines, already in "key: value" form. */
  lxcRaw: string[];
  gpus: number[];
  features: Located<string>[];
  applicationScript?: Located<string>;
  /** Config slices features read, by slice name (e.g. vllm_engine_config). */
  featureConfig: Record<string, JsonValue>;
  volumes: LegacyVolume[];
  bindMounts: LegacyBindMount[];
  /** Host paths the guest mounts over the network (VM NFS volumes): implicit edges to their datasets. */
  networkMounts: string[];
  firewall?: boolean;
  /** `firewall.rules`, in order (read-firewall.ts). */
  firewallRules?: LegacyFirewallRule[];
  healthChecks: LegacyHealthCheck[];
  tests: LegacyTest[];
  lifecycleSnapshots?: LegacyLifecycleSnapshots;
  onboot?: boolean;
  startup?: { order?: number; up?: number };
  dependencies: Located<number>[];
  cloudInitUser?: string;
  /** Secrets the guest config needs (root password...), by attribute: resolved to sensitive variables. */
  secrets: { attribute: 'password'; location: JsonLocation }[];
  unmodelled: UnmodelledField[];
}

export interface LegacyFirewallRule {
  type?: string;
  action?: string;
  source?: string;
  dest?: string;
  proto?: string;
  /** The destination port. */
  port?: string;
  comment?: string;
  location: JsonLocation;
}

export interface LegacyDataset {
  pool: string;
  name: string;
  properties: Record<string, string>;
  /** How Proxmox sees it: unset when the legacy setup does not register it (`storage_class` other than "direct"). */
  storage?: { id: string; type: string; content: string[] };
  /** A storage type given but not registered because of its `storage_class`: the ID guests may still name. */
  unregisteredStorage?: { id: string; storageClass: string };
  location: JsonLocation;
  unmodelled: UnmodelledField[];
}

export interface LegacyDefaults {
  nvidiaDriverVersion?: Located<string>;
  nvidiaRunfileUrl?: Located<string>;
  nvidiaRepoUrl?: Located<string>;
  nameserver?: Located<string>;
}

export interface LegacyEstate {
  guests: LegacyGuest[];
  datasets: LegacyDataset[];
  /** Undefined when there is no hypervisor file: then nothing of the host is converted. */
  host?: LegacyHost;
  defaults: LegacyDefaults;
  /** Top-level fields of the files that phoenix does not model (NFS, Samba, users...). */
  unmodelled: UnmodelledField[];
}

export interface LegacyPool {
  name: string;
  /** "mirror", "single" (one top-level vdev per disk), "raidz", "raidz1".."raidz3". */
  raidLevel: string;
  disks: string[];
  location: JsonLocation;
}

export interface LegacyNfsExport {
  path: string;
  clients: string[];
  options: string[];
  location: JsonLocation;
}

export interface LegacySambaShare {
  name: string;
  /** Dataset path without the leading slash, as the legacy file writes it (quickOS/shared-prod-data). */
  path: string;
  options: string;
  validUsers: string[];
  location: JsonLocation;
}

/** The hypervisor itself: pools, NFS exports (and the server the node reaches them on), Samba shares. */
export interface LegacyHost {
  pools: LegacyPool[];
  nfsExports: LegacyNfsExport[];
  nfsServer?: string;
  sambaUser?: string;
  sambaShares: LegacySambaShare[];
}
