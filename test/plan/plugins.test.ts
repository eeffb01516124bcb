import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../src/resources/plugins.js';
import { ProviderRegistry } from '../../src/resources/registry.js';
import { testResourceProvider } from '../../src/resources/test_resource/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/plugins');
const workdir = join(fixtures, 'workdir');

describe('loadPlugins', () => {
  it('registers valid plugins and reports each broken one without crashing', async () => {
    const registry = new ProviderRegistry();
    registry.register(testResourceProvider, 'builtin');
    const diagnostics = await loadPlugins(registry, ['../extra/configured.mjs', 'plugins/absent.mjs'], workdir);

    expect(registry.types()).toEqual(['configured_thing', 'memo_note', 'test_resource']);
    expect(registry.sourceOf('memo_note')).toBe('plugins/good.mjs');
    expect(registry.sourceOf('test_resource')).toBe('builtin');

    const bySubject = Object.fromEntries(diagnostics.map((d) => [d.subject, `${d.summary} | ${d.detail}`]));
    expect(Object.keys(bySubject).sort()).toEqual([
      '../extra/configured.mjs',
      'plugins/absent.mjs',
      'plugins/missing-functions.js',
      'plugins/no-export.mjs',
      'plugins/syntax-error.mjs',
      'plugins/throws.mjs',
    ]);
    expect(bySubject['plugins/missing-functions.js']).toMatch(/provider "half_done".*`schema.attributes` is missing.*`create` is missing.*`delete` is missing/);
    expect(bySubject['plugins/no-export.mjs']).toMatch(/must export `providers`/);
    expect(bySubject['plugins/throws.mjs']).toMatch(/plugin exploded during import/);
    expect(bySubject['../extra/configured.mjs']).toMatch(/"test_resource" is already provided by builtin/);
    expect(bySubject['plugins/absent.mjs']).toMatch(/does not exist/);
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('a working directory without plugins/ loads nothing', async () => {
    const registry = new ProviderRegistry();
    expect(await loadPlugins(registry, [], fixtures)).toEqual([]);
    expect(registry.types()).toEqual([]);
  });
});
