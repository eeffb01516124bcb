/**
 * NUL and control characters in any string that reaches a Proxmox host are refused by `validate`, with
 * the caret on the argument — one engine-wide check, whatever the type or the nesting. Tab, newline and
 * carriage return stay allowed (scripts, descriptions); a type that never reaches a host is not checked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from './harness.js';

const spaces: Workspace[] = [];
afterEach(() => spaces.splice(0).forEach((ws) => ws.remove()));

async function validate(hcl: string) {
  const ws = workspace({ 'main.hcl': hcl });
  spaces.push(ws);
  return ws.run(['validate', '-no-color']);
}

/** Every place a host-bound string can sit: top level, list element, map value and key, nested block. */
const CASES: { name: string; hcl: string; line: string; message: string }[] = [
  {
    name: 'lxc description (NUL)',
    hcl: 'resource "lxc" "a" {\n  vmid        = 120\n  hostname    = "a"\n  ostemplate  = "local:vztmpl/d.tar.zst"\n  description = "a\\u0000b"\n}\n',
    line: '5:   description = "a\\u0000b"',
    message: 'The value of "description" contains the control character U+0000 (NUL) at offset 1',
  },
  {
    name: 'lxc tag (escape)',
    hcl: 'resource "lxc" "a" {\n  vmid       = 120\n  hostname   = "a"\n  ostemplate = "local:vztmpl/d.tar.zst"\n  tags       = ["ok", "x\\u001by"]\n}\n',
    line: '5:   tags       = ["ok", "x\\u001by"]',
    message: 'The value of "tags[1]" contains the control character U+001B',
  },
  {
    name: 'vm cloud-init user (nested block)',
    hcl: 'resource "vm" "v" {\n  vmid = 130\n  name = "v"\n  cloud_init {\n    user = "ad\\u0007min"\n  }\n}\n',
    line: '5:     user = "ad\\u0007min"',
    message: 'The value of "user" contains the control character U+0007 at offset 2',
  },
  {
    name: 'zfs property value (map)',
    hcl: 'resource "zfs_dataset" "d" {\n  name       = "tank/d"\n  properties = { comment = "x\\u0000" }\n}\n',
    line: '3:   properties = { comment = "x\\u0000" }',
    message: 'The value of "properties["comment"]" contains the control character U+0000 (NUL)',
  },
  {
    name: 'feature input key',
    hcl: 'resource "feature" "f" {\n  guest  = 120\n  name   = "d"\n  script = "echo ok"\n  inputs = { "k\\u0001" = "v" }\n}\n',
    line: '5:   inputs = { "k\\u0001" = "v" }',
    message: 'A key of "inputs" contains the control character U+0001',
  },
];

describe('control characters in values bound for a host', () => {
  for (const c of CASES) {
    it(`refuses ${c.name} at validate, caret on the argument`, async () => {
      const run = await validate(c.hcl);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Error: Invalid character in value');
      expect(run.stderr).toContain(c.message);
      const lines = run.stderr.split('\n');
      const at = lines.findIndex((l) => l.includes(c.line));
      expect(at).toBeGreaterThan(0);
      expect(lines[at + 1]).toMatch(/\^{3,}/);
    });
  }

  it('accepts tab, newline and carriage return, and does not check types that never reach a host', async () => {
    const run = await validate(
      'resource "feature" "f" {\n  guest  = 120\n  name   = "d"\n  script = "echo\\tok\\r\\n"\n}\n' +
        'resource "test_resource" "t" {\n  name = "x\\u0000y"\n}\n',
    );
    expect(run.stderr).not.toContain('Error');
    expect(run.stdout).toContain('Success!');
    expect(run.code).toBe(0);
  });
});
