/**
 * The behavioural diff: each probe traced on both nodes (src/eval), unless reach.ts shows that no
 * difference can meet it; the probes whose outcomes differ, with the paths to show side by side
 * and where they part (outcome.ts).
 */
import { trace } from '../eval/pipeline.js';
import type { Family } from '../model/values/address.js';
import { choosePaths, outcomesOf, sameOutcomes, type SideView } from './outcome.js';
import type { AtomIndex } from './reach.js';
import type { NodeUniverse } from './universe.js';
import type { BehaviouralDifference, DiffProbe } from './types.js';

export interface BehaviourInput {
  readonly probes: readonly DiffProbe[];
  readonly viewsA: Readonly<Record<Family, SideView>>;
  readonly viewsB: Readonly<Record<Family, SideView>>;
  readonly universesA: Readonly<Record<Family, NodeUniverse>>;
  readonly universesB: Readonly<Record<Family, NodeUniverse>>;
  readonly atomsA: AtomIndex;
  readonly atomsB: AtomIndex;
  readonly exhaustive: boolean;
  readonly maxPaths: number;
}

export interface BehaviourOutput {
  readonly differences: BehaviouralDifference[];
  readonly traced: number;
  readonly unreached: number;
  /** Probes whose trace hit the path cap on either node. */
  readonly capped: number;
}

export function compareBehaviour(input: BehaviourInput): BehaviourOutput {
  const differences: BehaviouralDifference[] = [];
  let traced = 0;
  let unreached = 0;
  let capped = 0;
  const prune = !input.exhaustive && input.atomsA.reachesEverything === null && input.atomsB.reachesEverything === null;
  for (const probe of input.probes) {
    const family = probe.family;
    if (prune) {
      const ua = input.universesA[family].of(probe.a);
      const ub = input.universesB[family].of(probe.b);
      if (!input.atomsA.meets(ua) && !input.atomsB.meets(ub)) {
        unreached++;
        continue;
      }
    }
    traced++;
    const va = input.viewsA[family];
    const vb = input.viewsB[family];
    const ra = trace(va.facts, probe.a, { maxPaths: input.maxPaths });
    const rb = trace(vb.facts, probe.b, { maxPaths: input.maxPaths });
    if (ra.omitted.paths > 0 || rb.omitted.paths > 0) capped++;
    const oa = outcomesOf(ra, va);
    const ob = outcomesOf(rb, vb);
    if (sameOutcomes(oa, ob)) continue;
    const choice = choosePaths(ra, rb, oa, ob, va, vb);
    differences.push({
      probe,
      a: { result: ra, path: choice.a, outcomes: oa },
      b: { result: rb, path: choice.b, outcomes: ob },
      firstDifference: choice.firstDifference,
    });
  }
  return { differences, traced, unreached, capped };
}
