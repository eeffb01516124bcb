/**
 * Plugin loading: every `plugins/*.js|*.mjs` of the working directory plus the paths named in
 * `phoenix { plugins = [...] }`. A plugin is an ES module exporting `providers: ResourceProvider[]`.
 * A broken plugin yields a Diagnostic naming the module and what is wrong; it never crashes the run.
 */
import { readdirSync, existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { ProviderRegistry } from './registry.js';
import type { ResourceProvider } from './provider.js';

const REQUIRED_FUNCTIONS = ['read', 'create', 'update', 'delete', 'import', 'identity'] as const;
const OPTIONAL_FUNCTIONS = ['validate', 'normalize', 'diff', 'concurrencyKeys', 'check'] as const;

export async function loadPlugins(
  registry: ProviderRegistry,
  pluginPaths: string[],
  workingDir: string,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const modulePath of pluginModulePaths(pluginPaths, workingDir)) {
    const label = relative(workingDir, modulePath) || modulePath;
    if (!existsSync(modulePath)) {
      diagnostics.push(pluginError(label, `The module file does not exist (${modulePath}).`));
      continue;
    }
    let exported: unknown;
    try {
      exported = await import(pathToFileURL(modulePath).href);
    } catch (e) {
      diagnostics.push(pluginError(label, `Importing the module failed: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    const providers = (exported as { providers?: unknown }).providers;
    if (!Array.isArray(providers)) {
      diagnostics.push(pluginError(label, 'The module must export `providers`, an array of resource providers.'));
      continue;
    }
    providers.forEach((candidate, i) => {
      const problems = providerProblems(candidate);
      if (problems.length > 0) {
        const which = describeProvider(candidate, i);
        diagnostics.push(pluginError(label, `${which} is invalid: ${problems.join('; ')}.`));
        return;
      }
      try {
        registry.register(candidate as ResourceProvider, label);
      } catch (e) {
        diagnostics.push(pluginError(label, e instanceof Error ? e.message : String(e)));
      }
    });
  }
  return diagnostics;
}

/** Directory plugins first (sorted), then configured paths; each module once. */
function pluginModulePaths(pluginPaths: string[], workingDir: string): string[] {
  const directory = join(workingDir, 'plugins');
  const found = existsSync(directory)
    ? readdirSync(directory)
        .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
        .sort()
        .map((f) => join(directory, f))
    : [];
  const configured = pluginPaths.map((p) => (isAbsolute(p) ? p : resolve(workingDir, p)));
  return [...new Set([...found, ...configured])];
}

function providerProblems(candidate: unknown): string[] {
  if (candidate === null || typeof candidate !== 'object') return ['it is not an object'];
  const p = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof p.type !== 'string' || !/^[a-z][a-z0-9_]*$/.test(p.type)) {
    problems.push('`type` must be a lower-case identifier string');
  }
  const schema = p.schema as { attributes?: unknown } | undefined;
  if (!schema || typeof schema !== 'object' || !schema.attributes || typeof schema.attributes !== 'object') {
    problems.push('`schema.attributes` is missing');
  }
  for (const name of REQUIRED_FUNCTIONS) {
    if (typeof p[name] !== 'function') problems.push(`function \`${name}\` is missing`);
  }
  for (const name of OPTIONAL_FUNCTIONS) {
    if (p[name] !== undefined && typeof p[name] !== 'function') problems.push(`\`${name}\` must be a function`);
  }
  return problems;
}

function describeProvider(candidate: unknown, index: number): string {
  const type = (candidate as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `provider "${type}"` : `providers[${index}]`;
}

function pluginError(module: string, detail: string): Diagnostic {
  return { ...error(`Invalid plugin ${module}`, detail), subject: module };
}
