/**
 * Feature resources (one per guest and legacy feature, plus the guest's application script) and the
 * snapshot a guest is cloned from. A clone inherits its source's features through the snapshot, so a
 * feature the source chain already installed with the same inputs is not declared again.
 */
import { legacyDiagnostic } from '../json-path.js';
import type { ScriptRequest } from '../scripts.js';
import { guestLabel, scriptExpression } from './scripts.js';
import type { JsonValue } from '../json-reader.js';
import { attr, block, call, comment, raw, template, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest, Located } from '../model.js';
import { sanitiseName } from '../names.js';
import type { EmitContext } from './context.js';

/** Features that need another one first (informational `requires`; vllm runs on the NVIDIA userland). */
const REQUIRES: Record<string, string[]> = { vllm: ['nvidia'], ollama: ['nvidia'] };

export const APPLICATION_FEATURE = 'application';

export const NVIDIA_DRIVER_DESCRIPTION = 'NVIDIA driver version installed in GPU containers (nvidia feature).';

/** `var.nvidia_driver_version` when the legacy files set a driver version. */
export function nvidiaDriverVersion(ctx: EmitContext): HclExpr | undefined {
  const version = ctx.estate.defaults.nvidiaDriverVersion;
  return version ? ctx.declare({ name: 'nvidia_driver_version', type: 'string', default: version.value, description: NVIDIA_DRIVER_DESCRIPTION }) : undefined;
}

interface PlannedFeature {
  name: string;
  location: Located<string>['location'];
  inputs: Record<string, HclExpr>;
  /** Identity of the inputs, to compare with what the clone source installed. */
  inputsKey: string;
  script: ScriptRequest;
}

/** What a guest's features read: the NVIDIA defaults, its vllm engine config. */
function inputsFor(ctx: EmitContext, guest: LegacyGuest, feature: string): { inputs: Record<string, HclExpr>; key: Record<string, JsonValue> } {
  const inputs: Record<string, HclExpr> = {};
  const key: Record<string, JsonValue> = {};
  if (feature === 'nvidia') {
    const d = ctx.estate.defaults;
    const add = (input: string, variable: string, value: Located<string> | undefined, description: string) => {
      if (!value) return;
      inputs[input] = ctx.declare({ name: variable, type: 'string', default: value.value, description });
      key[input] = value.value;
    };
    add('driver_version', 'nvidia_driver_version', d.nvidiaDriverVersion, NVIDIA_DRIVER_DESCRIPTION);
    add('runfile_url', 'nvidia_runfile_url', d.nvidiaRunfileUrl, 'Download URL of the NVIDIA driver runfile (nvidia feature).');
    add('repo_url', 'nvidia_repo_url', d.nvidiaRepoUrl, 'CUDA package repository (nvidia feature).');
  }
  const engine = guest.featureConfig['vllm_engine_config'];
  if ((feature === 'vllm' || feature === APPLICATION_FEATURE) && engine !== undefined) {
    inputs['engine_config'] = call('jsonencode', raw(`local.${engineConfigLocal(ctx, guest)}`));
    key['engine_config'] = engine;
  }
  return { inputs, key };
}

/** The local holding a guest's vllm engine config: both the vllm feature and the application read it. */
function engineConfigLocal(ctx: EmitContext, guest: LegacyGuest): string {
  return `${ctx.guestNames.get(guest)}_vllm_engine_config`;
}

function jsonToHcl(value: JsonValue): HclExpr {
  if (Array.isArray(value)) return value.map(jsonToHcl);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonToHcl(v)]));
  return value;
}

function plannedFeatures(ctx: EmitContext, guest: LegacyGuest): PlannedFeature[] {
  const list: PlannedFeature[] = guest.features.map((f) => {
    const { inputs, key } = inputsFor(ctx, guest, f.value);
    const script: ScriptRequest = guest.kind === 'vm' ? { kind: 'vm-feature', name: f.value } : { kind: 'lxc-feature', name: f.value };
    return { name: f.value, location: f.location, inputs, inputsKey: JSON.stringify(key), script };
  });
  if (guest.applicationScript) {
    const { inputs, key } = inputsFor(ctx, guest, APPLICATION_FEATURE);
    list.push({
      name: APPLICATION_FEATURE,
      location: guest.applicationScript.location,
      inputs,
      inputsKey: JSON.stringify({ ...key, script: guest.applicationScript.value }),
      script: { kind: 'application', file: guest.applicationScript.value },
    });
  }
  return list;
}

/** Features present in a guest after setup, with their inputs: inherited ones plus its own. */
function installedFeatures(ctx: EmitContext, guest: LegacyGuest, seen = new Set<LegacyGuest>()): Map<string, string> {
  if (seen.has(guest)) return new Map(); // a clone cycle, already an error
  seen.add(guest);
  const source = ctx.graph.cloneSource.get(guest);
  const installed = source ? installedFeatures(ctx, source, seen) : new Map<string, string>();
  for (const feature of plannedFeatures(ctx, guest)) installed.set(feature.name, feature.inputsKey);
  return installed;
}

/** `before`: the snapshot taken before the features run (lifecycle.ts); the first ones wait for it. */
export function featureResources(ctx: EmitContext, guest: LegacyGuest, before?: string): HclItem[] {
  const source = ctx.graph.cloneSource.get(guest);
  const inherited = source ? installedFeatures(ctx, source) : new Map<string, string>();
  const guestName = ctx.guestNames.get(guest)!;
  const items: HclItem[] = [];
  const addresses: string[] = [];
  const usedSlices = new Set<string>();
  let needsEngineLocal = false;
  for (const feature of plannedFeatures(ctx, guest)) {
    for (const key of Object.keys(feature.inputs)) if (key === 'engine_config') usedSlices.add('vllm_engine_config');
    if (inherited.get(feature.name) === feature.inputsKey) continue;
    if ('engine_config' in feature.inputs) needsEngineLocal = true;
    const name = ctx.allocate('feature', `${guestName}_${feature.name}`, 'feature', guest.id);
    const body: HclItem[] = [attr('guest', raw(`${ctx.guestAddress(guest)}.vmid`))];
    if (guest.kind === 'vm') body.push(attr('guest_type', 'vm'));
    const what = feature.name === APPLICATION_FEATURE ? `application script of ${guestLabel(guest)}` : `script of feature "${feature.name}" of ${guestLabel(guest)}`;
    body.push(attr('name', feature.name), attr('script', scriptExpression(ctx, feature.script, what, feature.location)));
    if (Object.keys(feature.inputs).length > 0) body.push(attr('inputs', feature.inputs));
    const requires = feature.name === APPLICATION_FEATURE ? guest.features.map((f) => f.value) : (REQUIRES[feature.name] ?? []);
    if (requires.length > 0) body.push(attr('requires', requires));
    // The legacy tool installs features in list order, the application script last.
    const chained = feature.name === APPLICATION_FEATURE ? addresses : addresses.slice(-1);
    const previous = chained.length > 0 ? chained : before !== undefined ? [before] : [];
    if (previous.length > 0) body.push(attr('depends_on', previous.map(raw)));
    items.push(block('resource', ['feature', name], body));
    addresses.push(`feature.${name}`);
  }
  // What comes after the guest's setup (its snapshot, its clones) waits for the last step of it.
  ctx.featureAddresses.set(guest, addresses.length === 0 && before !== undefined ? [before] : addresses);
  reportUnusedSlices(ctx, guest, usedSlices);
  if (needsEngineLocal) items.unshift(block('locals', [], [attr(engineConfigLocal(ctx, guest), jsonToHcl(guest.featureConfig['vllm_engine_config']!))]));
  return items;
}

/** A config slice no converted feature reads would otherwise vanish: keep it visible. */
function reportUnusedSlices(ctx: EmitContext, guest: LegacyGuest, used: Set<string>): void {
  for (const [slice, value] of Object.entries(guest.featureConfig)) {
    if (used.has(slice)) continue;
    const location = { file: guest.location.file, path: [...guest.location.path, slice] };
    guest.unmodelled.push({ key: slice, value, location });
    ctx.diagnostics.push(legacyDiagnostic('warning', location, `"${slice}" is read by no converted feature`, 'Kept as a comment next to the guest.'));
  }
}

/**
 * Whether the guest's legacy snapshot can exist on Proxmox: a container with a bind mount cannot be
 * snapshotted ("snapshot feature is not available", pve-guest-common AbstractConfig.pm __snapshot_prepare).
 */
export function takesSnapshot(guest: LegacyGuest): boolean {
  return guest.snapshotName !== undefined && !(guest.kind === 'lxc' && guest.bindMounts.length > 0);
}

/** The snapshot clones are made from, taken once the guest's own features are installed. */
export function snapshotResource(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  if (!guest.snapshotName) return [];
  if (!takesSnapshot(guest)) {
    const why = `Proxmox cannot snapshot a container with a bind mount ("snapshot feature is not available")`;
    ctx.diagnostics.push(legacyDiagnostic('warning', guest.location, `Snapshot "${guest.snapshotName}" of ${guest.id} not converted`, `${why}.`));
    return [comment(`Snapshot "${guest.snapshotName}" not converted: ${why}.`)];
  }
  const body: HclItem[] = [attr('guest', raw(`${ctx.guestAddress(guest)}.vmid`))];
  if (guest.kind === 'vm') body.push(attr('guest_type', 'vm'));
  body.push(attr('name', guest.snapshotName));
  const features = ctx.featureAddresses.get(guest) ?? [];
  if (features.length > 0) body.push(attr('depends_on', features.map(raw)));
  return [block('resource', ['snapshot', snapshotName(ctx, guest)], body)];
}

export function snapshotName(ctx: EmitContext, guest: LegacyGuest): string {
  let name = ctx.snapshotNames.get(guest);
  if (!name) {
    name = ctx.allocate('snapshot', `${ctx.guestNames.get(guest)}_${sanitiseName(guest.snapshotName ?? 'snapshot', 'snapshot')}`, 'snapshot', guest.id);
    ctx.snapshotNames.set(guest, name);
  }
  return name;
}
