/**
 * The iptables part of the structural diff: rulesets by family, tables by name, chains by
 * identity (their name; KUBE-SEP- chains by the endpoint their DNAT sends to, since kube-proxy
 * names them by a hash of Service port and endpoint), and the rules of each chain aligned by
 * meaning (rule-keys.ts, align.ts) so that a rule out of place shows as moved, not as the chain
 * replaced. Counters are never compared; a rule that differs only in its comment is paired and
 * said not to matter.
 *
 * Each difference also becomes an {@link Atom} (reach.ts): the packets that can reach and match
 * the rule on its node.
 */
import type { Chain, Rule, Ruleset, Table, TableName } from '../model/iptables/types.js';
import { BUILTIN_CHAINS } from '../model/iptables/types.js';
import type { Family } from '../model/values/address.js';
import { align } from './align.js';
import type { Renaming, Sensitive } from './identity.js';
import { EVERY, intersect, region, type Atom, type ChainReach, type Region } from './reach.js';
import { citeRule, ruleKey, ruleText, touchesRenamed, type KeyContext, type RuleKey } from './rule-keys.js';
import type { ChainPlace, ChangeGroup, Side, StructuralChange } from './types.js';

export interface RulesContext {
  /** Chain identities per side (KUBE-SEP- name → endpoint identity); names not in the map are their own. */
  readonly chainIdsA: ReadonlyMap<string, string>;
  readonly chainIdsB: ReadonlyMap<string, string>;
  /** The endpoint of a paired KUBE-SEP- chain, for the report. */
  readonly endpointOf: (id: string) => string | null;
  readonly renaming: Renaming;
  /** What a rule (or a chain, when rule is null) is filed under. */
  readonly group: (side: Side, family: Family, table: TableName, chain: string, rule: Rule | null) => ChangeGroup;
  readonly reachA: ChainReach | null;
  readonly reachB: ChainReach | null;
}

export interface RulesDiff {
  readonly changes: StructuralChange[];
  readonly atoms: Atom[];
  /** Rules paired whose comments differ. */
  readonly commentOnly: number;
}

function isBuiltin(table: TableName, chain: string): boolean {
  return BUILTIN_CHAINS[table]?.includes(chain) ?? false;
}

/** The regions of a rule on its node, narrowed to the renamed addresses when only those may differ. */
function ruleAtomRegions(reach: ChainReach | null, table: Table, rule: Rule, sensitive: Sensitive | null): Region[] {
  if (!reach) return [EVERY];
  const out: Region[] = [];
  for (const r of reach.ruleRegions(table, rule)) {
    const narrowed = sensitive ? intersect(r, region({ family: sensitive.family, addrs: [sensitive.set] })) : r;
    if (narrowed) out.push(narrowed);
  }
  return out;
}

class RulesetDiffer {
  readonly changes: StructuralChange[] = [];
  readonly atoms: Atom[] = [];
  commentOnly = 0;
  /** True when some chain name means a different chain on each node (then equal texts may differ in meaning). */
  private readonly conflicting: boolean;

  constructor(
    private readonly ctx: RulesContext,
    private readonly family: Family,
  ) {
    let conflict = false;
    for (const [name, id] of ctx.chainIdsA) if ((ctx.chainIdsB.get(name) ?? name) !== id && ctx.chainIdsB.has(name)) conflict = true;
    for (const [name, id] of ctx.chainIdsB) if ((ctx.chainIdsA.get(name) ?? name) !== id && ctx.chainIdsA.has(name)) conflict = true;
    this.conflicting = conflict;
  }

  private idA = (name: string): string => this.ctx.chainIdsA.get(name) ?? name;
  private idB = (name: string): string => this.ctx.chainIdsB.get(name) ?? name;

  private atom(side: Side, what: string, regions: readonly Region[]): void {
    this.atoms.push({ side, what, regions });
  }

  rulesets(a: Ruleset | null, b: Ruleset | null): void {
    if (!a && !b) return;
    if (!a || !b) {
      const side: Side = a ? 'a' : 'b';
      const only = (a ?? b)!;
      this.changes.push({ kind: 'ruleset-only', family: this.family, side, tables: only.tables.length, group: { kind: 'inputs' }, matters: true });
      this.atom(side, `only ${side.toUpperCase()} has ${this.family} iptables rules`, [region({ family: this.family })]);
      return;
    }
    const bTables = new Map(b.tables.map((t) => [t.name, t]));
    for (const ta of a.tables) {
      const tb = bTables.get(ta.name);
      if (!tb) this.tableOnly('a', ta);
      else this.tables(ta, tb);
    }
    const aNames = new Set(a.tables.map((t) => t.name));
    for (const tb of b.tables) if (!aNames.has(tb.name)) this.tableOnly('b', tb);
  }

  private tableOnly(side: Side, table: Table): void {
    this.changes.push({ kind: 'table-only', family: this.family, table: table.name, side, at: table.at, group: { kind: 'inputs' }, matters: true });
    this.atom(side, `only ${side.toUpperCase()} has the ${this.family} ${table.name} table`, [region({ family: this.family })]);
  }

  private tables(ta: Table, tb: Table): void {
    const bById = new Map<string, Chain>();
    for (const c of tb.chains) bById.set(this.idB(c.name), c);
    const seen = new Set<string>();
    for (const ca of ta.chains) {
      const id = this.idA(ca.name);
      seen.add(id);
      const cb = bById.get(id);
      if (!cb) this.chainOnly('a', ta, ca);
      else this.chains(ta, tb, ca, cb, id);
    }
    for (const cb of tb.chains) if (!seen.has(this.idB(cb.name))) this.chainOnly('b', tb, cb);
  }

  private place(table: TableName, chain: string): ChainPlace {
    return { family: this.family, table, chain };
  }

  private chainOnly(side: Side, table: Table, chain: Chain): void {
    this.changes.push({
      kind: 'chain-only',
      place: this.place(table.name, chain.name),
      side,
      rules: chain.rules.map(citeRule),
      at: chain.at,
      group: this.ctx.group(side, this.family, table.name, chain.name, null),
      matters: true,
    });
    const reach = side === 'a' ? this.ctx.reachA : this.ctx.reachB;
    if (isBuiltin(table.name, chain.name)) {
      this.atom(side, `${table.name}/${chain.name} exists only on ${side.toUpperCase()}`, [region({ family: this.family })]);
      return;
    }
    for (const rule of chain.rules) this.atom(side, `${table.name}/${chain.name} exists only on ${side.toUpperCase()}`, ruleAtomRegions(reach, table, rule, null));
  }

  private chains(ta: Table, tb: Table, ca: Chain, cb: Chain, id: string): void {
    const table = ta.name;
    if (ca.name !== cb.name) {
      this.changes.push({
        kind: 'chain-renamed',
        family: this.family,
        table,
        a: ca.name,
        b: cb.name,
        endpoint: this.ctx.endpointOf(id) ?? id,
        group: this.ctx.group('a', this.family, table, ca.name, null),
        matters: false,
      });
    }
    if (ca.policy !== cb.policy) {
      this.changes.push({ kind: 'policy', place: this.place(table, ca.name), a: ca.policy, b: cb.policy, aAt: ca.at, bAt: cb.at, group: { kind: 'chain', family: this.family, table, chain: ca.name }, matters: true });
      this.atom('a', `the policy of ${table}/${ca.name} differs`, [region({ family: this.family })]);
    }
    if (!this.conflicting && ca.name === cb.name && sameTexts(ca.rules, cb.rules) && !ca.rules.some((r) => touchesRenamed(r, this.ctx.renaming))) return;
    this.rules(ta, tb, ca, cb);
  }

  private rules(ta: Table, tb: Table, ca: Chain, cb: Chain): void {
    const table = ta.name;
    const ctxA: KeyContext = { chainId: this.idA, renaming: null };
    const ctxB: KeyContext = { chainId: this.idB, renaming: this.ctx.renaming };
    const keysA: RuleKey[] = ca.rules.map((r) => ruleKey(r, ctxA));
    const keysB: RuleKey[] = cb.rules.map((r) => ruleKey(r, ctxB));
    const aligned = align(
      keysA.map((k) => k.key),
      keysB.map((k) => k.key),
    );
    const onlyA: number[] = [];
    const onlyB: number[] = [];
    const place = this.place(table, ca.name);
    for (const step of aligned) {
      if (step.kind === 'only-a') onlyA.push(step.a);
      else if (step.kind === 'only-b') onlyB.push(step.b);
      else {
        const ra = ca.rules[step.a]!;
        const rb = cb.rules[step.b]!;
        if ((keysA[step.a]!.comment ?? '') !== (keysB[step.b]!.comment ?? '')) {
          this.commentOnly++;
          this.changes.push({ kind: 'rule-comment', place, aIndex: ra.index, bIndex: rb.index, a: citeRule(ra), b: citeRule(rb), group: this.ctx.group('a', this.family, table, ca.name, ra), matters: false });
        }
        const sensitive = keysB[step.b]!.sensitive;
        if (sensitive) this.atom('b', `${table}/${cb.name}#${rb.index} names B's own addresses`, ruleAtomRegions(this.ctx.reachB, tb, rb, sensitive));
      }
    }
    // A rule both chains hold at different places: moved.
    const freeB = new Map<string, number[]>();
    for (const j of onlyB) {
      const k = keysB[j]!.key;
      const list = freeB.get(k);
      if (list) list.push(j);
      else freeB.set(k, [j]);
    }
    const movedB = new Set<number>();
    for (const i of onlyA) {
      const ra = ca.rules[i]!;
      const list = freeB.get(keysA[i]!.key);
      const j = list?.shift();
      const group = this.ctx.group('a', this.family, table, ca.name, ra);
      if (j !== undefined) {
        movedB.add(j);
        const rb = cb.rules[j]!;
        this.changes.push({ kind: 'rule-moved', place, aIndex: ra.index, bIndex: rb.index, a: citeRule(ra), b: citeRule(rb), group, matters: true });
        this.atom('a', `${table}/${ca.name}#${ra.index} moved`, ruleAtomRegions(this.ctx.reachA, ta, ra, null));
        this.atom('b', `${table}/${cb.name}#${rb.index} moved`, ruleAtomRegions(this.ctx.reachB, tb, rb, null));
        continue;
      }
      this.changes.push({ kind: 'rule-only', place, side: 'a', index: ra.index, rule: citeRule(ra), group, matters: true });
      this.atom('a', `${table}/${ca.name}#${ra.index} is only on A`, ruleAtomRegions(this.ctx.reachA, ta, ra, null));
    }
    for (const j of onlyB) {
      if (movedB.has(j)) continue;
      const rb = cb.rules[j]!;
      this.changes.push({ kind: 'rule-only', place: { ...place, chain: ca.name }, side: 'b', index: rb.index, rule: citeRule(rb), group: this.ctx.group('b', this.family, table, cb.name, rb), matters: true });
      this.atom('b', `${table}/${cb.name}#${rb.index} is only on B`, ruleAtomRegions(this.ctx.reachB, tb, rb, null));
    }
  }
}

function sameTexts(a: readonly Rule[], b: readonly Rule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (ruleText(a[i]!) !== ruleText(b[i]!)) return false;
  return true;
}

/** Structural changes and their atoms between two nodes' rulesets of one family. */
export function diffRulesets(a: Ruleset | null, b: Ruleset | null, family: Family, ctx: RulesContext): RulesDiff {
  const differ = new RulesetDiffer(ctx, family);
  differ.rulesets(a, b);
  return { changes: differ.changes, atoms: differ.atoms, commentOnly: differ.commentOnly };
}
