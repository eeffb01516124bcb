/**
 * `test_resource`: a provider without a host. Objects live in a TestStore; editing the store out of band
 * shows up as drift on the next refresh. `fail_on` and `sleep_ms` let tests provoke failures and slow
 * operations.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { error, type Diagnostic } from '../../config/diagnostics.js';
import type { Attrs } from '../../config/values.js';
import type { HealthResult, ProviderContext, ReadRequest, ReadResult, ResourceProvider } from '../provider.js';
import { testResourceSchema } from './schema.js';
import { defaultStore, type TestStore } from './store.js';

export { memoryStore, fileStore, type TestStore } from './store.js';

const OPERATIONS = ['create', 'update', 'delete'];

export function createTestResourceProvider(store: TestStore = defaultStore()): ResourceProvider {
  /** By name (the store key); when an id is known too, the object must still be that one. */
  const find = (objects: Record<string, Attrs>, key: Attrs): Attrs | undefined => {
    const named = typeof key.name === 'string' ? objects[key.name] : undefined;
    if (named && (typeof key.id !== 'string' || named.id === key.id)) return named;
    return undefined;
  };

  const delay = async (attrs: Attrs): Promise<void> => {
    if (typeof attrs.sleep_ms === 'number' && attrs.sleep_ms > 0) await sleep(attrs.sleep_ms);
  };

  const failIfAsked = (attrs: Attrs, operation: string): void => {
    if (attrs.fail_on === operation) {
      throw new Error(`test_resource "${String(attrs.name)}": ${operation} failed because fail_on = "${operation}"`);
    }
  };

  return {
    type: 'test_resource',
    schema: testResourceSchema,

    validate(attrs: Attrs): Diagnostic[] {
      const diagnostics: Diagnostic[] = [];
      if (attrs.fail_on !== null && attrs.fail_on !== undefined && !OPERATIONS.includes(String(attrs.fail_on))) {
        diagnostics.push(error('Invalid fail_on', `fail_on must be one of ${OPERATIONS.join(', ')}; got "${String(attrs.fail_on)}".`));
      }
      if (typeof attrs.size === 'number' && attrs.size < 0) {
        diagnostics.push(error('Invalid size', `size must not be negative; got ${attrs.size}.`));
      }
      return diagnostics;
    },

    async read(_ctx: ProviderContext, requests: ReadRequest[]): Promise<ReadResult[]> {
      const objects = store.load();
      return requests.map((r) => find(objects, r.prior) ?? null);
    },

    identity(planned: Attrs): Attrs {
      return { name: planned.name ?? null };
    },

    async create(ctx: ProviderContext, planned: Attrs): Promise<Attrs> {
      await delay(planned);
      failIfAsked(planned, 'create');
      const objects = store.load();
      if (find(objects, { name: planned.name ?? null })) {
        throw new Error(`test_resource "${String(planned.name)}" already exists`);
      }
      ctx.progress(`creating ${String(planned.name)}`);
      const id = `tr-${randomBytes(4).toString('hex')}`;
      const created: Attrs = { ...planned, id, created_at: new Date().toISOString(), revision: 1 };
      objects[String(planned.name)] = created;
      store.save(objects);
      return created;
    },

    async update(_ctx: ProviderContext, prior: Attrs, planned: Attrs): Promise<Attrs> {
      await delay(planned);
      failIfAsked(planned, 'update');
      const objects = store.load();
      const existing = find(objects, prior);
      if (!existing) throw new Error(`test_resource "${String(prior.name)}" no longer exists`);
      const updated: Attrs = {
        ...planned,
        id: existing.id ?? null,
        created_at: existing.created_at ?? null,
        revision: (typeof existing.revision === 'number' ? existing.revision : 0) + 1,
      };
      objects[String(existing.name)] = updated;
      store.save(objects);
      return updated;
    },

    async delete(_ctx: ProviderContext, prior: Attrs): Promise<void> {
      await delay(prior);
      failIfAsked(prior, 'delete');
      const objects = store.load();
      const existing = find(objects, prior);
      if (!existing) return;
      delete objects[String(existing.name)];
      store.save(objects);
    },

    async import(_ctx: ProviderContext, id: string): Promise<Attrs> {
      const objects = store.load();
      const existing = objects[id] ?? Object.values(objects).find((o) => o.id === id);
      if (!existing) throw new Error(`no test_resource object with id or name "${id}"`);
      return existing;
    },

    async check(_ctx: ProviderContext, attrs: Attrs): Promise<HealthResult[]> {
      const exists = find(store.load(), attrs) !== undefined;
      const ok = exists && attrs.check_fails !== true;
      const output = !exists ? 'object is missing' : ok ? 'object is healthy' : 'check_fails is set';
      return [{ name: 'exists', ok, attempts: 1, output }];
    },
  };
}

/** An instance on the default store (PHOENIX_TEST_STORE, else memory); the CLI builds its own per working directory. */
export const testResourceProvider: ResourceProvider = createTestResourceProvider();
