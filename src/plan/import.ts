/**
 * Import: adopt objects that already exist on the host into state.
 *  - importResource: `phoenix import ADDR ID` for one config instance;
 *  - importAll: `phoenix import -all` (legacy migration): every config instance not yet in state whose
 *    object exists on the host (found by its identity, e.g. vmid or dataset name) is imported.
 * Both return the new state with the serial advanced by one, ready to write.
 */
import { didYouMean, error, warning, type Diagnostic } from '../config/diagnostics.js';
import type { Attrs } from '../config/values.js';
import { containsUnknown, isUnknown } from '../config/values.js';
import { schemaSensitivePaths, type ResourceProvider } from '../resources/provider.js';
import type { ResourceState, StateFile } from '../state/model.js';
import type { EngineInput, ImportInput } from './engine-types.js';
import { EvalContext } from './eval-context.js';
import { expandInstances, type Expansion, type ResourceInstance } from './expand.js';
import { buildInstanceGraph } from './graph.js';
import { decodeInstance, plannedAttributes, providerDecided, withoutUnknowns } from './instance-config.js';
import { errorText, providerContext } from './provider-context.js';
import { readInBatches } from './read-batch.js';
import { compare } from './refresh.js';

export async function importResource(input: ImportInput): Promise<{ state: StateFile; diagnostics: Diagnostic[] }> {
  const prepared = prepare(input);
  if ('diagnostics' in prepared) return { state: input.state, diagnostics: prepared.diagnostics };
  const { expansion, context } = prepared;
  const fail = (summary: string, detail: string, range = expansion.byAddress.get(input.address)?.decl.range) => ({
    state: input.state,
    diagnostics: [{ ...error(summary, detail, range), subject: input.address }],
  });

  const instance = expansion.byAddress.get(input.address);
  if (!instance) {
    const suggestion = didYouMean(input.address, expansion.byAddress.keys());
    return fail(
      'Configuration for import target does not exist',
      `The configuration does not declare ${input.address}.` +
        (suggestion ? ` Did you mean ${suggestion}?` : ' Add a resource block for it first, then import.'),
    );
  }
  if (input.state.resources.some((r) => r.address === input.address)) {
    return fail(
      'Resource already managed by phoenix',
      `${input.address} is already in state. To import it again, remove it first with \`phoenix state rm ${input.address}\`.`,
    );
  }
  const provider = input.registry.get(instance.decl.type)!;
  const configured = withoutUnknowns(configuredAttributes(instance, provider, context));
  let attrs: Attrs;
  try {
    attrs = adopted(provider, await provider.import(providerContext(configured, input.nodes), input.id), configured);
  } catch (e) {
    return fail(`Cannot import ${input.address}`, `Importing id "${input.id}" failed: ${errorText(e)}`);
  }
  const dependencies = dependenciesOf(input, expansion, input.address);
  return { state: withResources(input.state, [record(input, instance, provider, attrs, dependencies)]), diagnostics: [] };
}

export interface ImportAllResult {
  state: StateFile;
  /** Addresses that were imported. */
  imported: string[];
  diagnostics: Diagnostic[];
}

export async function importAll(input: EngineInput & { state: StateFile; parallelism?: number }): Promise<ImportAllResult> {
  const prepared = prepare(input);
  if ('diagnostics' in prepared) return { state: input.state, imported: [], diagnostics: prepared.diagnostics };
  const { expansion, context } = prepared;
  const diagnostics: Diagnostic[] = [];
  const managed = new Set(input.state.resources.map((r) => r.address));
  let remaining = expansion.instances.filter((i) => !managed.has(i.address));
  const imported: { instance: ResourceInstance; provider: ResourceProvider; attrs: Attrs }[] = [];
  const graph = buildInstanceGraph(input.config, expansion.instances, []);

  // In waves: an instance whose identity depends on another's attributes waits until that one is imported.
  for (;;) {
    const ready: { instance: ResourceInstance; provider: ResourceProvider; prior: Attrs; identity: Attrs }[] = [];
    const waiting: ResourceInstance[] = [];
    for (const instance of remaining) {
      const provider = input.registry.get(instance.decl.type)!;
      const planned = configuredAttributes(instance, provider, context);
      const identity = provider.identity(planned);
      if (containsUnknown(identity)) waiting.push(instance);
      else if (identifies(identity)) ready.push({ instance, provider, prior: { ...withoutProviderDecided(provider, withoutUnknowns(planned)), ...identity }, identity });
      // else: nothing in the config names the object (e.g. no vmid): it cannot be matched on the host.
    }
    if (ready.length === 0) break;
    const { results, diagnostics: readDiagnostics } = await readInBatches(
      ready.map((r) => ({ address: r.instance.address, type: r.instance.decl.type, prior: r.prior })),
      { registry: input.registry, nodes: input.nodes, parallelism: input.parallelism ?? 4 },
    );
    diagnostics.push(...readDiagnostics);
    for (const [i, candidate] of ready.entries()) {
      if (!results[i]) continue; // not on the host (or unreadable): nothing to import
      const { instance, provider, prior, identity } = candidate;
      try {
        const attrs = await provider.import(providerContext(prior, input.nodes), importId(identity));
        imported.push({ instance, provider, attrs });
        context.values.set(instance.decl.address, instance.index, attrs);
      } catch (e) {
        diagnostics.push({ ...error(`Cannot import ${instance.address}`, errorText(e), instance.decl.range), subject: instance.address });
      }
    }
    remaining = waiting;
  }
  for (const instance of remaining) {
    diagnostics.push({
      ...warning('Not imported: identity unknown', `${instance.address} is identified by values only known after its dependencies exist; import it with \`phoenix import\` or apply.`),
      subject: instance.address,
    });
  }
  // Config values are adopted once every wave is done: a create-only input may reference an object
  // imported in a later wave (a clone's source_vmid).
  const records = imported.map(({ instance, provider, attrs }) => {
    const configured = withoutProviderDecided(provider, configuredAttributes(instance, provider, context));
    return record(input, instance, provider, adopted(provider, attrs, configured), graph.dependencies.get(instance.address) ?? []);
  });
  const state = records.length > 0 ? withResources(input.state, records) : input.state;
  return { state, imported: records.map((r) => r.address).sort(), diagnostics };
}

/** The id handed to provider.import for an identity: its `id`, else its values other than `node`. */
export function importId(identity: Attrs): string {
  if (typeof identity.id === 'string') return identity.id;
  return Object.entries(identity)
    .filter(([k]) => k !== 'node')
    .map(([, v]) => String(v))
    .join('/');
}

function prepare(input: EngineInput & { state: StateFile }): { expansion: Expansion; context: EvalContext } | { diagnostics: Diagnostic[] } {
  const context = new EvalContext(input);
  const expansion = expandInstances(context);
  const diagnostics = [...context.localDiagnostics, ...expansion.diagnostics];
  for (const decl of input.config.resources.values()) {
    if (!input.registry.get(decl.type)) diagnostics.push(error(`Unknown resource type "${decl.type}"`, undefined, decl.typeRange));
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  for (const r of input.state.resources) {
    const instance = expansion.byAddress.get(r.address);
    if (instance) context.values.set(instance.decl.address, instance.index, r.attributes, r.sensitive_attributes);
  }
  return { expansion, context };
}

/**
 * The instance's config values; values other objects decide are still UNKNOWN. Values the provider
 * decides (e.g. `node`: the only declared node) are null, as at create: they are not waited for.
 */
function configuredAttributes(instance: ResourceInstance, provider: ResourceProvider, context: EvalContext): Attrs {
  const decoded = decodeInstance(instance, provider, context);
  const planned = plannedAttributes(provider, decoded.attrs, undefined, true, instance.decl.lifecycle);
  for (const name of providerDecided(provider, decoded.attrs)) if (isUnknown(planned[name])) planned[name] = null;
  return planned;
}

/**
 * The configured values with those only the provider derives (computed, not settable, e.g. a feature's
 * sha256 of its script) set to null: the host never saw this config, so existence must not hinge on them.
 */
function withoutProviderDecided(provider: ResourceProvider, attrs: Attrs): Attrs {
  const out: Attrs = { ...attrs };
  for (const [name, attr] of Object.entries(provider.schema.attributes)) if (attr.computed && !attr.optional && name in out) out[name] = null;
  return out;
}

/** The imported attributes completed with known configured values the host cannot report (provider's choice). */
function adopted(provider: ResourceProvider, imported: Attrs, configured: Attrs): Attrs {
  if (!provider.adoptConfigured) return imported;
  return provider.adoptConfigured(imported, Object.fromEntries(Object.entries(configured).filter(([, v]) => !containsUnknown(v))));
}

/** Does the identity name an object (some value besides the node is set)? */
function identifies(identity: Attrs): boolean {
  return Object.entries(identity).some(([k, v]) => k !== 'node' && v !== null);
}

function dependenciesOf(input: EngineInput & { state: StateFile }, expansion: Expansion, address: string): string[] {
  return buildInstanceGraph(input.config, expansion.instances, []).dependencies.get(address) ?? [];
}

function record(input: EngineInput, instance: ResourceInstance, provider: ResourceProvider, attrs: Attrs, dependencies: string[]): ResourceState {
  return {
    address: instance.address,
    type: instance.decl.type,
    name: instance.decl.name,
    ...(instance.index !== undefined ? { index: instance.index } : {}),
    provider: input.registry.sourceOf(instance.decl.type) ?? 'builtin',
    attributes: attrs,
    sensitive_attributes: schemaSensitivePaths(provider.schema),
    dependencies,
    ...(instance.decl.lifecycle.createBeforeDestroy ? { create_before_destroy: true } : {}),
  };
}

function withResources(state: StateFile, added: ResourceState[]): StateFile {
  const resources = [...state.resources, ...added].sort((a, b) => compare(a.address, b.address));
  return { ...state, serial: state.serial + 1, resources };
}
