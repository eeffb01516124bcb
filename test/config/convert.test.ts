import { describe as group, expect, test } from 'vitest';
import { convert, parseTypeExpr } from '../../src/config/convert.js';
import { evaluateLocals } from '../../src/config/eval/index.js';
import { loadConfig } from '../../src/config/load.js';
import { UNKNOWN, type TypeExpr, type Value } from '../../src/config/values.js';
import { makeScope, parse } from './helpers.js';

group('convert', () => {
  test.each<[Value, TypeExpr, Value]>([
    ['42', 'number', 42],
    ['-1.5e2', 'number', -150],
    [42, 'string', '42'],
    [true, 'string', 'true'],
    ['false', 'bool', false],
    [null, 'number', null],
    [UNKNOWN, 'string', UNKNOWN],
    [[1, '2'], { list: 'number' }, [1, 2]],
    [['b', 'a', 'b'], { set: 'string' }, ['a', 'b']],
    [{ a: 1 }, { map: 'string' }, { a: '1' }],
    [[1, 'x'], { tuple: ['string', 'string'] }, ['1', 'x']],
    [{ name: 'web', extra: 1 }, { object: { name: 'string', size: 'number' }, optional: ['size'] }, { name: 'web', size: null }],
    [{ a: [1] }, 'any', { a: [1] }],
  ])('%j to %j', (input, type, expected) => {
    expect(convert(input, type)).toEqual({ value: expected });
  });

  test.each<[Value, TypeExpr, string]>([
    ['x', 'number', 'a number is required, got "x"'],
    [[1], 'string', 'string required'],
    ['yes', 'bool', 'bool required'],
    [{ a: 1 }, { list: 'number' }, 'list of number required'],
    [[1], { map: 'number' }, 'map of number required'],
    [[1, 2], { tuple: ['number'] }, 'tuple of 1 elements required'],
    [{ size: 1 }, { object: { name: 'string' } }, 'attribute "name" is required'],
    [{ nics: [{ tag: 'x' }] }, { object: { nics: { list: { object: { tag: 'number' } } } } }, '.nics[0].tag: a number is required, got "x"'],
  ])('%j to %j fails', (input, type, message) => {
    expect(convert(input, type)).toEqual({ error: message });
  });
});

group('parseTypeExpr', () => {
  test.each<[string, TypeExpr]>([
    ['string', 'string'],
    ['list(number)', { list: 'number' }],
    ['map', { map: 'any' }],
    ['set(list(bool))', { set: { list: 'bool' } }],
    ['tuple([string, number])', { tuple: ['string', 'number'] }],
    ['object({ name = string, size = optional(number) })', { object: { name: 'string', size: 'number' }, optional: ['size'] }],
    ['"string"', 'string'],
  ])('%s', (source, expected) => {
    const { type, diagnostics } = parseTypeExpr(parse(source));
    expect(diagnostics).toEqual([]);
    expect(type).toEqual(expected);
  });

  test.each([
    ['strng', 'The keyword "strng" is not a valid type specification.'],
    ['list(string, number)', 'requires one argument'],
    ['optional(string)', 'valid only as a modifier for object type attributes'],
    ['object([string])', 'requires an object of attribute types'],
    ['1', 'A type specification is either'],
  ])('%s is invalid', (source, message) => {
    const { type, diagnostics } = parseTypeExpr(parse(source));
    expect(type).toBeUndefined();
    expect(diagnostics[0]!.summary).toBe('Invalid type specification');
    expect(diagnostics[0]!.detail).toContain(message);
  });
});

group('evaluateLocals', () => {
  test('evaluates in dependency order regardless of declaration order, and tracks sensitivity', () => {
    const { config } = loadConfig([
      {
        name: 'main.hcl',
        source: 'locals {\n  url = "https://${local.host}:${var.port}"\n  host = upper(local.name)\n  name = "web"\n  dsn = "u:${var.password}@db"\n  greeting = "hi ${local.dsn}"\n}\nvariable "port" {}\nvariable "password" {}\n',
      },
    ]);
    const base = makeScope({ variables: { port: 8443, password: 'pw' }, sensitiveVariables: new Set(['password']) });
    const { locals, sensitiveLocals, diagnostics } = evaluateLocals(config, base);
    expect(diagnostics).toEqual([]);
    expect(locals).toMatchObject({ url: 'https://WEB:8443', host: 'WEB', name: 'web' });
    expect([...sensitiveLocals].sort()).toEqual(['dsn', 'greeting']);
  });

  test('declared resources without a value yet read as unknown; undeclared ones are errors', () => {
    const { config } = loadConfig([
      { name: 'main.hcl', source: 'resource "lxc" "web" {}\nlocals {\n  ip = lxc.web.ip\n  bad = lxc.wbe.ip\n}\n' },
    ]);
    const { locals, diagnostics } = evaluateLocals(config, makeScope());
    expect(locals.ip).toBe(UNKNOWN);
    expect(diagnostics.map((d) => d.detail)).toEqual(['A resource "lxc" "wbe" has not been declared. Did you mean "lxc.web"?']);
  });

  test('a cycle is reported once and its members become unknown', () => {
    const { config } = loadConfig([{ name: 'main.hcl', source: 'locals {\n  a = local.b\n  b = local.a\n  c = 1\n}\n' }]);
    const { locals, diagnostics } = evaluateLocals(config, makeScope());
    expect(diagnostics.map((d) => d.summary)).toEqual(['Cycle in local values']);
    expect(locals).toEqual({ a: UNKNOWN, b: UNKNOWN, c: 1 });
  });
});
