/**
 * qemu-server config keys beyond the ones the simulator gives their own handling, with the formats
 * QemuServer.pm $confdesc declares (and QemuServer/RNG.pm, $watchdog_fmt, $ivshmem_fmt, $audio_fmt,
 * $spice_enhancements_fmt, CPUConfig.pm $sev_fmt, parse_hotplug_features, PVE::Tools kvmkeymaplist).
 */
import { numbered, type ParamSpec } from '../core/schema.js';

const bool: ParamSpec = { type: 'boolean' };
const volumeId: ParamSpec = { type: 'string', check: (v) => (/^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$/i.test(v) ? undefined : `unable to parse volume ID '${v}'`) };

export const RAW_CONFIG_OPTIONS: Record<string, ParamSpec> = {
  // QemuServer.pm pve_verify_cpuset over pve-common CpuSet.pm parse_cpuset.
  affinity: {
    type: 'string',
    check: (v) => (v.split(',').every((part) => { const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part); return m && Number(m[2] ?? m[1]) >= Number(m[1]); }) ? undefined : 'unable to parse cpuset option'),
  },
  'allow-ksm': bool,
  'amd-sev': {
    type: 'string',
    format: { defaultKey: 'type', keys: { type: { type: 'string', enum: ['std', 'es', 'snp'] }, 'no-debug': bool, 'no-key-sharing': bool, 'allow-smt': bool, 'kernel-hashes': bool } },
  },
  arch: { type: 'string', enum: ['x86_64', 'aarch64'] },
  audio0: { type: 'string', format: { keys: { device: { type: 'string', enum: ['ich9-intel-hda', 'intel-hda', 'AC97'], required: true }, driver: { type: 'string', enum: ['spice', 'none'] } } } },
  cicustom: { type: 'string', format: { keys: { meta: volumeId, network: volumeId, user: volumeId, vendor: volumeId } } },
  freeze: bool,
  hookscript: volumeId,
  hotplug: {
    type: 'string',
    check: (v) => {
      if (v === '0' || v === '1') return undefined;
      const bad = v.split(/[,;\s]+/).filter(Boolean).find((f) => !/^(network|disk|cpu|memory|usb|cloudinit)$/.test(f));
      return bad === undefined ? undefined : `invalid hotplug feature '${bad}'`;
    },
  },
  hugepages: { type: 'string', enum: ['any', '2', '1024'] },
  ivshmem: { type: 'string', format: { keys: { size: { type: 'integer', min: 1, required: true }, name: { type: 'string', pattern: /^[a-zA-Z0-9-]+$/ } } } },
  keephugepages: bool,
  keyboard: { type: 'string', enum: ['de', 'de-ch', 'da', 'en-gb', 'en-us', 'es', 'fi', 'fr', 'fr-be', 'fr-ca', 'fr-ch', 'hu', 'is', 'it', 'ja', 'lt', 'mk', 'nl', 'no', 'pl', 'pt', 'pt-br', 'sv', 'sl', 'tr'] },
  migrate_downtime: { type: 'number', min: 0 },
  migrate_speed: { type: 'integer', min: 0 },
  ...numbered('parallel', 3, { type: 'string', pattern: /^(?:\/dev\/parport\d+|\/dev\/usb\/lp\d+)$/ }),
  reboot: bool,
  rng0: {
    type: 'string',
    format: { defaultKey: 'source', keys: { source: { type: 'string', enum: ['/dev/urandom', '/dev/random', '/dev/hwrng'], required: true }, max_bytes: { type: 'integer' }, period: { type: 'integer' } } },
  },
  spice_enhancements: { type: 'string', format: { keys: { foldersharing: bool, videostreaming: { type: 'string', enum: ['off', 'all', 'filter'] } } } },
  startdate: { type: 'string', pattern: /^(?:now|\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{1,2}:\d{1,2})?)$/ },
  tdf: bool,
  vmgenid: { type: 'string', pattern: /^(?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01])$/ },
  vmstatestorage: { type: 'string', pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i },
  watchdog: {
    type: 'string',
    format: { defaultKey: 'model', keys: { model: { type: 'string', enum: ['i6300esb', 'ib700'] }, action: { type: 'string', enum: ['reset', 'shutdown', 'poweroff', 'pause', 'debug', 'none'] } } },
  },
};
