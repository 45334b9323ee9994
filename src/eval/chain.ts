/**
 * Walking the chains of one table at one hook, as ipt_do_table does (net/ipv4/netfilter/
 * ip_tables.c): rules in order; a jump pushes the return point, a goto does not (so a RETURN
 * after a goto returns to the caller's caller); RETURN at the end of a built-in chain, or
 * falling off it, applies its policy; ACCEPT ends this table for this hook; DROP ends everything.
 */
import type { Chain, Rule, Table, TableName } from '../model/iptables/types.js';
import type { EvalContext } from './context.js';
import type { NodeFacts } from './facts.js';
import { ruleCandidates, type ChainIndexCache } from './chain-index.js';
import { evalRuleMatches } from './matches/index.js';
import { withStep, type PacketState } from './state.js';
import { applyTarget } from './targets.js';
import type { Hook } from './types.js';

/** How a walk through a chain ended for one part of the class. */
export type ChainEnd = 'accept' | 'drop' | 'reject' | 'return';

export interface ChainOutcome {
  readonly state: PacketState;
  readonly end: ChainEnd;
  /** Words for drop/reject: "rule filter/KUBE-FORWARD#1: DROP". */
  readonly reason: string | null;
}

export interface WalkOptions {
  readonly facts: NodeFacts;
  readonly hook: Hook;
  readonly table: Table;
  readonly indexes: ChainIndexCache;
  /** Shared budget of live parts; when it runs out, further forks are cut and counted. */
  readonly budget: { remaining: number; omittedPaths: number; omittedProbability: number };
}

const MAX_DEPTH = 128;

function ruleContext(options: WalkOptions, rule: Rule): EvalContext {
  return { facts: options.facts, hook: options.hook, table: options.table.name as TableName, rule, at: rule.at };
}

/** Runs a built-in chain: what leaves it is accepted (by a rule or the policy), dropped or rejected. */
export function runBuiltinChain(state: PacketState, chain: Chain, options: WalkOptions): ChainOutcome[] {
  const out: ChainOutcome[] = [];
  for (const o of runChain(state, chain, options, 0)) {
    if (o.end !== 'return') {
      out.push(o);
      continue;
    }
    const policy = chain.policy ?? 'ACCEPT';
    const s = withStep(o.state, {
      hook: options.hook,
      table: chain.table,
      chain: chain.name,
      rule: null,
      at: chain.at,
      comment: null,
      effect: `policy ${policy}`,
    });
    out.push({ state: s, end: policy === 'DROP' ? 'drop' : 'accept', reason: policy === 'DROP' ? `policy DROP of ${chain.table}/${chain.name}` : null });
  }
  return out;
}

function runChain(state: PacketState, chain: Chain, options: WalkOptions, depth: number): ChainOutcome[] {
  const results: ChainOutcome[] = [];
  if (depth > MAX_DEPTH) {
    return [{ state, end: 'drop', reason: `jumps nest deeper than ${MAX_DEPTH} (a loop?) at ${chain.name}` }];
  }
  // Work items: a part of the class and the rule index it is at. FIFO keeps path order stable.
  const queue: { state: PacketState; index: number }[] = [{ state, index: 0 }];
  for (let q = 0; q < queue.length; q++) {
    const item = queue[q]!;
    let s = item.state;
    const candidates = ruleCandidates(options.indexes, chain, s);
    let k = item.index;
    for (;;) {
      k = candidates ? candidates.next(k) : k;
      if (k >= chain.rules.length) {
        results.push({ state: s, end: 'return', reason: null });
        break;
      }
      const rule = chain.rules[k]!;
      const ctx = ruleContext(options, rule);
      const { matched, unmatched } = evalRuleMatches(rule.matches, s, ctx);
      const extra = matched.length + unmatched.length - 1;
      if (extra > 0) {
        if (options.budget.remaining < extra) {
          // Out of budget: keep the first part, count the rest as omitted.
          const all = [...matched.map((m) => ({ m, matched: true })), ...unmatched.map((m) => ({ m, matched: false }))];
          for (const dropped of all.slice(1)) {
            options.budget.omittedPaths++;
            options.budget.omittedProbability += dropped.m.probability;
          }
          const keep = all[0]!;
          if (keep.matched) {
            matched.splice(0, matched.length, keep.m);
            unmatched.splice(0, unmatched.length);
          } else {
            matched.splice(0, matched.length);
            unmatched.splice(0, unmatched.length, keep.m);
          }
        } else options.budget.remaining -= extra;
      }
      for (const m of matched) {
        for (const t of applyTarget(rule, m, ctx)) {
          switch (t.action) {
            case 'continue':
              queue.push({ state: t.state, index: k + 1 });
              break;
            case 'end':
              results.push({ state: t.state, end: t.end, reason: t.reason });
              break;
            case 'jump':
            case 'goto': {
              const target = options.table.chainsByName.get(t.chain);
              if (!target) {
                results.push({ state: t.state, end: 'drop', reason: `rule ${rule.table}/${rule.chain}#${rule.index} jumps to ${t.chain}, which does not exist (iptables-restore would have refused this table)` });
                break;
              }
              for (const o of runChain(t.state, target, options, depth + 1)) {
                if (o.end !== 'return') results.push(o);
                else if (t.action === 'jump') queue.push({ state: o.state, index: k + 1 });
                else results.push(o);
              }
              break;
            }
            default: {
              const never: never = t;
              void never;
            }
          }
        }
      }
      // Parts that did not match go on with the next rule; the first one inline, others queued.
      if (unmatched.length === 0) break;
      for (const u of unmatched.slice(1)) queue.push({ state: u, index: k + 1 });
      s = unmatched[0]!;
      k++;
    }
  }
  return results;
}
