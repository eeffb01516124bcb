/**
 * Every example is written the way `phoenix fmt` (and `terraform fmt`) writes it: users copy examples,
 * and a copied example must pass a CI `fmt -check` as it is. Each example's configuration is copied to
 * a temporary directory and checked there through the real CLI.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../cli/harness.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const workspaces: Workspace[] = [];
afterAll(() => workspaces.forEach((ws) => ws.remove()));

describe('examples are fmt-clean', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['basic', 'homelab', 'phoenix-estate']));
  });

  it.each(examples)('examples/%s passes `phoenix fmt -check -recursive`', async (name) => {
    const ws = workspace({}, { copyFrom: join(EXAMPLES, name) });
    workspaces.push(ws);
    const result = await ws.run(['fmt', '-check', '-recursive']);
    expect({ code: result.code, unformatted: result.stdout, stderr: result.stderr }).toEqual({ code: 0, unformatted: '', stderr: '' });
  });

  it('the check itself fails on an unformatted copy', async () => {
    const ws = workspace({}, { copyFrom: join(EXAMPLES, 'basic') });
    workspaces.push(ws);
    ws.write('main.hcl', ws.read('main.hcl').replace(/\n {2}(\w)/, '\n      $1'));
    const result = await ws.run(['fmt', '-check', '-recursive']);
    expect({ code: result.code, unformatted: result.stdout }).toEqual({ code: 3, unformatted: 'main.hcl\n' });
  });
});
