/** pct option schemas (pve-container src/PVE/LXC/Config.pm $confdesc), the subset the simulator knows. */
import {
  listOf, verifyDnsName, verifyIpv4, verifyIpv4Config, verifyIpv6, verifyIpv6Config, verifyLxcDevString, verifyLxcMpString, verifyNameserverList,
} from '../core/formats.js';
import { numbered, type ParamSpec, type PropFormat } from '../core/schema.js';
import { DNS_NAME, MAC, STARTUP, TAGS } from '../guest/normalize.js';

const bool: ParamSpec = { type: 'boolean' };
const str: ParamSpec = { type: 'string' };
const int = (min?: number, max?: number): ParamSpec => ({ type: 'integer', min, max });

/** LXC/Config.pm $netconf_desc. */
export const NET_FORMAT: PropFormat = {
  keys: {
    name: { type: 'string', required: true, pattern: /^[-_.\w\d]+$/ },
    bridge: { type: 'string', pattern: /^[-_.\w\d]+$/ },
    firewall: bool,
    gw: { type: 'string', check: verifyIpv4 },
    gw6: { type: 'string', check: verifyIpv6 },
    hwaddr: MAC,
    ip: { type: 'string', check: verifyIpv4Config },
    ip6: { type: 'string', check: verifyIpv6Config },
    link_down: bool,
    mtu: int(64, 65535),
    rate: { type: 'number' },
    tag: int(1, 4094),
    trunks: { type: 'string', pattern: /^\d+(?:;\d+)*$/ },
    'host-managed': bool,
    type: { type: 'string', enum: ['veth'] },
  },
};

/** LXC/Config.pm $valid_mount_option_re; `pattern` values are anchored by PVE::JSONSchema check_type. */
const MOUNT_OPTION = '(?:discard|lazytime|noatime|nodev|noexec|nosuid)';

/** LXC/Config.pm $rootfs_desc: the volume is a pve-lxc-mp-string. */
const DISK_KEYS: Record<string, ParamSpec> = {
  volume: { type: 'string', required: true, check: verifyLxcMpString },
  size: { type: 'string', pattern: /^\d+(\.\d+)?[KMGT]?$/ },
  acl: bool,
  mountoptions: { type: 'string', pattern: new RegExp(`^${MOUNT_OPTION}(?:;${MOUNT_OPTION})*$`) },
  idmap: { type: 'string', pattern: /^(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)$/ },
  quota: bool,
  replicate: bool,
  ro: bool,
  shared: bool,
};

export const ROOTFS_FORMAT: PropFormat = { defaultKey: 'volume', keys: DISK_KEYS };
export const MP_FORMAT: PropFormat = {
  defaultKey: 'volume',
  keys: { ...DISK_KEYS, mp: { type: 'string', required: true, check: verifyLxcMpString }, backup: bool },
};

/** LXC/Config.pm $features_desc (mount: pattern [a-zA-Z0-9_; ]+). */
export const FEATURES_FORMAT: PropFormat = {
  keys: { nesting: bool, keyctl: bool, fuse: bool, mount: { type: 'string', pattern: /^[a-zA-Z0-9_; ]+$/ }, mknod: bool, force_rw_sys: bool },
};

/** LXC/Config.pm $dev_desc: path (default key, format pve-lxc-dev-string), mode, uid, gid, deny-write. */
export const DEV_FORMAT: PropFormat = {
  defaultKey: 'path',
  keys: {
    path: { type: 'string', check: verifyLxcDevString },
    mode: { type: 'string', pattern: /^0[0-7]{3}$/ },
    uid: int(0),
    gid: int(0),
    'deny-write': bool,
  },
};

/** Options `pct create` and `pct set` share. */
export const CONFIG_OPTIONS: Record<string, ParamSpec> = {
  arch: { type: 'string', enum: ['amd64', 'i386', 'arm64', 'armhf', 'riscv32', 'riscv64'] },
  cmode: { type: 'string', enum: ['shell', 'console', 'tty'] },
  console: bool,
  cores: int(1, 8192),
  cpulimit: { type: 'number', min: 0, max: 8192 },
  cpuunits: int(0, 500000),
  debug: bool,
  description: { type: 'string', maxLength: 8192 },
  ...numbered('dev', 256, { type: 'string', format: DEV_FORMAT }),
  entrypoint: str,
  env: str,
  features: { type: 'string', format: FEATURES_FORMAT },
  hookscript: str,
  hostname: DNS_NAME,
  lock: {
    type: 'string',
    enum: ['backup', 'create', 'destroyed', 'disk', 'fstrim', 'migrate', 'mounted', 'rollback', 'snapshot', 'snapshot-delete'],
  },
  memory: int(16),
  ...numbered('mp', 256, { type: 'string', format: MP_FORMAT }),
  // LXC/Config.pm: format lxc-ip-with-ll-iface-list (LXC.pm verify_nameserver_list).
  nameserver: { type: 'string', check: verifyNameserverList },
  ...numbered('net', 32, { type: 'string', format: NET_FORMAT }),
  onboot: bool,
  ostype: {
    type: 'string',
    enum: ['debian', 'devuan', 'ubuntu', 'centos', 'fedora', 'opensuse', 'archlinux', 'alpine', 'gentoo', 'nixos', 'unmanaged'],
  },
  protection: bool,
  rootfs: { type: 'string', format: ROOTFS_FORMAT },
  searchdomain: { type: 'string', check: listOf(verifyDnsName) },
  startup: STARTUP,
  swap: int(0),
  tags: TAGS,
  template: bool,
  timezone: str,
  tty: int(0, 6),
  unprivileged: bool,
  ...numbered('unused', 256, str),
};

/** pct.pm param_mapping: `password` is read interactively when given without a value. */
export const CREATE_ONLY_OPTIONS: Record<string, ParamSpec> = {
  password: { type: 'string', optionalValue: true },
  'ssh-public-keys': str,
  storage: { type: 'string', pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i },
  pool: str,
  start: bool,
  force: bool,
  unique: bool,
  restore: bool,
  'ignore-unpack-errors': bool,
  bwlimit: { type: 'number', min: 0 },
};

/** Options applied to a running CT's config at once (LXC_FASTPLUG_OPTIONS). */
export const FASTPLUG = new Set(['description', 'onboot', 'startup', 'protection', 'hostname', 'hookscript', 'cores', 'tags', 'lock']);
/** Options hot-plugged into a running CT. */
export const HOTPLUG = (key: string) => ['memory', 'swap', 'cpulimit', 'cpuunits'].includes(key) || /^net\d+$/.test(key);
export const REQUIRED = new Set(['memory', 'rootfs', 'ostype']);
export const READ_ONLY = new Set(['unprivileged']);

export const isDiskKey = (key: string) => key === 'rootfs' || /^mp\d+$/.test(key);
