/**
 * JSON paths into the legacy files ("$.lxc_configs["900"].features[1]"): every diagnostic about a legacy
 * value names the file and the path, so users can find the spot with jq or an editor.
 */
import type { Diagnostic, Severity } from '../config/diagnostics.js';

export type JsonPath = readonly (string | number)[];

export function formatJsonPath(path: JsonPath): string {
  return (
    '$' +
    path
      .map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`))
      .join('')
  );
}

/** Where a legacy value lives: the file name and the path inside it. */
export interface JsonLocation {
  file: string;
  path: JsonPath;
}

export function at(location: JsonLocation, ...more: (string | number)[]): JsonLocation {
  return { file: location.file, path: [...location.path, ...more] };
}

/** "FILE $.path"; a whole file is just its name. */
export function describeLocation(location: JsonLocation): string {
  return location.path.length === 0 ? location.file : `${location.file} ${formatJsonPath(location.path)}`;
}

export function legacyDiagnostic(severity: Severity, location: JsonLocation, summary: string, detail?: string): Diagnostic {
  return { severity, summary, ...(detail ? { detail } : {}), subject: describeLocation(location) };
}
