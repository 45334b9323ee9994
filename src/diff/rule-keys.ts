/**
 * A rule's meaning as a comparable string: normalise.ts's canonical form (what the kernel holds,
 * positions and counters left out) without `-m comment` (a comment never changes whether a rule
 * matches: xt_comment.c comment_mt returns true), with jump targets by their chain's identity
 * (KUBE-SEP- chains by endpoint) and, on B, the node's own addresses renamed to A's.
 */
import { normaliseRule, type Json } from '../model/iptables/normalise.js';
import type { Rule } from '../model/iptables/types.js';
import type { Renaming, Sensitive } from './identity.js';
import type { Cited } from './types.js';

export interface KeyContext {
  /** The identity of a chain of this node (its name unless paired by endpoint). */
  readonly chainId: (name: string) => string;
  /** B's renaming; null on A. */
  readonly renaming: Renaming | null;
}

export interface RuleKey {
  readonly key: string;
  /** The `-m comment` texts, joined. */
  readonly comment: string | null;
  /** Addresses for which the renamed rule may not mean what A's rule means. */
  readonly sensitive: Sensitive | null;
}

const COUNTERS = /^\[\d+:\d+\]\s*/;

/** The rule as written, without `[packets:bytes]`. */
export function ruleText(rule: Rule): string {
  return rule.at.source.text.slice(rule.at.start, rule.at.end).trim().replace(COUNTERS, '');
}

export function citeRule(rule: Rule): Cited {
  return { text: ruleText(rule), at: rule.at };
}

function isComment(m: Json): boolean {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && (m as { kind?: Json }).kind === 'comment';
}

function renameJson(value: Json, renaming: Renaming, found: { sensitive: Sensitive | null }): Json {
  if (typeof value === 'string') {
    const r = renaming.text(value);
    if (r.sensitive) {
      const prev: Sensitive | null = found.sensitive;
      found.sensitive = prev && prev.family === r.sensitive.family ? { family: prev.family, set: prev.set.union(r.sensitive.set) } : r.sensitive;
    }
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => renameJson(v as Json, renaming, found));
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renameJson(v, renaming, found);
    return out;
  }
  return value;
}

export function ruleKey(rule: Rule, ctx: KeyContext): RuleKey {
  const n = normaliseRule(rule);
  const matches = n.matches.filter((m) => !isComment(m));
  let target = n.target;
  if (target && typeof target === 'object' && !Array.isArray(target)) {
    const t = target as { kind?: Json; chain?: Json };
    if ((t.kind === 'jump' || t.kind === 'goto') && typeof t.chain === 'string') target = { ...target, chain: ctx.chainId(t.chain) };
  }
  let body: Json = { m: matches, t: target };
  const found: { sensitive: Sensitive | null } = { sensitive: null };
  if (ctx.renaming && !ctx.renaming.isIdentity) body = renameJson(body, ctx.renaming, found);
  return { key: JSON.stringify(body), comment: rule.comment, sensitive: found.sensitive };
}

interface AddressLike {
  readonly family: 'ipv4' | 'ipv6';
  readonly first: bigint;
  readonly last: bigint;
}

function isAddressLike(value: object): value is AddressLike {
  const v = value as Partial<AddressLike>;
  return typeof v.first === 'bigint' && typeof v.last === 'bigint' && (v.family === 'ipv4' || v.family === 'ipv6');
}

function touches(value: unknown, renaming: Renaming, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > 6) return false;
  if (Array.isArray(value)) return value.some((v) => touches(v, renaming, depth + 1));
  if (isAddressLike(value)) {
    const r = renaming.range(value.family, value.first, value.last);
    return r.first !== value.first || r.last !== value.last || r.sensitive !== null;
  }
  for (const [k, v] of Object.entries(value)) if (k !== 'at' && k !== 'options' && touches(v, renaming, depth + 1)) return true;
  return false;
}

/**
 * Whether renaming could change this rule's key: it names an address the renaming swaps, or a
 * prefix holding one of a swapped pair. A rule that does not is its own renamed form.
 */
export function touchesRenamed(rule: Rule, renaming: Renaming): boolean {
  if (renaming.isIdentity) return false;
  return rule.matches.some((m) => touches(m, renaming, 0)) || touches(rule.target, renaming, 0);
}
