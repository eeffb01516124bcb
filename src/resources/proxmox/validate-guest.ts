/** Config checks shared by `lxc` and `vm`. */
import type { Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import { num, str } from './attrs.js';

export function validateGuestCommon(attrs: Attrs): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const vmid = num(attrs, 'vmid');
  if (vmid !== undefined && (!Number.isInteger(vmid) || vmid < 100 || vmid > 999999999)) {
    diags.push({ severity: 'error', summary: `Invalid vmid ${vmid}`, detail: 'Proxmox guest IDs are integers from 100 to 999999999.' });
  }
  const state = str(attrs, 'state');
  if (state !== undefined && state !== 'running' && state !== 'stopped') {
    diags.push({ severity: 'error', summary: `Invalid state "${state}"`, detail: 'Use "running" or "stopped".' });
  }
  return diags;
}
