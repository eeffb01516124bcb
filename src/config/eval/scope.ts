/**
 * What an expression can see while it is evaluated. The loader, the planner and the variable resolver
 * each build one; the evaluator never does I/O itself (file()/templatefile() go through readFile).
 */
import type { Value } from '../values.js';

export interface EvalScope {
  /** Input variable values by name (`var.NAME`). */
  variables: Record<string, Value>;
  /** Names of variables declared `sensitive = true`: reading one marks the result sensitive. */
  sensitiveVariables: ReadonlySet<string>;
  /** Local values by name (`local.NAME`). */
  locals: Record<string, Value>;
  /** Locals whose value was computed from something sensitive (see evaluateLocals). */
  sensitiveLocals?: ReadonlySet<string>;
  /**
   * The value of a whole resource, by `TYPE.NAME`: its attribute object for a single instance, a list of
   * them with `count`, a map keyed by for_each key with `for_each`. UNKNOWN when not yet decided (e.g. an
   * unknown count). `undefined` means no such resource is declared.
   */
  resource(address: string): Value | undefined;
  /**
   * True when the value at `path` of resource `address` (`TYPE.NAME`), or anything inside it, is sensitive.
   * `path` is the static traversal written after `TYPE.NAME`: count indexes and for_each keys appear as
   * text (`["0", "password"]`), a splat as `"*"`; the path stops at the first non-constant index.
   */
  isSensitive?(address: string, path: readonly string[]): boolean;
  /** Declared resource addresses, used only for "Did you mean ...?" suggestions. */
  resourceAddresses?(): Iterable<string>;
  /** The value of `node.NAME`, or undefined when no such node is declared. Without it, `node.NAME` is `{ name = NAME }`. */
  node?(name: string): Value | undefined;
  /** Set inside a resource with for_each. */
  each?: { key: Value; value: Value };
  /** Set inside a resource with count. */
  count?: { index: number };
  path: { root: string; cwd: string };
  /** Reads a file for file()/templatefile(); relative paths are relative to path.root. Throws when unreadable. */
  readFile(path: string): string;
}
