/**
 * What the kill campaign (src/bench/kill-campaign.ts) checks after every recovery, and its figures.
 * Each object is counted once, however many recoveries see it (one object seen after 50 kills is one
 * orphan, not 50), keyed by its node identity and the proof it carries (a new object at the same
 * identity is another object).
 *  - wrongly adopted: state holds an object whose proof is not the one state recorded for it;
 *  - orphans: objects phoenix created (on the node, not there before the campaign, not a squatter) that
 *    a recovered state does not hold. One a later run adopts with its proof was only waiting for that run
 *    (a pending create of a failed recovery); one that never is, is an orphan. An orphan is explained when
 *    a run's warning or error names it (phoenix told the operator), else unexplained;
 *  - standing squatters: hand-made objects that must never be in state nor change.
 */
import type { StateFile } from '../state/model.js';
import { heldObjects, type NodeObject } from './kill-node.js';

export interface Figures {
  kills: number;
  unreadable_states: number;
  recoveries_failed: number;
  adoptions_with_proof: number;
  wrongly_adopted: number;
  not_adopted_warnings: number;
  squatters_fired: number;
  squatters_at_interrupted_creates: number;
  squatters_refused_untouched: number;
  squatters_adopted: number;
  squatters_touched: number;
  objects_outside_state_after_a_recovery: number;
  adopted_later_with_proof: number;
  orphans_explained: number;
  orphans_unexplained: number;
  final_destroy_left_objects: number;
  preexisting_objects_changed: number;
  wall_s: number;
}

export function emptyFigures(): Figures {
  return {
    kills: 0,
    unreadable_states: 0,
    recoveries_failed: 0,
    adoptions_with_proof: 0,
    wrongly_adopted: 0,
    not_adopted_warnings: 0,
    squatters_fired: 0,
    squatters_at_interrupted_creates: 0,
    squatters_refused_untouched: 0,
    squatters_adopted: 0,
    squatters_touched: 0,
    objects_outside_state_after_a_recovery: 0,
    adopted_later_with_proof: 0,
    orphans_explained: 0,
    orphans_unexplained: 0,
    final_destroy_left_objects: 0,
    preexisting_objects_changed: 0,
    wall_s: 0,
  };
}

/** An object of phoenix's that a recovered state did not hold. */
interface Suspect {
  key: string;
  proof: string | null;
  kill: number;
  /** The warning or error of a run that names it; undefined while none did. */
  explanation: string | undefined;
  /** Why it stopped being a suspect: a later run recorded it with its proof, or it left the node. */
  resolved?: 'adopted with proof' | 'gone from the node';
}

/** The diagnostics (╷ … ╵ boxes) of a run's output that name `key`'s identity or the resource `address` that held it. */
export function diagnosticNaming(out: string, key: string, address?: string): string | undefined {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = [key.slice(key.indexOf(':') + 1), ...(address ? [address] : [])].map(escape).join('|');
  const named = new RegExp(`(?<![\\w/.-])(?:${names})(?![\\w/.-])`);
  return out
    .split('╷')
    .slice(1)
    .map((box) => box.slice(0, box.indexOf('╵') < 0 ? undefined : box.indexOf('╵')).replace(/^│ ?/gm, '').trim())
    .find((box) => named.test(box));
}

export class Auditor {
  private readonly suspects = new Map<string, Suspect>();
  private readonly wronglyAdopted = new Set<string>();
  private readonly touchedStanding = new Set<string>();
  private readonly adoptedStanding = new Set<string>();
  /** What state last recorded per node key (its address and proof), to tell what became of an object state let go of. */
  private readonly lastRecorded = new Map<string, { address: string; owner: string | undefined }>();

  constructor(
    private readonly figures: Figures,
    private readonly log: (line: string) => void,
    /** Objects on the node before the campaign (the simulator's own pools, storages…). */
    private readonly baseline: ReadonlyMap<string, NodeObject>,
    /** The standing squatters as planted. */
    private readonly standing: ReadonlyMap<string, NodeObject>,
  ) {}

  /** After a recovery: `out` is everything the recovery runs printed, `killedOut` what the killed run had. */
  afterRecovery(kill: number, onNode: Map<string, NodeObject>, state: StateFile, out: string, killedOut: string): void {
    const held = heldObjects(state);
    for (const [key, { address, owner }] of held) {
      const object = onNode.get(key);
      if (!object || owner === undefined || object.proof === owner || this.wronglyAdopted.has(`${key}#${owner}`)) continue;
      this.wronglyAdopted.add(`${key}#${owner}`);
      this.figures.wrongly_adopted++;
      this.log(`WRONGLY ADOPTED ${key} (${address}): state holds proof ${owner}, the object carries ${object.proof}`);
    }
    this.resolveSuspects(onNode, held);
    for (const [key, object] of onNode) {
      if (held.has(key) || this.baseline.has(key) || this.standing.has(key)) continue;
      const id = `${key}#${object.proof}`;
      const address = this.lastRecorded.get(key)?.address;
      const known = this.suspects.get(id);
      if (known) {
        known.explanation ??= diagnosticNaming(out, key, address);
        continue;
      }
      const explanation = diagnosticNaming(out, key, address) ?? diagnosticNaming(killedOut, key, address);
      this.suspects.set(id, { key, proof: object.proof, kill, explanation });
      this.figures.objects_outside_state_after_a_recovery++;
      const last = this.lastRecorded.get(key);
      const recorded = last ? `state last recorded it as ${last.address} with proof ${last.owner}` : 'no recovered state recorded it';
      this.log(
        `kill ${kill}: ${key} (proof ${object.proof}) is on the node but not in the recovered state; ${recorded}. ` +
          `The killed run printed:\n${killedOut.slice(-3000)}\nThe recovery printed:\n${out.slice(-3000)}`,
      );
    }
    for (const [key, record] of held) this.lastRecorded.set(key, record);
    this.checkStanding(onNode, held);
  }

  /** After the campaign's last destroy: what it left, and the orphans' final count. */
  afterFinalDestroy(onNode: Map<string, NodeObject>, state: StateFile | undefined): void {
    const held = state ? heldObjects(state) : new Map<string, { address: string; owner: string | undefined }>();
    this.resolveSuspects(onNode, held);
    for (const key of onNode.keys()) {
      if (this.baseline.has(key) || this.standing.has(key)) continue;
      this.figures.final_destroy_left_objects++;
      this.log(`final destroy left ${key}`);
    }
    for (const [key, before] of this.baseline) {
      if (onNode.get(key)?.fingerprint === before.fingerprint) continue;
      this.figures.preexisting_objects_changed++;
      this.log(`PRE-EXISTING ${key} ${onNode.has(key) ? 'changed' : 'removed'} by the campaign`);
    }
    this.checkStanding(onNode, held);
    for (const suspect of this.suspects.values()) {
      if (suspect.resolved === 'adopted with proof') continue;
      if (suspect.explanation) this.figures.orphans_explained++;
      else this.figures.orphans_unexplained++;
      this.log(
        `ORPHAN ${suspect.key} (proof ${suspect.proof}), outside state since kill ${suspect.kill}, ${suspect.resolved ?? 'still on the node'}: ` +
          (suspect.explanation ? `explained by:\n${suspect.explanation}` : 'UNEXPLAINED (no run named it)'),
      );
    }
  }

  /** A squatter planted for one recovery: never recorded, never changed. */
  checkSquatter(key: string, before: NodeObject, onNode: Map<string, NodeObject>, state: StateFile | undefined, out: string, code: number | null): void {
    const { figures } = this;
    const now = onNode.get(key);
    const adopted = state !== undefined && heldObjects(state).has(key);
    if (adopted) figures.squatters_adopted++;
    if (now?.fingerprint !== before.fingerprint) figures.squatters_touched++;
    if (!adopted && now?.fingerprint === before.fingerprint) figures.squatters_refused_untouched++;
    if (adopted || now?.fingerprint !== before.fingerprint) this.log(`SQUATTER ${key} ${adopted ? 'adopted' : 'changed'} (exit ${code}):\n${out.slice(-2000)}`);
  }

  /** Suspects recorded since with their own proof, or gone from the node. */
  private resolveSuspects(onNode: Map<string, NodeObject>, held: Map<string, { owner: string | undefined }>): void {
    for (const suspect of this.suspects.values()) {
      if (suspect.resolved) continue;
      const now = onNode.get(suspect.key);
      const record = held.get(suspect.key);
      if (now && now.proof === suspect.proof && record && (record.owner === undefined || record.owner === suspect.proof)) {
        suspect.resolved = 'adopted with proof';
        this.figures.adopted_later_with_proof++;
        this.log(`${suspect.key} (outside state since kill ${suspect.kill}) was recorded by a later run with its proof ${suspect.proof}`);
      } else if (!now || now.proof !== suspect.proof) suspect.resolved = 'gone from the node';
    }
  }

  private checkStanding(onNode: Map<string, NodeObject>, held: Map<string, unknown>): void {
    for (const [key, planted] of this.standing) {
      if (held.has(key) && !this.adoptedStanding.has(key)) {
        this.adoptedStanding.add(key);
        this.figures.squatters_adopted++;
        this.log(`STANDING SQUATTER ${key} adopted`);
      }
      if (onNode.get(key)?.fingerprint !== planted.fingerprint && !this.touchedStanding.has(key)) {
        this.touchedStanding.add(key);
        this.figures.squatters_touched++;
        this.log(`STANDING SQUATTER ${key} ${onNode.has(key) ? 'changed' : 'removed'}`);
      }
    }
  }
}
