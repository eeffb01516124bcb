/**
 * Crash-safe file replacement: the target always holds either its old or its new complete content.
 * The new bytes go to a private temporary file that is flushed to disk, then renamed over the target;
 * the directory is flushed too so the rename itself survives a power loss.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const file = await open(temporary, 'wx', mode);
    try {
      await file.chmod(mode); // the umask may have narrowed or widened what open() applied
      await file.writeFile(content, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(path));
}

export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic, only less durable there.
  } finally {
    await handle?.close();
  }
}

/**
 * Removes the temporary files of writes that never finished (`<path>.tmp-PID-…` of a process killed
 * mid-write): those whose writer is no longer running. A live writer's file is left alone.
 */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processRunning(pid)) continue;
    const stale = join(dirname(path), name);
    await unlink(stale).then(
      () => removed.push(stale),
      () => undefined,
    );
  }
  return removed;
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
