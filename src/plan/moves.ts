/**
 * `moved` blocks applied to the state before anything is read, with Terraform's rules:
 *  - a statement moves a resource (all its instances, keys kept) or one instance; a resource address
 *    on one side and an instance address on the other means the resource's no-key instance
 *    (`from = lxc.a  to = lxc.a[0]` when adding count);
 *  - statements chain (`a → b`, `b → c` moves what was `a` to `c`); a cycle is an error, as are two
 *    statements moving from, or to, one address;
 *  - the `from` address must no longer be declared ("Moved object still exists");
 *  - an object cannot move onto an address that state already holds. Terraform then skips the move
 *    and plans to destroy the object left behind; phoenix refuses the plan instead, so nothing is
 *    destroyed by a move that could not happen.
 * The plan shows each moved instance ("# lxc.db has moved to lxc.database").
 */
import { error, type Diagnostic } from '../config/diagnostics.js';
import type { Config, MovedDecl } from '../config/model.js';
import type { StateFile } from '../state/model.js';
import { instanceAddress, parseAddress, resourceOf } from './address.js';
import type { Expansion } from './expand.js';

export interface Move {
  from: string;
  to: string;
}

export interface MoveResult {
  state: StateFile;
  /** Instance moves done, old address → new address. */
  moved: Map<string, string>;
  diagnostics: Diagnostic[];
}

export function applyMoveStatements(config: Config, state: StateFile, expansion: Expansion): MoveResult {
  const statements = config.moved;
  if (statements.length === 0) return { state, moved: new Map(), diagnostics: [] };
  const diagnostics = [...ambiguous(statements), ...cycles(statements), ...stillDeclared(statements, config, expansion)];
  if (diagnostics.length > 0) return { state, moved: new Map(), diagnostics };

  const recorded = new Set([...state.resources.map((r) => r.address), ...state.pending.map((p) => p.address)]);
  const moved = new Map<string, string>();
  for (const address of recorded) {
    let current = address;
    const seen = new Set<string>();
    for (let next = step(statements, current); next !== undefined && !seen.has(next); next = step(statements, current)) {
      seen.add(current);
      current = next;
    }
    if (current !== address) moved.set(address, current);
  }
  const taken = new Map<string, string>();
  for (const [from, to] of moved) {
    const statement = statements.find((s) => s.from === from || s.from === resourceOf(from)) ?? statements[0]!;
    if (recorded.has(to) && !moved.has(to)) {
      diagnostics.push(
        error(
          'Cannot move to an existing object',
          `This statement moves ${from} to ${to}, but state already holds an object at ${to}. ` +
            `Move or remove one of them first (phoenix state mv / phoenix state rm), then plan again.`,
          statement.range,
        ),
      );
    }
    const other = taken.get(to);
    if (other !== undefined) {
      diagnostics.push(error('Ambiguous move statements', `Both ${other} and ${from} would move to ${to}.`, statement.range));
    }
    taken.set(to, from);
  }
  if (diagnostics.length > 0) return { state, moved: new Map(), diagnostics };
  return { state: renameInState(state, moved, statements), moved, diagnostics };
}

/** Where one statement sends `address`, if one applies to it. */
function step(statements: readonly MovedDecl[], address: string): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  for (const s of statements) {
    const fromIsResource = !s.from.includes('[');
    const toIsResource = !s.to.includes('[');
    if (fromIsResource && toIsResource && parsed.resource === s.from) return instanceAddress(s.to, parsed.index);
    // Otherwise the statement names one instance (a resource address alone is its no-key instance).
    if (address === s.from) return s.to;
  }
  return undefined;
}

function renameInState(state: StateFile, moved: ReadonlyMap<string, string>, statements: readonly MovedDecl[]): StateFile {
  // Recorded dependencies may name a whole resource: those follow resource-level statements.
  const resourceRenames = new Map(statements.filter((s) => !s.from.includes('[') && !s.to.includes('[')).map((s) => [s.from, s.to]));
  const renameDependency = (d: string): string => moved.get(d) ?? resourceRenames.get(d) ?? d;
  return {
    ...state,
    resources: state.resources.map((r) => {
      const to = moved.get(r.address);
      const dependencies = r.dependencies.map(renameDependency);
      if (to === undefined) return { ...r, dependencies };
      const parsed = parseAddress(to)!;
      const { index: _old, ...rest } = r;
      return { ...rest, address: to, name: parsed.name, ...(parsed.index !== undefined ? { index: parsed.index } : {}), dependencies };
    }),
    pending: state.pending.map((p) => ({ ...p, address: moved.get(p.address) ?? p.address, dependencies: p.dependencies.map(renameDependency) })),
  };
}

function ambiguous(statements: readonly MovedDecl[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const side of ['from', 'to'] as const) {
    const first = new Map<string, MovedDecl>();
    for (const s of statements) {
      const earlier = first.get(s[side]);
      if (earlier) {
        diagnostics.push({
          ...error(
            'Ambiguous move statements',
            side === 'from'
              ? `A statement at ${where(earlier)} declared that ${s.from} moved to ${earlier.to}, but this statement instead declares that it moved to ${s.to}.`
              : `A statement at ${where(earlier)} declared that ${earlier.from} moved to ${s.to}, but this statement instead declares that ${s.from} moved there.`,
            s.range,
          ),
          related: [{ message: 'the other statement:', range: earlier.range }],
        });
      } else first.set(s[side], s);
    }
  }
  return diagnostics;
}

function cycles(statements: readonly MovedDecl[]): Diagnostic[] {
  const next = new Map(statements.map((s) => [s.from, s]));
  const reported = new Set<MovedDecl>();
  const diagnostics: Diagnostic[] = [];
  for (const start of statements) {
    const path: MovedDecl[] = [];
    for (let s: MovedDecl | undefined = start; s && !path.includes(s); s = next.get(s.to)) path.push(s);
    const last = path.at(-1)!;
    const closing = next.get(last.to);
    if (!closing || closing !== start || path.some((s) => reported.has(s))) continue;
    path.forEach((s) => reported.add(s));
    diagnostics.push(
      error(
        'Cyclic dependency in move statements',
        `The following chained move statements form a cycle, and so there is no final location to move objects to:\n` +
          path.map((s) => `  - ${where(s)}: ${s.from} → ${s.to}`).join('\n') +
          '\nA chain of move statements must end with an address that does not appear in any other statements as a source.',
        start.range,
      ),
    );
  }
  return diagnostics;
}

function stillDeclared(statements: readonly MovedDecl[], config: Config, expansion: Expansion): Diagnostic[] {
  return statements.flatMap((s) => {
    const toSameResource = resourceOf(s.to) === s.from;
    const declared = s.from.includes('[') || toSameResource ? expansion.byAddress.has(s.from) : config.resources.has(s.from);
    if (!declared) return [];
    const decl = config.resources.get(resourceOf(s.from));
    return [
      {
        ...error(
          'Moved object still exists',
          `This statement declares a move from ${s.from}, but that ${s.from.includes('[') ? 'resource instance' : 'resource'} is still declared` +
            (decl ? ` at ${where(decl)}` : '') +
            '.\nChange your configuration so that this address will be declared as part of the resource at the new location, or remove the moved block.',
          s.fromRange,
        ),
      },
    ];
  });
}

function where(x: { range: MovedDecl['range'] }): string {
  return `${x.range.file}:${x.range.start.line},${x.range.start.col}`;
}
