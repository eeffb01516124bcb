/**
 * Value-dependent change classification for `lxc` (proxmox-cli.md §4): rootfs grow = `pct resize`,
 * shrink or storage change = replace; template false→true = `pct template`, true→false = replace.
 */
import type { Attrs, Value } from '../../config/values.js';
import { isObject } from '../../config/values.js';
import type { DiffResult } from '../provider.js';
import { keepGeneratedMacs } from '../proxmox/guest-schema.js';
import { adoptCreateOnly, refineDiff, withComputedFromPrior, type ChangeKind, type DiffRules } from '../proxmox/diff-rules.js';
import { parseSize } from '../proxmox/sizes.js';
import { LXC_CREATE_ONLY, lxcSchema } from './schema.js';

function sizeBytes(v: Value | undefined): number | undefined {
  return isObject(v) && typeof v.size === 'string' ? parseSize(v.size) : undefined;
}

export function classifyDiskChange(prior: Value | undefined, planned: Value | undefined): ChangeKind {
  if (!isObject(prior) || !isObject(planned)) return 'replace';
  if (planned.storage !== null && planned.storage !== prior.storage) return 'replace';
  const before = sizeBytes(prior);
  const after = sizeBytes(planned);
  return before !== undefined && after !== undefined && after < before ? 'replace' : 'in-place';
}

export const lxcDiffRules: DiffRules = {
  schema: lxcSchema,
  createOnly: LXC_CREATE_ONLY,
  classify(attribute, prior, planned) {
    if (attribute === 'rootfs') return classifyDiskChange(prior, planned);
    if (attribute === 'template') return prior === true && planned !== true ? 'replace' : 'in-place';
    return undefined;
  },
};

/** After an import: create-only inputs (clone, ostemplate, password...) as configured; the host keeps no record of them. */
export function adoptConfiguredLxc(imported: Attrs, configured: Attrs): Attrs {
  return adoptCreateOnly(lxcDiffRules, imported, configured);
}

/** Nested values the host decided and config leaves unset: generated MACs, the rootfs size. */
export function completeLxcPlanned(prior: Attrs, planned: Attrs): Attrs {
  const out: Attrs = { ...planned, network: keepGeneratedMacs(prior.network, planned.network) };
  if (isObject(out.rootfs) && out.rootfs.size === null && isObject(prior.rootfs)) {
    out.rootfs = { ...out.rootfs, size: prior.rootfs.size ?? null };
  }
  return out;
}

/** Planned attributes as they will be on the host: unset computed values and host-decided nested values kept. */
export function effectiveLxc(prior: Attrs, planned: Attrs): Attrs {
  return completeLxcPlanned(prior, withComputedFromPrior(lxcSchema, prior, planned));
}

export function diffLxc(prior: Attrs, planned: Attrs, proposed: DiffResult): DiffResult {
  return refineDiff(lxcDiffRules, prior, effectiveLxc(prior, planned), proposed);
}
