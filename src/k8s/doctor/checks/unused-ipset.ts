/**
 * An ipset with members that no rule uses: no `-m set --match-set`, no SET target, and not a
 * member of a list:set that a rule uses. The set costs memory and holds addresses someone may
 * think are filtered. kube-proxy's own sets (pkg/proxy/ipvs/ipset.go) are info: kube-proxy
 * creates every one of them at start and writes the rule that uses a set only while the set's
 * purpose is in use, so a filled one without its rule is kube-proxy's state between syncs or a
 * leftover of another kube-proxy version. A set of a family whose iptables dump was not given
 * is not judged (nor a family-less bitmap:port / list:set / hash:mac set unless both dumps were given).
 */
import type { IpSet } from '../../../model/ipset/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import { setReferences } from '../set-references.js';
import type { Finding } from '../types.js';

/** pkg/proxy/ipvs/ipset.go (KUBE-6-… for IPv6 in dual-stack). */
const KUBE_PROXY_SETS = new Set([
  'KUBE-LOOP-BACK', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL', 'KUBE-LOAD-BALANCER',
  'KUBE-LOAD-BALANCER-LOCAL', 'KUBE-LOAD-BALANCER-FW', 'KUBE-LOAD-BALANCER-SOURCE-IP', 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
  'KUBE-NODE-PORT-TCP', 'KUBE-NODE-PORT-LOCAL-TCP', 'KUBE-NODE-PORT-UDP', 'KUBE-NODE-PORT-LOCAL-UDP',
  'KUBE-NODE-PORT-SCTP-HASH', 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'KUBE-HEALTH-CHECK-NODE-PORT', 'KUBE-IPVS-IPS',
]);

function isKubeProxySet(name: string): boolean {
  return KUBE_PROXY_SETS.has(name) || KUBE_PROXY_SETS.has(name.replace(/^KUBE-6-/, 'KUBE-'));
}

const meta = defineMeta({
  id: 'unused-ipset',
  severity: 'warning',
  title: 'An ipset has members but no rule uses it',
  docs: 'docs/checks/unused-ipset.md',
  requires: ['iptables', 'ipsets'],
  messages: {
    unused: (name: string, members: number, type: string) => ({
      title: `ipset ${name} (${type}) has ${members} member(s) but no rule uses it`,
      explanation:
        `No rule matches on ${name} (-m set --match-set), adds to it (SET target), or uses a list:set that holds it, so its ${members} member(s) have no effect on any packet. ` +
        'Either it is a leftover of a component that was removed, or the rule meant to use it is missing — in which case the addresses in it are not filtered (or not allowed) as intended.',
      remediation: `Find the component that owns ${name} (its name usually says); if the rule is missing, restore it; if the set is a leftover, destroy it (ipset destroy ${name}).`,
    }),
    kubeProxy: (name: string, members: number, type: string) => ({
      title: `kube-proxy's ipset ${name} (${type}) has ${members} member(s) but no rule uses it`,
      explanation:
        `${name} is one of the sets kube-proxy's IPVS mode creates at start; it writes the rule that uses a set only while that kind of Service exists, so a filled set without its rule is either kube-proxy's state between two syncs (the dumps were taken a moment apart) or a leftover of another kube-proxy version or mode. ` +
        `Its ${members} member(s) have no effect on packets.`,
      remediation: 'If it persists across dumps taken together (iptlens collect), check kube-proxy\'s logs for sync errors and that only one kube-proxy (one mode) runs on the node.',
    }),
  },
});

/** Sets used directly, and through list:set sets that are used. */
function usedSets(sets: readonly IpSet[], direct: ReadonlySet<string>): Set<string> {
  const used = new Set(direct);
  const byName = new Map(sets.map((s) => [s.name, s]));
  const queue = [...direct];
  while (queue.length) {
    const set = byName.get(queue.pop()!);
    if (!set || set.type !== 'list:set') continue;
    for (const m of set.members) for (const d of m.dims) if (d.kind === 'set' && !used.has(d.name)) {
      used.add(d.name);
      queue.push(d.name);
    }
  }
  return used;
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const sets = node.snapshot.ipsets;
      if (!sets || node.rulesets.length === 0 || hasReadErrors(node, 'iptables')) continue;
      const families = new Set(node.rulesets.map((r) => r.family));
      const used = usedSets(sets, new Set(setReferences(node.rulesets).map((r) => r.name)));
      for (const set of sets) {
        if (used.has(set.name) || !set.membersKnown || set.members.length === 0) continue;
        // A set of a family whose rules were not given may be used by those rules.
        if (set.family !== 'any' && !families.has(set.family)) continue;
        if (set.family === 'any' && families.size < 2) continue;
        const kube = isKubeProxySet(set.name);
        findings.push(
          findingOf(meta, kube ? 'kubeProxy' : 'unused', [set.name, set.members.length, set.typeText], {
            node: node.name,
            severity: kube ? 'info' : 'warning',
            evidence: [{ at: set.at, note: `${set.name} created` }, ...set.members.slice(0, 3).map((m) => ({ at: m.at, note: `member ${m.text}` }))],
          }),
        );
      }
    }
    return findings;
  },
});
