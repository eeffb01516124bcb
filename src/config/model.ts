/**
 * The typed configuration: what the loader (load.ts) builds from the parsed HCL files of a working
 * directory. Expressions stay unevaluated here; the planner evaluates them per resource instance.
 */
import type { Body, Expr, Range } from './ast.js';
import type { TypeExpr, Value } from './values.js';

export interface VariableValidation {
  condition: Expr;
  errorMessage: Expr;
  range: Range;
}

export interface VariableDecl {
  name: string;
  type?: TypeExpr;
  default?: Value;
  hasDefault: boolean;
  description?: string;
  sensitive: boolean;
  validations: VariableValidation[];
  range: Range;
}

export interface LocalDecl {
  name: string;
  expr: Expr;
  range: Range;
}

export interface OutputDecl {
  name: string;
  expr: Expr;
  description?: string;
  sensitive: boolean;
  dependsOn: Reference[];
  range: Range;
}

/** `node "pve1" { connection = "ssh://root@10.0.0.2", ... }`: a Proxmox host and how to reach it. */
export interface NodeDecl {
  name: string;
  /** Attributes evaluated by the CLI when it builds runners (connection, max_parallel, ...). */
  body: Body;
  range: Range;
}

export interface Lifecycle {
  preventDestroy: boolean;
  createBeforeDestroy: boolean;
  /** Attribute paths whose changes are ignored; `'all'` for `ignore_changes = all`. */
  ignoreChanges: string[][] | 'all';
  /** `replace_triggered_by = [...]`: replace this instance when one of these is replaced (or its attribute changes). */
  replaceTriggeredBy?: ReplaceTrigger[];
}

/** One `replace_triggered_by` item, e.g. `lxc.app[each.key].network[0].hwaddr`. */
export interface ReplaceTrigger {
  /** `TYPE.NAME` */
  resource: string;
  /** The instance key (`[0]`, `[each.key]`, `[count.index]`), evaluated per instance; absent: every instance. */
  index?: Expr;
  /** Attribute path within the instance; empty: the whole instance (triggers when it is replaced). */
  path: string[];
  range: Range;
}

export interface ResourceDecl {
  type: string;
  name: string;
  /** `TYPE.NAME` */
  address: string;
  /** The block body without meta-arguments (count, for_each, depends_on, lifecycle, provider). */
  body: Body;
  count?: Expr;
  forEach?: Expr;
  dependsOn: Reference[];
  lifecycle: Lifecycle;
  range: Range;
  typeRange: Range;
  nameRange: Range;
}

export interface BackendDecl {
  type: string;
  body: Body;
  range: Range;
}

/** A static reference found in an expression, e.g. `lxc.web.vmid` → { kind: 'resource', address: 'lxc.web' }. */
export type Reference =
  | { kind: 'variable'; name: string; range: Range }
  | { kind: 'local'; name: string; range: Range }
  | { kind: 'resource'; address: string; range: Range }
  | { kind: 'node'; name: string; range: Range }
  | { kind: 'each' | 'count' | 'path' | 'self'; range: Range };

export type { MovedDecl } from './moved.js';
import type { MovedDecl } from './moved.js';

export interface Config {
  /** Source text per file name, for diagnostic snippets. */
  sources: Map<string, string>;
  variables: Map<string, VariableDecl>;
  locals: Map<string, LocalDecl>;
  outputs: Map<string, OutputDecl>;
  nodes: Map<string, NodeDecl>;
  resources: Map<string, ResourceDecl>;
  /** `moved { from = … to = … }` statements in file order. */
  moved: MovedDecl[];
  backend?: BackendDecl;
  /** Plugin module paths named in `phoenix { plugins = [...] }`, relative to the working directory. */
  plugins: string[];
}
