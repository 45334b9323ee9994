/** Which ipsets a node's rules name: `-m set --match-set NAME` and the SET target's --add-set/--del-set/--map-set. */
import type { Rule, Ruleset } from '../../model/iptables/types.js';

export interface SetReference {
  readonly name: string;
  readonly rule: Rule;
}

export function setReferences(rulesets: readonly Ruleset[]): SetReference[] {
  const out: SetReference[] = [];
  for (const rs of rulesets) {
    for (const table of rs.tables) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          for (const m of rule.matches) if (m.kind === 'set') out.push({ name: m.name, rule });
          const t = rule.target;
          if (t?.kind === 'SET') for (const op of [t.add, t.del, t.map]) if (op) out.push({ name: op.name, rule });
        }
      }
    }
  }
  return out;
}
