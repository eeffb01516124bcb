/**
 * The mutable state of one evaluation: the scope, diagnostics collected so far, whether anything
 * sensitive was read, and the iteration variables of enclosing `for` expressions. Errors never throw:
 * they are recorded and the failing sub-expression evaluates to UNKNOWN, so one mistake yields one
 * diagnostic rather than a cascade.
 */
import type { Range } from '../ast.js';
import { error, type Diagnostic } from '../diagnostics.js';
import { UNKNOWN, type Value } from '../values.js';
import type { CallContext } from './functions/types.js';
import type { EvalScope } from './scope.js';

/** Iteration variables of one `for` expression or template `%{ for }`, innermost first. */
export interface Frame {
  readonly vars: Map<string, Value>;
  readonly parent: Frame | undefined;
}

export class EvalContext {
  diagnostics: Diagnostic[] = [];
  sensitive = false;
  frame: Frame | undefined;
  /** Built on the first function call that needs it (see call.ts). */
  callContext: CallContext | undefined;
  /** The element a splat's per-element traversal applies to. */
  splatItem: Value = null;

  /**
   * @param templateVariablesOnly inside templatefile(): bare names must be the template's variables.
   */
  constructor(
    readonly scope: EvalScope,
    readonly templateVariablesOnly = false,
  ) {}

  fail(summary: string, detail: string | undefined, range: Range): Value {
    this.diagnostics.push(error(summary, detail, range));
    return UNKNOWN;
  }

  lookupIterationVariable(name: string): Value | undefined {
    for (let f = this.frame; f; f = f.parent) if (f.vars.has(name)) return f.vars.get(name);
    return undefined;
  }

  iterationVariableNames(): string[] {
    const names: string[] = [];
    for (let f = this.frame; f; f = f.parent) names.push(...f.vars.keys());
    return names;
  }

  hasIterationVariable(name: string): boolean {
    for (let f = this.frame; f; f = f.parent) if (f.vars.has(name)) return true;
    return false;
  }

  /** Enters a new frame of iteration variables; the returned function restores the previous one. */
  enterFrame(vars: Map<string, Value>): () => void {
    const saved = this.frame;
    this.frame = { vars, parent: saved };
    return () => {
      this.frame = saved;
    };
  }

  /** Runs `body` with a new frame of iteration variables, restoring the previous one afterwards. */
  withFrame<T>(vars: Map<string, Value>, body: () => T): T {
    const saved = this.frame;
    this.frame = { vars, parent: saved };
    try {
      return body();
    } finally {
      this.frame = saved;
    }
  }
}
