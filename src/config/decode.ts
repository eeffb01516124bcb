/**
 * Decodes a resource body against its provider's schema: evaluates each argument, converts it to the
 * declared type, accepts nested blocks for `block: 'list' | 'single'` attributes (the same value as the
 * attribute form `network = [{ ... }]`), applies defaults and reports unknown, missing, unsettable and
 * mistyped arguments.
 */
import type { Attribute, Block, Body, Range } from './ast.js';
import { convert } from './convert.js';
import { tooDeepValue, type Diagnostic } from './diagnostics.js';
import { evaluate } from './eval/index.js';
import type { EvalScope } from './eval/scope.js';
import { suggest } from './eval/suggest.js';
import { isObject, MAX_VALUE_NESTING, nestsDeeperThan, typeToString, type Attrs, type TypeExpr, type Value, type ValueObject } from './values.js';
import type { ResourceSchema } from '../resources/provider.js';

/** One argument a body may set: a schema attribute, or a field of a nested block's object type. */
interface Field {
  type: TypeExpr;
  required: boolean;
  /** False for attributes only the provider sets (computed and not optional). */
  settable: boolean;
  default?: Value;
  sensitive: boolean;
  block?: 'list' | 'single';
}

export interface DecodeResult {
  attrs: Attrs;
  /** Paths of sensitive values: schema-sensitive attributes and values computed from sensitive inputs. */
  sensitivePaths: string[][];
  diagnostics: Diagnostic[];
}

export interface DecodeOptions {
  /**
   * The values reach host commands (a Proxmox provider): strings may not hold NUL or other control
   * characters (tab, newline and carriage return are text). Checked here, once for every attribute of
   * every such type, with the caret on the argument.
   */
  hostStrings?: boolean;
}

export function decodeBody(body: Body, schema: ResourceSchema, scope: EvalScope, subject: string, options: DecodeOptions = {}): DecodeResult {
  const decoder = new Decoder(scope, subject, options);
  const attrs = decoder.decode(body, schemaFields(schema), [], body.range);
  return { attrs, sensitivePaths: decoder.sensitivePaths, diagnostics: decoder.diagnostics };
}

/** Built once per schema: a plan decodes every instance of a type against the same one. */
const schemaFieldsCache = new WeakMap<ResourceSchema, Record<string, Field>>();

function schemaFields(schema: ResourceSchema): Record<string, Field> {
  let fields = schemaFieldsCache.get(schema);
  if (fields) return fields;
  fields = {};
  for (const [name, a] of Object.entries(schema.attributes)) {
    fields[name] = {
      type: a.type,
      required: a.required === true,
      settable: !(a.computed && !a.optional),
      default: a.default,
      sensitive: a.sensitive === true,
      block: a.block,
    };
  }
  schemaFieldsCache.set(schema, fields);
  return fields;
}

/** Schema types are long-lived objects, so their field tables are built once. */
const fieldsCache = new WeakMap<object, Record<string, Field> | undefined>();

/** The fields of a nested block: its object type's attributes; nested object lists may be blocks too. */
function objectFields(type: TypeExpr): Record<string, Field> | undefined {
  if (typeof type === 'string') return undefined;
  if (!fieldsCache.has(type)) fieldsCache.set(type, buildObjectFields(type));
  return fieldsCache.get(type);
}

function buildObjectFields(type: TypeExpr): Record<string, Field> | undefined {
  const element = typeof type !== 'string' && ('list' in type || 'set' in type) ? ('list' in type ? type.list : type.set) : type;
  if (typeof element === 'string' || !('object' in element)) return undefined;
  const optional = new Set(element.optional ?? []);
  const fields: Record<string, Field> = {};
  for (const [name, fieldType] of Object.entries(element.object)) {
    fields[name] = { type: fieldType, required: !optional.has(name), settable: true, sensitive: false, block: impliedBlockMode(fieldType) };
  }
  return fields;
}

function impliedBlockMode(type: TypeExpr): 'list' | 'single' | undefined {
  if (typeof type === 'string') return undefined;
  if ('list' in type || 'set' in type) return objectFields(type) ? 'list' : undefined;
  return 'object' in type ? 'single' : undefined;
}

class Decoder {
  readonly diagnostics: Diagnostic[] = [];
  readonly sensitivePaths: string[][] = [];

  constructor(
    private readonly scope: EvalScope,
    private readonly subject: string,
    private readonly options: DecodeOptions = {},
  ) {}

  private error(summary: string, detail: string, range: Range): void {
    this.diagnostics.push({ severity: 'error', summary, detail, range, subject: this.subject });
  }

  decode(body: Body, fields: Record<string, Field>, path: string[], blockRange: Range): ValueObject {
    const out: ValueObject = {};
    const setBy = new Map<string, Attribute | Block>();
    let blocksByName: Map<string, Block[]> | undefined; // most bodies have no nested blocks
    for (const item of body.items) {
      const name = item.kind === 'attribute' ? item.name : item.type;
      const nameRange = item.kind === 'attribute' ? item.nameRange : item.typeRange;
      const field = fields[name];
      if (!field || (item.kind === 'block' && !field.block)) {
        this.unsupported(item, fields);
        continue;
      }
      if (!field.settable) {
        this.error('Value for unconfigurable attribute', `Can't configure a value for "${name}": its value will be decided automatically when the resource is created.`, nameRange);
        continue;
      }
      const first = setBy.get(name);
      if (first && (item.kind === 'attribute' || first.kind === 'attribute')) {
        const firstRange = first.kind === 'attribute' ? first.nameRange : first.typeRange;
        this.error('Duplicate argument', `The argument "${name}" was already set at ${firstRange.file}:${firstRange.start.line}:${firstRange.start.col}. Each argument may be set only once.`, nameRange);
        continue;
      }
      setBy.set(name, item);
      if (item.kind === 'attribute') out[name] = this.attribute(item, field, path);
      else {
        blocksByName ??= new Map();
        const list = blocksByName.get(name);
        if (list) list.push(item);
        else blocksByName.set(name, [item]);
      }
    }
    for (const [name, found] of blocksByName ?? []) out[name] = this.nestedBlocks(name, found, fields[name]!, path);
    // `for...in` rather than Object.entries: same order, without an array per field per instance.
    for (const name in fields) {
      const field = fields[name]!;
      if (name in out) continue;
      if (field.required) {
        this.error('Missing required argument', `The argument "${name}" is required, but no definition was found.`, blockRange);
      }
      out[name] = field.default ?? null;
    }
    for (const name in fields) {
      if (fields[name]!.sensitive && out[name] !== null) this.sensitivePaths.push([...path, name]);
    }
    return out;
  }

  private unsupported(item: Attribute | Block, fields: Record<string, Field>): void {
    if (item.kind === 'attribute') {
      const hint = suggest(item.name, Object.keys(fields), '');
      this.error('Unsupported argument', `An argument named "${item.name}" is not expected here.${hint}`, item.nameRange);
      return;
    }
    const blockNames = Object.entries(fields).filter(([, f]) => f.block).map(([n]) => n);
    const isAttribute = item.type in fields;
    const detail = isAttribute
      ? `"${item.type}" is an argument, not a block: write ${item.type} = ... instead.`
      : `Blocks of type "${item.type}" are not expected here.${suggest(item.type, blockNames, '')}`;
    this.error('Unsupported block type', detail, item.typeRange);
  }

  /** `parentPath` is the path of the enclosing block (empty at the top level). */
  private attribute(attr: Attribute, field: Field, parentPath: string[]): Value {
    const result = evaluate(attr.expr, this.scope);
    for (const d of result.diagnostics) this.diagnostics.push({ ...d, subject: this.subject });
    if (result.sensitive) this.sensitivePaths.push([...parentPath, attr.name]);
    if (result.diagnostics.some((d) => d.severity === 'error')) return null;
    if (nestsDeeperThan(result.value, MAX_VALUE_NESTING)) {
      this.diagnostics.push({ ...tooDeepValue(`The argument "${attr.name}"`, attr.expr.range), subject: this.subject });
      return null;
    }
    if (field.block) this.checkObjectKeys(result.value, field.type, attr);
    const converted = convert(result.value, field.type);
    if ('error' in converted) {
      // The conversion error quotes the value; a sensitive one is never echoed (Terraform says the same).
      const problem = result.sensitive || field.sensitive ? 'the given value is sensitive, so it is not shown here' : converted.error;
      this.error('Incorrect attribute value type', `Inappropriate value for attribute "${attr.name}": ${problem}. The expected type is ${typeToString(field.type)}.`, attr.expr.range);
      return null;
    }
    if (this.options.hostStrings) {
      const found = findControlCharacter(converted.value);
      if (found) {
        const at = `"${attr.name}${found.path.map((step) => (/^\d+$/.test(step) ? `[${step}]` : `["${step}"]`)).join('')}"`;
        this.error(
          'Invalid character in value',
          `${found.inKey ? `A key of ${at}` : `The value of ${at}`} contains the control character ${found.name} at offset ${found.offset}. ` +
            'Values are passed to commands on the Proxmox host, which cannot carry NUL and must not receive other control characters; ' +
            'only tab, newline and carriage return are allowed.',
          attr.expr.range,
        );
        return null;
      }
    }
    return converted.value;
  }

  /** The attribute form of a block field must not carry arguments the block form would reject. */
  private checkObjectKeys(value: Value, type: TypeExpr, attr: Attribute): void {
    const fields = objectFields(type);
    if (!fields) return;
    const objects = Array.isArray(value) ? value : [value];
    for (const o of objects) {
      if (!isObject(o)) continue;
      for (const key of Object.keys(o)) {
        if (!(key in fields)) {
          this.error('Unsupported argument', `An argument named "${key}" is not expected in "${attr.name}".${suggest(key, Object.keys(fields), '')}`, attr.expr.range);
        }
      }
    }
  }

  private nestedBlocks(name: string, found: Block[], field: Field, path: string[]): Value {
    const fields = objectFields(field.type)!;
    for (const b of found) {
      if (b.labels.length > 0) this.error('Extraneous label for ' + name, `No labels are expected for ${name} blocks.`, b.labelRanges[0]!);
    }
    if (field.block === 'single') {
      for (const extra of found.slice(1)) this.error('Too many blocks', `No more than one "${name}" block is allowed.`, extra.typeRange);
      return this.decode(found[0]!.body, fields, [...path, name], found[0]!.typeRange);
    }
    const items = found.map((b, i) => this.decode(b.body, fields, [...path, name, String(i)], b.typeRange));
    const converted = convert(items, field.type);
    // Field values are already converted one by one; a failure here can only be a set's element type.
    return 'error' in converted ? items : converted.value;
  }
}

/** C0 controls and DEL, except tab, newline and carriage return. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first forbidden control character in a string, list or map value (keys included), and where it is. */
function findControlCharacter(value: Value, path: string[] = [], inKey = false): { name: string; offset: number; path: string[]; inKey: boolean } | undefined {
  if (typeof value === 'string') {
    const match = CONTROL_CHARACTER.exec(value);
    if (!match) return undefined;
    const code = match[0].charCodeAt(0);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}${code === 0 ? ' (NUL)' : ''}`;
    return { name, offset: match.index, path, inKey };
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findControlCharacter(item, [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findControlCharacter(key, path, true) ?? findControlCharacter(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
