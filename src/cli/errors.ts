/** A DiagnosticError that also carries the source texts its ranges point into, for snippet rendering. */
import { DiagnosticError, type Diagnostic } from '../config/diagnostics.js';

export class SourcedDiagnosticError extends DiagnosticError {
  constructor(
    diagnostics: Diagnostic[],
    readonly sources: ReadonlyMap<string, string>,
  ) {
    super(diagnostics);
  }
}

export function sourcesOf(e: DiagnosticError): ReadonlyMap<string, string> {
  return e instanceof SourcedDiagnosticError ? e.sources : new Map();
}
