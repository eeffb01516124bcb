/**
 * Guest lists came in two shapes over the legacy format's life: an object keyed by id
 * (`"lxc_configs": {"900": {...}}`) and a list of entries carrying their id (`"vms": [{"vmid": 9000}]`).
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { LegacyFields, describe } from './fields.js';
import { legacyDiagnostic } from './json-path.js';
import { isJsonObject, type JsonValue } from './json-reader.js';
import { parseGuestId } from './read-guest.js';

export function guestEntries(top: LegacyFields, key: string, idFields: string[], diagnostics: Diagnostic[]): { id: number; fields: LegacyFields }[] {
  const container = top.raw(key);
  if (container === undefined || container === null) return [];
  const entries: { id: number; fields: LegacyFields }[] = [];
  const add = (id: number | undefined, item: JsonValue, path: (string | number)[], shownId: string) => {
    const location = { file: top.location.file, path: [...top.location.path, ...path] };
    if (!isJsonObject(item)) {
      diagnostics.push(legacyDiagnostic('warning', location, 'Expected a guest object', `Found ${describe(item)}; it was skipped.`));
      return;
    }
    if (id === undefined) {
      diagnostics.push(legacyDiagnostic('warning', location, `Guest without a valid id${shownId ? ` ("${shownId}")` : ''}`, `Expected a positive whole number (${idFields.join(' or ')}); the entry was skipped.`));
      return;
    }
    entries.push({ id, fields: new LegacyFields(item, location, diagnostics) });
  };
  if (Array.isArray(container)) {
    container.forEach((item, index) => {
      const idValue = isJsonObject(item) ? idFields.map((f) => item[f]).find((v) => v !== undefined) : undefined;
      add(parseGuestId(idValue), item, [key, index], idValue === undefined ? '' : String(idValue));
    });
  } else if (isJsonObject(container)) {
    for (const [idKey, item] of Object.entries(container)) add(parseGuestId(idKey), item, [key, idKey], idKey);
  } else {
    diagnostics.push(legacyDiagnostic('warning', top.at(key), `Expected guests in "${key}"`, `Found ${describe(container)}; no guests were read from it.`));
  }
  return entries;
}
