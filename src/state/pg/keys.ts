/**
 * Names and advisory-lock keys. Keys are 64-bit, derived by hashing, so every (schema, workspace) pair
 * gets its own lock and no shared sequence or table row is needed to pick one (Terraform's pg backend
 * keys its locks on row ids from a database-wide sequence, so unrelated schemas can collide).
 */
import { createHash } from 'node:crypto';

/** The advisory key that serialises runs on one workspace of one schema. */
export function workspaceLockKey(schema: string, workspace: string): string {
  return hashKey(['phoenix-workspace', schema, workspace]);
}

/** The advisory key that serialises creating/migrating one schema's tables. */
export function schemaSetupKey(schema: string): string {
  return hashKey(['phoenix-schema', schema]);
}

/** A signed 64-bit integer (Postgres bigint) as a decimal string: pg's bigint parameters are strings. */
function hashKey(parts: string[]): string {
  // NUL separators keep ("a", "bc") and ("ab", "c") apart.
  const digest = createHash('sha256').update(parts.join('\0')).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

/** `pg_locks` shows a bigint advisory key as two 32-bit halves (classid = high, objid = low). */
export function keyHalves(key: string): { high: number; low: number } {
  const unsigned = BigInt.asUintN(64, BigInt(key));
  return { high: Number(unsigned >> 32n), low: Number(unsigned & 0xffffffffn) };
}

/** A quoted SQL identifier: schema names come from configuration. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,89}$/;

/** Why a workspace name is not acceptable, or undefined. Names appear in file names and URLs. */
export function workspaceNameProblem(name: string): string | undefined {
  return WORKSPACE_NAME.test(name)
    ? undefined
    : `"${name}" is not a valid workspace name: use 1 to 90 letters, digits, "-", "_" or ".", starting with a letter or digit.`;
}

export const DEFAULT_WORKSPACE = 'default';
