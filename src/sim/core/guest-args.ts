/** Positional-argument specs shared by pct and qm commands. */
import { VMID, type ParamSpec } from './schema.js';

export const vmidArg = { name: 'vmid', spec: VMID };
export const arg = (name: string, spec: ParamSpec = { type: 'string' }) => ({ name, spec });
