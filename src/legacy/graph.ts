/**
 * The guest graph the legacy dispatcher walked: clone sources and `dependencies`, across containers and
 * VMs. References are resolved here (a dangling one is a warning naming its JSON path and is left out),
 * cycles are errors naming every member, and guests are ordered sources-first for readable output.
 */
import type { Diagnostic } from '../config/diagnostics.js';
import { legacyDiagnostic, type JsonLocation } from './json-path.js';
import type { LegacyEstate, LegacyGuest } from './model.js';

export interface EstateGraph {
  /** Sources and dependencies before the guests that need them; ties by id. */
  order: LegacyGuest[];
  cloneSource: Map<LegacyGuest, LegacyGuest>;
  dependsOn: Map<LegacyGuest, LegacyGuest[]>;
}

interface Edge {
  to: LegacyGuest;
  location: JsonLocation;
}

export function analyseGraph(estate: LegacyEstate, diagnostics: Diagnostic[]): EstateGraph {
  const byId = new Map(estate.guests.map((g) => [g.id, g]));
  const cloneSource = new Map<LegacyGuest, LegacyGuest>();
  const dependsOn = new Map<LegacyGuest, LegacyGuest[]>();
  const edges = new Map<LegacyGuest, Edge[]>();

  for (const guest of estate.guests) {
    const out: Edge[] = [];
    if (guest.cloneFrom) {
      const source = byId.get(guest.cloneFrom.value);
      if (!source) {
        diagnostics.push(legacyDiagnostic('warning', guest.cloneFrom.location, `Clone source ${guest.cloneFrom.value} does not exist`, `${label(guest)} is cloned from a guest the legacy files do not declare; the clone refers to vmid ${guest.cloneFrom.value} literally, which must exist on the node.`));
      } else if (source.kind !== guest.kind) {
        diagnostics.push(legacyDiagnostic('warning', guest.cloneFrom.location, `Clone source ${source.id} is a ${kindName(source)}`, `${label(guest)} is a ${kindName(guest)} and can only be cloned from one; the clone refers to vmid ${source.id} literally.`));
      } else {
        cloneSource.set(guest, source);
        out.push({ to: source, location: guest.cloneFrom.location });
      }
    }
    const deps: LegacyGuest[] = [];
    for (const dependency of guest.dependencies) {
      const target = byId.get(dependency.value);
      if (!target) {
        diagnostics.push(legacyDiagnostic('warning', dependency.location, `Dependency on guest ${dependency.value}, which does not exist`, `${label(guest)} lists it in "dependencies"; the dependency was dropped.`));
      } else if (target === guest) {
        diagnostics.push(legacyDiagnostic('warning', dependency.location, `${label(guest)} depends on itself`, 'The dependency was dropped.'));
      } else if (!deps.includes(target)) {
        deps.push(target);
        out.push({ to: target, location: dependency.location });
      }
    }
    dependsOn.set(guest, deps);
    edges.set(guest, out);
  }
  reportCycles(estate.guests, edges, diagnostics);
  return { order: topologicalOrder(estate.guests, edges), cloneSource, dependsOn };
}

export function label(guest: LegacyGuest): string {
  return `${guest.id}${guest.name ? ` (${guest.name})` : ''}`;
}

function kindName(guest: LegacyGuest): string {
  return guest.kind === 'lxc' ? 'container' : 'VM';
}

const byId = (a: LegacyGuest, b: LegacyGuest) => a.id - b.id;

/** Depth-first search; every back edge closes a cycle, reported once per set of members. */
function reportCycles(guests: LegacyGuest[], edges: Map<LegacyGuest, Edge[]>, diagnostics: Diagnostic[]): void {
  const state = new Map<LegacyGuest, 'active' | 'done'>();
  const stack: LegacyGuest[] = [];
  const reported = new Set<string>();
  const visit = (guest: LegacyGuest): void => {
    state.set(guest, 'active');
    stack.push(guest);
    for (const edge of edges.get(guest) ?? []) {
      if (state.get(edge.to) === 'active') {
        const members = stack.slice(stack.indexOf(edge.to));
        const key = members.map((m) => m.id).sort((a, b) => a - b).join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const path = [...members, edge.to].map(label).join(' → ');
          diagnostics.push(legacyDiagnostic('error', edge.location, `Dependency cycle: ${path}`, 'Guests that depend on each other (through dependencies or clone sources) can never be created. Remove one of the edges.'));
        }
      } else if (!state.has(edge.to)) {
        visit(edge.to);
      }
    }
    stack.pop();
    state.set(guest, 'done');
  };
  for (const guest of [...guests].sort(byId)) if (!state.has(guest)) visit(guest);
}

/** Kahn's algorithm with the lowest id first; members of a cycle (already an error) go last. */
function topologicalOrder(guests: LegacyGuest[], edges: Map<LegacyGuest, Edge[]>): LegacyGuest[] {
  const pending = new Map(guests.map((g) => [g, new Set((edges.get(g) ?? []).map((e) => e.to))]));
  const order: LegacyGuest[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, needs]) => [...needs].every((n) => !pending.has(n))).map(([g]) => g);
    const next = (ready.length > 0 ? ready : [...pending.keys()]).sort(byId)[0]!;
    order.push(next);
    pending.delete(next);
  }
  return order;
}
