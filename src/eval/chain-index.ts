/**
 * Indexes long chains by destination address so a trace need not test every rule: KUBE-SERVICES
 * holds one rule per Service port (30k on a large cluster), each with `-d VIP/32`. A rule whose
 * non-negated `-d` excludes the packet's (single) destination cannot match and is skipped; rules
 * without such a `-d` are always candidates. Exact by construction: only provably failing rules
 * are skipped.
 */
import type { Chain } from '../model/iptables/types.js';
import type { PacketState } from './state.js';

/** Chains shorter than this are scanned; an index would not pay for itself. */
const INDEX_THRESHOLD = 32;

interface ChainIndex {
  /** Rule indices by exact host destination. */
  readonly byHost: Map<bigint, number[]>;
  /** Rules with a broader (non-host) prefix: [first, last, index]. */
  readonly byPrefix: { first: bigint; last: bigint; index: number }[];
  /** Rules with no usable destination constraint. */
  readonly always: number[];
}

export type ChainIndexCache = WeakMap<Chain, ChainIndex | null>;

/** Chains are immutable, so their indexes are shared by every trace (and freed with the chain). */
const shared: ChainIndexCache = new WeakMap();

export function newChainIndexCache(): ChainIndexCache {
  return shared;
}

function build(chain: Chain): ChainIndex | null {
  if (chain.rules.length < INDEX_THRESHOLD) return null;
  const byHost = new Map<bigint, number[]>();
  const byPrefix: ChainIndex['byPrefix'] = [];
  const always: number[] = [];
  chain.rules.forEach((rule, index) => {
    const d = rule.matches.find((m) => m.kind === 'destination' && !m.negated);
    if (!d || d.kind !== 'destination') {
      always.push(index);
      return;
    }
    if (d.cidr.first === d.cidr.last) {
      const list = byHost.get(d.cidr.first);
      if (list) list.push(index);
      else byHost.set(d.cidr.first, [index]);
    } else byPrefix.push({ first: d.cidr.first, last: d.cidr.last, index });
  });
  return { byHost, byPrefix, always };
}

/** Sorted candidate rule indices, walked forward. */
export interface Candidates {
  /** The smallest candidate index ≥ k (chain length when none). */
  next(k: number): number;
}

export function ruleCandidates(cache: ChainIndexCache, chain: Chain, state: PacketState): Candidates | null {
  let index = cache.get(chain);
  if (index === undefined) {
    index = build(chain);
    cache.set(chain, index);
  }
  if (!index) return null;
  const dst = state.dst.single;
  if (dst === null) return null;
  const list = [...(index.byHost.get(dst) ?? []), ...index.always];
  for (const p of index.byPrefix) if (dst >= p.first && dst <= p.last) list.push(p.index);
  list.sort((a, b) => a - b);
  let cursor = 0;
  const end = chain.rules.length;
  return {
    next(k: number): number {
      while (cursor < list.length && list[cursor]! < k) cursor++;
      return cursor < list.length ? list[cursor]! : end;
    },
  };
}
