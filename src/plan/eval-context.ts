/**
 * The evaluation context shared by planner, apply and import: the base EvalScope (variables, paths,
 * file reader), the resource values upstream instances have produced so far, and locals, which are
 * re-evaluated when they read resources whose values changed since they were last computed.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import type { Config, ResourceDecl } from '../config/model.js';
import type { Value } from '../config/values.js';
import { evaluateLocals, findReferences, type EvalScope } from './config-api.js';
import type { EngineInput } from './engine-types.js';
import { ResourceValues, type ExpansionKind } from './resource-values.js';
import { SensitiveTexts } from './redaction.js';
import { queryKey, refineForCollections, type SensitivityRefinement } from './sensitivity.js';

export class EvalContext {
  readonly values: ResourceValues;
  private locals: Record<string, Value> = {};
  private sensitiveLocals: ReadonlySet<string> = new Set();
  private localsVersion = -1;
  /** Do any locals read resources (directly or through other locals)? Then they can go stale. */
  private readonly localsReadResources: boolean;
  readonly localDiagnostics: Diagnostic[];
  private readonly sensitiveVariables: ReadonlySet<string>;
  private cachedBase: Omit<EvalScope, 'locals'> | undefined;
  /** Built on the first sensitivity question: a plan without resource references never pays for it. */
  private sensitivity: SensitivityRefinement | undefined;

  /** The text of every sensitive value seen so far (variables, locals, attributes at sensitive paths). */
  readonly sensitive: SensitiveTexts;

  constructor(
    private readonly input: Pick<EngineInput, 'config' | 'variables' | 'workingDir' | 'readFile' | 'nodes' | 'sensitive'>,
  ) {
    this.sensitive = input.sensitive ?? new SensitiveTexts();
    this.values = new ResourceValues(expansionKinds(input.config), this.sensitive);
    this.sensitiveVariables = new Set(
      [...input.config.variables.values()].filter((v) => v.sensitive).map((v) => v.name),
    );
    for (const name of this.sensitiveVariables) this.sensitive.add(input.variables[name]);
    this.localsReadResources = [...input.config.locals.values()].some((l) =>
      findReferences(l.expr).some((r) => r.kind === 'resource'),
    );
    this.localDiagnostics = this.refreshLocals();
  }

  /** The node a resource without a `node` attribute lives on: the only declared node, if there is one. */
  get defaultNode(): string | undefined {
    return this.input.nodes.size === 1 ? this.input.nodes.keys().next().value : undefined;
  }

  get config(): Config {
    return this.input.config;
  }

  /** A scope for top-level expressions (outputs, count, for_each). */
  scope(extra: Pick<EvalScope, 'each' | 'count'> = {}): EvalScope {
    if (this.localsReadResources && this.localsVersion !== this.values.version) this.refreshLocals();
    // Not `{ ...base, locals, ... }`: V8 builds a new hidden class for every such literal (~2 KB of
    // garbage per call, and a plan asks once per instance); Object.assign copies the same keys.
    return Object.assign({}, this.base, { locals: this.locals, sensitiveLocals: this.sensitiveLocals }, extra);
  }

  /** The parts of every scope that never change during a run (built once: 10,000 instances ask). */
  private get base(): Omit<EvalScope, 'locals'> {
    this.cachedBase ??= {
      variables: this.input.variables,
      sensitiveVariables: this.sensitiveVariables,
      resource: (address) => this.values.resource(address),
      isSensitive: (address, path) => this.isSensitive(address, path),
      resourceAddresses: () => this.input.config.resources.keys(),
      path: { root: this.input.workingDir, cwd: this.input.workingDir },
      readFile: (path) => this.input.readFile(path),
    };
    return this.cachedBase;
  }

  /** Resource sensitivity, answered for the attributes a `for` over a whole resource reads (see sensitivity.ts). */
  private isSensitive(address: string, path: readonly string[]): boolean {
    this.sensitivity ??= refineForCollections(this.input.config);
    const elements = this.sensitivity.get(queryKey(address, path));
    if (!elements) return this.values.isSensitive(address, path);
    return elements.some((q) => this.values.isSensitive(q.address, q.path));
  }

  private refreshLocals(): Diagnostic[] {
    const { locals, sensitiveLocals, diagnostics } = evaluateLocals(this.input.config, this.base);
    this.locals = locals;
    this.sensitiveLocals = sensitiveLocals;
    for (const name of sensitiveLocals) this.sensitive.add(locals[name]);
    this.localsVersion = this.values.version;
    return diagnostics;
  }
}

function expansionKinds(config: Config): Map<string, ExpansionKind> {
  const kinds = new Map<string, ExpansionKind>();
  for (const decl of config.resources.values()) kinds.set(decl.address, expansionKind(decl));
  return kinds;
}

export function expansionKind(decl: ResourceDecl): ExpansionKind {
  return decl.count ? 'count' : decl.forEach ? 'for_each' : 'single';
}
