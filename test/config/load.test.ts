import { describe as group, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { bodyReferences, findReferences } from '../../src/config/references.js';
import { describe, parse } from './helpers.js';

function load(source: string, name = 'main.hcl') {
  const { config, diagnostics } = loadConfig([{ name, source }]);
  return { config, messages: diagnostics.map(describe) };
}

group('loadConfig: declarations', () => {
  const { config, messages } = load(`
variable "name" {
  type        = string
  default     = "web"
  description = "guest name"
  validation {
    condition     = length(var.name) > 2
    error_message = "Name too short."
  }
}
variable "password" {
  type      = string
  sensitive = true
}
variable "sizes" {
  type    = map(object({ disk = number, tag = optional(string) }))
  default = { a = { disk = "8" } }
}
locals {
  fqdn = "\${var.name}.lan"
}
resource "lxc" "web" {
  count = 2
  vmid  = 100 + count.index
  name  = "\${local.fqdn}-\${count.index}"
  depends_on = [zfs_dataset.data]
  lifecycle {
    prevent_destroy       = true
    create_before_destroy = true
    ignore_changes        = [tags, network[0].bridge]
  }
}
resource "zfs_dataset" "data" {
  for_each = var.sizes
  name     = "tank/\${each.key}"
}
output "ids" {
  value       = lxc.web[*].vmid
  description = "vmids"
  sensitive   = true
}
node "pve1" {
  connection = "ssh://root@10.0.0.2"
}
backend "local" {
  path = "state.json"
}
phoenix {
  plugins = ["./plugins/extra.js"]
}
`);

  test('has no diagnostics', () => expect(messages).toEqual([]));

  test('variables keep type, converted default, sensitivity and validations', () => {
    const sizes = config.variables.get('sizes')!;
    expect(sizes.type).toEqual({ map: { object: { disk: 'number', tag: 'string' }, optional: ['tag'] } });
    expect(sizes.default).toEqual({ a: { disk: 8, tag: null } });
    expect(config.variables.get('password')).toMatchObject({ sensitive: true, hasDefault: false });
    expect(config.variables.get('name')).toMatchObject({ description: 'guest name', default: 'web' });
    expect(config.variables.get('name')!.validations).toHaveLength(1);
  });

  test('resources keep meta-arguments apart from their body', () => {
    const web = config.resources.get('lxc.web')!;
    expect(web.count).toBeDefined();
    expect(web.body.items.map((i) => (i.kind === 'attribute' ? i.name : i.type))).toEqual(['vmid', 'name']);
    expect(web.dependsOn).toMatchObject([{ kind: 'resource', address: 'zfs_dataset.data' }]);
    expect(web.lifecycle).toEqual({ preventDestroy: true, createBeforeDestroy: true, ignoreChanges: [['tags'], ['network', '0', 'bridge']] });
    expect(config.resources.get('zfs_dataset.data')!.forEach).toBeDefined();
  });

  test('outputs, nodes, backend and plugins', () => {
    expect(config.outputs.get('ids')).toMatchObject({ description: 'vmids', sensitive: true });
    expect(config.nodes.has('pve1')).toBe(true);
    expect(config.backend?.type).toBe('local');
    expect(config.plugins).toEqual(['./plugins/extra.js']);
    expect(config.sources.get('main.hcl')).toContain('resource "lxc" "web"');
  });
});

group('loadConfig: diagnostics', () => {
  test.each([
    ['resource "lxc" "a" {}\nresource "lxc" "a" {}', 'main.hcl:2:16: Duplicate resource "lxc" configuration: A lxc resource named "a" was already declared at main.hcl:1:1.'],
    ['variable "a" {}\nvariable "a" {}', 'main.hcl:2:10: Duplicate variable declaration'],
    ['locals {\n  a = 1\n}\nlocals {\n  a = 2\n}', 'main.hcl:5:3: Duplicate local value declaration'],
    ['output "o" { value = 1 }\noutput "o" { value = 2 }', 'main.hcl:2:8: Duplicate output declaration'],
    ['node "n" {}\nnode "n" {}', 'main.hcl:2:6: Duplicate node declaration'],
    ['resorce "lxc" "a" {}', 'main.hcl:1:1: Unsupported block type: Blocks of type "resorce" are not expected here. Did you mean "resource"?'],
    ['resource "lxc" {}', 'main.hcl:1:1: Missing name for resource'],
    ['resource "lxc" "a" "b" {}', 'main.hcl:1:20: Extraneous label for resource'],
    ['resource "lxc" "9a" {}', 'main.hcl:1:16: Invalid resource name'],
    ['variable "a" {\n  tpye = string\n}', 'main.hcl:2:3: Unsupported argument: An argument named "tpye" is not expected here. Did you mean "type"?'],
    ['variable "a" {\n  type = strin\n}', 'main.hcl:2:10: Invalid type specification'],
    ['variable "a" {\n  type = number\n  default = "x"\n}', 'main.hcl:3:13: Invalid default value for variable'],
    ['variable "a" {\n  default = var.b\n}', 'main.hcl:2:13: Variables not allowed'],
    ['output "o" {}', 'main.hcl:1:1: Missing required argument: The argument "value" is required'],
    ['resource "lxc" "a" {\n  count = 1\n  for_each = {}\n}', 'main.hcl:3:3: Invalid combination of "count" and "for_each"'],
    ['resource "lxc" "a" {\n  name = each.key\n}', 'main.hcl:2:10: Reference to "each" in context without for_each'],
    ['resource "lxc" "a" {\n  name = count.index\n}', 'main.hcl:2:10: Reference to "count" in non-counted context'],
    ['resource "lxc" "a" {\n  name = lxc.a.id\n}', 'main.hcl:2:10: Self-referential block'],
    ['locals {\n  a = local.b\n  b = local.a\n}', 'main.hcl:2:3: Cycle in local values'],
    ['locals {\n  a = local.a\n}', 'main.hcl:2:3: Self-referencing local value: local.a refers to itself.'],
    ['locals {\n  a = local.nope\n}', 'main.hcl:2:7: Reference to undeclared local value'],
    ['output "o" {\n  value = node.pve2\n}\nnode "pve1" {}', 'main.hcl:2:11: Reference to undeclared node: A node named "pve2" has not been declared. Did you mean "node.pve1"?'],
    ['resource "lxc" "a" {\n  depends_on = ["lxc.b"]\n}', 'main.hcl:2:17: Invalid depends_on reference'],
    ['resource "lxc" "a" {\n  lifecycle {\n    prevent_destroy = "maybe"\n  }\n}', 'main.hcl:3:23: Incorrect attribute value type'],
    ['backend "local" {}\nbackend "pg" {}', 'main.hcl:2:1: Duplicate backend configuration'],
    ['name = "x"', 'main.hcl:1:1: Unsupported argument'],
  ])('%s', (source, message) => {
    const { messages } = load(source);
    expect(messages.some((m) => m.startsWith(message)), messages.join('\n')).toBe(true);
  });

  test('undeclared references are found in resources, locals and outputs alike', () => {
    const { messages } = load('locals {\n  a = var.x\n}\noutput "o" {\n  value = var.y\n}\nresource "lxc" "r" {\n  n = var.z\n}');
    expect(messages.filter((m) => m.includes('Reference to undeclared input variable'))).toHaveLength(3);
  });

  test('parse errors are passed through with their position', () => {
    const { messages } = load('resource "lxc" "a" {\n  name = \n}');
    expect(messages[0]).toMatch(/^main\.hcl:2:/);
  });

  test('the first of two duplicates is related', () => {
    const { diagnostics } = loadConfig([
      { name: 'a.hcl', source: 'resource "lxc" "web" {}' },
      { name: 'b.hcl', source: '\nresource "lxc" "web" {}' },
    ]);
    expect(diagnostics[0]!.related).toEqual([{ message: 'first declared here', range: expect.objectContaining({ file: 'a.hcl' }) }]);
  });
});

group('references', () => {
  test('findReferences names what an expression uses, not for-variables', () => {
    const refs = findReferences(parse('[for k, v in var.m : "${k}${v}${local.x}${lxc.web[count.index].ip}${path.root}"]'));
    expect(refs.map((r) => ('name' in r ? `${r.kind}:${r.name}` : 'address' in r ? `resource:${r.address}` : r.kind))).toEqual([
      'variable:m',
      'local:x',
      'resource:lxc.web',
      'count',
      'path',
    ]);
  });

  test('bodyReferences descends into nested blocks', () => {
    const { config } = load('resource "lxc" "a" {\n  network {\n    ip = var.ip\n  }\n}\nvariable "ip" {}');
    expect(bodyReferences(config.resources.get('lxc.a')!.body)).toMatchObject([{ kind: 'variable', name: 'ip' }]);
  });
});
