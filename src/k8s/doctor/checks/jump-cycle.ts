/**
 * Jump loops: chain A jumps to B which jumps back to A. The kernel refuses them when the table is
 * loaded (net/ipv4/netfilter/ip_tables.c mark_source_chains: "iptables: loop hook … pos … "),
 * so iptables-restore fails with ELOOP ("Too many levels of symbolic links"); a dump that has one
 * was edited or put together, and traces cut the loop.
 */
import { jumpCycles } from '../../../graph/queries.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'jump-cycle',
  severity: 'error',
  title: 'Chains jump to each other in a loop',
  docs: 'docs/checks/jump-cycle.md',
  requires: ['iptables'],
  messages: {
    cycle: (loop: string, table: string, family: string) => ({
      title: `${family} ${table}: jump loop ${loop}`,
      explanation:
        `The chains ${loop} jump to one another in a circle. The kernel refuses a table with a loop when it is loaded (ip_tables.c mark_source_chains; iptables-restore fails with "Too many levels of symbolic links"), so this dump cannot be what the kernel holds: it was edited or assembled from several dumps. ` +
        'A trace stops following the loop where it closes.',
      remediation: 'Collect the dump again with iptables-save; if the rules were written by hand, break the loop (a chain must not jump, directly or through others, back to itself).',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      for (const ruleset of node.rulesets) {
        for (const cycle of jumpCycles(node.graph(ruleset))) {
          const loop = [...cycle.chains, cycle.chains[0]!].join(' → ');
          findings.push(
            findingOf(meta, 'cycle', [loop, cycle.table, ruleset.family === 'ipv4' ? 'IPv4' : 'IPv6'], {
              node: node.name,
              evidence: cycle.rules.map((r) => ({ at: r.at, note: `${cycle.table}/${r.chain}#${r.index}: ${r.target?.kind === 'goto' ? 'goto' : 'jump'} ${r.target && 'chain' in r.target ? r.target.chain : ''}` })),
            }),
          );
        }
      }
    }
    return findings;
  },
});
