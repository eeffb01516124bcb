import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { formatHcl } from './src/config/fmt.ts';
import { parseHcl } from './src/config/parser.ts';
import { toOracleShape } from './test/parser/oracle-shape.ts';
const norm = (v: unknown) => JSON.parse(JSON.stringify(v).replace(/\s+/g, ''));
for (const f of process.argv.slice(2)) {
  const src = readFileSync(f, 'utf8');
  const once = formatHcl(src, f);
  const twice = formatHcl(once.output, f);
  const a = norm(toOracleShape(parseHcl(src, f).file.body, src));
  const b = norm(toOracleShape(parseHcl(once.output, f).file.body, once.output));
  const ok = once.output === twice.output && isDeepStrictEqual(a, b) && once.diagnostics.length === 0;
  if (!ok || process.env.SHOW) { console.log('==', f, ok); console.log(once.output); if (once.output !== twice.output) console.log('--twice\n' + twice.output); }
}
