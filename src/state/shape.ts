/**
 * Shape check of a parsed state file (format_version 1), so a hand-edited or foreign file is refused
 * with the path of the first bad field instead of failing somewhere deep in the planner.
 */
type Check = (value: unknown, path: string) => string | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const string: Check = (v, path) => (typeof v === 'string' ? undefined : `${path}: expected a string`);
const nonEmptyString: Check = (v, path) =>
  typeof v === 'string' && v !== '' ? undefined : `${path}: expected a non-empty string`;
const boolean: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path}: expected true or false`);
const count: Check = (v, path) =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${path}: expected a whole number of at least 0`;
const anyJson: Check = () => undefined;
const indexKey: Check = (v, path) =>
  typeof v === 'string' || Number.isSafeInteger(v) ? undefined : `${path}: expected a number or a string`;
const object: Check = (v, path) => (isRecord(v) ? undefined : `${path}: expected an object`);

const arrayOf =
  (item: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return `${path}: expected an array`;
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const mapOf =
  (item: Check): Check =>
  (v, path) => {
    if (!isRecord(v)) return `${path}: expected an object`;
    for (const [key, value] of Object.entries(v)) {
      const problem = item(value, `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

/** Required fields with their checks; a trailing `?` marks an optional one. */
const record =
  (fields: Record<string, Check>): Check =>
  (v, path) => {
    if (!isRecord(v)) return `${path === '' ? 'the file' : path}: expected an object`;
    for (const [spec, check] of Object.entries(fields)) {
      const optional = spec.endsWith('?');
      const name = optional ? spec.slice(0, -1) : spec;
      const fieldPath = path === '' ? name : `${path}.${name}`;
      if (!(name in v)) {
        if (optional) continue;
        return `${fieldPath}: missing`;
      }
      const problem = check(v[name], fieldPath);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const stringList = arrayOf(string);

const resource = record({
  address: nonEmptyString,
  type: nonEmptyString,
  name: nonEmptyString,
  'index?': indexKey,
  provider: string,
  attributes: object,
  sensitive_attributes: arrayOf(stringList),
  dependencies: stringList,
  'create_before_destroy?': boolean,
  'owner?': string,
});

const pending = record({
  id: nonEmptyString,
  address: nonEmptyString,
  type: nonEmptyString,
  action: (v, path) => (v === 'create' || v === 'delete' ? undefined : `${path}: expected "create" or "delete"`),
  identity: object,
  'planned?': object,
  'owner?': string,
  dependencies: stringList,
  started_at: string,
});

const stateFile = record({
  format_version: count,
  phoenix_version: string,
  serial: count,
  lineage: nonEmptyString,
  resources: arrayOf(resource),
  outputs: mapOf(record({ value: anyJson, sensitive: boolean })),
  pending: arrayOf(pending),
});

/** The first problem found, as `path: what was expected`, or undefined when the shape is right. */
export function stateShapeProblem(data: unknown): string | undefined {
  return stateFile(data, '');
}
