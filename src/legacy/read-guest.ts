/**
 * Fields LXC and VM entries share: identity, sizing, boot, network, features, dependencies, firewall and
 * health checks. Kind-specific fields are read by read-lxc.ts and read-vm.ts.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { legacyDiagnostic } from './json-path.js';
import { readFirewall } from './read-firewall.js';
import { LegacyFields } from './fields.js';
import { BRIDGE_ID, LXC_IFACE_NAME, SNAPSHOT_NAME, STORAGE_ID, type Format } from '../resources/proxmox/formats.js';
import { isIP } from 'node:net';
import type { GuestKind, LegacyGuest, LegacyHealthCheck, LegacyNetwork, LegacyTest, Located } from './model.js';

export function emptyGuest(kind: GuestKind, id: number, fields: LegacyFields): LegacyGuest {
  return {
    kind,
    id,
    location: fields.location,
    containerFeatures: {},
    lxcRaw: [],
    gpus: [],
    features: [],
    featureConfig: {},
    volumes: [],
    bindMounts: [],
    networkMounts: [],
    healthChecks: [],
    tests: [],
    dependencies: [],
    secrets: [],
    unmodelled: [],
  };
}

/** A guest id from an entry key or field; ids are written as numbers and as strings. */
export function parseGuestId(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function readCommon(guest: LegacyGuest, f: LegacyFields, diagnostics: Diagnostic[]): void {
  guest.name = f.string('name');
  guest.cores = f.number('cores');
  guest.memoryMb = f.number('memory_mb');
  guest.onboot = f.bool('start_at_boot');
  const order = f.number('boot_order');
  const up = f.number('boot_delay');
  if (order !== undefined || up !== undefined) guest.startup = { order, up };
  guest.snapshotName = f.formatted('template_snapshot_name', SNAPSHOT_NAME);
  const storage = f.formatted('storage_pool', STORAGE_ID);
  if (storage !== undefined) guest.storagePool = { value: storage, location: f.at('storage_pool') };
  guest.features = f.strings('features').map(({ value, index }) => ({ value, location: f.at('features', index) }));
  const script = f.string('application_script');
  if (script !== undefined) guest.applicationScript = { value: script, location: f.at('application_script') };
  guest.dependencies = readDependencies(f, diagnostics);
  readFirewall(guest, f, diagnostics);
  guest.healthChecks = readHealthChecks(f);
  guest.tests = readTests(f, diagnostics);
  for (const slice of ['vllm_engine_config'] as const) {
    const config = f.raw(slice);
    if (config !== undefined) guest.featureConfig[slice] = config;
  }
}

function readDependencies(f: LegacyFields, diagnostics: Diagnostic[]): Located<number>[] {
  const result: Located<number>[] = [];
  for (const { value, index } of f.strings('dependencies')) {
    const id = parseGuestId(value);
    if (id === undefined) diagnostics.push(legacyDiagnostic('warning', f.at('dependencies', index), `Invalid guest id "${value}" in dependencies`, 'It was ignored.'));
    else result.push({ value: id, location: f.at('dependencies', index) });
  }
  return result;
}

/** `health_check{command,retries,interval}`; one without a command cannot run and stays unmodelled. */
function readHealthChecks(f: LegacyFields): LegacyHealthCheck[] {
  const raw = f.json['health_check'];
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw) || typeof raw.command !== 'string') return [];
  const check = f.object('health_check')!;
  const command = check.string('command')!;
  return [{ command, retries: check.number('retries'), interval: check.number('interval') }];
}

/**
 * `tests{SUITE: [{name, type: "script", path}]}`: tests/test_runner.sh pushes each script into the guest
 * and runs it there. Other types the runner refused ("not supported by this runner") stay comments.
 */
function readTests(f: LegacyFields, diagnostics: Diagnostic[]): LegacyTest[] {
  const suites = f.object('tests');
  if (!suites) return [];
  const tests: LegacyTest[] = [];
  for (const suite of Object.keys(suites.json)) {
    const list = suites.array(suite);
    if (!list) continue;
    list.forEach((item, index) => {
      const test = LegacyFields.of(item, suites.at(suite, index), diagnostics);
      const path = test.string('path');
      const type = test.string('type') ?? 'script';
      if (path === undefined || type !== 'script') {
        diagnostics.push(legacyDiagnostic('warning', test.location, `Test not converted`, path === undefined ? 'It has no "path".' : `Type "${type}": the legacy test runner only ran scripts.`));
        return;
      }
      tests.push({ suite, name: test.string('name') ?? path, path, location: test.at('path') });
    });
  }
  return tests;
}

export function readNetwork(network: LegacyFields | undefined): LegacyNetwork | undefined {
  if (!network) return undefined;
  const nameservers = network.raw('nameservers') ?? network.raw('nameserver');
  const nameserver = Array.isArray(nameservers) ? nameservers.filter((n) => typeof n === 'string').join(' ') : typeof nameservers === 'string' ? nameservers.replace(/,/g, ' ') : undefined;
  return {
    name: network.formatted('name', LXC_IFACE_NAME),
    bridge: network.formatted('bridge', BRIDGE_ID),
    ip: network.formatted('ip', GUEST_IP),
    gw: network.formatted('gw', GATEWAY),
    ...(nameserver ? { nameserver } : {}),
  };
}

/** pve-container/qemu-server net ip: "dhcp", "manual" or an address with its prefix length. */
const GUEST_IP: Pick<Format, 'problem' | 'accepts'> = {
  accepts: '"dhcp", "manual" or an address with its prefix length such as "10.0.0.5/24"',
  problem: (v) => {
    if (v === 'dhcp' || v === 'manual') return undefined;
    const [address, prefix, ...rest] = v.split('/');
    const family = isIP(address ?? '');
    const max = family === 4 ? 32 : 128;
    return family !== 0 && rest.length === 0 && prefix !== undefined && /^\d+$/.test(prefix) && Number(prefix) <= max ? undefined : 'not an address with its prefix length';
  },
};

const GATEWAY: Pick<Format, 'problem' | 'accepts'> = { accepts: 'an IP address', problem: (v) => (isIP(v) === 0 ? 'not an IP address' : undefined) };
