/**
 * HCL fuzz run: 10,000 mutations of valid configurations go through parse, load (validate), fmt and
 * diagnostic rendering. The run fails on any exception, any "Internal parser error", any diagnostic
 * whose source range does not point inside its file, and fmt output that fmt would change again.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { formatHcl } from '../config/fmt.js';
import { loadConfig } from '../config/load.js';
import { parseHcl } from '../config/parser.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { testResourceConfig } from './generate.js';
import type { BenchResult } from './walker.js';

const INPUTS = 10_000;

const SEEDS = [
  testResourceConfig(3),
  [
    'locals {',
    '  l     = [{ b = [10, 20] }, { b = [30, 40] }]',
    '  first = local.l[*].b.0',
    '  keys  = { null = 1, true = 2, (local.first[0]) = 3 }',
    '  text  = "a\\tb ${local.first[0]} %{ if true ~}yes%{ else }no%{ endif } $${x} \\u00e9"',
    '  doc   = <<-EOT',
    '    hello ${upper("w")}',
    '    %{ for i, v in local.l ~}',
    '    ${i}: ${v.b[1]}',
    '    %{ endfor }',
    '    EOT',
    '  calc  = (1 + 2) * -3 / 4 % 5 == 1 || !false && 2 >= 1 ? tomap({ a = 1 }) : null',
    '  fors  = { for k, v in { a = 1 } : k => v... if v != null }',
    '}',
    'output "o" {',
    '  value = [for x in local.l : x.b if length(x.b) > 1]',
    '}',
  ].join('\n') + '\n',
];

const INSERTIONS = ['{', '}', '[', ']', '(', ')', '"', '${', '%{', '~}', '<<EOT\n', '\nEOT\n', '\r', '\n', '\ufeff', '😀', '\u200d', '\\u', '\\ud800', '::', '[*]', '.*', '.0.1', '.1e5', "'", '=', ',', '...', '=>', '#', '/*', '*/', 'for', 'if', 'null', '?', ':', '-'];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function mutate(source: string, random: () => number): string {
  let out = source;
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const choice = random();
    if (choice < 0.5) out = out.slice(0, at) + INSERTIONS[Math.floor(random() * INSERTIONS.length)]! + out.slice(at);
    else if (choice < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 8));
    else {
      const from = Math.floor(random() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 1 + Math.floor(random() * 20)) + out.slice(at);
    }
  }
  return out;
}

/** A problem with one diagnostic, or undefined when it is well-formed. */
function defect(d: Diagnostic, file: string, source: string): string | undefined {
  if (d.summary === 'Internal parser error') return `internal error: ${d.detail}`;
  if (d.range === undefined) return `unpositioned diagnostic "${d.summary}"`;
  const { start, end } = d.range;
  if (d.range.file !== file) return `diagnostic "${d.summary}" points at another file ${d.range.file}`;
  const inside = (p: { line: number; col: number; offset: number }) => p.line >= 1 && p.col >= 1 && p.offset >= 0 && p.offset <= source.length;
  if (!inside(start) || !inside(end) || end.offset < start.offset) return `diagnostic "${d.summary}" has a range outside the file`;
  return undefined;
}

/** `count` mutated configurations, the same ones for the same seed. */
export function* mutatedConfigurations(count: number, seed = 12): Generator<string> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) yield mutate(SEEDS[i % SEEDS.length]!, random);
}

export async function benchHclFuzz(): Promise<BenchResult[]> {
  const failures: string[] = [];
  let diagnostics = 0;
  const began = process.cpuUsage();
  for (const source of mutatedConfigurations(INPUTS)) {
    try {
      const formatted = formatHcl(source, 'fuzz.hcl');
      const found = [...parseHcl(source, 'fuzz.hcl').diagnostics, ...loadConfig([{ name: 'fuzz.hcl', source }]).diagnostics, ...formatted.diagnostics];
      if (formatted.diagnostics.length === 0 && formatHcl(formatted.output, 'fuzz.hcl').output !== formatted.output) {
        failures.push(`fmt is not idempotent on ${JSON.stringify(source.slice(0, 300))}`);
      }
      diagnostics += found.length;
      for (const d of found) {
        const problem = defect(d, 'fuzz.hcl', source);
        if (problem) failures.push(`${problem} in ${JSON.stringify(source.slice(0, 300))}`);
      }
      for (const text of renderDiagnostics(found, new Map([['fuzz.hcl', source]]), { color: false })) if (!text) failures.push('empty rendering');
    } catch (cause) {
      failures.push(`exception ${cause instanceof Error ? cause.stack : String(cause)} in ${JSON.stringify(source.slice(0, 300))}`);
    }
  }
  const { user, system } = process.cpuUsage(began);
  for (const failure of failures.slice(0, 5)) console.log(`       ${failure}`);
  return [
    {
      name: `hcl fuzz: ${INPUTS.toLocaleString('en')} mutated configurations through parse, load, fmt and rendering`,
      figures: { inputs: INPUTS, diagnostics, failures: failures.length, cpu_ms: Math.round((user + system) / 1000) },
      ok: failures.length === 0,
    },
  ];
}
