import { parse } from '@cdktn/hcl2json';
import { readFileSync } from 'node:fs';
import { parseHcl } from './src/config/parser.ts';
for (const f of process.argv.slice(2)) {
  const src = readFileSync(f, 'utf8');
  const ours = parseHcl(src, f);
  let theirs = 'NO ERROR';
  try { await parse(f, src); } catch (e) { theirs = String(e).slice(0, 250); }
  console.log(f.split('/').pop(), '\n  them:', theirs, '\n  ours:', ours.diagnostics.map(d => `${d.range?.start.line}:${d.range?.start.col} ${d.summary}`).join(' | '));
}
