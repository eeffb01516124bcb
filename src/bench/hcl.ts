/**
 * HCL benchmarks: parse and validate time per byte must stay flat from 1 KB to 10 MB, for a realistic
 * estate and for single very long lines (the shapes that used to be quadratic: a long operator chain,
 * stray template directives, many errors on one line and their rendering).
 */
import { loadConfig } from '../config/load.js';
import { evaluateLocals } from '../config/eval/index.js';
import { parseHcl } from '../config/parser.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { testResourceConfig } from './generate.js';
import type { BenchResult } from './walker.js';

const SIZES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];
/**
 * Largest allowed spread of time per byte across sizes (slowest / fastest). Linear code stays well
 * inside it (small inputs pay fixed costs, large ones garbage collection); quadratic code grows 10× per
 * size step and misses it at once.
 */
const MAX_SPREAD = 4;
/** Each size is repeated until this much time has passed, so 1 KB timings are not timer noise. */
const MIN_SAMPLE_MS = 150;
const WARM_UP_MS = 300;

interface Shape {
  name: string;
  /** A source of about `bytes` characters. */
  make(bytes: number): string;
  /** What is timed, given the source. */
  run(source: string): void;
}

const parse = (source: string): void => {
  parseHcl(source, 'bench.hcl');
};

/** Load (structure, references) and evaluate every local: the configuration half of `validate`. */
const validate = (source: string): void => {
  const { config } = loadConfig([{ name: 'bench.hcl', source }]);
  evaluateLocals(config, { variables: { prefix: 'bench' }, sensitiveVariables: new Set(), resource: () => undefined, path: { root: '.', cwd: '.' }, readFile: () => '' });
};

/** Parse, then render every diagnostic into a sink (the cap bounds what is rendered). */
const parseAndRender = (source: string): void => {
  const { diagnostics } = parseHcl(source, 'bench.hcl');
  let bytes = 0;
  for (const text of renderDiagnostics(diagnostics, new Map([['bench.hcl', source]]), { color: false })) bytes += text.length;
  if (bytes === 0) throw new Error('expected diagnostics to render');
};

const estate = (bytes: number): string => testResourceConfig(Math.max(1, Math.round(bytes / 190)));
const longSum = (bytes: number): string => `locals {\n  x = ${Array(Math.max(1, Math.round(bytes / 4))).fill('1').join(' + ')}\n}\n`;
const strayDirectives = (bytes: number): string => `x = "${'%{ endfor }'.repeat(Math.max(1, Math.round(bytes / 11)))}"\n`;
const errorsOnOneLine = (bytes: number): string => `x = [${'$, '.repeat(Math.max(1, Math.round(bytes / 3)))}]\n`;

const SHAPES: Shape[] = [
  { name: 'parse: estate of test_resource blocks', make: estate, run: parse },
  { name: 'validate: estate of test_resource blocks', make: estate, run: validate },
  { name: 'parse: one line, 1 + 1 + ... + 1', make: longSum, run: parse },
  { name: 'validate: one line, 1 + 1 + ... + 1', make: longSum, run: validate },
  { name: 'parse: one line of stray %{ endfor }', make: strayDirectives, run: parse },
  { name: 'parse + render diagnostics: one line of invalid characters', make: errorsOnOneLine, run: parseAndRender },
];

export async function benchHcl(): Promise<BenchResult[]> {
  return SHAPES.map(benchShape);
}

function benchShape(shape: Shape): BenchResult {
  const figures: Record<string, number | string> = {};
  const perByte: number[] = [];
  // Warm-up: the first timed size must not pay for compiling the code paths.
  const warmUp = shape.make(10_000);
  for (const began = cpuMs(); cpuMs() - began < WARM_UP_MS; ) shape.run(warmUp);
  for (const size of SIZES) {
    const source = shape.make(size);
    // CPU time, not wall time: the benchmark must not depend on what else the machine is doing.
    let runs = 0;
    const began = cpuMs();
    do {
      shape.run(source);
      runs++;
    } while (cpuMs() - began < MIN_SAMPLE_MS);
    const nsPerByte = ((cpuMs() - began) * 1e6) / runs / source.length;
    perByte.push(nsPerByte);
    figures[`ns_per_byte_${label(size)}`] = Math.round(nsPerByte * 10) / 10;
  }
  const spread = Math.max(...perByte) / Math.min(...perByte);
  figures.spread = Math.round(spread * 100) / 100;
  figures.target_spread = MAX_SPREAD;
  return { name: `hcl ${shape.name}, 1 KB to 10 MB`, figures, ok: spread <= MAX_SPREAD };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}MB` : `${size / 1_000}KB`;
}
