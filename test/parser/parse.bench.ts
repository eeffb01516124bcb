/**
 * Parser throughput on a generated 10,000-resource configuration (~150k lines).
 * Run with `npx vitest bench test/parser`; kept out of the test run because machines are shared.
 */
import { bench, describe } from 'vitest';
import { formatHcl } from '../../src/config/fmt.js';
import { parseHcl } from '../../src/config/parser.js';

function generateConfig(resources: number): string {
  const blocks: string[] = [];
  for (let i = 0; i < resources; i++) {
    blocks.push(`# container ${i}
resource "lxc" "c${i}" {
  node     = var.node
  vmid     = ${1000 + i}
  hostname = "host-\${count.index}-${i}"
  memory   = local.is_prod ? 4096 : 1024
  tags     = ["a", "b", var.env]
  network {
    name   = "eth0"
    bridge = "vmbr0"
    ip     = cidrhost("10.0.0.0/16", ${i})
  }
  labels = { role = "web", tier = 1 }
}
`);
  }
  return blocks.join('\n');
}

const large = generateConfig(10_000);

describe('10,000 resources', () => {
  bench('parseHcl', () => {
    const { diagnostics } = parseHcl(large, 'large.hcl');
    if (diagnostics.length > 0) throw new Error('generated config should parse cleanly');
  }, { iterations: 5 });

  bench('formatHcl', () => {
    formatHcl(large, 'large.hcl');
  }, { iterations: 3 });
});
