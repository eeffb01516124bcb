/**
 * Loading a working directory: its `*.hcl` files (`*.auto.hcl` are variable files), variable values
 * from the command line and environment, the provider registry (built-ins plus plugins) and the node
 * handles. The result is everything the engine needs (`engineInput()`), plus the sources for diagnostics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { hasErrors, type Diagnostic } from '../config/diagnostics.js';
import { evaluateLocals } from '../config/eval/index.js';
import type { EvalScope } from '../config/eval/scope.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/model.js';
import type { Value } from '../config/values.js';
import { resolveVariables } from '../config/variables.js';
import { closeNodes } from '../exec/node.js';
import type { EngineInput } from '../plan/engine-types.js';
import { builtinProviders } from '../resources/builtin.js';
import { loadPlugins } from '../resources/plugins.js';
import type { NodeHandle } from '../resources/provider.js';
import { ProviderRegistry } from '../resources/registry.js';
import { SourcedDiagnosticError } from './errors.js';
import { createNodes, IMPLICIT_NODE, nodeSettingsFromConfig } from './nodes.js';
import type { Ui } from './ui.js';
import { PHOENIX_VERSION } from './version.js';

export interface SourceFile {
  name: string;
  source: string;
}

export interface VariableInputs {
  cliVars: string[];
  /** -var-file paths, relative to the working directory. */
  varFiles: string[];
  env: NodeJS.ProcessEnv;
}

export interface Workdir {
  dir: string;
  config: Config;
  /** Every file a diagnostic may point into: configuration and variable files. */
  sources: Map<string, string>;
  variables: Record<string, Value>;
  registry: ProviderRegistry;
  nodes: Map<string, NodeHandle>;
  readFile(path: string): string;
  engineInput(): EngineInput;
  close(): Promise<void>;
}

/** The `*.hcl` configuration files and `*.auto.hcl` variable files of a directory, sorted by name. */
export function readConfigFiles(dir: string): { configFiles: SourceFile[]; autoVarFiles: SourceFile[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.hcl')).sort();
  } catch (e) {
    throw new SourcedDiagnosticError(
      [{ severity: 'error', summary: 'Cannot read the working directory', detail: `${dir}: ${(e as Error).message}` }],
      new Map(),
    );
  }
  const read = (name: string): SourceFile => ({ name, source: readFileSync(resolve(dir, name), 'utf8') });
  return {
    configFiles: names.filter((n) => !n.endsWith('.auto.hcl')).map(read),
    autoVarFiles: names.filter((n) => n.endsWith('.auto.hcl')).map(read),
  };
}

/** Parse and check the configuration only (no variables, providers or nodes). Prints warnings. */
export function loadConfigOnly(dir: string, ui: Ui): { config: Config; sources: Map<string, string>; autoVarFiles: SourceFile[] } {
  const { configFiles, autoVarFiles } = readConfigFiles(dir);
  if (configFiles.length === 0) {
    throw new SourcedDiagnosticError(
      [
        {
          severity: 'error',
          summary: 'No configuration files',
          detail: `The directory ${dir} contains no .hcl configuration files. Run phoenix in the directory that holds your configuration, or pass -chdir=DIR.`,
        },
      ],
      new Map(),
    );
  }
  const { config, diagnostics } = loadConfig(configFiles);
  const sources = new Map(config.sources);
  for (const f of configFiles) sources.set(f.name, f.source);
  report(diagnostics, sources, ui);
  return { config, sources, autoVarFiles };
}

export async function loadWorkdir(dir: string, inputs: VariableInputs, ui: Ui): Promise<Workdir> {
  const { config, sources, autoVarFiles } = loadConfigOnly(dir, ui);
  const varFiles = inputs.varFiles.map((path) => readVariableFile(dir, path, sources));
  for (const f of autoVarFiles) sources.set(f.name, f.source);

  const resolved = resolveVariables(config, {
    cliVars: inputs.cliVars,
    varFiles,
    autoVarFiles,
    env: inputs.env,
  });
  for (const decl of config.variables.values()) if (decl.sensitive) ui.sensitive.add(resolved.values[decl.name]);
  report(resolved.diagnostics, sources, ui);

  const registry = new ProviderRegistry();
  for (const provider of builtinProviders(dir)) registry.register(provider, 'builtin');
  report(await loadPlugins(registry, config.plugins, dir), sources, ui);

  const readFile = (path: string): string => readFileSync(isAbsolute(path) ? path : resolve(dir, path), 'utf8');
  const scope = baseScope(config, resolved.values, dir, readFile);
  const locals = evaluateLocals(config, scope);
  report(locals.diagnostics, sources, ui);
  const nodeSettings = nodeSettingsFromConfig(config, { ...scope, locals: locals.locals });
  report(nodeSettings.diagnostics, sources, ui);
  if (nodeSettings.implicit && usesNodes(config, registry)) {
    ui.err(
      ui.style.note(
        `Note: no node block is configured; using the simulated Proxmox node "${IMPLICIT_NODE.name}" in .phoenix-sim.`,
      ),
    );
  }
  // Every provider call reaches its node through guardNode: a failed command's sensitive text never reaches a message.
  const nodes = new Map([...createNodes(nodeSettings.settings, dir)].map(([name, node]) => [name, ui.sensitive.guardNode(node)]));

  return {
    dir,
    config,
    sources,
    variables: resolved.values,
    registry,
    nodes,
    readFile,
    engineInput: () => ({ config, variables: resolved.values, registry, nodes, workingDir: dir, readFile, phoenixVersion: PHOENIX_VERSION, sensitive: ui.sensitive }),
    close: () => closeNodes(nodes.values()),
  };
}

function readVariableFile(dir: string, path: string, sources: Map<string, string>): SourceFile {
  try {
    const source = readFileSync(isAbsolute(path) ? path : resolve(dir, path), 'utf8');
    sources.set(path, source);
    return { name: path, source };
  } catch (e) {
    throw new SourcedDiagnosticError(
      [{ severity: 'error', summary: 'Failed to read variables file', detail: `Given variables file ${path} cannot be read: ${(e as Error).message}` }],
      sources,
    );
  }
}

function baseScope(
  config: Config,
  variables: Record<string, Value>,
  dir: string,
  readFile: (path: string) => string,
): Omit<EvalScope, 'locals'> {
  const sensitive = [...config.variables.values()].filter((v) => v.sensitive).map((v) => v.name);
  return {
    variables,
    sensitiveVariables: new Set(sensitive),
    resource: () => undefined,
    path: { root: dir, cwd: dir },
    readFile,
  };
}

/** Whether any configured resource type lives on a Proxmox node (has a `node` attribute). */
function usesNodes(config: Config, registry: ProviderRegistry): boolean {
  return [...config.resources.values()].some((r) => registry.get(r.type)?.schema.attributes.node !== undefined);
}

/** Print warnings; throw (with sources) when there are errors. */
export function report(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, ui: Ui): void {
  if (hasErrors(diagnostics)) throw new SourcedDiagnosticError([...diagnostics], sources);
  ui.diagnostics(diagnostics, sources);
}
