/** Generated configurations for the benchmarks: deterministic, realistic shapes, any size. */

/**
 * N `test_resource` resources in chains of ten (each refers to the previous one's computed id), with a
 * variable, a local map and an interpolated name per resource — the shape of a large estate.
 */
export function testResourceConfig(count: number): string {
  const lines = [
    'variable "prefix" {',
    '  type    = string',
    '  default = "bench"',
    '}',
    '',
    'locals {',
    '  tags = { env = "bench", owner = "ops" }',
    '}',
    '',
  ];
  for (let i = 0; i < count; i++) {
    lines.push(`resource "test_resource" "r${i}" {`);
    lines.push(`  name  = "\${var.prefix}-${i}"`);
    lines.push(i % 10 === 0 ? `  value = "root-${i}"` : `  value = test_resource.r${i - 1}.id`);
    lines.push('  tags  = merge(local.tags, { index = tostring(' + i + ') })');
    lines.push('}', '');
  }
  return lines.join('\n');
}
