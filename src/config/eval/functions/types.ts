/** The shape of a library function: typed parameters and an implementation over converted values. */
import type { TemplateExpr } from '../../ast.js';
import type { Value } from '../../values.js';
import type { EvalScope } from '../scope.js';

export type ParamType = 'string' | 'number' | 'bool' | 'list' | 'map' | 'collection' | 'any';

export interface Param {
  name: string;
  type: ParamType;
  /** Accept null (otherwise a null argument is an error). */
  allowNull?: boolean;
  /** Accept a value with unknowns nested inside (otherwise the call's result is unknown). */
  allowUnknown?: boolean;
}

/** What an implementation may use besides its arguments. */
export interface CallContext {
  scope: EvalScope;
  /** True while evaluating a templatefile() template (which may not call templatefile() again). */
  insideTemplate: boolean;
  /** Evaluates a parsed template seeing only `variables` (templatefile). */
  evaluateTemplate(expr: TemplateExpr, variables: Record<string, Value>): Value;
}

/** A failure of the call itself (bad value rather than bad type); `argIndex` points at the culprit. */
export class FunctionError {
  constructor(
    readonly message: string,
    readonly argIndex?: number,
  ) {}
}

export interface FunctionDef {
  params: Param[];
  /** Type of any further arguments; without it the function takes exactly `params`. */
  variadic?: Param;
  /** Arguments arrive converted to their parameter types; top-level unknowns never arrive. */
  impl(args: Value[], call: CallContext): Value | FunctionError;
}

export type FunctionTable = Record<string, FunctionDef>;

export const p = (name: string, type: ParamType, options: Omit<Param, 'name' | 'type'> = {}): Param => ({ name, type, ...options });
