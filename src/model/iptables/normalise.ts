/**
 * Normalisation: a ruleset as a plain JSON value that two readings of the same kernel state
 * agree on — what `iptables-save` prints after loading a file, and the file itself. Positions,
 * options as written and the implicit flag are dropped; typed values are already canonical in
 * the model (marks as xset, probabilities as the kernel's threshold, names as numbers), and the
 * few remaining equivalences are applied here, each citing why the kernel cannot tell them apart:
 *
 * - core matches come first, in iptables-save's `-s -d -i -o -p -f` order (the kernel stores
 *   them in the fixed struct ipt_ip, not in the order written);
 * - a protocol match module with no option (`-p tcp -m tcp`) is dropped: it tests only the
 *   protocol `-p` already tests, and iptables-nft does not even keep it;
 * - NFLOG `--nflog-range` is dropped: the kernel never used it, and iptables-nft does not keep it;
 * - tables are sorted by name, user chains by name (libiptc keeps them sorted; the order of
 *   tables and of chain declarations has no effect);
 * - counters are left out unless asked for (iptables-restore without -c does not load them);
 * - unknown modules and targets are kept as their options, read as iptables-restore reads them.
 */
import type { SourceText } from '../../../grammar/source.js';
import type { AddressRange, Cidr, Family } from '../values/address.js';
import { formatAddressNtop, formatCidrNtop } from '../values/inet-ntop.js';
import { asWritten } from './matches/read.js';
import type { ModuleMatch } from './matches/types.js';
import { canonicalChainOrder, CORE_ORDER, isCoreMatch } from './print.js';
import type { Target } from './targets/types.js';
import type { Chain, Counters, CoreMatch, Rule, Ruleset, Table } from './types.js';

/** A JSON value (bigints are written as decimal strings). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export interface NormaliseOptions {
  /** Keep chain and rule counters (off by default). */
  readonly counters?: boolean;
}

export interface NormalisedRule {
  readonly matches: readonly Json[];
  readonly target: Json;
  readonly counters?: Json;
}

export interface NormalisedChain {
  readonly name: string;
  readonly policy: 'ACCEPT' | 'DROP' | null;
  readonly counters?: Json;
  readonly rules: readonly NormalisedRule[];
}

export interface NormalisedTable {
  readonly name: string;
  readonly chains: readonly NormalisedChain[];
}

export interface NormalisedRuleset {
  readonly family: Family;
  readonly tables: readonly NormalisedTable[];
}

/** Keys that say where or how something was written, not what it means. */
const DROPPED_KEYS = new Set(['at', 'options', 'implicit', 'hostBitsSet']);

function isCidr(value: object): value is Cidr {
  return 'prefix' in value && 'first' in value && typeof (value as Cidr).first === 'bigint';
}

function isAddressRange(value: object): value is AddressRange {
  return !('prefix' in value) && 'first' in value && 'last' in value && 'family' in value && typeof (value as AddressRange).first === 'bigint';
}

/** Typed values to JSON: prefixes and ranges as inet_ntop text, bigints as decimal strings. */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    if (isCidr(value)) return formatCidrNtop(value);
    if (isAddressRange(value)) return `${formatAddressNtop(value.family, value.first)}-${formatAddressNtop(value.family, value.last)}`;
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) {
      if (DROPPED_KEYS.has(key)) continue;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (key === 'unread' && Array.isArray(v) && v.length === 0) continue;
      out[key] = toJson(v);
    }
    return out;
  }
  return null;
}

const PROTOCOL_MODULES = new Set(['tcp', 'udp', 'sctp', 'dccp']);

/** Fields of a match besides its kind and bookkeeping. */
function hasFields(match: ModuleMatch): boolean {
  const json = toJson(match) as Record<string, Json>;
  return Object.keys(json).some((k) => k !== 'kind');
}

function normaliseCore(match: CoreMatch): Json {
  switch (match.kind) {
    case 'protocol':
      return { kind: 'protocol', negated: match.negated, protocol: match.protocol.number };
    default:
      return toJson(match);
  }
}

function normaliseModule(match: ModuleMatch, source: SourceText): Json | null {
  // An unknown module is nothing but its options: keep them, as iptables-restore would read them.
  if (match.kind === 'unknown') return { kind: 'unknown', module: match.module, options: toJson(match.options.map((o) => asWritten(o, source))) };
  if (PROTOCOL_MODULES.has(match.kind) && !hasFields(match)) return null;
  return toJson(match);
}

function normaliseTarget(target: Target | null, source: SourceText): Json {
  if (!target) return null;
  if (target.kind === 'unknown' || target.kind === 'jump' || target.kind === 'goto') {
    const options = target.options.map((o) => asWritten(o, source));
    const head: Record<string, Json> = target.kind === 'unknown' ? { kind: 'unknown', name: target.name } : { kind: target.kind, chain: target.chain };
    return options.length ? { ...head, options: toJson(options) } : head;
  }
  if (target.kind === 'NFLOG') {
    const { range: _range, ...rest } = target;
    return toJson(rest);
  }
  return toJson(target);
}

function countersJson(counters: Counters | null): Json {
  return counters ? { packets: counters.packets.toString(), bytes: counters.bytes.toString() } : null;
}

/** One rule; `source` is the text its options were read from (the rule's own by default). */
export function normaliseRule(rule: Rule, source: SourceText = rule.at.source, options: NormaliseOptions = {}): NormalisedRule {
  const core = rule.matches.filter(isCoreMatch);
  const matches: Json[] = [];
  for (const kind of CORE_ORDER) for (const m of core) if (m.kind === kind) matches.push(normaliseCore(m));
  for (const m of rule.matches) {
    if (isCoreMatch(m)) continue;
    const json = normaliseModule(m, source);
    if (json !== null) matches.push(json);
  }
  const out: NormalisedRule = { matches, target: normaliseTarget(rule.target, source) };
  return options.counters ? { ...out, counters: countersJson(rule.counters) } : out;
}

function normaliseChain(chain: Chain, options: NormaliseOptions): NormalisedChain {
  const out: NormalisedChain = { name: chain.name, policy: chain.policy, rules: chain.rules.map((r) => normaliseRule(r, r.at.source, options)) };
  return options.counters ? { ...out, counters: countersJson(chain.counters) } : out;
}

function normaliseTable(table: Table, options: NormaliseOptions): NormalisedTable {
  return { name: table.name, chains: canonicalChainOrder(table).map((c) => normaliseChain(c, options)) };
}

/** The ruleset as a plain, comparable value (see the module comment for what is made equal). */
export function normaliseRuleset(ruleset: Ruleset, options: NormaliseOptions = {}): NormalisedRuleset {
  const tables = [...ruleset.tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { family: ruleset.family, tables: tables.map((t) => normaliseTable(t, options)) };
}
