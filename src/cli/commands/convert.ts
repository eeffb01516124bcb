/**
 * `phoenix convert --from-legacy DIR [-o OUTDIR]`: turns the legacy Phoenix Hypervisor JSON configs into
 * phoenix HCL (see src/legacy and docs/migration.md). Warnings — unmodelled fields, dangling references —
 * are listed one per line with their JSON path; errors are full diagnostics and nothing is written.
 */
import { resolve } from 'node:path';
import { convertDirectory } from '../../legacy/load.js';
import { usageError } from '../args.js';
import type { Command } from '../command.js';
import { COLOR_FLAGS } from '../flags.js';

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert a legacy Phoenix Hypervisor configuration to phoenix HCL',
  usage: 'phoenix [global options] convert --from-legacy DIR [options]',
  description:
    'Reads phoenix_lxc_configs.json, phoenix_vm_configs.json and phoenix_hypervisor_config.json from DIR\n' +
    '(whichever exist) and writes main.hcl, storage.hcl, containers.hcl and vms.hcl. Legacy fields phoenix\n' +
    'does not model are kept as comments and listed as warnings. Then adopt the running guests with\n' +
    '`phoenix import -all`. Step by step: docs/migration.md.',
  flags: [
    ...COLOR_FLAGS,
    { name: 'from-legacy', kind: 'string', metavar: 'DIR', description: 'Directory holding the legacy JSON configs (the legacy etc/).' },
    { name: 'o', kind: 'string', metavar: 'OUTDIR', description: 'Where to write the HCL files (default: the working directory).' },
    { name: 'features-dir', kind: 'string', metavar: 'DIR', description: 'All feature scripts, container and VM (default: lxc_setup and vm_features of the scripts dir).' },
    { name: 'scripts-dir', kind: 'string', metavar: 'DIR', description: 'The legacy bin/: application scripts, lxc_setup, vm_features, tests (default: DIR/../bin).' },
    { name: 'node', kind: 'string', default: 'pve', metavar: 'NAME', description: 'Name of the node block every resource is placed on (default pve).' },
    { name: 'connection', kind: 'string', default: 'simulator', metavar: 'C', description: 'Default connection: "simulator" (default), "local" or "ssh://root@HOST".' },
    { name: 'simulator', kind: 'bool', description: 'Also write simulator.auto.hcl and the simulated node\'s seed (.phoenix-sim/sim.json) to rehearse on.' },
  ],
  async run(ctx) {
    const { flags, positionals } = ctx.args;
    const legacyDir = flags.string('from-legacy');
    if (legacyDir === undefined || positionals.length > 0) throw usageError('convert', 'Expected --from-legacy DIR and no other arguments.');
    const inCwd = (path: string | undefined) => (path === undefined ? undefined : resolve(ctx.cwd, path));
    const result = convertDirectory({
      legacyDir: inCwd(legacyDir)!,
      outDir: inCwd(flags.string('o')) ?? ctx.cwd,
      featuresDir: inCwd(flags.string('features-dir')),
      scriptsDir: inCwd(flags.string('scripts-dir')),
      nodeName: flags.string('node'),
      connection: flags.string('connection'),
      simulator: flags.bool('simulator'),
    });
    const { style } = ctx.ui;
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    for (const w of warnings) ctx.ui.err(`${style.warning('Warning:')} ${w.summary}${w.subject ? ` (${w.subject})` : ''}`);
    if (errors.length > 0) {
      ctx.ui.diagnostics(errors);
      ctx.ui.err(`${errors.length} error(s): nothing was written.`);
      return 1;
    }
    const { containers, vms, datasets, features, snapshots } = result.summary;
    for (const file of result.written) ctx.ui.out(`Wrote ${file}`);
    ctx.ui.out(
      `\n${style.bold('Converted:')} ${containers} containers, ${vms} VMs, ${datasets} datasets, ${features} features, ${snapshots} snapshots; ` +
        `${warnings.length} warning(s) to review.\nNext: phoenix validate, phoenix import -all, phoenix plan.`,
    );
    return 0;
  },
};
