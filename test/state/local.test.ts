import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/config/diagnostics.js';
import { serializeState } from '../../src/state/codec.js';
import { LocalBackend } from '../../src/state/local.js';
import { firstLine, killAndWait, spawnChild } from './children.js';
import { sampleState, tempStatePath } from './fixtures.js';

async function expectSaveRefused(backend: LocalBackend, state: ReturnType<typeof sampleState>, summary: RegExp) {
  const before = await readFile(backend.path);
  const failure = await backend.write(state).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(DiagnosticError);
  expect((failure as DiagnosticError).diagnostics[0]!.summary).toMatch(summary);
  expect(await readFile(backend.path)).toEqual(before);
}

describe('LocalBackend state file', () => {
  it('reads null before the first write, then what was written', async () => {
    const backend = new LocalBackend(await tempStatePath());
    expect(await backend.read()).toBeNull();
    await backend.write(sampleState(1));
    expect(await backend.read()).toEqual(sampleState(1));
    expect(backend.description).toBe(`local (${backend.path})`);
  });

  it('keeps the previous version as .backup, both files readable only by the owner', async () => {
    const backend = new LocalBackend(await tempStatePath());
    await backend.write(sampleState(1));
    const first = await readFile(backend.path, 'utf8');
    const second = { ...sampleState(2), outputs: {} };
    await backend.write(second);
    expect(await readFile(`${backend.path}.backup`, 'utf8')).toBe(first);
    expect(await backend.read()).toEqual(second);
    expect((await stat(backend.path)).mode & 0o777).toBe(0o600);
    expect((await stat(`${backend.path}.backup`)).mode & 0o777).toBe(0o600);
    // No temporary files are left behind.
    expect((await readdir(dirname(backend.path))).sort()).toEqual(['phoenix.state.json', 'phoenix.state.json.backup']);
  });

  it('rejects a state that does not follow the stored one: same or older serial, other lineage', async () => {
    const backend = new LocalBackend(await tempStatePath());
    await backend.write(sampleState(5));
    await expectSaveRefused(backend, sampleState(5), /stale serial/);
    await expectSaveRefused(backend, sampleState(4), /stale serial/);
    await expectSaveRefused(backend, sampleState(6, 'other-lineage'), /lineage mismatch/);
  });

  it('refuses to overwrite a corrupt file and leaves it byte-for-byte intact', async () => {
    const backend = new LocalBackend(await tempStatePath());
    await writeFile(backend.path, '{"format_version": 1, "serial": ');
    await expect(backend.read()).rejects.toThrow(/Failed to load state: invalid JSON/);
    await expectSaveRefused(backend, sampleState(1), /Failed to load state: invalid JSON/);
    await expect(stat(`${backend.path}.backup`)).rejects.toThrow(/ENOENT/);
  });

  it('refuses to overwrite a state written by a newer phoenix', async () => {
    const backend = new LocalBackend(await tempStatePath());
    await writeFile(backend.path, serializeState({ ...sampleState(1), format_version: 2 }));
    await expectSaveRefused(backend, sampleState(2), /unsupported state format version/);
  });

  it('never leaves a truncated state when the writer is killed mid-write', async () => {
    const backend = new LocalBackend(await tempStatePath());
    for (let round = 0; round < 6; round++) {
      const writer = spawnChild('write-loop', [backend.path]);
      try {
        await firstLine(writer);
        // Kill at a different point of the write loop each round.
        await new Promise((resolve) => setTimeout(resolve, 15 + round * 23));
      } finally {
        await killAndWait(writer);
      }
      const state = await backend.read();
      expect(state!.resources).toHaveLength(1000);
      const backup = JSON.parse(await readFile(`${backend.path}.backup`, 'utf8'));
      // Equal when killed between writing the backup and replacing the state.
      expect(backup.serial).toBeLessThanOrEqual(state!.serial);
      await backend.write({ ...state!, serial: state!.serial + 1 });
      // The next writer starts over at serial 1, so hand it a fresh lineage-compatible file.
      await writeFile(backend.path, serializeState({ ...state!, serial: 0 }));
    }
  });
});

describe('LocalBackend file system errors', () => {
  it('reports a state that cannot be written as a diagnostic', async () => {
    const backend = new LocalBackend('/nonexistent-dir-for-phoenix-tests/phoenix.state.json');
    const failure = await backend.write(sampleState(1)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DiagnosticError);
    expect((failure as DiagnosticError).diagnostics[0]!.summary).toBe('Failed to save state: cannot write the file');
  });
});
