/**
 * A legacy guest's firewall as resources: `firewall_options` (the guest's firewall switched on or off as
 * `firewall.enabled` says) and `firewall_rules` (its rules in order; `port` → `dport`). The NIC's
 * `firewall` flag is written by the guest's own network block.
 */
import { attr, block, blank, raw, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest } from '../model.js';
import type { EmitContext } from './context.js';

export function firewallResources(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  const rules = guest.firewallRules ?? [];
  if (guest.firewall === undefined && rules.length === 0) return [];
  const name = ctx.guestNames.get(guest)!;
  const target = attr('guest', raw(`${ctx.guestAddress(guest)}.vmid`));
  const items: HclItem[] = [block('resource', ['firewall_options', name], [target, attr('enable', guest.firewall ?? false)]), blank];
  if (rules.length > 0) {
    const blocks = rules.map((rule) => {
      const fields: HclItem[] = [attr('type', rule.type!), attr('action', rule.action!)];
      if (rule.source !== undefined) fields.push(attr('source', rule.source));
      if (rule.dest !== undefined) fields.push(attr('dest', rule.dest));
      if (rule.proto !== undefined) fields.push(attr('proto', rule.proto));
      if (rule.port !== undefined) fields.push(attr('dport', rule.port));
      if (rule.comment !== undefined) fields.push(attr('comment', rule.comment));
      return block('rule', [], fields);
    });
    items.push(block('resource', ['firewall_rules', name], [target, ...blocks]), blank);
  }
  return items;
}
