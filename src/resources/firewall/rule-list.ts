/**
 * Making a rule list on the node equal the declared one, in place and by position, through
 * pve-firewall's rule API (API2/Firewall/Rules.pm): `pvesh set …/rules/POS` rewrites a rule, a rule
 * beyond the current end is created (create_rule puts it at the top, so it is then moved to the end with
 * `--moveto`), surplus rules are deleted from the end. Every change carries the digest of the list it was
 * computed from, read just before (assert_if_modified): an edit made by someone else in between fails the
 * command instead of being overwritten. Before the first change the list must still be what the plan saw.
 */
import { valuesEqual, type ValueObject } from '../../config/values.js';
import type { FwRule } from '../../proxmox-data/fw-file.js';
import type { NodeHandle } from '../provider.js';
import { diagnosticError } from '../proxmox/errors.js';
import { pvesh, pveshGet } from './host.js';
import { droppedProperties, normalizeRule, ruleArgs, ruleFromFw } from './rules.js';

interface Listed {
  rules: ValueObject[];
  digest: string | undefined;
}

async function listRules(node: NodeHandle, path: string, label: string): Promise<Listed> {
  const records = await pveshGet<(FwRule & { digest: string })[]>(node, path, `reading the rules of ${label}`);
  return { rules: records.map((r) => ruleFromFw(r)), digest: records[0]?.digest };
}

const digestArgs = (digest: string | undefined) => (digest ? ['--digest', digest] : []);

/**
 * `path`: …/firewall/rules or /cluster/firewall/groups/G. `expected`: the list the plan was made against
 * (null on create: then the list must be empty).
 */
export async function syncRuleList(node: NodeHandle, path: string, expected: readonly ValueObject[], desired: readonly ValueObject[], label: string): Promise<void> {
  let listed = await listRules(node, path, label);
  const same = (a: readonly ValueObject[], b: readonly ValueObject[]) => valuesEqual(a.map(normalizeRule), b.map(normalizeRule));
  if (!same(listed.rules, expected)) {
    throw diagnosticError(
      `The rules of ${label} changed since the plan`,
      `The node holds ${listed.rules.length} rule(s) that differ from the ${expected.length} the plan was made against: someone changed them in between. ` +
        'phoenix changes nothing; run plan again to see the difference.',
    );
  }
  if (listed.rules.length === 0) {
    // create_rule puts each new rule at the top: created last to first, they end up in order.
    for (let pos = desired.length - 1; pos >= 0; pos--) await pvesh(node, 'create', path, ruleArgs(normalizeRule(desired[pos]!) as ValueObject), `adding rule ${pos} to ${label}`);
    return;
  }
  const common = Math.min(listed.rules.length, desired.length);
  for (let pos = 0; pos < common; pos++) {
    const want = normalizeRule(desired[pos]!) as ValueObject;
    const have = normalizeRule(listed.rules[pos]!) as ValueObject;
    if (valuesEqual(have, want)) continue;
    const dropped = droppedProperties(have, want);
    await pvesh(node, 'set', `${path}/${pos}`, [...ruleArgs(want), ...(dropped.length ? ['--delete', dropped.join(',')] : []), ...digestArgs(listed.digest)], `changing rule ${pos} of ${label}`);
    listed = await listRules(node, path, label);
  }
  for (let pos = listed.rules.length; pos < desired.length; pos++) {
    await pvesh(node, 'create', path, ruleArgs(normalizeRule(desired[pos]!) as ValueObject), `adding rule ${pos} to ${label}`);
    listed = await listRules(node, path, label);
    // create_rule inserted it at position 0; moving it past the end appends it.
    await pvesh(node, 'set', `${path}/0`, ['--moveto', String(pos + 1), ...digestArgs(listed.digest)], `moving rule ${pos} of ${label} into place`);
    listed = await listRules(node, path, label);
  }
  for (let pos = listed.rules.length - 1; pos >= desired.length; pos--) {
    await pvesh(node, 'delete', `${path}/${pos}`, digestArgs(listed.digest), `deleting rule ${pos} of ${label}`);
    listed = await listRules(node, path, label);
  }
}
