import { parse } from '@cdktn/hcl2json';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parseHcl } from './src/config/parser.ts';
import { toOracleShape } from './test/parser/oracle-shape.ts';
for (const f of process.argv.slice(2)) {
  const src = readFileSync(f, 'utf8');
  const ours = parseHcl(src, f);
  let theirs: unknown;
  try { theirs = await parse(f, src); } catch (e) { theirs = 'ERR ' + e; }
  const mine = ours.diagnostics.length ? ours.diagnostics.map(d => `${d.range?.start.line}:${d.range?.start.col} ${d.summary}: ${d.detail}`) : toOracleShape(ours.file.body, src);
  if (isDeepStrictEqual(mine, theirs)) console.log('OK', f);
  else { console.log('DIFF', f); console.log(' ours', JSON.stringify(mine)); console.log(' them', JSON.stringify(theirs)); }
}
