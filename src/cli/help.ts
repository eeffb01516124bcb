/** Help texts: `phoenix --help`, `phoenix help CMD`, `phoenix CMD -help`. */
import type { FlagSpec } from './args.js';
import type { Command } from './command.js';

const MAIN_COMMANDS = ['validate', 'plan', 'apply', 'destroy'];

export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const line = (c: Command): string => `  ${c.name.padEnd(width)}${c.summary}`;
  const main = MAIN_COMMANDS.map((name) => commands.find((c) => c.name === name)).filter((c): c is Command => !!c);
  const others = commands.filter((c) => !MAIN_COMMANDS.includes(c.name)).sort((a, b) => a.name.localeCompare(b.name));
  return [
    'Usage: phoenix [global options] <subcommand> [args]',
    '',
    'phoenix plans and applies declarative Proxmox VE infrastructure (LXC containers, VMs, ZFS datasets,',
    'guest features) described in HCL files.',
    '',
    'Main commands:',
    ...main.map(line),
    '',
    'All other commands:',
    ...others.map(line),
    '',
    'Global options (use these before the subcommand, if any):',
    '  -chdir=DIR    Switch to a different working directory before executing the given subcommand.',
    '  -help         Show this help output, or the help for a specified subcommand.',
    '  -version      An alias for the "version" subcommand.',
    '',
  ].join('\n');
}

export function commandHelp(command: Command, flags: readonly FlagSpec[]): string {
  const lines = [`Usage: ${command.usage}`, '', ...command.description.split('\n').map((l) => `  ${l}`), ''];
  if (command.subcommands?.length) {
    const width = Math.max(...command.subcommands.map((s) => s.name.length)) + 2;
    lines.push('Subcommands:', ...command.subcommands.map((s) => `    ${s.name.padEnd(width)}${s.summary}`), '');
  }
  if (flags.length > 0) {
    const labels = flags.map(flagLabel);
    const width = Math.max(...labels.map((l) => l.length)) + 2;
    lines.push('Options:', '', ...flags.map((f, i) => `  ${labels[i]!.padEnd(width)}${f.description}`), '');
  }
  return lines.join('\n');
}

function flagLabel(flag: FlagSpec): string {
  // A switch that is on by default is documented by how to turn it off, like Terraform's -refresh=false.
  if (flag.kind === 'bool') return flag.default === true ? `-${flag.name}=false` : `-${flag.name}`;
  return `-${flag.name}=${flag.metavar ?? 'VALUE'}`;
}
