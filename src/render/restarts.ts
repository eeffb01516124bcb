/** The words every renderer uses for guest restarts (ResourceChange.restart), so human, markdown and JSON agree. */
import type { Plan, ResourceChange } from '../plan/model.js';
import type { GuestRestart } from '../resources/provider.js';

/** `CT 110 will be restarted: features, memory` or why it is not. */
export function restartSentence(restart: GuestRestart): string {
  const what = restart.attributes.join(', ');
  return restart.restarts
    ? `${restart.guest} will be restarted: ${what}`
    : `${restart.guest} will not be restarted (reboot_after_update = false): ${what} pending until its next start`;
}

/** Changes that restart their guest, in plan order. */
export function restartingChanges(plan: Plan): ResourceChange[] {
  return plan.changes.filter((c) => c.action === 'update' && c.restart?.restarts === true);
}

/** Guests left with changes pending (no restart): updates with `reboot_after_update = false`, and no-ops with pending changes on the host. */
export function pendingChanges(plan: Plan): ResourceChange[] {
  return plan.changes.filter((c) => (c.action === 'update' || c.action === 'no-op') && c.restart !== undefined && !c.restart.restarts);
}

/** Lines after the plan summary: which guests apply restarts, which keep changes pending. */
export function restartSummaryLines(plan: Plan): string[] {
  const lines: string[] = [];
  const restarting = restartingChanges(plan);
  if (restarting.length > 0) {
    lines.push(`Apply will restart ${restarting.length === 1 ? '1 guest' : `${restarting.length} guests`}: ` + restarting.map((c) => `${c.restart!.guest} (${c.restart!.attributes.join(', ')})`).join(', ') + '.');
  }
  const pending = pendingChanges(plan);
  if (pending.length > 0) {
    lines.push(
      'Changes pending on the host until the guest restarts (reboot_after_update = false): ' +
        pending.map((c) => `${c.restart!.guest} (${c.restart!.attributes.join(', ')})`).join(', ') +
        '.',
    );
  }
  return lines;
}
