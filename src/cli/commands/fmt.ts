/**
 * `phoenix fmt [-check] [-diff] [-recursive] [FILES|DIRS...]`: rewrite HCL files in canonical style.
 * Like terraform fmt: lists the files it changed; with -check writes nothing and exits 3 when any file
 * needs formatting; `-` formats standard input to standard output.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { DiagnosticError, error, hasErrors, type Diagnostic } from '../../config/diagnostics.js';
import { formatHcl } from '../../config/fmt.js';
import type { Command, CommandContext } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';

/** terraform fmt -check's exit status when some input is not formatted. */
const EXIT_NEEDS_FORMATTING = 3;

export const fmtCommand: Command = {
  name: 'fmt',
  summary: 'Reformat your configuration in the standard style',
  usage: 'phoenix [global options] fmt [options] [TARGET...]',
  description:
    'Rewrites .hcl files to the canonical format and style. TARGET is a file or directory (default: the\n' +
    'working directory); "-" reads standard input and writes the result to standard output.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'check', kind: 'bool', description: 'Write nothing; list unformatted files and exit 3 if there are any.' },
    { name: 'diff', kind: 'bool', description: 'Print the changes as unified diffs.' },
    { name: 'recursive', kind: 'bool', description: 'Also process files in subdirectories.' },
    { name: 'list', kind: 'bool', default: true, description: 'List files whose formatting differs (default true).' },
    { name: 'write', kind: 'bool', default: true, description: 'Write the result to the files (default true; off with -check).' },
  ],
  async run(ctx) {
    const { flags, positionals } = ctx.args;
    if (positionals.includes('-')) return formatStdin(ctx);
    const files = collectFiles(ctx, positionals.length > 0 ? positionals : ['.'], flags.bool('recursive'));
    const check = flags.bool('check');
    const write = flags.bool('write') && !check;
    const problems: Diagnostic[] = [];
    const sources = new Map<string, string>();
    let unformatted = 0;
    for (const file of files) {
      const name = relative(ctx.cwd, file) || file;
      const source = fileAccess(problems, name, 'read', () => readFileSync(file, 'utf8'));
      if (source === undefined) continue;
      const { output, diagnostics } = formatHcl(source, name);
      if (hasErrors(diagnostics)) {
        sources.set(name, source);
        problems.push(...diagnostics);
        continue;
      }
      if (output === source) continue;
      unformatted++;
      if (flags.bool('list')) ctx.ui.out(name);
      if (flags.bool('diff')) ctx.ui.out(createTwoFilesPatch(`old/${name}`, `new/${name}`, source, output));
      if (write) fileAccess(problems, name, 'write', () => writeFileSync(file, output));
    }
    ctx.ui.diagnostics(problems, sources);
    if (hasErrors(problems)) return 2;
    return check && unformatted > 0 ? EXIT_NEEDS_FORMATTING : 0;
  },
};

/** A file that cannot be read or written (read-only directory or file, permissions) is a diagnostic naming it. */
function fileAccess<T>(problems: Diagnostic[], name: string, what: 'read' | 'write', access: () => T): T | undefined {
  try {
    return access();
  } catch (e) {
    const consequence = what === 'write' ? ' The file was left unchanged; make it writable, or use -check to only list it.' : '';
    problems.push({ ...error(`Cannot ${what} ${name}`, `phoenix fmt could not ${what} ${name}: ${(e as Error).message}.${consequence}`), subject: name });
    return undefined;
  }
}

function collectFiles(ctx: CommandContext, targets: string[], recursive: boolean): string[] {
  const files: string[] = [];
  for (const target of targets) {
    const path = resolve(ctx.cwd, target);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new DiagnosticError([error('No file or directory at ' + target, `phoenix fmt cannot find ${path}.`)]);
    }
    if (isDirectory) files.push(...hclFilesIn(path, recursive));
    else files.push(path);
  }
  return [...new Set(files)];
}

function hclFilesIn(dir: string, recursive: boolean): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.hcl')) files.push(path);
    else if (recursive && entry.isDirectory() && entry.name !== 'node_modules') files.push(...hclFilesIn(path, true));
  }
  return files;
}

async function formatStdin(ctx: CommandContext): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const source = Buffer.concat(chunks).toString('utf8');
  const { output, diagnostics } = formatHcl(source, '<stdin>');
  ctx.ui.diagnostics(diagnostics, new Map([['<stdin>', source]]));
  if (hasErrors(diagnostics)) return 2;
  if (ctx.args.flags.bool('check')) return output === source ? 0 : EXIT_NEEDS_FORMATTING;
  process.stdout.write(output);
  return 0;
}
