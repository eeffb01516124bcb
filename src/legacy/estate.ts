/**
 * Reading the whole legacy estate from whichever of the three files exist: each file is optional (a
 * missing one is a warning), none at all is an error. Shared volumes from the hypervisor file are
 * attached to their guests here; NVIDIA defaults come from the LXC file, else the hypervisor file.
 */
import { error, warning, type Diagnostic } from '../config/diagnostics.js';
import type { UnmodelledField } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import { readLegacyJson, type JsonValue } from './json-reader.js';
import type { LegacyDefaults, LegacyEstate, LegacyGuest } from './model.js';
import { HYPERVISOR_FILE, readHypervisorFile, type SharedMount } from './read-hypervisor.js';
import { LXC_FILE, readLxcFile } from './read-lxc.js';
import { VM_FILE, readVmFile } from './read-vm.js';

export const LEGACY_FILES = [LXC_FILE, VM_FILE, HYPERVISOR_FILE] as const;

/** File contents by name; a missing file is absent. */
export type LegacySources = Partial<Record<(typeof LEGACY_FILES)[number], string>>;

export interface ReadEstateResult {
  estate: LegacyEstate;
  /** Where bind mounts under dataset paths start (hypervisor `mount_point_base`, e.g. /mnt/pve). */
  mountPointBase?: string;
  diagnostics: Diagnostic[];
}

export function readLegacyEstate(sources: LegacySources): ReadEstateResult {
  const diagnostics: Diagnostic[] = [];
  const parse = (file: (typeof LEGACY_FILES)[number]): JsonValue | undefined => {
    const text = sources[file];
    if (text === undefined) {
      diagnostics.push(warning(`${file} not found`, missingFileDetail(file)));
      return undefined;
    }
    const parsed = readLegacyJson(text, file);
    diagnostics.push(...parsed.diagnostics);
    return parsed.value;
  };
  const estate: LegacyEstate = { guests: [], datasets: [], defaults: {}, unmodelled: [] };
  if (LEGACY_FILES.every((f) => sources[f] === undefined)) {
    diagnostics.push(error('No legacy configuration found', `Expected at least one of ${LEGACY_FILES.join(', ')}.`));
    return { estate, diagnostics };
  }

  const lxcDocument = parse(LXC_FILE);
  let lxcDefaults: LegacyDefaults = {};
  if (lxcDocument !== undefined) {
    const lxc = readLxcFile(lxcDocument, diagnostics);
    estate.guests.push(...lxc.guests);
    lxcDefaults = lxc.defaults;
    estate.unmodelled.push(...lxc.top.reportUnmodelled('the node'));
  }
  const vmDocument = parse(VM_FILE);
  if (vmDocument !== undefined) {
    const vm = readVmFile(vmDocument, diagnostics);
    estate.guests.push(...vm.guests);
    estate.unmodelled.push(...prefixed('vm_defaults', vm.unmodelledDefaults), ...vm.top.reportUnmodelled('the node'));
  }
  const hypervisorDocument = parse(HYPERVISOR_FILE);
  let mountPointBase: string | undefined;
  if (hypervisorDocument !== undefined) {
    const hypervisor = readHypervisorFile(hypervisorDocument, diagnostics);
    estate.datasets = hypervisor.datasets;
    estate.host = hypervisor.host;
    estate.defaults = mergeDefaults(lxcDefaults, hypervisor.defaults, diagnostics);
    attachSharedMounts(estate.guests, hypervisor.sharedMounts, diagnostics);
    mountPointBase = hypervisor.mountPointBase;
    estate.unmodelled.push(...hypervisor.unmodelled);
  } else {
    estate.defaults = lxcDefaults;
  }
  reportDuplicateIds(estate.guests, diagnostics);
  return { estate, mountPointBase, diagnostics };
}

function missingFileDetail(file: string): string {
  if (file === LXC_FILE) return 'No containers were converted.';
  if (file === VM_FILE) return 'No VMs were converted.';
  return 'No datasets or storages were converted; storage_pool values stay plain storage IDs.';
}

function prefixed(prefix: string, fields: UnmodelledField[]): UnmodelledField[] {
  return fields.map((f) => ({ ...f, key: `${prefix}.${f.key}` }));
}

function mergeDefaults(lxc: LegacyDefaults, hypervisor: LegacyDefaults, diagnostics: Diagnostic[]): LegacyDefaults {
  const merged: LegacyDefaults = { ...hypervisor, ...Object.fromEntries(Object.entries(lxc).filter(([, v]) => v !== undefined)) };
  for (const key of ['nvidiaDriverVersion', 'nvidiaRunfileUrl'] as const) {
    const a = lxc[key];
    const b = hypervisor[key];
    if (a && b && a.value !== b.value) {
      diagnostics.push(
        legacyDiagnostic('warning', b.location, 'Conflicting NVIDIA settings', `The containers use ${JSON.stringify(a.value)} (${LXC_FILE}); the hypervisor value ${JSON.stringify(b.value)} was not used.`),
      );
    }
  }
  return merged;
}

function attachSharedMounts(guests: LegacyGuest[], mounts: SharedMount[], diagnostics: Diagnostic[]): void {
  const containers = new Map(guests.filter((g) => g.kind === 'lxc').map((g) => [g.id, g]));
  for (const mount of mounts) {
    const guest = containers.get(mount.guestId);
    if (!guest) {
      diagnostics.push(legacyDiagnostic('warning', mount.location, `Shared volume for container ${mount.guestId}, which does not exist`, `No container ${mount.guestId} is declared; the mount of ${mount.hostPath} was not converted.`));
      continue;
    }
    if (guest.bindMounts.some((b) => b.containerPath === mount.containerPath)) continue;
    guest.bindMounts.push(mount);
  }
}

function reportDuplicateIds(guests: LegacyGuest[], diagnostics: Diagnostic[]): void {
  const seen = new Map<number, LegacyGuest>();
  for (const guest of [...guests]) {
    const first = seen.get(guest.id);
    if (!first) {
      seen.set(guest.id, guest);
      continue;
    }
    diagnostics.push(
      legacyDiagnostic('error', guest.location, `Guest id ${guest.id} is used twice`, `Also declared as a ${first.kind === 'lxc' ? 'container' : 'VM'} in ${first.location.file}. Proxmox ids are unique per cluster.`),
    );
    guests.splice(guests.indexOf(guest), 1);
  }
}
