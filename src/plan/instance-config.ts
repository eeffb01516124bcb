/**
 * An instance's planned attributes: its block decoded against the provider schema in the instance's
 * scope (each/count), computed attributes the config leaves unset taken from the prior object (or
 * unknown when a new object will be made), ignore_changes honoured, then the provider's normalize and,
 * for an object that stays, its completePlanned.
 * Used by the planner and again by apply, where upstream values are known by then.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { Lifecycle } from '../config/model.js';
import type { Attrs } from '../config/values.js';
import { UNKNOWN, isUnknown } from '../config/values.js';
import { schemaSensitivePaths, type AttributeDiagnostic, type ResourceProvider } from '../resources/provider.js';
import { attributeRange, referencedTypes } from './attribute-range.js';
import { decodeBody } from './config-api.js';
import { getPath, withPath } from './diff.js';
import type { EvalContext } from './eval-context.js';
import type { ResourceInstance } from './expand.js';

export interface DecodedInstance {
  /** Config values; computed attributes the config leaves unset are null. */
  attrs: Attrs;
  sensitivePaths: string[][];
  diagnostics: Diagnostic[];
}

export function decodeInstance(instance: ResourceInstance, provider: ResourceProvider, context: EvalContext): DecodedInstance {
  const scope = context.scope({ each: instance.each, count: instance.count });
  // Types that live on a Proxmox node (a `node` attribute) hand their strings to host commands.
  const decoded = decodeBody(instance.decl.body, provider.schema, scope, instance.address, { hostStrings: 'node' in provider.schema.attributes });
  const schemaSensitive = schemaFacts(provider).sensitive;
  const inferred = provider.inferFromReferences?.(decoded.attrs, (name) => referencedTypes(instance.decl.body, name));
  const sensitivePaths = uniquePaths([...decoded.sensitivePaths, ...schemaSensitive]);
  return {
    attrs: withDefaultNode(inferred?.attrs ?? decoded.attrs, provider, context.defaultNode),
    sensitivePaths,
    diagnostics: [...decoded.diagnostics, ...placed(inferred?.diagnostics ?? [], instance, sensitivePaths)],
  };
}

/**
 * Provider diagnostics with the caret on the attribute they name (else on the resource block), and the
 * quoted value replaced when it is sensitive.
 */
export function placed(diagnostics: AttributeDiagnostic[], instance: ResourceInstance, sensitivePaths: string[][]): Diagnostic[] {
  return diagnostics.map(({ attribute, value, ...d }) => {
    const secret = value !== undefined && value !== '' && attribute !== undefined && sensitivePaths.some((p) => p.every((step, i) => attribute[i] === step));
    const redact = (text: string | undefined) => (secret && text !== undefined ? text.split(value).join('(sensitive value)') : text);
    return {
      ...d,
      summary: redact(d.summary)!,
      detail: redact(d.detail),
      range: d.range ?? (attribute ? attributeRange(instance.decl.body, attribute) : undefined) ?? instance.decl.range,
      subject: d.subject ?? instance.address,
    };
  });
}

/**
 * A resource that leaves `node` unset lives on the only declared node: say so in the plan (and in
 * references) instead of "(known after apply)" — it is known now.
 */
function withDefaultNode(attrs: Attrs, provider: ResourceProvider, defaultNode: string | undefined): Attrs {
  if (!('node' in provider.schema.attributes) || defaultNode === undefined) return attrs;
  if (attrs.node !== null && attrs.node !== undefined) return attrs;
  return { ...attrs, node: defaultNode };
}

/** The value references see for an instance that does not exist and is not planned (-target): all unknown. */
export function notYetCreated(provider: ResourceProvider): { attrs: Attrs; sensitivePaths: string[][] } {
  const attrs: Attrs = {};
  for (const name of Object.keys(provider.schema.attributes)) attrs[name] = UNKNOWN;
  return { attrs, sensitivePaths: schemaFacts(provider).sensitive };
}

/** Names of computed attributes the config leaves unset: the provider decides their values. */
export function providerDecided(provider: ResourceProvider, configAttrs: Attrs): string[] {
  return schemaFacts(provider).computed.filter((name) => configAttrs[name] === null || configAttrs[name] === undefined);
}

/** Per provider, computed once: its computed and sensitive attribute names (planning 10,000 instances reads them often). */
const facts = new WeakMap<ResourceProvider, { computed: string[]; sensitive: string[][] }>();
function schemaFacts(provider: ResourceProvider): { computed: string[]; sensitive: string[][] } {
  let found = facts.get(provider);
  if (!found) {
    const entries = Object.entries(provider.schema.attributes);
    found = {
      computed: entries.filter(([, a]) => a.computed).map(([name]) => name),
      sensitive: schemaSensitivePaths(provider.schema),
    };
    facts.set(provider, found);
  }
  return found;
}

/**
 * Planned attributes. `prior` undefined or `newObject` true: a new object is made, so provider-decided
 * values are unknown; otherwise they keep their prior values.
 */
export function plannedAttributes(
  provider: ResourceProvider,
  configAttrs: Attrs,
  prior: Attrs | undefined,
  newObject: boolean,
  lifecycle: Lifecycle,
): Attrs {
  let planned: Attrs = { ...configAttrs };
  for (const name of providerDecided(provider, configAttrs)) {
    planned[name] = prior && !newObject ? (prior[name] ?? null) : UNKNOWN;
  }
  if (prior) planned = ignoreChanges(planned, prior, lifecycle, provider);
  if (provider.normalize) planned = provider.normalize(planned);
  // An object that stays keeps what its host decided inside nested values (a NIC's generated MAC):
  // without this the plan would show them going to null and references to them would be unknown.
  if (prior && !newObject && provider.completePlanned) planned = provider.completePlanned(prior, planned);
  return planned;
}

function ignoreChanges(planned: Attrs, prior: Attrs, lifecycle: Lifecycle, provider: ResourceProvider): Attrs {
  if (lifecycle.ignoreChanges === 'all') {
    const kept: Attrs = { ...planned };
    for (const name of Object.keys(provider.schema.attributes)) if (name in prior) kept[name] = prior[name]!;
    return kept;
  }
  return lifecycle.ignoreChanges.reduce(
    (attrs, path) => withPath(attrs, path, getPath(prior, path) ?? null),
    planned,
  );
}

/**
 * Provider validation of the configured values (as written, before normalize reorders lists, so paths
 * match the source); the provider skips values not known yet.
 */
export function validateConfigured(provider: ResourceProvider, decoded: DecodedInstance, instance: ResourceInstance): Diagnostic[] {
  return provider.validate ? placed(provider.validate(decoded.attrs), instance, decoded.sensitivePaths) : [];
}

function uniquePaths(paths: string[][]): string[][] {
  const seen = new Map(paths.map((p) => [JSON.stringify(p), p]));
  return [...seen.values()];
}

/** Provider-decided values still unknown are handed to providers as null: they fill them in. */
export function withoutUnknowns(attrs: Attrs): Attrs {
  const out: Attrs = {};
  for (const [name, value] of Object.entries(attrs)) out[name] = isUnknown(value) ? null : value;
  return out;
}
