import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatorRunner, simulatorBinDir } from '../../src/exec/simulator.js';

const scratch = mkdtempSync(join(tmpdir(), 'phoenix-simrunner-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Stand-in tool executables that report how they were invoked. */
function fakeBinDir(): string {
  const binDir = join(scratch, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const tool of ['pct', 'qm', 'zfs', 'zpool', 'pvesh', 'pvesm', 'sh']) {
    writeFileSync(
      join(binDir, tool),
      `const { PHOENIX_SIM_DIR: dir, PHOENIX_SIM_NODE: node } = process.env;
       const input = process.env.PHOENIX_INPUT_X;
       process.stdout.write(JSON.stringify({ tool: ${JSON.stringify(tool)}, args: process.argv.slice(2), dir, node, ...(input ? { input } : {}) }));
       process.stdin.pipe(process.stderr);`,
    );
  }
  return binDir;
}

describe('SimulatorRunner', () => {
  const stateDir = join(scratch, 'state');
  const runner = new SimulatorRunner({ stateDir, nodeName: 'pve1', binDir: fakeBinDir() });

  it('runs Proxmox tools from the simulator with its state dir and node name', async () => {
    for (const tool of ['pct', 'qm', 'zfs', 'zpool', 'pvesh', 'pvesm']) {
      const result = await runner.run({ argv: [tool, 'list', '--full', "it's"] });
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ tool, args: ['list', '--full', "it's"], dir: stateDir, node: 'pve1' });
      expect(result.argv).toEqual([tool, 'list', '--full', "it's"]);
    }
  });

  it('feeds stdin to simulated tools', async () => {
    const result = await runner.run({ argv: ['pct', 'create'], stdin: 'from stdin' });
    expect(result.stderr).toBe('from stdin');
  });

  it('runs every other program as it is', async () => {
    const result = await runner.run({ argv: ['printenv', 'PHOENIX_SIM_NODE'] });
    expect(result.stdout).toBe('pve1\n');
  });

  it('runs `sh` (host scripts) in the simulator\'s sandbox, also behind `env K=V`', async () => {
    const result = await runner.run({ argv: ['env', 'PHOENIX_INPUT_X=1', 'sh', '/root/script.sh'] });
    expect(JSON.parse(result.stdout)).toEqual({ tool: 'sh', args: ['/root/script.sh'], dir: stateDir, node: 'pve1', input: '1' });
    expect(result.argv).toEqual(['env', 'PHOENIX_INPUT_X=1', 'sh', '/root/script.sh']);
  });

  it('passes an absolute state dir even when given a relative one', async () => {
    const relative = new SimulatorRunner({ stateDir: 'rel/state', nodeName: 'n', binDir: fakeBinDir() });
    const result = await relative.run({ argv: ['pct', 'list'] });
    expect(JSON.parse(result.stdout).dir).toBe(join(process.cwd(), 'rel/state'));
    expect(relative).toMatchObject({ kind: 'simulator', description: 'simulator (rel/state)' });
  });
});

describe('simulatorBinDir', () => {
  function layout(files: string[]): string {
    const root = mkdtempSync(join(scratch, 'layout-'));
    for (const dir of files) mkdirSync(join(root, dir), { recursive: true });
    return root;
  }

  it('uses dist/sim/bin next to the compiled module (also inside an installed package)', () => {
    const root = layout(['node_modules/phoenix/dist/exec', 'node_modules/phoenix/dist/sim/bin']);
    const moduleUrl = pathToFileURL(join(root, 'node_modules/phoenix/dist/exec/simulator.js')).href;
    expect(simulatorBinDir(moduleUrl)).toBe(join(root, 'node_modules/phoenix/dist/sim/bin'));
  });

  it('uses the built dist/sim/bin when running from the TypeScript sources', () => {
    const root = layout(['src/exec', 'dist/sim/bin']);
    expect(simulatorBinDir(pathToFileURL(join(root, 'src/exec/simulator.ts')).href)).toBe(join(root, 'dist/sim/bin'));
  });
});

const builtPct = join(simulatorBinDir(), 'pct');
if (!existsSync(builtPct)) console.warn(`SKIPPED: ${builtPct} not built — run \`npm run build\` first`);

describe.skipIf(!existsSync(builtPct))('SimulatorRunner with the built simulator', () => {
  it('runs `pct list` on an empty simulated node', async () => {
    const runner = new SimulatorRunner({ stateDir: join(scratch, 'sim-state'), nodeName: 'pve1' });
    const result = await runner.run({ argv: ['pct', 'list'], timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ exitCode: 0, stdout: '', timedOut: false });
  });
});
