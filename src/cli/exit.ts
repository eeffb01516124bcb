/**
 * Leaving the process without losing output. On a pipe or socket Node writes stdout/stderr
 * asynchronously: whatever the reader has not taken yet sits in the stream's queue, and
 * `process.exit` drops it (a plan piped into a slow `jq` or `gh` came out cut at 64 KiB). Every exit of
 * the CLI goes through here and waits until both streams have handed their queues to the kernel.
 */

/** Resolves once everything written to `stream` so far has been flushed (or the stream is gone). */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    // A write callback runs after that chunk — and so every chunk before it — is flushed; an error
    // (EPIPE: the reader went away) also ends the wait, since nothing more can be delivered.
    const done = (): void => {
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('error', done);
    stream.once('close', done);
    stream.write('', () => done());
  });
}

/** Flushes stdout and stderr, then exits with `code`. */
export async function flushAndExit(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/**
 * A reader that stops early (`phoenix plan | head`) makes further writes fail with EPIPE; like any
 * Unix filter, phoenix then ends quietly instead of reporting a crash.
 */
export function exitQuietlyWhenReaderCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 1);
      throw e;
    });
  }
}
