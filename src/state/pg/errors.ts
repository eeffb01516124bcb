/** Diagnostics for the pg backend: every database failure reaches the user as one of these. */
import { DiagnosticError, error } from '../../config/diagnostics.js';

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function redactConnectionString(connectionString: string): string {
  return connectionString
    .replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@')
    .replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***');
}

/** A failed database call: what phoenix was doing, and the server's own words. */
export function pgError(description: string, action: string, cause: unknown): DiagnosticError {
  if (cause instanceof DiagnosticError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  const diagnostic = error(`pg backend: failed to ${action}`, `${description}: ${message}`);
  diagnostic.subject = description;
  return new DiagnosticError([diagnostic]);
}

export function stateWriteError(reason: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(`Failed to save state: ${reason}`, `${detail}\n\nThe stored state has not been changed.`)]);
}

export function workspaceError(summary: string, detail: string): DiagnosticError {
  return new DiagnosticError([error(summary, detail)]);
}

export function workspaceMissingError(description: string, workspace: string): DiagnosticError {
  return workspaceError(
    `Workspace "${workspace}" does not exist`,
    `${description}: the workspace was deleted or never created. Create it with "phoenix workspace new ${workspace}", ` +
      'or select another one (PHOENIX_WORKSPACE or "phoenix workspace select").',
  );
}
