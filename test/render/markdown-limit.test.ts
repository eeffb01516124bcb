/** The PR view of a very large plan must still fit in one GitHub comment without hiding a destroy. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan, ResourceChange } from '../../src/plan/model.js';
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from '../../src/render/markdown.js';
import { change, plan, UNKNOWN } from './plan-fixtures.js';

function guest(i: number) {
  return {
    vmid: 1000 + i,
    node: `pve${i % 3}`,
    hostname: `guest-${i}`,
    memory: 1024,
    cores: 2,
    rootfs: { storage: 'local-zfs', size: '8G' },
    network: [{ name: 'eth0', bridge: 'vmbr0', ip: `10.0.${Math.floor(i / 250)}.${i % 250}/16`, gw: '10.0.0.1' }],
    description: `Guest ${i}\nManaged by phoenix\nTeam: ${i % 7}\n`,
  };
}

/** 2,000 changes: 50 destroys (every 40th), 950 creates, 1,000 updates, with realistic bodies. */
function largePlan(): Plan {
  const changes: ResourceChange[] = [];
  for (let i = 0; i < 2000; i++) {
    const address = `lxc.guest[${i}]`;
    const before = guest(i);
    if (i % 40 === 0) changes.push(change({ address, action: 'delete', reason: 'count_index', index: i, before }));
    else if (i % 2 === 0) changes.push(change({ address, action: 'create', index: i, after: { ...before, vmid: UNKNOWN } }));
    else changes.push(change({ address, action: 'update', index: i, before, after: { ...before, memory: 2048, description: `${before.description}On call: yes\n` } }));
  }
  return plan({ changes });
}

describe('markdown for a 2,000-resource plan', () => {
  const p = largePlan();
  const text = renderPlanMarkdown(p, { fullPlanCommand: 'phoenix show -format=markdown plan.out' });
  const destroyed = p.changes.filter((c) => c.action === 'delete').map((c) => c.address);

  it('stays under the GitHub comment limit', () => {
    expect(destroyed).toHaveLength(50);
    expect(text.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });

  it('keeps every destroy visible in the list', () => {
    for (const address of destroyed) {
      expect(text).toContain(`- ⚠ \`${address}\` **will be destroyed** (index out of range for count) — data loss: the container and its disks are destroyed\n`);
    }
  });

  it('keeps the summary and explains what was trimmed and where to see everything', () => {
    expect(text).toContain('**Plan: 950 to add, 1000 to change, 50 to destroy.**');
    expect(text).toContain('| **Total** | 950 | 1000 | 0 | 50 |');
    expect(text).toMatch(/\*\*Trimmed to fit a comment \(at most 64,535 characters\):\*\* unchanged attributes hidden in 1000 sections; \d+ of 2001 detail sections omitted, largest first\./);
    expect(text).toContain('Run `phoenix show -format=markdown plan.out` for everything.');
  });

  it('hides unchanged context before omitting whole sections', () => {
    const small = largePlan();
    small.changes = small.changes.slice(0, 60);
    const full = renderPlanMarkdown(small);
    const fitted = renderPlanMarkdown(small, { limit: full.length - 1 });
    expect(fitted.length).toBeLessThanOrEqual(full.length - 1);
    expect(fitted).toContain('unchanged attributes hidden in');
    expect(fitted).not.toContain('detail sections omitted');
    expect(fitted).toContain('# (6 unchanged attributes hidden)');
    expect(fitted.match(/<details>/g)?.length).toBe(full.match(/<details>/g)?.length);
  });

  it('omits the largest sections first', () => {
    const mixed = plan({
      changes: [
        change({ address: 'feature.big', action: 'create', after: { script: 'echo big\n'.repeat(400) } }),
        change({ address: 'feature.small', action: 'create', after: { script: 'echo small\n' } }),
      ],
    });
    const fitted = renderPlanMarkdown(mixed, { limit: 2_000, graph: false });
    expect(fitted.length).toBeLessThanOrEqual(2_000);
    expect(fitted).toContain('<b>feature.small</b>');
    expect(fitted).not.toContain('<b>feature.big</b>');
    expect(fitted).toContain('1 of 2 detail sections omitted, largest first');
  });

  it('as a last resort, when the destroy list alone is too long, ends it with a count instead of exceeding the limit', () => {
    const destroys = plan({
      changes: Array.from({ length: 300 }, (_, i) => change({ address: `test_resource.old[${i}]`, action: 'delete', index: i, before: { name: `old-${i}` } })),
    });
    const fitted = renderPlanMarkdown(destroys, { limit: 5_000 });
    expect(fitted.length).toBeLessThanOrEqual(5_000);
    expect(fitted).toContain('**Plan: 0 to add, 0 to change, 300 to destroy.**');
    expect(fitted).toContain('- `test_resource.old[0]` **will be destroyed**');
    expect(fitted).toMatch(/- … and \d+ more \(the list alone exceeds the comment limit; see the full plan\)/);
    expect(fitted).toMatch(/the last \d+ destroys and replacements listed only as a count/);
  });

  it('for any plan and any limit it can honour, fits and keeps every destroy line (property)', () => {
    const changeArb = fc.record({
      action: fc.constantFrom('create' as const, 'update' as const, 'delete' as const, 'replace' as const),
      size: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 3_000, max: 30_000 }), (specs, limit) => {
        const changes = specs.map(({ action, size }, i) => {
          const attrs = { name: `r${i}`, script: 'line\n'.repeat(size), keep: 'same' };
          return change({ address: `test_resource.r[${i}]`, action, index: i, before: action === 'create' ? null : { ...attrs, name: `old${i}` }, after: action === 'delete' ? null : attrs });
        });
        const text = renderPlanMarkdown(plan({ changes }), { limit });
        expect(text.length).toBeLessThanOrEqual(limit);
        for (const c of changes.filter((c) => c.action === 'delete' || c.action === 'replace')) expect(text).toContain(`- \`${c.address}\` **`);
      }),
      { numRuns: 40 },
    );
  });
});

