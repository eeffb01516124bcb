import { describe as group, expect, test } from 'vitest';
import { decodeBody } from '../../src/config/decode.js';
import { parseHcl } from '../../src/config/parser.js';
import { UNKNOWN, type TypeExpr } from '../../src/config/values.js';
import type { ResourceSchema } from '../../src/resources/provider.js';
import { describe, makeScope } from './helpers.js';

const network: TypeExpr = { object: { name: 'string', bridge: 'string', ip: 'string', tag: 'number' }, optional: ['ip', 'tag'] };

const SCHEMA: ResourceSchema = {
  description: 'test guest',
  attributes: {
    vmid: { type: 'number', description: 'id', required: true },
    hostname: { type: 'string', description: 'name', optional: true },
    memory: { type: 'number', description: 'MiB', optional: true, default: 512 },
    onboot: { type: 'bool', description: 'start at boot', optional: true },
    tags: { type: { set: 'string' }, description: 'tags', optional: true },
    password: { type: 'string', description: 'root password', optional: true, sensitive: true },
    mac: { type: 'string', description: 'generated', computed: true },
    network: { type: { list: network }, description: 'NICs', optional: true, block: 'list' },
    features: { type: { object: { nesting: 'bool' }, optional: ['nesting'] }, description: 'flags', optional: true, block: 'single' },
  },
};

function decode(body: string, scope = makeScope({ variables: { secret: 'pw', u: UNKNOWN }, sensitiveVariables: new Set(['secret']) })) {
  const { file, diagnostics } = parseHcl(`resource "lxc" "web" {\n${body}\n}\n`, 'main.hcl');
  expect(diagnostics).toEqual([]);
  const block = file.body.items[0]!;
  if (block.kind !== 'block') throw new Error('expected a block');
  const result = decodeBody(block.body, SCHEMA, scope, 'lxc.web');
  return { ...result, messages: result.diagnostics.map(describe) };
}

group('decodeBody', () => {
  test('converts values, applies defaults and leaves unset optional attributes null', () => {
    const { attrs, messages } = decode('  vmid = "101"\n  onboot = "true"\n  tags = ["b", "a", "b"]');
    expect(messages).toEqual([]);
    expect(attrs).toEqual({ vmid: 101, hostname: null, memory: 512, onboot: true, tags: ['a', 'b'], password: null, mac: null, network: null, features: null });
  });

  test('repeated nested blocks and the attribute form give the same value', () => {
    const blocks = decode('  vmid = 1\n  network {\n    name = "eth0"\n    bridge = "vmbr0"\n  }\n  network {\n    name = "eth1"\n    bridge = "vmbr1"\n    tag = 5\n  }');
    const attribute = decode('  vmid = 1\n  network = [{ name = "eth0", bridge = "vmbr0" }, { name = "eth1", bridge = "vmbr1", tag = "5" }]');
    expect(blocks.messages).toEqual([]);
    expect(attribute.messages).toEqual([]);
    expect(blocks.attrs.network).toEqual([
      { name: 'eth0', bridge: 'vmbr0', ip: null, tag: null },
      { name: 'eth1', bridge: 'vmbr1', ip: null, tag: 5 },
    ]);
    expect(attribute.attrs.network).toEqual(blocks.attrs.network);
  });

  test('a single nested block or an object', () => {
    expect(decode('  vmid = 1\n  features {\n    nesting = true\n  }').attrs.features).toEqual({ nesting: true });
    expect(decode('  vmid = 1\n  features = { nesting = true }').attrs.features).toEqual({ nesting: true });
  });

  test('unknown values pass through', () => {
    const { attrs, messages } = decode('  vmid = var.u\n  hostname = "x-${var.u}"');
    expect(messages).toEqual([]);
    expect(attrs.vmid).toBe(UNKNOWN);
    expect(attrs.hostname).toBe(UNKNOWN);
  });

  test('sensitive paths: schema-sensitive attributes and values read from sensitive variables', () => {
    const { sensitivePaths } = decode('  vmid = 1\n  password = "x"\n  hostname = "h-${var.secret}"\n  network {\n    name = var.secret\n    bridge = "b"\n  }');
    expect(sensitivePaths).toEqual(expect.arrayContaining([['password'], ['hostname'], ['network', '0', 'name']]));
    expect(sensitivePaths).toHaveLength(3);
  });

  test.each([
    ['  vmid = 1\n  hostnme = "x"', 'main.hcl:3:3: Unsupported argument: An argument named "hostnme" is not expected here. Did you mean "hostname"?'],
    ['  hostname = "x"', 'main.hcl:1:22: Missing required argument: The argument "vmid" is required, but no definition was found.'],
    ['  vmid = "abc"', 'main.hcl:2:10: Incorrect attribute value type: Inappropriate value for attribute "vmid": a number is required, got "abc". The expected type is number.'],
    ['  vmid = 1\n  tags = "a"', 'main.hcl:3:10: Incorrect attribute value type: Inappropriate value for attribute "tags": set of string required. The expected type is set(string).'],
    ['  vmid = 1\n  mac = "aa"', 'main.hcl:3:3: Value for unconfigurable attribute'],
    ['  vmid = 1\n  vmid = 2', 'main.hcl:3:3: Duplicate argument'],
    ['  vmid = 1\n  network {\n    name = "a"\n  }', 'main.hcl:3:3: Missing required argument: The argument "bridge" is required'],
    ['  vmid = 1\n  network {\n    name = "a"\n    bridge = "b"\n    brige = "c"\n  }', 'main.hcl:6:5: Unsupported argument: An argument named "brige" is not expected here. Did you mean "bridge"?'],
    ['  vmid = 1\n  network = [{ name = "a", bridge = "b", brige = "c" }]', 'main.hcl:3:13: Unsupported argument: An argument named "brige" is not expected in "network". Did you mean "bridge"?'],
    ['  vmid = 1\n  netwrk {\n  }', 'main.hcl:3:3: Unsupported block type: Blocks of type "netwrk" are not expected here. Did you mean "network"?'],
    ['  vmid = 1\n  memory {\n  }', 'main.hcl:3:3: Unsupported block type: "memory" is an argument, not a block'],
    ['  vmid = 1\n  features {\n  }\n  features {\n  }', 'main.hcl:5:3: Too many blocks'],
    ['  vmid = var.nope', 'main.hcl:2:10: Reference to undeclared input variable'],
  ])('%s', (body, message) => {
    const { messages, diagnostics } = decode(body);
    expect(messages.some((m) => m.startsWith(message)), messages.join('\n')).toBe(true);
    expect(diagnostics.every((d) => d.subject === 'lxc.web')).toBe(true);
  });
});
