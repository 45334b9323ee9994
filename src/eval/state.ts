/**
 * The state a packet (class) carries through the hooks. Immutable: every change makes a new
 * state, so forks share their history. Steps are a persistent list (newest first).
 */
import type { Family } from '../model/values/address.js';
import type { Condition, ConnState, L4Protocol, NatRecord, Origin, SnatRecord, Step } from './types.js';
import { IntervalSet } from './interval-set.js';

export interface StepList {
  readonly step: Step;
  readonly prev: StepList | null;
}

export interface PacketState {
  readonly family: Family;
  readonly origin: Origin;
  readonly proto: L4Protocol;
  /** The fields as the packet enters: narrowed as matches split the class. */
  readonly origSrc: IntervalSet;
  readonly origDst: IntervalSet;
  readonly origSport: IntervalSet;
  readonly origDport: IntervalSet;
  /** The fields now (after NAT). */
  readonly src: IntervalSet;
  readonly dst: IntervalSet;
  readonly sport: IntervalSet;
  readonly dport: IntervalSet;
  readonly inIface: string | null;
  readonly outIface: string | null;
  readonly mark: number;
  readonly ctmark: number;
  readonly connState: ConnState;
  /** NOTRACK / CT --notrack: no conntrack entry, so no NAT. */
  readonly untracked: boolean;
  readonly dnat: NatRecord | null;
  readonly snat: SnatRecord | null;
  /** DNAT has been decided for this connection (nat PREROUTING/OUTPUT already ran). */
  readonly dstNatDone: boolean;
  /** SNAT has been decided (nat POSTROUTING/INPUT already ran). */
  readonly srcNatDone: boolean;
  readonly masqueradeMarkSeen: boolean;
  readonly conditions: readonly Condition[];
  readonly probability: number;
  readonly steps: StepList | null;
  /** The IPVS connection that took the packet (for `-m ipvs`), once IPVS has. */
  readonly ipvsConn: { readonly vip: bigint; readonly vport: number; readonly proto: number; readonly method: 'MASQ' | 'GATE' | 'IPIP' | 'LOCAL' } | null;
  /** `recent --set` names set by this connection's own traversal. */
  readonly recentSet: readonly string[];
  readonly assumeHistory: boolean;
}

export function withStep(state: PacketState, step: Step): PacketState {
  return { ...state, steps: { step, prev: state.steps } };
}

export function withCondition(state: PacketState, condition: Condition, probability = 1): PacketState {
  return { ...state, conditions: [...state.conditions, condition], probability: state.probability * probability };
}

export function stepsOf(state: PacketState): Step[] {
  const out: Step[] = [];
  for (let s = state.steps; s; s = s.prev) out.push(s.step);
  return out.reverse();
}

/** Which address/port field a restriction applies to (the current header, after NAT). */
export type Field = 'src' | 'dst' | 'sport' | 'dport';

const ORIG: Record<Field, 'origSrc' | 'origDst' | 'origSport' | 'origDport'> = {
  src: 'origSrc',
  dst: 'origDst',
  sport: 'origSport',
  dport: 'origDport',
};

/**
 * Narrows a field to `set`. When the field has not been rewritten by NAT, the entry class
 * narrows with it, so each path says which of the original packets it holds for.
 */
export function restrict(state: PacketState, field: Field, set: IntervalSet): PacketState {
  const current = state[field];
  const next = current.intersect(set);
  const orig = state[ORIG[field]];
  const untouched = orig.equals(current);
  return { ...state, [field]: next, ...(untouched ? { [ORIG[field]]: next } : {}) };
}

export function exclude(state: PacketState, field: Field, set: IntervalSet): PacketState {
  const current = state[field];
  const next = current.subtract(set);
  const orig = state[ORIG[field]];
  const untouched = orig.equals(current);
  return { ...state, [field]: next, ...(untouched ? { [ORIG[field]]: next } : {}) };
}

export function isEmptyClass(state: PacketState): boolean {
  return state.src.isEmpty || state.dst.isEmpty || state.sport.isEmpty || state.dport.isEmpty;
}
