import { describe as group, expect, test } from 'vitest';
import { FUNCTION_NAMES } from '../../src/config/eval/index.js';
import { UNKNOWN } from '../../src/config/values.js';
import { failure, run, value } from './helpers.js';

const files = {
  'motd.txt': 'hello\n',
  'hosts.tpl': '%{ for name, ip in hosts ~}\n${ip} ${name}\n%{ endfor ~}\nport=${port}\n',
  'broken.tpl': 'x = ${',
  'self.tpl': '${templatefile("self.tpl", {})}',
};

/** [expression, expected value] — one happy path per function (some get several). */
const HAPPY: [string, unknown][] = [
  ['format("%s-%d", "web", 3)', 'web-3'],
  ['format("%v %v %v", "a", 1.5, true)', 'a 1.5 true'],
  ['format("%q", "x\\"y")', '"x\\"y"'],
  ['format("%.2f|%f", 3.14159, 2)', '3.14|2.000000'],
  ['format("[%5d][%-5s][%05d][%%]", 42, "ab", 7)', '[   42][ab   ][00007][%]'],
  ['format("%v", [1, "a"])', '[1,"a"]'],
  ['formatlist("%s=%d", ["a", "b"], [1, 2])', ['a=1', 'b=2']],
  ['formatlist("%s.lan", ["a", "b"])', ['a.lan', 'b.lan']],
  ['join(", ", ["a", "b"], ["c"])', 'a, b, c'],
  ['split(",", "a,b,,c")', ['a', 'b', '', 'c']],
  ['lookup({a = 1}, "a")', 1],
  ['lookup({a = 1}, "b", 7)', 7],
  ['merge({a = 1, b = 1}, {b = 2}, null)', { a: 1, b: 2 }],
  ['concat([1], [2, 3], [])', [1, 2, 3]],
  ['length("héllo")', 5],
  ['length({a = 1, b = 2})', 2],
  ['keys({b = 1, a = 2})', ['a', 'b']],
  ['values({b = 1, a = 2})', [2, 1]],
  ['contains(["a", "b"], "b")', true],
  ['coalesce(null, "", "x")', 'x'],
  ['min(3, 1, 2)', 1],
  ['max(3, 1, 2)', 3],
  ['upper("abc")', 'ABC'],
  ['lower("ABC")', 'abc'],
  ['replace("a-b-c", "-", "_")', 'a_b_c'],
  ['replace("web01", "/([a-z]+)(\\\\d+)/", "$2-$1")', '01-web'],
  ['replace("web01", "/(?P<n>\\\\d+)/", "<$${1}>")', 'web<01>'],
  ['range(3)', [0, 1, 2]],
  ['range(1, 4)', [1, 2, 3]],
  ['range(10, 0, -4)', [10, 6, 2]],
  ['toset(["b", "a", "b"])', ['a', 'b']],
  ['tolist(["a"])', ['a']],
  ['tomap({a = "x"})', { a: 'x' }],
  ['tostring(5)', '5'],
  ['tonumber("5.5")', 5.5],
  ['jsonencode({b = [1, true, null], a = "x"})', '{"a":"x","b":[1,true,null]}'],
  ['jsondecode("{\\"a\\": [1, 2]}")', { a: [1, 2] }],
  ['file("motd.txt")', 'hello\n'],
  ['templatefile("hosts.tpl", { hosts = { web = "10.0.0.2", db = "10.0.0.3" }, port = 80 })', '10.0.0.3 db\n10.0.0.2 web\nport=80\n'],
  ['cidrhost("10.0.0.0/24", 5)', '10.0.0.5'],
  ['cidrhost("10.0.0.0/24", -1)', '10.0.0.255'],
  ['cidrhost("fd00:1::/64", 10)', 'fd00:1::a'],
  // RFC 5952 text: the first of two equally long zero runs is the one compressed.
  ['cidrhost("2001:db8:0:0:1:0:0:1/128", 0)', '2001:db8::1:0:0:1'],
  ['cidrhost("::ffff:10.0.0.0/120", 5)', '::ffff:a00:5'],
  ['cidrsubnet("10.0.0.0/16", 8, 2)', '10.0.2.0/24'],
  ['cidrsubnet("172.16.0.0/12", 4, 15)', '172.31.0.0/16'],
  ['cidrsubnet("fd00::/48", 16, 258)', 'fd00:0:0:102::/64'],
  // The FIPS 180-2 test vector for "abc".
  ['sha256("abc")', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['base64encode("héllo")', 'aMOpbGxv'],
  ['base64decode("aMOpbGxv")', 'héllo'],
  ['trimspace("  x \\n")', 'x'],
  ['trimprefix("lxc-web", "lxc-")', 'web'],
  ['trimsuffix("web.lan", ".lan")', 'web'],
  ['substr("hello world", 1, 4)', 'ello'],
  ['substr("hello", -3, -1)', 'llo'],
  ['element(["a", "b", "c"], 4)', 'b'],
  ['index(["a", "b"], "b")', 1],
  ['flatten([[1, [2]], [], [3]])', [1, 2, 3]],
  ['distinct([1, 2, 1, 3, 2])', [1, 2, 3]],
  ['sort(["b", "c", "a"])', ['a', 'b', 'c']],
  ['reverse([1, 2, 3])', [3, 2, 1]],
  ['slice(["a", "b", "c", "d"], 1, 3)', ['b', 'c']],
  ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  ['abs(-3)', 3],
  ['ceil(1.2)', 2],
  ['floor(-1.2)', -2],
  ['can(var.m.missing)', false],
  ['can(var.m.a)', true],
  ['try(var.m.missing, var.m.a)', 1],
  ['startswith("pve1", "pve")', true],
  ['endswith("pve1", "pve")', false],
  ['join("-", [for s in split(".", "a.b.c") : upper(s)])', 'A-B-C'],
  ['max([5, 9, 2]...)', 9],
];

/** [expression, text the error must contain] — one failure per function. */
const FAILING: [string, string][] = [
  ['format("%d", "abc")', 'number required'],
  ['format("%s %s", "a")', 'not enough arguments'],
  ['format("%d", 1.5)', 'whole number'],
  ['format("%.500f", 1)', 'precision at most 100'],
  ['formatlist("%s%s", ["a"], ["b", "c"])', 'same length'],
  ['join(",", [["a"]])', 'not a string'],
  ['split(",")', 'Missing value for "str"'],
  ['lookup({a = 1}, "b")', 'not in the map'],
  ['merge({a = 1}, "x")', 'map required'],
  ['concat([1], "x")', 'list required'],
  ['length(5)', 'string, a list or a map'],
  ['keys(["a"])', 'map required'],
  ['values("x")', 'map required'],
  ['contains("ab", "a")', 'list required'],
  ['coalesce(null, "")', 'no non-null'],
  ['min()', 'at least one number'],
  ['max("a")', 'number required'],
  ['upper(["a"])', 'string required'],
  ['lower({})', 'string required'],
  ['replace("a", "/(/", "b")', 'invalid regular expression'],
  ['range(1, 2, 3, 4)', 'at most 3'],
  ['range(0, 5, -1)', 'step must be positive'],
  ['range(2000)', 'limit is 1024'],
  ['toset("a")', 'list required'],
  ['tolist({a = 1})', 'list required'],
  ['tomap(["a"])', 'cannot convert list to map'],
  ['tostring([1])', 'cannot convert list to string'],
  ['tonumber("12abc")', 'cannot convert "12abc" to number'],
  ['jsonencode()', 'Missing value for "val"'],
  ['jsondecode("{nope")', 'invalid JSON'],
  ['file("nope.txt")', 'cannot read file "nope.txt"'],
  ['templatefile("hosts.tpl", { hosts = {} })', 'refers to "port", which is not among the variables'],
  ['templatefile("broken.tpl", {})', 'invalid template "broken.tpl"'],
  ['templatefile("self.tpl", {})', 'cannot be called from inside a template'],
  ['cidrhost("10.0.0.0/30", 4)', 'does not accommodate a host numbered 4'],
  ['cidrhost("10.0.0.300/24", 1)', 'invalid CIDR address'],
  ['cidrsubnet("10.0.0.0/30", 4, 0)', 'insufficient address space'],
  ['cidrsubnet("10.0.0.0/16", 2, 4)', 'does not accommodate a subnet numbered 4'],
  ['sha256(["a"])', 'string required'],
  ['base64encode()', 'Missing value for "str"'],
  ['base64decode("not base64!")', 'not valid base64'],
  ['trimspace(null)', 'must not be null'],
  ['trimprefix("a")', 'Missing value for "prefix"'],
  ['trimsuffix("a", "b", "c")', 'expects only 2 argument(s)'],
  ['substr("abc", 5, 1)', 'beyond the end'],
  ['element([], 0)', 'empty list'],
  ['index(["a"], "z")', 'item not found'],
  ['flatten("a")', 'list required'],
  ['distinct({})', 'list required'],
  ['sort([["a"]])', 'not a string'],
  ['reverse("abc")', 'list required'],
  ['slice([1, 2], 1, 5)', 'end_index must be less than or equal'],
  ['zipmap(["a"], [1, 2])', 'does not match'],
  ['abs("x")', 'number required'],
  ['ceil(true)', 'number required'],
  ['floor([])', 'number required'],
  ['can()', 'Not enough function arguments'],
  ['try(var.m.missing, var.m.other)', 'no expression succeeded'],
  ['startswith(1)', 'Missing value for "prefix"'],
  ['endswith()', 'Missing value for "str"'],
];

const scope = { variables: { m: { a: 1 } }, files };

group('function library', () => {
  test.each(HAPPY)('%s', (source, expected) => {
    expect(value(source, scope)).toEqual(expected);
  });

  test.each(FAILING)('%s fails', (source, message) => {
    expect(failure(source, scope)).toContain(message);
  });

  test('errors point at the offending argument, arity errors at the call', () => {
    const typeError = run('upper(1 == 1 ? [] : [])');
    expect(typeError.diagnostics[0]!.range!.start.col).toBe(7);
    const arity = run('  upper()');
    expect(arity.diagnostics[0]!.summary).toBe('Not enough function arguments');
    expect(arity.diagnostics[0]!.range!.start.col).toBe(3);
  });

  test('unknown function suggests the closest name', () => {
    expect(failure('lenght([1])')).toBe('test.hcl:1:1: Call to unknown function: There is no function named "lenght". Did you mean "length"?');
  });

  test('every library function has a happy-path and a failure case above', () => {
    const names = (rows: [string, unknown][]) => [...new Set(rows.map(([s]) => s.slice(0, s.indexOf('('))))].sort();
    expect(names(HAPPY)).toEqual([...FUNCTION_NAMES].sort());
    expect(names(FAILING)).toEqual([...FUNCTION_NAMES].sort());
  });

  test('unknown arguments make the result unknown, except where the answer is still known', () => {
    const u = { variables: { u: UNKNOWN, m: { a: 1 } } };
    expect(value('upper(var.u)', u)).toBe(UNKNOWN);
    expect(value('join(",", ["a", var.u])', u)).toBe(UNKNOWN);
    expect(value('length([var.u, 1])', u)).toBe(2);
    expect(value('concat([var.u], [1])', u)).toEqual([UNKNOWN, 1]);
    expect(value('lookup({a = var.u, b = 2}, "b")', u)).toBe(2);
    expect(value('can(var.u)', u)).toBe(UNKNOWN);
    expect(value('try(var.u, 1)', u)).toBe(UNKNOWN);
    expect(value('jsonencode({a = var.u})', u)).toBe(UNKNOWN);
  });
});
