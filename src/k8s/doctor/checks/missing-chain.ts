/**
 * Rules that jump or go to a chain that does not exist. iptables-restore refuses such a ruleset
 * ("Couldn't load target", libiptc TC_COMMIT), so a dump that has them was cut, edited or pasted
 * together; and a trace cannot follow the jump. Gotos to undeclared chains come from the chain
 * graph; a `-j NAME` whose NAME is no declared chain reads as an unknown target, and counts here
 * only when it has no options and is no target extension iptlens leaves unmodelled.
 */
import type { Rule } from '../../../model/iptables/types.js';
import { missingChains } from '../../../graph/queries.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'missing-chain',
  severity: 'error',
  title: 'Rules jump to a chain that does not exist',
  docs: 'docs/checks/missing-chain.md',
  requires: ['iptables'],
  messages: {
    missing: (chain: string, table: string, family: string, count: number) => ({
      title: `${family} ${table}: ${count} rule(s) jump to ${chain}, which does not exist`,
      explanation:
        `No ":${chain}" line or -N declares ${chain} in the ${table} table, yet ${count} rule(s) send packets to it. iptables-restore refuses a ruleset like this (the kernel cannot load a jump to a missing chain), so this dump is not what the kernel holds: it was cut short, edited, or put together from several dumps. ` +
        'Traces stop at these rules; what the kernel does there is unknown.',
      remediation: `Collect the dump again with iptables-save (the whole output, all tables) and check that ${chain} is declared; if the dump was edited, restore the missing chain or remove the rules that reference it.`,
    }),
  },
});

/**
 * Target extensions iptlens does not model (the ones it models never read as unknown): iptables
 * 1.8 extensions/libxt_*.c and libipt_/libip6t_, and xtables-addons. `-j NAME` with any other
 * name and no options is a jump to a chain (iptables-restore: "Couldn't load target").
 */
const OTHER_EXTENSIONS = new Set([
  'TTL', 'HL', 'ECN', 'TCPOPTSTRIP', 'CLUSTERIP', 'IDLETIMER', 'LED', 'RATEEST', 'SYNPROXY', 'DNPT', 'SNPT',
  'FLOWOFFLOAD', 'MIRROR', 'SAME', 'IPMARK', 'TARPIT', 'DELUDE', 'CHAOS', 'ECHO', 'STEAL', 'SYSRQ', 'LOGMARK',
  'DHCPMAC', 'ACCOUNT', 'IPV4OPTSSTRIP', 'DNETMAP', 'PROTO', 'JOOL', 'JOOL_SIIT', 'RAWDNAT', 'RAWSNAT',
]);

function looksLikeChain(name: string, hasOptions: boolean): boolean {
  return !hasOptions && !OTHER_EXTENSIONS.has(name);
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      // A chain declaration that could not be read would make its chain look missing.
      if (hasReadErrors(node, 'iptables')) continue;
      for (const ruleset of node.rulesets) {
        const byChain = new Map<string, { table: string; chain: string; rules: Rule[] }>();
        const add = (table: string, chain: string, rule: Rule): void => {
          const key = `${table}\u0000${chain}`;
          let entry = byChain.get(key);
          if (!entry) byChain.set(key, (entry = { table, chain, rules: [] }));
          if (!entry.rules.includes(rule)) entry.rules.push(rule);
        };
        for (const m of missingChains(node.graph(ruleset))) for (const r of m.referencedBy) add(m.table, m.chain, r);
        for (const table of ruleset.tables) {
          for (const chain of table.chains) {
            for (const rule of chain.rules) {
              if (rule.target?.kind === 'unknown' && looksLikeChain(rule.target.name, rule.target.options.length > 0)) add(table.name, rule.target.name, rule);
            }
          }
        }
        for (const { table, chain, rules } of byChain.values()) {
          findings.push(
            findingOf(meta, 'missing', [chain, table, ruleset.family === 'ipv4' ? 'IPv4' : 'IPv6', rules.length], {
              node: node.name,
              services: [...new Set(rules.flatMap((r) => node.servicesAt(r.at, r.comment)))],
              evidence: rules.map((r) => ({ at: r.at, note: `${table}/${r.chain}#${r.index}: ${r.target?.kind === 'goto' ? 'goto' : 'jump'} ${chain}` })),
            }),
          );
        }
      }
    }
    return findings;
  },
});
