/**
 * Which state backend a working directory uses. `backend "TYPE" { ... }` picks a factory from
 * `backendFactories`; without a block (or with -state=PATH) the state is the local file
 * `phoenix.state.json`. New backend types register a factory here and nothing else changes.
 */
import { isAbsolute, resolve } from 'node:path';
import { attributes } from '../config/ast.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../config/diagnostics.js';
import type { BackendDecl, Config } from '../config/model.js';
import type { Value } from '../config/values.js';
import { evaluate } from '../config/eval/index.js';
import type { StateBackend } from '../state/backend.js';
import { assertLocalWorkspace, createPgBackend } from '../state/factory.js';
import { LocalBackend } from '../state/local.js';
import { assertMigrated } from './backend-record.js';

export const DEFAULT_STATE_FILE = 'phoenix.state.json';

export interface BackendContext {
  workingDir: string;
  env: NodeJS.ProcessEnv;
  /** The evaluated attributes of the backend block (literals and functions only, no variables). */
  settings: Record<string, Value>;
  decl?: BackendDecl;
  /** Non-fatal problems found while using the backend (e.g. a stale lock taken over). */
  onWarning(warning: Diagnostic): void;
}

export type BackendFactory = (ctx: BackendContext) => StateBackend | Promise<StateBackend>;

export const backendFactories: Record<string, BackendFactory> = {
  local: (ctx) => {
    assertLocalWorkspace(ctx.workingDir, ctx.env);
    const path = typeof ctx.settings.path === 'string' ? ctx.settings.path : DEFAULT_STATE_FILE;
    return new LocalBackend(resolvePath(ctx.workingDir, path), { onWarning: ctx.onWarning });
  },
  pg: (ctx) => createPgBackend({ ...ctx, range: ctx.decl?.range }),
};

export interface OpenBackendOptions {
  workingDir: string;
  env: NodeJS.ProcessEnv;
  /** -state=PATH: always a local file, whatever the configuration says. */
  statePath?: string;
  onWarning(warning: Diagnostic): void;
}

export async function openBackend(config: Config | undefined, options: OpenBackendOptions): Promise<StateBackend> {
  if (options.statePath !== undefined) {
    return new LocalBackend(resolvePath(options.workingDir, options.statePath), { onWarning: options.onWarning });
  }
  const selection = configuredBackend(config, options.workingDir);
  assertMigrated(selection.type, options.workingDir);
  return openSelectedBackend(selection, options, config?.backend);
}

/** The backend a configuration selects: its type and evaluated settings (`local` without a block). */
export interface BackendSelection {
  type: string;
  settings: Record<string, Value>;
}

export function configuredBackend(config: Config | undefined, workingDir: string): BackendSelection {
  const decl = config?.backend;
  return { type: decl?.type ?? 'local', settings: decl ? evaluateSettings(decl, workingDir) : {} };
}

export async function openSelectedBackend(
  selection: BackendSelection,
  options: OpenBackendOptions,
  decl?: BackendDecl,
): Promise<StateBackend> {
  const { type, settings } = selection;
  const factory = backendFactories[type];
  if (!factory) {
    const suggestion = didYouMean(type, Object.keys(backendFactories));
    throw new DiagnosticError([
      error(
        `Unsupported backend type "${type}"`,
        `Supported backends: ${Object.keys(backendFactories).sort().join(', ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
        decl?.range,
      ),
    ]);
  }
  return factory({ workingDir: options.workingDir, env: options.env, settings, decl, onWarning: options.onWarning });
}

function evaluateSettings(decl: BackendDecl, workingDir: string): Record<string, Value> {
  const settings: Record<string, Value> = {};
  const problems = [];
  for (const attribute of attributes(decl.body)) {
    const result = evaluate(attribute.expr, {
      variables: {},
      sensitiveVariables: new Set(),
      locals: {},
      resource: () => undefined,
      path: { root: workingDir, cwd: workingDir },
      readFile: () => {
        throw new Error('file() is not available in a backend block');
      },
    });
    problems.push(...result.diagnostics);
    settings[attribute.name] = result.value;
  }
  if (problems.some((d) => d.severity === 'error')) throw new DiagnosticError(problems);
  return settings;
}

function resolvePath(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
