/**
 * User chains with rules that no built-in chain reaches through jumps and gotos: their rules
 * never see a packet (ip_tables.c only enters a user chain through a jump from a hook's chain).
 * Often left over from a component that was removed or renamed its chains; a support engineer
 * reading them might think they apply. Empty chains are left out (nothing to run), and so are
 * the canary chains kubelet and kube-proxy create on purpose, unreferenced, to detect a flush
 * (KUBE-KUBELET-CANARY, KUBE-PROXY-CANARY) or the backend in use (KUBE-IPTABLES-HINT).
 */
import { unreachableChains } from '../../../graph/queries.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import type { Finding } from '../types.js';

const CANARIES = new Set(['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY', 'KUBE-IPTABLES-HINT']);

const meta = defineMeta({
  id: 'unreachable-chain',
  severity: 'info',
  title: 'A chain with rules that no packet reaches',
  docs: 'docs/checks/unreachable-chain.md',
  requires: ['iptables'],
  messages: {
    unreachable: (chain: string, table: string, family: string, rules: number) => ({
      title: `${family} ${table}: chain ${chain} (${rules} rule(s)) is never jumped to`,
      explanation:
        `No rule reachable from a built-in chain of the ${table} table jumps or goes to ${chain}, so its ${rules} rule(s) never see a packet. ` +
        'This is usually a leftover of a component that was removed, or one whose jump rule was deleted or never added; if the rules are meant to apply, the jump is what is missing.',
      remediation: `If ${chain} should apply, add the jump to it from the chain that should call it (e.g. -A INPUT -j ${chain}); if it is a leftover, flush and delete it (iptables -t ${table} -F ${chain}; iptables -t ${table} -X ${chain}) after checking which component owns it.`,
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      // A rule that could not be read may be the jump that reaches the chain.
      if (hasReadErrors(node, 'iptables')) continue;
      for (const ruleset of node.rulesets) {
        for (const ref of unreachableChains(node.graph(ruleset))) {
          const chain = ruleset.tables.find((t) => t.name === ref.table)?.chainsByName.get(ref.chain);
          if (!chain || chain.rules.length === 0 || CANARIES.has(chain.name)) continue;
          findings.push(
            findingOf(meta, 'unreachable', [chain.name, ref.table, ruleset.family === 'ipv4' ? 'IPv4' : 'IPv6', chain.rules.length], {
              node: node.name,
              services: [...new Set(chain.rules.flatMap((r) => node.servicesAt(r.at, r.comment)))],
              evidence: [{ at: chain.at, note: `${ref.table}/${chain.name} declared` }, ...chain.rules.slice(0, 3).map((r) => ({ at: r.at, note: `${ref.table}/${chain.name}#${r.index}` }))],
            }),
          );
        }
      }
    }
    return findings;
  },
});
