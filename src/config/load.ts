/**
 * The config loader: parsed HCL files → a typed Config plus every problem found, without evaluating
 * resource arguments (the planner does that per instance). Checks block structure, duplicates, and that
 * every reference names something declared.
 */
import { blocks, type Attribute, type Block, type Body, type Expr, type Range } from './ast.js';
import { convert, parseTypeExpr } from './convert.js';
import { appendAll, duplicateArgument, error, type Diagnostic } from './diagnostics.js';
import { checkReferences } from './check-references.js';
import { evaluateConstant } from './eval/constant.js';
import { localCycleDiagnostic, orderLocals } from './eval/locals.js';
import { decodeMoved } from './moved.js';
import { suggest } from './eval/suggest.js';
import type { Config, Lifecycle, OutputDecl, Reference, ReplaceTrigger, ResourceDecl, VariableDecl, VariableValidation } from './model.js';
import { parseHcl } from './parser.js';
import { findReferences, NON_RESOURCE_ROOTS } from './references.js';
import type { Value } from './values.js';

const TOP_LEVEL_BLOCKS = ['variable', 'locals', 'output', 'resource', 'moved', 'node', 'backend', 'phoenix'];
const RESOURCE_META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function loadConfig(files: { name: string; source: string }[]): { config: Config; diagnostics: Diagnostic[] } {
  const loader = new Loader();
  for (const f of files) loader.addFile(f.name, f.source);
  const { config, diagnostics } = loader;
  appendAll(diagnostics, checkReferences(config));
  const { cycles } = orderLocals(config.locals);
  appendAll(diagnostics, cycles.map((cycle) => localCycleDiagnostic(cycle, config.locals)));
  return { config, diagnostics };
}

/** Where something was first declared, for "already declared at" messages. */
function at(range: Range): string {
  return `${range.file}:${range.start.line}:${range.start.col}`;
}

class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly config: Config = {
    sources: new Map(),
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    nodes: new Map(),
    resources: new Map(),
    moved: [],
    plugins: [],
  };

  addFile(name: string, source: string): void {
    this.config.sources.set(name, source);
    const { file, diagnostics } = parseHcl(source, name);
    appendAll(this.diagnostics, diagnostics);
    for (const item of file.body.items) {
      if (item.kind === 'attribute') {
        this.error('Unsupported argument', `An argument named "${item.name}" is not expected at the top level of a configuration file; only blocks such as resource, variable and locals are.`, item.nameRange);
        continue;
      }
      switch (item.type) {
        case 'variable':
          this.addVariable(item);
          break;
        case 'locals':
          this.addLocals(item);
          break;
        case 'output':
          this.addOutput(item);
          break;
        case 'resource':
          this.addResource(item);
          break;
        case 'node':
          this.addNode(item);
          break;
        case 'backend':
          this.addBackend(item);
          break;
        case 'phoenix':
          this.addPhoenix(item);
          break;
        case 'moved': {
          this.checkLabels(item, []);
          const attrs = this.content(item.body, ['from', 'to']);
          const { decl, diagnostics } = decodeMoved(item, attrs.get('from'), attrs.get('to'));
          this.diagnostics.push(...diagnostics);
          if (decl) this.config.moved.push(decl);
          break;
        }
        default:
          this.error('Unsupported block type', `Blocks of type "${item.type}" are not expected here.${suggest(item.type, TOP_LEVEL_BLOCKS, '')}`, item.typeRange);
      }
    }
  }

  private error(summary: string, detail: string, range: Range, related?: Diagnostic['related']): void {
    this.diagnostics.push({ ...error(summary, detail, range), ...(related ? { related } : {}) });
  }

  /** Checks a block's labels: the expected names, each a valid identifier. False when unusable. */
  private checkLabels(block: Block, names: string[]): boolean {
    if (block.labels.length < names.length) {
      const missing = names[block.labels.length]!;
      this.error(`Missing ${missing} for ${block.type}`, `All ${block.type} blocks must have ${names.length} label(s): ${names.join(', ')}.`, block.typeRange);
      return false;
    }
    if (block.labels.length > names.length) {
      const extra = block.labelRanges[names.length]!;
      this.error('Extraneous label for ' + block.type, `${names.length === 0 ? 'No' : `Only ${names.length}`} label(s) expected for ${block.type} blocks.`, extra);
      return false;
    }
    for (let i = 0; i < names.length; i++) {
      if (!IDENTIFIER.test(block.labels[i]!)) {
        this.error(`Invalid ${block.type} ${names[i]}`, `A ${names[i]} must start with a letter or underscore and may contain only letters, digits, underscores, and dashes.`, block.labelRanges[i]!);
        return false;
      }
    }
    return true;
  }

  /**
   * Splits a body into its attributes by name, reporting unexpected and duplicate arguments and
   * unexpected nested blocks (other than `allowedBlocks`).
   */
  private content(body: Body, allowed: string[], allowedBlocks: string[] = []): Map<string, Attribute> {
    const found = new Map<string, Attribute>();
    for (const item of body.items) {
      if (item.kind === 'block') {
        if (!allowedBlocks.includes(item.type)) {
          this.error('Unsupported block type', `Blocks of type "${item.type}" are not expected here.${suggest(item.type, allowedBlocks, '')}`, item.typeRange);
        }
        continue;
      }
      if (!allowed.includes(item.name)) {
        this.error('Unsupported argument', `An argument named "${item.name}" is not expected here.${suggest(item.name, allowed, '')}`, item.nameRange);
        continue;
      }
      this.checkDuplicateAttribute(found, item);
    }
    return found;
  }

  private checkDuplicateAttribute(found: Map<string, Attribute>, item: Attribute): void {
    const first = found.get(item.name);
    if (first) {
      this.diagnostics.push(duplicateArgument(item.name, first.nameRange, item.nameRange));
    } else found.set(item.name, item);
  }

  private constant(attr: Attribute | undefined, kind: 'string' | 'bool', where: string): Value | undefined {
    if (!attr) return undefined;
    const { value, diagnostics } = evaluateConstant(attr.expr, where);
    appendAll(this.diagnostics, diagnostics);
    if (diagnostics.length > 0) return undefined;
    const converted = convert(value, kind);
    if ('error' in converted) {
      this.error('Incorrect attribute value type', `Inappropriate value for attribute "${attr.name}": ${converted.error}.`, attr.expr.range);
      return undefined;
    }
    return converted.value;
  }

  private duplicate(kind: string, name: string, first: Range, range: Range, what = `${kind} "${name}"`): void {
    this.error(`Duplicate ${kind} declaration`, `A ${what} was already declared at ${at(first)}. ${capitalize(kind)} names must be unique.`, range, [{ message: 'first declared here', range: first }]);
  }

  private addVariable(block: Block): void {
    if (!this.checkLabels(block, ['name'])) return;
    const name = block.labels[0]!;
    const existing = this.config.variables.get(name);
    if (existing) return this.duplicate('variable', name, existing.range, block.labelRanges[0]!);
    const attrs = this.content(block.body, ['type', 'default', 'description', 'sensitive', 'nullable'], ['validation']);
    const decl: VariableDecl = { name, hasDefault: false, sensitive: false, validations: [], range: block.range };
    const typeAttr = attrs.get('type');
    if (typeAttr) {
      const { type, diagnostics } = parseTypeExpr(typeAttr.expr);
      appendAll(this.diagnostics, diagnostics);
      decl.type = type;
    }
    const defaultAttr = attrs.get('default');
    if (defaultAttr) {
      const { value, diagnostics } = evaluateConstant(defaultAttr.expr, 'in a variable default');
      appendAll(this.diagnostics, diagnostics);
      const converted = decl.type ? convert(value, decl.type) : { value };
      if ('error' in converted) {
        this.error('Invalid default value for variable', `This default value is not compatible with the variable's type constraint: ${converted.error}.`, defaultAttr.expr.range);
      } else {
        decl.default = converted.value;
        decl.hasDefault = true;
      }
    }
    decl.description = this.constant(attrs.get('description'), 'string', 'in a variable description') as string | undefined;
    decl.sensitive = this.constant(attrs.get('sensitive'), 'bool', 'here') === true;
    for (const v of blocks(block.body, 'validation')) {
      const validation = this.validation(v);
      if (validation) decl.validations.push(validation);
    }
    this.config.variables.set(name, decl);
  }

  private validation(block: Block): VariableValidation | undefined {
    this.checkLabels(block, []);
    const attrs = this.content(block.body, ['condition', 'error_message']);
    const condition = attrs.get('condition');
    const message = attrs.get('error_message');
    for (const [name, attr] of [['condition', condition], ['error_message', message]] as const) {
      if (!attr) this.error('Missing required argument', `The argument "${name}" is required, but no definition was found.`, block.typeRange);
    }
    if (!condition || !message) return undefined;
    return { condition: condition.expr, errorMessage: message.expr, range: block.range };
  }

  private addLocals(block: Block): void {
    this.checkLabels(block, []);
    for (const item of block.body.items) {
      if (item.kind === 'block') {
        this.error('Unsupported block type', 'A locals block contains only attributes (name = value).', item.typeRange);
        continue;
      }
      const existing = this.config.locals.get(item.name);
      if (existing) {
        this.duplicate('local value', item.name, existing.range, item.nameRange, `local value named "${item.name}"`);
        continue;
      }
      this.config.locals.set(item.name, { name: item.name, expr: item.expr, range: item.range });
    }
  }

  private addOutput(block: Block): void {
    if (!this.checkLabels(block, ['name'])) return;
    const name = block.labels[0]!;
    const existing = this.config.outputs.get(name);
    if (existing) return this.duplicate('output', name, existing.range, block.labelRanges[0]!);
    const attrs = this.content(block.body, ['value', 'description', 'sensitive', 'depends_on']);
    const value = attrs.get('value');
    if (!value) {
      this.error('Missing required argument', 'The argument "value" is required, but no definition was found.', block.typeRange);
      return;
    }
    const decl: OutputDecl = {
      name,
      expr: value.expr,
      description: this.constant(attrs.get('description'), 'string', 'in an output description') as string | undefined,
      sensitive: this.constant(attrs.get('sensitive'), 'bool', 'here') === true,
      dependsOn: this.dependsOn(attrs.get('depends_on')),
      range: block.range,
    };
    this.config.outputs.set(name, decl);
  }

  private addResource(block: Block): void {
    if (!this.checkLabels(block, ['type', 'name'])) return;
    const [type, name] = block.labels as [string, string];
    const address = `${type}.${name}`;
    const existing = this.config.resources.get(address);
    if (existing) {
      this.error(`Duplicate resource "${type}" configuration`, `A ${type} resource named "${name}" was already declared at ${at(existing.range)}. Resource names must be unique per type.`, block.labelRanges[1]!, [
        { message: 'first declared here', range: existing.range },
      ]);
      return;
    }
    const meta = new Map<string, Attribute>();
    const bodyItems: Body['items'] = [];
    const lifecycles: Block[] = [];
    for (const item of block.body.items) {
      if (item.kind === 'attribute' && RESOURCE_META_ARGUMENTS.has(item.name)) this.checkDuplicateAttribute(meta, item);
      else if (item.kind === 'block' && item.type === 'lifecycle') lifecycles.push(item);
      else bodyItems.push(item);
    }
    const count = meta.get('count');
    const forEach = meta.get('for_each');
    if (count && forEach) {
      this.error('Invalid combination of "count" and "for_each"', 'The "count" and "for_each" meta-arguments are mutually-exclusive, only one should be used to be explicit about the number of resources to be created.', forEach.nameRange);
    }
    for (const extra of lifecycles.slice(1)) this.error('Duplicate lifecycle block', 'Only one lifecycle block is allowed per resource.', extra.typeRange);
    const decl: ResourceDecl = {
      type,
      name,
      address,
      body: { items: bodyItems, range: block.body.range },
      count: count?.expr,
      forEach: count && forEach ? undefined : forEach?.expr,
      dependsOn: this.dependsOn(meta.get('depends_on')),
      lifecycle: lifecycles[0] ? this.lifecycle(lifecycles[0]) : { preventDestroy: false, createBeforeDestroy: false, ignoreChanges: [] },
      range: block.range,
      typeRange: block.labelRanges[0]!,
      nameRange: block.labelRanges[1]!,
    };
    // As in Terraform, what triggers a replacement is also a dependency (planned first, checked like depends_on).
    for (const trigger of decl.lifecycle.replaceTriggeredBy ?? []) {
      decl.dependsOn.push({ kind: 'resource', address: trigger.resource, range: trigger.range });
    }
    this.config.resources.set(address, decl);
  }

  /** `depends_on = [lxc.db, zfs_dataset.data]`: a list of references, not values. */
  private dependsOn(attr: Attribute | undefined): Reference[] {
    if (!attr) return [];
    if (attr.expr.kind !== 'tuple') {
      this.error('Invalid depends_on', 'The depends_on argument must be a list of references, like [lxc.db].', attr.expr.range);
      return [];
    }
    const out: Reference[] = [];
    for (const item of attr.expr.items) {
      const refs = isTraversal(item) ? findReferences(item) : [];
      const ref = refs[0];
      if (refs.length !== 1 || !ref || !['resource', 'variable', 'local'].includes(ref.kind)) {
        this.error('Invalid depends_on reference', 'Each item of depends_on must be a reference to a resource, like lxc.db.', item.range);
      } else out.push(ref);
    }
    return out;
  }

  private lifecycle(block: Block): Lifecycle {
    this.checkLabels(block, []);
    const attrs = this.content(block.body, ['prevent_destroy', 'create_before_destroy', 'ignore_changes', 'replace_triggered_by']);
    const triggers = this.replaceTriggeredBy(attrs.get('replace_triggered_by'));
    return {
      preventDestroy: this.constant(attrs.get('prevent_destroy'), 'bool', 'in lifecycle settings') === true,
      createBeforeDestroy: this.constant(attrs.get('create_before_destroy'), 'bool', 'in lifecycle settings') === true,
      ignoreChanges: this.ignoreChanges(attrs.get('ignore_changes')),
      ...(triggers.length > 0 ? { replaceTriggeredBy: triggers } : {}),
    };
  }

  /** `replace_triggered_by = [lxc.base, vm.k3s[count.index].vmid]`: references to resources or their attributes. */
  private replaceTriggeredBy(attr: Attribute | undefined): ReplaceTrigger[] {
    if (!attr) return [];
    if (attr.expr.kind !== 'tuple') {
      this.error('Invalid replace_triggered_by', 'replace_triggered_by must be a list of references, like [lxc.base].', attr.expr.range);
      return [];
    }
    const triggers: ReplaceTrigger[] = [];
    for (const item of attr.expr.items) {
      const trigger = replaceTrigger(item);
      if (trigger) triggers.push(trigger);
      else {
        this.error(
          'Invalid replace_triggered_by expression',
          'Each item must be a reference to a resource or one of its attributes, like lxc.base or vm.k3s[count.index].vmid; an instance key may only be a literal, each.key or count.index.',
          item.range,
        );
      }
    }
    return triggers;
  }

  /** `ignore_changes = all` or a list of attribute paths such as `[tags, network[0].bridge]`. */
  private ignoreChanges(attr: Attribute | undefined): string[][] | 'all' {
    if (!attr) return [];
    const expr = attr.expr;
    if (expr.kind === 'scope' && expr.name === 'all') return 'all';
    if (expr.kind !== 'tuple') {
      this.error('Invalid ignore_changes', 'ignore_changes must be "all" or a list of attribute names, like [tags].', expr.range);
      return [];
    }
    const paths: string[][] = [];
    for (const item of expr.items) {
      const path = attributePath(item);
      if (path) paths.push(path);
      else this.error('Invalid ignore_changes', 'Each item must be an attribute of this resource, like tags or network[0].bridge.', item.range);
    }
    return paths;
  }

  private addNode(block: Block): void {
    if (!this.checkLabels(block, ['name'])) return;
    const name = block.labels[0]!;
    const existing = this.config.nodes.get(name);
    if (existing) return this.duplicate('node', name, existing.range, block.labelRanges[0]!);
    this.config.nodes.set(name, { name, body: block.body, range: block.range });
  }

  private addBackend(block: Block): void {
    if (!this.checkLabels(block, ['type'])) return;
    const existing = this.config.backend;
    if (existing) {
      this.error('Duplicate backend configuration', `A backend was already configured at ${at(existing.range)}. Only one backend block is allowed.`, block.typeRange, [{ message: 'first configured here', range: existing.range }]);
      return;
    }
    this.config.backend = { type: block.labels[0]!, body: block.body, range: block.range };
  }

  private addPhoenix(block: Block): void {
    this.checkLabels(block, []);
    const plugins = this.content(block.body, ['plugins']).get('plugins');
    if (!plugins) return;
    const { value, diagnostics } = evaluateConstant(plugins.expr, 'in phoenix settings');
    appendAll(this.diagnostics, diagnostics);
    const converted = convert(value, { list: 'string' });
    if ('error' in converted || !Array.isArray(converted.value) || converted.value.some((p) => typeof p !== 'string')) {
      if (diagnostics.length === 0) this.error('Incorrect attribute value type', 'plugins must be a list of module paths (strings).', plugins.expr.range);
      return;
    }
    this.config.plugins.push(...(converted.value as string[]));
  }
}


function isTraversal(e: Expr): boolean {
  return e.kind === 'scope' || e.kind === 'getattr' || e.kind === 'index';
}

/** `network[0].bridge` → ["network", "0", "bridge"]; undefined when not a static attribute path. */
function attributePath(expr: Expr): string[] | undefined {
  if (expr.kind === 'template' && expr.parts.length === 1 && expr.parts[0]!.kind === 'literal') return [expr.parts[0]!.value];
  const path: string[] = [];
  let e = expr;
  while (e.kind === 'getattr' || e.kind === 'index') {
    if (e.kind === 'getattr') path.unshift(e.name);
    else if (e.key.kind === 'literal' && e.key.value !== null) path.unshift(String(e.key.value));
    else return undefined;
    e = e.target;
  }
  if (e.kind !== 'scope') return undefined;
  path.unshift(e.name);
  return path;
}

/** A static resource traversal as a ReplaceTrigger; undefined for anything else (variables, calls...). */
function replaceTrigger(expr: Expr): ReplaceTrigger | undefined {
  const steps: Expr[] = [];
  let e = expr;
  while (e.kind === 'getattr' || e.kind === 'index') {
    steps.unshift(e);
    e = e.target;
  }
  const [nameStep, ...rest] = steps;
  if (e.kind !== 'scope' || NON_RESOURCE_ROOTS.has(e.name) || nameStep?.kind !== 'getattr') return undefined;
  // The key right after TYPE.NAME selects the instance; later keys are within its attributes.
  let index: Expr | undefined;
  const first = rest[0];
  if (first?.kind === 'index') {
    index = first.key;
    rest.shift();
  }
  if (index && !isInstanceKey(index)) return undefined;
  const path: string[] = [];
  for (const step of rest) {
    if (step.kind === 'getattr') path.push(step.name);
    else if (step.kind === 'index' && step.key.kind === 'literal' && step.key.value !== null) path.push(String(step.key.value));
    else return undefined;
  }
  return { resource: `${e.name}.${nameStep.name}`, ...(index ? { index } : {}), path, range: expr.range };
}

/** Terraform's rule for replace_triggered_by keys: a literal, `each.key` or `count.index`. */
function isInstanceKey(key: Expr): boolean {
  if (key.kind === 'literal') return typeof key.value === 'number' || typeof key.value === 'string';
  if (key.kind === 'template') return key.parts.every((p) => p.kind === 'literal');
  if (key.kind !== 'getattr' || key.target.kind !== 'scope') return false;
  return (key.target.name === 'each' && key.name === 'key') || (key.target.name === 'count' && key.name === 'index');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
