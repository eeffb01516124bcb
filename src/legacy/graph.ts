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
  /** Clones none of whose sources Proxmox can clone (all have bind mounts): created from this guest's template. */
  templateFrom: Map<LegacyGuest, LegacyGuest>;
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
  const templateFrom = avoidBindMountSources(cloneSource, diagnostics);
  return { order: topologicalOrder(estate.guests, edges), cloneSource, templateFrom, dependsOn };
}

export function label(guest: LegacyGuest): string {
  return `${guest.id}${guest.name ? ` (${guest.name})` : ''}`;
}

function kindName(guest: LegacyGuest): string {
  return guest.kind === 'lxc' ? 'container' : 'VM';
}

const byId = (a: LegacyGuest, b: LegacyGuest) => a.id - b.id;

/**
 * Proxmox cannot clone a container with a bind mount ("unable to clone mountpoint 'mpN' (type bind)",
 * pve-container API2/LXC.pm clone_vm); the legacy tool only got away with it when the clone ran before the
 * source's bind mounts were added. A clone of such a source is cloned from the nearest source up the chain
 * that has none, or, when every one has, created from the first one's template; a warning names what the
 * skipped sources installed, which the clone then lacks.
 */
function avoidBindMountSources(cloneSource: Map<LegacyGuest, LegacyGuest>, diagnostics: Diagnostic[]): Map<LegacyGuest, LegacyGuest> {
  const hasBind = (g: LegacyGuest) => g.kind === 'lxc' && g.bindMounts.length > 0;
  const original = new Map(cloneSource);
  const templateFrom = new Map<LegacyGuest, LegacyGuest>();
  for (const [guest, source] of original) {
    if (!hasBind(source) || !guest.cloneFrom) continue;
    const skipped: LegacyGuest[] = [];
    let candidate: LegacyGuest | undefined = source;
    while (candidate && hasBind(candidate) && !skipped.includes(candidate)) {
      skipped.push(candidate);
      candidate = original.get(candidate);
    }
    const root = skipped.at(-1)!;
    const usable = candidate && !hasBind(candidate) ? candidate : undefined;
    if (usable) cloneSource.set(guest, usable);
    else {
      cloneSource.delete(guest);
      templateFrom.set(guest, root);
    }
    const features = [...new Set(skipped.flatMap((g) => g.features.map((f) => f.value)))];
    diagnostics.push(
      legacyDiagnostic(
        'warning',
        guest.cloneFrom.location,
        `${label(guest)} cannot be cloned from ${label(source)}, which has a bind mount`,
        'Proxmox refuses to clone a bind mount ("unable to clone mountpoint \'mpN\' (type bind)"). ' +
          (usable ? `It is cloned from ${label(usable)} instead` : `It is created from the template of ${label(root)} instead`) +
          (features.length > 0 ? `; the features ${skipped.map(label).join(', ')} installed (${features.join(', ')}) are not on it: list them in its "features" if it needs them.` : '.'),
      ),
    );
  }
  return templateFrom;
}

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
