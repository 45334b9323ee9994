/**
 * Rules in both iptables backends. The kernel runs x_tables (iptables-legacy) and nf_tables
 * (iptables-nft) side by side: their hooks are registered independently, a packet passes both,
 * and a DROP in either wins. When two components use different backends (the host's firewall
 * legacy, kube-proxy's image nft, or the other way round) each sees only its own rules, and
 * iptables-nft-save says so: "# Warning: iptables-legacy tables present, use iptables-legacy-save
 * to see them". Read from that warning, and from two dumps of one family with different backends.
 */
import { parseIptablesSaveText } from '../../../../grammar/iptables-save/parse.js';
import { buildRuleset } from '../../../model/iptables/build.js';
import type { Ruleset } from '../../../model/iptables/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import type { Finding, FindingEvidence, NodeContext } from '../types.js';

const REMEDIATION =
  'Make every component on the node use one backend: kube-proxy images pick the backend with more rules (iptables-wrapper), so check the host firewall, the CNI and any other DaemonSet that writes rules; then flush the tables of the backend nobody should use (iptables-legacy -F / -X per table, or the nft equivalent) during a maintenance window. ' +
  'Collect both dumps (iptables-legacy-save and iptables-nft-save) so iptlens can show both.';

const meta = defineMeta({
  id: 'legacy-and-nft-tables',
  severity: 'warning',
  title: 'Rules in both iptables backends (legacy and nft)',
  docs: 'docs/checks/legacy-and-nft-tables.md',
  requires: ['iptables'],
  messages: {
    warned: (family: string) => ({
      title: `${family}: iptables-nft says legacy tables are present too`,
      explanation:
        'iptables-nft-save printed "iptables-legacy tables present": the legacy (x_tables) backend holds tables as well. The kernel runs both backends for every packet and a DROP in either wins, but this dump shows only the nf_tables rules, so what the legacy rules do is unknown here. ' +
        'Two components using different iptables backends is a classic cause of "the rules look right but packets are dropped".',
      remediation: REMEDIATION,
    }),
    both: (family: string, legacy: string, nft: string) => ({
      title: `${family}: both iptables-legacy (${legacy}) and iptables-nft (${nft}) hold rules`,
      explanation:
        `The dumps given show rules in both backends: ${legacy} in iptables-legacy and ${nft} in iptables-nft. The kernel runs both for every packet and a DROP or a NAT in either applies, but each tool shows only its own rules, so components using different backends cannot see (or clean up) each other's rules. ` +
        'iptlens traces only the first dump of each family it reads.',
      remediation: REMEDIATION,
    }),
  },
});

function ruleCount(rs: Ruleset): number {
  return rs.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
}

/** Each iptables-save input read on its own (the snapshot joins them), when there are several. */
function separateDumps(node: NodeContext): Ruleset[] {
  const inputs = node.snapshot.inputs.filter((i) => i.kind === 'iptables-save');
  if (inputs.length < 2) return [];
  return inputs.map((i) => buildRuleset(parseIptablesSaveText(i.source, { start: i.start, end: i.end }), i.command && /ip6tables/.test(i.command) ? { family: 'ipv6' } : {}));
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const reported = new Set<string>();
      const dumps = separateDumps(node);
      for (const family of ['ipv4', 'ipv6'] as const) {
        const mine = dumps.filter((d) => d.family === family && ruleCount(d) > 0);
        const legacy = mine.filter((d) => d.backend === 'legacy');
        const nft = mine.filter((d) => d.backend === 'nft');
        if (legacy.length === 0 || nft.length === 0) continue;
        const text = (list: Ruleset[]): string => `${list.reduce((n, d) => n + ruleCount(d), 0)} rules`;
        const evidence: FindingEvidence[] = [...legacy, ...nft].flatMap((d) => (d.tables[0] ? [{ at: d.tables[0].at, note: `${d.generator ?? d.backend}: ${ruleCount(d)} rules` }] : []));
        findings.push(findingOf(meta, 'both', [family === 'ipv4' ? 'IPv4' : 'IPv6', text(legacy), text(nft)], { node: node.name, evidence, severity: 'error' }));
        reported.add(family);
      }
      for (const d of node.snapshot.diagnostics) {
        if (d.code !== 'iptables/nft-warning' || !/legacy tables present/.test(d.message) || d.at === null) continue;
        const family = node.rulesets.find((r) => r.source === d.at!.source)?.family ?? (/ip6tables/.test(d.message) ? 'ipv6' : 'ipv4');
        if (reported.has(family)) continue;
        reported.add(family);
        findings.push(findingOf(meta, 'warned', [family === 'ipv4' ? 'IPv4' : 'IPv6'], { node: node.name, evidence: [{ at: d.at, note: 'iptables-nft-save: legacy tables present' }] }));
      }
    }
    return findings;
  },
});
