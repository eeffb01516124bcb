/**
 * Static reference checks for a loaded Config: every `var.`, `local.`, `node.` and resource reference
 * must name something declared (with a "Did you mean" when one is close), `each`/`count` only where
 * for_each/count are set, and no resource may refer to itself.
 */
import { appendAll, didYouMean, error, type Diagnostic } from './diagnostics.js';
import { suggest } from './eval/suggest.js';
import type { Config, Reference } from './model.js';
import { bodyReferences, findReferences, NON_RESOURCE_ROOTS } from './references.js';

interface Context {
  hasCount: boolean;
  hasForEach: boolean;
  /** The address of the resource being checked, if any. */
  self?: string;
}

const NO_INSTANCE: Context = { hasCount: false, hasForEach: false };

export function checkReferences(config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (refs: readonly Reference[], where: Context) => appendAll(out, checkRefs(config, refs, where));
  for (const r of config.resources.values()) {
    check(bodyReferences(r.body), { hasCount: !!r.count, hasForEach: !!r.forEach, self: r.address });
    // count and for_each are evaluated before instances exist, so they cannot use each/count themselves.
    const metaRefs = [r.count, r.forEach].flatMap((e) => (e ? findReferences(e) : []));
    check([...metaRefs, ...r.dependsOn], { ...NO_INSTANCE, self: r.address });
  }
  for (const l of config.locals.values()) check(findReferences(l.expr), NO_INSTANCE);
  for (const o of config.outputs.values()) check([...findReferences(o.expr), ...o.dependsOn], NO_INSTANCE);
  for (const n of config.nodes.values()) check(bodyReferences(n.body), NO_INSTANCE);
  for (const v of config.variables.values()) {
    for (const rule of v.validations) check([...findReferences(rule.condition), ...findReferences(rule.errorMessage)], NO_INSTANCE);
  }
  return out;
}

function checkRefs(config: Config, refs: readonly Reference[], where: Context): Diagnostic[] {
  const out: Diagnostic[] = [];
  // One each/count error per expression list is enough; every use would say the same.
  let reportedEach = false;
  let reportedCount = false;
  for (const ref of refs) {
    switch (ref.kind) {
      case 'variable':
        if (!config.variables.has(ref.name)) {
          const hint = suggest(ref.name, config.variables.keys(), 'var.') || ` Declare it with a variable "${ref.name}" {} block.`;
          out.push(error('Reference to undeclared input variable', `An input variable with the name "${ref.name}" has not been declared.${hint}`, ref.range));
        }
        break;
      case 'local':
        if (!config.locals.has(ref.name)) {
          out.push(error('Reference to undeclared local value', `A local value with the name "${ref.name}" has not been declared.${suggest(ref.name, config.locals.keys(), 'local.')}`, ref.range));
        }
        break;
      case 'node':
        if (!config.nodes.has(ref.name)) {
          out.push(error('Reference to undeclared node', `A node named "${ref.name}" has not been declared.${suggest(ref.name, config.nodes.keys(), 'node.')}`, ref.range));
        }
        break;
      case 'resource':
        if (ref.address === where.self) {
          out.push(error('Self-referential block', `Configuration for ${ref.address} may not refer to itself.`, ref.range));
        } else if (!config.resources.has(ref.address)) {
          out.push(error('Reference to undeclared resource', undeclaredResourceDetail(config, ref.address), ref.range));
        }
        break;
      case 'each':
        if (!where.hasForEach && !reportedEach) {
          reportedEach = true;
          out.push(error('Reference to "each" in context without for_each', 'The "each" object can be used only in "resource" blocks, and only when the "for_each" argument is set.', ref.range));
        }
        break;
      case 'count':
        if (!where.hasCount && !reportedCount) {
          reportedCount = true;
          out.push(error('Reference to "count" in non-counted context', 'The "count" object can be used only in "resource" blocks, and only when the "count" argument is set.', ref.range));
        }
        break;
      case 'self':
        out.push(error('Invalid "self" reference', '"self" is not supported in phoenix configurations; refer to the resource by its address.', ref.range));
        break;
    }
  }
  return out;
}

function undeclaredResourceDetail(config: Config, address: string): string {
  const [type, name] = address.split('.') as [string, string];
  let hint = suggest(address, config.resources.keys(), '');
  // `vra.x` is more likely a misspelt `var.x` than a resource, when `var.x` exists.
  const root = hint ? undefined : didYouMean(type, NON_RESOURCE_ROOTS);
  const namespace = { var: config.variables, local: config.locals, node: config.nodes }[root ?? ''];
  if (root && namespace?.has(name)) hint = ` Did you mean "${root}.${name}"?`;
  return `A resource "${type}" "${name}" has not been declared.${hint}`;
}
