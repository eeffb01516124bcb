import { parseHcl } from './src/config/parser.ts';
const parts: string[] = [];
for (let i = 0; i < 10000; i++) {
  parts.push(`# container ${i}
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
const src = parts.join('\n');
console.log('lines', src.split('\n').length);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const r = parseHcl(src, 'big.hcl');
  console.log('ms', (performance.now() - t0).toFixed(0), r.diagnostics.length, r.file.body.items.length);
}
import { lex } from './src/config/lexer.ts';
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const r = lex(src, 'big.hcl');
  console.log('lex ms', (performance.now() - t0).toFixed(0), r.tokens.length);
}
