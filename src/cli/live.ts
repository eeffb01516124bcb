/**
 * Live apply output. Every engine event becomes a plain line (`lxc.web: Creating...`, the engine's own
 * `Still creating... [10s elapsed]` ticks). On a terminal a status line at the bottom shows what runs
 * now and how many changes wait; it is erased before any other output and redrawn after.
 */
import type { ApplyEvent } from '../plan/engine-types.js';
import { renderApplyEvent } from '../render/human.js';
import type { Ui } from './ui.js';

const STATUS_REFRESH_MS = 1_000;

export interface LiveView {
  onEvent(event: ApplyEvent): void;
  close(): void;
}

export function createLiveView(ui: Ui, totalChanges: number): LiveView {
  const running = new Set<string>();
  let finished = 0;
  let statusShown = false;

  const clearStatus = (): void => {
    if (statusShown) process.stdout.write('\r\x1b[K');
    statusShown = false;
  };
  const drawStatus = (): void => {
    if (!ui.interactive || running.size === 0) return;
    const names = [...running];
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3}` : '');
    const waiting = Math.max(0, totalChanges - finished - running.size);
    const line = `  ⋯ running: ${shown} · ${waiting} waiting · ${finished}/${totalChanges} done`;
    process.stdout.write(`\r\x1b[K${ui.style.dim(line.slice(0, (process.stdout.columns || 100) - 1))}`);
    statusShown = true;
  };
  if (ui.interactive) ui.beforeWrite = clearStatus;

  const print = (event: ApplyEvent): void => {
    ui.out(renderApplyEvent(event, { color: ui.color }));
    drawStatus();
  };

  // Only the terminal status line needs redrawing between events.
  const ticker = ui.interactive ? setInterval(drawStatus, STATUS_REFRESH_MS) : undefined;
  ticker?.unref();

  return {
    onEvent(event) {
      switch (event.type) {
        case 'apply_start':
          running.add(event.address);
          break;
        case 'apply_complete':
        case 'apply_errored':
          running.delete(event.address);
          finished++;
          break;
        case 'skipped':
          finished++;
          break;
        default:
          break;
      }
      print(event);
    },
    close() {
      clearInterval(ticker);
      clearStatus();
      if (ui.interactive) ui.beforeWrite = undefined;
    },
  };
}

