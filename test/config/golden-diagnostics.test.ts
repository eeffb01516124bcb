/**
 * Golden diagnostics: the exact text (location, summary, detail) users see for the most common
 * mistakes. The expected text lives in golden/*.txt so a wording change shows up as a reviewable diff.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { decodeBody } from '../../src/config/decode.js';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { resolveVariables } from '../../src/config/variables.js';
import type { ResourceSchema } from '../../src/resources/provider.js';
import { makeScope } from './helpers.js';

function render(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const where = d.range ? `${d.range.file}:${d.range.start.line}:${d.range.start.col}: ` : d.subject ? `${d.subject}: ` : '';
      return `${where}${d.severity}: ${d.summary}\n  ${d.detail ?? ''}\n`;
    })
    .join('');
}

function golden(name: string): string {
  return readFileSync(new URL(`./golden/${name}.txt`, import.meta.url), 'utf8');
}

const SCHEMA: ResourceSchema = {
  description: 'container',
  attributes: {
    vmid: { type: 'number', description: 'id', required: true },
    hostname: { type: 'string', description: 'name', optional: true },
    memory: { type: 'number', description: 'MiB', optional: true },
  },
};

test('loader: undeclared variable and resource with suggestions, duplicate resource address', () => {
  const main = `variable "hostname" {
  default = "web"
}

resource "lxc" "web" {
  vmid     = 101
  hostname = var.hostnme
}

resource "lxc" "db" {
  vmid     = 102
  hostname = "\${lxc.wbe.hostname}-db"
}
`;
  const extra = `resource "lxc" "web" {
  vmid = 103
}
`;
  const { diagnostics } = loadConfig([
    { name: 'main.hcl', source: main },
    { name: 'extra.hcl', source: extra },
  ]);
  expect(render(diagnostics)).toBe(golden('loader'));
});

test('decodeBody: wrong attribute type, unknown attribute, missing required attribute', () => {
  const { config } = loadConfig([
    {
      name: 'main.hcl',
      source: `resource "lxc" "web" {
  memory   = "lots"
  hostnme  = "web"
}
`,
    },
  ]);
  const { diagnostics } = decodeBody(config.resources.get('lxc.web')!.body, SCHEMA, makeScope(), 'lxc.web');
  expect(render(diagnostics)).toBe(golden('decode'));
});

test('resolveVariables: invalid -var value', () => {
  const { config } = loadConfig([{ name: 'variables.hcl', source: 'variable "memory" {\n  type = number\n}\n' }]);
  const { diagnostics } = resolveVariables(config, { cliVars: ['memory=2G'], varFiles: [], autoVarFiles: [], env: {} });
  expect(render(diagnostics)).toBe(golden('variables'));
});
