/**
 * Ctrl-C during a run, as Terraform handles it: the first SIGINT asks for a graceful stop (running
 * operations finish, state is persisted, nothing new starts); the second exits at once with 130.
 */
import type { Ui } from './ui.js';

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
      process.exit(130);
    }
    ui.err(
      ui.style.bold('Interrupt received.') +
        '\nPlease wait for phoenix to exit or data loss may occur.\nGracefully shutting down...',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    get interrupted() {
      return controller.signal.aborted;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
    },
  };
}
