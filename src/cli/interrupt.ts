/**
 * Ctrl-C during a run, as Terraform handles it: the first SIGINT asks for a graceful stop (running
 * operations finish, state is persisted, nothing new starts); the second exits at once with 130.
 */
import { flushAndExit } from './exit.js';
import type { Ui } from './ui.js';

/** Guards installed now; while one is, it decides what an interrupt does. */
let activeGuards = 0;

/**
 * Outside a guarded run an interrupt ends the process with 130, as the default handler would, but only
 * after what was already printed has reached the reader.
 */
export function exitOnUnguardedInterrupt(): void {
  process.on('SIGINT', () => {
    if (activeGuards === 0) void flushAndExit(130);
  });
}

export interface InterruptGuard {
  signal: AbortSignal;
  readonly interrupted: boolean;
  dispose(): void;
}

export function guardInterrupts(ui: Ui): InterruptGuard {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      ui.err('Two interrupts received. Exiting immediately. Note that data loss may have occurred.');
      void flushAndExit(130);
      return;
    }
    ui.err(
      ui.style.bold('Interrupt received.') +
        '\nPlease wait for phoenix to exit or data loss may occur.\nGracefully shutting down...',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  activeGuards++;
  let disposed = false;
  return {
    signal: controller.signal,
    get interrupted() {
      return controller.signal.aborted;
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      activeGuards--;
      process.off('SIGINT', onSignal);
    },
  };
}
