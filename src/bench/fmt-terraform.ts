/**
 * `phoenix fmt` against `terraform fmt` over a directory of `.tf` files (a foreign corpus, e.g. a
 * checkout of Terraform's own repository): `node dist/bench/fmt-terraform.js DIR`.
 *
 * Two passes, each formatting a copy of the files with `terraform fmt -recursive` in one run:
 * - as written: phoenix's output is compared with terraform's. Where they differ, terraform's output
 *   must be a fixed point of `phoenix fmt`, which is so when the difference is one of Terraform's own
 *   rewrites (`"${x}"` → `x`, quoted labels, legacy type keywords), applied before hclwrite formats;
 * - reflowed: terraform's output with every line's indentation removed and every space tripled is
 *   formatted by both, and must come out byte-identical.
 * Files either side refuses (syntax errors) are counted, and must be refused by both: terraform's
 * parser is then an oracle for phoenix's on what is valid HCL. `-fuzz=N` runs the passes over N mutated
 * configurations of the fuzz run instead of DIR. Exit code 1 on any other difference.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { hasErrors } from '../config/diagnostics.js';
import { formatHcl } from '../config/fmt.js';
import { mutatedConfigurations } from './hcl-fuzz.js';

/** `.tf` files under `root`, relative paths; `.terraform` directories are skipped, as terraform fmt does. */
function tfFiles(root: string): string[] {
  const found: string[] = [];
  const dirs = [''];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.terraform') dirs.push(path);
      else if (entry.isFile() && entry.name.endsWith('.tf')) found.push(path);
    }
  }
  return found.sort();
}

/** Formats the `.tf` files under `root` in place with terraform; returns the files it refused. */
function terraformFmt(root: string): Set<string> {
  const run = spawnSync('terraform', ['fmt', '-recursive', '-list=false', '-no-color', '.'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    maxBuffer: 1 << 28,
  });
  if (run.error) throw run.error;
  return new Set([...run.stderr.matchAll(/ on (.+?\.tf) line \d+/g)].map((m) => m[1]!));
}

interface Tally {
  files: number;
  identical: number;
  terraformRewrites: number;
  refusedByBoth: number;
  different: string[];
}

/** Formats a copy of `source`'s files with terraform, then each original with phoenix, and compares. */
function comparePass(source: string, files: string[], allowRewrites: boolean): Tally {
  const copy = mkdtempSync(join(tmpdir(), 'phoenix-fmt-tf-'));
  try {
    for (const file of files) cpSync(join(source, file), join(copy, file));
    const refused = terraformFmt(copy);
    const tally: Tally = { files: files.length, identical: 0, terraformRewrites: 0, refusedByBoth: 0, different: [] };
    for (const file of files) {
      const original = readFileSync(join(source, file), 'utf8');
      const ours = formatHcl(original, file);
      const phoenixRefused = hasErrors(ours.diagnostics);
      if (phoenixRefused || refused.has(file)) {
        if (phoenixRefused && refused.has(file)) tally.refusedByBoth++;
        else tally.different.push(`${file} (refused by ${phoenixRefused ? 'phoenix' : 'terraform'} only)`);
        continue;
      }
      const theirs = readFileSync(join(copy, file), 'utf8');
      if (ours.output === theirs) tally.identical++;
      else if (allowRewrites && formatHcl(theirs, file).output === theirs) tally.terraformRewrites++;
      else tally.different.push(file);
    }
    return tally;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The same tokens with the layout undone: no indentation, every space tripled. */
function reflow(text: string): string {
  return text.replace(/^[ \t]+/gm, '').replace(/ /g, '   ');
}

/** `-fuzz=N`: N mutated configurations of the fuzz run (hcl-fuzz.ts) written to a fresh directory. */
function fuzzDirectory(count: number): string {
  const fuzz = mkdtempSync(join(tmpdir(), 'phoenix-fmt-fuzz-'));
  let index = 0;
  for (const source of mutatedConfigurations(count)) writeFileSync(join(fuzz, `fuzz-${index++}.tf`), source);
  return fuzz;
}

const fuzzCount = /^-fuzz=(\d+)$/.exec(process.argv[2] ?? '')?.[1];
const dir = fuzzCount ? fuzzDirectory(Number(fuzzCount)) : process.argv[2];
if (!dir) {
  console.error('usage: node dist/bench/fmt-terraform.js DIR | -fuzz=N   (DIR: a directory of .tf files; terraform must be on the PATH)');
  process.exit(2);
}
const files = tfFiles(dir);
const asWritten = comparePass(dir, files, true);

// Pass 2 works on terraform's own output, so it holds none of Terraform's rewrites.
const reflowed = mkdtempSync(join(tmpdir(), 'phoenix-fmt-reflow-'));
const canonical = mkdtempSync(join(tmpdir(), 'phoenix-fmt-canonical-'));
try {
  for (const file of files) cpSync(join(dir, file), join(canonical, file));
  const refused = terraformFmt(canonical);
  const kept = files.filter((file) => !refused.has(file));
  for (const file of kept) {
    mkdirSync(dirname(join(reflowed, file)), { recursive: true });
    writeFileSync(join(reflowed, file), reflow(readFileSync(join(canonical, file), 'utf8')));
  }
  const again = comparePass(reflowed, kept, false);
  for (const [name, tally] of Object.entries({ 'as written': asWritten, reflowed: again })) {
    const { different, ...counts } = tally;
    console.log(`${name}: ${Object.entries({ ...counts, different: different.length }).map(([k, v]) => `${k}=${v}`).join('  ')}`);
    for (const file of different.slice(0, 20)) console.log(`  differs: ${file}`);
  }
  process.exitCode = asWritten.different.length + again.different.length === 0 ? 0 : 1;
} finally {
  rmSync(reflowed, { recursive: true, force: true });
  rmSync(canonical, { recursive: true, force: true });
  if (fuzzCount) rmSync(dir, { recursive: true, force: true });
}
