/** `phoenix version` (also `phoenix -version`). */
import type { Command } from '../command.js';
import { PHOENIX_VERSION } from '../version.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Show the current phoenix version',
  usage: 'phoenix [global options] version [options]',
  description: 'Prints the phoenix version and platform.',
  flags: [{ name: 'json', kind: 'bool', description: 'Print the version as JSON.' }],
  async run(ctx) {
    const platform = `${process.platform}_${process.arch}`;
    if (ctx.args.flags.bool('json')) {
      ctx.ui.out(JSON.stringify({ phoenix_version: PHOENIX_VERSION, platform }, null, 2));
    } else {
      ctx.ui.out(`phoenix v${PHOENIX_VERSION}\non ${platform}`);
    }
    return 0;
  },
};
