/**
 * The `options` escape hatch of `vm`: qemu-server config keys phoenix has no attribute for, each checked
 * against qemu-server's schema (src/PVE/QemuServer.pm $confdesc, $confdesc_cloudinit, $vga_fmt...,
 * QemuServer/RNG.pm, QemuServer/Memory.pm) and classified as qemu-server's update path treats it:
 * $fast_plug_option keys are written at once, vmconfig_hotplug_pending hot-plugs a few more, and every
 * other key waits in [PENDING] until the VM restarts.
 */
import type { ChangeKind } from '../proxmox/diff-rules.js';
import { parsePropertyString } from '../proxmox/property-string.js';

/** The message Proxmox prints for a value (after `KEY: `), or undefined when it accepts it. */
type ValueCheck = (value: string) => string | undefined;

interface RawOption {
  check: ValueCheck;
  /** What Proxmox accepts, for the diagnostic. */
  accepts: string;
}

const boolean: RawOption = {
  check: (v) => (/^(0|1|yes|no|on|off|true|false)$/i.test(v) ? undefined : `type check ('boolean') failed - got '${v}'`),
  accepts: '0 or 1',
};

function integer(min?: number, max?: number): RawOption {
  return { check: (v) => (/^[+-]?\d+$/.test(v) ? range(Number(v), min, max) : `type check ('integer') failed - got '${v}'`), accepts: rangeText('a whole number', min, max) };
}

function number(min?: number, max?: number): RawOption {
  return {
    check: (v) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? range(Number(v), min, max) : `type check ('number') failed - got '${v}'`),
    accepts: rangeText('a number', min, max),
  };
}

function range(n: number, min?: number, max?: number): string | undefined {
  if (min !== undefined && n < min) return `value must have a minimum value of ${min}`;
  if (max !== undefined && n > max) return `value must have a maximum value of ${max}`;
  return undefined;
}

function rangeText(what: string, min?: number, max?: number): string {
  return min !== undefined && max !== undefined ? `${what} from ${min} to ${max}` : min !== undefined ? `${what} of at least ${min}` : what;
}

function oneOf(...values: string[]): RawOption {
  return { check: (v) => (values.includes(v) ? undefined : `value '${v}' does not have a value in the enumeration '${values.join(', ')}'`), accepts: values.join(', ') };
}

/** JSONSchema.pm anchors patterns: `^(?:PATTERN)$`. */
function pattern(re: RegExp, accepts: string): RawOption {
  const anchored = new RegExp(`^(?:${re.source})$`);
  return { check: (v) => (anchored.test(v) ? undefined : 'value does not match the regex pattern'), accepts };
}

const text: RawOption = { check: () => undefined, accepts: 'any text' };

/** A property string: every key known, each value valid (JSONSchema.pm parse_property_string). */
function propertyString(keys: Record<string, RawOption>, defaultKey?: string): RawOption {
  const accepts = `a property string with the keys ${Object.keys(keys).join(', ')}`;
  return {
    accepts,
    check: (v) => {
      for (const item of v.split(',')) {
        if (item === '') continue;
        if (!item.includes('=') && defaultKey === undefined) return 'invalid format - missing key in comma-separated list property';
      }
      for (const [key, value] of parsePropertyString(v, defaultKey)) {
        const spec = keys[key];
        if (!spec) return `${key}: property is not defined in schema and the schema does not allow additional properties`;
        const problem = spec.check(value);
        if (problem) return `${key}: ${problem}`;
      }
      return undefined;
    },
  };
}

const VOLUME_ID = pattern(/[a-z][a-z0-9\-_.]*[a-z0-9]:.+/, 'a volume ID such as "local:snippets/hook.pl"');
const HOTPLUG_FEATURES: RawOption = {
  accepts: '0, 1, or a list of network, disk, cpu, memory, usb, cloudinit',
  check: (v) => {
    if (v === '0' || v === '1') return undefined;
    const bad = v.split(/[,;\s]+/).filter(Boolean).find((f) => !/^(network|disk|cpu|memory|usb|cloudinit)$/.test(f));
    return bad === undefined ? undefined : `invalid format - invalid hotplug feature '${bad}'`;
  },
};

/** $confdesc keys without a `vm` attribute (internal keys such as lock, meta, digest, vmstate are not settable). */
export const RAW_OPTIONS: Record<string, RawOption> = {
  acpi: boolean,
  // pve_verify_cpuset over pve-common CpuSet.pm parse_cpuset.
  affinity: {
    check: (v) =>
      v.split(',').every((part) => {
        const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
        return m !== null && Number(m[2] ?? m[1]) >= Number(m[1]);
      })
        ? undefined
        : 'invalid format - unable to parse cpuset option',
    accepts: 'a CPU set such as "0-3,8"',
  },
  'allow-ksm': boolean,
  'amd-sev': propertyString({ type: oneOf('std', 'es', 'snp'), 'no-debug': boolean, 'no-key-sharing': boolean, 'allow-smt': boolean, 'kernel-hashes': boolean }, 'type'),
  arch: oneOf('x86_64', 'aarch64'),
  args: text,
  audio0: propertyString({ device: oneOf('ich9-intel-hda', 'intel-hda', 'AC97'), driver: oneOf('spice', 'none') }),
  autostart: boolean,
  cicustom: propertyString({ meta: VOLUME_ID, network: VOLUME_ID, user: VOLUME_ID, vendor: VOLUME_ID }),
  citype: oneOf('configdrive2', 'nocloud', 'opennebula'),
  ciupgrade: boolean,
  cpulimit: number(0, 128),
  cpuunits: integer(1, 262144),
  freeze: boolean,
  hookscript: VOLUME_ID,
  hotplug: HOTPLUG_FEATURES,
  hugepages: oneOf('any', '2', '1024'),
  ivshmem: propertyString({ size: integer(1), name: pattern(/[a-zA-Z0-9-]+/, 'letters, digits and "-"') }),
  keephugepages: boolean,
  keyboard: oneOf('de', 'de-ch', 'da', 'en-gb', 'en-us', 'es', 'fi', 'fr', 'fr-be', 'fr-ca', 'fr-ch', 'hu', 'is', 'it', 'ja', 'lt', 'mk', 'nl', 'no', 'pl', 'pt', 'pt-br', 'sv', 'sl', 'tr'),
  kvm: boolean,
  localtime: boolean,
  migrate_downtime: number(0),
  migrate_speed: integer(0),
  numa: boolean,
  ostype: oneOf('other', 'wxp', 'w2k', 'w2k3', 'w2k8', 'wvista', 'win7', 'win8', 'win10', 'win11', 'l24', 'l26', 'solaris'),
  ...Object.fromEntries([0, 1, 2].map((i) => [`parallel${i}`, pattern(/\/dev\/parport\d+|\/dev\/usb\/lp\d+/, '"/dev/parportN" or "/dev/usb/lpN"')])),
  protection: boolean,
  reboot: boolean,
  rng0: propertyString({ source: oneOf('/dev/urandom', '/dev/random', '/dev/hwrng'), max_bytes: integer(), period: integer() }, 'source'),
  smbios1: text,
  spice_enhancements: propertyString({ foldersharing: boolean, videostreaming: oneOf('off', 'all', 'filter') }),
  startdate: pattern(/(now|\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{1,2}:\d{1,2})?)/, '"now" or a date such as "2006-06-17T16:01:21"'),
  tablet: boolean,
  tdf: boolean,
  vcpus: integer(1),
  vmgenid: pattern(/(?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01])/, 'a UUID, or 1 to generate one'),
  vmstatestorage: pattern(/[a-z][a-z0-9\-_.]*[a-z0-9]/i, 'a storage ID'),
  watchdog: propertyString({ model: oneOf('i6300esb', 'ib700'), action: oneOf('reset', 'shutdown', 'poweroff', 'pause', 'debug', 'none') }, 'model'),
};

/** Config keys a `vm` attribute owns: set them there, not in `options`. */
export function attributeForKey(key: string): string | undefined {
  const byPattern: [RegExp, string][] = [
    [/^(name|cores|sockets|memory|machine|scsihw|agent|onboot|startup|template|tags|description|bios|boot|vga|balloon|shares)$/, key],
    [/^cpu$/, 'cpu (and cpu_flags)'],
    [/^net\d+$/, 'network'],
    [/^hostpci\d+$/, 'hostpci'],
    [/^(ide|sata|scsi|virtio)\d+$/, 'disks (or cdrom)'],
    [/^efidisk0$/, 'efidisk'],
    [/^tpmstate0$/, 'tpmstate'],
    [/^serial\d+$/, 'serial'],
    [/^usb\d+$/, 'usb'],
    [/^(ciuser|cipassword|sshkeys|nameserver|searchdomain|ipconfig\d+)$/, 'cloud_init'],
  ];
  return byPattern.find(([re]) => re.test(key))?.[1];
}

/** The problem with one `options` entry, as a diagnostic summary and detail, or undefined when valid. */
export function rawOptionProblem(key: string, value: string): { summary: string; detail: string } | undefined {
  const attribute = attributeForKey(key);
  if (attribute !== undefined) return { summary: `"${key}" has its own attribute`, detail: `Set it with the \`${attribute}\` attribute of the vm, not in \`options\`.` };
  const spec = RAW_OPTIONS[key];
  if (!spec) {
    return {
      summary: `Unknown VM option "${key}"`,
      detail: `Proxmox rejects it: ${key}: property is not defined in schema and the schema does not allow additional properties (qemu-server QemuServer.pm $confdesc). Options phoenix passes through: ${Object.keys(RAW_OPTIONS).join(', ')}.`,
    };
  }
  const problem = spec.check(value);
  if (problem === undefined) return undefined;
  const accepts = problem.includes('enumeration') ? '' : ` It accepts ${spec.accepts}.`;
  return { summary: `Invalid value for options.${key}`, detail: `Proxmox rejects "${value}": ${key}: ${problem}.${accepts}` };
}

/** QemuServer.pm $fast_plug_option (and the cloud-init keys): written to the config at once. */
const FAST_PLUG = new Set(['hookscript', 'migrate_downtime', 'migrate_speed', 'protection', 'vmstatestorage', 'cicustom', 'citype', 'ciupgrade']);

/** parse_hotplug_features: `1` (the default) is network,disk,usb. */
export function hotplugFeatures(value: string | undefined): Set<string> {
  if (value === undefined || value === '1') return new Set(['network', 'disk', 'usb']);
  return value === '0' ? new Set() : new Set(value.split(/[,;\s]+/));
}

/**
 * How one option's change reaches a running VM (vmconfig_hotplug_pending): fast-plug keys and the
 * hot-pluggable ones (cpuunits, cpulimit, tablet with usb hotplug, vcpus with cpu hotplug, hotplug
 * itself unless memory or cpu hotplug is involved) in place; every other key at the next start.
 */
export function rawOptionChange(key: string, before: Record<string, string>, after: Record<string, string>): ChangeKind {
  if (FAST_PLUG.has(key) || key === 'cpuunits' || key === 'cpulimit') return 'in-place';
  const features = hotplugFeatures(before.hotplug);
  if (key === 'tablet') return features.has('usb') ? 'in-place' : 'restart';
  if (key === 'vcpus') return features.has('cpu') ? 'in-place' : 'restart';
  if (key === 'hotplug') return /memory|cpu/.test(`${before.hotplug ?? ''} ${after.hotplug ?? ''}`) ? 'restart' : 'in-place';
  return 'restart';
}

/** Canonical form of a value, as qemu-server stores it: booleans as 0/1 (JSONSchema.pm check_type), numbers without sign or padding. */
export function canonicalRawValue(key: string, value: string): string {
  const spec = RAW_OPTIONS[key];
  if (spec === boolean) return /^(1|yes|on|true)$/i.test(value) ? '1' : /^(0|no|off|false)$/i.test(value) ? '0' : value;
  if (/^[+]?\d+$/.test(value) && spec && spec.check(value) === undefined && spec.accepts.startsWith('a whole number')) return String(Number(value));
  return value;
}
