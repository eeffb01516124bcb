/**
 * Choosing the state backend's details that do not come from the `backend` block alone: the pg
 * backend's settings (with the connection string from PHOENIX_PG_CONN_STR, so no secret needs to sit
 * in the configuration) and the selected workspace (PHOENIX_WORKSPACE, else `.phoenix/environment`,
 * else `default`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Range } from '../config/ast.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../config/diagnostics.js';
import type { Value } from '../config/values.js';
import { writeFileAtomic } from './atomic.js';
import type { StateBackend } from './backend.js';
import { parseState, serializeState } from './codec.js';
import { LocalBackend } from './local.js';
import { DEFAULT_SCHEMA_NAME, PgBackend } from './pg/backend.js';
import { DEFAULT_WORKSPACE, workspaceNameProblem } from './pg/keys.js';

export const PG_CONN_STR_ENV = 'PHOENIX_PG_CONN_STR';
export const WORKSPACE_ENV = 'PHOENIX_WORKSPACE';
/** Where `phoenix workspace select` records the selection, relative to the working directory. */
export const ENVIRONMENT_FILE = '.phoenix/environment';

export { DEFAULT_WORKSPACE, PgBackend };

export interface PgBackendContext {
  workingDir: string;
  env: NodeJS.ProcessEnv;
  /** The evaluated attributes of the `backend "pg"` block. */
  settings: Record<string, Value>;
  /** The block, for diagnostics. */
  range?: Range;
  onWarning(warning: Diagnostic): void;
}

const PG_SETTINGS = ['conn_str', 'schema_name'];

export function createPgBackend(ctx: PgBackendContext): PgBackend {
  for (const name of Object.keys(ctx.settings)) {
    if (PG_SETTINGS.includes(name)) continue;
    const suggestion = didYouMean(name, PG_SETTINGS);
    throw settingError(
      `Unsupported argument "${name}" in backend "pg"`,
      `The pg backend accepts ${PG_SETTINGS.join(' and ')}.${suggestion ? ` Did you mean "${suggestion}"?` : ''}`,
      ctx.range,
    );
  }
  const connectionString = optionalString(ctx.settings, 'conn_str', ctx.range) ?? ctx.env[PG_CONN_STR_ENV];
  if (connectionString === undefined || connectionString === '') {
    throw settingError(
      'No connection string for the pg backend',
      `Set ${PG_CONN_STR_ENV} in the environment (recommended: it keeps the password out of the configuration), ` +
        'or conn_str in the backend "pg" block.',
      ctx.range,
    );
  }
  return new PgBackend({
    connectionString,
    schemaName: optionalString(ctx.settings, 'schema_name', ctx.range) ?? DEFAULT_SCHEMA_NAME,
    workspace: currentWorkspace(ctx.workingDir, ctx.env),
    onWarning: ctx.onWarning,
  });
}

/** The selected workspace: PHOENIX_WORKSPACE, else the one `phoenix workspace select` recorded, else `default`. */
export function currentWorkspace(workingDir: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[WORKSPACE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkedName(fromEnv, `${WORKSPACE_ENV}`);
  let recorded: string;
  try {
    recorded = readFileSync(resolve(workingDir, ENVIRONMENT_FILE), 'utf8').trim();
  } catch {
    return DEFAULT_WORKSPACE;
  }
  return recorded === '' ? DEFAULT_WORKSPACE : checkedName(recorded, ENVIRONMENT_FILE);
}

/** Records the selected workspace for later runs in this working directory. */
export async function recordWorkspace(workingDir: string, name: string): Promise<void> {
  const path = resolve(workingDir, ENVIRONMENT_FILE);
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${name}\n`, 0o644);
}

/** The local backend keeps one estate per file; refuse a non-default workspace instead of ignoring it. */
export function assertLocalWorkspace(workingDir: string, env: NodeJS.ProcessEnv): void {
  const workspace = currentWorkspace(workingDir, env);
  if (workspace === DEFAULT_WORKSPACE) return;
  throw new DiagnosticError([
    error(
      'Workspaces need the pg backend',
      `Workspace "${workspace}" is selected (${env[WORKSPACE_ENV] ? WORKSPACE_ENV : ENVIRONMENT_FILE}), but the local backend ` +
        'keeps a single state. Configure backend "pg", or select the default workspace ("phoenix workspace select default").',
    ),
  ]);
}

/**
 * The stored state text exactly as the backend holds it (for `state pull` and migration), or null if
 * there is none. Only backends that keep text can promise exact bytes: pg and the local file.
 */
export async function readStateText(backend: StateBackend): Promise<string | null> {
  if (backend instanceof PgBackend) return backend.readText();
  if (backend instanceof LocalBackend) {
    const text = await readFile(backend.path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw new DiagnosticError([error('Failed to load state: cannot read the file', `${backend.path}: ${e.message}`)]);
    });
    if (text !== null) parseState(text, backend.path); // a file phoenix cannot read is refused, not passed on
    return text;
  }
  const state = await backend.read();
  return state === null ? null : serializeState(state);
}

function checkedName(name: string, source: string): string {
  const problem = workspaceNameProblem(name);
  if (problem !== undefined) throw new DiagnosticError([error('Invalid workspace name', `${source}: ${problem}`)]);
  return name;
}

function optionalString(settings: Record<string, Value>, name: string, range?: Range): string | undefined {
  const value = settings[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw settingError(`Invalid ${name} in backend "pg"`, `${name} must be a non-empty string.`, range);
  }
  return value;
}

function settingError(summary: string, detail: string, range?: Range): DiagnosticError {
  return new DiagnosticError([error(summary, detail, range)]);
}
