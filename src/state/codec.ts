/**
 * State file text ⇄ StateFile. Parsing validates everything a later stage relies on and refuses files
 * from a newer phoenix; serialising is deterministic so the same state always yields the same bytes.
 */
import { DiagnosticError, error } from '../config/diagnostics.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { STATE_FORMAT_VERSION, type StateFile } from './model.js';
import { stateShapeProblem } from './shape.js';

const UNCHANGED = 'The state file has not been changed.';

export function parseState(text: string, path: string): StateFile {
  if (text.trim() === '') throw loadError('empty file', `${path} is empty.`, path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = findJsonSyntaxError(text);
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.column}`;
    const reason = at?.message ?? (e as Error).message;
    throw loadError('invalid JSON', `${path} is not valid JSON${where}: ${reason}.`, path);
  }

  // Checked before the shape: a newer format may legitimately look different.
  const version = (data as { format_version?: unknown } | null)?.format_version;
  if (typeof version === 'number' && version > STATE_FORMAT_VERSION) {
    const writer = (data as { phoenix_version?: unknown }).phoenix_version;
    throw loadError(
      'unsupported state format version',
      `${path} has format_version ${version}; this phoenix reads format_version ${STATE_FORMAT_VERSION} at most. ` +
        `It was written by a newer phoenix${typeof writer === 'string' ? ` (${writer})` : ''}: upgrade phoenix to use it.`,
      path,
    );
  }
  const problem = stateShapeProblem(data);
  if (problem !== undefined) {
    throw loadError('unexpected content', `${path} is not a phoenix state file: ${problem}.`, path);
  }
  if (version !== STATE_FORMAT_VERSION) {
    throw loadError('unsupported state format version', `${path} has format_version ${version}, which phoenix never wrote.`, path);
  }
  return data as StateFile;
}

/** 2-space JSON with a trailing newline; fields in a fixed order, resources by address, maps by key. */
export function serializeState(state: StateFile): string {
  const ordered = {
    format_version: state.format_version,
    phoenix_version: state.phoenix_version,
    serial: state.serial,
    lineage: state.lineage,
    resources: [...state.resources]
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
      .map((r) => ({
        address: r.address,
        type: r.type,
        name: r.name,
        index: r.index,
        provider: r.provider,
        attributes: sortedKeys(r.attributes),
        sensitive_attributes: r.sensitive_attributes,
        dependencies: r.dependencies,
        create_before_destroy: r.create_before_destroy,
        owner: r.owner,
      })),
    outputs: sortedKeys(state.outputs),
    pending: state.pending.map((p) => ({
      id: p.id,
      address: p.address,
      type: p.type,
      action: p.action,
      identity: sortedKeys(p.identity),
      planned: p.planned === undefined ? undefined : sortedKeys(p.planned),
      owner: p.owner,
      dependencies: p.dependencies,
      started_at: p.started_at,
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** A deep copy with object keys sorted, so attribute maps serialise the same whatever their build order. */
function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

function loadError(reason: string, detail: string, path: string): DiagnosticError {
  const diagnostic = error(`Failed to load state: ${reason}`, `${detail}\n\n${UNCHANGED}`);
  diagnostic.subject = path;
  return new DiagnosticError([diagnostic]);
}
