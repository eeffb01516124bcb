/**
 * A guest's `health_check` blocks: what the legacy tools checked after provisioning, run by phoenix after
 * apply and by `phoenix check`:
 * - `health_check{command,retries,interval}` (lxc-manager.sh run_health_check: `pct exec` of the command);
 * - the NVIDIA check it ran for guests with the `nvidia` feature (health_checks/check_nvidia.sh: the driver
 *   version `nvidia-smi` reports equals the configured one, 3 attempts 5 s apart);
 * - every `tests` script (tests/test_runner.sh: pushed into the guest, made executable, run once).
 */
import { attr, block, raw, template, type HclExpr, type HclItem } from '../hcl-writer.js';
import type { LegacyGuest, LegacyTest } from '../model.js';
import type { EmitContext } from './context.js';
import { nvidiaDriverVersion } from './features.js';
import { guestLabel, locateLegacyScript } from './scripts.js';

function check(name: string, command: HclExpr, retries?: number, interval?: number): HclItem {
  return block('health_check', [], [
    attr('name', name),
    attr('command', command),
    ...(retries !== undefined ? [attr('retries', retries)] : []),
    ...(interval !== undefined ? [attr('interval', interval)] : []),
  ]);
}

const TEST_END = 'PHOENIX_LEGACY_TEST';

/** The test script written to a temporary file in the guest and run with its own interpreter, as test_runner.sh did. */
function testCommand(ctx: EmitContext, guest: LegacyGuest, test: LegacyTest): HclExpr {
  const script = locateLegacyScript(ctx, { kind: 'test', path: test.path }, `test script "${test.name}" of ${guestLabel(guest)}`, test.location);
  if (!script.found) return script.text;
  const file = test.path.split('/').pop()!;
  return template(
    `d=$(mktemp -d) && cat > "$d/${file}" <<'${TEST_END}'\n`,
    raw((script.expr as ReturnType<typeof raw>).text),
    `\n${TEST_END}\nchmod +x "$d/${file}" && "$d/${file}"; status=$?; rm -rf "$d"; exit $status`,
  );
}

export function healthCheckItems(ctx: EmitContext, guest: LegacyGuest): HclItem[] {
  const items: HclItem[] = guest.healthChecks.map((c, i) => check(guest.healthChecks.length === 1 ? 'legacy' : `legacy-${i + 1}`, c.command, c.retries, c.interval));
  if (guest.features.some((f) => f.value === 'nvidia')) {
    const version = nvidiaDriverVersion(ctx) as ReturnType<typeof raw> | undefined;
    const query = 'nvidia-smi --query-gpu=driver_version --format=csv,noheader,nounits | tail -n 1';
    items.push(check('nvidia', version ? template(`test "$(${query})" = "`, version, '"') : `test -n "$(${query})"`, 3, 5));
  }
  for (const test of guest.tests) items.push(check(`${test.suite}: ${test.name}`, testCommand(ctx, guest, test), 1));
  return items;
}
