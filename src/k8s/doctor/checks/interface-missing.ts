/**
 * Rules that name an interface (`-i`/`-o`) the node does not have. The kernel accepts any name
 * (ip_tables compares names when a packet passes), so such a rule loads fine and silently never
 * matches: a typo, an interface renamed by udev/predictable naming (eth0 → ens3), or a leftover
 * of a removed bridge or tunnel. Wildcards (`veth+`) are fine and not checked; physdev names are
 * bridge ports and not checked either. Checked only against a full `ip addr` listing (one that
 * shows `lo`, and no line it could not read): `ip addr show dev X` alone, or a listing with a
 * broken line, would make names look missing.
 */
import type { Rule } from '../../../model/iptables/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'interface-missing',
  severity: 'warning',
  title: 'A rule names an interface the node does not have',
  docs: 'docs/checks/interface-missing.md',
  requires: ['iptables', 'interfaces'],
  messages: {
    missing: (iface: string, count: number, known: string) => ({
      title: `${count} rule(s) match interface ${iface}, which the node does not have`,
      explanation:
        `The ip addr listing has no interface named ${iface} (it has ${known}). The kernel accepts rules for any interface name and compares names as packets pass, so these rules never match while ${iface} does not exist: ` +
        'a typo, an interface renamed (eth0 → ens3 with predictable names), or a leftover of a bridge, tunnel or VPN that is gone. If the rules are meant to protect or NAT traffic, they do not.',
      remediation: `Correct the interface name in these rules (or use a wildcard such as ${iface.replace(/\d+$/, '')}+ if the name varies), or delete them if ${iface} is gone for good.`,
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const interfaces = node.snapshot.interfaces;
      if (!interfaces || !interfaces.some((i) => i.name === 'lo') || hasReadErrors(node, 'iproute')) continue;
      const names = new Set(interfaces.flatMap((i) => [i.name, ...i.altnames]));
      const byName = new Map<string, Rule[]>();
      for (const rs of node.rulesets) for (const t of rs.tables) for (const c of t.chains) for (const r of c.rules) {
        for (const m of r.matches) {
          if ((m.kind !== 'in-interface' && m.kind !== 'out-interface') || m.iface.wildcard || names.has(m.iface.name)) continue;
          const list = byName.get(m.iface.name) ?? [];
          if (!list.includes(r)) list.push(r);
          byName.set(m.iface.name, list);
        }
      }
      const known = [...names].slice(0, 8).join(', ') + (names.size > 8 ? ', …' : '');
      for (const [iface, rules] of byName) {
        findings.push(
          findingOf(meta, 'missing', [iface, rules.length, known], {
            node: node.name,
            services: [...new Set(rules.flatMap((r) => node.servicesAt(r.at, r.comment)))],
            evidence: rules.map((r) => ({ at: r.at, note: `${r.table}/${r.chain}#${r.index}: matches ${iface}` })),
          }),
        );
      }
    }
    return findings;
  },
});
