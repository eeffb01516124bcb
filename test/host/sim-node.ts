/** Running the simulated node's own tools against a CLI workspace's `.phoenix-sim`, to set up and inspect the host. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BIN = resolve('dist/sim/bin');

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function simTool(workspaceDir: string, tool: string, ...args: string[]): ToolResult {
  const result = spawnSync(process.execPath, [join(BIN, tool), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PHOENIX_SIM_DIR: join(workspaceDir, '.phoenix-sim') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes `.phoenix-sim/sim.json` before the simulator's first use (it is read when the directory is initialised). */
export function simSettings(workspaceDir: string, settings: object): void {
  mkdirSync(join(workspaceDir, '.phoenix-sim'), { recursive: true });
  writeFileSync(join(workspaceDir, '.phoenix-sim/sim.json'), JSON.stringify(settings));
}
