import { describe as group, expect, test } from 'vitest';
import { UNKNOWN } from '../../src/config/values.js';
import { failure, run, value } from './helpers.js';

group('operators', () => {
  test.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 % 3', 1],
    ['10 / 4', 2.5],
    ['-(2 - 5)', 3],
    ['"3" * 2', 6],
    ['1 == 1 && "a" != "b"', true],
    ['1 == "1"', false],
    ['[1, {a = 2}] == [1, {a = 2}]', true],
    ['2 < 3 || false', true],
    ['3 >= 4', false],
    ['!true', false],
    ['true ? "yes" : "no"', 'yes'],
    ['false ? 1 : 2', 2],
  ])('%s', (source, expected) => {
    expect(value(source)).toEqual(expected);
  });

  test.each([
    ['1 + "a"', 'Invalid operand: Unsuitable value for right operand: a number is required.'],
    ['!"x"', 'Invalid operand: Unsuitable value for operand: a bool is required.'],
    ['1 / 0', 'Invalid operation: Division by zero.'],
    ['"x" ? 1 : 2', 'Incorrect condition type'],
    ['null + 1', 'a number is required, but the value is null'],
  ])('%s is an error', (source, message) => {
    expect(failure(source)).toContain(message);
  });
});

group('unknown values', () => {
  const u = { variables: { u: UNKNOWN, list: [1, UNKNOWN], m: { a: UNKNOWN, b: 1 } } };

  test.each([
    ['var.u + 1'],
    ['var.u == 1'],
    ['var.list == [1, 2]'],
    ['var.u ? 1 : 2'],
    ['"prefix-${var.u}"'],
    ['var.u.attr'],
    ['var.list[var.u]'],
    ['[for x in var.u : x]'],
    ['{ (var.u) = 1 }'],
    ['-var.u'],
    ['var.u[*].id'],
  ])('%s is unknown', (source) => {
    expect(value(source, u)).toBe(UNKNOWN);
  });

  test('known parts stay known', () => {
    expect(value('length(var.list)', u)).toBe(2);
    expect(value('var.list[0]', u)).toBe(1);
    expect(value('var.m.b', u)).toBe(1);
    expect(value('[for x in var.list : x]', u)).toEqual([1, UNKNOWN]);
    expect(value('false && var.u', u)).toBe(false);
    expect(value('true || var.u', u)).toBe(true);
    expect(value('true && var.u', u)).toBe(UNKNOWN);
  });

  test('an unknown condition still reports errors in its branches', () => {
    expect(failure('var.u ? nope.x : 1', u)).toContain('Reference to undeclared resource');
  });
});

group('references', () => {
  const resources = {
    'lxc.web': [{ vmid: 101, ip: '10.0.0.1' }, { vmid: 102, ip: '10.0.0.2' }],
    'lxc.db': { vmid: 200, tags: ['a'] },
    'zfs_dataset.data': { a: { name: 'tank/a' }, b: { name: 'tank/b' } },
  };

  test.each([
    ['lxc.web[1].vmid', 102],
    ['lxc.web[*].vmid', [101, 102]],
    ['lxc.web.*.ip', ['10.0.0.1', '10.0.0.2']],
    ['lxc.db[*].vmid', [200]],
    ['lxc.db.tags[0]', 'a'],
    ['zfs_dataset.data["b"].name', 'tank/b'],
    ['[for k, d in zfs_dataset.data : "${k}=${d.name}"]', ['a=tank/a', 'b=tank/b']],
    ['path.root', '/work/root'],
    ['path.cwd', '/work/cwd'],
    ['node.pve1.name', 'pve1'],
  ])('%s', (source, expected) => {
    expect(value(source, { resources })).toEqual(expected);
  });

  test('each and count inside an instance', () => {
    expect(value('"${each.key}:${each.value.size}"', { each: { key: 'a', value: { size: 8 } } })).toBe('a:8');
    expect(value('100 + count.index', { count: { index: 2 } })).toBe(102);
  });

  test.each([
    ['each.key', 'Reference to "each" in context without for_each'],
    ['count.index', 'Reference to "count" in non-counted context'],
    ['var.nmae', 'Reference to undeclared input variable: An input variable with the name "nmae" has not been declared. Did you mean "var.name"?'],
    ['local.prot', 'Did you mean "local.port"?'],
    ['lxc.wbe.vmid', 'Reference to undeclared resource: A resource "lxc" "wbe" has not been declared. Did you mean "lxc.web"?'],
    ['lxc', 'Invalid reference'],
    ['var', 'The "var" object cannot be accessed directly'],
    ['lxc.web.vmid', 'Can\'t access attributes on a list of objects'],
    ['lxc.db.vmdi', 'This object does not have an attribute named "vmdi". Did you mean "vmid"?'],
    ['lxc.web[5]', 'index 5 is out of range for a list of 2 elements'],
    ['zfs_dataset.data["c"]', 'no element with key "c"'],
    ['path.nope', 'Invalid "path" attribute'],
  ])('%s is an error', (source, message) => {
    expect(failure(source, { resources, variables: { name: 'x' }, locals: { port: 1 } })).toContain(message);
  });

  test('errors carry the expression range', () => {
    const result = run('upper(\n  var.nope\n)');
    expect(result.diagnostics[0]!.range).toMatchObject({ file: 'test.hcl', start: { line: 2, col: 3 } });
  });
});

group('sensitivity', () => {
  const scope = {
    variables: { password: 's3cret', user: 'root' },
    sensitiveVariables: new Set(['password']),
    resources: { 'lxc.web': [{ password: 'x', name: 'web' }], 'lxc.db': { password: 'y', name: 'db' } },
    isSensitive: (address: string, path: readonly string[]) => path.includes('password') || (address === 'lxc.db' && path.length === 0),
  };

  test.each([
    ['var.password', true],
    ['"${var.user}:${var.password}"', true],
    ['var.user', false],
    ['lxc.web[0].password', true],
    ['lxc.web[0].name', false],
    ['lxc.web[*].password', true],
    ['lxc.web[*].name', false],
    ['lxc.db.name', false],
    ['jsonencode(lxc.db)', true],
    ['can(var.password)', true],
  ])('%s → sensitive=%s', (source, sensitive) => {
    expect(run(source, scope).sensitive).toBe(sensitive);
  });

  test('the resource path handed to isSensitive includes instance keys and splats', () => {
    const seen: string[] = [];
    run('lxc.web[0].name == lxc.web[*].name[0]', { ...scope, isSensitive: (a, p) => (seen.push(`${a} ${p.join('/')}`), false) });
    expect(seen).toEqual(['lxc.web 0/name', 'lxc.web */name/0']);
  });

  test('locals computed from sensitive values are sensitive', () => {
    expect(run('local.dsn', { locals: { dsn: 'x' }, sensitiveLocals: new Set(['dsn']) }).sensitive).toBe(true);
  });
});

group('templates and heredocs', () => {
  test.each([
    ['"plain"', 'plain'],
    ['"a ${1 + 1} b"', 'a 2 b'],
    ['"${[1, 2]}"', [1, 2]],
    ['"%{ if true }yes%{ else }no%{ endif }"', 'yes'],
    ['"%{ for i, x in ["a", "b"] }${i}${x},%{ endfor }"', '0a,1b,'],
    ['"%{ for x in [1, 2, 3] ~} ${x} %{~ endfor }"', '123'],
    ['"$${literal}"', '${literal}'],
    ['"n=${5} t=${true}"', 'n=5 t=true'],
  ])('%s', (source, expected) => {
    expect(value(source)).toEqual(expected);
  });

  test('heredoc keeps its lines', () => {
    expect(value('<<EOT\nline ${1}\n  two\nEOT\n')).toBe('line 1\n  two\n');
  });

  test('indented heredoc strips the common indentation', () => {
    expect(value('<<-EOT\n    server {\n      listen ${80};\n    }\n    EOT\n')).toBe('server {\n  listen 80;\n}\n');
  });

  test.each([
    ['"a${null}"', 'Invalid template interpolation value: The expression result is null'],
    ['"a${[1]}"', 'string required, but have list'],
    ['"%{ if "x" }y%{ endif }"', 'must be a bool'],
    ['"%{ for x in 5 }y%{ endfor }"', 'Iteration over non-iterable value'],
  ])('%s is an error', (source, message) => {
    expect(failure(source)).toContain(message);
  });
});

group('for expressions', () => {
  test.each([
    ['[for x in [1, 2, 3] : x * 10]', [10, 20, 30]],
    ['[for i, x in ["a", "b"] : "${i}-${x}"]', ['0-a', '1-b']],
    ['[for x in [1, 2, 3, 4] : x if x % 2 == 0]', [2, 4]],
    ['{for k, v in {b = 2, a = 1} : v => k}', { 1: 'a', 2: 'b' }],
    ['{for s in ["web1", "web2", "db1"] : substr(s, 0, 2) => s...}', { we: ['web1', 'web2'], db: ['db1'] }],
    ['[for k, v in {b = 1, a = 2} : k]', ['a', 'b']],
    ['[for x in [[1, 2], [3]] : [for y in x : y + 1]]', [[2, 3], [4]]],
  ])('%s', (source, expected) => {
    expect(value(source)).toEqual(expected);
  });

  test.each([
    ['{for s in ["a", "a"] : s => 1}', 'Duplicate object key'],
    ['[for x in [1] : x if "maybe"]', "'if' clause value must be a bool"],
    ['[for x in "abc" : x]', 'Iteration over non-iterable value'],
  ])('%s is an error', (source, message) => {
    expect(failure(source)).toContain(message);
  });

  test('iteration variables do not leak out of the expression', () => {
    expect(failure('concat([for x in [1] : x], [x])')).toContain('Invalid reference');
  });
});
