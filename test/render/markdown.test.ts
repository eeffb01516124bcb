import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { everyActionPlan } from './fixtures/every-action-plan.js';
import { change, plan } from './plan-fixtures.js';

const md = everyActionPlan;

describe('renderPlanMarkdown', () => {
  it('lists destroys and replacements before anything else, each with a data-loss mark and reason', () => {
    const text = renderPlanMarkdown(md());
    const list = text.slice(text.indexOf('#### Destroys and replacements'), text.indexOf('#### Resource changes'));
    expect(list.trim().split('\n').slice(2)).toEqual([
      '- ⚠ `vm.old` **will be destroyed** (not in configuration) — data loss: the VM and its disks are destroyed',
      '- ⚠ `zfs_dataset.media` **will be destroyed** (not in configuration) — data loss: the dataset, its files and its snapshots are destroyed',
      '- ⚠ `lxc.db` **must be replaced** (destroy, then create; forced by rootfs) — data loss: the container is destroyed and recreated: data on its disks is lost; disks cannot shrink: rootfs 16G → 8G',
    ]);
    expect(text.indexOf('#### Destroys and replacements')).toBeLessThan(text.indexOf('<details>'));
    const sectionOrder = ['<b>vm.old</b>', '<b>lxc.db</b>', '<b>vm.builder</b>', '<b>lxc.web</b>'].map((s) => text.indexOf(s));
    expect(sectionOrder).toEqual([...sectionOrder].sort((a, b) => a - b));
    expect(text).toContain('> [!CAUTION]\n> **3 changes lose data**');
  });

  it('lists every move from → to, also when nothing else changes, as the text view does', () => {
    const moves = plan({
      changes: [
        change({ address: 'lxc.database', action: 'no-op', previousAddress: 'lxc.db', before: { vmid: 111 }, after: { vmid: 111 } }),
        change({ address: 'test_resource.c', action: 'update', previousAddress: 'test_resource.a', before: { v: 1 }, after: { v: 2 }, changedPaths: [['v']] }),
        change({ address: 'test_resource.kept', action: 'no-op', before: { v: 1 }, after: { v: 1 } }),
      ],
    });
    const text = renderPlanMarkdown(moves);
    expect(text).not.toContain('**No changes.**');
    expect(text).toContain(
      [
        '**Moved: 2 objects keep their node object under a new address** (`moved` blocks; state only):',
        '- `lxc.db` → `lxc.database`',
        '- `test_resource.a` → `test_resource.c` — and will be updated in-place',
      ].join('\n'),
    );
    expect(text).toContain('<b>test_resource.c</b> will be updated in-place (moved from test_resource.a)');
    expect(text).not.toContain('test_resource.kept');
    expect(renderPlanMarkdown(plan({ changes: [change({ address: 'lxc.a', action: 'no-op', before: {}, after: {} })] }))).not.toContain('Moved');
  });

  it('does not mark destroys that keep data, and has no caution when nothing is lost', () => {
    const text = renderPlanMarkdown(
      plan({ changes: [change({ address: 'test_resource.old', action: 'delete', reason: 'not_in_config', before: { name: 'old' } })] }),
    );
    expect(text).toContain('- `test_resource.old` **will be destroyed** (not in configuration)\n');
    expect(text).not.toContain('⚠');
    expect(text).not.toContain('[!CAUTION]');
  });

  it('counts changes per resource type and action with a total row', () => {
    expect(renderPlanMarkdown(md())).toContain(
      [
        '| Resource type | Create | Update | Replace | Destroy |',
        '|:--|--:|--:|--:|--:|',
        '| `feature` | 0 | 1 | 0 | 0 |',
        '| `lxc` | 0 | 1 | 1 | 0 |',
        '| `vm` | 1 | 1 | 0 | 1 |',
        '| `zfs_dataset` | 0 | 0 | 0 | 1 |',
        '| **Total** | 1 | 3 | 1 | 2 |',
      ].join('\n'),
    );
  });

  it('never prints a sensitive value, yet shows that a secret changed', () => {
    const text = renderPlanMarkdown(md());
    for (const secret of ['hunter1', 'hunter2', 'old-secret', 'new-secret', 's3cret']) expect(text).not.toContain(secret);
    expect(text).toContain('-   password = (sensitive value)\n+   password = (sensitive value)  # requires restart');
    expect(text).toContain('- db_password = (sensitive value)\n+ db_password = (sensitive value)');
    expect(text).toContain('  password = (sensitive value)\n'); // unchanged secret of lxc.db: context, not a change
  });

  it('shows a multi-line attribute change as a unified diff hunk', () => {
    expect(renderPlanMarkdown(md())).toContain(
      [
        '  script   = <<EOT',
        '  @@ -1,8 +1,8 @@',
        '    #!/bin/sh',
        '    set -eu',
        '    apt-get update',
        '-   apt-get install -y docker.io',
        '+   apt-get install -y docker.io docker-compose',
      ].join('\n'),
    );
  });

  it('keeps a long script to the changed lines and three lines of context', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `echo ${i}`);
    const before = `${lines.join('\n')}\n`;
    const after = before.replace('echo 100\n', 'echo one hundred\n');
    const text = renderPlanMarkdown(
      plan({ changes: [change({ address: 'feature.setup', action: 'update', before: { script: before }, after: { script: after } })] }),
    );
    expect(text).toContain('@@ -98,7 +98,7 @@');
    expect(text).not.toContain('echo 50\n');
    expect(text).toContain('+   echo one hundred');
  });

  it('marks values known only after apply and replacement-forcing attributes', () => {
    const text = renderPlanMarkdown(md());
    expect(text).toContain('+ vmid       = (known after apply)');
    expect(text).toContain('+   size    = "8G"  # forces replacement');
  });

  it('uses a fence longer than any backtick run in a value, so a script cannot break the comment', () => {
    const text = renderPlanMarkdown(
      plan({ changes: [change({ address: 'feature.docs', action: 'create', after: { script: 'cat <<MD\n```sh\nls\n```\nMD\n' } })] }),
    );
    expect(text).toContain('````diff\n');
    expect(text).toContain('\n````\n');
  });

  it('embeds a Mermaid picture of the changed resources and their neighbours, coloured by action', () => {
    const text = renderPlanMarkdown(md());
    const mermaid = text.slice(text.indexOf('```mermaid'), text.indexOf('```', text.indexOf('```mermaid') + 3));
    expect(mermaid).toContain('n1["lxc.db<br/><i>replace</i>"]');
    expect(mermaid).toContain('n1 --> n2');
    expect(mermaid).toContain('class n6 delete');
    expect(mermaid).not.toContain('lxc.cache'); // unchanged and unrelated to any change
    expect(renderPlanMarkdown(md(), { graph: false })).not.toContain('```mermaid');
  });

  it('says so when nothing changes', () => {
    const text = renderPlanMarkdown(plan({ changes: [change({ address: 'test_resource.a', action: 'no-op', before: { name: 'a' }, after: { name: 'a' } })] }));
    expect(text).toContain('**No changes.** Your infrastructure matches the configuration.');
    expect(text).not.toContain('<details>');
    expect(text).not.toContain('| Resource type |');
  });

  it('escapes addresses in HTML summaries', () => {
    const text = renderPlanMarkdown(plan({ changes: [change({ address: 'test_resource.app["<b>"]', action: 'create', after: { name: 'x' } })] }));
    expect(text).toContain('<b>test_resource.app[&quot;&lt;b&gt;&quot;]</b> will be created');
  });
});
