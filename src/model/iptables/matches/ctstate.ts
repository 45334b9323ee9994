/** Connection-tracking state and status lists, shared by `-m conntrack` and `-m state` (libxt_conntrack.c, libxt_state.c). */
import type { CtState, CtStatus } from './types.js';

/** In the order iptables-save prints them (conntrack_ps_states / state_print_state). */
export const CT_STATES: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
export const CT_STATUSES: readonly CtStatus[] = ['EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

/** Comma-separated names (case-insensitive) from `allowed`, returned in print order; null on an unknown name. */
export function parseNameList<T extends string>(text: string, allowed: readonly T[]): T[] | null {
  const set = new Set<T>();
  for (const part of text.split(',')) {
    const name = allowed.find((a) => a === part.toUpperCase());
    if (!name) return null;
    set.add(name);
  }
  return allowed.filter((a) => set.has(a));
}

/** `--ctstatus`: NONE alone means "no status bit" and prints as NONE. */
export function parseStatuses(text: string): CtStatus[] | null {
  if (text.toUpperCase() === 'NONE') return ['NONE'];
  return parseNameList(text, CT_STATUSES);
}
