/**
 * A legacy container's Proxmox features and AppArmor settings, as lxc-manager.sh applied them
 * (apply_configurations → apply_apparmor_profile, then pct_options, then lxc_options):
 * - `apparmor_profile`: "unconfined" (the default) removed any lxc.apparmor.profile line, so Proxmox's
 *   generated profile applies; any other name was copied to /etc/apparmor.d and set as the profile, with
 *   `apparmor_manages_nesting` adding "lxc.apparmor.allow_nesting: 1" and the LXC nesting include;
 * - `pct_options` ("nesting=1", "mount=nfs;cifs"...) were joined into one `pct set --features`;
 * - `lxc_options` were appended to the config afterwards, so an "lxc.apparmor.profile=..." there wins.
 * The profile becomes `apparmor_profile`, the features the `features` block, the rest `lxc_raw`.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { LegacyFields } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import type { LegacyGuest } from './model.js';

const BOOLEAN_FEATURES = ['nesting', 'keyctl', 'fuse', 'mknod'] as const;

export function readContainerSecurity(guest: LegacyGuest, f: LegacyFields, diagnostics: Diagnostic[]): void {
  for (const { value, index } of f.strings('pct_options')) {
    const flag = /^\s*(nesting|keyctl|fuse|mknod)\s*=\s*(0|1|true|false)\s*$/.exec(value);
    const mount = /^\s*mount\s*=\s*([a-zA-Z0-9_; ]+?)\s*$/.exec(value);
    if (flag) guest.containerFeatures[flag[1] as (typeof BOOLEAN_FEATURES)[number]] = flag[2] === '1' || flag[2] === 'true';
    else if (mount) guest.containerFeatures.mount = mount[1]!.split(';').map((t) => t.trim()).filter(Boolean);
    else diagnostics.push(legacyDiagnostic('warning', f.at('pct_options', index), `pct option "${value}" is not modelled by phoenix`, 'Only the features nesting, keyctl, fuse, mknod and mount are converted; add the option by hand.'));
  }
  const lines: string[] = [];
  const profile = f.string('apparmor_profile');
  const managesNesting = f.bool('apparmor_manages_nesting') === true;
  if (profile !== undefined && profile !== 'unconfined') {
    guest.apparmorProfile = profile;
    diagnostics.push(
      legacyDiagnostic('warning', f.at('apparmor_profile'), `AppArmor profile "${profile}" must be loaded on the node`, `lxc-manager.sh copied etc/apparmor/${profile} to /etc/apparmor.d and reloaded AppArmor; phoenix only names the profile. Load it on the node (for example with a host feature).`),
    );
    if (managesNesting) lines.push('lxc.apparmor.allow_nesting: 1', 'lxc.include: /usr/share/lxc/config/nesting.conf');
  }
  for (const { value, index } of f.strings('lxc_options')) {
    const match = /^\s*(lxc\.[A-Za-z0-9._]+)\s*[=:]\s*(.*?)\s*$/.exec(value);
    if (!match) diagnostics.push(legacyDiagnostic('warning', f.at('lxc_options', index), `Unrecognised lxc option "${value}"`, 'Expected "lxc.key=value"; it was ignored.'));
    else if (match[1] === 'lxc.apparmor.profile') guest.apparmorProfile = match[2]!;
    else if (!lines.includes(`${match[1]}: ${match[2]}`)) lines.push(`${match[1]}: ${match[2]}`);
  }
  guest.lxcRaw = lines;
}
