/**
 * Resources that act on a guest (`feature`, `snapshot`): the guest's vmid and kind. The kind is inferred
 * from what `guest` refers to (`vm.web.vmid` → "vm"), so a feature on a VM never runs `pct` against it.
 */
import type { Attrs } from '../../config/values.js';
import type { AttributeSchema, AttributeDiagnostic } from '../provider.js';
import { num, str } from './attrs.js';
import type { Checks } from './checks.js';

export const GUEST_TYPES = ['lxc', 'vm'] as const;

export const guestTypeAttribute: AttributeSchema = {
  type: 'string',
  optional: true,
  forceNew: true,
  description:
    '"lxc" or "vm". Inferred from the resource `guest` refers to (`lxc.base.vmid` → "lxc", `vm.web.vmid` → "vm"); ' +
    'set it only for a guest phoenix does not manage (default "lxc").',
};

export function inferGuestType(attrs: Attrs, referencedTypes: (attribute: string) => string[]): { attrs: Attrs; diagnostics: AttributeDiagnostic[] } {
  const kinds = referencedTypes('guest').filter((t) => (GUEST_TYPES as readonly string[]).includes(t));
  if (kinds.length !== 1) return { attrs, diagnostics: [] };
  const kind = kinds[0]!;
  const given = str(attrs, 'guest_type');
  if (given !== undefined && given !== kind) {
    return {
      attrs,
      diagnostics: [
        {
          severity: 'error',
          summary: `guest_type "${given}" contradicts the guest`,
          detail: `\`guest\` refers to a ${kind === 'vm' ? 'VM (`vm` resource)' : 'container (`lxc` resource)'}: remove guest_type or set it to "${kind}".`,
          attribute: ['guest_type'],
        },
      ],
    };
  }
  return { attrs: { ...attrs, guest_type: kind }, diagnostics: [] };
}

export function checkGuestRef(c: Checks, attrs: Attrs): void {
  const guest = num(attrs, 'guest');
  if (guest !== undefined && (!Number.isInteger(guest) || guest < 100 || guest > 999999999)) {
    c.reject(['guest'], String(guest), 'value does not look like a valid VM ID', 'a whole number from 100 to 999999999');
  }
  c.oneOf(['guest_type'], attrs.guest_type, GUEST_TYPES);
}
