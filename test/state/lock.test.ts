import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/config/diagnostics.js';
import type { LockInfo } from '../../src/state/backend.js';
import { LocalBackend } from '../../src/state/local.js';
import { deadPid, firstLine, killAndWait, spawnChild } from './children.js';
import { rejectionDiagnostic, tempStatePath } from './fixtures.js';
import type { ChildProcess } from 'node:child_process';

const request = (operation = 'plan'): Omit<LockInfo, 'id'> => ({
  operation,
  who: 'parent@test',
  host: hostname(),
  pid: process.pid,
  version: '0.1.0',
  created: new Date().toISOString(),
});

const children: ChildProcess[] = [];
async function childHoldingLock(statePath: string): Promise<{ child: ChildProcess; info: LockInfo }> {
  const child = spawnChild('hold-lock', [statePath, 'apply']);
  children.push(child);
  return { child, info: JSON.parse(await firstLine(child)) as LockInfo };
}

afterEach(async () => {
  await Promise.all(children.splice(0).map(killAndWait));
});

describe('LocalBackend lock', () => {
  it('writes the lock file with a fresh id and removes it on release', async () => {
    const backend = new LocalBackend(await tempStatePath());
    const handle = await backend.lock(request(), 0);
    expect(handle.info.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(await readFile(`${backend.path}.lock`, 'utf8'))).toEqual(handle.info);
    await handle.release();
    await expect(readFile(`${backend.path}.lock`)).rejects.toThrow(/ENOENT/);
    await (await backend.lock(request(), 0)).release();
  });

  it('fails after the timeout when another process holds the lock, naming the holder', async () => {
    const statePath = await tempStatePath();
    const holder = await childHoldingLock(statePath);
    const d = await rejectionDiagnostic(new LocalBackend(statePath).lock(request(), 300));
    expect(d.summary).toBe('Error acquiring the state lock');
    expect(d.detail).toContain(`ID:        ${holder.info.id}`);
    expect(d.detail).toContain(`Path:      ${statePath}.lock`);
    expect(d.detail).toContain('Operation: apply');
    expect(d.detail).toContain('Who:       child@test');
    expect(d.detail).toContain(`PID:       ${holder.child.pid}`);
    expect(d.detail).toContain(`phoenix force-unlock ${holder.info.id}`);
  });

  it('waits for the holder to release the lock within the timeout', async () => {
    const statePath = await tempStatePath();
    const holder = await childHoldingLock(statePath);
    let acquired = false;
    const waiting = new LocalBackend(statePath).lock(request(), 30_000).then((handle) => {
      acquired = true;
      return handle;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(acquired).toBe(false);
    holder.child.stdin!.write('release\n');
    const handle = await waiting;
    expect(JSON.parse(await readFile(`${statePath}.lock`, 'utf8')).id).toBe(handle.info.id);
    await handle.release();
  });

  it('takes over the lock of a process on this host that died, and reports it', async () => {
    const statePath = await tempStatePath();
    const holder = await childHoldingLock(statePath);
    await killAndWait(holder.child);
    const warnings: Diagnostic[] = [];
    const backend = new LocalBackend(statePath, { onWarning: (w) => warnings.push(w) });
    const handle = await backend.lock(request(), 0);
    expect(warnings.map((w) => w.summary)).toEqual(['Took over a stale state lock']);
    expect(warnings[0]!.detail).toContain(holder.info.id);
    expect(backend.warnings).toEqual(warnings);
    expect(JSON.parse(await readFile(`${statePath}.lock`, 'utf8')).id).toBe(handle.info.id);
    await handle.release();
  });

  it('of many waiters racing to take over one stale lock, exactly one holds it', async () => {
    const statePath = await tempStatePath();
    const stale: LockInfo = { ...request('apply'), id: 'stale-id', pid: await deadPid() };
    await writeFile(`${statePath}.lock`, JSON.stringify(stale));
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => new LocalBackend(statePath).lock(request(), 0)));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const held = JSON.parse(await readFile(`${statePath}.lock`, 'utf8')) as LockInfo;
    expect(held.id).toBe((winners[0] as PromiseFulfilledResult<{ info: LockInfo }>).value.info.id);
  });

  it('does not take over a lock held from another host, whose process it cannot check', async () => {
    const statePath = await tempStatePath();
    const foreign: LockInfo = { ...request('apply'), id: 'foreign-id', host: 'other-host', pid: await deadPid() };
    await writeFile(`${statePath}.lock`, JSON.stringify(foreign));
    const d = await rejectionDiagnostic(new LocalBackend(statePath).lock(request(), 100));
    expect(d.detail).toContain('Host:      other-host');
    expect(d.detail).toContain('phoenix force-unlock foreign-id');
  });

  it('force-unlocks only with the matching id', async () => {
    const statePath = await tempStatePath();
    const backend = new LocalBackend(statePath);
    const handle = await backend.lock(request('apply'), 0);
    const mismatch = await rejectionDiagnostic(backend.forceUnlock('wrong-id'));
    expect(mismatch.summary).toBe('Failed to unlock state');
    expect(mismatch.detail).toContain(`does not match the existing lock ID "${handle.info.id}"`);
    expect(JSON.parse(await readFile(`${statePath}.lock`, 'utf8')).id).toBe(handle.info.id);

    await backend.forceUnlock(handle.info.id);
    await expect(readFile(`${statePath}.lock`)).rejects.toThrow(/ENOENT/);
    expect((await rejectionDiagnostic(backend.forceUnlock(handle.info.id))).detail).toContain('There is no lock');
  });

  it('release leaves alone a lock that another run took after a force-unlock', async () => {
    const statePath = await tempStatePath();
    const backend = new LocalBackend(statePath);
    const first = await backend.lock(request(), 0);
    await backend.forceUnlock(first.info.id);
    const second = await backend.lock(request(), 0);
    await first.release();
    expect(JSON.parse(await readFile(`${statePath}.lock`, 'utf8')).id).toBe(second.info.id);
    expect(backend.warnings.map((w) => w.summary)).toEqual(['State lock was removed while this run held it']);
    await second.release();
  });
});

describe('LocalBackend lock errors', () => {
  it('reports a lock file that cannot be created as a diagnostic', async () => {
    const backend = new LocalBackend('/nonexistent-dir-for-phoenix-tests/phoenix.state.json');
    const d = await rejectionDiagnostic(backend.lock(request(), 0));
    expect(d.summary).toBe('Error acquiring the state lock');
    expect(d.detail).toContain('/nonexistent-dir-for-phoenix-tests/phoenix.state.json.lock');
  });
});
