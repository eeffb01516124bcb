/** Unmodelled legacy fields as HCL comments, with secrets replaced by their variables. */
import type { UnmodelledField } from '../fields.js';
import { comment, type HclItem } from '../hcl-writer.js';
import { describeLocation, type JsonLocation } from '../json-path.js';
import type { SecretRegistry } from '../secrets.js';

/** `origin`: the JSON object the fields belong to, or a description when they come from several. */
export function unmodelledComment(fields: UnmodelledField[], secrets: SecretRegistry, origin: JsonLocation | string): HclItem[] {
  if (fields.length === 0) return [];
  const lines = fields.map((f) => `  ${f.key} = ${JSON.stringify(secrets.redact(f.value, f.location, f.key.split('.').pop()!))}`);
  const where = typeof origin === 'string' ? origin : describeLocation(origin);
  return [comment(`Legacy fields phoenix does not model (${where}):`, ...lines)];
}
