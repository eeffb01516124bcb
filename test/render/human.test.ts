import { describe, expect, it } from 'vitest';
import { renderApplyEvent, renderPlanHuman, renderValueHcl } from '../../src/render/human.js';
import { change, plan, UNKNOWN } from './plan-fixtures.js';

const text = (p: ReturnType<typeof plan>, compact = false) => renderPlanHuman(p, { color: false, compact });

describe('renderPlanHuman', () => {
  it('renders an in-place update in Terraform grammar with aligned attributes and a hidden count', () => {
    const out = text(
      plan({
        changes: [
          change({
            address: 'lxc.web',
            action: 'update',
            before: { id: 'pve/lxc/101', memory: 1024, cores: 2, hostname: 'web', tags: null },
            after: { id: 'pve/lxc/101', memory: 2048, cores: 2, hostname: 'web', tags: null },
          }),
        ],
      }),
    );
    expect(out).toBe(
      [
        'phoenix used the selected providers to generate the following execution plan. Resource actions are',
        'indicated with the following symbols:',
        '  ~ update in-place',
        '',
        'phoenix will perform the following actions:',
        '',
        '  # lxc.web will be updated in-place',
        '  ~ resource "lxc" "web" {',
        '        hostname = "web"',
        '        id       = "pve/lxc/101"',
        '      ~ memory   = 1024 -> 2048',
        '        # (1 unchanged attribute hidden)',
        '    }',
        '',
        'Plan: 0 to add, 1 to change, 0 to destroy.',
        '',
      ].join('\n'),
    );
  });

  it('shows creates, replacements and removals with only the legend symbols used', () => {
    const out = text(
      plan({
        changes: [
          change({ address: 'test_resource.a', action: 'create', after: { name: 'a', id: UNKNOWN, size: null } }),
          change({
            address: 'test_resource.b',
            action: 'replace',
            replaceOrder: 'delete-before-create',
            before: { name: 'b', id: 'tr-1', size: 1 },
            after: { name: 'b', id: UNKNOWN, size: 2 },
            replacePaths: [['size']],
          }),
          change({ address: 'test_resource.c', action: 'delete', reason: 'not_in_config', before: { name: 'c', id: 'tr-2' } }),
        ],
      }),
    );
    expect(out).toContain(['  + create', '  - destroy', '-/+ destroy and then create replacement', ''].join('\n'));
    expect(out).not.toContain('update in-place');
    expect(out).toContain(
      [
        '  # test_resource.a will be created',
        '  + resource "test_resource" "a" {',
        '      + id   = (known after apply)',
        '      + name = "a"',
        '    }',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '  # test_resource.b must be replaced',
        '-/+ resource "test_resource" "b" {',
        '      ~ id   = "tr-1" -> (known after apply)',
        '        name = "b"',
        '      ~ size = 1 -> 2 # forces replacement',
        '    }',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '  # test_resource.c will be destroyed',
        '  # (because test_resource.c is not in configuration)',
        '  - resource "test_resource" "c" {',
        '      - id   = "tr-2" -> null',
        '      - name = "c" -> null',
        '    }',
      ].join('\n'),
    );
    expect(out).toContain('Plan: 2 to add, 0 to change, 2 to destroy.');
  });

  it('distinguishes create-before-destroy replacements and requested replacements', () => {
    const out = text(
      plan({
        changes: [
          change({
            address: 'test_resource.a',
            action: 'replace',
            replaceOrder: 'create-before-destroy',
            reason: 'replace_by_request',
            before: { name: 'a', id: 'tr-1' },
            after: { name: 'a', id: UNKNOWN },
          }),
        ],
      }),
    );
    expect(out).toContain('+/- create replacement and then destroy');
    expect(out).toContain('  # test_resource.a will be replaced, as requested\n+/- resource "test_resource" "a" {');
    expect(out).not.toContain('-/+');
  });

  it('says there is nothing to destroy for an empty destroy plan', () => {
    expect(text(plan({ mode: 'destroy' }))).toContain('No changes. No objects need to be destroyed.');
  });

  it('says there are no changes when the plan is empty', () => {
    const out = text(plan({ changes: [change({ address: 'test_resource.a', action: 'no-op', before: { name: 'a' }, after: { name: 'a' } })] }));
    expect(out).toContain('No changes. Your infrastructure matches the configuration.');
    expect(out).not.toContain('Plan:');
    expect(out).not.toContain('test_resource.a');
  });

  it('redacts sensitive values, marks restart paths and diffs multi-line strings line by line', () => {
    const out = text(
      plan({
        changes: [
          change({
            address: 'test_resource.app',
            action: 'update',
            before: { name: 'app', secret: 'old-pass', mode: 'a', script: 'one\ntwo\nthree\n' },
            after: { name: 'app', secret: 'new-pass', mode: 'b', script: 'one\nTWO\nthree\n' },
            sensitivePaths: [['secret']],
            restartPaths: [['mode']],
          }),
        ],
      }),
    );
    expect(out).not.toContain('pass');
    expect(out).toContain(
      [
        '      ~ mode   = "a" -> "b" # requires restart',
        '        name   = "app"',
        '      ~ script = <<-EOT',
        '            one',
        '          - two',
        '          + TWO',
        '            three',
        '        EOT',
        '      ~ secret = (sensitive value)',
      ].join('\n'),
    );
  });

  it('renders nested objects and lists like Terraform, and -compact hides unchanged members', () => {
    const before = { name: 'x', tags: { env: 'dev', team: 'ops' }, network: [{ bridge: 'vmbr0', ip: 'dhcp' }] };
    const after = { name: 'x', tags: { env: 'prod', team: 'ops' }, network: [{ bridge: 'vmbr1', ip: 'dhcp' }] };
    const p = plan({ changes: [change({ address: 'lxc.x', action: 'update', before, after })] });
    expect(text(p)).toContain(
      [
        '        name    = "x"',
        '      ~ network = [',
        '          ~ {',
        '              ~ bridge = "vmbr0" -> "vmbr1"',
        '                # (1 unchanged attribute hidden)',
        '            },',
        '        ]',
        '      ~ tags    = {',
        '          ~ env = "dev" -> "prod"',
        '            # (1 unchanged attribute hidden)',
        '        }',
        '    }',
      ].join('\n'),
    );
    const compact = text(p, true);
    expect(compact).not.toContain('unchanged');
    expect(compact).not.toContain('name');
    expect(compact).toContain('~ bridge = "vmbr0" -> "vmbr1"');
  });

  it('adds and removes list elements with their own symbols', () => {
    const out = text(
      plan({
        changes: [change({ address: 'lxc.x', action: 'update', before: { ports: [22, 80] }, after: { ports: [22, 443] } })],
      }),
    );
    expect(out).toContain(['      ~ ports = [', '          - 80,', '          + 443,', '            # (1 unchanged element hidden)', '        ]'].join('\n'));
  });

  it('puts the drift note before the actions and lists output changes after the summary', () => {
    const out = text(
      plan({
        drift: [
          {
            address: 'test_resource.a',
            type: 'test_resource',
            action: 'update',
            before: { name: 'a', value: 'x' },
            after: { name: 'a', value: 'changed' },
            changedPaths: [['value']],
            sensitivePaths: [],
          },
        ],
        changes: [
          change({ address: 'test_resource.a', action: 'update', before: { name: 'a', value: 'changed' }, after: { name: 'a', value: 'x' } }),
        ],
        outputs: [
          { name: 'ip', action: 'create', before: null, after: '10.0.0.5', sensitive: false },
          { name: 'password', action: 'update', before: 'a', after: 'b', sensitive: true },
        ],
      }),
    );
    const drift = out.indexOf('Note: Objects have changed outside of phoenix');
    const actions = out.indexOf('phoenix will perform the following actions:');
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(actions);
    expect(out).toContain('  # test_resource.a has changed\n  ~ resource "test_resource" "a" {\n        name  = "a"\n      ~ value = "x" -> "changed"');
    expect(out).toContain(
      ['Plan: 0 to add, 1 to change, 0 to destroy.', '', 'Changes to Outputs:', '  + ip       = "10.0.0.5"', '  ~ password = (sensitive value)'].join('\n'),
    );
  });

  it('colours symbols only when asked', () => {
    const p = plan({ changes: [change({ address: 'test_resource.a', action: 'create', after: { name: 'a' } })] });
    expect(renderPlanHuman(p, { color: true })).toContain('\u001b[32m+\u001b[39m');
    expect(renderPlanHuman(p, { color: false })).not.toContain('\u001b[');
  });
});

describe('renderApplyEvent', () => {
  const render = (e: Parameters<typeof renderApplyEvent>[0]) => renderApplyEvent(e, { color: false });
  it('uses Terraform wording for progress lines', () => {
    expect(render({ type: 'apply_start', address: 'lxc.web', action: 'create' })).toBe('lxc.web: Creating...');
    expect(render({ type: 'apply_progress', address: 'lxc.web', action: 'create', elapsedMs: 10_400 })).toBe(
      'lxc.web: Still creating... [10s elapsed]',
    );
    expect(render({ type: 'apply_complete', address: 'lxc.web', action: 'create', elapsedMs: 3_000, id: 'pve/lxc/101' })).toBe(
      'lxc.web: Creation complete after 3s [id=pve/lxc/101]',
    );
    expect(render({ type: 'apply_complete', address: 'lxc.db', action: 'delete', elapsedMs: 90_000 })).toBe(
      'lxc.db: Destruction complete after 1m30s',
    );
    expect(render({ type: 'skipped', address: 'lxc.db', action: 'create', because: 'lxc.base failed' })).toBe(
      'lxc.db: Skipped because lxc.base failed',
    );
    expect(render({ type: 'skipped', address: 'lxc.db', action: 'create', because: 'lxc.base' })).toBe(
      'lxc.db: Skipped because lxc.base failed',
    );
    expect(render({ type: 'apply_errored', address: 'lxc.web', action: 'create', elapsedMs: 1000, error: 'pct exited 255\nunable to lock' })).toBe(
      'lxc.web: Creation errored after 1s\nError: pct exited 255\n  unable to lock',
    );
  });
});

describe('renderValueHcl', () => {
  it('prints outputs the way terraform output does', () => {
    expect(renderValueHcl(['a', 'b'], 0)).toBe('[\n  "a",\n  "b",\n]');
    expect(renderValueHcl({ web: 'tr-1', 'my key': 2 }, 0)).toBe('{\n  "my key" = 2\n  web      = "tr-1"\n}');
  });
});
