/** What a ruleset holds, counted: the numbers `iptlens parse` prints. */
import type { Ruleset, TableName } from './types.js';

export interface TableSummary {
  readonly name: TableName;
  readonly family: 'ipv4' | 'ipv6';
  readonly chains: number;
  readonly userChains: number;
  readonly rules: number;
  readonly committed: boolean;
}

export interface RulesetSummary {
  readonly tables: readonly TableSummary[];
  /** `-m` modules by name (core matches not counted), most used first. */
  readonly modules: ReadonlyMap<string, number>;
  /** Targets by name; jumps to user chains are counted as `(jump)` and `(goto)`. */
  readonly targets: ReadonlyMap<string, number>;
  /** Module names iptlens has no typed meaning for. */
  readonly unknownModules: readonly string[];
  readonly unknownTargets: readonly string[];
}

function sorted(map: Map<string, number>): Map<string, number> {
  return new Map([...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function summariseRuleset(ruleset: Ruleset): RulesetSummary {
  const modules = new Map<string, number>();
  const targets = new Map<string, number>();
  const unknownModules = new Set<string>();
  const unknownTargets = new Set<string>();
  const tables: TableSummary[] = [];
  for (const table of ruleset.tables) {
    let rules = 0;
    for (const chain of table.chains) {
      rules += chain.rules.length;
      for (const rule of chain.rules) {
        for (const m of rule.matches) {
          switch (m.kind) {
            case 'source':
            case 'destination':
            case 'in-interface':
            case 'out-interface':
            case 'protocol':
            case 'fragment':
              break;
            case 'unknown':
              unknownModules.add(m.module);
              modules.set(m.module, (modules.get(m.module) ?? 0) + 1);
              break;
            default:
              modules.set(m.kind, (modules.get(m.kind) ?? 0) + 1);
          }
        }
        const t = rule.target;
        if (!t) continue;
        const name = t.kind === 'jump' ? '(jump)' : t.kind === 'goto' ? '(goto)' : t.kind === 'unknown' ? t.name : t.kind;
        if (t.kind === 'unknown') unknownTargets.add(t.name);
        targets.set(name, (targets.get(name) ?? 0) + 1);
      }
    }
    tables.push({
      name: table.name,
      family: table.family,
      chains: table.chains.length,
      userChains: table.chains.filter((c) => !c.builtin).length,
      rules,
      committed: table.committed,
    });
  }
  return {
    tables,
    modules: sorted(modules),
    targets: sorted(targets),
    unknownModules: [...unknownModules].sort(),
    unknownTargets: [...unknownTargets].sort(),
  };
}
