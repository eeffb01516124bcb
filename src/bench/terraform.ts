/**
 * phoenix and Terraform side by side, when `terraform` is on the PATH (skipped otherwise): a fresh
 * apply of the same number of objects through each real CLI — `terraform_data` against `test_resource`
 * (in memory, so neither pays for a provider's own storage), both with their state file persisted —
 * then a plan of the applied state. Wall and CPU time separately (timed.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onPath, timed } from './timed.js';
import type { BenchResult } from './walker.js';

const COUNT = 1_000;
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export async function benchTerraform(): Promise<BenchResult[]> {
  if (!onPath('terraform')) {
    return [{ name: 'phoenix vs Terraform', figures: { skipped: 'terraform is not installed' }, ok: true }];
  }
  const tfDir = mkdtempSync(join(tmpdir(), 'phoenix-bench-tf-'));
  const pxDir = mkdtempSync(join(tmpdir(), 'phoenix-bench-px-'));
  try {
    const tfEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    writeFileSync(join(tfDir, 'main.tf'), `resource "terraform_data" "r" {\n  count = ${COUNT}\n  input = "value-\${count.index}"\n}\n`);
    timed(['terraform', 'init', '-input=false', '-no-color'], tfDir, tfEnv);
    const tfApply = timed(['terraform', 'apply', '-auto-approve', '-input=false', '-no-color'], tfDir, tfEnv);
    const tfPlan = timed(['terraform', 'plan', '-input=false', '-no-color'], tfDir, tfEnv);

    const { PHOENIX_TEST_STORE: _unused, ...pxEnv } = process.env;
    writeFileSync(join(pxDir, 'main.hcl'), `resource "test_resource" "r" {\n  count = ${COUNT}\n  name  = "r-\${count.index}"\n  value = "value-\${count.index}"\n}\n`);
    const pxApply = timed([process.execPath, CLI, 'apply', '-auto-approve', '-no-color'], pxDir, { ...pxEnv, NO_COLOR: '1' });
    const pxPlan = timed([process.execPath, CLI, 'plan', '-refresh=false', '-no-color'], pxDir, { ...pxEnv, NO_COLOR: '1' });

    const figures: Record<string, number | string> = {};
    for (const [name, t] of Object.entries({ terraform_apply: tfApply, phoenix_apply: pxApply, terraform_plan: tfPlan, phoenix_plan: pxPlan })) {
      figures[`${name}_wall_ms`] = Math.round(t.wallMs);
      if (t.cpuMs !== undefined) figures[`${name}_cpu_ms`] = Math.round(t.cpuMs);
    }
    return [{ name: `phoenix vs Terraform: apply then plan of ${COUNT.toLocaleString('en')} objects, state persisted`, figures, ok: true }];
  } finally {
    rmSync(tfDir, { recursive: true, force: true });
    rmSync(pxDir, { recursive: true, force: true });
  }
}
